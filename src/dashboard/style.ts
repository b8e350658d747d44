/** The stylesheet of the dashboard and the simulation report (served as `/dashboard/dashboard.css`, inlined in the report). */
export const DASHBOARD_CSS = `
:root { --fg: #1d232a; --muted: #5f6b76; --line: #d8dee4; --bg: #f6f8fa; --panel: #ffffff;
  --open: #2da44e; --challenge: #d4a72c; --final: #0969da; --pending: #afb8c1; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: baseline; padding: 12px 16px; background: var(--panel); border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0; }
header .meta { color: var(--muted); }
#clock { font-variant-numeric: tabular-nums; font-weight: 600; }
#conn.live { color: var(--open); } #conn.down { color: #cf222e; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; padding: 12px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
section h2 { font-size: 15px; margin: 0 0 8px; }
.muted { color: var(--muted); }
.stats { display: flex; flex-wrap: wrap; gap: 4px 20px; margin-bottom: 6px; }
.stats b { font-variant-numeric: tabular-nums; }
.phase { display: inline-block; padding: 0 6px; border-radius: 4px; color: #fff; font-weight: 600; }
.phase.open { background: var(--open); } .phase.challenge { background: var(--challenge); }
.phase.final { background: var(--final); } .phase.pending { background: var(--pending); }
canvas { display: block; max-width: 100%; }
.scroll { overflow: auto; max-height: 520px; }
#timeline { width: 100%; height: 56px; cursor: pointer; }
#tip { position: fixed; pointer-events: none; background: #1d232a; color: #fff; padding: 4px 8px; border-radius: 4px;
  font-size: 12px; white-space: pre; z-index: 10; display: none; }
ul.list { margin: 4px 0 0; padding-left: 18px; max-height: 160px; overflow: auto; }
ul.list li { font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: right; padding: 2px 6px; border-bottom: 1px solid var(--line); font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 12px; color: var(--muted); margin-top: 4px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border: 1px solid #0003; }
select { max-width: 100%; }
.hidden { display: none !important; }
.sw-pending { background: var(--pending); } .sw-open { background: var(--open); }
.sw-challenge { background: var(--challenge); } .sw-final { background: var(--final); }
@media (max-width: 640px) { main { grid-template-columns: 1fr; padding: 6px; } section { padding: 8px; } }
`;
