/// <reference lib="esnext.disposable" preserve="true" />
// Mapped memory: anonymous pages for buffers the kernel keeps using after a call (IOMMU_IOAS_MAP pins them), and
// regions of a device file mapped with mmap (a device's registers, a ring shared with the kernel, a struct the
// kernel updates in place). Its address never moves, so pointer fields take it anywhere (codec.ts `pin`).
import { pin } from './codec.js';
import { fail } from './error.js';
import {
  c, errno, MADV_DONTNEED, MAP_ANONYMOUS, MAP_FAILED, MAP_FIXED, MAP_HUGE_SHIFT, MAP_HUGETLB, MAP_PRIVATE, MAP_SHARED,
  PROT_READ, PROT_WRITE, pointerValue, viewAt,
} from './libc.js';
import { structView, type StructLayout, type StructView } from './struct-view.js';

/** The system page size in bytes. */
export const pageSize: number = c.getpagesize();

const unmapper = new FinalizationRegistry<{ address: bigint; length: number }>(({ address, length }) => {
  c.munmap(address, length);
});

/** How `Memory.map` maps. */
export interface MapOptions {
  /**
   * A huge page size in bytes (2 MiB or 1 GiB on x86-64): the memory is whole pages of that size from the kernel's
   * hugetlb pool (mmap's MAP_HUGETLB), which must hold enough free pages (`/proc/sys/vm/nr_hugepages`), or the
   * map fails with ENOMEM. Omitted: ordinary pages.
   */
  readonly hugePageSize?: number;
}

/** mmap's flags for huge pages of `size` bytes: MAP_HUGETLB and log2(size) above MAP_HUGE_SHIFT. */
function hugePageFlags(size: number): number {
  const log2 = Math.log2(size);
  // The flags hold log2 in 6 bits; pages no larger than the base page are not huge.
  if (!Number.isInteger(log2) || size <= pageSize || log2 >= 64) {
    throw new RangeError(`Memory.map: hugePageSize must be a power of two larger than the page size (${pageSize}), got ${size}`);
  }
  return MAP_HUGETLB | (log2 << MAP_HUGE_SHIFT);
}

/** A descriptor, or a handle that has one (an IoctlDevice). */
export type FdLike = number | { readonly fd: number };

/**
 * Page-aligned memory from mmap. `close()` releases the pages at once; the address range itself is unmapped only
 * when the object and its `bytes` are garbage collected, so a view kept after close reads zeroes instead of
 * crashing the process.
 */
export class Memory {
  readonly address: bigint;
  /** The length in bytes: whole pages for `map`, the length asked for with `mapFd`. */
  readonly length: number;
  readonly #shared: boolean;
  #bytes: Uint8Array | null;

  private constructor(address: bigint, length: number, mapped: number, shared: boolean) {
    this.address = address;
    this.length = length;
    this.#shared = shared;
    const buffer = viewAt(address, length);
    this.#bytes = new Uint8Array(buffer);
    unmapper.register(buffer, { address, length: mapped });
    pin(this);
  }

  /**
   * Maps `length` bytes (rounded up to whole pages) of private anonymous memory, readable and writable, zero-filled;
   * of huge pages with `hugePageSize` (see MapOptions).
   */
  static map(length: number, options: MapOptions = {}): Memory {
    if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`Memory.map: length must be a positive integer, got ${length}`);
    const huge = options.hugePageSize;
    const flags = MAP_PRIVATE | MAP_ANONYMOUS | (huge === undefined ? 0 : hugePageFlags(huge));
    const page = huge ?? pageSize;
    const size = Math.ceil(length / page) * page;
    const address = pointerValue(c.mmap(null, size, PROT_READ | PROT_WRITE, flags, -1, 0));
    if (address === MAP_FAILED) fail(huge === undefined ? 'mmap' : `mmap of ${size} bytes in huge pages of ${huge}`, errno());
    return new Memory(address, size, size, false);
  }

  /**
   * Maps `length` bytes of the file or device `fd` at `offset` (a multiple of the page size), shared and
   * readable-writable, as mmap(2) with MAP_SHARED: what the kernel or the device writes there is seen through
   * `bytes` (and a `view`) as it happens, and what is written there reaches them. The descriptor may be closed
   * afterwards; the mapping stays until `close()`.
   */
  static mapFd(fd: FdLike, offset: number, length: number): Memory {
    const n = typeof fd === 'number' ? fd : fd.fd;
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new RangeError(`Memory.mapFd: invalid file descriptor ${String(n)}`);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset % pageSize !== 0) {
      throw new RangeError(`Memory.mapFd: offset must be a multiple of the page size (${pageSize}), got ${offset}`);
    }
    if (!Number.isSafeInteger(length) || length <= 0) {
      throw new RangeError(`Memory.mapFd: length must be a positive integer, got ${length}`);
    }
    const size = Math.ceil(length / pageSize) * pageSize;
    const address = pointerValue(c.mmap(null, size, PROT_READ | PROT_WRITE, MAP_SHARED, n, offset));
    if (address === MAP_FAILED) fail(`mmap fd ${n} at ${offset}`, errno());
    return new Memory(address, length, size, true);
  }

  get closed(): boolean {
    return this.#bytes === null;
  }

  /** The memory's bytes. */
  get bytes(): Uint8Array {
    if (!this.#bytes) throw new Error('Memory is closed');
    return this.#bytes;
  }

  /**
   * A view of the struct `layout` (a generated struct's codec: its `size` and `fields`) at `offset`: each field
   * is a property read from and written to this memory in place, with no copy. Move it with `offset`.
   */
  view<L extends StructLayout>(layout: L, offset = 0): StructView<L> {
    return structView(layout, this.bytes, offset);
  }

  /**
   * Releases the pages (a shared mapping's are replaced by zero-filled private ones, so the file or device is no
   * longer mapped). Closing twice does nothing.
   */
  close(): void {
    if (!this.#bytes) return;
    this.#bytes = null;
    if (!this.#shared) {
      c.madvise(this.address, this.length, MADV_DONTNEED);
      return;
    }
    const size = Math.ceil(this.length / pageSize) * pageSize;
    const at = pointerValue(c.mmap(this.address, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    if (at === MAP_FAILED) fail('mmap (releasing a shared mapping)', errno());
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
