// Calls whose argument struct ends in a flexible array (`__u32 nent; struct entry entries[];`): the struct and its
// elements are one buffer, header then `n` elements, so the call cannot use a handle's fixed argument buffer. The
// generated methods describe each such ioctl (FlexArgument) and call `flexCall`, which encodes the header and the
// array given (or leaves room for `count` elements the kernel fills), fills the count and the size field, makes
// the call, and decodes the header and as many elements as the count the kernel left says (never past the room).
import { allowBuffers, restoreBuffers, s16, s32, s64, s8, u16, u32, u64, u8, value } from './codec.js';
import { isLittle, type ByteOrder } from './byte-order.js';
import { ioctlError, type ErrnoMeanings, type IoctlError } from './error.js';
import { addressOf } from './libc.js';

/** Makes the call with the argument at `address`: 0, or the errno of a failure (a device's `call`). */
export type FlexIssue = (address: number) => number;

/** An element type of a flexible array: its size and how one is written and read at an offset (a record's codec). */
export interface FlexElement<T, I = T> {
  readonly size: number;
  encodeInto(v: I, d: DataView, o: number, p?: string): void;
  decodeFrom(d: DataView, o: number): T;
}

/** An integer element: checked as a field of its C type is (`NAME.field[i]: ... out of range for __u32`). */
interface ScalarElement<T> extends FlexElement<T> {
  encodeItem(v: unknown, d: DataView, o: number, p: string, f: string, i: number): void;
}

function scalar<T>(size: number, check: (x: unknown, p: string, f: string, i?: number) => T, put: (d: DataView, o: number, v: T) => void, get: (d: DataView, o: number) => T): ScalarElement<T> {
  return {
    size,
    encodeInto(v, d, o, p = 'element') {
      put(d, o, check(v, p, 'value'));
    },
    encodeItem(v, d, o, p, f, i) {
      put(d, o, check(v, p, f, i));
    },
    decodeFrom: get,
  };
}

function scalarsIn(le: boolean) {
  return {
    __u8: scalar(1, u8, (d, o, v) => d.setUint8(o, v), (d, o) => d.getUint8(o)),
    __s8: scalar(1, s8, (d, o, v) => d.setInt8(o, v), (d, o) => d.getInt8(o)),
    __u16: scalar(2, u16, (d, o, v) => d.setUint16(o, v, le), (d, o) => d.getUint16(o, le)),
    __s16: scalar(2, s16, (d, o, v) => d.setInt16(o, v, le), (d, o) => d.getInt16(o, le)),
    __u32: scalar(4, u32, (d, o, v) => d.setUint32(o, v, le), (d, o) => d.getUint32(o, le)),
    __s32: scalar(4, s32, (d, o, v) => d.setInt32(o, v, le), (d, o) => d.getInt32(o, le)),
    __u64: scalar(8, u64, (d, o, v) => d.setBigUint64(o, v, le), (d, o) => d.getBigUint64(o, le)),
    __s64: scalar(8, s64, (d, o, v) => d.setBigInt64(o, v, le), (d, o) => d.getBigInt64(o, le)),
  } as const;
}

/** The integer element types of byte, word and index arrays (`__u8 data[]`, `__u32 indices[]`, `__s32 fds[]`). */
export const flexScalars = scalarsIn(true);
/** The same in a big-endian layout (s390x). */
export const flexScalarsBig = scalarsIn(false);

const BIG = new Map<FlexElement<unknown>, FlexElement<unknown>>(
  Object.entries(flexScalars).map(([k, e]) => [e as FlexElement<unknown>, flexScalarsBig[k as keyof typeof flexScalars] as FlexElement<unknown>]),
);

/**
 * The element codec to use in a layout of byte order `le`: a spec names `flexScalars.__u32` whatever its layout's
 * order, and a big-endian layout reads and writes it big-endian (a record element's codec has its own order).
 */
export function elementIn<E extends FlexElement<unknown, unknown>>(element: E, le: boolean): E {
  return le ? element : ((BIG.get(element as FlexElement<unknown>) as E | undefined) ?? element);
}

/** One ioctl whose argument ends in a flexible array, as the generated package describes it. */
export interface FlexArgument<H, HI, E, EI, F extends string = string> {
  readonly name: string; // the ioctl, for errors
  readonly meanings: ErrnoMeanings;
  /** The struct without its array. */
  readonly header: { readonly size: number; encodeInto(v: HI, d: DataView, o: number, p?: string): void; decodeFrom(d: DataView, o: number): H };
  readonly field: F; // the array's member name
  readonly offset: number; // where element 0 starts
  readonly element: FlexElement<E, EI>;
  /** The member holding the element count (its offset and size, 1, 2, 4 or 8 bytes), or null when none is known. */
  readonly count: { readonly name: string; readonly offset: number; readonly size: number } | null;
  /** The leading `__u32` holding the argument's whole size (vfio's `argsz`), or null. */
  readonly sizeField: string | null;
  /** The layout's byte order (that of the ABI it was laid out for): little when omitted. */
  readonly endian?: ByteOrder;
}

/** A completed call: the errno (0 on success), the argument bytes as the kernel left them, and the room given. */
interface FlexOutcome {
  readonly errno: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly room: number;
}

/** A member read at an offset: 1, 2, 4 or 8 bytes, unsigned. */
export interface MemberAt {
  readonly offset: number;
  readonly size: number;
}

/** The unsigned member `m` of the struct at `base` (a count, an offset, flags), `le` when little-endian. */
export function readMember(d: DataView, base: number, m: MemberAt, le = true): number {
  switch (m.size) {
    case 1:
      return d.getUint8(base + m.offset);
    case 2:
      return d.getUint16(base + m.offset, le);
    case 4:
      return d.getUint32(base + m.offset, le);
    default:
      return Number(d.getBigUint64(base + m.offset, le));
  }
}

function writeCount(d: DataView, count: MemberAt, n: number, le: boolean): void {
  if (count.size === 1) d.setUint8(count.offset, n);
  else if (count.size === 2) d.setUint16(count.offset, n, le);
  else if (count.size === 4) d.setUint32(count.offset, n, le);
  else d.setBigUint64(count.offset, BigInt(n), le);
}

function run<H, HI, E, EI, F extends string>(issue: FlexIssue, spec: FlexArgument<H, HI, E, EI, F>, args: unknown): FlexOutcome {
  const p = spec.name;
  const le = isLittle(spec.endian);
  const given = value(args, p);
  const items = given[spec.field];
  const stride = spec.element.size;
  const elements = elementIn(spec.element, le);
  // The header first, on its own: its codec checks every field (the count included) before anything is sized.
  const header = { ...given };
  delete header[spec.field];
  const head = new DataView(new ArrayBuffer(spec.header.size));
  const outer = allowBuffers(addressOf);
  try {
    spec.header.encodeInto(header as HI, head, 0, p);
  } finally {
    restoreBuffers(outer);
  }
  const counted = spec.count && given[spec.count.name] !== undefined ? readMember(head, 0, spec.count, le) : null;
  // The bytes after the header: the elements given, their raw bytes (whose meaning the caller owns: vfio's
  // SET_IRQS takes bytes for bools where its elements are otherwise eventfds), or room for `count` elements.
  let tail: number;
  if (items === undefined) tail = (counted ?? 0) * stride;
  else if (Array.isArray(items)) {
    tail = items.length * stride;
    if (counted !== null && counted > items.length) throw new RangeError(`${p}.${spec.count!.name}: ${counted} elements asked for, ${items.length} given in ${spec.field}`);
  } else if (items instanceof Uint8Array) tail = items.byteLength;
  else throw new TypeError(`${p}.${spec.field}: expected an array of elements or a Uint8Array of their bytes`);
  const room = Math.floor(tail / stride);
  const size = Math.max(spec.header.size, spec.offset + tail);
  if (spec.sizeField !== null && size > 0xffffffff) throw new RangeError(`${p}: ${size} bytes do not fit ${spec.sizeField}`);
  // Outside V8's heap, so the kernel's address stays valid for the call (see the device's argument buffer).
  const bytes = new Uint8Array(new ArrayBuffer(Math.max(8, size)));
  const view = new DataView(bytes.buffer);
  bytes.set(new Uint8Array(head.buffer), 0);
  if (Array.isArray(items)) {
    const element = elements as FlexElement<E, EI> | ScalarElement<E>;
    const again = allowBuffers(addressOf);
    try {
      items.forEach((x, i) => {
        const at = spec.offset + i * stride;
        if ('encodeItem' in element) element.encodeItem(x, view, at, p, spec.field, i);
        else element.encodeInto(value(x, `${p}.${spec.field}[${i}]`) as EI, view, at, `${p}.${spec.field}[${i}]`);
      });
    } finally {
      restoreBuffers(again);
    }
  } else if (items instanceof Uint8Array) bytes.set(items, spec.offset);
  if (spec.count && counted === null && Array.isArray(items)) writeCount(view, spec.count, items.length, le);
  if (spec.sizeField !== null) view.setUint32(0, size, le);
  return { errno: issue(Number(addressOf(bytes))), bytes: bytes.subarray(0, size), view, room };
}

/** The header as the kernel left it, with its array: `count` elements (all the room when no count is known). */
function decode<H, HI, E, EI, F extends string>(spec: FlexArgument<H, HI, E, EI, F>, out: FlexOutcome): H & Record<F, E[]> {
  const le = isLittle(spec.endian);
  const n = spec.count ? Math.min(readMember(out.view, 0, spec.count, le), out.room) : out.room;
  const items: E[] = [];
  const element = elementIn(spec.element, le);
  for (let i = 0; i < n; i++) items.push(element.decodeFrom(out.view, spec.offset + i * element.size));
  return { ...spec.header.decodeFrom(out.view, 0), [spec.field]: items } as H & Record<F, E[]>;
}

/**
 * Makes the call of `spec` with `args` through `issue`: the header's fields, and in `args[spec.field]` the elements (an
 * array, or their bytes in a Uint8Array), or nothing and the count: room for that many elements, for the kernel
 * to fill. The count is filled from the array when omitted. Returns the decoded struct and elements, or the errno.
 */
export function flexCall<H, HI, E, EI, F extends string>(issue: FlexIssue, spec: FlexArgument<H, HI, E, EI, F>, args: unknown): (H & Record<F, E[]>) | number {
  const out = run(issue, spec, args);
  return out.errno === 0 ? decode(spec, out) : out.errno;
}

/** `flexCall`, throwing an IoctlError (with the argument bytes as the kernel left them) where it returns an errno. */
export function flexCallOrThrow<H, HI, E, EI, F extends string>(issue: FlexIssue, spec: FlexArgument<H, HI, E, EI, F>, args: unknown): H & Record<F, E[]> {
  const out = run(issue, spec, args);
  if (out.errno !== 0) throw ioctlError(out.errno, spec.name, spec.meanings, out.bytes.slice()) as IoctlError;
  return decode(spec, out);
}

/**
 * The call made again with more room while the kernel answers `errno` (E2BIG: the array is too small). Where the
 * kernel writes the number it needs into the count, that many; otherwise twice the room. At most 16 attempts.
 * `args[count]` is the first attempt's room (16 when omitted); a bad one is refused as flexCall refuses it.
 */
export function flexCallGrowing<H, HI, E, EI, F extends string>(issue: FlexIssue, spec: FlexArgument<H, HI, E, EI, F>, args: unknown, errnoName: string, errnoValue: number): H & Record<F, E[]> {
  const count = spec.count;
  if (count === null) throw new Error(`${spec.name}: no count field is known, so the array cannot grow`);
  const given = value(args, spec.name);
  // The first attempt's room: the count given (0 included: the kernel says what it needs), else 16.
  let room = given[count.name] === undefined ? 16 : (given[count.name] as number);
  for (let attempt = 0; attempt < 16; attempt++) {
    const out = run(issue, spec, { ...given, [spec.field]: undefined, [count.name]: room });
    if (out.errno === 0) return decode(spec, out);
    if (out.errno !== errnoValue) throw ioctlError(out.errno, spec.name, spec.meanings, out.bytes.slice());
    room = Math.max(room * 2, readMember(out.view, 0, count, isLittle(spec.endian)), 1);
  }
  throw new Error(`${spec.name}: the kernel kept answering ${errnoName} after 16 larger arrays`);
}

/** Makes the call with the argument at `address`: what the kernel returned (>= 0), or minus the errno (`callValue`). */
export type FlexIssueValue = (address: number) => number;

/**
 * `flexCallOrThrow` for an ioctl that returns a value (KVM_GET_MSRS: how many entries it processed): the value and
 * the decoded struct, or an IoctlError.
 */
export function flexCallValueOrThrow<H, HI, E, EI, F extends string>(issue: FlexIssueValue, spec: FlexArgument<H, HI, E, EI, F>, args: unknown): { value: number; result: H & Record<F, E[]> } {
  const r = flexCallValue(issue, spec, args);
  if (typeof r === 'number') throw ioctlError(r, spec.name, spec.meanings, null) as IoctlError;
  return r;
}

/** `flexCall` for an ioctl that returns a value: the value and the decoded struct, or the errno. */
export function flexCallValue<H, HI, E, EI, F extends string>(issue: FlexIssueValue, spec: FlexArgument<H, HI, E, EI, F>, args: unknown): { value: number; result: H & Record<F, E[]> } | number {
  let value = 0;
  const out = run((at) => {
    const r = issue(at);
    value = r;
    return r < 0 ? -r : 0;
  }, spec, args);
  return out.errno === 0 ? { value, result: decode(spec, out) } : out.errno;
}
