/** Shared fixtures of the node tests: fixed test keys and a config builder. */
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';

/** A fixed test key: 0x followed by 32 bytes of `n` (n from 1 to 255). */
export function testKey(n: number): `0x${string}` {
  return `0x${n.toString(16).padStart(2, '0').repeat(32)}`;
}

/** The account of {@link testKey}(n). */
export function testAccount(n: number): PrivateKeyAccount {
  return privateKeyToAccount(testKey(n));
}

export const NODE_KEY = testKey(0x42);
export const OPERATOR = testAccount(0x43);
export const ROLLUP_KEYS = [testAccount(0x51), testAccount(0x52), testAccount(0x53), testAccount(0x54)];
export const BUILDERS = [testAccount(0x61), testAccount(0x62), testAccount(0x63), testAccount(0x64), testAccount(0x65)];

/** A config object (before JSON) for `mode`, slot 0 opening at genesisMs − leadMs. */
export function configObject(mode: 'auction' | 'lottery', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    market: 'bundle-auction-test',
    chainId: 31337,
    mode,
    genesisMs: 1_000_000,
    slotMs: 12_000,
    leadMs: 60_000,
    closeMs: 8_000,
    finalMs: 2_000,
    rollups: ['op-1', 'op-2', 'op-3', 'zk-1'].map((id, i) => ({ id, signer: (ROLLUP_KEYS[i] as PrivateKeyAccount).address, reserve: String(1000 * (i + 1)), optIn: true })),
    maxBidsPerBidderPerSlot: 8,
    burnBps: 0,
    payoutRule: 'standalone',
    ...(mode === 'lottery' ? { lottery: { price: '100', cap: 32 } } : {}),
    operator: OPERATOR.address,
    nodeKey: NODE_KEY,
    ...overrides,
  };
}
