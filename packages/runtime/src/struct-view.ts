// Typed views of a struct in memory that something else writes (a mapped device region, a ring shared with the
// kernel, a struct the kernel updates in place): each field a property read at its offset when it is read, from
// the generated codec's `fields` table. Scalar reads allocate nothing (64-bit values: only a bigint past 1023).
import { littleEndianField, type ByteOrder } from './byte-order.js';
import { getS64, getU64, getBits, getBitsBig, put64, putBits, putBitsBig, s16, s32, s64, s8, u16, u32, u64, u8 } from './codec.js';

/** A field as a generated codec's `fields` table gives it. */
export interface FieldLayout {
  readonly offset: number;
  readonly size: number;
  /** The C type: '__u32', '__aligned_u64', '__u8[16]', 'struct <anonymous>', ... */
  readonly type: string;
  /** A bit-field: 'first bit:width' from `offset`. */
  readonly bits?: string;
}

/** What a view is made from: a generated struct codec (`IommuIoasMap`) or any object of the same shape. */
export interface StructLayout {
  readonly cName?: string;
  readonly size: number;
  /** The byte order of its fields of no fixed order: that of the ABI it was laid out for; little when omitted. */
  readonly endian?: ByteOrder;
  readonly fields: Readonly<Record<string, FieldLayout>>;
}

type Aggregate = `${string}]` | `struct ${string}` | `union ${string}`;
type Float = 'float' | 'double';

/** A field's value in a view: a number, a bigint (64-bit integers) or the bytes of an array or nested record. */
export type FieldValue<F extends FieldLayout> = F['type'] extends Aggregate
  ? Uint8Array
  : F extends { readonly bits: string }
    ? number
    : F['type'] extends Float
      ? number
      : F['size'] extends 8
        ? bigint
        : number;

type ScalarKeys<L extends StructLayout> = {
  [K in keyof L['fields']]: L['fields'][K]['type'] extends Aggregate ? never : K;
}[keyof L['fields']];
type AggregateKeys<L extends StructLayout> = Exclude<keyof L['fields'], ScalarKeys<L>>;

/**
 * The struct's fields as properties over memory; nothing else, so that no field name (`offset` is a common one)
 * is shadowed: `moveView` and `viewOffset` move and tell where the view is.
 */
export type StructView<L extends StructLayout> = { -readonly [K in ScalarKeys<L>]: FieldValue<L['fields'][K]> } & {
  /** Arrays and nested records: a Uint8Array over their bytes (no copy). */
  readonly [K in AggregateKeys<L>]: FieldValue<L['fields'][K]>;
};

// A view's own state, under symbols so that it never meets a field name.
const VIEW = Symbol('view');
const BYTES = Symbol('bytes');
const LAYOUT = Symbol('layout');
const AT = Symbol('offset');

interface Cursor {
  readonly [VIEW]: DataView;
  readonly [BYTES]: Uint8Array;
  readonly [LAYOUT]: StructLayout;
  [AT]: number;
}

type Accessor = { get(this: Cursor): unknown; set?(this: Cursor, x: unknown): void };

const SIGNED = /^(__(aligned_)?s\d+|(signed )?(char|short|int|long|long long)|s\d+|int\d+_t)$/;

function accessor(name: string, f: FieldLayout, path: string, order: ByteOrder | undefined): Accessor {
  const at = f.offset;
  const le = littleEndianField(f.type, order);
  if (f.bits !== undefined) {
    const [first, width] = f.bits.split(':').map(Number) as [number, number];
    const signed = SIGNED.test(f.type);
    const [get, put] = order === 'big' ? [getBitsBig, putBitsBig] : [getBits, putBits];
    return {
      get() { return Number(get(this[VIEW], this[AT] + at, first, width, signed)); },
      set(x) {
        if (typeof x !== 'number' || !Number.isInteger(x)) throw new TypeError(`${path}.${name}: expected an integer`);
        put(this[VIEW], this[AT] + at, first, width, BigInt(x));
      },
    };
  }
  if (/\]$|^(struct|union) /.test(f.type)) {
    return { get() { return this[BYTES].subarray(this[AT] + at, this[AT] + at + f.size); } };
  }
  const signed = SIGNED.test(f.type);
  if (f.type === 'float') return { get() { return this[VIEW].getFloat32(this[AT] + at, le); }, set(x) { this[VIEW].setFloat32(this[AT] + at, Number(x), le); } };
  if (f.type === 'double') return { get() { return this[VIEW].getFloat64(this[AT] + at, le); }, set(x) { this[VIEW].setFloat64(this[AT] + at, Number(x), le); } };
  switch (f.size) {
    case 1:
      return signed
        ? { get() { return this[VIEW].getInt8(this[AT] + at); }, set(x) { this[VIEW].setInt8(this[AT] + at, s8(x, path, name)); } }
        : { get() { return this[VIEW].getUint8(this[AT] + at); }, set(x) { this[VIEW].setUint8(this[AT] + at, u8(x, path, name)); } };
    case 2:
      return signed
        ? { get() { return this[VIEW].getInt16(this[AT] + at, le); }, set(x) { this[VIEW].setInt16(this[AT] + at, s16(x, path, name), le); } }
        : { get() { return this[VIEW].getUint16(this[AT] + at, le); }, set(x) { this[VIEW].setUint16(this[AT] + at, u16(x, path, name), le); } };
    case 4:
      return signed
        ? { get() { return this[VIEW].getInt32(this[AT] + at, le); }, set(x) { this[VIEW].setInt32(this[AT] + at, s32(x, path, name), le); } }
        : { get() { return this[VIEW].getUint32(this[AT] + at, le); }, set(x) { this[VIEW].setUint32(this[AT] + at, u32(x, path, name), le); } };
    case 8:
      if (!le) {
        return signed
          ? { get() { return this[VIEW].getBigInt64(this[AT] + at, false); }, set(x) { this[VIEW].setBigInt64(this[AT] + at, s64(x, path, name), false); } }
          : { get() { return this[VIEW].getBigUint64(this[AT] + at, false); }, set(x) { this[VIEW].setBigUint64(this[AT] + at, u64(x, path, name), false); } };
      }
      return signed
        ? { get() { return getS64(this[VIEW], this[AT] + at); }, set(x) { put64(this[VIEW], this[AT] + at, s64(x, path, name)); } }
        : { get() { return getU64(this[VIEW], this[AT] + at); }, set(x) { put64(this[VIEW], this[AT] + at, u64(x, path, name)); } };
    default:
      return { get() { return this[BYTES].subarray(this[AT] + at, this[AT] + at + f.size); } };
  }
}

// One prototype per layout: a view is then one small object, and its getters are shared and stay monomorphic.
const prototypes = new WeakMap<StructLayout, object>();

function prototypeOf(layout: StructLayout): object {
  let proto = prototypes.get(layout);
  if (proto) return proto;
  const path = layout.cName ?? 'struct';
  proto = {};
  for (const [name, f] of Object.entries(layout.fields)) Object.defineProperty(proto, name, { ...accessor(name, f, path, layout.endian), enumerable: true });
  prototypes.set(layout, proto);
  return proto;
}

/**
 * A view of the struct `layout` at `offset` of `memory`: its fields are properties read from and written to the
 * memory itself whenever they are used. Writes check the field's range like the encoders do.
 */
export function structView<L extends StructLayout>(layout: L, memory: Uint8Array | { readonly bytes: Uint8Array }, offset = 0): StructView<L> {
  const bytes = memory instanceof Uint8Array ? memory : memory.bytes;
  const cursor = Object.create(prototypeOf(layout)) as Cursor;
  Object.defineProperties(cursor, {
    [VIEW]: { value: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    [BYTES]: { value: bytes },
    [LAYOUT]: { value: layout },
    [AT]: { value: 0, writable: true },
  });
  moveView(cursor as unknown as StructView<L>, offset);
  return cursor as unknown as StructView<L>;
}

function cursorOf(v: object): Cursor {
  if (!(AT in v)) throw new TypeError('expected a view made by structView or Memory.view');
  return v as Cursor;
}

/** Points `view` at the struct at `offset` of its memory: another element of an array of such structs (a ring). */
export function moveView(view: object, offset: number): void {
  const c = cursorOf(view);
  const size = c[LAYOUT].size;
  const limit = c[BYTES].byteLength;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + size > limit) {
    throw new RangeError(`${c[LAYOUT].cName ?? 'struct'}: a view at offset ${String(offset)} needs ${size} bytes, the memory has ${limit}`);
  }
  c[AT] = offset;
}

/** Where `view` starts in its memory. */
export function viewOffset(view: object): number {
  return cursorOf(view)[AT];
}
