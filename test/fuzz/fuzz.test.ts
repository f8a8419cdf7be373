// Bad input never crashes the generator and never corrupts its output (issue 7): a brief, fixed-seed fuzz run
// over every header in headers/, the regression fixtures of test/fuzz/regressions/, and checks that the oracle
// itself catches what it must. `npm run fuzz` runs the same campaign at length.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCampaign } from './campaign.js';
import { applyCase, describeCase, makeCase, subjects } from './cases.js';
import { statusProblems } from './cli.js';
import { builtinTexts, judge, locProblem, textOfFiles } from './oracle.js';
import { readRegressions, regressionProblems } from './regressions.js';
import { CaseRunner } from './runner.js';

const root = process.cwd();
const BRIEF_CASES = 400;

describe('generator fuzz, brief (npm run fuzz runs it at length)', () => {
  it(`${BRIEF_CASES} seeded cases: a model or a located error, never a crash, hang, bad location or partial output`, async () => {
    const r = await runCampaign({
      root, seed: 1, cases: BRIEF_CASES, cliEvery: 40, timeoutMs: 10_000, workDir: 'test/.out/fuzz/brief', failuresDir: 'test/.out/fuzz/brief-failures',
    });
    expect(r.failures.map((f) => `${describeCase(f.fuzzCase)} (${f.via}): ${f.problems.join('; ')}`)).toEqual([]);
    expect(r.cases).toBe(BRIEF_CASES);
    expect(r.cliCases).toBe(BRIEF_CASES / 40);
    // A run where nearly everything fails early (or nothing does) would prove little.
    expect(r.outcomes['model']).toBeGreaterThan(BRIEF_CASES / 10);
    expect(r.outcomes['located error']).toBeGreaterThan(BRIEF_CASES / 10);
    // A hang is caught per case (timeoutMs); the whole campaign's limit only stops a stuck run, and is wide because
    // a loaded 2-CPU machine took 332 s for what an idle one does in ~100 s.
  }, 900_000);
});

describe('fuzz regressions (test/fuzz/regressions/)', () => {
  const runner = new CaseRunner(root, 10_000);
  let builtins: Map<string, string>;
  beforeAll(async () => {
    builtins = await builtinTexts(root);
  });
  afterAll(() => runner.close());
  for (const r of readRegressions(root)) {
    it(r.path.split('/').pop()!, async () => {
      expect(await regressionProblems(root, runner, builtins, r)).toEqual([]);
    }, 60_000);
  }
});

describe('the fuzzer itself', () => {
  it('reproduces a case from (header, seed, mutations)', () => {
    const [s] = subjects(root);
    const c = makeCase(s!.header, 12345);
    expect(makeCase(s!.header, 12345)).toEqual(c);
    expect(applyCase(s!.text, c)).toBe(applyCase(s!.text, c));
    expect(applyCase(s!.text, { ...c, seed: 12346 })).not.toBe(applyCase(s!.text, c));
  });

  it('the oracle fails crashes, hangs, dead workers and locations outside the input', () => {
    const textOf = textOfFiles(new Map([['a.h', 'int x;\nint y;\n']]), new Map());
    expect(locProblem({ file: 'a.h', line: 2, col: 7 }, textOf)).toBeNull();
    expect(locProblem({ file: 'a.h', line: 3, col: 1 }, textOf)).toBeNull(); // the end of the file
    expect(locProblem({ file: 'a.h', line: 4, col: 1 }, textOf)).toMatch(/line 4 is outside/);
    expect(locProblem({ file: 'a.h', line: 1, col: 8 }, textOf)).toMatch(/column 8 is outside/);
    expect(locProblem({ file: 'b.h', line: 1, col: 1 }, textOf)).toMatch(/names no input file/);
    expect(judge({ kind: 'crash', stage: 'model', name: 'TypeError', message: 'x is undefined', stack: '' }, textOf, null).problem).toMatch(/crash/);
    expect(judge({ kind: 'timeout', ms: 10 }, textOf, null).problem).toMatch(/hang/);
    expect(judge({ kind: 'died', code: null, signal: 'SIGABRT', stderr: 'out of memory' }, textOf, null).problem).toMatch(/died/);
    const error = (line: number, reason: string) => ({ kind: 'header-error' as const, stage: 'model', errors: [{ file: 'a.h', line, col: 1, reason }] });
    expect(judge(error(2, 'bad'), textOf, null).problem).toBeNull();
    expect(judge(error(9, 'bad'), textOf, null).problem).toMatch(/outside/);
    expect(judge(error(1, 'near \'x\r\''), textOf, null).problem).toMatch(/not one line/);
    const ok = { kind: 'ok' as const, json: { warnings: [] }, docs: null, files: 1, broken: [] };
    expect(judge(ok, textOf, null).problem).toBeNull();
    expect(judge(ok, textOf, { model: { other: 1 }, docs: null }).problem).toMatch(/neutral/);
  });

  it('the CLI check fails stack traces, unlocated lines and statuses other than 0 and 1', () => {
    const textOf = textOfFiles(new Map([['a.h', 'int x;\n']]), new Map());
    const run = (status: number, stderr: string) => statusProblems({ status, signal: null, stdout: '', stderr, timedOut: false }, textOf);
    expect(run(1, 'a.h:1:5: unknown type\n')).toEqual([]);
    expect(run(0, 'a.h:1:1: warning: not modelled\n')).toEqual([]);
    expect(run(1, 'TypeError: x\n    at f (file.js:1:1)\n').join()).toMatch(/stack trace/);
    expect(run(1, 'something went wrong\n').join()).toMatch(/not file:line:col/);
    expect(run(2, 'uapi-ts: usage\n').join()).toMatch(/exit status 2/);
    expect(run(1, '').join()).toMatch(/nothing on stderr/);
  });
});
