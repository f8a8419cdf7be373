// End-to-end cases through the real command line: the exit status is 0 or 1, every stderr line is a located
// message (`file:line:col: ...`) with no stack trace or internal error text, `ir` prints JSON or nothing, and a
// failed `generate` leaves an output folder holding a previous package byte for byte as it was.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { locProblem, type TextOf } from './oracle.js';

export interface CliResult {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export function runCli(root: string, args: readonly string[], timeoutMs: number): CliResult {
  const r = spawnSync(process.execPath, ['generator/bin/uapi-ts.js', ...args], {
    cwd: root, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024, input: '',
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut };
}

const LOCATED = /^([^\n]+?):(\d+):(\d+): ([^\n]*)$/;
const WARNING_COUNT = /^uapi-ts: \d+ warnings \(run without --quiet to see them\)$/;
const INTERNAL = /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|AggregateError)\b|Maximum call stack|node:internal|^Node\.js v/;

/** Problems with a run's exit status and stderr. */
export function statusProblems(r: CliResult, textOf: TextOf): string[] {
  if (r.timedOut) return ['hang: the command did not finish in time'];
  const problems: string[] = [];
  if (r.status !== 0 && r.status !== 1) problems.push(`exit status ${r.status} (signal ${r.signal}), expected 0 or 1`);
  for (const line of r.stderr.split('\n')) {
    if (line === '') continue;
    if (/^\s+at /.test(line)) problems.push(`stack trace on stderr: ${line.trim()}`);
    else if (INTERNAL.test(line)) problems.push(`internal error text on stderr: ${line.slice(0, 200)}`);
    // A carriage return sends the terminal back to the start of the line, over the location.
    if (line.includes('\r')) problems.push(`carriage return in a diagnostic: ${JSON.stringify(line.slice(0, 200))}`);
    if (WARNING_COUNT.test(line)) continue; // --quiet's count of the warnings it does not print
    const m = LOCATED.exec(line);
    if (!m) {
      problems.push(`stderr line is not file:line:col: message: ${JSON.stringify(line.slice(0, 200))}`);
      continue;
    }
    const bad = locProblem({ file: m[1]!, line: Number(m[2]), col: Number(m[3]) }, textOf);
    if (bad) problems.push(`stderr location: ${bad}`);
  }
  if (r.status === 1 && r.stderr.trim() === '') problems.push('exit status 1 with nothing on stderr');
  return [...new Set(problems)];
}

/** `ir HEADER`: JSON on success, nothing on stdout on failure. */
export function irProblems(r: CliResult, textOf: TextOf): string[] {
  const problems = statusProblems(r, textOf);
  if (r.status === 0) {
    try {
      JSON.parse(r.stdout);
    } catch {
      problems.push('ir exited 0 without JSON on stdout');
    }
  }
  if (r.status === 1 && r.stdout !== '') problems.push('ir failed but printed to stdout');
  return problems;
}

/** Path → content hash of every file under `dir`. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else out.set(relative(dir, p), createHash('sha1').update(readFileSync(p)).digest('hex'));
    }
  };
  if (existsSync(dir)) visit(dir);
  return out;
}

function leftovers(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.endsWith('.uapi-ts-new') || n.endsWith('.uapi-ts-old'));
}

/**
 * `generate HEADER --out OUT` where OUT starts as a copy of `previous` (a good package made from the original
 * header): on failure OUT must be unchanged; either way no staging folder may be left behind.
 */
export function generateProblems(root: string, args: readonly string[], out: string, previous: string, textOf: TextOf, timeoutMs: number): string[] {
  rmSync(join(root, out), { recursive: true, force: true });
  cpSync(join(root, previous), join(root, out), { recursive: true });
  const before = snapshot(join(root, out));
  const r = runCli(root, [...args, '--out', out, '-q'], timeoutMs);
  const problems = statusProblems(r, textOf);
  const left = leftovers(join(root, out));
  if (left.length > 0) problems.push(`staging folders left behind: ${left.join(', ')}`);
  if (r.status !== 0) {
    const after = snapshot(join(root, out));
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
    if (changed.length > 0) problems.push(`a failed generate changed the previous output: ${changed.slice(0, 5).join(', ')}`);
  }
  return problems;
}
