// A record the kernel shares with a handle through mmap (a vCPU's run state): mapped once, viewed in place. Its
// record-typed members are views of their own and its arrays byte views, all made when it is mapped, so that a
// loop reading it after every call allocates nothing (64-bit fields: only a bigint past 1023).
import { littleEndianField } from './byte-order.js';
import { Memory, type FdLike } from './memory.js';
import { structView, type StructLayout, type StructView } from './struct-view.js';

/** Member name → the codec of its record type (`{ io: KvmRunIo }`). */
export type MemberLayouts = Readonly<Record<string, StructLayout>>;

/** A struct's view whose record-typed members `N` are views too. */
export type NestedView<L extends StructLayout, N extends MemberLayouts> = Omit<StructView<L>, keyof N> & {
  readonly [K in keyof N]: StructView<N[K]>;
};

/** A mapped region holding the record `L` at offset 0, with its view. */
export interface SharedRecord<L extends StructLayout, N extends MemberLayouts> {
  /** The record's fields, read and written in place. */
  readonly view: NestedView<L, N>;
  /** The whole region's bytes. */
  readonly bytes: Uint8Array;
  readonly memory: Memory;
  /**
   * `length` bytes of the region at `offset` (data the kernel places after the record). The same array comes back
   * while offset and length stay the same, so asking after every call allocates nothing.
   */
  window(offset: number | bigint, length: number): Uint8Array;
  /**
   * `window` at the offset held by the 64-bit field `field` of `view` (the record's view or a member's):
   * `windowAt(run.view.io, 'data_offset', n)`. The field is read as two 32-bit halves, so no bigint is made.
   */
  windowAt(view: object, field: string, length: number): Uint8Array;
  close(): void;
  [Symbol.dispose](): void;
}

const AGGREGATE = /\]$|^(struct|union) /;

/** Arrays and records without a codec of their own become fixed byte views, made now rather than at each read. */
function fixAggregates(view: object, layout: StructLayout, bytes: Uint8Array, base: number, skip: MemberLayouts): void {
  for (const [name, f] of Object.entries(layout.fields)) {
    if (Object.hasOwn(skip, name) || !AGGREGATE.test(f.type)) continue;
    Object.defineProperty(view, name, { value: bytes.subarray(base + f.offset, base + f.offset + f.size), enumerable: true });
  }
}

/** A view of `layout` at `offset` of `bytes` whose members named in `members` are views of their own. Fixed in place. */
export function nestedView<L extends StructLayout, N extends MemberLayouts>(layout: L, bytes: Uint8Array, offset: number, members: N): NestedView<L, N> {
  const view = structView(layout, bytes, offset);
  fixAggregates(view, layout, bytes, offset, members);
  for (const [name, inner] of Object.entries(members)) {
    const f = layout.fields[name];
    if (!f) throw new TypeError(`${layout.cName ?? 'struct'} has no member ${name}`);
    const child = structView(inner, bytes, offset + f.offset);
    fixAggregates(child, inner, bytes, offset + f.offset, {});
    Object.defineProperty(view, name, { value: child, enumerable: true });
  }
  return view as unknown as NestedView<L, N>;
}

/** Maps `length` bytes of `fd` at offset 0 (they must hold `layout`) and views the record there. */
export function sharedRecord<L extends StructLayout, N extends MemberLayouts>(fd: FdLike, layout: L, length: number, members: N): SharedRecord<L, N> {
  const n = typeof fd === 'number' ? fd : fd.fd; // a closed handle throws here, before anything else
  if (!Number.isSafeInteger(length) || length < layout.size) {
    throw new RangeError(`${layout.cName ?? 'struct'}: a shared region of ${String(length)} bytes cannot hold its ${layout.size} bytes`);
  }
  const memory = Memory.mapFd(n, 0, length);
  const bytes = memory.bytes;
  const view = nestedView(layout, bytes, 0, members);
  // Where each view (the record's, each member's) starts in the region, and its layout, for windowAt.
  const places = new Map<object, { readonly at: number; readonly layout: StructLayout }>([[view, { at: 0, layout }]]);
  for (const [name, inner] of Object.entries(members)) places.set((view as Record<string, object>)[name]!, { at: layout.fields[name]!.offset, layout: inner });
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let last = bytes.subarray(0, 0);
  let lastOffset = 0;
  // windowAt's last field: its view, name, byte order and the offsets of its low and high 32-bit halves.
  let lastOf: object | null = null;
  let lastField = '';
  let fieldLe = true;
  let lowAt = 0;
  let highAt = 0;
  const window = (offset: number | bigint, size: number): Uint8Array => {
    const at = typeof offset === 'bigint' ? Number(offset) : offset;
    if (at === lastOffset && size === last.length) return last;
    if (!Number.isSafeInteger(at) || !Number.isSafeInteger(size) || at < 0 || size < 0 || at + size > bytes.length) {
      throw new RangeError(`${layout.cName ?? 'struct'}: bytes ${String(offset)}..+${String(size)} are outside the ${bytes.length}-byte region`);
    }
    last = bytes.subarray(at, at + size);
    lastOffset = at;
    return last;
  };
  return {
    view,
    bytes,
    memory,
    window,
    windowAt(of: object, field: string, size: number): Uint8Array {
      // A run loop asks for the same field at every exit: where its halves are is worked out once for the last
      // (view, field) asked for (a VMM's exit costs ~40 us of emulated CPU in the bench guest: every step counts).
      if (of !== lastOf || field !== lastField) {
        const place = places.get(of);
        const f = place?.layout.fields[field];
        if (!place || !f || f.size !== 8) throw new TypeError(`${layout.cName ?? 'struct'}: windowAt needs a view of this region and one of its 64-bit fields, got ${field}`);
        const at = place.at + f.offset;
        fieldLe = littleEndianField(f.type, place.layout.endian);
        lowAt = fieldLe ? at : at + 4;
        highAt = fieldLe ? at + 4 : at;
        lastOf = of;
        lastField = field;
      }
      return window(data.getUint32(lowAt, fieldLe) + data.getUint32(highAt, fieldLe) * 0x1_0000_0000, size);
    },
    close: () => memory.close(),
    [Symbol.dispose]: () => memory.close(),
  };
}
