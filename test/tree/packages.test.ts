// Every package generated from a UAPI tree (tree.ts) compiles under `tsc --strict` (the packages' own compiler
// options, noUncheckedIndexedAccess included), and its codecs encode every named record to the bytes gcc lays out
// and decode gcc's bytes back (the byte conformance of test/conformance: bytes-cprogram.ts plans the cases,
// bytes-check.ts compares). `npm test` checks the packages of the sample; `npm run test:tree` every package.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HeaderError, HeaderErrors } from '../../generator/src/diagnostics.js';
import { treePackages } from '../../generator/src/generate-tree.js';
import { renderOne } from '../../generator/src/generate.js';
import { loadModel } from '../../generator/src/load.js';
import { compileAndRunBytes, GCC_FLAGS, planRecord, removeRun, renderBytesProgram } from '../conformance/bytes-cprogram.js';
import { caseProblems, type Codec } from '../conformance/bytes-check.js';
import { findTree, gccCompiles, headersToCheck } from './tree.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const tree = findTree();
const all = process.env.UAPI_TS_TREE_ALL === '1';
// Apart for the sample and the whole tree: npm test and npm run test:tree may run at the same time.
const OUT = join(ROOT, 'test/.out/tree-packages', all ? 'all' : 'sample');

describe.skipIf(tree === null)(`tree packages (${all ? 'every header' : 'sample'} of ${tree?.root ?? 'no tree'})`, () => {
  if (tree === null) return;
  const wanted = new Set(headersToCheck(tree).map((h) => basename(h)));
  const configs = treePackages(tree.root, OUT, '0.0.0', true).filter((c) => wanted.has(basename(c.header)));
  const written: string[] = [];
  const totals = { packages: 0, records: 0, cases: 0 };
  const located: string[] = []; // headers gcc compiles that stop at a located error (the whole tree only)
  rmSync(OUT, { recursive: true, force: true });

  for (const config of configs) {
    const header = `linux/${basename(config.header)}`;
    it(`${header}: its codecs encode every record to gcc's bytes and decode them back`, async () => {
      if (!gccCompiles(tree, header)) return; // out of scope: the tree conformance says so
      let files;
      try {
        files = renderOne(config).files;
      } catch (e) {
        // A located error is the tree conformance's answer (it lists them); in the sample, every header generates.
        if (all && (e instanceof HeaderError || e instanceof HeaderErrors)) {
          located.push(`${header}: ${e.message.split('\n')[0]}`);
          return;
        }
        throw e;
      }
      for (const f of files) {
        mkdirSync(dirname(join(config.out, f.path)), { recursive: true });
        writeFileSync(join(config.out, f.path), f.text);
      }
      written.push(config.out);

      const model = loadModel(config.header, { includeDirs: config.includeDirs, systemIncludes: true });
      const plans = model.records.filter((r) => r.name !== null).map(planRecord);
      if (plans.length === 0) return;
      // A header's own #warning (cyclades.h: its features were removed) is not the program's fault.
      // gcc gets the tree and its x86_64 multiarch folder, where the model finds asm/ by itself (-I TREE only).
      const run = compileAndRunBytes(renderBytesProgram(config.header, plans), tree.includeDirs, `tree-bytes-${basename(config.out)}`, [...GCC_FLAGS, '-Wno-cpp']);
      const mod = (await import(join(config.out, 'src', 'index.ts'))) as Record<string, unknown>;
      const problems: string[] = [];
      const stats = { leaves: 0, decoded: 0, numbered: 0 };
      for (const plan of plans) {
        const codec = mod[plan.tsName] as Codec | undefined;
        if (codec === undefined) {
          problems.push(`${plan.cType}: no export ${plan.tsName}`);
          continue;
        }
        if (codec.size !== plan.record.size) problems.push(`${plan.cType}: ${plan.tsName}.size is ${codec.size}, gcc's sizeof ${plan.record.size}`);
        for (const c of plan.cases) {
          const gcc = run.bytes.get(c.id);
          if (!gcc) problems.push(`${c.id}: gcc printed no bytes`);
          else for (const p of caseProblems(codec, plan, c, gcc, stats)) problems.push(`${plan.cType} ${p}`);
          totals.cases++;
        }
        totals.records++;
      }
      totals.packages++;
      expect(problems, `${header} (C program ${run.cFile}):\n  ${problems.slice(0, 20).join('\n  ')}`).toEqual([]);
      expect(run.lines, `CASE lines printed by ${run.cFile}`).toBe(plans.reduce((n, p) => n + p.cases.length, 0));
      removeRun(run);
    });
  }

  it('every package written compiles with tsc --strict', () => {
    expect(written.length).toBeGreaterThan(0);
    // One program over every package: each keeps its own modules; their compiler options are the packages' own.
    writeFileSync(join(OUT, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...PACKAGE_OPTIONS, noEmit: true }, include: written.map((d) => `${basename(d)}/src`) }, null, 2));
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(OUT, 'tsconfig.json')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect((r.stdout + r.stderr).split('\n').slice(0, 40).join('\n')).toBe('');
    expect(r.status).toBe(0);
  }, 1_800_000);

  afterAll(() => {
    console.log(`tree packages: ${totals.packages} packages with records, ${totals.records} records, ${totals.cases} cases checked against gcc's bytes; ${written.length} packages type-checked`);
    console.log(`tree packages: ${located.length} headers that gcc compiles stop at a located error${located.map((l) => `\n${l}`).join('')}`);
  });
});

/** The compiler options of a generated package (its tsconfig.json), less what only places output. */
const PACKAGE_OPTIONS: Record<string, unknown> = (() => {
  const template = JSON.parse(readFileSync(join(ROOT, 'templates/package/tsconfig.json.hbs'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  const { rootDir, outDir, declaration, declarationMap, sourceMap, ...options } = template.compilerOptions;
  void [rootDir, outDir, declaration, declarationMap, sourceMap];
  return options;
})();
