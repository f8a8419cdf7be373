// The generated ioctl runtime on the host, where no /dev/iommu exists: real system calls that fail in known
// ways (ENOTTY from /dev/null, EBADF from a closed descriptor, ENOENT from a missing node), and every check
// that must refuse bad input before any system call is made.
import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Iommufd, IoctlError, Memory, pageSize, IommuIoasAllowIovas, IommuIoasMap, IOMMU_IOAS_ALLOC,
} from '../../generated/iommufd-v7.3/src/index.js';
import { IommufdTest, IommuTestCmd, IommuTestCmdCheckMap } from '../../generated/iommufd-test-v7.3/src/index.js';

// The header's "General ioctl format" DOC section says what ENOTTY means for every iommufd ioctl.
const ENOTTY_TEXT = 'The IOCTL number itself is not supported at all';

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

  it("one package's Memory is accepted by another package's ioctls (same memory, other class)", () => {
    const mem = Memory.map(pageSize);
    const bytes = IommuTestCmd.encode({ op: 3, check_map: { iova: 0n, length: BigInt(pageSize), uptr: mem } });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const at = IommuTestCmd.fields.check_map.offset + IommuTestCmdCheckMap.fields.uptr.offset; // layout checked against gcc
    expect(view.getBigUint64(at, true)).toBe(mem.address);
    mem.close();
  });

  it('a closed Memory is refused as a pointer', () => {
    const dev = Iommufd.open('/dev/null');
    const mem = Memory.map(pageSize);
    mem.close();
    expect(thrown(() => dev.ioasMap({ user_va: mem }))).toBeInstanceOf(TypeError);
    dev.close();
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
