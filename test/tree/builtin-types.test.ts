// `-I` a real UAPI tree (the system's /usr/include by default: tree.ts) works for every header that works with the
// generator's built-in types: each linux/*.h of the tree that loads with no -I (its linux/types.h and linux/ioctl.h
// the built-in ones) loads with -I the tree too, to the same model: every record's size, alignment and fields'
// offsets and sizes, bit-fields, enumerators, constants and ioctl numbers. Only the C spelling of a type may differ
// (the kernel's `__aligned_u64` is a macro for `__u64 __attribute__((aligned(8)))`, so a field declared with it is
// spelled `__u64` after preprocessing). The -I model is the one the tree conformance checks against gcc.
// `npm test` checks the sample; `npm run test:tree` every header.
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../generator/src/load.js';
import { modelJson } from '../../generator/src/model/json.js';
import { findTree, headersToCheck } from './tree.js';

const tree = findTree();

/** A model's layouts and values, without the C spelling of each type (`type` strings) and source lines. */
function facts(header: string, includeDirs: readonly string[]): string {
  const json = modelJson(loadModel(header, { includeDirs, systemIncludes: includeDirs.length > 0 }));
  const { records, enums, constants, ioctls } = json;
  return JSON.stringify({ records, enums, constants, ioctls }, (k, v: unknown) => ((k === 'type' && typeof v === 'string') || k === 'line' ? undefined : v), 1);
}

describe.skipIf(tree === null)(`-I ${tree?.root ?? 'no tree'} works for every header that works with the built-in types`, () => {
  if (tree === null) return;
  let builtin = 0;

  for (const header of headersToCheck(tree)) {
    it(`${header}: the same model with -I the tree as with the built-in types`, () => {
      const file = join(tree.root, header);
      let alone: string;
      try {
        alone = facts(file, []);
      } catch {
        return; // it includes a header that only the tree has: out of scope
      }
      builtin++;
      expect(facts(file, tree.includeDirs), `${basename(header)} with -I ${tree.root}`).toBe(alone);
    });
  }

  it('found headers that load with the built-in types', () => {
    expect(builtin).toBeGreaterThan(0);
  });
});
