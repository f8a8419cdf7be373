// A fuzz campaign: cases over every header of headers/, each run in-process under the oracle, every Nth one
// also end to end through the CLI; failures are collected with their reproduction and mutated header.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { applyCase, describeCase, isNeutral, makeCase, subjects, type FuzzCase, type Subject } from './cases.js';
import { generateProblems, irProblems, runCli } from './cli.js';
import { builtinTexts, judge, project, textOfFiles, type Projection } from './oracle.js';
import { CaseRunner } from './runner.js';

export interface CampaignOptions {
  readonly root: string; // the repository: the working directory of every run
  readonly seed: number; // case i has seed `seed + i`
  readonly cases?: number; // stop after this many cases
  readonly seconds?: number; // or after this long
  readonly only?: readonly FuzzCase[]; // exactly these cases (reproduction)
  readonly headers?: readonly string[]; // restrict to these headers of headers/
  readonly cliEvery: number; // every Nth case also through the CLI; 0: never
  readonly timeoutMs: number; // the time bound of one case
  readonly workDir: string; // relative to root
  readonly failuresDir?: string; // relative to root: failing headers and their reproduction
  readonly progress?: (line: string) => void;
}

export interface Failure {
  readonly fuzzCase: FuzzCase;
  readonly via: 'in-process' | 'cli';
  readonly problems: readonly string[];
  readonly summary: string;
  readonly detail: string;
  readonly saved: string | null;
}

export interface CampaignResult {
  readonly cases: number;
  readonly cliCases: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly failures: readonly Failure[];
  readonly slowest: { readonly fuzzCase: FuzzCase; readonly ms: number } | null;
}

interface Prepared {
  readonly subject: Subject;
  readonly path: string; // where the mutated copy is written, relative to root
  readonly includeDirs: readonly string[];
  readonly original: Projection;
  readonly previous: string; // a good package generated from the original, for the atomicity check
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const runner = new CaseRunner(o.root, o.timeoutMs);
  const builtins = await builtinTexts(o.root);
  const all = subjects(o.root).filter((s) => !o.headers || o.headers.includes(s.header));
  if (all.length === 0) throw new Error(`no headers to fuzz (asked for ${o.headers?.join(', ')})`);
  rmSync(join(o.root, o.workDir), { recursive: true, force: true });
  const prepared = new Map<string, Prepared>();
  try {
    for (const [k, subject] of all.entries()) prepared.set(subject.header, await prepare(o, runner, subject, k));
    const failures: Failure[] = [];
    const outcomes: Record<string, number> = {};
    let slowest: CampaignResult['slowest'] = null;
    let cliCases = 0;
    const start = performance.now();
    let lastReport = start;
    let i = 0;
    for (; ; i++) {
      if (o.only ? i >= o.only.length : o.cases !== undefined && i >= o.cases) break;
      if (!o.only && o.seconds !== undefined && performance.now() - start > o.seconds * 1000) break;
      const fuzzCase = o.only?.[i] ?? makeCase(all[i % all.length]!.header, o.seed + i);
      const p = prepared.get(fuzzCase.header);
      if (!p) throw new Error(`${fuzzCase.header} is not a header of headers/`);
      const text = applyCase(p.subject.text, fuzzCase);
      const file = join(o.root, p.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      const textOf = textOfFiles(new Map([[p.path, text]]), builtins);
      const t0 = performance.now();
      const outcome = await runner.run({ header: p.path, includeDirs: p.includeDirs, hints: p.subject.hints, targets: p.subject.targets, render: true });
      const ms = performance.now() - t0;
      if (!slowest || ms > slowest.ms) slowest = { fuzzCase, ms };
      const verdict = judge(outcome, textOf, isNeutral(fuzzCase) ? p.original : null);
      const kind = outcome.kind === 'header-error' ? 'located error' : outcome.kind === 'ok' ? 'model' : 'failure';
      outcomes[kind] = (outcomes[kind] ?? 0) + 1;
      const failed = (via: Failure['via'], problems: readonly string[], summary: string, detail = ''): void => {
        failures.push({ fuzzCase, via, problems, summary, detail, saved: save(o, fuzzCase, text, via, problems, `${summary}\n${detail}`) });
      };
      if (verdict.problem) failed('in-process', [verdict.problem], verdict.summary, verdict.detail);
      if (o.cliEvery > 0 && i % o.cliEvery === 0) {
        cliCases++;
        const args = [p.path, ...p.includeDirs.flatMap((d) => ['-I', d]), ...(p.subject.hints ? ['--profile', p.subject.hints] : [])];
        const cliTimeout = o.timeoutMs + 10_000; // plus the start of a Node process
        const problems = [...irProblems(runCli(o.root, ['ir', ...args], cliTimeout), textOf)];
        problems.push(...generateProblems(o.root, ['generate', ...args, ...targetArgs(p.subject)], `${o.workDir}/out`, p.previous, textOf, cliTimeout));
        if (problems.length > 0) failed('cli', problems, verdict.summary);
      }
      if (o.progress && performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        o.progress(`[${Math.round((lastReport - start) / 1000)} s] ${i + 1} cases (${cliCases} through the CLI), ${failures.length} failures`);
      }
    }
    return { cases: i, cliCases, outcomes, failures, slowest };
  } finally {
    runner.close();
  }
}

async function prepare(o: CampaignOptions, runner: CaseRunner, subject: Subject, k: number): Promise<Prepared> {
  const folder = `${o.workDir}/${k}`;
  const path = `${folder}/${subject.inside}`;
  mkdirSync(dirname(join(o.root, path)), { recursive: true });
  writeFileSync(join(o.root, path), subject.text);
  const includeDirs = [folder, ...subject.includeDirs];
  const outcome = await runner.run({ header: path, includeDirs, hints: subject.hints, render: false });
  if (outcome.kind !== 'ok') throw new Error(`${subject.header} does not load unmutated: ${JSON.stringify(outcome).slice(0, 500)}`);
  const previous = `${o.workDir}/previous-${k}`;
  if (o.cliEvery > 0) {
    const args = ['generate', path, ...includeDirs.flatMap((d) => ['-I', d]), ...(subject.hints ? ['--profile', subject.hints] : []), ...targetArgs(subject), '--out', previous, '-q'];
    const r = runCli(o.root, args, 60_000);
    if (r.status !== 0) throw new Error(`generating ${subject.header} unmutated failed: ${r.stderr}`);
  }
  return { subject, path, includeDirs, original: project(outcome), previous };
}

function save(o: CampaignOptions, c: FuzzCase, text: string, via: string, problems: readonly string[], summary: string): string | null {
  if (!o.failuresDir) return null;
  const base = `${c.header.replace(/[^\w.-]+/g, '_')}-${c.seed}-${c.mutations.join('+')}`;
  const dir = join(o.root, o.failuresDir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${base}.h`), text);
  writeFileSync(join(dir, `${base}.txt`), `reproduce: npm run fuzz -- ${describeCase(c)}\nvia: ${via}\noutcome: ${summary}\n${problems.map((p) => `problem: ${p}`).join('\n')}\n`);
  return `${o.failuresDir}/${base}.h`;
}

/** `--target T` for each target the subject's package names (as its config entry does), none for the default. */
function targetArgs(subject: Subject): string[] {
  return (subject.targets ?? []).flatMap((t) => ['--target', t]);
}
