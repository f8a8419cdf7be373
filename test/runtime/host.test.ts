// The generated ioctl runtime on the host, where no /dev/iommu exists: real system calls that fail in known
// ways (ENOTTY from /dev/null, EBADF from a closed descriptor, ENOENT from a missing node), and every check
// that must refuse bad input before any system call is made.
import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Iommufd, IoctlError, Memory, pageSize, ioctls, ERRNO_NAMES, IommuIoasAllowIovas, IommuIoasMap, IOMMU_IOAS_ALLOC,
} from '../../generated/iommufd-v7.3/src/index.js';
import { getS64, getU64 } from '@uapi-ts/runtime/codec';
import { IommufdTest, IommuTestCmd, IommuTestCmdCheckMap } from '../../generated/iommufd-test-v7.3/src/index.js';

// The header's "General ioctl format" DOC section says what ENOTTY means for every iommufd ioctl.
const ENOTTY_TEXT = 'The IOCTL number itself is not supported at all';
const ERRNO_ENOTTY = 25; // asm-generic/errno-base.h

/** The argument buffer a handle last encoded (the runtime keeps one per handle). */
function lastArgs(dev: object): DataView {
  return (dev as { args(): DataView }).args();
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an exception');
}

describe('ioctl runtime on the host', () => {
  it('an iommufd ioctl on /dev/null fails with ENOTTY, named, numbered and explained by the header', () => {
    const dev = Iommufd.open('/dev/null');
    const e = thrown(() => dev.ioasAlloc({})) as IoctlError;
    expect(e).toBeInstanceOf(IoctlError);
    expect(e).toMatchObject({ code: 'ENOTTY', errno: 25, ioctl: 'IOMMU_IOAS_ALLOC', meaning: ENOTTY_TEXT });
    expect(e.message).toBe(`IOMMU_IOAS_ALLOC failed: ENOTTY (25): ${ENOTTY_TEXT}`);
    dev.close();
  });

  it('fills size and zeroes __reserved: the bytes handed to the kernel', () => {
    const dev = Iommufd.open('/dev/null');
    expect(() => dev.ioasMap({ flags: 6, ioas_id: 3, user_va: 0x1000n, length: 8192, iova: 0x2000n })).toThrow(IoctlError);
    const d = lastArgs(dev);
    expect(d.getUint32(0, true)).toBe(IommuIoasMap.size); // size
    expect(d.getUint32(4, true)).toBe(6);
    expect(d.getUint32(8, true)).toBe(3);
    expect(d.getUint32(12, true)).toBe(0); // __reserved
    expect(d.getBigUint64(16, true)).toBe(0x1000n);
    expect(d.getBigUint64(24, true)).toBe(8192n);
    dev.close();
  });

  it('passes a buffer by address and fills the length from it', () => {
    const dev = Iommufd.open('/dev/null');
    const mem = Memory.map(3 * pageSize);
    expect(() => dev.ioasMap({ ioas_id: 1, user_va: mem })).toThrow(IoctlError);
    const d = lastArgs(dev);
    expect(d.getBigUint64(16, true)).toBe(mem.address);
    expect(d.getBigUint64(24, true)).toBe(BigInt(3 * pageSize));
    mem.close();
    dev.close();
  });

  it('encodes an array of structs for a pointer field and counts it', () => {
    const dev = Iommufd.open('/dev/null');
    const ranges = [{ start: 0n, last: 0xfffn }, { start: 0x10000n, last: 0x1ffffn }];
    expect(() => dev.ioasAllowIovas({ ioas_id: 1, allowed_iovas: ranges })).toThrow(IoctlError);
    const d = lastArgs(dev);
    expect(d.getUint32(0, true)).toBe(IommuIoasAllowIovas.size);
    expect(d.getUint32(8, true)).toBe(2); // num_iovas
    expect(d.getBigUint64(16, true)).not.toBe(0n); // allowed_iovas: the address of the encoded array
    dev.close();
  });

  it.each([
    ['a negative __u32', () => (dev: Iommufd) => dev.ioasMap({ flags: -1 }), RangeError, /IOMMU_IOAS_MAP\.flags: -1 is out of range for __u32/],
    ['a string for a number', () => (dev: Iommufd) => dev.ioasMap({ ioas_id: '1' as unknown as number }), TypeError, /IOMMU_IOAS_MAP\.ioas_id: expected an integer/],
    ['a fraction', () => (dev: Iommufd) => dev.ioasMap({ ioas_id: 1.5 }), TypeError, /ioas_id: expected an integer \(__u32\), got 1\.5/],
    ['NaN', () => (dev: Iommufd) => dev.destroy({ id: Number.NaN }), TypeError, /IOMMU_DESTROY\.id: expected an integer/],
    ['2^64 for a __u64', () => (dev: Iommufd) => dev.ioasMap({ length: 1n << 64n }), RangeError, /length: 18446744073709551616 is out of range/],
    ['an unsafe integer number for a __u64', () => (dev: Iommufd) => dev.ioasMap({ length: 2 ** 60 }), RangeError, /not a safe integer; pass a bigint/],
    ['a length beyond the buffer', () => (dev: Iommufd) => dev.ioasMap({ user_va: new Uint8Array(100), length: 4096 }), RangeError, /IOMMU_IOAS_MAP\.length: asks for more than the 100 bytes given in user_va/],
    ['a count beyond the buffer', () => (dev: Iommufd) => dev.ioasIovaRanges({ num_iovas: 3, allowed_iovas: new Uint8Array(32) }), RangeError, /IOMMU_IOAS_IOVA_RANGES\.num_iovas: asks for more than the 32 bytes/],
    // iova_bitmap.c sizes the dirty bitmap in bytes of 8 pages: 32 pages need 4 bytes.
    ['a dirty bitmap smaller than length / page_size bits', () => (dev: Iommufd) => dev.hwptGetDirtyBitmap({ hwpt_id: 1, length: 32n * 4096n, page_size: 4096, data: new Uint8Array(16).subarray(0, 1) }), RangeError, /IOMMU_HWPT_GET_DIRTY_BITMAP\.data: needs 4 bytes .*, the buffer has 1/],
    ['invalidation entries beyond the buffer', () => (dev: Iommufd) => dev.hwptInvalidate({ hwpt_id: 1, entry_len: 8, entry_num: 3, data_uptr: new Uint8Array(16) }), RangeError, /IOMMU_HWPT_INVALIDATE\.data_uptr: needs 24 bytes \(entry_len \* entry_num\), the buffer has 16/],
    ['a non-object array element', () => (dev: Iommufd) => dev.ioasAllowIovas({ allowed_iovas: [5 as unknown as { start: bigint }] }), TypeError, /allowed_iovas\[0\]: expected an object/],
    ['two members of a union', () => (dev: Iommufd) => dev.getHwInfo({ in_data_type: 1, out_data_type: 2 }), TypeError, /in_data_type, out_data_type share storage/],
    ['a non-buffer object as a pointer', () => (dev: Iommufd) => dev.ioasMap({ user_va: {} as unknown as Uint8Array }), TypeError, /user_va: expected an address \(bigint\), a Uint8Array\/Buffer or a Memory/],
  ])('refuses %s before any system call', (_what, make, type, message) => {
    const dev = Iommufd.open('/dev/null');
    const e = thrown(() => make()(dev));
    // ENOTTY would mean the kernel saw the call: the check must come first.
    expect(e).toBeInstanceOf(type);
    expect((e as Error).message).toMatch(message);
    dev.close();
  });

  it('a closed handle is an error before any system call, and closing twice is harmless', () => {
    const dev = Iommufd.open('/dev/null');
    dev.close();
    dev.close();
    expect(dev.closed).toBe(true);
    expect(() => dev.ioasAlloc({})).toThrow(/Iommufd: the handle is closed/);
    expect(() => dev.fd).toThrow(/closed/);
  });

  it('an fd closed behind the handle gives EBADF from the kernel', () => {
    const fd = openSync('/dev/null', 'r+');
    const dev = Iommufd.fromFd(fd);
    closeSync(fd);
    expect(thrown(() => dev.ioasAlloc({}))).toMatchObject({ code: 'EBADF', errno: 9, ioctl: 'IOMMU_IOAS_ALLOC' });
    dev.close(); // not owned: does not close the number again
  });

  it('opening a missing device node fails with ENOENT', () => {
    expect(thrown(() => Iommufd.open('/dev/no-such-iommu'))).toMatchObject({ code: 'ENOENT', errno: 2, ioctl: 'open /dev/no-such-iommu' });
  });

  it('Symbol.dispose closes the handle', () => {
    const dev = Iommufd.open('/dev/null');
    dev[Symbol.dispose]();
    expect(dev.closed).toBe(true);
  });

  it('the test package checks the DIRTY bitmap it hands the kernel', () => {
    const dev = IommufdTest.open('/dev/null');
    // selftest.c reads DIV_ROUND_UP(length / page_size, 8) bytes: 64 pages need 8 bytes.
    expect(() => dev.testCmd({ op: 13, dirty: { length: 64n * 4096n, page_size: 4096n, uptr: new Uint8Array(7) } })).toThrow(/IOMMU_TEST_CMD\.dirty\.uptr: needs 8 bytes/);
    dev.close();
  });

  it('the test package drives the same device and reports its ioctl by name', () => {
    const dev = IommufdTest.open('/dev/null');
    expect(thrown(() => dev.testCmd({ op: 2, mock_domain: { out_stdev_id: 0 } }))).toMatchObject({ code: 'ENOTTY', ioctl: 'IOMMU_TEST_CMD' });
    dev.close();
  });

  it('a failed ioctl carries a copy of the argument as the kernel left it', () => {
    const dev = Iommufd.open('/dev/null');
    const e = thrown(() => dev.ioasMap({ ioas_id: 9, length: 4096 })) as IoctlError;
    expect(e.argument).toBeInstanceOf(Uint8Array);
    expect(IommuIoasMap.decode(e.argument!)).toMatchObject({ size: IommuIoasMap.size, ioas_id: 9, length: 4096n });
    dev.close();
  });

  it("a Memory of the one runtime is taken by every package's codecs and ioctls, in plain encode too", () => {
    const mem = Memory.map(pageSize);
    const bytes = IommuTestCmd.encode({ op: 3, check_map: { iova: 0n, length: BigInt(pageSize), uptr: mem } });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const at = IommuTestCmd.fields.check_map.offset + IommuTestCmdCheckMap.fields.uptr.offset; // layout checked against gcc
    expect(view.getBigUint64(at, true)).toBe(mem.address);
    mem.close();
  });

  it('plain encode refuses a typed array in a pointer field, naming the field; a method call takes it for the call', () => {
    const buffer = new Uint8Array(4096);
    const e = thrown(() => IommuIoasMap.encode({ user_va: buffer, length: 4096 })) as Error;
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/^iommu_ioas_map\.user_va: a Uint8Array can move or be freed once encode returns/);
    const nested = thrown(() => IommuTestCmd.encode({ op: 3, check_map: { uptr: new Uint8Array(8) } })) as Error;
    expect(nested.message).toMatch(/check_map\.uptr: a Uint8Array can move/);
    // In a call the address is taken and the array kept until the kernel returns (ENOTTY here, after the encode).
    const dev = Iommufd.open('/dev/null');
    expect(thrown(() => dev.ioasMap({ ioas_id: 1, user_va: buffer }))).toMatchObject({ code: 'ENOTTY' });
    const d = lastArgs(dev);
    expect(d.getBigUint64(24, true)).toBe(4096n); // length filled from the buffer
    expect(d.getBigUint64(16, true)).not.toBe(0n);
    // The call's permission ends with it: plain encode refuses again afterwards, also after a refused call.
    expect(() => dev.ioasMap({ user_va: buffer, flags: -1 })).toThrow(RangeError);
    expect(() => IommuIoasMap.encode({ user_va: buffer })).toThrow(/can move or be freed/);
    dev.close();
  });

  it('a closed Memory is refused as a pointer', () => {
    const dev = Iommufd.open('/dev/null');
    const mem = Memory.map(pageSize);
    mem.close();
    expect(thrown(() => dev.ioasMap({ user_va: mem }))).toBeInstanceOf(TypeError);
    dev.close();
  });

  it('the name is IoctlError, on the prototype, and the stack starts with it', () => {
    const dev = Iommufd.open('/dev/null');
    const e = thrown(() => dev.ioasAlloc({})) as IoctlError;
    expect(e.name).toBe('IoctlError');
    expect(Object.hasOwn(e, 'name')).toBe(false);
    expect(e.stack!.startsWith(`IoctlError: ${e.message}\n`)).toBe(true);
    expect(String(e)).toBe(`IoctlError: ${e.message}`);
    dev.close();
  });

  // Every ioctl of the header (its `ioctls` table), through both forms: the kernel answers ENOTTY on /dev/null.
  const methods = Object.keys(ioctls).map((name) => {
    const rest = name.toLowerCase().split('_').slice(1);
    const method = rest.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
    return { name, method, tryMethod: `try${method[0]!.toUpperCase()}${method.slice(1)}` };
  });
  type Method = (args?: object) => unknown;
  it.each(methods)('$tryMethod returns the errno where $method throws it', ({ name, method, tryMethod }) => {
    const dev = Iommufd.open('/dev/null') as unknown as Record<string, Method> & Iommufd;
    expect(dev[tryMethod]!.call(dev, {})).toBe(ERRNO_ENOTTY);
    expect(thrown(() => dev[method]!.call(dev, {}))).toMatchObject({ code: 'ENOTTY', errno: ERRNO_ENOTTY, ioctl: name });
    dev.close();
  });

  it('a try form still throws for bad arguments and a closed handle, before any system call', () => {
    const dev = Iommufd.open('/dev/null');
    expect(thrown(() => dev.tryIoasMap({ length: -1 }))).toBeInstanceOf(RangeError);
    expect(thrown(() => dev.tryIoasAlloc({ flags: 'x' } as never))).toBeInstanceOf(TypeError);
    dev.close();
    expect(() => dev.tryIoasAlloc({})).toThrow(/Iommufd: the handle is closed/);
  });

  it('a try form returns the kernel\'s errno and leaves the argument in the buffer', () => {
    const fd = openSync('/dev/null', 'r+');
    const dev = Iommufd.fromFd(fd);
    closeSync(fd);
    const r = dev.tryIoasMap({ ioas_id: 9, length: 4096 });
    expect(r).toBe(9); // EBADF, from the kernel: the descriptor is closed
    expect(ERRNO_NAMES.get(r as number)).toBe('EBADF');
    expect(lastArgs(dev).getUint32(8, true)).toBe(9);
    dev.close();
  });

  it('the growing-array form reports errors other than EMSGSIZE as IoctlError', () => {
    const dev = Iommufd.open('/dev/null');
    expect(thrown(() => dev.ioasIovaRangesAll({ ioas_id: 1 }))).toMatchObject({ code: 'ENOTTY', ioctl: 'IOMMU_IOAS_IOVA_RANGES' });
    dev.close();
  });

  it('a prepared call passes the bytes the method would, and reports errors the same ways', () => {
    const dev = Iommufd.open('/dev/null');
    const mem = Memory.map(2 * pageSize);
    const args = { flags: 6, ioas_id: 3, user_va: mem, iova: 0x2000n };
    expect(dev.tryIoasMap(args)).toBe(ERRNO_ENOTTY);
    const map = dev.prepareIoasMap(args);
    expect(map.bytes).toEqual(new Uint8Array(lastArgs(dev).buffer, 0, IommuIoasMap.size));
    expect(map.result()).toMatchObject({ size: IommuIoasMap.size, ioas_id: 3, user_va: mem.address, length: BigInt(2 * pageSize) });
    expect(map.tryRun()).toBe(ERRNO_ENOTTY);
    const e = thrown(() => map.run()) as IoctlError;
    expect(e).toMatchObject({ code: 'ENOTTY', ioctl: 'IOMMU_IOAS_MAP', meaning: ENOTTY_TEXT });
    expect(e.argument).toEqual(map.bytes);
    mem.close();
    dev.close();
  });

  it('set() re-encodes, and refused arguments leave the prepared bytes as they were', () => {
    const dev = Iommufd.open('/dev/null');
    const map = dev.prepareIoasMap({ ioas_id: 1, length: 4096 });
    map.set({ ioas_id: 2, length: 8192 });
    expect(map.result()).toMatchObject({ ioas_id: 2, length: 8192n });
    const before = map.bytes.slice();
    expect(thrown(() => map.set({ ioas_id: 5, length: -1 }))).toBeInstanceOf(RangeError);
    // The pointer check comes after the struct is encoded: a refusal there must not leave a half-set argument.
    expect(thrown(() => map.set({ ioas_id: 6, user_va: new Uint8Array(8), length: 9 }))).toBeInstanceOf(RangeError);
    expect(map.bytes).toEqual(before);
    dev.close();
  });

  it('a prepared call keeps the array it encoded for a pointer field', () => {
    const dev = Iommufd.open('/dev/null');
    const allow = dev.prepareIoasAllowIovas({ ioas_id: 1, allowed_iovas: [{ start: 0x1000n, last: 0x1fffn }, { start: 0x4000n, last: 0x4fffn }] });
    const r = allow.result();
    expect(r.num_iovas).toBe(2);
    expect(r.allowed_iovas).not.toBe(0n); // the address of the encoded array, which the call holds on to
    dev.close();
  });

  it('a prepared call refuses to run once a Memory it points into is closed (its pages may be gone)', () => {
    const dev = Iommufd.open('/dev/null');
    const mem = Memory.map(pageSize);
    const map = dev.prepareIoasMap({ ioas_id: 1, user_va: mem });
    expect(map.tryRun()).toBe(ERRNO_ENOTTY);
    mem.close();
    expect(thrown(() => map.tryRun())).toBeInstanceOf(TypeError);
    expect(() => map.run()).toThrow(/IOMMU_IOAS_MAP: a Memory the prepared arguments point into is closed/);
    const other = Memory.map(pageSize);
    map.set({ ioas_id: 1, user_va: other }); // pointed elsewhere: runs again
    expect(map.tryRun()).toBe(ERRNO_ENOTTY);
    other.close();
    // Arguments may carry anything else, cycles included: the walk for Memory objects stops at what it has seen.
    const cyclic: Record<string, unknown> = { ioas_id: 1, length: 4096 };
    cyclic.self = cyclic;
    expect(dev.prepareIoasMap(cyclic).tryRun()).toBe(ERRNO_ENOTTY);
    // Cycles between nested objects, and a Memory reached only through a nested array: still found.
    const third = Memory.map(pageSize);
    const deep: Record<string, unknown> = { ioas_id: 1, length: 4096, extra: [{ again: third }, third] };
    const inner: Record<string, unknown> = { back: deep };
    inner.list = [inner, { back: inner }];
    deep.inner = inner;
    const held = dev.prepareIoasMap(deep);
    expect(held.tryRun()).toBe(ERRNO_ENOTTY);
    third.close();
    expect(thrown(() => held.tryRun())).toBeInstanceOf(TypeError);
    dev.close();
  });

  it('preparing on a closed handle, or running after close, throws', () => {
    const dev = Iommufd.open('/dev/null');
    const alloc = dev.prepareIoasAlloc();
    dev.close();
    expect(() => dev.prepareIoasAlloc()).toThrow(/Iommufd: the handle is closed/);
    expect(() => alloc.tryRun()).toThrow(/Iommufd: the handle is closed/);
  });

  it('ioctlRaw sends caller-encoded bytes', () => {
    const dev = Iommufd.open('/dev/null');
    expect(thrown(() => dev.ioctlRaw(IOMMU_IOAS_ALLOC, new Uint8Array(12)))).toMatchObject({ code: 'ENOTTY' });
    dev.close();
  });
});

describe('Memory', () => {
  it('maps whole pages, page-aligned, zero-filled and writable', () => {
    const mem = Memory.map(pageSize + 1);
    expect(mem.length).toBe(2 * pageSize);
    expect(mem.address % BigInt(pageSize)).toBe(0n);
    expect(mem.bytes.every((b) => b === 0)).toBe(true);
    mem.bytes[mem.length - 1] = 0xab;
    expect(mem.bytes[mem.length - 1]).toBe(0xab);
    mem.close();
  });

  it('after close, bytes is an error and a kept view reads zeroes instead of crashing', () => {
    const mem = Memory.map(pageSize);
    const kept = mem.bytes;
    kept[0] = 7;
    mem[Symbol.dispose]();
    expect(mem.closed).toBe(true);
    expect(() => mem.bytes).toThrow(/closed/);
    expect(kept[0]).toBe(0);
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])('refuses length %s', (n) => {
    expect(() => Memory.map(n)).toThrow(RangeError);
  });
});

describe('64-bit readers of the decoders', () => {
  // The expected value is DataView's own getBig(Ui|I)nt64 on the same bytes. The readers take shortcuts (a table
  // below 1024, one 32-bit read when the high word is 0 or all ones), so the cases sit on both sides of each.
  const cases = [0n, 1n, 1023n, 1024n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x1_0000_0001n, 0x7fffffffffffffffn, 0x8000000000000000n,
    0xffffffff00000000n, 0xffffffff80000000n, 0xfffffffffffffffen, 0xffffffffffffffffn];
  it.each(cases)('bytes of %s', (v) => {
    const d = new DataView(new ArrayBuffer(16));
    d.setBigUint64(3, v, true);
    expect(getU64(d, 3)).toBe(d.getBigUint64(3, true));
    expect(getS64(d, 3)).toBe(d.getBigInt64(3, true));
  });
});
