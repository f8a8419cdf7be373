// Checks and helpers shared by the generated codecs. Copied verbatim into every generated package by uapi-ts,
// so a package depends on nothing at run time. Each check takes the record path and field name separately so
// that the happy path builds no strings.

function where(p: string, f: string, i?: number): string {
  return i === undefined ? `${p}.${f}` : `${p}.${f}[${i}]`;
}

function describe(x: unknown): string {
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'string') return JSON.stringify(x.length > 20 ? x.slice(0, 20) + '…' : x);
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
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

export function u64(x: unknown, p: string, f: string, i?: number): bigint {
  if (typeof x === 'bigint' && BigInt.asUintN(64, x) === x) return x;
  return x === undefined ? 0n : big(x, 0n, U64_MAX, '__u64', p, f, i);
}
export function s64(x: unknown, p: string, f: string, i?: number): bigint {
  if (typeof x === 'bigint' && BigInt.asIntN(64, x) === x) return x;
  return x === undefined ? 0n : big(x, S64_MIN, S64_MAX, '__s64', p, f, i);
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

/** A nested record must be a plain object. */
export function object(x: unknown, p: string, f: string, i?: number): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new TypeError(`${where(p, f, i)}: expected an object, got ${describe(x)}`);
  }
  return x as Record<string, unknown>;
}

export function value(x: unknown, p: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new TypeError(`${p}: expected an object, got ${describe(x)}`);
  return x as Record<string, unknown>;
}

/** Members of a union share storage: refuse two at once rather than let one silently overwrite the other. */
export function onlyOne(count: number, p: string, names: string): void {
  if (count > 1) throw new TypeError(`${p}: ${names} share storage (a union); set at most one`);
}

/** Checks that `size` bytes fit at `offset` of `d`. */
export function room(d: DataView, o: number, size: number, p: string): void {
  if ((o | 0) === o && o >= 0 && o + size <= d.byteLength) return; // the common case, kept cheap
  if (!Number.isInteger(o) || o < 0 || o + size > d.byteLength) {
    throw new RangeError(`${p}: needs ${size} bytes at offset ${o}, the buffer has ${d.byteLength}`);
  }
}

/** Zeroes `size` bytes, so padding, `__reserved` and omitted fields are 0. */
export function zero(d: DataView, o: number, size: number): void {
  let i = 0;
  for (; i + 4 <= size; i += 4) d.setUint32(o + i, 0); // 32-bit writes: cheaper than BigInt ones
  for (; i < size; i++) d.setUint8(o + i, 0);
}

/** A DataView over a Uint8Array (or the view itself). */
export function viewOf(b: Uint8Array | DataView): DataView {
  return b instanceof DataView ? b : new DataView(b.buffer, b.byteOffset, b.byteLength);
}

// Bit-fields: x86-64 allocates them from the least significant bit of little-endian storage, so bit n of the
// record is bit (n % 8) of byte (n / 8).

export function setBits(d: DataView, o: number, bit: number, width: number, signed: boolean, x: unknown, p: string, f: string): void {
  let v: bigint;
  if (typeof x === 'bigint') v = x;
  else if (typeof x === 'number' && Number.isSafeInteger(x)) v = BigInt(x);
  else if (x === undefined) return;
  else throw new TypeError(`${where(p, f)}: expected an integer, got ${describe(x)}`);
  const w = BigInt(width);
  const min = signed ? -(1n << (w - 1n)) : 0n;
  const max = signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  if (v < min || v > max) throw new RangeError(`${where(p, f)}: ${v} is out of range for a ${width}-bit ${signed ? 'signed' : 'unsigned'} bit-field (${min} to ${max})`);
  v = BigInt.asUintN(width, v);
  for (let k = 0; k < width; k++) {
    const at = bit + k;
    const byte = o + (at >> 3);
    const mask = 1 << (at & 7);
    const b = d.getUint8(byte);
    d.setUint8(byte, (v >> BigInt(k)) & 1n ? b | mask : b & ~mask);
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

/** Reads `length` consecutive elements, for arrays too long to unroll. */
export function readArray<T>(length: number, read: (k: number) => T): T[] {
  const out: T[] = new Array(length);
  for (let k = 0; k < length; k++) out[k] = read(k);
  return out;
}
