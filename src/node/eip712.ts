/**
 * EIP-712 typed data of the market (DESIGN.md §7): the domain `{ name: market, version: "1",
 * chainId }` and the `Bid`, `Ticket`, `ReserveUpdate`, `Beacon` and `Result` structs. Digests
 * come from viem: {@link typedDigest} composes viem's `hashDomain` (cached per domain) and
 * `hashStruct`, and equals `hashTypedData` byte for byte (tested), without re-hashing the
 * domain for every bid.
 */
import { concat, hashDomain, hashStruct, hashTypedData, keccak256, type Hex, type TypedDataDefinition } from 'viem';

/** The market's signature domain. */
export interface MarketDomain {
  readonly name: string;
  readonly version: '1';
  readonly chainId: number;
}

/** The domain of a market name and chain id. */
export function marketDomain(market: string, chainId: number): MarketDomain {
  return { name: market, version: '1', chainId };
}

/** The EIP-712 types of the market, exactly as in DESIGN.md §7. */
export const MARKET_TYPES = {
  Bid: [
    { name: 'slot', type: 'uint64' },
    { name: 'bundle', type: 'string[]' },
    { name: 'amount', type: 'uint256' },
    { name: 'exclusive', type: 'string' },
    { name: 'nonce', type: 'uint64' },
  ],
  Ticket: [
    { name: 'slot', type: 'uint64' },
    { name: 'bundle', type: 'string[]' },
    { name: 'amount', type: 'uint256' },
    { name: 'nonce', type: 'uint64' },
  ],
  ReserveUpdate: [
    { name: 'rollup', type: 'string' },
    { name: 'fromSlot', type: 'uint64' },
    { name: 'reserve', type: 'uint256' },
    { name: 'optIn', type: 'bool' },
    { name: 'nonce', type: 'uint64' },
  ],
  Beacon: [
    { name: 'slot', type: 'uint64' },
    { name: 'value', type: 'bytes32' },
  ],
  Result: [
    { name: 'slot', type: 'uint64' },
    { name: 'digest', type: 'bytes32' },
  ],
} as const;

/** Names of the market's structs. */
export type MarketStruct = keyof typeof MARKET_TYPES;

/** A bid as signed (amounts and counters as bigint). */
export interface BidMessage {
  readonly slot: bigint;
  readonly bundle: readonly string[];
  readonly amount: bigint;
  /** `""` means no exclusive group. */
  readonly exclusive: string;
  readonly nonce: bigint;
}

/** A lottery ticket as signed. */
export interface TicketMessage {
  readonly slot: bigint;
  readonly bundle: readonly string[];
  readonly amount: bigint;
  readonly nonce: bigint;
}

/** A rollup's reserve/opt-in update as signed. */
export interface ReserveUpdateMessage {
  readonly rollup: string;
  readonly fromSlot: bigint;
  readonly reserve: bigint;
  readonly optIn: boolean;
  readonly nonce: bigint;
}

/** The operator's beacon value for a slot. */
export interface BeaconMessage {
  readonly slot: bigint;
  readonly value: Hex;
}

/** The node's signed commitment to a slot's result. */
export interface ResultMessage {
  readonly slot: bigint;
  readonly digest: Hex;
}

/** Message type of each struct. */
export interface MarketMessages {
  Bid: BidMessage;
  Ticket: TicketMessage;
  ReserveUpdate: ReserveUpdateMessage;
  Beacon: BeaconMessage;
  Result: ResultMessage;
}

/** The full typed-data object of a message, as viem's `signTypedData` and `hashTypedData` take it. */
export function typedData<K extends MarketStruct>(domain: MarketDomain, primaryType: K, message: MarketMessages[K]): TypedDataDefinition<typeof MARKET_TYPES, K> {
  return { domain, types: MARKET_TYPES, primaryType, message } as unknown as TypedDataDefinition<typeof MARKET_TYPES, K>;
}

const EIP712_DOMAIN = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
] as const;

const separators = new Map<string, Hex>();

/** The domain separator (viem `hashDomain`), cached per domain. */
export function domainSeparator(domain: MarketDomain): Hex {
  const key = `${domain.chainId}\u0000${domain.name}`;
  let sep = separators.get(key);
  if (sep === undefined) {
    sep = hashDomain({ domain, types: { EIP712Domain: EIP712_DOMAIN, ...MARKET_TYPES } } as unknown as Parameters<typeof hashDomain>[0]);
    separators.set(key, sep);
  }
  return sep;
}

/** The EIP-712 digest of a message: keccak256(0x1901 ‖ domainSeparator ‖ hashStruct). Equals viem's `hashTypedData`. */
export function typedDigest<K extends MarketStruct>(domain: MarketDomain, primaryType: K, message: MarketMessages[K]): Hex {
  const struct = hashStruct({ data: message, primaryType, types: MARKET_TYPES } as unknown as Parameters<typeof hashStruct>[0]);
  return keccak256(concat(['0x1901', domainSeparator(domain), struct]));
}

/** viem's own `hashTypedData` of a message: the reference {@link typedDigest} is checked against. */
export function referenceDigest<K extends MarketStruct>(domain: MarketDomain, primaryType: K, message: MarketMessages[K]): Hex {
  return hashTypedData(typedData(domain, primaryType, message));
}
