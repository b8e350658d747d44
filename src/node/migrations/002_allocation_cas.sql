-- Challenges across nodes: an allocation is stored only when strictly worth more than every
-- allocation already stored for its slot (ties keep the earlier), decided here, not by each
-- node's in-memory incumbent, which may not yet know another node's acceptance. Allocations of
-- one slot are serialised by an exclusive advisory lock of class 7110003 (taken after the slot's
-- shared lock, so finalisation still excludes them all). Answers 'added:SEQ', 'not_better:BEST'
-- or 'final'.

DROP FUNCTION ba_add_allocation(bigint, text, text, text);

CREATE FUNCTION ba_add_allocation(p_slot bigint, p_submitter text, p_winners text, p_value text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE v_seq bigint; v_best numeric;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7110001, hashint8(p_slot));
  PERFORM pg_advisory_xact_lock(7110003, hashint8(p_slot));
  IF EXISTS (SELECT 1 FROM results WHERE slot = p_slot) THEN RETURN 'final'; END IF;
  SELECT max(value::numeric) INTO v_best FROM allocations WHERE slot = p_slot;
  IF v_best IS NOT NULL AND p_value::numeric <= v_best THEN RETURN 'not_better:' || v_best::text; END IF;
  INSERT INTO allocations (slot, submitter, winners, value) VALUES (p_slot, p_submitter, p_winners, p_value) RETURNING seq INTO v_seq;
  RETURN 'added:' || v_seq::text;
END $$;
