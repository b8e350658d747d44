/**
 * Sweep presets. `claims` reproduces every claim README.md and BENCHMARKS.md make about the
 * simulation (revenue against the strawman and isolated sequencing, rollups above their isolated
 * income, shill gain per payout rule at 1.5×, 3× and 10×, with and without a burn, the lottery's
 * one-for-one revenue); `payout` chooses the payout rule; `lottery` compares the ticket models;
 * `shading` measures bid shading under each payment rule; `market` varies builders and refusers;
 * `frequency` runs the lottery once every 1–16 slots (the talk's "how often should you run the
 * lottery?") over 48 slots, with both ticket models.
 */
import type { SweepSpec } from './sweep.js';

const SLOTS = 20;

/** The presets by name. */
export const SWEEP_PRESETS: Readonly<Record<string, SweepSpec>> = {
  claims: {
    base: { slots: SLOTS },
    seeds: 10,
    axes: [
      { axis: 'payout', values: ['standalone', 'reserve', 'equal', 'committed'] },
      { axis: 'shill', values: [15_000, 30_000, 100_000] },
      { axis: 'burn', values: [0, 1_000] },
    ],
  },
  payout: {
    base: { slots: SLOTS, mechanisms: ['isolated', 'auction', 'lottery'], ticketModel: 'marginal' },
    seeds: 10,
    axes: [
      { axis: 'payout', values: ['committed', 'standalone', 'reserve', 'equal', 'shapley'] },
      { axis: 'shill', values: [15_000, 30_000, 100_000] },
    ],
  },
  lottery: {
    base: { slots: SLOTS, mechanisms: ['isolated', 'auction', 'lottery'] },
    seeds: 10,
    axes: [
      { axis: 'tickets', values: ['bids', 'marginal'] },
      { axis: 'cap', values: [8, 16, 64] },
    ],
  },
  shading: {
    base: { slots: SLOTS, mechanisms: ['auction'] },
    seeds: 10,
    axes: [
      { axis: 'payment', values: ['pay-as-bid', 'vcg', 'core'] },
      { axis: 'shade', values: [10_000, 9_000, 8_000, 7_000, 6_000] },
    ],
  },
  frequency: {
    base: { slots: 48, mechanisms: ['isolated', 'auction', 'lottery'] },
    seeds: 16,
    axes: [
      { axis: 'tickets', values: ['marginal', 'bids'] },
      { axis: 'window', values: [1, 2, 4, 8, 16] },
    ],
  },
  market: {
    base: { slots: SLOTS, mechanisms: ['isolated', 'auction', 'lottery'], ticketModel: 'marginal' },
    seeds: 10,
    axes: [
      { axis: 'builders', values: [4, 8, 16] },
      { axis: 'refusers', values: [0, 5_000, 10_000] },
    ],
  },
};
