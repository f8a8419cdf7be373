// The layouts a package carries for its other targets, byte for byte against each target's cross-compiler: for
// every package generated for several targets (and the golden widget), every target that has a Debian
// cross-compiler, and every named record and case (bytes-cprogram.ts plans them as the x86-64 test does), gcc
// initializes a static object of the record (compiled only: nothing of the target runs here) and the objects'
// bytes are read back with the target's objcopy. The codec module of the group the package puts the target in must
// encode the case's init to those bytes and decode every assigned value back from them. This checks both the
// codecs of each layout (byte order, sizes, offsets, bit-fields) and the grouping (a target that shares a layout
// with another must really lay the header out the same way). Every value is given and expected as the type the
// package declares (its first layout's): a field that is 64-bit on some target is a bigint on every target, read
// and written from 4 bytes on i386 and arm, and a decoded value of another JS type is a failure.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGE_TARGETS, readConfig, type PackageConfig } from '../../generator/src/config.js';
import { loadModel } from '../../generator/src/load.js';
import { planPackage } from '../../generator/src/plan/plan.js';
import type { Target } from '../../generator/src/model/target.js';
import { cValue, getPath, hex, planRecord, show, type RecordPlan, type ValuedLeaf } from './bytes-cprogram.js';
import { hasCrossCompiler, objectsOf } from '../lib/cross-object.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

interface Codec {
  readonly size: number;
  encode(value: unknown): Uint8Array;
  decode(from: Uint8Array): unknown;
}

/** The C value of a leaf as stored on `target`: a `__le*`/`__be*` leaf of the other byte order swapped. */
function targetValue(l: ValuedLeaf, target: Target): string {
  const swap = l.type.endian !== 'native' && l.type.endian !== target.endian;
  return cValue({ ...l, type: { ...l.type, endian: swap ? 'big' : 'native' } });
}

/**
 * The plan's cases for a target whose pointers are 4 bytes: bytes-cprogram plans a pointer leaf as x86-64's 8-byte
 * value; here its value is its low 32 bits, a number, in the leaf and in the case's init.
 */
function narrowPointers(plan: RecordPlan, target: Target): RecordPlan {
  if (target.longSize === 8) return plan;
  const cases = plan.cases.map((c) => {
    const init = structuredClone(c.init) as Record<string, unknown>;
    const leaves = c.leaves.map((l) => {
      if (!l.type.pointer) return l;
      const value = Number(BigInt.asUintN(32, BigInt(l.value as bigint)));
      const parent = getPath(init, l.path.slice(0, -1)) as Record<string | number, unknown>;
      if (!l.reserved) parent[l.path.at(-1)!] = value;
      return { ...l, value, type: { ...l.type, size: 4 } };
    });
    return { ...c, init, leaves };
  });
  return { ...plan, cases };
}

/** The JS type the package declares for each leaf of each case (`<case id>|<leaf>`): its first layout's. */
function declaredTypes(plans: readonly RecordPlan[]): Map<string, string> {
  const types = new Map<string, string>();
  for (const p of plans) for (const c of p.cases) for (const l of c.leaves) types.set(`${c.id}|${l.display}`, typeof l.value);
  return types;
}

/**
 * A target's cases with each value as the type the package declares: a 4-byte leaf declared a bigint (a `long`, a
 * pointer, a `size_t` of a 32-bit ABI) is given and expected as a bigint.
 */
function asDeclared(plan: RecordPlan, declared: ReadonlyMap<string, string>): RecordPlan {
  const cases = plan.cases.map((c) => {
    const init = structuredClone(c.init) as Record<string, unknown>;
    const leaves = c.leaves.map((l) => {
      if (declared.get(`${c.id}|${l.display}`) !== 'bigint' || typeof l.value !== 'number') return l;
      const value = BigInt(l.value);
      const parent = getPath(init, l.path.slice(0, -1)) as Record<string | number, unknown>;
      if (!l.reserved) parent[l.path.at(-1)!] = value;
      return { ...l, value };
    });
    return { ...c, init, leaves };
  });
  return { ...plan, cases };
}

/** One compile-only C file: every case a static object initialized with designators, in a section of its own. */
function casesSource(header: string, plans: readonly RecordPlan[], target: Target): { source: string; symbols: Map<string, string> } {
  const symbols = new Map<string, string>();
  const lines = ['#include <stddef.h>', '#include <stdint.h>', `#include ${JSON.stringify(header)}`, ''];
  for (const p of plans) {
    for (const c of p.cases) {
      const symbol = `uapi_case_${symbols.size}`;
      symbols.set(c.id, symbol);
      const inits = c.leaves.filter((l) => !l.reserved).map((l) => `  ${l.c} = ${targetValue(l, target)},`);
      lines.push(`PROBE ${p.cType} ${symbol} = {`, ...inits, '};');
    }
  }
  return { source: lines.join('\n') + '\n', symbols };
}

/** The golden fixtures generated for every default target (test/golden/golden.test.ts). */
const goldens: PackageConfig[] = ['widget', 'wordsize'].map((name) => ({
  name: `@golden/${name}`, header: `test/golden/fixtures/${name}.h`, includeDirs: [], out: `test/golden/expected/${name}`, version: '1.0.0', kernel: null,
}));
const packages = [...readConfig(join(ROOT, 'uapi-ts.config.json')), ...goldens].filter((p) => (p.targets ?? PACKAGE_TARGETS).length > 1);
const missing = PACKAGE_TARGETS.filter((t) => !hasCrossCompiler(t.triplet));
if (missing.length) console.warn(`bytes-targets: no cross-compiler for ${missing.map((t) => t.triplet).join(', ')} (Debian: gcc-<triplet>): skipped`);

describe('the layouts of every target, byte for byte with its cross-compiler', () => {
  for (const pkg of packages) {
    const short = pkg.name.replace(/^@[^/]+\//, '');
    describe(short, () => {
      const plan = planPackage({ ...pkg, header: join(ROOT, pkg.header), includeDirs: pkg.includeDirs.map((d) => join(ROOT, d)), profile: pkg.profile && join(ROOT, pkg.profile) });
      const declared = declaredTypes(plan.layouts[0]!.model.records.filter((r) => r.name !== null).map((r) => planRecord(r)));
      plan.layouts.forEach((group, index) => {
        const folder = index === 0 ? join(ROOT, pkg.out, 'src') : join(ROOT, pkg.out, 'src', 'abi', group.name);
        for (const target of group.targets) {
          it.skipIf(missing.includes(target))(`${target.name}: every record of the ${group.name} layout encodes to gcc's bytes and decodes back`, async () => {
            const model = target === group.targets[0] ? group.model : loadModel(join(ROOT, pkg.header), { includeDirs: pkg.includeDirs.map((d) => join(ROOT, d)), target });
            const plans = model.records.filter((r) => r.name !== null).map((r) => asDeclared(narrowPointers(planRecord(r), target), declared));
            const { source, symbols } = casesSource(join(ROOT, pkg.header), plans, target);
            const bytes = objectsOf(target.triplet, source, pkg.includeDirs.map((d) => join(ROOT, d)));
            const mod = (await import(join(folder, existsSync(join(folder, 'layout.ts')) ? 'layout.js' : 'index.js'))) as Record<string, unknown>;
            const problems: string[] = [];
            let cases = 0;
            for (const p of plans) {
              const codec = mod[p.tsName] as Codec | undefined;
              if (!codec) {
                problems.push(`${p.cType}: no export ${p.tsName}`);
                continue;
              }
              for (const c of p.cases) {
                const gcc = bytes.get(symbols.get(c.id)!);
                if (!gcc) {
                  problems.push(`${c.id}: no bytes from gcc`);
                  continue;
                }
                cases++;
                const enc = codec.encode(c.init);
                if (hex(enc) !== hex(gcc)) problems.push(`${c.id}: encode differs\n    ts  ${hex(enc)}\n    gcc ${hex(gcc)}`);
                const dec = codec.decode(gcc);
                for (const l of c.leaves) {
                  if (l.reserved) continue;
                  const got = getPath(dec, l.path);
                  const type = declared.get(`${c.id}|${l.display}`);
                  if (typeof got !== type) problems.push(`${c.id}: decode ${l.display} gave a ${typeof got} (${show(got)}), the package declares a ${type}`);
                  else if (got !== l.value) problems.push(`${c.id}: decode ${l.display} gave ${show(got)}, expected ${show(l.value)}`);
                }
              }
            }
            expect(problems, `${short} on ${target.name}:\n  ${problems.slice(0, 20).join('\n  ')}`).toEqual([]);
            expect(cases).toBeGreaterThan(0);
          });
        }
      });
    });
  }
});
