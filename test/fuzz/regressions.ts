// Regression fixtures: headers in test/fuzz/regressions/ that once made the generator fail. Each opens with a
// comment saying which bug it found and what the generator must do with it now:
//   fuzz-expect: ok                  it models (the model must come out; no error)
//   fuzz-expect: warning /REGEX/     it models, with a warning whose message matches REGEX
//   fuzz-expect: error /REGEX/       a located error whose message matches REGEX
//   fuzz-include: DIR                an extra -I folder (repeatable), after the fixture's own folder
//   fuzz-profile: FILE               a profile file
// Each runs through the in-process oracle and through `uapi-ts ir`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { irProblems, runCli } from './cli.js';
import { judge, textOfFiles } from './oracle.js';
import type { CaseRunner, Outcome } from './runner.js';

export const REGRESSIONS_DIR = 'test/fuzz/regressions';

export interface Regression {
  readonly path: string; // relative to the repository
  readonly text: string;
  readonly expect: { readonly kind: 'ok' } | { readonly kind: 'error' | 'warning'; readonly pattern: RegExp };
  readonly includeDirs: readonly string[];
  readonly hints: string | undefined;
}

export function readRegressions(root: string): Regression[] {
  return readdirSync(join(root, REGRESSIONS_DIR))
    .filter((f) => f.endsWith('.h'))
    .sort()
    .map((f) => {
      const path = `${REGRESSIONS_DIR}/${f}`;
      const text = readFileSync(join(root, path), 'utf8');
      const expect = /fuzz-expect:[ \t]*(ok|(error|warning)[ \t]+\/(.*)\/)[ \t]*$/m.exec(text);
      if (!expect) throw new Error(`${path}: no 'fuzz-expect: ok', 'fuzz-expect: warning /REGEX/' or 'fuzz-expect: error /REGEX/' line`);
      const includes = [...text.matchAll(/fuzz-include:[ \t]*(\S+)/g)].map((m) => m[1]!);
      const hints = /fuzz-profile:[ \t]*(\S+)/.exec(text)?.[1];
      return {
        path,
        text,
        expect: expect[1] === 'ok' ? { kind: 'ok' } : { kind: expect[2] as 'error' | 'warning', pattern: new RegExp(expect[3]!) },
        includeDirs: [REGRESSIONS_DIR, ...includes],
        hints,
      };
    });
}

/** Everything wrong with how the generator handles `r` now; [] when it passes. */
export async function regressionProblems(root: string, runner: CaseRunner, builtins: ReadonlyMap<string, string>, r: Regression): Promise<string[]> {
  const textOf = textOfFiles(new Map([[r.path, r.text]]), builtins);
  const outcome = await runner.run({ header: r.path, includeDirs: r.includeDirs, hints: r.hints, render: true });
  const verdict = judge(outcome, textOf, null);
  const problems = verdict.problem ? [`${verdict.problem}${verdict.detail ? `\n${verdict.detail}` : ''}`] : [];
  problems.push(...expectationProblems(outcome, r));
  const args = [r.path, ...r.includeDirs.flatMap((d) => ['-I', d]), ...(r.hints ? ['--profile', r.hints] : [])];
  const cli = runCli(root, ['ir', ...args], 30_000);
  problems.push(...irProblems(cli, textOf).map((p) => `uapi-ts ir: ${p}`));
  const status = r.expect.kind === 'error' ? 1 : 0;
  if (cli.status !== status) problems.push(`uapi-ts ir exited ${cli.status}, expected ${status}`);
  return problems;
}

function expectationProblems(outcome: Outcome, r: Regression): string[] {
  if (r.expect.kind !== 'error') {
    if (outcome.kind !== 'ok') return [`expected a model, got ${outcome.kind}${outcome.kind === 'header-error' ? `: ${outcome.errors[0]?.reason}` : ''}`];
    const pattern = r.expect.kind === 'warning' ? r.expect.pattern : null;
    return !pattern || outcome.json.warnings.some((w) => pattern.test(w.message)) ? [] : [`expected a warning matching ${pattern}`];
  }
  if (outcome.kind !== 'header-error') return [`expected a located error matching ${r.expect.pattern}, got ${outcome.kind}`];
  const reason = outcome.errors[0]?.reason ?? '';
  return r.expect.pattern.test(reason) ? [] : [`expected an error matching ${r.expect.pattern}, got '${reason}'`];
}
