// Helpers for ioas.ts: a memfd (memfd_create + ftruncate through koffi), a shared mapping of it, a mock device on
// an IOAS (IOMMU_TEST_OP_MOCK_DOMAIN), hand-built argument structs for the size/`__reserved` rules, and errno
// assertions that also check the header's text. No `tests` export: the runner ignores this module.
import assert from 'node:assert/strict';
import koffi from 'koffi';
import { expectErrno, test73, v73, type IoctlErrorLike } from './lib.js';

const libc = koffi.load('libc.so.6');
const c = {
  memfd_create: libc.func('int memfd_create(const char *name, unsigned int flags)'),
  ftruncate: libc.func('int ftruncate(int fd, long length)'),
  close: libc.func('int close(int fd)'),
  mmap: libc.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)'),
  munmap: libc.func('int munmap(void *addr, size_t length)'),
};

const MFD_CLOEXEC = 1;
const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_SHARED = 1;
const MAP_FAILED = 0xffffffffffffffffn;

export const PAGE = v73.pageSize;
export const U64_MAX = 0xffffffffffffffffn;

/** The header's "General ioctl format" texts (headers/v7.3/linux/iommufd.h), typed out here, not taken from the package. */
export const HEADER = {
  ENOENT: 'An ID or IOVA provided does not exist.',
  EINVAL: 'Everything about the IOCTL was understood, but a field is not correct.',
  EOPNOTSUPP:
    'The IOCTL number is supported, and the structure is understood, however a known field has a value the kernel does not understand or support.',
  EOVERFLOW: 'Mathematics overflowed.',
  EMSGSIZE: 'The ioctl will return -EMSGSIZE and set num_iovas to the required value if num_iovas is too small.',
  CHANGE_PROCESS_EINVAL: 'This only supports maps created with IOMMU_IOAS_MAP_FILE, and returns EINVAL if other maps are present.',
} as const;

/** Like expectErrno, and the error's `.meaning` must be `meaning` (null: the header documents nothing for it). */
export function expectDoc(fn: () => unknown, code: string, meaning: string | null, ioctl?: string): IoctlErrorLike {
  const err = expectErrno(fn, code);
  assert.equal(err.meaning, meaning, `${err.ioctl} ${code}: meaning`);
  if (ioctl !== undefined) assert.equal(err.ioctl, ioctl);
  return err;
}

/** expectDoc with the header's general text for `code` (ENOENT, EINVAL, EOPNOTSUPP, EOVERFLOW). */
export function expectGeneral(fn: () => unknown, code: 'ENOENT' | 'EINVAL' | 'EOPNOTSUPP' | 'EOVERFLOW', ioctl?: string): IoctlErrorLike {
  return expectDoc(fn, code, HEADER[code], ioctl);
}

/** A memfd of `size` bytes. */
export class Memfd {
  readonly fd: number;
  constructor(readonly size: number, name = 'uapi-ts-ioas') {
    const fd = c.memfd_create(name, MFD_CLOEXEC) as number;
    if (fd < 0) throw new Error(`memfd_create failed, errno ${koffi.errno()}`);
    this.fd = fd;
    this.truncate(size);
  }
  truncate(size: number): void {
    if ((c.ftruncate(this.fd, size) as number) < 0) throw new Error(`ftruncate(${size}) failed, errno ${koffi.errno()}`);
  }
  [Symbol.dispose](): void {
    c.close(this.fd);
  }
}

/** A MAP_SHARED read/write mapping of `length` bytes of `fd` from offset 0. */
export class SharedMapping {
  readonly address: bigint;
  readonly bytes: Uint8Array;
  #mapped = true;
  constructor(fd: number, readonly length: number) {
    const address = koffi.address(c.mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) as bigint;
    if (address === MAP_FAILED) throw new Error(`mmap failed, errno ${koffi.errno()}`);
    this.address = address;
    this.bytes = new Uint8Array(koffi.view(address, length) as ArrayBuffer);
  }
  [Symbol.dispose](): void {
    if (!this.#mapped) return;
    this.#mapped = false;
    c.munmap(this.address, this.length);
  }
}

/** Anonymous memory of `pages` pages, every byte written (so each page is populated and private to us). */
export function filledMemory(pages: number, seed = 0x5a): v73.Memory {
  const mem = v73.Memory.map(pages * PAGE);
  for (let i = 0; i < mem.length; i += 64) mem.bytes[i] = (seed + i / 64) & 0xff;
  return mem;
}

export interface MockDevice {
  stdev: number;
  hwpt: number;
  idev: number;
}

/** IOMMU_TEST_OP_MOCK_DOMAIN on `ioas`: a mock device attached through an automatic HWPT. */
export function mockDomain(dev: v73.Iommufd, ioas: number): MockDevice {
  using t = test73.IommufdTest.fromFd(dev.fd);
  const r = t.testCmd({ op: test73.IOMMU_TEST_OP_MOCK_DOMAIN, id: ioas, mock_domain: {} });
  return { stdev: r.mock_domain.out_stdev_id, hwpt: r.mock_domain.out_hwpt_id, idev: r.mock_domain.out_idev_id };
}

/**
 * IOMMU_TEST_OP_MD_CHECK_MAP: every 2 KiB page of [iova, iova+length) in the mock HWPT maps the page at `uptr`.
 * `uptr` is an address: test73's encoder does not accept a v73 Memory (see the report), so pass `.address`.
 */
export function checkMap(dev: v73.Iommufd, hwpt: number, iova: bigint | number, length: number, uptr: bigint): void {
  using t = test73.IommufdTest.fromFd(dev.fd);
  t.testCmd({ op: test73.IOMMU_TEST_OP_MD_CHECK_MAP, id: hwpt, check_map: { iova, length, uptr } });
}

/** IOMMU_TEST_OP_ADD_RESERVED on `ioas`. */
export function addReserved(dev: v73.Iommufd, ioas: number, start: bigint | number, length: bigint | number): void {
  using t = test73.IommufdTest.fromFd(dev.fd);
  t.testCmd({ op: test73.IOMMU_TEST_OP_ADD_RESERVED, id: ioas, add_reserved: { start, length } });
}

/** A codec as the generated records export it: enough to hand-build an argument. */
export interface Codec<T> {
  readonly size: number;
  readonly fields: Readonly<Record<string, { offset: number; size: number }>>;
  encode(value: T, into?: Uint8Array, offset?: number): Uint8Array;
}

/** Encodes `value` into a buffer of `bufferSize` bytes (≥ the struct) and sets `size` to `size`. */
export function rawArg<T>(codec: Codec<T>, value: T, size: number, bufferSize = Math.max(size, codec.size)): Uint8Array {
  const bytes = new Uint8Array(bufferSize);
  codec.encode(value, bytes, 0);
  new DataView(bytes.buffer).setUint32(0, size, true);
  return bytes;
}

/** Sets a little-endian unsigned field of `bytes` (1, 2, 4 or 8 bytes wide). */
export function setField(bytes: Uint8Array, field: { offset: number; size: number }, value: number): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (field.size === 1) v.setUint8(field.offset, value);
  else if (field.size === 2) v.setUint16(field.offset, value, true);
  else if (field.size === 4) v.setUint32(field.offset, value, true);
  else v.setBigUint64(field.offset, BigInt(value), true);
}
