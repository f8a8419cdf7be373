// Tree conformance on every other ABI (tree.ts, cross.ts): the sample of test/tree/conformance.test.ts, laid out
// for each target and checked against its cross-compiler in one compile per target (the headers together, each
// model's facts under its header's name), with the target's tree: $UAPI_TS_TREE when it holds the target's asm/
// (a Debian usr/include of every arch), else the cross-compiler's own. `npm run test:tree` (UAPI_TS_TREE_ALL=1)
// checks every header of each tree on its own: modelled exactly, or a located error.
import { describe, expect, it } from 'vitest';
import { HeaderError, HeaderErrors } from '../../generator/src/diagnostics.js';
import { loadModel } from '../../generator/src/load.js';
import { modelJson } from '../../generator/src/model/json.js';
import { TARGETS, type Target } from '../../generator/src/model/target.js';
import { formatMismatches, type ConformanceResult, type ModelJsonLike } from '../conformance/cprogram.js';
import { checkModelsOnTarget, crossPackage, hasCrossCompiler, limited } from '../conformance/cross.js';
import { crossCompiles, findTargetTree, SAMPLE, type Tree } from './tree.js';

const all = process.env.UAPI_TS_TREE_ALL === '1';
const limit = limited(2);

function model(tree: Tree, header: string, target: Target): ModelJsonLike {
  return modelJson(loadModel(`${tree.root}/${header}`, { includeDirs: [tree.root], systemIncludes: true, target })) as ModelJsonLike;
}

/** The sample's headers in one compile (linux/ioctl.h first: a header may leave it to its user). */
function checkSample(tree: Tree, headers: readonly string[], target: Target): Promise<ConformanceResult> {
  return limit(() => {
    const models = headers.map((h) => ({ model: model(tree, h, target), prefix: `${h}: ` }));
    const files = [`${tree.root}/linux/ioctl.h`, ...headers.map((h) => `${tree.root}/${h}`)];
    return checkModelsOnTarget(models, files, target, { includeDirs: tree.includeDirs, name: 'tree-sample', headersFirst: true });
  });
}

/** One header on its own: a result, why it is not checked (gcc refuses it), or the model's located error. */
function checkOne(tree: Tree, header: string, target: Target): Promise<ConformanceResult | string> {
  return limit(async () => {
    if (!(await crossCompiles(tree, header, target))) return `${target.triplet}-gcc does not compile it alone`;
    let json: ModelJsonLike;
    try {
      json = model(tree, header, target);
    } catch (e) {
      if (e instanceof HeaderError || e instanceof HeaderErrors) return `located error: ${e.message.split('\n')[0]}`;
      throw e;
    }
    const files = [`${tree.root}/linux/ioctl.h`, `${tree.root}/${header}`];
    return checkModelsOnTarget([{ model: json, prefix: '' }], files, target, { includeDirs: tree.includeDirs, name: header.replace(/\W/g, '_'), headersFirst: true });
  });
}

function expectExact(result: ConformanceResult, what: string): void {
  if (result.mismatches.length > 0) {
    expect.fail(`${what}: ${result.mismatches.length} of ${result.checked} facts differ (${result.cFile}):\n${formatMismatches(result.mismatches)}`);
  }
  expect(result.lines, `facts read from ${result.cFile}`).toBe(result.checked);
}

// UAPI_TS_TARGETS=s390x,i386 checks only those.
const only = process.env.UAPI_TS_TARGETS?.split(',');

for (const target of TARGETS.filter((t) => t.name !== 'x86_64' && (!only || only.includes(t.name)))) {
  const tree = hasCrossCompiler(target) ? findTargetTree(target) : null;
  if (tree === null) {
    it.skip(`tree conformance on ${target.name} skipped: no ${target.triplet}-gcc and its tree (Debian package ${crossPackage(target)})`, () => {});
    continue;
  }
  describe(`tree conformance on ${target.name} (${all ? 'every header' : 'sample'} of ${tree.root})`, () => {
    if (!all) {
      const headers = SAMPLE.filter((h) => tree.headers.includes(h));
      const job = checkSample(tree, headers, target);
      job.catch(() => {});
      it(`the sample (${headers.length} headers) is modelled exactly as ${target.triplet}-gcc lays it out`, async () => {
        const result = await job;
        console.log(`tree conformance ${target.name}: ${result.checked - result.mismatches.length} of ${result.checked} facts match over ${headers.length} headers`);
        expectExact(result, `the sample on ${target.name}`);
      }, 300_000);
      return;
    }
    const located: string[] = [];
    let checked = 0;
    let facts = 0;
    for (const header of tree.headers) {
      const job = checkOne(tree, header, target);
      job.catch(() => {});
      it(`${header}: modelled exactly on ${target.name}, or a located error`, async () => {
        const result = await job;
        if (typeof result === 'string') {
          if (result.startsWith('located')) located.push(`${header}: ${result}`);
          return;
        }
        checked++;
        facts += result.checked;
        expectExact(result, `${header} on ${target.name}`);
      }, 300_000);
    }
    it('reports the headers checked and those stopped by a located error', () => {
      console.log(`tree conformance ${target.name}: ${checked} headers exact (${facts} facts), ${located.length} stop at a located error\n${located.join('\n')}`);
      expect(checked).toBeGreaterThan(0);
    });
  });
}
