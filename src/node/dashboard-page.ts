/**
 * The dashboard's HTML (served at `/`): static markup only; every script and style is a file
 * under `/dashboard/` so the page runs under a strict Content-Security-Policy (self only, no
 * inline script or style).
 */

/** The Content-Security-Policy of `/` and its assets. */
export const DASHBOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bundle-auction market</title>
<link rel="icon" href="/dashboard/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard/uPlot.min.css">
<link rel="stylesheet" href="/dashboard/dashboard.css">
</head>
<body>
<header>
  <h1 id="market">bundle-auction</h1>
  <span class="meta" id="mode"></span>
  <span class="meta">node time <span id="clock">–</span></span>
  <span class="meta" id="conn">connecting…</span>
</header>
<main>
  <section class="wide" id="timeline-panel">
    <h2>Slots</h2>
    <canvas id="timeline" width="800" height="56"></canvas>
    <div class="legend"><span><span class="swatch sw-pending"></span>pending</span><span><span class="swatch sw-open"></span>open</span><span><span class="swatch sw-challenge"></span>challenge</span><span><span class="swatch sw-final"></span>final</span><span>click a slot to follow it</span></div>
  </section>
  <section id="slot-panel">
    <h2>Slot <span id="slot-no">–</span> <span id="phase" class="phase">–</span> <span class="muted" id="countdown"></span></h2>
    <div class="stats">
      <span>incumbent <b id="incumbent-value">–</b></span>
      <span>bound <b id="bound">–</b></span>
      <span>gap <b id="gap">–</b></span>
      <span>by <b id="by">–</b></span>
      <span>bids <b id="bids">–</b></span>
    </div>
    <div id="incumbent-chart"></div>
    <ul class="list" id="challenges"></ul>
  </section>
  <section id="allocation-panel">
    <h2>Allocation</h2>
    <div class="muted" id="allocation-summary">–</div>
    <canvas id="allocation" width="400" height="40"></canvas>
    <div class="legend" id="allocation-legend"></div>
    <ul class="list" id="bundles"></ul>
  </section>
  <section class="wide" id="schedule-panel">
    <h2>Proposer schedule <span class="muted" id="schedule-range"></span></h2>
    <div class="muted">rows: rollups, columns: slots; colour: proposer; grey: self-sequenced; white: not offered or not final</div>
    <div class="scroll"><canvas id="schedule" width="800" height="40"></canvas></div>
  </section>
  <section id="revenue-panel">
    <h2>Revenue against reserve</h2>
    <label>rollup <select id="rollup-select"></select></label>
    <div id="revenue-chart"></div>
    <div class="muted" id="revenue-summary"></div>
  </section>
  <section id="lottery-panel" class="hidden">
    <h2>Lottery</h2>
    <div class="stats"><span>price <b id="lottery-price">–</b></span><span>cap <b id="lottery-cap">–</b></span></div>
    <div id="price-chart"></div>
    <div id="tickets-chart"></div>
    <div id="refunds-chart"></div>
  </section>
</main>
<div id="tip"></div>
<script src="/dashboard/uPlot.iife.min.js"></script>
<script src="/dashboard/charts.js"></script>
<script src="/dashboard/app.js"></script>
</body>
</html>
`;
