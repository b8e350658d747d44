/** Error and output messages that tell the truth: quoted as written, accepted forms, real bounds. */
import { availableParallelism } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { count, formatEth, formatEthColumn } from '../src/cli/table.js';
import { parseInstanceJson } from '../src/formats/json.js';
import { parseRoundJson } from '../src/mechanism/round-json.js';
import { InputError } from '../src/model/errors.js';
import { formatAmount } from '../src/model/money.js';
import { runCli } from './support/cli.js';
import { PROPERTY_SEED } from './support/arbitraries.js';

function message(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).shortMessage;
  }
  throw new Error('expected an InputError');
}

const instanceWithAmount = (amount: string, extra = ''): string =>
  `{ ${extra}"rollups": [{ "id": "a" }], "bids": [{ "id": "b", "bundle": ["a"], "amount": ${amount} }] }`;

describe('messages', () => {
  it('quotes a JSON number amount ≥ 2^53 as written, not rounded', () => {
    for (const written of ['9007199254740993', '123456789012345678901']) {
      const text = message(() => parseInstanceJson(instanceWithAmount(written), 'i.json'));
      expect(text).toContain(`(received ${written})`);
      expect(text).toContain(`"${written}"`);
      expect(message(() => parseRoundJson(`{ "rollups": [], "tickets": [], "price": ${written}, "cap": 1 }`))).toContain(`(received ${written})`);
    }
  });

  it('names an accepted form for a fractional amount, and that form loads as the same amount', () => {
    fc.assert(fc.property(fc.nat({ max: 10 ** 6 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), (units, digits, quoted) => {
      const written = formatAmount(BigInt(units) * 10n + 1n, digits); // always has a fractional part
      const text = message(() => parseInstanceJson(instanceWithAmount(quoted ? `"${written}"` : written), 'i.json'));
      const hint = /is "([0-9]+)" with "decimals": ([0-9]+) in the instance/.exec(text);
      expect(hint).not.toBeNull();
      const fixed = parseInstanceJson(instanceWithAmount(`"${hint?.[1] ?? ''}"`, `"decimals": ${hint?.[2] ?? ''}, `));
      expect(formatAmount(fixed.bids[0]?.amount ?? -1n, fixed.decimals)).toBe(written);
    }), { seed: PROPERTY_SEED, numRuns: 50 });
  });

  it('hints at an id that differs only in case or Unicode form', () => {
    expect(message(() => parseInstanceJson('{"rollups":[{"id":"Op-1"}],"bids":[{"id":"b","bundle":["op-1"],"amount":"1"}]}')))
      .toContain('rollup ids are exact: "Op-1" differs in case or Unicode form');
    expect(message(() => parseRoundJson('{"rollups":[{"id":"é"}],"tickets":[{"id":"t","bundle":["e\\u0301"],"amount":"1"}],"price":"0","cap":1}')))
      .toContain('"é" differs in case or Unicode form');
  });

  it('--seed and --workers name their real bounds', async () => {
    const seed = await runCli('generate', '--family', 'uniform', '--rollups', '2', '--bids', '2', '--seed', '9007199254740992');
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain('expected an integer from 0 to 9007199254740991');
    const n = availableParallelism();
    const workers = await runCli('solve', 'examples/round.json', '--workers', String(n + 1));
    expect(workers.code).toBe(2);
    expect(workers.stderr).toContain(`expected an integer from 1 to ${n} (this machine's available parallelism)`);
  });

  it('table columns round so that they add up to their printed total', () => {
    fc.assert(fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 20n }), { maxLength: 12 }), fc.integer({ min: 0, max: 8 }), (wei, digits) => {
      const column = formatEthColumn(wei, digits);
      const sum = wei.reduce((s, v) => s + v, 0n);
      const printed = (t: string): bigint => BigInt(t.replace('.', ''));
      expect(column.reduce((s, t) => s + printed(t), 0n)).toBe(printed(formatEth(sum, digits)));
      // Each entry is its amount rounded down or up at the printed precision.
      const q = 10n ** BigInt(18 - digits);
      column.forEach((t, i) => expect(printed(t) - (wei[i] as bigint) / q).toBeGreaterThanOrEqual(0n));
      column.forEach((t, i) => expect(printed(t) - (wei[i] as bigint) / q).toBeLessThanOrEqual(1n));
    }), { seed: PROPERTY_SEED, numRuns: 200 });
    expect(formatEth(1_499_999_999_999n)).toBe('0.000001');
    expect(formatEth(1_500_000_000_000n)).toBe('0.000002');
    expect([count(1, 'ticket'), count(2, 'ticket'), count(0, 'bid')]).toEqual(['1 ticket', '2 tickets', '0 bids']);
  });
});
