/**
 * The live dashboard at `/` of `bundle-auction serve`. Reads `/healthz`, the dashboard's JSON
 * (`/v1/dashboard/overview`, `/v1/dashboard/slots/:slot`) and follows `/v1/events`; redraws
 * what an event touches. A classic script after uPlot and charts.js.
 */
(() => {
  interface OverviewSlot {
    slot: number; phase: string; opensAt: number; closesAt: number; finalAt: number; bids: number;
    value: string | null; bound: string | null; by: string | null;
    reserves: (string | null)[]; proposers: number[] | null; payouts: string[] | null;
    refunds: string | null; burned: string | null; nextPrice: string | null;
  }
  interface Overview {
    market: string; mode: 'auction' | 'lottery'; slotMs: number; now: number; firstSlot: number; from: number; to: number;
    lottery: { price: string; cap: number } | null; rollups: string[]; proposers: string[]; slots: OverviewSlot[];
  }
  interface Point { at: number; value: string; bound: string | null; by: string; seq: number }
  interface Winner { id: string; bidder: string | null; bundle: string[]; amount: string; proposer: string | null }
  interface Picture {
    slot: number; mode: string; phase: string; opensAt: number; closesAt: number; finalAt: number; bids: number;
    value: string | null; bound: string | null; by: string | null; digest: string | null;
    rollups: { id: string; reserve: string | null }[]; winners: Winner[]; history: Point[];
  }

  const PHASE_RGB: Record<string, [number, number, number]> = { pending: [175, 184, 193], open: [45, 164, 78], challenge: [212, 167, 44], final: [9, 105, 218] };

  const st = {
    offset: 0,
    overview: null as Overview | null,
    picture: null as Picture | null,
    selected: null as number | null,
    follow: true,
    cells: [] as PlacedCell[],
    grid: null as GridGeometry | null,
    updates: 0,
    renderMs: 0,
  };
  const charts: Record<string, UPlotChart | undefined> = {};
  const timers = new Map<string, number>();

  /** Test and benchmark hook (read-only state). */
  (window as unknown as Record<string, unknown>)['bundleAuctionDashboard'] = {
    cells: () => st.cells.map((c) => ({ rollup: c.rollup, x: c.x, y: c.y, s: c.s, self: c.self })),
    state: () => ({ selected: st.selected, updates: st.updates, renderMs: st.renderMs, slots: st.overview?.slots.length ?? 0, rollups: st.overview?.rollups.length ?? 0 }),
  };

  const nodeNow = (): number => Date.now() + st.offset;
  const hms = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

  async function getJson<T>(path: string): Promise<T> {
    const r = await fetch(path, { headers: { accept: 'application/json' } });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return (await r.json()) as T;
  }

  function later(key: string, fn: () => Promise<void>, ms = 120): void {
    if (timers.has(key)) return;
    timers.set(key, window.setTimeout(() => {
      timers.delete(key);
      fn().catch(showError);
    }, ms));
  }

  function showError(e: unknown): void {
    const c = byId('conn');
    c.textContent = `error: ${e instanceof Error ? e.message : String(e)}`;
    c.className = 'down';
  }

  /** The slot to follow: the earliest unfinished one with bids, else the latest final one with bids, else the earliest unfinished one. */
  function worked(o: Overview): number | null {
    const live = o.slots.filter((s) => s.phase === 'open' || s.phase === 'challenge');
    return live.find((s) => s.bids > 0)?.slot ?? [...o.slots].reverse().find((s) => s.phase === 'final' && s.bids > 0)?.slot ?? live[0]?.slot ?? o.slots.at(-1)?.slot ?? null;
  }

  async function loadOverview(): Promise<void> {
    const o = await getJson<Overview>('/v1/dashboard/overview');
    st.offset = o.now - Date.now();
    st.overview = o;
    const next = st.follow || st.selected === null ? worked(o) : st.selected;
    const changed = next !== st.selected;
    st.selected = next;
    const t0 = performance.now();
    renderHeader();
    renderTimeline();
    renderSchedule();
    renderRevenue();
    renderLottery();
    st.renderMs = performance.now() - t0;
    if (changed || st.picture === null) await loadPicture();
  }

  async function loadPicture(): Promise<void> {
    if (st.selected === null) return;
    st.picture = await getJson<Picture>(`/v1/dashboard/slots/${st.selected}`);
    renderSlot();
    renderAllocation();
    st.updates++;
    document.body.dataset['updates'] = String(st.updates);
    document.body.dataset['ready'] = '1';
  }

  function renderHeader(): void {
    const o = st.overview;
    if (o === null) return;
    byId('market').textContent = o.market;
    byId('mode').textContent = `${o.mode} mode · slot ${o.slotMs / 1000} s · ${o.rollups.length} rollups`;
  }

  function tick(): void {
    byId('clock').textContent = new Date(nodeNow()).toISOString().replace('T', ' ').slice(0, 19);
    const p = st.picture;
    if (p === null) return;
    const to = p.phase === 'pending' ? p.opensAt : p.phase === 'open' ? p.closesAt : p.phase === 'challenge' ? p.finalAt : null;
    byId('countdown').textContent = to === null ? '' : `${Math.max(0, Math.ceil((to - nodeNow()) / 1000))} s to ${p.phase === 'pending' ? 'open' : p.phase === 'open' ? 'close' : 'final'}`;
  }

  function renderTimeline(): void {
    const o = st.overview;
    const canvas = byId<HTMLCanvasElement>('timeline');
    if (o === null) return;
    const w = Math.max(200, canvas.clientWidth);
    canvas.width = w;
    canvas.height = 56;
    const ctx = canvas.getContext('2d');
    if (ctx === null) return;
    ctx.clearRect(0, 0, w, 56);
    const n = Math.max(1, o.slots.length);
    const bw = w / n;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    const every = Math.max(1, Math.ceil(48 / bw));
    o.slots.forEach((s, i) => {
      ctx.fillStyle = cssRgb(PHASE_RGB[s.phase] ?? [0, 0, 0]);
      ctx.fillRect(i * bw, 8, Math.max(1, bw - 1), 26);
      if (s.slot === st.selected) {
        ctx.strokeStyle = '#1d232a';
        ctx.lineWidth = 2;
        ctx.strokeRect(i * bw + 1, 7, Math.max(2, bw - 2), 28);
      }
      if (i % every === 0) {
        ctx.fillStyle = '#5f6b76';
        ctx.fillText(String(s.slot), i * bw + bw / 2, 50);
      }
    });
  }

  function slotAtTimeline(x: number): number | undefined {
    const o = st.overview;
    if (o === null || o.slots.length === 0) return undefined;
    const canvas = byId<HTMLCanvasElement>('timeline');
    return o.slots[Math.min(o.slots.length - 1, Math.floor((x / canvas.width) * o.slots.length))]?.slot;
  }

  function renderSlot(): void {
    const p = st.picture;
    if (p === null) return;
    byId('slot-no').textContent = String(p.slot);
    const ph = byId('phase');
    ph.textContent = p.phase;
    ph.className = `phase ${p.phase}`;
    byId('incumbent-value').textContent = fmtAmount(p.value);
    byId('bound').textContent = fmtAmount(p.bound);
    byId('gap').textContent = p.value !== null && p.bound !== null ? fmtAmount((BigInt(p.bound) - BigInt(p.value)).toString()) : '–';
    byId('by').textContent = p.by === null ? '–' : shortAddr(p.by);
    byId('bids').textContent = String(p.bids);
    const pts = p.history;
    const data: (number | null)[][] = [pts.map((q) => q.at / 1000), pts.map((q) => amountNumber(q.value)), pts.map((q) => amountNumber(q.bound))];
    const host = byId('incumbent-chart');
    if (charts['incumbent'] === undefined) {
      charts['incumbent'] = lineChart(host, {
        xLabel: 'node time', yLabel: 'value', time: true, height: 200,
        series: [{ label: 'incumbent', color: '#0969da', step: true, points: true }, { label: 'LP bound', color: '#cf222e', dash: [6, 4], step: true }],
        draw: (u) => {
          // Each accepted allocation marked with who submitted it.
          const ctx = u.ctx;
          ctx.save();
          ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
          ctx.fillStyle = '#1d232a';
          const list = st.picture?.history ?? [];
          list.forEach((q, i) => {
            const v = amountNumber(q.value);
            if (v === null) return;
            const x = u.valToPos(q.at / 1000, 'x', true);
            const y = u.valToPos(v, 'y', true);
            ctx.fillText(shortAddr(q.by), x + 4 * devicePixelRatio, y - (i % 2 === 0 ? 6 : -14) * devicePixelRatio);
          });
          ctx.restore();
        },
      }, data);
    } else {
      charts['incumbent'].setData(data as uPlot.AlignedData);
    }
    const list = byId('challenges');
    list.replaceChildren(...pts.slice(-50).reverse().map((q) => make('li', `#${q.seq} ${hms(q.at)} ${shortAddr(q.by)} → ${fmtAmount(q.value)}${q.bound === null ? '' : ` (bound ${fmtAmount(q.bound)})`}`)));
    if (pts.length === 0) list.replaceChildren(make('li', p.value === null ? 'no allocation accepted yet' : `current incumbent ${fmtAmount(p.value)} by ${p.by ?? '–'} (accepted before this node started)`, 'muted'));
    tick();
  }

  function renderAllocation(): void {
    const p = st.picture;
    if (p === null) return;
    const reserve = new Map(p.rollups.map((r) => [r.id, r.reserve] as const));
    const covered = new Set<string>();
    const winners = [...p.winners].sort((a, b) => (BigInt(b.amount) > BigInt(a.amount) ? 1 : BigInt(b.amount) < BigInt(a.amount) ? -1 : a.id < b.id ? -1 : 1));
    const colourKey = (w: Winner): string => w.proposer ?? w.bundle.join(',');
    const groups: AllocationCell[][] = winners.map((w) => w.bundle.map((r) => {
      covered.add(r);
      return {
        rollup: r, rgb: colorRgb(colourKey(w)), self: false,
        tip: `rollup ${r}\nreserve ${fmtAmount(reserve.get(r) ?? null)}\nbundle of ${w.bundle.length}: amount ${fmtAmount(w.amount)}\n${w.proposer === null ? 'proposer drawn at final' : `proposer ${w.proposer}`}`,
      };
    }));
    const self = p.rollups.filter((r) => !covered.has(r.id)).map((r) => ({
      rollup: r.id, rgb: SELF_RGB, self: true,
      tip: `rollup ${r.id}\n${r.reserve === null ? 'not offered this slot' : `reserve ${fmtAmount(r.reserve)}`}\nself-sequencing`,
    }));
    groups.push(self);
    const canvas = byId<HTMLCanvasElement>('allocation');
    st.cells = drawAllocation(canvas, groups, Math.max(200, (canvas.parentElement?.clientWidth ?? 400) - 24));
    byId('allocation-summary').textContent = `${p.phase === 'final' ? 'result' : 'incumbent'}: ${winners.length} winning bundle${winners.length === 1 ? '' : 's'} cover ${covered.size} of ${p.rollups.length} rollups; ${self.length} self-sequencing`;
    legend(byId('allocation-legend'), [
      ...winners.map((w) => ({ label: w.proposer === null ? bundleText(w.bundle) : shortAddr(w.proposer), rgb: colorRgb(colourKey(w)) })),
      { label: 'self-sequencing', rgb: SELF_RGB },
    ].filter((x, i, a) => a.findIndex((y) => y.label === x.label) === i));
    byId('bundles').replaceChildren(...winners.slice(0, 200).map((w) => {
      const li = make('li', `${bundleText(w.bundle)} ${fmtAmount(w.amount)}${w.proposer === null ? '' : ` → ${shortAddr(w.proposer)}`}`);
      li.dataset['bundle'] = w.bundle.join(',');
      return li;
    }));
  }

  function renderSchedule(): void {
    const o = st.overview;
    if (o === null) return;
    const canvas = byId<HTMLCanvasElement>('schedule');
    const width = Math.max(200, (canvas.parentElement?.clientWidth ?? 800) - 4);
    const colours = o.proposers.map((a) => colorRgb(a));
    st.grid = drawGrid(canvas, o.slots.length, o.rollups.length, (c, r) => {
      const s = o.slots[c];
      if (s === undefined || s.proposers === null || s.reserves[r] === null) return ABSENT_RGB;
      const k = s.proposers[r] ?? -1;
      return k < 0 ? SELF_RGB : colours[k] ?? SELF_RGB;
    }, width, 640);
    byId('schedule-range').textContent = o.slots.length === 0 ? '' : `slots ${o.from}–${o.to}`;
  }

  function scheduleTip(x: number, y: number): string | null {
    const o = st.overview;
    const g = st.grid;
    if (o === null || g === null) return null;
    const s = o.slots[Math.floor(x / g.cw)];
    const r = Math.floor(y / g.ch);
    const id = o.rollups[r];
    if (s === undefined || id === undefined) return null;
    const k = s.proposers?.[r];
    const who = s.proposers === null ? `${s.phase}: not final` : k === undefined || k < 0 ? 'self-sequenced' : `proposer ${o.proposers[k] ?? '?'}`;
    return `slot ${s.slot}, rollup ${id}\n${who}\nreserve ${fmtAmount(s.reserves[r] ?? null)}${s.payouts === null ? '' : `\npayout ${fmtAmount(s.payouts[r] ?? null)}`}`;
  }

  function renderRevenue(): void {
    const o = st.overview;
    if (o === null) return;
    const select = byId<HTMLSelectElement>('rollup-select');
    if (select.options.length !== o.rollups.length) {
      select.replaceChildren(...o.rollups.map((id) => {
        const opt = make('option', id);
        opt.value = id;
        return opt;
      }));
    }
    const r = Math.max(0, o.rollups.indexOf(select.value));
    const final = o.slots.filter((s) => s.payouts !== null);
    const data: (number | null)[][] = [final.map((s) => s.slot), final.map((s) => amountNumber(s.payouts?.[r] ?? null)), final.map((s) => amountNumber(s.reserves[r] ?? null))];
    if (charts['revenue'] === undefined) {
      charts['revenue'] = lineChart(byId('revenue-chart'), {
        xLabel: 'slot', xValues: String, yLabel: 'base units', height: 200,
        series: [{ label: 'payout', color: '#2da44e', bars: true }, { label: 'reserve', color: '#cf222e', step: true }],
      }, data);
    } else {
      charts['revenue'].setData(data as uPlot.AlignedData);
    }
    let paid = 0n;
    let reserves = 0n;
    let sold = 0;
    let below = 0;
    for (const s of final) {
      const pay = BigInt(s.payouts?.[r] ?? '0');
      const res = s.reserves[r];
      if ((s.proposers?.[r] ?? -1) < 0 || res === null || res === undefined) continue;
      sold++;
      paid += pay;
      reserves += BigInt(res);
      if (pay < BigInt(res)) below++;
    }
    byId('revenue-summary').textContent = `${o.rollups[r] ?? ''}: sold in ${sold} of ${final.length} final slots; paid ${fmtAmount(paid.toString())} against ${fmtAmount(reserves.toString())} of reserves in those slots; below reserve in ${below}`;
    renderAllRollups(final);
  }

  /** Per rollup: Σ payouts and Σ reserves over the final slots in which it was sold (participation at a glance). */
  function renderAllRollups(final: readonly OverviewSlot[]): void {
    const o = st.overview;
    if (o === null) return;
    const n = o.rollups.length;
    const paid = new Array<bigint>(n).fill(0n);
    const reserved = new Array<bigint>(n).fill(0n);
    let below = 0;
    for (const s of final) {
      for (let i = 0; i < n; i++) {
        const res = s.reserves[i];
        if ((s.proposers?.[i] ?? -1) < 0 || res === null || res === undefined) continue;
        const pay = BigInt(s.payouts?.[i] ?? '0');
        paid[i] = (paid[i] ?? 0n) + pay;
        reserved[i] = (reserved[i] ?? 0n) + BigInt(res);
        if (pay < BigInt(res)) below++;
      }
    }
    const data: (number | null)[][] = [o.rollups.map((_r, i) => i), paid.map((x) => Number(x)), reserved.map((x) => Number(x))];
    if (charts['rollups'] === undefined) {
      charts['rollups'] = lineChart(byId('rollups-chart'), {
        xLabel: 'rollup', yLabel: 'base units', height: 200, xValues: (v) => o.rollups[v] ?? '',
        series: [{ label: 'Σ paid', color: '#2da44e', pointsOnly: true }, { label: 'Σ reserves', color: '#cf222e', pointsOnly: true }],
      }, data);
    } else {
      charts['rollups'].setData(data as uPlot.AlignedData);
    }
    byId('rollups-summary').textContent = `${final.length} final slots; a rollup was paid below its reserve in ${below} sold slot${below === 1 ? '' : 's'}`;
  }

  function renderLottery(): void {
    const o = st.overview;
    if (o === null || o.lottery === null) return;
    byId('lottery-panel').classList.remove('hidden');
    byId('lottery-price').textContent = fmtAmount(o.lottery.price);
    byId('lottery-cap').textContent = String(o.lottery.cap);
    const xs = o.slots.map((s) => s.slot);
    const price = amountNumber(o.lottery.price);
    const specs: [string, ChartSpec, (number | null)[][]][] = [
      ['price', { xLabel: 'slot', xValues: String, yLabel: 'price per rollup', height: 160, series: [{ label: 'price', color: '#0969da', step: true }, { label: 'next price (rule)', color: '#8250df', step: true, dash: [5, 3] }] },
        [xs, o.slots.map(() => price), o.slots.map((s) => amountNumber(s.nextPrice))]],
      ['tickets', { xLabel: 'slot', xValues: String, yLabel: 'tickets', height: 160, series: [{ label: 'tickets sold', color: '#2da44e', bars: true }, { label: 'cap', color: '#cf222e', dash: [5, 3] }] },
        [xs, o.slots.map((s) => s.bids), o.slots.map(() => o.lottery?.cap ?? null)]],
      ['refunds', { xLabel: 'slot', xValues: String, yLabel: 'refunded', height: 160, series: [{ label: 'refunds', color: '#d4a72c', bars: true }] },
        [xs, o.slots.map((s) => amountNumber(s.refunds))]],
    ];
    for (const [name, spec, data] of specs) {
      const c = charts[name];
      if (c === undefined) charts[name] = lineChart(byId(`${name}-chart`), spec, data);
      else c.setData(data as uPlot.AlignedData);
    }
  }

  function onEvent(type: string, data: Record<string, unknown>): void {
    const slot = data['slot'] as number;
    if (typeof data['at'] === 'number' && data['at'] > nodeNow()) st.offset = data['at'] - Date.now();
    const o = st.overview;
    const row = o?.slots.find((s) => s.slot === slot);
    if (type === 'phase') {
      if (row !== undefined) row.phase = data['phase'] as string;
      if (st.picture !== null && st.picture.slot === slot) {
        st.picture.phase = data['phase'] as string;
        renderSlot();
      }
      renderTimeline();
      // The overview costs the node a read of every slot: at most one reload a second.
      later('overview', loadOverview, row === undefined || data['phase'] === 'final' ? 200 : 1000);
    } else if (type === 'bid') {
      if (row !== undefined) row.bids = data['bids'] as number;
      if (st.picture !== null && st.picture.slot === slot) {
        st.picture.bids = data['bids'] as number;
        byId('bids').textContent = String(st.picture.bids);
      }
      // Bids arrive often: no reload; only follow a slot that got its first bids.
      if (st.follow && o !== null) {
        const next = worked(o);
        if (next !== st.selected) {
          st.selected = next;
          renderTimeline();
          later('picture', loadPicture, 50);
        }
      }
    } else if (type === 'incumbent') {
      if (row !== undefined) {
        row.value = data['value'] as string;
        row.by = data['by'] as string;
      }
      if (st.selected === slot) later('picture', loadPicture, 50);
    } else if (type === 'final') {
      later('overview', loadOverview, 50);
      if (st.selected === slot) later('picture', loadPicture, 50);
    }
  }

  function connect(): void {
    const conn = byId('conn');
    const es = new EventSource('/v1/events');
    es.addEventListener('open', () => {
      conn.textContent = 'live';
      conn.className = 'live';
    });
    es.addEventListener('error', () => {
      conn.textContent = 'reconnecting…';
      conn.className = 'down';
    });
    es.addEventListener('hello', (e) => {
      const d = JSON.parse((e as MessageEvent<string>).data) as { now: number };
      st.offset = d.now - Date.now();
      // (Re)connected: everything may have moved on.
      later('overview', loadOverview, 0);
      if (st.picture !== null) later('picture', loadPicture, 0);
    });
    for (const type of ['phase', 'bid', 'incumbent', 'final']) {
      es.addEventListener(type, (e) => onEvent(type, JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>));
    }
  }

  function start(): void {
    byId<HTMLCanvasElement>('timeline').addEventListener('click', (e) => {
      const slot = slotAtTimeline(((e.offsetX) * byId<HTMLCanvasElement>('timeline').width) / Math.max(1, (e.target as HTMLCanvasElement).clientWidth));
      if (slot === undefined) return;
      st.selected = slot;
      st.follow = false;
      renderTimeline();
      loadPicture().catch(showError);
    });
    byId<HTMLSelectElement>('rollup-select').addEventListener('change', () => renderRevenue());
    hoverTip(byId<HTMLCanvasElement>('allocation'), (x, y) => cellAt(st.cells, x, y)?.tip ?? null);
    hoverTip(byId<HTMLCanvasElement>('schedule'), scheduleTip);
    let width = window.innerWidth;
    window.addEventListener('resize', () => {
      if (Math.abs(window.innerWidth - width) < 8) return;
      width = window.innerWidth;
      renderTimeline();
      renderSchedule();
      renderAllocation();
    });
    window.setInterval(tick, 500);
    connect();
    loadOverview().then(() => performance.mark('dashboard:rendered')).catch(showError);
  }

  start();
})();
