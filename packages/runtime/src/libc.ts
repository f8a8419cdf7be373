// The C library calls of the runtime, through koffi (its only native dependency).
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');

// glibc's ioctl is variadic in C but, on x86-64, a plain system-call wrapper that reads its third argument from
// a register, so a fixed prototype passes the same bits with less work per call. `ioctlAt` takes the argument
// as an integer (an address or a value): a number costs koffi ~30 ns less than a typed array.
export const c = {
  open: libc.func('int open(const char *path, int flags, int mode)'),
  close: libc.func('int close(int fd)'),
  ioctl: libc.func('int ioctl(int fd, unsigned long request, void *arg)'),
  ioctlAt: libc.func('int ioctl(int fd, unsigned long request, uintptr_t arg)'),
  mmap: libc.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)'),
  munmap: libc.func('int munmap(void *addr, size_t length)'),
  madvise: libc.func('int madvise(void *addr, size_t length, int advice)'),
  getpagesize: libc.func('int getpagesize(void)'),
  eventfd: libc.func('int eventfd(unsigned int initval, int flags)'),
  pread: libc.func('long pread(int fd, void *buf, size_t count, long offset)'),
  pwrite: libc.func('long pwrite(int fd, const void *buf, size_t count, long offset)'),
  write: libc.func('long write(int fd, const void *buf, size_t count)'),
};

export const O_RDWR = 2;
export const O_CLOEXEC = 0o2000000;
export const EFD_CLOEXEC = 0o2000000;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 1;
export const MAP_PRIVATE = 2;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_HUGETLB = 0x40000;
/** log2 of the huge page size goes in the flags' bits 26-31 (MAP_HUGE_2MB is 21 << 26). */
export const MAP_HUGE_SHIFT = 26;
export const MADV_DONTNEED = 4;
export const MAP_FAILED = 0xffffffffffffffffn;

/** The errno of the last failed call, read at once, before anything can change it. */
export function errno(): number {
  return koffi.errno();
}

/** The address of a typed array's bytes (koffi moves an on-heap array's bytes out of the heap first). */
export function addressOf(b: ArrayBufferView): bigint {
  return koffi.address(b) as bigint;
}

/** An ArrayBuffer over `length` bytes at `address` (memory koffi does not own). */
export function viewAt(address: bigint, length: number): ArrayBuffer {
  return koffi.view(address, length) as ArrayBuffer;
}

/** A pointer returned by a C function, as a bigint. */
export function pointerValue(p: unknown): bigint {
  return koffi.address(p) as bigint;
}
