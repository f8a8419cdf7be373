// Checks and helpers the generated codecs (records.ts, imported as `rt`) call. Loads no native code: a package's
// codecs work without koffi. Each check takes the record path and field name separately so that the happy path
// builds no strings.
export * from './long-arrays.js';

function where(p: string, f: string, i?: number): string {
  return i === undefined ? `${p}.${f}` : `${p}.${f}[${i}]`;
}

function describe(x: unknown): string {
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'string') return JSON.stringify(x.length > 20 ? x.slice(0, 20) + '…' : x);
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'function') return 'a function'; // not its source text
  return String(x);
}

function intNumber(x: unknown, min: number, max: number, ctype: string, p: string, f: string, i?: number): number {
  if (typeof x !== 'number') {
    throw new TypeError(`${where(p, f, i)}: expected an integer (${ctype}), got ${typeof x === 'bigint' ? 'a bigint ' : ''}${describe(x)}`);
  }
  if (!Number.isInteger(x)) throw new TypeError(`${where(p, f, i)}: expected an integer (${ctype}), got ${describe(x)}`);
  if (x < min || x > max) throw new RangeError(`${where(p, f, i)}: ${x} is out of range for ${ctype} (${min} to ${max})`);
  return x;
}

export function u8(x: unknown, p: string, f: string, i?: number): number {
  if (typeof x === 'number' && (x & 0xff) === x) return x;
  return x === undefined ? 0 : intNumber(x, 0, 0xff, '__u8', p, f, i);
}
export function s8(x: unknown, p: string, f: string, i?: number): number {
  if (typeof x === 'number' && (x << 24) >> 24 === x) return x;
  return x === undefined ? 0 : intNumber(x, -0x80, 0x7f, '__s8', p, f, i);
}
export function u16(x: unknown, p: string, f: string, i?: number): number {
  if (typeof x === 'number' && (x & 0xffff) === x) return x;
  return x === undefined ? 0 : intNumber(x, 0, 0xffff, '__u16', p, f, i);
}
export function s16(x: unknown, p: string, f: string, i?: number): number {
  if (typeof x === 'number' && (x << 16) >> 16 === x) return x;
  return x === undefined ? 0 : intNumber(x, -0x8000, 0x7fff, '__s16', p, f, i);
}
export function u32(x: unknown, p: string, f: string, i?: number): number {
  if (typeof x === 'number' && x >>> 0 === x) return x;
  return x === undefined ? 0 : intNumber(x, 0, 0xffffffff, '__u32', p, f, i);
}
export function s32(x: unknown, p: string, f: string, i?: number): number {
  if (typeof x === 'number' && (x | 0) === x) return x;
  return x === undefined ? 0 : intNumber(x, -0x80000000, 0x7fffffff, '__s32', p, f, i);
}

const U64_MAX = 0xffffffffffffffffn;
const S64_MIN = -0x8000000000000000n;
const S64_MAX = 0x7fffffffffffffffn;

function big(x: unknown, min: bigint, max: bigint, ctype: string, p: string, f: string, i?: number): bigint {
  let v: bigint;
  if (typeof x === 'bigint') v = x;
  else if (typeof x === 'number') {
    if (!Number.isSafeInteger(x)) {
      const why = Number.isInteger(x) ? 'is not a safe integer; pass a bigint' : 'is not an integer';
      throw new (Number.isInteger(x) ? RangeError : TypeError)(`${where(p, f, i)}: ${describe(x)} ${why} (${ctype})`);
    }
    v = BigInt(x);
  } else throw new TypeError(`${where(p, f, i)}: expected a bigint or an integer (${ctype}), got ${describe(x)}`);
  if (v < min || v > max) throw new RangeError(`${where(p, f, i)}: ${v} is out of range for ${ctype} (${min} to ${max})`);
  return v;
}

// Decoders read little-endian 64-bit fields through these. Small values (flags, ids, counts, option values)
// come from a table: a bigint is a value, so a shared one is indistinguishable from a new one, and none is
// allocated (allocating a bigint is the dearest part of a decode, most of all under emulation). Other values
// whose high word is 0 (or all ones, signed) are made from one 32-bit read, cheaper than getBigUint64 in Node 20.
const SMALL = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/** The bigint of a 32-bit unsigned value. */
function fromLow(lo: number): bigint {
  return lo < 1024 ? SMALL[lo]! : BigInt(lo);
}

export function getU64(d: DataView, o: number): bigint {
  return d.getUint32(o + 4, true) === 0 ? fromLow(d.getUint32(o, true)) : d.getBigUint64(o, true);
}
export function getS64(d: DataView, o: number): bigint {
  const hi = d.getUint32(o + 4, true);
  if (hi === 0) return fromLow(d.getUint32(o, true));
  return hi === 0xffffffff ? BigInt(d.getUint32(o, true) - 0x100000000) : d.getBigInt64(o, true);
}

// Encoders write little-endian 64-bit fields through this, after the field's range check: Node 20 does not
// inline DataView's setBigUint64, and storing the bigint into a one-word typed array, then writing its two 32-bit
// halves, costs about half as much (bench/codecs). The store keeps a value modulo 2^64, so a checked signed value
// comes out in two's complement: one writer serves __u64 and __s64.
const WORD = new BigUint64Array(1);
const HALVES = new Uint32Array(WORD.buffer);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // the low half's index on this host
const HIGH = 1 - LOW;

/** Writes `x`, already checked to fit its 64-bit field, little-endian at `o`. */
export function put64(d: DataView, o: number, x: bigint): void {
  WORD[0] = x;
  // The upper 4 bytes first: when they fit, so do the lower, so a store that fails writes nothing (an encoder's
  // first store is its room check: templates/partials/room_store.hbs).
  d.setUint32(o + 4, HALVES[HIGH]!, true);
  d.setUint32(o, HALVES[LOW]!, true);
}

export function u64(x: unknown, p: string, f: string, i?: number): bigint {
  if (typeof x === 'bigint' && BigInt.asUintN(64, x) === x) return x;
  return x === undefined ? 0n : big(x, 0n, U64_MAX, '__u64', p, f, i);
}
export function s64(x: unknown, p: string, f: string, i?: number): bigint {
  if (typeof x === 'bigint' && BigInt.asIntN(64, x) === x) return x;
  return x === undefined ? 0n : big(x, S64_MIN, S64_MAX, '__s64', p, f, i);
}

/**
 * Memory whose address stays valid until it is closed (`Memory` registers itself here): the only objects a
 * pointer field takes outside an ioctl call.
 */
export interface Pinned {
  readonly address: bigint;
  readonly length: number;
  readonly closed: boolean;
}

/** What a user-pointer field takes besides a raw address: a buffer (in an ioctl call), or a Memory. */
export type Pointer = ArrayBufferView | Pinned;
const pinned = new WeakSet<object>();

/** Marks `m` as memory that never moves (mapped memory): `ptr` takes its `address`. */
export function pin(m: Pinned): void {
  pinned.add(m);
}

/** `m` if it is memory that never moves, else null. */
export function pinnedOf(m: unknown): Pinned | null {
  return typeof m === 'object' && m !== null && pinned.has(m) ? (m as Pinned) : null;
}

// A typed array's address is valid only while the array is alive and, if it lives in V8's heap, until the heap
// moves it. The ioctl runtime takes such an address only inside a call that keeps the array alive to its end
// (`duringCall`); a plain `encode` writes an address into bytes the caller keeps, so there it is refused.
let bufferAddress: ((b: ArrayBufferView) => bigint) | null = null;

/**
 * Allows typed arrays in pointer fields, their addresses taken by `addressOf`, until `restoreBuffers` with what
 * this returns. For the ioctl runtime, whose calls hold the arguments (and so the arrays) until the kernel
 * returns: `const outer = allowBuffers(f); try { encode } finally { restoreBuffers(outer); }`.
 */
export function allowBuffers(addressOf: (b: ArrayBufferView) => bigint): ((b: ArrayBufferView) => bigint) | null {
  const outer = bufferAddress;
  bufferAddress = addressOf;
  return outer;
}

export function restoreBuffers(outer: ((b: ArrayBufferView) => bigint) | null): void {
  bufferAddress = outer;
}

/**
 * A user-pointer field: a bigint/number address, a Memory (its address), or, inside an ioctl call, a typed array.
 * A typed array given to a plain `encode` is refused: the address would outlive the call that keeps it in place.
 */
export function ptr(x: unknown, p: string, f: string, i?: number): bigint {
  if (typeof x === 'bigint' && BigInt.asUintN(64, x) === x) return x;
  if (x === undefined) return 0n;
  if (typeof x === 'object' && x !== null && !Array.isArray(x)) {
    const m = pinnedOf(x);
    if (m) {
      if (m.closed) throw new TypeError(`${where(p, f, i)}: the Memory is closed`);
      return m.address;
    }
    if (ArrayBuffer.isView(x)) {
      if (bufferAddress) return bufferAddress(x);
      throw new TypeError(
        `${where(p, f, i)}: a ${x.constructor.name} can move or be freed once encode returns, so its address cannot be stored; ` +
          'pass a Memory (Memory.map) or an address, or pass the buffer to the device method, which keeps it for the call',
      );
    }
    const takes = bufferAddress ? 'a Uint8Array/Buffer or a Memory' : 'or a Memory';
    throw new TypeError(`${where(p, f, i)}: expected an address (bigint), ${takes}, got ${describe(x)}`);
  }
  return big(x, 0n, U64_MAX, 'pointer', p, f, i);
}

/** Byte length of what a user-pointer field was given, or null for a raw address. */
export function byteLengthOf(x: Pointer | bigint | number | undefined): number | null {
  if (x === undefined || typeof x !== 'object') return null;
  if (ArrayBuffer.isView(x)) return x.byteLength;
  const m = pinnedOf(x);
  return m ? m.length : null;
}

export function f32(x: unknown, p: string, f: string, i?: number): number {
  if (typeof x === 'number') return x;
  if (x === undefined) return 0;
  throw new TypeError(`${where(p, f, i)}: expected a number (float), got ${describe(x)}`);
}
export const f64 = f32;

export function bool(x: unknown, p: string, f: string, i?: number): number {
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (x === undefined) return 0;
  throw new TypeError(`${where(p, f, i)}: expected a boolean, got ${describe(x)}`);
}

/** An array field must be an array of exactly the C length. */
export function array(x: unknown, length: number, p: string, f: string): readonly unknown[] {
  if (!Array.isArray(x)) throw new TypeError(`${where(p, f)}: expected an array of ${length} elements, got ${describe(x)}`);
  if (x.length !== length) throw new RangeError(`${where(p, f)}: expected ${length} elements, got ${x.length}`);
  return x;
}

/**
 * A scalar array field: an array of exactly `length` elements, each passing `check`. Returns the array itself when
 * every element is already what the encoder writes, else a copy with the checked values (numbers given for 64-bit
 * elements become bigints).
 */
export function elements<T>(x: unknown, length: number, check: (e: unknown, p: string, f: string, i?: number) => T, p: string, f: string): readonly T[] {
  const a = array(x, length, p, f);
  let out: T[] | null = null;
  for (let i = 0; i < length; i++) {
    const e = check(a[i], p, f, i);
    if (out) out[i] = e;
    else if (e !== a[i]) {
      out = a.slice(0, i) as T[];
      out[i] = e;
    }
  }
  return out ?? (a as readonly T[]);
}

/**
 * What an omitted scalar array field of up to 16 elements stands for in an encoder: it is written by the same
 * unrolled stores as a given one (numbers for fields up to 32 bits and floats, bigints for 64-bit ones).
 */
export const ZEROS: readonly number[] = Object.freeze(new Array<number>(16).fill(0));
export const ZEROS64: readonly bigint[] = Object.freeze(new Array<bigint>(16).fill(0n));

/**
 * What an encoder reads a short array field that is no array of the right length as: its elements are all
 * undefined, so the encoder's one test fails on the first and takes the slow path, which reports the field (one
 * load instead of a second call site of the slow path: encoders stay short enough for V8 to inline). Typed as an
 * array of any element type.
 */
export const MISFIT: readonly never[] = Object.freeze(new Array<never>(16));

/** A nested record must be a plain object. */
export function object(x: unknown, p: string, f: string, i?: number): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new TypeError(`${where(p, f, i)}: expected an object, got ${describe(x)}`);
  }
  return x as Record<string, unknown>;
}

/**
 * What an encoder reads an omitted nested record written inline as (its fields then read as omitted, which takes the
 * encoder's slow path); also an array of such records' missing element.
 */
export const NONE: { readonly [field: string]: undefined } = Object.freeze({});

/** The codec of a record, as a nested record's slow path uses it (`record`, `records`). */
export interface RecordCodec<T> {
  readonly size: number;
  encodeInto(v: Record<string, unknown>, d: DataView, o: number, p?: string): void;
  decodeFrom(d: DataView, o: number): T;
}

/**
 * The slow path of a nested record that its holder's encoder writes inline: checked by its own encoder (so an error
 * names the field as `p.f.x`), and given back as that encoder wrote it, every field present and converted, which
 * passes the holder's inline test. An omitted record is all zeros.
 */
export function record<T>(x: unknown, c: RecordCodec<T>, p: string, f: string, i?: number): T {
  const d = new DataView(new ArrayBuffer(c.size));
  c.encodeInto(x === undefined ? {} : object(x, p, f, i), d, 0, where(p, f, i));
  return c.decodeFrom(d, 0);
}

/** `record` for an array of `length` nested records; an omitted array is `length` records of zeros. */
export function records<T>(x: unknown, length: number, c: RecordCodec<T>, p: string, f: string): T[] {
  const a = x === undefined ? null : array(x, length, p, f);
  const out: T[] = [];
  // A given array's every element must be a record (`object` refuses a hole); an omitted array is all zeros.
  for (let i = 0; i < length; i++) out.push(record(a === null ? undefined : object(a[i], p, f, i), c, p, f, i));
  return out;
}

export function value(x: unknown, p: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new TypeError(`${p}: expected an object, got ${describe(x)}`);
  return x as Record<string, unknown>;
}

/** Members of a union share storage: refuse two at once rather than let one silently overwrite the other. */
export function onlyOne(count: number, p: string, names: string): void {
  if (count > 1) shareStorage(p, names);
}

/** The error of two members of a union given at once (an encoder tests for it inline). */
export function shareStorage(p: string, names: string): never {
  throw new TypeError(`${p}: ${names} share storage (a union); set at most one`);
}

/** Checks that `size` bytes fit at `offset` of `d`. */
export function room(d: DataView, o: number, size: number, p: string): void {
  if ((o | 0) === o && o >= 0 && o + size <= d.byteLength) return; // the common case, kept cheap
  if (!Number.isInteger(o) || o < 0 || o + size > d.byteLength) {
    throw new RangeError(`${p}: needs ${size} bytes at offset ${o}, the buffer has ${d.byteLength}`);
  }
}

/**
 * A codec's first access to `d` failed: the record's own RangeError when it does not fit at `o`. Encoders whose last
 * byte is written by one store make that store first, after their checks, and decoders read inside one `try`; both
 * call this from the catch (templates/partials/room_store.hbs, records/[module].ts.hbs), so they need no separate
 * read of the last byte (rt.fits: 1.85x a hand-written encoder of 4 bytes, 1.4x this way, bench/codecs). The catch
 * has no binding (shorter code: V8 inlines only short functions), so when the record does fit, `d` was no
 * DataView, and the error says so.
 */
export function noRoom(d: DataView, o: number, size: number, p: string): never {
  room(d, o, size, p);
  throw new TypeError(`${p}: expected a DataView, got ${describe(d)}`);
}

/**
 * The first statement of an encoder whose last byte is not written by one store (a fill, a loop, a nested record;
 * the others make that store first: `noRoom`): throws (through `room`) unless `size` bytes fit at `o` of `d`.
 * Reading the last byte lets the DataView check the end, cheaper than asking for its byteLength.
 */
export function fits(d: DataView, o: number, size: number, p: string): void {
  if ((o | 0) !== o || o < 0) room(d, o, size, p);
  try {
    d.getUint8(o + size - 1);
  } catch {
    noRoom(d, o, size, p);
  }
}

/** A DataView over a Uint8Array (or the view itself); `p` names the record for the error when `b` is neither. */
export function viewOf(b: Uint8Array | DataView, p = 'viewOf'): DataView {
  if (b instanceof DataView) return b;
  if (ArrayBuffer.isView(b)) return new DataView(b.buffer, b.byteOffset, b.byteLength);
  throw new TypeError(`${p}: expected a Uint8Array or a DataView, got ${describe(b)}`);
}

/** A new zeroed buffer of `o + size` bytes, for encoding at `o` when the caller gives none. */
export function alloc(o: number, size: number, p: string): Uint8Array {
  if (Number.isSafeInteger(o) && o >= 0) {
    try {
      return new Uint8Array(o + size);
    } catch {
      // too large to allocate: refused below, naming the record
    }
  }
  throw new RangeError(`${p}: cannot make a buffer for ${size} bytes at offset ${describe(o)}`);
}

// Bit-fields: x86-64 allocates them from the least significant bit of little-endian storage, so bit n of the
// record is bit (n % 8) of byte (n / 8).

/** A bit-field's value, checked (undefined when omitted); `putBits` writes it. */
export function bitsValue(x: unknown, width: number, signed: boolean, p: string, f: string): bigint | undefined {
  let v: bigint;
  if (typeof x === 'bigint') v = x;
  else if (typeof x === 'number' && Number.isInteger(x)) v = BigInt(x); // exact for any integral double; range checked below
  else if (x === undefined) return undefined;
  else throw new TypeError(`${where(p, f)}: expected an integer, got ${describe(x)}`);
  const w = BigInt(width);
  const min = signed ? -(1n << (w - 1n)) : 0n;
  const max = signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  if (v < min || v > max) throw new RangeError(`${where(p, f)}: ${v} is out of range for a ${width}-bit ${signed ? 'signed' : 'unsigned'} bit-field (${min} to ${max})`);
  return v;
}

/** Sets `width` bits at bit `bit` from `o` to the low bits of `v`, leaving the others as they are. */
export function putBits(d: DataView, o: number, bit: number, width: number, v: bigint): void {
  const u = BigInt.asUintN(width, v);
  for (let k = 0; k < width; k++) {
    const at = bit + k;
    const byte = o + (at >> 3);
    const mask = 1 << (at & 7);
    const b = d.getUint8(byte);
    d.setUint8(byte, (u >> BigInt(k)) & 1n ? b | mask : b & ~mask);
  }
}

export function getBits(d: DataView, o: number, bit: number, width: number, signed: boolean): bigint {
  let v = 0n;
  for (let k = 0; k < width; k++) {
    const at = bit + k;
    if ((d.getUint8(o + (at >> 3)) >> (at & 7)) & 1) v |= 1n << BigInt(k);
  }
  return signed ? BigInt.asIntN(width, v) : v;
}

// A big-endian ABI allocates bit-fields from the most significant bit: bit n of the record is bit 7 - n % 8 of
// byte n / 8, and a field's first bit is its most significant one.
export function putBitsBig(d: DataView, o: number, bit: number, width: number, v: bigint): void {
  const u = BigInt.asUintN(width, v);
  for (let k = 0; k < width; k++) {
    const at = bit + k;
    const byte = o + (at >> 3);
    const mask = 0x80 >> (at & 7);
    const b = d.getUint8(byte);
    d.setUint8(byte, (u >> BigInt(width - 1 - k)) & 1n ? b | mask : b & ~mask);
  }
}

export function getBitsBig(d: DataView, o: number, bit: number, width: number, signed: boolean): bigint {
  let v = 0n;
  for (let k = 0; k < width; k++) {
    const at = bit + k;
    v = (v << 1n) | BigInt((d.getUint8(o + (at >> 3)) >> (7 - (at & 7))) & 1);
  }
  return signed ? BigInt.asIntN(width, v) : v;
}

// A 32-bit ABI's long, unsigned long or pointer (i386, arm: both little-endian) is a bigint in a package's types,
// as on the 64-bit ABIs, so that all of a package's layouts share them; these read, check and write it.
export function getULong32(d: DataView, o: number): bigint {
  return fromLow(d.getUint32(o, true));
}
export function getLong32(d: DataView, o: number): bigint {
  const v = d.getInt32(o, true);
  return v >= 0 ? fromLow(v) : BigInt(v);
}
/** Writes `x`, already checked to fit its 32-bit field, little-endian at `o`. */
export function putLong32(d: DataView, o: number, x: bigint): void {
  d.setUint32(o, Number(BigInt.asUintN(32, x)), true);
}
export function ulong32(x: unknown, p: string, f: string, i?: number): bigint {
  if (typeof x === 'bigint' && BigInt.asUintN(32, x) === x) return x;
  return x === undefined ? 0n : big(x, 0n, 0xffffffffn, 'unsigned long', p, f, i);
}
export function slong32(x: unknown, p: string, f: string, i?: number): bigint {
  if (typeof x === 'bigint' && BigInt.asIntN(32, x) === x) return x;
  return x === undefined ? 0n : big(x, -0x80000000n, 0x7fffffffn, 'long', p, f, i);
}
/** A user-pointer field of a 32-bit ABI: what `ptr` takes, below 2^32. */
export function ptr32(x: unknown, p: string, f: string, i?: number): bigint {
  const v = ptr(x, p, f, i);
  if (v > 0xffffffffn) throw new RangeError(`${where(p, f, i)}: ${v} is out of range for a 32-bit pointer`);
  return v;
}

/** Encodes records one after another, as a C array of them. */
export function encodeArray<T>(
  codec: { readonly size: number; encodeInto(v: T, d: DataView, o: number, p?: string): void },
  items: readonly T[],
  p: string,
): Uint8Array {
  const out = new Uint8Array(codec.size * items.length);
  const d = viewOf(out);
  for (let i = 0; i < items.length; i++) codec.encodeInto(value(items[i], `${p}[${i}]`) as T, d, i * codec.size, `${p}[${i}]`);
  return out;
}

/**
 * A multi-dimensional scalar array field (`__u8 fpr[8][16]`): nested arrays of exactly the C lengths `dims`, each
 * element passing `check`. Returns the checked elements in arrays of the same shape (numbers given for 64-bit
 * elements become bigints). The encoders' slow path: their own loops test the common case.
 */
export function rows<R>(
  x: unknown, dims: readonly number[], check: (e: unknown, p: string, f: string, i?: number) => unknown, p: string, f: string,
): R {
  const walk = (a: unknown, depth: number, at: string): unknown[] =>
    array(a, dims[depth]!, p, at).map((e, i) => (depth + 1 < dims.length ? walk(e, depth + 1, `${at}[${i}]`) : check(e, p, at, i)));
  return walk(x, 0, f) as R;
}
