-- bundle-auction market store, Postgres: the same tables as the embedded SQLite store, plus the
-- rules several nodes rely on, enforced here (each function is one statement, one transaction):
-- unique (slot, signer, nonce) and (slot, id); caps counted in bid_counts under its row lock;
-- reserve-update nonces increasing under a per-rollup advisory lock; no input into a slot that
-- has a result (inputs take the slot's advisory lock shared, finalisation exclusive).
-- Every insert notifies channel bundle_auction with {k, slot, seq, by} (by: application_name).

CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE bids (
  seq bigserial PRIMARY KEY, slot bigint NOT NULL, kind text NOT NULL, signer text NOT NULL,
  nonce text NOT NULL, id text NOT NULL, bundle text NOT NULL, amount text NOT NULL,
  exclusive text NOT NULL, signature text NOT NULL,
  UNIQUE (slot, signer, nonce), UNIQUE (slot, id));

-- Accepted bids per (slot, signer); signer '*' counts a slot's tickets (lottery cap).
CREATE TABLE bid_counts (slot bigint NOT NULL, signer text NOT NULL, n integer NOT NULL, PRIMARY KEY (slot, signer));

CREATE TABLE updates (
  seq bigserial PRIMARY KEY, rollup text NOT NULL, from_slot bigint NOT NULL, reserve text NOT NULL,
  opt_in boolean NOT NULL, nonce text NOT NULL, signature text NOT NULL, UNIQUE (rollup, nonce));

CREATE TABLE allocations (
  seq bigserial PRIMARY KEY, slot bigint NOT NULL, submitter text NOT NULL, winners text NOT NULL, value text NOT NULL);
CREATE INDEX allocations_slot ON allocations (slot, seq);

CREATE TABLE beacons (slot bigint PRIMARY KEY, value text NOT NULL, signature text NOT NULL);

CREATE TABLE results (slot bigint PRIMARY KEY, digest text NOT NULL, body text NOT NULL);

-- Advisory lock classes: 7110001 slots (hashint8(slot)), 7110002 rollups (hashtext(id)); 7110000 migrations.

CREATE FUNCTION ba_add_bid(p_slot bigint, p_kind text, p_signer text, p_nonce text, p_id text, p_bundle text,
  p_amount text, p_exclusive text, p_signature text, p_cap integer, p_slot_cap integer) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE v_existing text;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7110001, hashint8(p_slot));
  IF EXISTS (SELECT 1 FROM results WHERE slot = p_slot) THEN RETURN 'final'; END IF;
  BEGIN
    INSERT INTO bid_counts AS c (slot, signer, n) VALUES (p_slot, p_signer, 1)
      ON CONFLICT (slot, signer) DO UPDATE SET n = c.n + 1 WHERE c.n < p_cap;
    IF NOT FOUND THEN RETURN 'over_cap'; END IF;
    IF p_slot_cap IS NOT NULL THEN
      INSERT INTO bid_counts AS c (slot, signer, n) VALUES (p_slot, '*', 1)
        ON CONFLICT (slot, signer) DO UPDATE SET n = c.n + 1 WHERE c.n < p_slot_cap;
      IF NOT FOUND THEN RAISE EXCEPTION 'slot full' USING ERRCODE = 'BA001'; END IF;
    END IF;
    INSERT INTO bids (slot, kind, signer, nonce, id, bundle, amount, exclusive, signature)
      VALUES (p_slot, p_kind, p_signer, p_nonce, p_id, p_bundle, p_amount, p_exclusive, p_signature);
    RETURN 'added';
  EXCEPTION
    WHEN SQLSTATE 'BA001' THEN RETURN 'slot_full';
    WHEN unique_violation THEN
      SELECT id INTO v_existing FROM bids WHERE slot = p_slot AND signer = p_signer AND nonce = p_nonce;
      IF FOUND THEN RETURN 'duplicate:' || v_existing; END IF;
      RETURN 'id_taken';
  END;
END $$;

CREATE FUNCTION ba_add_allocation(p_slot bigint, p_submitter text, p_winners text, p_value text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE v_seq bigint;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7110001, hashint8(p_slot));
  IF EXISTS (SELECT 1 FROM results WHERE slot = p_slot) THEN RETURN NULL; END IF;
  INSERT INTO allocations (slot, submitter, winners, value) VALUES (p_slot, p_submitter, p_winners, p_value) RETURNING seq INTO v_seq;
  RETURN v_seq;
END $$;

CREATE FUNCTION ba_add_beacon(p_slot bigint, p_value text, p_signature text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE v_existing text;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7110001, hashint8(p_slot));
  IF EXISTS (SELECT 1 FROM results WHERE slot = p_slot) THEN RETURN 'final'; END IF;
  INSERT INTO beacons (slot, value, signature) VALUES (p_slot, p_value, p_signature) ON CONFLICT (slot) DO NOTHING;
  IF FOUND THEN RETURN 'added'; END IF;
  SELECT value INTO v_existing FROM beacons WHERE slot = p_slot;
  RETURN 'exists:' || v_existing;
END $$;

CREATE FUNCTION ba_add_update(p_rollup text, p_from_slot bigint, p_reserve text, p_opt_in boolean, p_nonce text, p_signature text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE v_last numeric;
BEGIN
  PERFORM pg_advisory_xact_lock(7110002, hashtext(p_rollup));
  SELECT max(nonce::numeric) INTO v_last FROM updates WHERE rollup = p_rollup;
  IF v_last IS NOT NULL AND p_nonce::numeric <= v_last THEN RETURN 'stale:' || v_last::text; END IF;
  INSERT INTO updates (rollup, from_slot, reserve, opt_in, nonce, signature) VALUES (p_rollup, p_from_slot, p_reserve, p_opt_in, p_nonce, p_signature);
  RETURN 'added';
END $$;

CREATE FUNCTION ba_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE j jsonb := to_jsonb(NEW);
BEGIN
  PERFORM pg_notify('bundle_auction', json_build_object('k', TG_ARGV[0], 'slot', coalesce(j->'slot', j->'from_slot'),
    'seq', j->'seq', 'by', current_setting('application_name'))::text);
  RETURN NULL;
END $$;

CREATE TRIGGER bids_notify AFTER INSERT ON bids FOR EACH ROW EXECUTE FUNCTION ba_notify('bid');
CREATE TRIGGER allocations_notify AFTER INSERT ON allocations FOR EACH ROW EXECUTE FUNCTION ba_notify('allocation');
CREATE TRIGGER beacons_notify AFTER INSERT ON beacons FOR EACH ROW EXECUTE FUNCTION ba_notify('beacon');
CREATE TRIGGER updates_notify AFTER INSERT ON updates FOR EACH ROW EXECUTE FUNCTION ba_notify('update');
CREATE TRIGGER results_notify AFTER INSERT ON results FOR EACH ROW EXECUTE FUNCTION ba_notify('result');
