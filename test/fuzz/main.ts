// `npm run fuzz`: the generator fuzzer at length.
//   npm run fuzz -- [--cases N | --seconds S] [--seed N] [--header PATH]... [--cli-every N] [--timeout S]
//   npm run fuzz -- --header PATH --seed N --mutations a,b     one case again (a failure's reproduction)
// Prints progress, then `cases: N, failures: F`, each failure's reproduction and where its mutated header was
// saved (test/.out/fuzz/failures/, to become a regression fixture in test/fuzz/regressions/).
import { resolve } from 'node:path';
import { runCampaign, type Failure } from './campaign.js';
import type { FuzzCase } from './cases.js';
import { describeCase } from './cases.js';
import { MUTATIONS } from './mutations.js';

interface Options {
  cases?: number;
  seconds?: number;
  seed: number;
  headers: string[];
  mutations?: string[];
  cliEvery: number;
  timeout: number;
}

function parse(argv: readonly string[]): Options {
  const o: Options = { seed: Math.floor(Math.random() * 1e9), headers: [], cliEvery: 50, timeout: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a non-negative number`);
      return v;
    };
    if (a === '--cases') o.cases = num();
    else if (a === '--seconds') o.seconds = num();
    else if (a === '--seed') o.seed = num();
    else if (a === '--header') o.headers.push(value());
    else if (a === '--mutations') o.mutations = value().split(',');
    else if (a === '--cli-every') o.cliEvery = num();
    else if (a === '--timeout') o.timeout = num();
    else throw new Error(`unknown option ${a}; mutations: ${MUTATIONS.map((m) => m.name).join(', ')}`);
  }
  if (o.mutations && o.headers.length !== 1) throw new Error('--mutations needs exactly one --header and a --seed');
  if (o.cases === undefined && o.seconds === undefined) o.seconds = 60;
  return o;
}

function report(failures: readonly Failure[]): void {
  // Failures grouped by their first problem with numbers blanked, so one bug found many times reads as one.
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.via}: ${f.problems[0]!.replace(/\d+/g, 'N')}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, fs] of groups) {
    console.log(`\n${fs.length} x ${key}`);
    for (const f of fs.slice(0, 3)) {
      console.log(`  npm run fuzz -- ${describeCase(f.fuzzCase)}`);
      console.log(`    ${f.problems.join('\n    ')}`);
      if (f.saved) console.log(`    saved: ${f.saved}`);
    }
  }
}

async function main(): Promise<number> {
  let o: Options;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz: ${(e as Error).message}`);
    return 2;
  }
  const only: FuzzCase[] | undefined = o.mutations ? [{ header: o.headers[0]!, seed: o.seed, mutations: o.mutations }] : undefined;
  console.log(only ? `fuzz: one case, ${describeCase(only[0]!)}` : `fuzz: seed ${o.seed}, ${o.cases !== undefined ? `${o.cases} cases` : `${o.seconds} s`}, time bound ${o.timeout} s per case`);
  const result = await runCampaign({
    root: resolve('.'),
    seed: o.seed,
    cases: o.cases,
    seconds: o.cases === undefined ? o.seconds : undefined,
    only,
    headers: o.headers.length > 0 ? o.headers : undefined,
    cliEvery: only ? 1 : o.cliEvery,
    timeoutMs: o.timeout * 1000,
    workDir: 'test/.out/fuzz/work',
    failuresDir: 'test/.out/fuzz/failures',
    progress: (line) => console.log(line),
  });
  report(result.failures);
  const outcomes = Object.entries(result.outcomes).map(([k, v]) => `${k}: ${v}`).join(', ');
  console.log(`\ncases: ${result.cases}, failures: ${result.failures.length}`);
  console.log(`  ${outcomes}; through the CLI: ${result.cliCases}`);
  if (result.slowest) console.log(`  slowest case: ${Math.round(result.slowest.ms)} ms (${describeCase(result.slowest.fuzzCase)})`);
  return result.failures.length > 0 ? 1 : 0;
}

process.exitCode = await main();
