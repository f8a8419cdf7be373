// Byte-level ground truth from gcc for the generated codecs (used by bytes.test.ts).
//
// For every named record of a model this plans "cases": a case picks one member of every union the record
// reaches and gives every scalar leaf it then reaches (through nested records, array elements and the chosen
// union members, `__reserved*` fields excepted) a deterministic value derived from a hash of (record, case, leaf
// path). The same plan yields
//   - a C block that memsets the record to 0, assigns every chosen leaf through plain C member access and prints
//     `CASE <id> <hex of all sizeof bytes>`, and
//   - the matching TypeScript init object for `<Codec>.encode`, plus the list of leaves to check after decode.
// Independent of the generator's emit code and of layout.test.ts / cprogram.ts on purpose: only the model
// (offsets, types) is shared, and gcc is the judge of the bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pascalCase } from '../../generator/src/emit/names.js';
import type { CType, Endian, Field, RecordDef } from '../../generator/src/model/types.js';

export const GCC_FLAGS: readonly string[] = ['-std=gnu11', '-O0', '-Wall', '-Werror'];

// ---- names

/** The generated codec's name for a C tag: `iommu_test_cmd` → `IommuTestCmd` (the generator's own rule). */
export const tsNameOf = pascalCase;

/** `__reserved`, `__reserved2`: never written by the encoders, always decoded. */
export function isReservedName(name: string): boolean {
  return /^__reserved\d*$/.test(name);
}

// ---- leaves

/** What a leaf holds, as far as its bytes are concerned. */
export interface LeafType {
  readonly name: string; // C spelling of the scalar, `pointer`, or the enum's underlying type
  readonly size: number; // storage bytes
  readonly signed: boolean;
  readonly float: boolean;
  readonly bool: boolean;
  readonly pointer: boolean;
  readonly endian: Endian;
}

export type LeafValue = bigint | number | boolean;

export interface Leaf {
  /** C member access appended to the variable: `.add_reserved.start`, `.idr[3]`, `.in_data_type`. */
  readonly c: string;
  /** The path in the TS value (anonymous members hoisted, arrays by index). */
  readonly path: readonly (string | number)[];
  /** For messages: `add_reserved.start`, `idr[3]`. */
  readonly display: string;
  readonly type: LeafType;
  /** Absolute byte offset of the storage in the outer record. */
  readonly offset: number;
  readonly bitField: { readonly bitOffset: number; readonly bitWidth: number } | null;
  /** Under a `__reserved*` field: not assigned, expected to decode as what gcc's bytes hold (0 unless shared). */
  readonly reserved: boolean;
}

export interface ValuedLeaf extends Leaf {
  readonly value: LeafValue;
}

/** Whether the TS codec represents the leaf as a bigint (64-bit integers, wide bit-fields). */
export function isBigLeaf(l: Leaf): boolean {
  if (l.type.float || l.type.bool) return false;
  return l.bitField ? l.type.size === 8 && l.bitField.bitWidth > 32 : l.type.size === 8;
}

function leafTypeOf(t: CType): LeafType | null {
  if (t.kind === 'scalar') {
    return { name: t.name, size: t.size, signed: t.signed, float: t.float, bool: t.name === '_Bool', pointer: false, endian: t.endian };
  }
  if (t.kind === 'enum') {
    const u = t.enumType.underlying;
    return { name: u.name, size: u.size, signed: u.signed, float: false, bool: false, pointer: false, endian: u.endian };
  }
  if (t.kind === 'pointer') return { name: 'pointer', size: 8, signed: false, float: false, bool: false, pointer: true, endian: 'native' };
  return null;
}

// ---- walking a record

/** How unions are resolved by a walk: `all` visits every member (for decode checks and messages). */
type Choice = 'all' | ((unionKey: string, members: number) => number);

interface WalkCtx {
  readonly choice: Choice;
  readonly leaves: Leaf[];
  /** Every union reached, by key, with its member count (filled in `all` walks). */
  readonly unions: Map<string, { readonly members: number; readonly display: string }>;
  /** Picked member names per union key (filled by chosen walks). */
  readonly picks: string[];
  /** Leaf → where its value goes in the init object under construction (chosen walks). */
  readonly slots: Map<Leaf, { readonly parent: Record<string, unknown> | unknown[]; readonly slot: string | number }>;
}

interface Place {
  readonly offset: number; // absolute offset of the container
  readonly c: string;
  readonly path: readonly (string | number)[];
  readonly display: string;
  readonly reserved: boolean;
}

function join2(display: string, name: string): string {
  return display === '' ? name : `${display}.${name}`;
}

/** Walks the fields of record `r` placed at `at`; `init` (when given) receives the TS init object's members. */
function walkRecord(r: RecordDef, at: Place, key: string, ctx: WalkCtx, init: Record<string, unknown> | null): void {
  let fields: readonly (readonly [Field, number])[] = r.fields.map((f, i) => [f, i] as const);
  if (r.kind === 'union') {
    const ukey = `${key}#${r.path}`;
    if (!ctx.unions.has(ukey)) ctx.unions.set(ukey, { members: r.fields.length, display: at.display === '' ? `(${r.kind} ${r.name ?? r.path})` : at.display });
    if (ctx.choice !== 'all' && r.fields.length > 0) {
      const k = ctx.choice(ukey, r.fields.length) % r.fields.length;
      const f = r.fields[k]!;
      ctx.picks.push(`${at.display || r.name || r.path}=${f.name ?? `<anonymous ${k}>`}`);
      fields = [[f, k]];
    }
  }
  for (const [f, i] of fields) {
    const offset = at.offset + f.offset;
    if (f.name === null) {
      // Anonymous struct/union: its members are reached (in C and in TS) through the parent. Unnamed bit-field: padding.
      if (f.type.kind === 'record') walkRecord(f.type.record, { ...at, offset }, `${key}/${i}`, ctx, init);
      continue;
    }
    const place: Place = {
      offset,
      c: `${at.c}.${f.name}`,
      path: [...at.path, f.name],
      display: join2(at.display, f.name),
      reserved: at.reserved || isReservedName(f.name),
    };
    walkType(f.type, f, place, `${key}/${f.name}`, ctx, init, f.name);
  }
}

function walkType(
  t: CType, f: Field, at: Place, key: string, ctx: WalkCtx,
  parent: Record<string, unknown> | unknown[] | null, slot: string | number,
): void {
  const set = (v: unknown): void => {
    if (parent === null || at.reserved) return;
    (parent as Record<string | number, unknown>)[slot] = v;
  };
  if (t.kind === 'record') {
    const obj: Record<string, unknown> = {};
    set(obj);
    walkRecord(t.record, at, key, ctx, at.reserved ? null : parent === null ? null : obj);
    return;
  }
  if (t.kind === 'array') {
    if (t.length === null || t.length === 0) return; // flexible/empty array: no bytes inside sizeof
    const arr: unknown[] = new Array(t.length);
    set(arr);
    const stride = sizeOfCType(t.element);
    for (let k = 0; k < t.length; k++) {
      walkType(t.element, f, {
        offset: at.offset + k * stride,
        c: `${at.c}[${k}]`,
        path: [...at.path, k],
        display: `${at.display}[${k}]`,
        reserved: at.reserved,
      }, `${key}[${k}]`, ctx, at.reserved || parent === null ? null : arr, k);
    }
    return;
  }
  const type = leafTypeOf(t);
  if (!type) return;
  const leaf: Leaf = { c: at.c, path: at.path, display: at.display, type, offset: at.offset, bitField: f.bitField, reserved: at.reserved };
  ctx.leaves.push(leaf);
  // The value is filled in by planRecord, which sees the leaf list in order; remember where it goes.
  if (parent !== null && !at.reserved) ctx.slots.set(leaf, { parent, slot });
}

/** sizeof a member type (arrays of arrays included). */
function sizeOfCType(t: CType): number {
  switch (t.kind) {
    case 'scalar': return t.size;
    case 'enum': return t.enumType.underlying.size;
    case 'pointer': return 8;
    case 'record': return t.record.size;
    case 'array': return (t.length ?? 0) * sizeOfCType(t.element);
  }
}

/** Every leaf of a record, every union member included (reserved fields too). */
export function allLeaves(r: RecordDef): { leaves: Leaf[]; unions: Map<string, { members: number; display: string }> } {
  const ctx: WalkCtx = { choice: 'all', leaves: [], unions: new Map(), picks: [], slots: new Map() };
  walkRecord(r, { offset: 0, c: '', path: [], display: '', reserved: false }, '', ctx, null);
  return { leaves: ctx.leaves, unions: ctx.unions };
}

// ---- values

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/** FNV-1a, 64-bit, over the UTF-16 code units of `s` (ASCII here). */
export function hash64(s: string): bigint {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i) & 0xff);
    h = (h * FNV_PRIME) & 0xffffffffffffffffn;
  }
  // Finalise (splitmix-style) so that nearby inputs differ in all bits, the high ones included.
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & 0xffffffffffffffffn;
  h ^= h >> 33n;
  return h;
}

/**
 * The value of a leaf: sized to its type and never 0 for integers (so a missed write shows). `ordinal` counts
 * the case's leaves of the same signedness: even ordinals get the top bit set, so the first signed leaf of
 * every case is negative and signed leaves alternate; unsigned leaves alternate between the upper half of their
 * range (≥ 2^63 for 64-bit ones, past Number.MAX_SAFE_INTEGER) and the lower half. Every other lower-half 64-bit
 * value is cut to 52 bits, and every other negative 64-bit one is made a negative safe integer: values the test
 * also encodes given as numbers.
 */
export function leafValue(l: Leaf, seed: string, ordinal: number): LeafValue {
  const h = hash64(seed);
  if (l.type.bool) return (h & 1n) === 1n || ordinal % 2 === 0;
  if (l.type.float) {
    // k/16 with |k| < 2^20: exact in float32 and float64, and printed exactly by JS as a C decimal literal.
    const k = Number(h & 0xfffffn) || 1;
    return (ordinal % 2 === 0 ? -k : k) / 16;
  }
  const bits = l.bitField ? l.bitField.bitWidth : l.type.size * 8;
  const w = BigInt(bits);
  const top = 1n << (w - 1n);
  let v = h & ((1n << w) - 1n);
  v = ordinal % 2 === 0 ? v | top : v & ~top;
  if (bits === 64 && ordinal % 4 === 1) v &= (1n << 52n) - 1n;
  if (bits === 64 && l.type.signed && ordinal % 4 === 0) return -(v & ((1n << 52n) - 1n)) - 1n; // negative, safe
  if (v === 0n) v = 1n;
  if (l.type.signed) v = BigInt.asIntN(bits, v);
  return isBigLeaf(l) ? v : Number(v);
}

// ---- cases

export interface Case {
  /** `<record>#<index>`: the key gcc prints. */
  readonly id: string;
  readonly record: RecordDef;
  readonly index: number;
  /** The union members this case picked, for messages. */
  readonly picks: readonly string[];
  /** Every leaf reached (reserved ones included); non-reserved ones carry the value assigned. */
  readonly leaves: readonly ValuedLeaf[];
  /** The init object for the TS encoder. */
  readonly init: Record<string, unknown>;
}

export interface RecordPlan {
  readonly record: RecordDef;
  readonly cType: string; // `struct iommu_hw_info`
  readonly tsName: string;
  readonly cases: readonly Case[];
  /** Every leaf, every union member included: to check decode completely and to name a byte's field. */
  readonly all: readonly Leaf[];
}

/** One case per member of the largest union the record reaches (1 without unions); other unions cycle. */
export function planRecord(r: RecordDef): RecordPlan {
  if (r.name === null) throw new Error(`planRecord: anonymous record ${r.path}`);
  const { leaves: all, unions } = allLeaves(r);
  const count = Math.max(1, ...[...unions.values()].map((u) => u.members));
  const cases: Case[] = [];
  for (let index = 0; index < count; index++) {
    const ctx: WalkCtx = { choice: (_key, members) => index % members, leaves: [], unions: new Map(), picks: [], slots: new Map() };
    const init: Record<string, unknown> = {};
    walkRecord(r, { offset: 0, c: '', path: [], display: '', reserved: false }, '', ctx, init);
    // Signed leaves count from 0 in every case (the first is negative); unsigned ones from the case index.
    const ordinals = { signed: 0, unsigned: index };
    const leaves: ValuedLeaf[] = ctx.leaves.map((l) => {
      if (l.reserved) return { ...l, value: 0 };
      const ordinal = l.type.signed ? ordinals.signed++ : ordinals.unsigned++;
      const value = leafValue(l, `${r.kind} ${r.name}|${index}|${l.display}`, ordinal);
      const slot = ctx.slots.get(l);
      if (!slot) throw new Error(`no init slot for ${r.name}.${l.display}`);
      (slot.parent as Record<string | number, unknown>)[slot.slot] = value;
      return { ...l, value };
    });
    cases.push({ id: `${r.name}#${index}`, record: r, index, picks: ctx.picks, leaves, init });
  }
  return { record: r, cType: `${r.kind} ${r.name}`, tsName: tsNameOf(r.name), cases, all };
}

// ---- C

function cInt(v: bigint, signed: boolean): string {
  if (!signed) return `0x${v.toString(16)}ULL`;
  if (v === -(1n << 63n)) return '(-0x7fffffffffffffffLL - 1)';
  return `${v}LL`;
}

/** The C expression that stores `value` in the leaf's bytes as the model's endianness says. */
export function cValue(l: ValuedLeaf): string {
  const v = l.value;
  if (l.type.bool) return v ? '1' : '0';
  if (l.type.float) {
    const s = String(v);
    return /[.e]/.test(s) ? s : `${s}.0`;
  }
  const n = BigInt(v as bigint | number);
  if (l.type.pointer) return `(void *)(uintptr_t)${cInt(n, false)}`;
  const lit = cInt(n, l.type.signed);
  if (l.type.endian === 'big' && l.type.size > 1 && !l.bitField) {
    const bits = l.type.size * 8;
    return `__builtin_bswap${bits}((uint${bits}_t)${lit})`;
  }
  return lit; // x86-64 is little-endian: 'native' and 'little' store as they are
}

function cString(s: string): string {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`not printable ASCII: ${JSON.stringify(s)}`);
  return JSON.stringify(s);
}

const PRELUDE = `#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the expected bytes assume a little-endian target");

static void uapi_dump(const char *id, const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  printf("CASE %s ", id);
  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
  putchar('\\n');
}
`;

/** One C program for a package: every case of every plan, in order. */
export function renderBytesProgram(header: string, plans: readonly RecordPlan[]): string {
  const blocks: string[] = [];
  for (const p of plans) {
    for (const c of p.cases) {
      const lines = [`  { /* ${p.cType}, case ${c.index}${c.picks.length ? `: ${c.picks.join(', ')}` : ''} */`];
      lines.push(`    ${p.cType} s;`, '    memset(&s, 0, sizeof s);');
      for (const l of c.leaves) {
        if (l.reserved) continue;
        // Through memcpy from an initialized copy: a `const` member (sed-opal.h's) can be initialized, not assigned
        // (the casts drop `const` and `volatile`, wmi.h's).
        if (l.bitField) lines.push(`    s${l.c} = ${cValue(l)};`);
        else lines.push(`    { __typeof__(s${l.c}) v = ${cValue(l)}; memcpy((void *)&s${l.c}, (const void *)&v, sizeof v); }`);
      }
      lines.push(`    uapi_dump(${cString(c.id)}, &s, sizeof s);`, '  }');
      blocks.push(lines.join('\n'));
    }
  }
  return `${PRELUDE}\n#include ${cString(resolve(header))}\n\nint main(void) {\n${blocks.join('\n')}\n  return 0;\n}\n`;
}

export interface GccRun {
  readonly dir: string;
  readonly cFile: string;
  /** Case id → bytes. */
  readonly bytes: ReadonlyMap<string, Uint8Array>;
  readonly lines: number;
}

/** Writes, compiles (gcc) and runs the program in a fresh directory under the OS temp dir. */
export function compileAndRunBytes(source: string, includeDirs: readonly string[], name: string, flags: readonly string[] = GCC_FLAGS): GccRun {
  const dir = mkdtempSync(join(tmpdir(), `uapi-ts-${name}-`));
  const cFile = join(dir, `${name}.c`);
  const exe = join(dir, name);
  writeFileSync(cFile, source);
  const includes = includeDirs.flatMap((d) => ['-I', resolve(d)]);
  try {
    execFileSync('gcc', [...flags, ...includes, '-o', exe, cFile], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`gcc failed on ${cFile}:\n${err.stderr?.toString() ?? err.message}`);
  }
  const stdout = execFileSync(exe, [], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).toString();
  const bytes = new Map<string, Uint8Array>();
  let lines = 0;
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    lines++;
    const m = /^CASE (\S+) ([0-9a-f]*)$/.exec(line);
    if (!m || m[2]!.length % 2 !== 0) throw new Error(`unexpected output line from ${exe}: ${line}`);
    if (bytes.has(m[1]!)) throw new Error(`case ${m[1]} printed twice by ${exe}`);
    bytes.set(m[1]!, Uint8Array.from(m[2]!.match(/../g) ?? [], (x) => parseInt(x, 16)));
  }
  return { dir, cFile, bytes, lines };
}

export function removeRun(run: GccRun): void {
  rmSync(run.dir, { recursive: true, force: true });
}

// ---- reading gcc's bytes back (the reference the decoder is compared to)

/** The leaf's value as the bytes hold it, per the model's offset, size, signedness, endianness and bit position. */
export function readLeaf(bytes: Uint8Array, l: Leaf): LeafValue {
  const { size } = l.type;
  // A bit-field's bytes are those its bits span (in a packed record its storage unit may run past the end).
  const span = l.bitField ? (l.bitField.bitOffset + l.bitField.bitWidth + 7) >> 3 : size;
  if (l.offset + span > bytes.length) throw new RangeError(`${l.display}: offset ${l.offset}+${span} is past ${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = l.type.endian !== 'big';
  if (l.type.bool) return bytes[l.offset] !== 0;
  if (l.type.float) return size === 4 ? dv.getFloat32(l.offset, le) : dv.getFloat64(l.offset, le);
  let v = 0n;
  if (l.bitField) {
    const { bitOffset, bitWidth } = l.bitField;
    for (let k = 0; k < bitWidth; k++) {
      const at = bitOffset + k;
      if ((bytes[l.offset + (at >> 3)]! >> (at & 7)) & 1) v |= 1n << BigInt(k);
    }
    if (l.type.signed) v = BigInt.asIntN(bitWidth, v);
  } else {
    for (let k = 0; k < size; k++) {
      const b = BigInt(bytes[l.offset + (le ? k : size - 1 - k)]!);
      v |= b << BigInt(8 * k);
    }
    if (l.type.signed) v = BigInt.asIntN(size * 8, v);
  }
  return isBigLeaf(l) ? v : Number(v);
}

/** The value at `path` in a decoded object, or undefined. */
export function getPath(obj: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** Which fields (every union member) cover byte `offset`, for messages. */
export function fieldsAt(all: readonly Leaf[], offset: number): string {
  const hit = all.filter((l) => offset >= l.offset && offset < l.offset + l.type.size).map((l) => `${l.display} (${l.type.name} at ${l.offset})`);
  return hit.length ? hit.join(' | ') : 'padding';
}

export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n (0x${BigInt.asUintN(64, v).toString(16)})`;
  if (typeof v === 'number') return Number.isInteger(v) ? `${v} (0x${(v >>> 0).toString(16)})` : String(v);
  return v === undefined ? 'undefined' : JSON.stringify(v);
}
