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
import { compileAndRunBytes, planRecord, removeRun, renderBytesProgram, type GccRun, type RecordPlan } from './bytes-cprogram.js';
import { caseProblems, type Codec } from './bytes-check.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

interface PackageEntry {
  readonly name: string;
  readonly header: string;
  readonly includeDirs?: readonly string[];
  readonly profile?: string;
  readonly out: string;
}

// A series package (built from its newest held header) is checked like the others; so is the golden widget,
// which has what the kernel headers lack (big-endian fields, bit-fields, long runs of zeros), and the golden
// oddities (a record with a stray `;`, a union of function pointers) and grids (2-D and 3-D arrays of records).
const config: { packages: PackageEntry[] } = {
  packages: [
    ...readConfig(join(ROOT, 'uapi-ts.config.json')),
    { name: 'golden-widget', header: 'test/golden/fixtures/widget.h', out: 'test/golden/expected/widget' },
    { name: 'golden-oddities', header: 'test/golden/fixtures/oddities.h', out: 'test/golden/expected/oddities' },
    { name: 'golden-grids', header: 'test/golden/fixtures/grids.h', out: 'test/golden/expected/grids' },
  ],
};

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

            for (const p of caseProblems(codec!, plan, c, gcc, stats)) problems.push(p);
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
