// The C library calls of the runtime, through koffi (its only native dependency).
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');

// glibc's ioctl is variadic: `int ioctl(int fd, unsigned long request, ...)`. On most Linux ABIs a variadic
// integer argument travels exactly as a named one (x86-64 and i386, AArch64's AAPCS64 on Linux, RISC-V, s390x, arm
// EABI), so a fixed prototype passes the same bits with less work per call. On 64-bit PowerPC (ELFv2) the caller
// of a variadic function must also reserve the parameter save area the callee spills its register arguments to;
// a fixed prototype does not, so there ioctl is called as what it is, variadic. `ioctlAt` takes the argument as
// an integer (an address or a value): a number costs koffi ~30 ns less than a typed array. `unsigned long` and
// `uintptr_t` are koffi's C types of the host: 4 bytes on i386 and arm, 8 elsewhere.
export type IoctlForm = 'fixed' | 'variadic';

/** How ioctl is declared for Node's `arch`: variadic where a fixed prototype would not match the ABI's call. */
export function ioctlForm(arch: string): IoctlForm {
  return arch.startsWith('ppc') ? 'variadic' : 'fixed';
}

type IoctlCall<A> = (fd: number, request: number, arg: A) => number;

/** ioctl taking a buffer (`ioctl`) or an integer (`ioctlAt`), declared in `form`. */
export function ioctlFunctions(form: IoctlForm): { ioctl: IoctlCall<unknown>; ioctlAt: IoctlCall<number | bigint> } {
  if (form === 'fixed') {
    return {
      ioctl: libc.func('int ioctl(int fd, unsigned long request, void *arg)') as IoctlCall<unknown>,
      ioctlAt: libc.func('int ioctl(int fd, unsigned long request, uintptr_t arg)') as IoctlCall<number | bigint>,
    };
  }
  const variadic = libc.func('int ioctl(int fd, unsigned long request, ...)');
  return {
    ioctl: (fd, request, arg) => variadic(fd, request, 'void *', arg) as number,
    ioctlAt: (fd, request, arg) => variadic(fd, request, 'uintptr_t', arg) as number,
  };
}

// mmap64/pread64/pwrite64 take a 64-bit offset on every ABI (the plain ones take a 32-bit off_t on i386 and arm,
// and a device region's offset, vfio's index << 40, does not fit); on 64-bit ABIs they are the same functions.
export const c = {
  open: libc.func('int open(const char *path, int flags, int mode)'),
  close: libc.func('int close(int fd)'),
  ...ioctlFunctions(ioctlForm(process.arch)),
  mmap: libc.func('void *mmap64(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)'),
  munmap: libc.func('int munmap(void *addr, size_t length)'),
  madvise: libc.func('int madvise(void *addr, size_t length, int advice)'),
  getpagesize: libc.func('int getpagesize(void)'),
  eventfd: libc.func('int eventfd(unsigned int initval, int flags)'),
  pread: libc.func('intptr_t pread64(int fd, void *buf, size_t count, int64_t offset)'),
  pwrite: libc.func('intptr_t pwrite64(int fd, const void *buf, size_t count, int64_t offset)'),
  write: libc.func('intptr_t write(int fd, const void *buf, size_t count)'),
};

// The flags below are the same on every ABI Node runs on (they differ on alpha, mips, parisc and sparc).
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
/** mmap's MAP_FAILED, (void *)-1, as pointerValue reads it: all ones in a pointer of the host's width. */
export const MAP_FAILED = (1n << BigInt(8 * koffi.sizeof('void *'))) - 1n;

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
