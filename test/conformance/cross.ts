// Ground truth from a cross-compiler, for targets whose programs cannot run here. The model's facts (cprogram.ts
// modelFacts) become one initialized object in a section of its own: integers and C type codes as unsigned long
// long, and for each bit-field a copy of its record with that field set to all-ones. `<triplet>-gcc -c` lays it
// out as the target does, `<triplet>-objcopy -O binary -j` gives the section's bytes, decoded here in the
// target's byte order, and compared with the model key by key as the run-time check does.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { bitFieldShift } from '../../generator/src/model/layout.js';
import type { Target } from '../../generator/src/model/target.js';
import {
  compareFacts, modelFacts, OUT_DIR, removeRun, type BitFieldPlace, type CFact, type ConformanceResult, type ModelJsonLike,
} from './cprogram.js';
import { hasCrossCompiler as hasCrossToolchain } from '../lib/cross-object.js';

const run = promisify(execFile);

/** Debian's package of a target's cross-compiler (what .ci/run installs). */
export function crossPackage(t: Target): string {
  return `gcc-${t.triplet}`;
}

/** Whether the target's cross toolchain (gcc, objcopy, nm) is installed. */
export function hasCrossCompiler(t: Target): boolean {
  return hasCrossToolchain(t.triplet);
}

const TYPE_CODES = ['other', 'int', 'unsigned int', 'long', 'unsigned long', 'long long', 'unsigned long long'];
const SECTION = '.uapi_facts';

/** How one fact's answer is stored: slots of `v` (unsigned long long each), read back in order. */
type Slot =
  | { kind: 'int'; keys: readonly string[] }
  | { kind: 'type'; keys: readonly string[] }
  | { kind: 'bits'; keys: readonly string[]; field?: BitFieldPlace | undefined };

/** The C source of the facts object, and how to read it back. */
export function renderFactObject(headers: readonly string[], facts: readonly CFact[], headersFirst: boolean): { source: string; slots: Slot[] } {
  const values: string[] = [];
  const members: string[] = [];
  const inits: string[] = [];
  const slots: Slot[] = [];
  facts.forEach((f) => {
    const q = f.question;
    if (!q) throw new Error(`fact ${f.keys.join(', ')} cannot be read from an object file`);
    if (q.kind === 'int') values.push(`(${q.expr}) < 0`, `(unsigned long long)(${q.expr})`);
    else if (q.kind === 'type') values.push(`UAPI_TYPE_CODE(${q.expr})`);
    else {
      const n = members.length;
      members.push(`  union { ${q.recordType} s; unsigned char b[sizeof(${q.recordType})]; } b${n};`);
      inits.push(`  .b${n} = { .s = { .${q.member} = ~0ULL } },`);
      values.push(`offsetof(struct uapi_facts, b${n})`, `sizeof(${q.recordType})`);
    }
    slots.push(q.kind === 'bits' ? { kind: 'bits', keys: f.keys, field: q.field } : { kind: q.kind, keys: f.keys });
  });
  const includes = headers.map((h) => `#include ${JSON.stringify(resolve(h))}`).join('\n');
  const prelude = `#include <stddef.h>
#define UAPI_TYPE_CODE(x) _Generic(+(x), int: 1, unsigned int: 2, long: 3, unsigned long: 4, long long: 5, \\
  unsigned long long: 6, default: 0)`;
  const source = `${headersFirst ? `${includes}\n${prelude}` : `${prelude}\n${includes}`}

struct uapi_facts {
  unsigned long long v[${Math.max(1, values.length)}];
${members.join('\n')}
};

const struct uapi_facts uapi_facts __attribute__((section("${SECTION}"))) = {
  .v = {
${values.map((v) => `    ${v},`).join('\n')}
  },
${inits.join('\n')}
};
`;
  return { source, slots };
}

/** The answers in the section's bytes, as the run-time program prints them (`parseOutput`). */
export function decodeFacts(bytes: Buffer, slots: readonly Slot[], endian: Target['endian']): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  const next = (): bigint => {
    const at = 8 * i++;
    if (at + 8 > bytes.length) throw new Error(`the facts section has ${bytes.length} bytes, fewer than its values need`);
    return endian === 'little' ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at);
  };
  for (const s of slots) {
    if (s.kind === 'int') {
      const negative = next() !== 0n;
      const u = next();
      out.set(s.keys[0]!, String(negative ? BigInt.asIntN(64, u) : u));
    } else if (s.kind === 'type') {
      out.set(s.keys[0]!, TYPE_CODES[Number(next())] ?? 'other');
    } else {
      const offset = Number(next());
      const size = Number(next());
      const [pos, width] = setBits(bytes.subarray(offset, offset + size), endian);
      out.set(s.keys[0]!, String(pos));
      out.set(s.keys[1]!, String(width));
    }
  }
  return out;
}

/**
 * The first set bit and the number of set bits (-1 when not contiguous), counting bits in gcc's allocation
 * order: from the least significant bit of each byte on a little-endian target, from the most significant on a
 * big-endian one (what Field.bitField.bitOffset means).
 */
function setBits(b: Buffer, endian: Target['endian']): [number, number] {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 0; i < b.length * 8; i++) {
    const bit = endian === 'little' ? i % 8 : 7 - (i % 8);
    if ((b[i >> 3]! >> bit) & 1) {
      if (first < 0) first = i;
      last = i;
      count++;
    }
  }
  return [first, first < 0 ? 0 : count === last - first + 1 ? count : -1];
}

/**
 * What a codec reads: each bit-field's storage unit as an integer in the target's byte order holds the field at
 * the model's bitFieldShift. The gcc side is the lowest set bit of that integer in the all-ones object; checked
 * where the unit lies inside the record (a packed record's last unit may not).
 */
function shiftChecks(bytes: Buffer, slots: readonly Slot[], target: Target, gcc: Map<string, string>): { key: string; model: string }[] {
  const out: { key: string; model: string }[] = [];
  let i = 0;
  const next = (): number => Number(target.endian === 'little' ? bytes.readBigUInt64LE(8 * i++) : bytes.readBigUInt64BE(8 * i++));
  for (const s of slots) {
    if (s.kind !== 'bits') {
      i += s.kind === 'int' ? 2 : 1;
      continue;
    }
    const at = next();
    const size = next();
    const f = s.field;
    if (!f || f.offset + f.size > size) continue;
    const unit = bytes.subarray(at + f.offset, at + f.offset + f.size);
    let value = 0n;
    for (const b of target.endian === 'little' ? [...unit].reverse() : unit) value = (value << 8n) | BigInt(b);
    let low = 0;
    while (low < f.size * 8 && ((value >> BigInt(low)) & 1n) === 0n) low++;
    const key = `${s.keys[0]!.replace(/: bit offset$/, '')}: value shift`;
    gcc.set(key, String(low));
    out.push({ key, model: String(bitFieldShift(f, f.size, target.endian)) });
  }
  return out;
}

export interface CrossOptions {
  readonly includeDirs: readonly string[];
  readonly name: string;
  readonly headersFirst?: boolean;
}

/** The model's facts about `headers` (the last is the one modelled) checked by the target's cross-compiler. */
export async function checkModelOnTarget(model: ModelJsonLike, headers: readonly string[], target: Target, options: CrossOptions): Promise<ConformanceResult> {
  return checkModelsOnTarget([{ model, prefix: '' }], headers, target, options);
}

/**
 * Several models' facts in one compile (one object for a batch of headers that compile together): each model's
 * keys start with its prefix.
 */
export async function checkModelsOnTarget(
  models: readonly { readonly model: ModelJsonLike; readonly prefix: string }[],
  headers: readonly string[],
  target: Target,
  options: CrossOptions,
): Promise<ConformanceResult> {
  const facts: CFact[] = [];
  const checks: { key: string; model: string }[] = [];
  for (const { model, prefix } of models) {
    const m = modelFacts(model);
    facts.push(...m.facts.map((f) => ({ ...f, keys: f.keys.map((k) => prefix + k) })));
    checks.push(...m.checks.map((c) => ({ key: prefix + c.key, model: c.model })));
  }
  const { source, slots } = renderFactObject(headers, facts, options.headersFirst ?? false);
  const parent = join(OUT_DIR, 'cross');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, `${options.name}-${target.name}-`));
  const cFile = join(dir, 'facts.c');
  const obj = join(dir, 'facts.o');
  const bin = join(dir, 'facts.bin');
  writeFileSync(cFile, source);
  const includes = options.includeDirs.flatMap((d) => ['-I', resolve(d)]);
  try {
    await run(`${target.triplet}-gcc`, ['-std=gnu11', '-Wno-overflow', ...includes, '-c', '-o', obj, cFile], { maxBuffer: 64 << 20 });
    await run(`${target.triplet}-objcopy`, ['-O', 'binary', '-j', SECTION, obj, bin]);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${target.triplet}-gcc failed on ${cFile}:\n${err.stderr || err.message}`);
  }
  const bytes = readFileSync(bin);
  const gcc = decodeFacts(bytes, slots, target.endian);
  checks.push(...shiftChecks(bytes, slots, target, gcc));
  const mismatches = compareFacts(checks, gcc);
  if (mismatches.length === 0 && gcc.size === checks.length) removeRun({ dir, cFile, stdout: '' });
  return { checked: checks.length, lines: gcc.size, mismatches, cFile };
}

/** Runs async jobs at most `n` at a time (the machine's cores), each promise as its own job's result. */
export function limited(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
