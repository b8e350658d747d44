import { describe, expect, it } from 'vitest';
import { reportData, reportHtml } from '../src/simulation/html-report.js';
import { simulate } from '../src/simulation/run.js';

describe('simulate report.html', () => {
  it('is self-contained, deterministic byte for byte, and carries exact totals', async () => {
    const options = { slots: 5, rollups: 5, seed: 7 };
    const sim = await simulate(options);
    const html = reportHtml(sim);
    expect(reportHtml(await simulate(options))).toBe(html);
    // Nothing fetched: no external script, stylesheet or URL besides the empty icon.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|(src|href)="https?:/);
    expect(html.match(/<script>/g)).toHaveLength(3);
    const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(json).not.toContain('<');
    const data = JSON.parse(json) as ReturnType<typeof reportData> & { mechanisms: { mechanism: string; revenue: string[]; summary: { revenue: string } }[] };
    expect(data).toEqual(JSON.parse(JSON.stringify(reportData(sim))));
    expect(data.mechanisms.map((m) => m.mechanism)).toEqual(sim.params.mechanisms);
    for (const m of data.mechanisms) {
      const s = sim.summaries.find((x) => x.mechanism === m.mechanism);
      // Per-slot revenues add up exactly to the summary's revenue.
      expect(m.revenue.reduce((a, x) => a + BigInt(x), 0n)).toBe(s?.revenue);
      expect(m.summary.revenue).toBe(s?.revenue.toString());
    }
  });
});
