// A device's registers: 8/16/32/64-bit reads and writes at byte offsets of a region, each one access of that
// width (a device decodes the width: QEMU's edu answers only 4- and 8-byte reads). Two kinds of region: mapped
// memory (mmap of a device fd, e.g. a PCI BAR through vfio) and a window of a file read and written with
// pread/pwrite (a region that cannot be mapped, e.g. PCI config space through vfio).
import { endianness } from 'node:os';
import { fail } from './error.js';
import { c, errno } from './libc.js';
import type { FdLike } from './memory.js';

/** Register access to a region of `length` bytes; offsets are relative to the region and naturally aligned. */
export interface Registers {
  readonly length: number;
  read8(offset: number): number;
  read16(offset: number): number;
  read32(offset: number): number;
  read64(offset: number): bigint;
  write8(offset: number, value: number): void;
  write16(offset: number, value: number): void;
  write32(offset: number, value: number): void;
  write64(offset: number, value: bigint | number): void;
}

const MAX = { 1: 0xff, 2: 0xffff, 4: 0xffffffff } as const;

function checkAt(length: number, offset: number, width: 1 | 2 | 4 | 8, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + width > length || offset % width !== 0) {
    throw new RangeError(`${what}: offset ${String(offset)} is not a ${width * 8}-bit aligned offset inside ${length} bytes`);
  }
}

function checkValue(value: number, width: 1 | 2 | 4, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX[width]) {
    throw new RangeError(`${what}: ${String(value)} is not a ${width * 8}-bit unsigned value`);
  }
  return value;
}

function check64(value: bigint | number, what: string): bigint {
  const v = typeof value === 'bigint' ? value : Number.isSafeInteger(value) ? BigInt(value) : -1n;
  if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`${what}: ${String(value)} is not a 64-bit unsigned value`);
  return v;
}

const HOST_LE = endianness() === 'LE';

/** The value of `v` with its bytes in the other order. */
export function swap16(v: number): number {
  return ((v & 0xff) << 8) | (v >>> 8);
}
export function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}
export function swap64(v: bigint): bigint {
  return (BigInt(swap32(Number(v & 0xffffffffn))) << 32n) | BigInt(swap32(Number(v >> 32n)));
}

/**
 * Registers over mapped memory (`Memory.mapFd(device, regionOffset, size).bytes`): typed-array element loads and
 * stores, which V8 performs at the element's width.
 */
export function mappedRegisters(bytes: Uint8Array | { readonly bytes: Uint8Array }): Registers {
  const b = bytes instanceof Uint8Array ? bytes : bytes.bytes;
  if (b.byteOffset % 8 !== 0) throw new RangeError('mappedRegisters: the memory must start 8-byte aligned');
  const length = b.byteLength;
  const n8 = b;
  const n16 = new Uint16Array(b.buffer, b.byteOffset, length >> 1);
  const n32 = new Uint32Array(b.buffer, b.byteOffset, length >> 2);
  const n64 = new BigUint64Array(b.buffer, b.byteOffset, length >> 3);
  // PCI registers are little-endian whatever the host's byte order: a big-endian host swaps what it loads and stores.
  if (!HOST_LE) {
    return {
      length,
      read8: (o) => (checkAt(length, o, 1, 'read8'), n8[o]!),
      read16: (o) => (checkAt(length, o, 2, 'read16'), swap16(n16[o >> 1]!)),
      read32: (o) => (checkAt(length, o, 4, 'read32'), swap32(n32[o >> 2]!)),
      read64: (o) => (checkAt(length, o, 8, 'read64'), swap64(n64[o >> 3]!)),
      write8: (o, v) => void (checkAt(length, o, 1, 'write8'), (n8[o] = checkValue(v, 1, 'write8'))),
      write16: (o, v) => void (checkAt(length, o, 2, 'write16'), (n16[o >> 1] = swap16(checkValue(v, 2, 'write16')))),
      write32: (o, v) => void (checkAt(length, o, 4, 'write32'), (n32[o >> 2] = swap32(checkValue(v, 4, 'write32')))),
      write64: (o, v) => void (checkAt(length, o, 8, 'write64'), (n64[o >> 3] = swap64(check64(v, 'write64')))),
    };
  }
  return {
    length,
    read8: (o) => (checkAt(length, o, 1, 'read8'), n8[o]!),
    read16: (o) => (checkAt(length, o, 2, 'read16'), n16[o >> 1]!),
    read32: (o) => (checkAt(length, o, 4, 'read32'), n32[o >> 2]!),
    read64: (o) => (checkAt(length, o, 8, 'read64'), n64[o >> 3]!),
    write8: (o, v) => void (checkAt(length, o, 1, 'write8'), (n8[o] = checkValue(v, 1, 'write8'))),
    write16: (o, v) => void (checkAt(length, o, 2, 'write16'), (n16[o >> 1] = checkValue(v, 2, 'write16'))),
    write32: (o, v) => void (checkAt(length, o, 4, 'write32'), (n32[o >> 2] = checkValue(v, 4, 'write32'))),
    write64: (o, v) => void (checkAt(length, o, 8, 'write64'), (n64[o >> 3] = check64(v, 'write64'))),
  };
}

/**
 * Registers of the `length` bytes of `fd` at `base` (a vfio region's offset), each access one pread(2) or
 * pwrite(2) of its width. A short or failed transfer throws, naming the offset.
 */
export function fileRegisters(fd: FdLike, base: number | bigint, length: number): Registers {
  const at = BigInt(base);
  if (at < 0n || at > 0x7fffffffffffffffn) throw new RangeError(`fileRegisters: base ${String(base)} out of range`);
  if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`fileRegisters: length must be a positive integer, got ${length}`);
  const scratch = new Uint8Array(new ArrayBuffer(8));
  const view = new DataView(scratch.buffer);
  const descriptor = (): number => (typeof fd === 'number' ? fd : fd.fd);
  const pread = (o: number, width: number, what: string): void => {
    checkAt(length, o, width as 1 | 2 | 4 | 8, what);
    const n = c.pread(descriptor(), scratch, width, at + BigInt(o)) as number;
    if (n !== width) fail(`${what} at 0x${o.toString(16)}`, n < 0 ? errno() : 5 /* EIO: a short read */);
  };
  const pwrite = (o: number, width: number, what: string): void => {
    const n = c.pwrite(descriptor(), scratch, width, at + BigInt(o)) as number;
    if (n !== width) fail(`${what} at 0x${o.toString(16)}`, n < 0 ? errno() : 5);
  };
  // PCI registers and config space are little-endian whatever the host's byte order.
  return {
    length,
    read8: (o) => (pread(o, 1, 'read8'), view.getUint8(0)),
    read16: (o) => (pread(o, 2, 'read16'), view.getUint16(0, true)),
    read32: (o) => (pread(o, 4, 'read32'), view.getUint32(0, true)),
    read64: (o) => (pread(o, 8, 'read64'), view.getBigUint64(0, true)),
    write8: (o, v) => (checkAt(length, o, 1, 'write8'), view.setUint8(0, checkValue(v, 1, 'write8')), pwrite(o, 1, 'write8')),
    write16: (o, v) => (checkAt(length, o, 2, 'write16'), view.setUint16(0, checkValue(v, 2, 'write16'), true), pwrite(o, 2, 'write16')),
    write32: (o, v) => (checkAt(length, o, 4, 'write32'), view.setUint32(0, checkValue(v, 4, 'write32'), true), pwrite(o, 4, 'write32')),
    write64: (o, v) => (checkAt(length, o, 8, 'write64'), view.setBigUint64(0, check64(v, 'write64'), true), pwrite(o, 8, 'write64')),
  };
}
