// The statements of a record's encoder, in two phases: every field is read and checked into a local, then every
// byte of the record is written exactly once (fields, and zero for padding, reserved and omitted fields).
// So bad input throws before anything is written, and the encoder costs about what a hand-written one does
// (bench/codecs): each check is inline, with a call into the runtime only on its slow path (an omitted field,
// a number for a 64-bit field, a wrong value), so no shared helper's type feedback slows every record down. The
// scalar fields share one slow path per record (`scalars`), and an omitted short array is the runtime's zeros: both
// keep encoders short enough for V8 to inline them into their callers (460 bytes of bytecode at most).
// Handling an omitted field inline too made every encoder longer and slower when all fields are given (it was
// no longer inlined into its caller: small records went from 0.9x to 1.4x hand-written), so it is not.
// Nested records of integers are written by their holder's encoder (inline-records.ts), and union members join the
// one test as "omitted, or fitting".
import { inlineRecords, type Holder, type InlineCheck, type InlineLookup } from './inline-records.js';
import { loopOver, UNROLL, type LoopLevel } from './loop-view.js';
import { recordGridViews, type RecordGridCheck, type RecordGridWrite } from './record-grid-view.js';
import type { EncodeStep } from './views.js';

/**
 * Reads field `prop` into `local`. `check` names the C type's check (`u32`, `s64`, `ptr`, `bool`, `f32`, ...): the
 * templates write its inline fast-path test (templates/partials/misfit.hbs) and call `rt.<check>` on the slow path.
 */
export type CheckView =
  | {
      readonly kind: 'scalar'; readonly local: string; readonly prop: string; readonly load: string; readonly type: 'number' | 'bigint';
      readonly check: string;
      /**
       * A union member: omitted in most calls, so an omitted one passes the one test (chk_scalars.hbs), or, checked on
       * its own, takes no call (chk_scalar.hbs).
       */
      readonly member: boolean;
    }
  | { readonly kind: 'call'; readonly local: string; readonly prop: string; readonly check: string } // bool, float: no fast path
  | {
      readonly kind: 'array'; readonly local: string; readonly prop: string; readonly load: string; readonly length: number;
      readonly type: 'number' | 'bigint' | 'boolean'; readonly check: string;
      /** Booleans: no fast path (the slow path converts them); floats: only the type is tested. */
      readonly bool: boolean; readonly float: boolean;
      /** Short arrays: each element read into a local `e<index>` and tested in one condition. */
      readonly indices: readonly number[];
      /**
       * The runtime's array of zeros (`ZEROS`, `ZEROS64`) an omitted short array outside a union stands for, so that
       * it is written by the same stores as a given one (a second, zero-writing branch made encoders too long to
       * inline); null for the others.
       */
      readonly zeros: string | null;
      /** Long arrays: the runtime's test of every element at once (`allU8`, ...; long-arrays.ts), else null. */
      readonly all: string | null;
    }
  | { readonly kind: 'records'; readonly local: string; readonly prop: string; readonly length: number }
  /**
   * A multi-dimensional array: checked in nested loops (`loop`), with the runtime's `rows` as the slow path. `type`:
   * the checked nested array's TS type; `element`: the innermost element's test, as for arrays.
   */
  | {
      readonly kind: 'grid'; readonly local: string; readonly prop: string; readonly dims: readonly number[]; readonly check: string;
      readonly type: string; readonly loop: LoopLevel;
      readonly element: { readonly type: 'number' | 'bigint' | 'boolean'; readonly check: string; readonly bool: boolean; readonly float: boolean };
    }
  | { readonly kind: 'bits'; readonly local: string; readonly prop: string; readonly bitWidth: number; readonly signed: boolean }
  | RecordGridCheck;

/** A scalar store: the DataView `setter`, or the runtime's `writer` when the access has one. */
interface Store {
  readonly setter: string;
  readonly writer: string | null;
  readonly le: boolean;
}

export type WriteView =
  /** `length` null: one store (`setter`); else `length` bytes in a loop of 32-bit stores (`loop`) or one fill. */
  | { readonly kind: 'zero'; readonly offset: number; readonly setter: string; readonly length: number | null; readonly loop?: boolean }
  | (Store & {
      readonly kind: 'scalar'; readonly offset: number; readonly local: string; readonly prop: string; readonly member: boolean;
      /** A union member's test that it was given (`v.x !== undefined`, or of its local when that stays omitted). */
      readonly given: string | null;
    })
  | (Store & {
      readonly kind: 'array'; readonly local: string; readonly prop: string; readonly offset: number; readonly length: number;
      readonly stride: number;
      /** Short arrays, unrolled: each element's index and offset. */
      readonly indices: readonly { readonly index: number; readonly offset: number }[];
      readonly zeros: readonly WriteView[]; readonly member: boolean;
      /** Written from its elements' locals (`e_<prop>_<index>`, see chk_array.hbs): an omitted one is the runtime's zeros. */
      readonly filled: boolean;
      /** Long arrays: written all at once by the runtime's `putAll`, elements of this many bytes; else null. */
      readonly bulk: number | null;
    })
  | {
      readonly kind: 'grid'; readonly local: string; readonly offset: number; readonly loop: LoopLevel; readonly store: Store;
      readonly zeros: readonly WriteView[]; readonly member: boolean;
    }
  | { readonly kind: 'bits'; readonly local: string; readonly offset: number; readonly bitOffset: number; readonly bitWidth: number }
  | { readonly kind: 'record'; readonly prop: string; readonly offset: number; readonly fn: string; readonly member: boolean }
  | { readonly kind: 'records'; readonly local: string; readonly prop: string; readonly offset: number; readonly length: number; readonly stride: number; readonly fn: string; readonly zeros: readonly WriteView[]; readonly member: boolean }
  | RecordGridWrite;

type ScalarCheck = Extract<CheckView, { kind: 'scalar' }>;
type ArrayCheck = Extract<CheckView, { kind: 'array' }>;

export interface EncoderView {
  /** The nested records written inline (inline-records.ts), read before `scalars`, which hold their fields. */
  readonly holders: readonly Holder[];
  /** Every check, in field order: the encoder's, or its slow path's when `scalars` is not empty. */
  readonly checks: readonly CheckView[];
  /**
   * With two scalar fields or more (or one, with short arrays or nested records written inline; union members and
   * inlined records' fields count): their loads and one combined inline test, which on any misfit calls the record's
   * slow path (`check<Record>`: every check above, in order, so the first bad field throws as before) for all of
   * them. A call per field made every encoder of a few fields too long for V8 to inline (~30 bytes of bytecode each).
   */
  readonly scalars: readonly ScalarCheck[];
  /**
   * With `scalars`: the short arrays whose elements join that one test (an omitted one is the runtime's zeros). On a
   * misfit the encoder calls itself again on what its slow path returns (every field checked and converted, in the
   * input's shape), which passes the test: one call site instead of taking each value back from the slow path.
   */
  readonly arrays: readonly ArrayCheck[];
  /** The checks the encoder itself makes after `scalars` and `arrays`: `checks` without them. */
  readonly rest: readonly CheckView[];
  /**
   * The slow path's result, in the input's shape: every input field in order, checked (`check`), or passed on as
   * given (`check` null: a nested record, written and checked by its own encoder), or a nested record written inline
   * checked by its codec (`inline`). Union members stay omitted when omitted (`member`), so that the union's "at most
   * one" still holds for the encoder's second call.
   */
  readonly slow: readonly { readonly prop: string; readonly check: CheckView | InlineCheck | null; readonly keepOmitted: boolean }[];
  /**
   * The store of the record's last byte, made first, after every check: a DataView refuses a store past its end, so
   * this store is the room check (`room_store.hbs` turns its RangeError into the record's own) and the others then
   * fit. null when the last byte is not written by one store (a fill, a nested record, a loop, a bit-field): the
   * encoder then checks the room first (`rt.fits`). A separate check cost tiny records half as
   * much again as their hand-written stores (bench/codecs).
   */
  readonly roomStore: RoomStore | null;
  /** Every other write, in order. */
  readonly writes: readonly WriteView[];
}

/** One store of `value` (a local, or 0) at `offset`: the DataView `setter`, or the runtime's `writer`. */
export interface RoomStore extends Store {
  readonly offset: number;
  readonly value: string;
}

/** Arrays of this many elements or more are tested and written by the runtime (long-arrays.ts). */
const LONG = 256;
/** The runtime's test of a long array, by element check; other kinds (floats, 32-bit longs) keep the loop. */
const ALL: Readonly<Record<string, string>> = {
  u8: 'allU8', s8: 'allS8', u16: 'allU16', s16: 'allS16', u32: 'allU32', s32: 'allS32', u64: 'allU64', s64: 'allS64',
};
const MAX_UNROLLED_ZERO = 64; // bytes
/**
 * Runs of zeros up to this long are written by a loop of 32-bit stores: a typed array over them to `fill` cost more
 * than the stores (a record with a 120-byte union: 1.32x -> 1.11x a hand-written encoder, bench/codecs).
 */
const MAX_LOOPED_ZERO = 1024; // bytes

/** Zero stores covering bytes [from, to): 32-bit ones, then 16- and 8-bit for the rest. */
export function zeroWrites(from: number, to: number): WriteView[] {
  // A long run is one fill: a 1 MiB reserved array would otherwise be 262144 lines of code.
  if (to - from > MAX_LOOPED_ZERO) return [{ kind: 'zero', offset: from, setter: '', length: to - from }];
  const out: WriteView[] = [];
  let at = from;
  if (to - from > MAX_UNROLLED_ZERO) {
    const words = (to - from) & ~3;
    out.push({ kind: 'zero', offset: from, setter: 'setUint32', length: words, loop: true });
    at += words;
  }
  for (; at + 4 <= to; at += 4) out.push({ kind: 'zero', offset: at, setter: 'setUint32', length: null });
  if (at + 2 <= to) {
    out.push({ kind: 'zero', offset: at, setter: 'setUint16', length: null });
    at += 2;
  }
  if (at < to) out.push({ kind: 'zero', offset: at, setter: 'setUint8', length: null });
  return out;
}

/**
 * `steps`: the record's encodable fields (no reserved ones), members of anonymous members flattened; the nested
 * records `inline` allows are written by this encoder (inline-records.ts). A field outside any union writes its own
 * bytes (an omitted one as 0); every other byte (padding, reserved fields, bit-field storage, union storage) is zeroed
 * first, and bit-fields and the given union members are then written over it.
 */
export function encoderView(size: number, steps: readonly EncodeStep[], inline: InlineLookup = () => null): EncoderView {
  const checks: CheckView[] = [];
  const slow: EncoderView['slow'][number][] = [];
  const owned: WriteView[] = []; // fields that write all their own bytes, by offset
  const over: WriteView[] = []; // written over zeroed bytes
  const covered = new Uint8Array(size);
  const flat = inlineRecords(steps, inline);
  const inlined = new Set<string>(); // fields written inline with a slow-path entry already
  for (const { step: s, load, origin } of flat.steps) {
    const local = `v_${s.prop}`;
    const before = checks.length;
    let write: WriteView;
    if (s.kind === 'scalar') {
      const a = s.a;
      if (a.bool || a.check.startsWith('f')) checks.push({ kind: 'call', local, prop: s.prop, check: a.check });
      else checks.push({ kind: 'scalar', local, prop: s.prop, load, type: a.tsType === 'bigint' ? 'bigint' : 'number', check: a.check, member: s.member });
      const given = s.member ? `v.${s.prop} !== undefined` : null;
      write = { kind: 'scalar', offset: s.offset, setter: a.setter, writer: a.writer, local, prop: s.prop, le: a.le, member: s.member, given };
    } else if (s.kind === 'grid') {
      const a = s.a;
      const type = a.bool ? 'boolean' : a.tsType === 'bigint' ? 'bigint' : 'number';
      const loop = loopOver(local, s.dims, s.offset, s.stride, type);
      const element = { type, check: a.check, bool: a.bool, float: a.check.startsWith('f') } as const;
      const nested = s.dims.slice(1).reduce((x) => `(readonly ${x}[])`, type);
      checks.push({ kind: 'grid', local, prop: s.prop, dims: s.dims, check: a.check, type: `readonly ${nested}[]`, loop, element });
      write = {
        kind: 'grid', local, offset: s.offset, loop, store: { setter: a.setter, writer: a.writer, le: a.le },
        zeros: s.member ? [] : zeroWrites(s.offset, s.offset + s.size), member: s.member,
      };
    } else if (s.kind === 'recordGrid') {
      const views = recordGridViews(s, local, s.member ? [] : zeroWrites(s.offset, s.offset + s.size));
      checks.push(views.check);
      write = views.write;
    } else if (s.kind === 'array' && s.a) {
      const a = s.a;
      const type = a.bool ? 'boolean' : a.tsType === 'bigint' ? 'bigint' : 'number';
      const count = s.length <= UNROLL ? s.length : 0;
      const indices = Array.from({ length: count }, (_, k) => k);
      const zeros = count > 0 && !a.bool && !s.member ? (type === 'bigint' ? 'ZEROS64' : 'ZEROS') : null;
      const all = s.length >= LONG && !a.bool ? (ALL[a.check] ?? null) : null;
      checks.push({ kind: 'array', local, prop: s.prop, load, length: s.length, type, check: a.check, bool: a.bool, float: a.check.startsWith('f'), indices, zeros, all });
      write = {
        kind: 'array', local, prop: s.prop, offset: s.offset, length: s.length, stride: s.stride, setter: a.setter, writer: a.writer, le: a.le,
        indices: indices.map((k) => ({ index: k, offset: s.offset + k * s.stride })),
        zeros: s.member || zeros ? [] : zeroWrites(s.offset, s.offset + s.size), member: s.member, filled: zeros !== null,
        bulk: all ? s.stride : null,
      };
    } else if (s.kind === 'array') {
      checks.push({ kind: 'records', local, prop: s.prop, length: s.length });
      write = { kind: 'records', local, prop: s.prop, offset: s.offset, length: s.length, stride: s.stride, fn: s.fn!, zeros: s.member ? [] : zeroWrites(s.offset, s.offset + s.size), member: s.member };
    } else if (s.kind === 'record') {
      write = { kind: 'record', prop: s.prop, offset: s.offset, fn: s.fn, member: s.member };
    } else {
      checks.push({ kind: 'bits', local, prop: s.prop, bitWidth: s.bitWidth, signed: s.signed });
      slow.push({ prop: s.prop, check: checks[checks.length - 1]!, keepOmitted: s.member });
      over.push({ kind: 'bits', local, offset: s.offset, bitOffset: s.bitOffset, bitWidth: s.bitWidth });
      continue;
    }
    const check = checks.length > before ? checks[checks.length - 1]! : null;
    if (origin) {
      if (!inlined.has(origin.prop)) slow.push({ prop: origin.prop, check: origin, keepOmitted: false });
      inlined.add(origin.prop);
    } else {
      // Arrays keep an omitted value omitted by themselves (slow_value.hbs); a union's scalars need it said.
      slow.push({ prop: s.prop, check, keepOmitted: s.member && (check?.kind === 'scalar' || check?.kind === 'call') });
    }
    if (s.member) over.push(write);
    else {
      owned.push(write);
      covered.fill(1, s.offset, s.offset + s.size);
    }
  }
  // Zeroes for the bytes no owned field covers, then the owned fields, in offset order; then what goes over zeroes.
  const gaps: WriteView[] = [];
  for (let at = 0; at < size; ) {
    if (covered[at]) {
      at++;
      continue;
    }
    let end = at;
    while (end < size && !covered[end]) end++;
    for (const w of zeroWrites(at, end)) gaps.push(w);
    at = end;
  }
  const offsetOf = (w: WriteView) => ('offset' in w ? w.offset : 0);
  // concat, not push(...): a spread of a long list overflows the stack.
  const ordered = gaps.concat(owned).sort((x, y) => offsetOf(x) - offsetOf(y));
  const last = lastStore(ordered, size);
  let writes = (last ? ordered.slice(0, -1).concat(last.rest ?? []) : ordered).concat(over);
  const roomStore = last?.store ?? null;
  // Union members join the test as "omitted, or fitting" (all but one of them are omitted in every call).
  const scalars = checks.filter((c): c is ScalarCheck => c.kind === 'scalar');
  const arrays = checks.filter((c): c is ArrayCheck => c.kind === 'array' && c.zeros !== null);
  // One scalar alone: its own slow-path call is as short as a call to the record's slow path (a nested record's
  // needs the record's slow path for its holders).
  const alone = scalars.length === 0 || (scalars.length === 1 && arrays.length === 0 && flat.holders.length === 0);
  if (alone) return { holders: [], checks, scalars: [], arrays: [], rest: checks, slow, roomStore, writes };
  const grouped = new Set<CheckView>([...scalars, ...arrays]);
  // A member in the one test keeps its local omitted when it is: the store's test reads that local.
  const tested = new Set(scalars.map((c) => c.local));
  writes = writes.map((w) => (w.kind === 'scalar' && w.member && tested.has(w.local) ? { ...w, given: `${w.local} !== undefined` } : w));
  return { holders: flat.holders, checks, scalars, arrays, rest: checks.filter((c) => !grouped.has(c)), slow, roomStore, writes };
}

/** Bytes a store writes, by DataView setter or runtime writer (whose first store is its highest: it fails whole). */
const WIDTH: Readonly<Record<string, number>> = {
  setUint8: 1, setInt8: 1, setUint16: 2, setInt16: 2, setUint32: 4, setInt32: 4, setFloat32: 4, setFloat64: 8,
  setBigUint64: 8, setBigInt64: 8, put64: 8, putLong32: 4,
};

/**
 * The store of byte `size - 1` when it is the last of `ordered` (writes in offset order) and one plain DataView store:
 * a zero, a scalar, or the last element of an unrolled array (then `rest` is the array's write without it).
 */
function lastStore(ordered: readonly WriteView[], size: number): { store: RoomStore; rest: WriteView | null } | null {
  const w = ordered[ordered.length - 1];
  if (!w) return null;
  const ends = (offset: number, store: string) => offset + (WIDTH[store] ?? 0) === size;
  if (w.kind === 'zero' && w.length === null && ends(w.offset, w.setter)) {
    return { store: { offset: w.offset, setter: w.setter, writer: null, le: false, value: '0' }, rest: null };
  }
  if (w.kind === 'scalar' && !w.member && ends(w.offset, w.writer ?? w.setter)) {
    return { store: { offset: w.offset, setter: w.setter, writer: w.writer, le: w.le, value: w.local }, rest: null };
  }
  if (w.kind === 'array' && w.filled && !w.member) {
    const at = w.indices[w.indices.length - 1];
    if (at && ends(at.offset, w.writer ?? w.setter)) {
      return {
        store: { offset: at.offset, setter: w.setter, writer: w.writer, le: w.le, value: `e_${w.prop}_${at.index}` },
        rest: { ...w, indices: w.indices.slice(0, -1) },
      };
    }
  }
  return null;
}
