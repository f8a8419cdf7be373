// @uapi-ts/runtime on its own, as built (dist/): descriptors returned by ioctls in handles that close, values
// returned by ioctls, mapped file regions seen in place through struct views, and its errno table. The KVM checks
// use the host's /dev/kvm with request numbers from linux/kvm.h's documented values; without it they are skipped.
import { closeSync, ftruncateSync, mkdtempSync, openSync, readlinkSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FdHandle, IoctlError, Memory, moveView, pageSize, structView, viewOffset } from '@uapi-ts/runtime';
import { IommuIoasMap, IommuIoasIovaRanges } from '../../generated/iommufd-v7.3/src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-runtime-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What /proc/self/fd/N links to, or null when N is not an open descriptor of this process. */
function fdTarget(fd: number): string | null {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
}

// linux/kvm.h: #define KVMIO 0xAE; KVM_GET_API_VERSION _IO(KVMIO, 0x00); KVM_CREATE_VM _IO(KVMIO, 0x01);
// KVM_API_VERSION 12. _IO(type, nr) is type << 8 | nr (no direction, no size).
const KVM_GET_API_VERSION = (0xae << 8) | 0x00;
const KVM_CREATE_VM = (0xae << 8) | 0x01;
const KVM_API_VERSION = 12;

function openKvm(): { kvm: FdHandle | null; why: string } {
  try {
    return { kvm: FdHandle.open('/dev/kvm'), why: '' };
  } catch (e) {
    return { kvm: null, why: `/dev/kvm cannot be opened (${(e as Error).message})` };
  }
}
const { kvm, why } = openKvm();
if (!kvm) console.log(`skipping the KVM checks: ${why}`);
afterAll(() => kvm?.close());

describe('ioctls that return a value or a new descriptor, on /dev/kvm', () => {
  it.skipIf(!kvm)('KVM_GET_API_VERSION returns KVM_API_VERSION (12)', () => {
    expect(kvm!.ioctlRaw(KVM_GET_API_VERSION, 0, 'KVM_GET_API_VERSION')).toBe(KVM_API_VERSION);
  });

  it.skipIf(!kvm)('KVM_CREATE_VM returns a VM descriptor in a handle that closes it, once', () => {
    const vm = kvm!.ioctlFd(KVM_CREATE_VM, 0, 'KVM_CREATE_VM');
    const fd = vm.fd;
    expect(fdTarget(fd)).toBe('anon_inode:kvm-vm');
    vm[Symbol.dispose]();
    expect(vm.closed).toBe(true);
    expect(fdTarget(fd)).toBe(null);
    expect(() => vm.close()).not.toThrow(); // closing twice does nothing (and closes no other descriptor)
  });
});

describe('descriptor handles', () => {
  it('an adopted descriptor is closed by dispose, once; a wrapped one is left open', () => {
    const fd = openSync('/dev/null', 'r');
    const h = FdHandle.adopt(fd);
    expect(fdTarget(fd)).toBe('/dev/null');
    h[Symbol.dispose]();
    expect(fdTarget(fd)).toBe(null);
    const other = openSync('/dev/null', 'r'); // likely the same number again: a second close must not touch it
    h.close();
    expect(fdTarget(other)).toBe('/dev/null');
    const w = FdHandle.fromFd(other);
    w.close();
    expect(fdTarget(other)).toBe('/dev/null');
    closeSync(other);
  });

  it('a raw ioctl failure is an IoctlError named by errno; an argument that is no 64-bit integer is refused first', () => {
    using h = FdHandle.open('/dev/null');
    expect(() => h.ioctlRaw(KVM_GET_API_VERSION, 0, 'KVM_GET_API_VERSION')).toThrow(IoctlError);
    expect(() => h.ioctlFd(KVM_CREATE_VM, 0)).toThrow(/ENOTTY/);
    expect(() => h.ioctlRaw(KVM_CREATE_VM, 2 ** 64)).toThrow(RangeError);
    expect(() => h.ioctlRaw(KVM_CREATE_VM, 0.5)).toThrow(RangeError);
  });
});

describe('mapped file regions and struct views', () => {
  /** A file of two pages; the struct lives in the second, which is what gets mapped (offset = one page). */
  function file(): { fd: number; path: string } {
    const path = join(tmp, `region-${Math.random().toString(16).slice(2)}`);
    const fd = openSync(path, 'w+');
    ftruncateSync(fd, 2 * pageSize);
    return { fd, path };
  }

  it('reads what the kernel writes into the file, in place, and writes reach the file', () => {
    const { fd } = file();
    const mem = Memory.mapFd(fd, pageSize, IommuIoasMap.size * 2);
    const map = mem.view(IommuIoasMap);
    expect(map.ioas_id).toBe(0);
    // write(2) into the file's page cache: the mapping shows it with no copy and no new view.
    const at = pageSize + IommuIoasMap.fields.ioas_id.offset;
    writeSync(fd, new Uint8Array([7, 0, 0, 0]), 0, 4, at);
    expect(map.ioas_id).toBe(7);
    writeSync(fd, new Uint8Array([0, 0x10, 0, 0, 1, 0, 0, 0]), 0, 8, pageSize + IommuIoasMap.fields.length.offset);
    expect(map.length).toBe(0x1_0000_1000n);
    // And back: a field set through the view is in the file.
    map.flags = 6;
    const read = new Uint8Array(4);
    readSync(fd, read, 0, 4, pageSize + IommuIoasMap.fields.flags.offset);
    expect([...read]).toEqual([6, 0, 0, 0]);
    expect(() => { map.flags = -1; }).toThrow(/iommu_ioas_map\.flags: -1 is out of range for __u32/);
    // A ring of such structs: the view moves to the next element.
    writeSync(fd, new Uint8Array([9, 0, 0, 0]), 0, 4, at + IommuIoasMap.size);
    moveView(map, IommuIoasMap.size);
    expect(viewOffset(map)).toBe(IommuIoasMap.size);
    expect(map.ioas_id).toBe(9);
    expect(() => moveView(map, 2 * IommuIoasMap.size)).toThrow(RangeError);
    mem.close();
    mem.close();
    expect(map.ioas_id).toBe(0); // the region is no longer the file's: zero pages, no crash
    writeSync(fd, new Uint8Array([5, 0, 0, 0]), 0, 4, at);
    expect(map.ioas_id).toBe(0);
    closeSync(fd);
  });

  it('a nested array field is a Uint8Array over the same memory; a view past the end is refused', () => {
    const mem = Memory.map(pageSize);
    const v = structView(IommuIoasIovaRanges, mem);
    expect(v.num_iovas).toBe(0);
    mem.bytes[IommuIoasIovaRanges.fields.num_iovas.offset] = 3;
    expect(v.num_iovas).toBe(3);
    expect(() => structView(IommuIoasMap, mem, pageSize - 8)).toThrow(/needs 40 bytes/);
    mem.close();
  });

  it('an offset that is not a whole number of pages is refused before mmap', () => {
    const { fd } = file();
    expect(() => Memory.mapFd(fd, 100, 8)).toThrow(/multiple of the page size/);
    expect(() => Memory.mapFd(-1, 0, 8)).toThrow(RangeError);
    closeSync(fd);
  });
});



describe('huge pages', () => {
  it('a huge page size that is no power of two, or no larger than a page, is refused before mmap', () => {
    for (const size of [3 * 1024 * 1024, pageSize, 0, -2 * 1024 * 1024, 2 ** 64]) {
      expect(() => Memory.map(pageSize, { hugePageSize: size })).toThrow(/hugePageSize must be a power of two larger than the page size/);
    }
  });
});
