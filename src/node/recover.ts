/**
 * Signer recovery from a 65-byte secp256k1 signature over a 32-byte digest. The fast path is
 * native libsecp256k1 (`secp256k1` npm package, ≈0.1–0.3 ms); viem's pure-JS `recoverAddress`
 * (≈4 ms here) is the reference the tests cross-check it against.
 */
import secp256k1 from 'secp256k1';
import { keccak256, recoverAddress, type Hex } from 'viem';
import type { Address } from './config.js';

const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;
const DIGEST = /^0x[0-9a-fA-F]{64}$/;

/**
 * The lower-case address that signed `digest`, or null when the signature is malformed or
 * recovers no key (a bad `v`, r or s out of range). `v` may be 27/28 or 0/1.
 */
export function recoverSigner(digest: Hex, signature: string): Address | null {
  if (!SIGNATURE.test(signature) || !DIGEST.test(digest)) return null;
  const sig = Buffer.from(signature.slice(2), 'hex');
  const v = sig[64] as number;
  const recid = v >= 27 ? v - 27 : v;
  if (recid !== 0 && recid !== 1) return null;
  try {
    const pub = secp256k1.ecdsaRecover(sig.subarray(0, 64), recid, Buffer.from(digest.slice(2), 'hex'), false);
    return `0x${keccak256(pub.subarray(1)).slice(-40)}` as Address;
  } catch {
    return null;
  }
}

/** viem's pure-JS recovery, lower-cased (the reference for {@link recoverSigner}); null on failure. */
export async function referenceRecover(digest: Hex, signature: Hex): Promise<Address | null> {
  try {
    return (await recoverAddress({ hash: digest, signature })).toLowerCase() as Address;
  } catch {
    return null;
  }
}
