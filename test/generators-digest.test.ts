/**
 * Byte-for-byte pins of the dense samplers (issue 9 item 6): up to 2,048 rollups every family
 * generates exactly the instances earlier releases did (users reproduce instances by seed). The
 * digests are sha256 of `instanceToJson`, computed from main (1971c58) before the generators
 * were sped up; a change of any bid, amount, bundle order or id changes them.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { instanceToJson } from '../src/formats/json.js';
import { generateInstance, type GeneratorFamily } from '../src/generators/index.js';

/** family, rollups, bids, seed, sha256 of the canonical JSON (from main 1971c58). */
const PINNED: readonly (readonly [GeneratorFamily, number, number, number, string])[] = [
  ['arbitrary', 1, 3, 0, 'c693fba8eabb6a76602b346cc74d6dd2c8370230abc94f50b7dbf3345b813907'],
  ['arbitrary', 12, 40, 3, '86fac601db427744f12fc3849c2fdee1d6ec769a80d599d04199b70cfdf93fe0'],
  ['arbitrary', 200, 600, 1, '81b012fed1cae46702be21e5ba2f2eef1d7f95e830d7d1e55e1df01bc8e08e48'],
  ['arbitrary', 2048, 300, 7, 'df215f6aa1bd94a8a1e4dd21c5370fe0932f6871e65ae6c99188bb159646b721'],
  ['bidder-interest', 5, 9, 2, 'e3fd7f52f3f3c3df14f762a909165c7721fac4bcb04af81fcba484d9eb9e1d9c'],
  ['bidder-interest', 200, 600, 1, '704a5838c160c209c33adb3dbfc299184dfded06071a5efa560b52ac972330c1'],
  ['bidder-interest', 2048, 300, 7, 'cd3047842e5dd2b6489e2a2605139b0fd5960dff88b354eae7ca7289c6956add'],
  ['regions', 1, 2, 0, 'b16af781a56a4a4935275ff91a96c0d656079514ce3bb79f9c00ce20e76436f2'],
  ['regions', 30, 80, 5, '145918701a574615a988230247dfd7d8aee6134ddc2b5923a6416fd10f04f6df'],
  ['regions', 200, 600, 1, '25e2697908df57ff4c16d2ad71ab9a543c476ebb36a421f7ad8c3b28c8ebb101'],
  ['regions', 2048, 300, 7, '3570e5b7d16347e34c2a25c5b09aa0ba67906f6d987aee277369a2eb93853bdc'],
  ['paths', 1, 2, 0, 'e53fa89b817c89435e1f313f1d300e359fbe510bbdc1a1156f6bb1b019ef892d'],
  ['paths', 3, 10, 4, '8efbfdddf40c1e60e5521ab861ba06e06b76119c9eafb90ca50104ca34fb8fe3'],
  ['paths', 200, 600, 1, 'dc7f270b1f904b704534653dac342b599f5e696f7ee3f295bddc27730fc70545'],
  ['paths', 2048, 300, 7, '8f5e5856db27cb37a20020d266785d85e3eab6b7ad256408131c6b441ae5e4ea'],
  ['decay', 200, 600, 1, 'f647ff0bf8c3e14ba3bc5a3ce0f6a2b375419b24bef145fac6d99e9f3acbdfef'],
  ['uniform', 200, 600, 1, '215b6cec5b330b41f54586c47399c58e0aaa7c89ee3fbbebc123285a05b2c01c'],
  ['random', 50, 100, 1, 'c2c42133290be090dce8207ac94309fb468ef6e7a1364853992d6ba00fb3a3c8'],
  ['weighted-random', 50, 100, 1, 'bca8b65e15a6ea6edde73398b9cf7ef2a8edd7b78efb16ddc2b9a7bc664c943e'],
  ['matching', 200, 600, 1, '59fb1b65ed49c08c63ac918a8c2349ec3651aeadb5a61426c592624593b81704'],
  ['scheduling', 200, 600, 1, '98f76893b19690f616fd9821a25cfc643b49a9959ffb7896ea573713400d6081'],
  ['rollup-market', 200, 600, 1, '80447b9e3048ba0458c4ac1d1453b03486bdb4a7094d9af46365e336cdcc2579'],
];

describe('generated instances up to 2,048 rollups are byte for byte those of earlier releases', () => {
  for (const [family, rollups, bids, seed, digest] of PINNED) {
    it(`${family} ${rollups} × ${bids}, seed ${seed}`, () => {
      const text = instanceToJson(generateInstance(family, { rollups, bids, seed }));
      expect(createHash('sha256').update(text).digest('hex')).toBe(digest);
    });
  }
});
