/**
 * The simulation report (`report.html` of `simulate --out DIR`): reads the inlined
 * `#report-data` and draws the mechanisms side by side. A classic script after uPlot and
 * charts.js, all inlined: the file opens from disk.
 */
(() => {
  interface Mechanism {
    mechanism: string;
    revenue: string[]; collected: string[]; shillProfit: string[]; price: (string | null)[];
    perRollup: { revenue: string; income: string; isolated: string | null; vsIsolatedBps: number | null; soldSlots: number }[];
    summary: null | { revenue: string; collected: string; refunds: string; burned: string; jointShare: string; proposersPerSlot: string; selfSequencedPerSlot: string; worseThanIsolated: number; shillGain: string };
    proposers: string[];
    schedule: number[][];
  }
  interface ReportData {
    params: Record<string, string | number>;
    shillRollup: string;
    rollups: { id: string; role: string }[];
    slots: number[];
    mechanisms: Mechanism[];
  }

  const COLORS = ['#8c959f', '#d4a72c', '#0969da', '#2da44e', '#8250df', '#cf222e'];
  const data = JSON.parse(byId('report-data').textContent ?? '{}') as ReportData;
  const t0 = performance.now();

  byId('params').textContent = Object.entries(data.params).map(([k, v]) => `${k} ${v}`).join(' · ');
  byId('shill-rollup').textContent = data.shillRollup;

  // Summary table: one row per mechanism.
  const table = byId<HTMLTableElement>('summary');
  const head = ['mechanism', 'revenue', 'collected', 'refunds', 'burned', 'joint share', 'proposers/slot', 'self-sequenced/slot', 'rollups worse than isolated', 'shill gain'];
  const hr = make('tr');
  for (const h of head) hr.append(make('th', h));
  table.append(hr);
  for (const m of data.mechanisms) {
    const s = m.summary;
    const tr = make('tr');
    tr.dataset['mechanism'] = m.mechanism;
    const cells = s === null ? [m.mechanism] : [m.mechanism, fmtAmount(s.revenue), fmtAmount(s.collected), fmtAmount(s.refunds), fmtAmount(s.burned), s.jointShare, s.proposersPerSlot, s.selfSequencedPerSlot, String(s.worseThanIsolated), fmtAmount(s.shillGain)];
    for (const c of cells) tr.append(make('td', c));
    table.append(tr);
  }

  const series = (label: (m: Mechanism) => string): SeriesSpec[] => data.mechanisms.map((m, i) => ({ label: label(m), color: COLORS[i % COLORS.length] ?? '#000' }));
  // Plotted in ETH (floats, display only); the table shows exact wei.
  const ETH = 1e18;
  const nums = (xs: readonly (string | null)[]): (number | null)[] => xs.map((x) => amountNumber(x, ETH));

  lineChart(byId('revenue-chart'), { xLabel: 'slot', xValues: String, yLabel: 'ETH', series: series((m) => m.mechanism) }, [data.slots, ...data.mechanisms.map((m) => nums(m.revenue))]);

  const cumulative = (xs: readonly string[]): (number | null)[] => {
    let acc = 0n;
    return xs.map((x) => {
      acc += BigInt(x);
      return Number(acc) / ETH;
    });
  };
  lineChart(byId('shill-chart'), { xLabel: 'slot', xValues: String, yLabel: 'ETH', series: series((m) => m.mechanism) }, [data.slots, ...data.mechanisms.map((m) => cumulative(m.shillProfit))]);

  // Participation: per rollup (x = its index), each mechanism's revenue, and the isolated income.
  const xs = data.rollups.map((_r, i) => i);
  const withIso = data.mechanisms.find((m) => m.perRollup.some((r) => r.isolated !== null));
  const bars = data.mechanisms.map((m, i) => ({ label: m.mechanism, color: COLORS[i % COLORS.length] ?? '#000', pointsOnly: true }));
  lineChart(byId('participation-chart'), {
    xLabel: 'rollup', yLabel: 'ETH', height: 260, xValues: (v) => data.rollups[v]?.id ?? '',
    series: [...bars, ...(withIso === undefined ? [] : [{ label: 'isolated income', color: '#1d232a', dash: [4, 4], pointsOnly: true }])],
  }, [xs, ...data.mechanisms.map((m) => nums(m.perRollup.map((r) => r.revenue))), ...(withIso === undefined ? [] : [nums(withIso.perRollup.map((r) => r.isolated))])]);
  byId('participation-axis').textContent = `roles: ${data.rollups.map((r) => `${r.id} ${r.role}`).join(', ')}`;

  const lottery = data.mechanisms.find((m) => m.price.some((p) => p !== null));
  if (lottery === undefined) byId('price-note').textContent = 'lottery not simulated';
  else lineChart(byId('price-chart'), { xLabel: 'slot', xValues: String, yLabel: 'ETH', series: [{ label: 'ticket price', color: '#2da44e', step: true, points: true }] }, [data.slots, nums(lottery.price)]);

  // Proposer schedules of the mechanisms that have proposers.
  const host = byId('schedules');
  for (const m of data.mechanisms) {
    if (m.proposers.length === 0 && m.schedule.every((row) => row.every((k) => k < 0))) continue;
    const box = make('div');
    box.append(make('h2', m.mechanism));
    const canvas = make('canvas');
    canvas.dataset['mechanism'] = m.mechanism;
    box.append(canvas);
    host.append(box);
    const colours = m.proposers.map((p) => colorRgb(p));
    const g = drawGrid(canvas, m.schedule.length, data.rollups.length, (c, r) => {
      const k = m.schedule[c]?.[r] ?? -1;
      return k < 0 ? SELF_RGB : colours[k] ?? SELF_RGB;
    }, Math.max(200, host.clientWidth - 4), 400);
    hoverTip(canvas, (x, y) => {
      const c = Math.floor(x / g.cw);
      const r = Math.floor(y / g.ch);
      const k = m.schedule[c]?.[r];
      const id = data.rollups[r]?.id;
      if (k === undefined || id === undefined) return null;
      return `${m.mechanism}, slot ${data.slots[c] ?? c}, rollup ${id}\n${k < 0 ? 'self-sequenced' : `proposer ${m.proposers[k] ?? '?'}`}`;
    });
  }
  (window as unknown as Record<string, unknown>)['bundleAuctionReport'] = { renderMs: performance.now() - t0, mechanisms: data.mechanisms.map((m) => m.mechanism) };
  document.body.dataset['ready'] = '1';
})();
