// Byte-exact conformance of the generated codecs with gcc: for every named struct/union of every configured
// package, and for every "case" (a choice of one member per union; one case per member of the largest union),
// a C program assigns deterministic values to every reachable scalar leaf of a zeroed object and prints its
// bytes; the generated `<Codec>.encode` of the matching init object must produce exactly those bytes, and
// `<Codec>.decode` of gcc's bytes must give back every assigned value, 0 for `__reserved*` fields, and for
// every other field (all union members) what the bytes hold at the model's offset. See bytes-cprogram.ts.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../generator/src/config.js';
import { loadModel } from '../../generator/src/load.js';
import {
  compileAndRunBytes, fieldsAt, getPath, hex, planRecord, readLeaf, removeRun, renderBytesProgram, show,
  type GccRun, type Leaf, type LeafValue, type RecordPlan,
} from './bytes-cprogram.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

interface PackageEntry {
  readonly name: string;
  readonly header: string;
  readonly includeDirs?: readonly string[];
  readonly profile?: string;
  readonly out: string;
}

interface Codec {
  readonly size: number;
  encode(value: unknown, into?: Uint8Array, offset?: number): Uint8Array;
  decode(from: Uint8Array): unknown;
}

// A series package (built from its newest held header) is checked like the others; so is the golden widget,
// which has what the kernel headers lack (big-endian fields, bit-fields, long runs of zeros).
const config: { packages: PackageEntry[] } = {
  packages: [
    ...readConfig(join(ROOT, 'uapi-ts.config.json')),
    { name: 'golden-widget', header: 'test/golden/fixtures/widget.h', out: 'test/golden/expected/widget' },
  ],
};

function zeroOf(l: Leaf, big: boolean): LeafValue {
  if (l.type.bool) return false;
  return big ? 0n : 0;
}

/** A copy of an init value with every bigint that is a safe integer turned into a number, and how many were. */
function asNumbers(x: unknown): { value: unknown; changed: number } {
  if (typeof x === 'bigint' && x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER)) return { value: Number(x), changed: 1 };
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x)) return { value: x, changed: 0 };
  let changed = 0;
  if (Array.isArray(x)) {
    const value = x.map((e) => {
      const r = asNumbers(e);
      changed += r.changed;
      return r.value;
    });
    return { value, changed };
  }
  const value = Object.fromEntries(Object.entries(x).map(([k, v]) => {
    const r = asNumbers(v);
    changed += r.changed;
    return [k, r.value];
  }));
  return { value, changed };
}

/** Same JS type and same value (bigint stays bigint, number stays number). */
function same(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && (a === b || (typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b as number)));
}

function overlaps(a: Leaf, b: Leaf): boolean {
  return a.offset < b.offset + b.type.size && b.offset < a.offset + a.type.size;
}

describe('codec bytes conformance with gcc', () => {
  it('has packages to check', () => {
    expect(config.packages.length).toBeGreaterThan(0);
  });

  for (const pkg of config.packages) {
    const short = pkg.name.replace(/^@uapi-ts\//, '');
    const header = join(ROOT, pkg.header);
    const includeDirs = (pkg.includeDirs ?? []).map((d) => join(ROOT, d));
    const model = loadModel(header, { includeDirs, profileFile: pkg.profile ? join(ROOT, pkg.profile) : undefined });
    const named = model.records.filter((r) => r.name !== null);
    const plans: RecordPlan[] = named.map(planRecord);
    const totalCases = plans.reduce((n, p) => n + p.cases.length, 0);

    describe(short, () => {
      let run: GccRun | undefined;
      let mod: Record<string, unknown> = {};
      const stats = { records: new Set<string>(), cases: 0, leaves: 0, decoded: 0, numbered: 0, mismatches: 0 };

      beforeAll(async () => {
        run = compileAndRunBytes(renderBytesProgram(header, plans), includeDirs, `bytes-${short}`);
        mod = (await import(join(ROOT, pkg.out, 'src', 'index.js'))) as Record<string, unknown>;
      });

      afterAll(() => {
        if (run && stats.mismatches === 0 && stats.records.size === plans.length) removeRun(run);
        else if (run) console.log(`bytes ${short}: C program kept at ${run.cFile}`);
      });

      for (const plan of plans) {
        it(`${plan.cType}: ${plan.cases.length} case(s) encode to gcc's bytes and decode back`, () => {
          const codec = mod[plan.tsName] as Codec | undefined;
          expect(codec, `export ${plan.tsName} for ${plan.cType} in ${pkg.out}`).toBeDefined();
          expect(codec!.size, `${plan.tsName}.size`).toBe(plan.record.size);
          const problems: string[] = [];
          for (const c of plan.cases) {
            const where = `${c.id}${c.picks.length ? ` [${c.picks.join(', ')}]` : ''}`;
            const gcc = run!.bytes.get(c.id);
            if (!gcc) {
              problems.push(`${where}: gcc printed no bytes`);
              continue;
            }
            stats.cases++;

            // encode: byte-exact
            let enc: Uint8Array | undefined;
            try {
              enc = codec!.encode(c.init);
            } catch (e) {
              problems.push(`${where}: encode threw ${(e as Error).message}`);
            }
            if (enc && hex(enc) !== hex(gcc)) {
              let i = 0;
              while (i < enc.length && i < gcc.length && enc[i] === gcc[i]) i++;
              const at = i < Math.min(enc.length, gcc.length)
                ? `first differing byte at offset ${i} (${fieldsAt(plan.all, i)}): ts 0x${enc[i]!.toString(16)}, gcc 0x${gcc[i]!.toString(16)}`
                : `lengths differ: ts ${enc.length}, gcc ${gcc.length}`;
              problems.push(`${where}: encode differs from gcc, ${at}\n    ts  ${hex(enc)}\n    gcc ${hex(gcc)}`);
            }

            // encode with every 64-bit value that fits a safe integer given as a number (the README says encoding
            // takes one): the slow path converts it, and must give gcc's bytes just the same
            const numbered = asNumbers(c.init);
            if (numbered.changed > 0) {
              stats.numbered += numbered.changed;
              try {
                const viaNumbers = codec!.encode(numbered.value);
                if (hex(viaNumbers) !== hex(gcc)) problems.push(`${where}: encode with 64-bit values as numbers differs from gcc\n    ts  ${hex(viaNumbers)}\n    gcc ${hex(gcc)}`);
              } catch (e) {
                problems.push(`${where}: encode with 64-bit values as numbers threw ${(e as Error).message}`);
              }
            }

            // encode into a dirty buffer at an odd offset: every byte of the record written (padding, `__reserved*`,
            // the other union members zeroed), none outside it
            if (enc) {
              const into = new Uint8Array(gcc.length + 8).fill(0xa5);
              try {
                codec!.encode(c.init, into, 3);
                const inside = into.subarray(3, 3 + gcc.length);
                const outside = [...into.subarray(0, 3), ...into.subarray(3 + gcc.length)];
                if (hex(inside) !== hex(gcc)) {
                  let i = 0;
                  while (inside[i] === gcc[i]) i++;
                  problems.push(`${where}: encode into a 0xa5-filled buffer at offset 3 differs from gcc at byte ${i} (${fieldsAt(plan.all, i)}): ts 0x${inside[i]!.toString(16)}, gcc 0x${gcc[i]!.toString(16)}`);
                }
                if (outside.some((b) => b !== 0xa5)) problems.push(`${where}: encode at offset 3 wrote outside the record's ${gcc.length} bytes`);
              } catch (e) {
                problems.push(`${where}: encode into a buffer at offset 3 threw ${(e as Error).message}`);
              }
            }

            // decode: every assigned leaf comes back with its value, `__reserved*` as 0
            const dec = codec!.decode(gcc);
            const assigned = c.leaves.filter((l) => !l.reserved);
            for (const l of c.leaves) {
              const got = getPath(dec, l.path);
              const big = typeof readLeaf(gcc, l) === 'bigint';
              const shared = l.reserved && assigned.some((a) => overlaps(a, l)); // a reserved member of a union
              const want = l.reserved ? (shared ? readLeaf(gcc, l) : zeroOf(l, big)) : l.value;
              if (!l.reserved) stats.leaves++;
              if (!same(got, want)) {
                const inBytes = readLeaf(gcc, l);
                problems.push(
                  `${where}: decode ${l.display} (${l.type.name} at ${l.offset}) gave ${show(got)}, expected ${show(want)}` +
                    (same(inBytes, want) ? '' : `; gcc's bytes at the model's offset hold ${show(inBytes)}`),
                );
              }
            }
            // decode: every field, every union member included, is what gcc's bytes hold at the model's offset
            for (const l of plan.all) {
              const got = getPath(dec, l.path);
              const want = readLeaf(gcc, l);
              stats.decoded++;
              if (!same(got, want)) problems.push(`${where}: decode ${l.display} (${l.type.name} at ${l.offset}) gave ${show(got)}, the bytes hold ${show(want)}`);
            }
          }
          stats.mismatches += problems.length;
          stats.records.add(plan.record.name!);
          expect(problems, `${plan.cType} in ${short}:\n  ${problems.join('\n  ')}`).toEqual([]);
        });
      }

      it('checked every named record, with at least one case each', () => {
        console.log(`bytes ${short}: ${stats.records.size} records, ${stats.cases} cases, ${stats.leaves} leaves checked (${stats.numbered} 64-bit values also as numbers), ${stats.mismatches} mismatches`);
        expect(named.length, 'named records in the model').toBeGreaterThan(0);
        expect(totalCases, 'cases planned').toBeGreaterThan(0);
        for (const p of plans) expect(p.cases.length, `cases of ${p.cType}`).toBeGreaterThan(0);
        expect(run?.lines, `CASE lines printed by ${run?.cFile}`).toBe(totalCases);
        expect([...stats.records].sort(), 'records checked').toEqual(named.map((r) => r.name!).sort());
        expect(stats.cases, 'cases checked').toBe(totalCases);
        expect(stats.leaves, 'leaves checked').toBeGreaterThan(0);
        expect(stats.mismatches, 'mismatches').toBe(0);
      });
    });
  }
});
