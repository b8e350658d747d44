/**
 * The dashboard and the simulation report in a real browser: Debian's chromium, driven by
 * playwright-core (no browser download). A node on a manual clock takes signed bids, its own
 * solve and an outside challenge; the page must show each change without a reload, and log no
 * console error. Screenshots go to test-output/ (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInstanceJson } from '../../src/formats/json.js';
import { slotTimes } from '../../src/node/clock.js';
import { solve } from '../../src/solver/solve.js';
import { BUILDERS } from '../node/fixtures.js';
import { startTestNode, type TestNode } from '../node/harness.js';
import { browserOptOut, chromiumPath } from '../setup/chromium.js';

const OUT = join(process.cwd(), 'test-output');
const SLOT = 5;
let browser: Browser | undefined;
let t: TestNode | undefined;

beforeAll(async () => {
  if (browserOptOut()) return;
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await t?.node.close();
});

/** A page that records console errors and uncaught exceptions. */
async function open(url: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
  const page = await (browser as Browser).newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(e.message));
  page.on('response', (r) => void (r.status() >= 400 && errors.push(`HTTP ${r.status()} ${r.url()}`)));
  await page.goto(url);
  return { page, errors };
}

const text = async (page: Page, selector: string): Promise<string> => (await page.textContent(selector, { timeout: 5000 }))?.trim() ?? '';
/** Waits (≤ 5 s) until `selector`'s text is `want` (polled from here: the page's CSP forbids eval). */
async function until(page: Page, selector: string, want: string): Promise<void> {
  await expect.poll(() => text(page, selector), { timeout: 5000, interval: 50 }).toBe(want);
}

const group = (s: string): string => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

describe.skipIf(browserOptOut())('dashboard in chromium', () => {
  it('shows phase, incumbent, winning cells; updates live on a challenge; no console errors', async () => {
    t = await startTestNode('auction', 1_000_000);
    const { node, client, clock, config } = t;
    await node.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(node.app.server.address() as { port: number }).port}/`;
    const times = slotTimes(config, SLOT);
    const b = (i: number) => BUILDERS[i % BUILDERS.length] as never;
    const bids = [
      { bundle: ['op-1', 'op-2'], amount: 5_000n },
      { bundle: ['op-3'], amount: 3_500n },
      { bundle: ['op-2', 'op-3', 'zk-1'], amount: 9_100n },
      { bundle: ['zk-1'], amount: 4_300n },
    ];
    for (const [i, d] of bids.entries()) await client.submitBid(b(i), { slot: SLOT, nonce: BigInt(i), ...d });
    await node.market.solveSlot(SLOT);
    const first = (await client.slot(SLOT)).incumbent;
    expect(first?.by).toBe('node');

    const { page, errors } = await open(url);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15_000 });
    expect(await text(page, '#slot-no')).toBe(String(SLOT));
    expect(await text(page, '#phase')).toBe('open');
    expect(await text(page, '#incumbent-value')).toBe(group(String(first?.value)));
    expect(await text(page, '#bids')).toBe('4');
    expect(await page.evaluate('document.querySelector("#timeline").width > 0')).toBe(true);

    // A late bid makes the node's answer beatable; the window closes; an outside solver challenges.
    await client.submitBid(b(5), { slot: SLOT, nonce: 50n, bundle: ['op-1'], amount: 6_000n });
    await until(page, '#bids', '5');
    await page.evaluate('window.__noReload = 1');
    clock.set(times.closesAt);
    await node.market.tick();
    await until(page, '#phase', 'challenge');
    const instance = parseInstanceJson(await client.instanceText(SLOT), 'instance.json');
    const best = await solve(instance, { method: 'exact' });
    const verdict = await client.challenge(SLOT, best.winners, 'outside-solver');
    expect(verdict.accepted).toBe(true);
    await until(page, '#incumbent-value', group(best.value.toString()));
    expect(await text(page, '#by')).toBe('outside-solver');
    expect(await page.evaluate('window.__noReload')).toBe(1);
    // Both accepted allocations are marked with who submitted them, newest first.
    const marks = await page.locator('#challenges li').allTextContents();
    expect(marks).toHaveLength(2);
    expect(marks[0]).toMatch(/^#1 .* outside-solver → /);
    expect(marks[1]).toMatch(/^#0 .* node → /);

    // The winning bundles' cells: every winner's rollups in a coloured cell, the rest self-sequencing.
    const winners = best.winners.map((id) => instance.bids.find((x) => x.id === id)?.bundle ?? []);
    const cells = (await page.evaluate('window.bundleAuctionDashboard.cells()')) as { rollup: string; x: number; y: number; s: number; self: boolean }[];
    const covered = new Set(winners.flat());
    expect(cells.map((c) => c.rollup).sort()).toEqual(['op-1', 'op-2', 'op-3', 'zk-1']);
    for (const c of cells) expect(c.self).toBe(!covered.has(c.rollup));
    const listed = await page.$$eval('#bundles li', (els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset['bundle']));
    expect([...listed].sort()).toEqual(winners.map((w) => [...w].sort().join(',')).sort());
    // Hover shows the rollup's reserve and its bundle's amount.
    const cell = cells.find((c) => !c.self) as (typeof cells)[number];
    await page.locator('#allocation').hover({ position: { x: cell.x + cell.s / 2, y: cell.y + cell.s / 2 } });
    const tip = await text(page, '#tip');
    const reserve = config.rollups.find((r) => r.id === cell.rollup)?.reserve.toString() ?? '';
    expect(tip).toContain(`rollup ${cell.rollup}`);
    expect(tip).toContain(`reserve ${group(reserve)}`);
    expect(tip).toMatch(/amount [\d,]+/);

    // The window has moved on to the slots opened since: the timeline and schedule follow.
    await expect.poll(() => page.evaluate('window.bundleAuctionDashboard.state().slots'), { timeout: 5000 }).toBe(9);
    await page.screenshot({ path: join(OUT, 'dashboard-desktop.png'), fullPage: true });

    // Final: the result, without a reload either.
    clock.set(times.finalAt);
    await node.market.tick();
    await until(page, '#phase', 'final');
    expect(await page.evaluate('window.__noReload')).toBe(1);
    await expect.poll(async () => (await text(page, '#allocation-summary')).slice(0, 6), { timeout: 5000 }).toBe('result');
    await page.setViewportSize({ width: 390, height: 900 });
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, 'dashboard-narrow.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe.skipIf(browserOptOut())('simulation report in chromium', () => {
  it('report.html opens from disk: every mechanism side by side, exact totals, schedules, no console errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ba-report-'));
    try {
      const run = spawnSync(process.execPath, ['dist/cli.js', 'simulate', '--slots', '12', '--rollups', '8', '--seed', '3', '--out', dir], { encoding: 'utf8', timeout: 120_000 });
      expect(run.status, run.stderr).toBe(0);
      const sim = JSON.parse(readFileSync(join(dir, 'simulation.json'), 'utf8')) as { mechanisms: { mechanism: string; revenue: string }[] };
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/); // self-contained

      const { page, errors } = await open(pathToFileURL(join(dir, 'report.html')).href);
      await page.waitForSelector('body[data-ready="1"]', { timeout: 15_000 });
      const rows = await page.locator('#summary tr[data-mechanism]').all();
      expect(rows).toHaveLength(4);
      for (const [i, m] of sim.mechanisms.entries()) {
        const cells = await (rows[i] as (typeof rows)[number]).locator('td').allTextContents();
        expect(cells[0]).toBe(m.mechanism);
        expect(cells[1]).toBe(group(m.revenue));
      }
      // Revenue, shill, participation and price charts (uPlot), and each mechanism's proposer schedule.
      expect(await page.locator('.uplot').count()).toBe(4);
      expect(await page.locator('.uplot').first().locator('.u-legend .u-series').count()).toBe(5); // x + 4 mechanisms
      const grids = page.locator('#schedules canvas');
      expect(await grids.evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset['mechanism']))).toEqual(sim.mechanisms.map((m) => m.mechanism));
      await grids.first().hover({ position: { x: 3, y: 3 } });
      expect(await text(page, '#tip')).toMatch(/^isolated, slot 0, rollup \S+\n(self-sequenced|proposer \S+)$/);
      await page.screenshot({ path: join(OUT, 'report-desktop.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 900 });
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(OUT, 'report-narrow.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
