// Ground truth from gcc: turns the model (as `uapi-ts ir` JSON) into a list of facts, writes a C program that
// prints gcc's value of each fact, compiles and runs it, and compares the two, fact by fact.
//
// Output protocol: the program prints one line per fact, `key<TAB>value`. A fact is a C statement that prints
// one or more such lines (its `keys`); the model side gives the expected value of each key (`checks`).
// Reusable beyond layout: a byte-level codec test can add its own facts (e.g. `bytesFact`) to the same program.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldJson } from '../../generator/src/model/json.js';

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
/** Scratch space for generated C files and binaries (gitignored). */
export const OUT_DIR = join(ROOT, 'test', '.out');

/** C for a test program that prints bytes as parseOutput reads them: `dump("key", &x, sizeof x)` → `key\t<hex>`. */
export const C_DUMP = String.raw`static void dump(const char *key, const void *p, size_t n) {
  printf("%s\t", key);
  for (size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *)p)[i]);
  printf("\n");
}`;

export const GCC_FLAGS: readonly string[] = ['-std=gnu11', '-Wall', '-Werror=implicit-function-declaration'];

// ---- the model JSON (generator/src/model/json.ts), the parts the facts need

export interface RecordJson {
  readonly name: string;
  readonly kind: 'struct' | 'union';
  readonly size: number;
  readonly align: number;
  readonly fields: readonly FieldJson[];
}

export interface EnumJson {
  readonly name: string | null;
  readonly size: number;
  readonly values: readonly { readonly name: string; readonly value: string }[];
}

export interface ConstantJson {
  readonly name: string;
  readonly value: string;
  readonly ctype: string;
}

export interface IoctlJson {
  readonly name: string;
  readonly request: string;
  /** The direction, the size field and the argument record (by tag), when the model has them. */
  readonly dir?: string;
  readonly size?: number;
  readonly arg?: string | null;
}

export interface ModelJsonLike {
  readonly records: readonly RecordJson[];
  readonly enums: readonly EnumJson[];
  readonly constants: readonly ConstantJson[];
  readonly ioctls: readonly IoctlJson[];
}

// ---- facts

/** A C statement that prints one line `key<TAB>value` for each of its keys, in order. */
export interface CFact {
  readonly keys: readonly string[];
  readonly code: string;
  /** What the fact asks, for a program that cannot run (cross.ts reads the answers from an object file instead). */
  readonly question?: FactQuestion;
}

/** An integer expression's value, its promoted C type, or where a bit-field's bits lie. */
export type FactQuestion =
  | { readonly kind: 'int'; readonly expr: string }
  | { readonly kind: 'type'; readonly expr: string }
  | { readonly kind: 'bits'; readonly recordType: string; readonly member: string; readonly field?: BitFieldPlace };

/** A bit-field as the model places it: its storage unit (offset from the outermost record, size) and bits. */
export interface BitFieldPlace {
  readonly offset: number;
  readonly size: number;
  readonly bitOffset: number;
  readonly bitWidth: number;
}

/** The model's value for one key. */
export interface Check {
  readonly key: string;
  readonly model: string;
}

function cString(s: string): string {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`fact key must be printable ASCII: ${JSON.stringify(s)}`);
  return JSON.stringify(s); // printable ASCII JSON string escapes are valid C
}

/** An integer expression (sizeof, offsetof, a macro, an enumerator): printed exactly, signed or unsigned. */
export function intFact(key: string, expr: string): CFact {
  return { keys: [key], code: `UAPI_PUT_INT(${cString(key)}, ${expr});`, question: { kind: 'int', expr } };
}

/** The C type of an integer expression after promotion: int, unsigned int, long, ... or `other`. */
export function typeFact(key: string, expr: string): CFact {
  return { keys: [key], code: `uapi_put_str(${cString(key)}, UAPI_TYPE_NAME(${expr}));`, question: { kind: 'type', expr } };
}

/**
 * Where a bit-field lies: writes all-ones into `member` (a C member path) of a zeroed `recordType` and prints
 * the first set bit (byte*8 + bit, bit 0 the least significant) under `posKey` and the number of bits under
 * `widthKey` (-1 when the set bits are not contiguous, which no bit-field does).
 */
export function bitFieldFact(posKey: string, widthKey: string, recordType: string, member: string, field?: BitFieldPlace): CFact {
  return {
    keys: [posKey, widthKey],
    code:
      `{ union { ${recordType} s; unsigned char b[sizeof(${recordType})]; } u; memset(&u, 0, sizeof u); ` +
      `u.s.${member} = uapi_ones; uapi_put_bits(${cString(posKey)}, ${cString(widthKey)}, u.b, sizeof u.b); }`,
    question: { kind: 'bits', recordType, member, ...(field && { field }) },
  };
}

/** The bytes of an object expression, as lowercase hex (for codec tests). */
export function bytesFact(key: string, lvalue: string): CFact {
  return { keys: [key], code: `uapi_put_bytes(${cString(key)}, &(${lvalue}), sizeof(${lvalue}));` };
}

/** Any statement that prints its keys with uapi_put_str / UAPI_PUT_INT / uapi_put_bytes. */
export function rawFact(keys: readonly string[], code: string): CFact {
  return { keys, code };
}

const PRELUDE = String.raw`
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static volatile unsigned long long uapi_ones = ~0ULL;

static __attribute__((unused)) void uapi_put_str(const char *key, const char *s) { printf("%s\t%s\n", key, s); }

static __attribute__((unused)) void uapi_put_int(const char *key, int negative, long long s, unsigned long long u) {
  if (negative) printf("%s\t%lld\n", key, s);
  else printf("%s\t%llu\n", key, u);
}
#define UAPI_PUT_INT(key, x) uapi_put_int((key), (x) < 0, (long long)(x), (unsigned long long)(x))

#define UAPI_TYPE_NAME(x) _Generic(+(x), \
  int: "int", unsigned int: "unsigned int", long: "long", unsigned long: "unsigned long", \
  long long: "long long", unsigned long long: "unsigned long long", default: "other")

static __attribute__((unused)) void uapi_put_bits(const char *pos_key, const char *width_key, const unsigned char *b, size_t n) {
  long first = -1, last = -1, count = 0;
  for (size_t i = 0; i < n * 8; i++) {
    if (b[i / 8] >> (i % 8) & 1) {
      if (first < 0) first = (long)i;
      last = (long)i;
      count++;
    }
  }
  printf("%s\t%ld\n", pos_key, first);
  printf("%s\t%ld\n", width_key, first < 0 ? 0 : count == last - first + 1 ? count : -1);
}

static __attribute__((unused)) void uapi_put_bytes(const char *key, const void *p, size_t n) {
  const unsigned char *b = p;
  printf("%s\t", key);
  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
  printf("\n");
}
`;

/**
 * A complete C program: the prelude, `#include`s of the given headers (absolute paths), one main(). With
 * `headersFirst`, the headers come before the prelude's libc headers, as in a program that includes only them
 * (linux/stat.h defines S_IFMT only where glibc has not been included).
 */
export function renderProgram(headers: readonly string[], facts: readonly CFact[], headersFirst = false): string {
  const includes = headers.map((h) => `#include ${cString(resolve(h))}`).join('\n');
  const body = facts.map((f) => `  ${f.code}`).join('\n');
  const top = headersFirst ? `${includes}\n${PRELUDE}` : `${PRELUDE}\n${includes}`;
  return `${top}\n\nint main(void) {\n${body}\n  return 0;\n}\n`;
}

/** The C member path of a field: named members joined by dots; anonymous members add nothing (C11 6.7.2.1). */
function memberPath(prefix: string, f: FieldJson): string {
  if (f.name === null) return prefix;
  return prefix === '' ? f.name : `${prefix}.${f.name}`;
}

function isFlexible(f: FieldJson): boolean {
  return f.type.includes('[]');
}

/**
 * The facts a model states, and its value for each:
 *  - every record: sizeof, _Alignof;
 *  - every named field (also inside anonymous members and members of anonymous record type): offsetof and
 *    sizeof; a bit-field instead: first bit and width; a flexible array member: offsetof only (no sizeof in C);
 *    an anonymous member itself has no name to ask gcc about, so only its fields are checked;
 *  - every named enum: sizeof; every enumerator: value;
 *  - every constant: value and C type; every ioctl: request number, and for one with a direction (`_IOR`, `_IOW`,
 *    `_IOWR`: its size field is its argument's size; a `#define` or an enumerator's value) and an argument record of
 *    the header, that record's sizeof is the size field.
 */
export function modelFacts(model: ModelJsonLike): { facts: CFact[]; checks: Check[] } {
  const facts: CFact[] = [];
  const checks: Check[] = [];
  const add = (fact: CFact, values: readonly (string | number | bigint)[]): void => {
    facts.push(fact);
    fact.keys.forEach((k, i) => checks.push({ key: k, model: String(values[i]) }));
  };
  for (const r of model.records) {
    const t = `${r.kind} ${r.name}`;
    add(intFact(`${t}: sizeof`, `sizeof(${t})`), [r.size]);
    add(intFact(`${t}: alignof`, `_Alignof(${t})`), [r.align]);
    const visit = (fields: readonly FieldJson[], prefix: string): void => {
      for (const f of fields) {
        const path = memberPath(prefix, f);
        if (f.name !== null) {
          const k = `${t}.${path}`;
          if (f.bitWidth !== undefined) {
            const place = { offset: f.offset, size: f.size, bitOffset: f.bitOffset ?? 0, bitWidth: f.bitWidth };
            add(bitFieldFact(`${k}: bit offset`, `${k}: bit width`, t, path, place), [f.offset * 8 + (f.bitOffset ?? 0), f.bitWidth]);
          } else {
            add(intFact(`${k}: offsetof`, `offsetof(${t}, ${path})`), [f.offset]);
            if (!isFlexible(f)) add(intFact(`${k}: sizeof`, `sizeof(((${t} *)0)->${path})`), [f.size]);
          }
        }
        if (f.fields) visit(f.fields, path);
      }
    };
    visit(r.fields, '');
  }
  for (const e of model.enums) {
    if (e.name !== null) add(intFact(`enum ${e.name}: sizeof`, `sizeof(enum ${e.name})`), [e.size]);
    for (const v of e.values) add(intFact(`enumerator ${v.name}: value`, v.name), [v.value]);
  }
  for (const c of model.constants) {
    add(intFact(`#define ${c.name}: value`, c.name), [c.value]);
    add(typeFact(`#define ${c.name}: type`, c.name), [c.ctype]);
  }
  const kinds = new Map(model.records.map((r) => [r.name, r.kind]));
  for (const io of model.ioctls) {
    add(intFact(`ioctl ${io.name}: request`, io.name), [io.request]);
    const kind = io.arg ? kinds.get(io.arg) : undefined;
    if (kind && io.dir !== undefined && io.dir !== 'none' && io.size !== undefined) add(intFact(`ioctl ${io.name}: sizeof its argument`, `sizeof(${kind} ${io.arg})`), [io.size]);
  }
  return { facts, checks };
}

// ---- gcc

export interface RunOptions {
  readonly includeDirs: readonly string[];
  /** A short name for the files (letters, digits, `-`, `.`, `_`). */
  readonly name: string;
  /** Parent of the scratch folder; default test/.out/conformance. */
  readonly outDir?: string;
  /** The headers before the prelude's libc headers (renderProgram). */
  readonly headersFirst?: boolean;
}

export interface RunResult {
  readonly dir: string; // the scratch folder holding the C file and the binary
  readonly cFile: string;
  readonly stdout: string;
}

/** Removes a run's scratch folder (keep it when a check failed: the message names the C file). */
export function removeRun(run: RunResult): void {
  rmSync(run.dir, { recursive: true, force: true });
}

/** Compiles `source` with gcc and runs it. Throws with gcc's diagnostics (and the C file's path) on failure. */
export function compileAndRun(source: string, options: RunOptions): RunResult {
  const parent = options.outDir ?? join(OUT_DIR, 'conformance');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, `${options.name}-`));
  const cFile = join(dir, `${options.name}.c`);
  const exe = join(dir, options.name);
  writeFileSync(cFile, source);
  const includes = options.includeDirs.flatMap((d) => ['-I', resolve(d)]);
  try {
    execFileSync('gcc', [...GCC_FLAGS, ...includes, '-o', exe, cFile], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`gcc failed on ${cFile}:\n${err.stderr?.toString() ?? err.message}`);
  }
  try {
    const stdout = execFileSync(exe, [], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).toString();
    return { dir, cFile, stdout };
  } catch (e) {
    throw new Error(`${exe} failed: ${(e as Error).message}`);
  }
}

/** `key<TAB>value` lines → map; throws on a malformed or repeated line. */
export function parseOutput(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    if (tab < 0) throw new Error(`malformed output line from the C program: ${JSON.stringify(line)}`);
    const key = line.slice(0, tab);
    if (out.has(key)) throw new Error(`the C program printed ${key} twice`);
    out.set(key, line.slice(tab + 1));
  }
  return out;
}

export interface Mismatch {
  readonly key: string;
  readonly gcc: string | undefined; // undefined: gcc printed nothing for the key
  readonly model: string | undefined; // undefined: the program printed a key the model has no value for
}

export function compareFacts(checks: readonly Check[], gcc: ReadonlyMap<string, string>): Mismatch[] {
  const out: Mismatch[] = [];
  const seen = new Set<string>();
  for (const c of checks) {
    seen.add(c.key);
    const g = gcc.get(c.key);
    if (g !== c.model) out.push({ key: c.key, gcc: g, model: c.model });
  }
  for (const [key, g] of gcc) if (!seen.has(key)) out.push({ key, gcc: g, model: undefined });
  return out;
}

export function formatMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches
    .map((m) => `  ${m.key}: gcc ${m.gcc ?? '(no output)'}, model ${m.model ?? '(no fact)'}`)
    .join('\n');
}

export interface ConformanceResult {
  readonly checked: number;
  readonly lines: number;
  readonly mismatches: readonly Mismatch[];
  readonly cFile: string;
}

/** Everything together: the model's facts about `header` (or the last of several, included in order), checked by gcc. */
export function checkModelWithGcc(model: ModelJsonLike, header: string | readonly string[], options: RunOptions): ConformanceResult {
  const { facts, checks } = modelFacts(model);
  const run = compileAndRun(renderProgram(typeof header === 'string' ? [header] : header, facts, options.headersFirst), options);
  const gcc = parseOutput(run.stdout);
  const mismatches = compareFacts(checks, gcc);
  if (mismatches.length === 0 && gcc.size === checks.length) removeRun(run);
  return { checked: checks.length, lines: gcc.size, mismatches, cFile: run.cFile };
}
