// A record the kernel shares with a handle through mmap (a vCPU's run state): mapped once, viewed in place. Its
// record-typed members are views of their own and its arrays byte views, all made when it is mapped, so that a
// loop reading it after every call allocates nothing (64-bit fields: only a bigint past 1023).
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
  let last = bytes.subarray(0, 0);
  let lastOffset = 0;
  return {
    view,
    bytes,
    memory,
    window(offset: number | bigint, n: number): Uint8Array {
      const at = typeof offset === 'bigint' ? Number(offset) : offset;
      if (at === lastOffset && n === last.length) return last;
      if (!Number.isSafeInteger(at) || !Number.isSafeInteger(n) || at < 0 || n < 0 || at + n > bytes.length) {
        throw new RangeError(`${layout.cName ?? 'struct'}: bytes ${String(offset)}..+${String(n)} are outside the ${bytes.length}-byte region`);
      }
      last = bytes.subarray(at, at + n);
      lastOffset = at;
      return last;
    },
    close: () => memory.close(),
    [Symbol.dispose]: () => memory.close(),
  };
}
