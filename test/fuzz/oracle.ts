// The oracle: every case must end in a model (and rendered package), or in the generator's own located error
// whose file is an input file and whose line and column lie inside it. Anything else is a failure: a crash
// (TypeError, RangeError, stack overflow), a hang, a dead process, a location outside the input. A case of only
// neutral mutations must model exactly like the original header.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Outcome } from './runner.js';

export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** The text of a file named in a location: the mutated header, a built-in header, or a file on disk. */
export type TextOf = (file: string) => string | undefined;

export function textOfFiles(overrides: ReadonlyMap<string, string>, builtins: ReadonlyMap<string, string>): TextOf {
  return (file) => {
    const given = overrides.get(file) ?? builtins.get(file);
    if (given !== undefined) return given;
    if (!existsSync(file) || !statSync(file).isFile()) return undefined;
    return readFileSync(file, 'utf8');
  };
}

/** The generator's built-in headers (`<builtin>/linux/types.h`...) by the path its locations give them. */
export async function builtinTexts(root: string): Promise<Map<string, string>> {
  const mod = (await import(pathToFileURL(join(root, 'generator/dist/parse/builtins.js')).href)) as {
    builtinHeader(name: string, target: unknown): { path: string; text: string } | undefined;
  };
  const { DEFAULT_TARGET } = (await import(pathToFileURL(join(root, 'generator/dist/model/target.js')).href)) as { DEFAULT_TARGET: unknown };
  const out = new Map<string, string>();
  for (const name of ['linux/types.h', 'linux/ioctl.h', 'linux/const.h']) {
    const b = mod.builtinHeader(name, DEFAULT_TARGET)!;
    out.set(b.path, b.text);
  }
  return out;
}

/** Why `loc` does not point into an input file, or null when it does. Columns count UTF-16 units, 1-based. */
export function locProblem(loc: Loc, textOf: TextOf): string | null {
  const text = textOf(loc.file);
  if (text === undefined) return `location ${loc.file}:${loc.line}:${loc.col} names no input file`;
  const lines = text.split('\n');
  if (!Number.isInteger(loc.line) || loc.line < 1 || loc.line > lines.length) return `line ${loc.line} is outside ${loc.file} (${lines.length} lines)`;
  const width = lines[loc.line - 1]!.length;
  if (!Number.isInteger(loc.col) || loc.col < 1 || loc.col > width + 1) return `column ${loc.col} is outside line ${loc.line} of ${loc.file} (${width} characters)`;
  return null;
}

/** A diagnostic is one line of text: a line break or carriage return in it breaks `file:line:col: message`. */
function lineProblem(message: string): string | null {
  if (message.trim() === '') return 'a diagnostic with no message';
  if (/[\r\n\u2028\u2029]/.test(message)) return `a diagnostic that is not one line: ${JSON.stringify(message.slice(0, 200))}`;
  return null;
}

export interface Verdict {
  /** null: the case passed. */
  readonly problem: string | null;
  /** One line: what happened ('ok', 'error: file:line:col: reason', 'crash: TypeError: ...'). */
  readonly summary: string;
  /** For a crash: the top of its stack, to find the bug. */
  readonly detail?: string;
}

export function judge(outcome: Outcome, textOf: TextOf, expected: Projection | null): Verdict {
  switch (outcome.kind) {
    case 'ok': {
      const bad = outcome.json.warnings.map((w) => locProblem(w, textOf) ?? lineProblem(w.message)).find((p) => p !== null);
      if (bad) return { problem: `warning at a bad location: ${bad}`, summary: 'ok' };
      if (outcome.broken.length > 0) return { problem: `rendered output holds [object Object]: ${outcome.broken.join(', ')}`, summary: 'ok' };
      if (expected && !isDeepStrictEqual(project(outcome), expected)) return { problem: 'a neutral mutation changed the model', summary: 'ok' };
      return { problem: null, summary: 'ok' };
    }
    case 'header-error': {
      const first = outcome.errors[0];
      const summary = first ? `error: ${first.file}:${first.line}:${first.col}: ${first.reason}` : 'error: (none listed)';
      if (!first) return { problem: 'HeaderErrors with no errors', summary };
      const bad = outcome.errors.map((e) => locProblem(e, textOf) ?? lineProblem(e.reason)).find((p) => p !== null);
      if (bad) return { problem: bad, summary };
      if (expected) return { problem: 'a neutral mutation turned a good header into an error', summary };
      return { problem: null, summary };
    }
    case 'crash':
      return { problem: `crash in ${outcome.stage}: ${outcome.name}: ${firstLine(outcome.message)}`, summary: `crash: ${outcome.name}`, detail: outcome.stack.split('\n').slice(0, 12).join('\n') };
    case 'timeout':
      return { problem: `hang: no result within ${outcome.ms} ms`, summary: 'timeout' };
    case 'died':
      return { problem: `worker died (code ${outcome.code}, signal ${outcome.signal}): ${lastLine(outcome.stderr)}`, summary: 'died' };
  }
}

/** What a neutral mutation must not change: the model without locations. */
export type Projection = unknown;

export function project(outcome: Extract<Outcome, { kind: 'ok' }>): Projection {
  return { model: withoutLocations(outcome.json), docs: outcome.docs };
}

const LOCATION_KEYS = new Set(['header', 'line', 'col', 'file']);

function withoutLocations(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutLocations);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !LOCATION_KEYS.has(k)).map(([k, x]) => [k, withoutLocations(x)]));
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300);
}

function lastLine(s: string): string {
  return s.trim().split('\n').slice(-3).join(' | ').slice(0, 300);
}
