// Conformance over a whole UAPI tree (tree.ts): every header of the tree that gcc compiles on its own either is
// modelled exactly (every record size/align, field offset/size, bit-field, enumerator, integer #define and ioctl
// number as gcc has it: the layout conformance's own facts, cprogram.ts) or stops at a located error naming what
// cannot be modelled. libc's headers that a UAPI header includes (<sys/time.h>) are read from the system, as gcc
// reads them (--system-includes). `npm test` checks a fixed sample; `npm run test:tree` (UAPI_TS_TREE_ALL=1) every header.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeaderError, HeaderErrors } from '../../generator/src/diagnostics.js';
import { loadModel } from '../../generator/src/load.js';
import { modelJson } from '../../generator/src/model/json.js';
import { checkModelWithGcc, formatMismatches, type ModelJsonLike } from '../conformance/cprogram.js';
import { findTree, gccCompiles, SAMPLE } from './tree.js';

const tree = findTree();
const all = process.env.UAPI_TS_TREE_ALL === '1';

describe.skipIf(tree === null)(`tree conformance (${all ? 'every header' : 'sample'} of ${tree?.root ?? 'no tree'})`, () => {
  if (tree === null) return;
  const headers = all ? tree.headers : SAMPLE.filter((h) => tree.headers.includes(h));
  const located: string[] = [];

  for (const header of headers) {
    it(`${header}: modelled exactly as gcc lays it out${all ? ', or a located error' : ''}`, () => {
      if (!gccCompiles(tree, header)) {
        expect(all, `${header} of the sample does not compile with gcc alone`).toBe(true);
        return;
      }
      let json: ModelJsonLike;
      try {
        json = modelJson(loadModel(`${tree.root}/${header}`, { includeDirs: tree.includeDirs, systemIncludes: true })) as ModelJsonLike;
      } catch (e) {
        // A located error is an answer (the construct is named); in the sample, every header must be modelled.
        if (all && (e instanceof HeaderError || e instanceof HeaderErrors)) {
          located.push(`${header}: ${e.message.split('\n')[0]}`);
          return;
        }
        throw e;
      }
      // The ioctl macros need <linux/ioctl.h>, which a header may leave to its user (dm-ioctl.h): included first, as a program would.
      const result = checkModelWithGcc(json, [`${tree.root}/linux/ioctl.h`, `${tree.root}/${header}`], {
        includeDirs: tree.includeDirs,
        name: `tree-${basename(header, '.h')}`,
        headersFirst: true,
      });
      if (result.mismatches.length > 0) {
        expect.fail(`${header}: ${result.mismatches.length} of ${result.checked} facts differ from gcc (${result.cFile}):\n${formatMismatches(result.mismatches)}`);
      }
      expect(result.lines, `lines printed by ${result.cFile}`).toBe(result.checked);
    });
  }

  it.runIf(all)('reports the headers stopped by a located error', () => {
    console.log(`tree conformance: ${located.length} of ${headers.length} headers stop at a located error\n${located.join('\n')}`);
    expect(located.length).toBeLessThan(headers.length);
  });
});

it.runIf(tree === null)('tree conformance skipped: no UAPI tree (set UAPI_TS_TREE, or install linux-libc-dev)', () => {});
