// The runtime's device I/O helpers on the host: eventfd (a real one from this kernel), register views (over a
// file with pread/pwrite, and over memory mapped from that file), capability chains (a buffer laid out as vfio.h
// describes a GET_REGION_INFO answer), and the sysfs look-ups of a PCI device's vfio cdev (over a fake sysfs tree laid out as the kernel's: bus/pci/devices/<address>/{vendor,device,class,driver,vfio-dev/vfioN}).
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  capabilityChain, EventFd, fileRegisters, mappedRegisters, Memory, pageSize, pciDevice, pciDevices, vfioDevicePath,
} from '@uapi-ts/runtime';
import { thrown } from '../thrown.js';

const scratch = mkdtempSync(join(tmpdir(), 'uapi-ts-device-io-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('EventFd', () => {
  it('wait resolves with the counter the writes added, and resets it', async () => {
    using e = EventFd.create();
    e.signal(2);
    e.signal(3n);
    expect(await e.wait()).toBe(5n);
    e.signal();
    expect(await e.wait()).toBe(1n);
  });

  it('a wait does not block the event loop: a timer fires while it is pending, then a signal ends it', async () => {
    using e = EventFd.create();
    const order: string[] = [];
    const waited = e.wait().then((n) => order.push(`wait ${n}`));
    await new Promise((r) => setTimeout(r, 30));
    order.push('timer');
    e.signal(7);
    await waited;
    expect(order).toEqual(['timer', 'wait 7']);
  });

  it('the initial value is the counter; /proc names the descriptor an eventfd', async () => {
    using e = EventFd.create(4);
    expect(readFileSync(`/proc/self/fdinfo/${e.fd}`, 'utf8')).toMatch(/^eventfd-count:\s+4$/m);
    expect(await e.wait()).toBe(4n);
  });

  it('close while waiting rejects the wait and closes the descriptor', async () => {
    const e = EventFd.create();
    const fd = e.fd;
    const waited = e.wait();
    e.close();
    expect(e.closed).toBe(true);
    await expect(waited).rejects.toThrow('closed while waiting');
    expect(() => readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8')).toThrow(/ENOENT/);
    e.close(); // twice: nothing
    expect(() => e.fd).toThrow('closed');
  });

  it('refuses bad values before any system call', () => {
    using e = EventFd.create();
    expect(thrown(() => e.signal(0))).toBeInstanceOf(RangeError);
    expect(thrown(() => e.signal(0xffffffffffffffffn))).toBeInstanceOf(RangeError);
    expect(thrown(() => EventFd.create(-1))).toBeInstanceOf(RangeError);
  });
});

describe('register views', () => {
  const file = join(scratch, 'regs');
  writeFileSync(file, Buffer.alloc(2 * pageSize));
  const bytes = Buffer.from([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
  writeFileSync(file, bytes, { flag: 'r+' });

  it('fileRegisters reads and writes little-endian values of each width at base + offset', () => {
    const fd = openSync(file, 'r+');
    try {
      const r = fileRegisters(fd, 0, 16);
      expect(r.read8(1)).toBe(0x22);
      expect(r.read16(2)).toBe(0x4433);
      expect(r.read32(4)).toBe(0x88776655);
      expect(r.read64(0)).toBe(0x8877665544332211n);
      r.write32(8, 0xdeadbeef);
      r.write64(0, 0x0102030405060708n);
      const at4 = fileRegisters(fd, 4, 8);
      expect(at4.read32(4)).toBe(0xdeadbeef);
      expect([...readFileSync(file).subarray(0, 12)]).toEqual([8, 7, 6, 5, 4, 3, 2, 1, 0xef, 0xbe, 0xad, 0xde]);
      expect(thrown(() => r.read32(14))).toBeInstanceOf(RangeError); // past the end
      expect(thrown(() => r.read32(2))).toBeInstanceOf(RangeError); // unaligned
      expect(thrown(() => r.write16(0, 0x10000))).toBeInstanceOf(RangeError);
      const past = fileRegisters(fd, 3 * pageSize, 8); // beyond the file's end: a short read
      expect(thrown(() => past.read32(0))).toMatchObject({ name: 'IoctlError', code: 'EIO' });
    } finally {
      closeSync(fd);
    }
  });

  it('mappedRegisters over Memory.mapFd sees the file, and the file sees its writes', () => {
    const fd = openSync(file, 'r+');
    try {
      ftruncateSync(fd, 2 * pageSize);
      using m = Memory.mapFd(fd, pageSize, pageSize);
      const r = mappedRegisters(m);
      r.write32(0x80, 0x12345678);
      r.write64(0x88, 0x1122334455667788n);
      r.write16(0x90, 0xabcd);
      r.write8(0x92, 0xef);
      const onDisk = readFileSync(file).subarray(pageSize);
      expect(onDisk.readUInt32LE(0x80)).toBe(0x12345678);
      expect(onDisk.readBigUInt64LE(0x88)).toBe(0x1122334455667788n);
      expect(onDisk.readUInt32LE(0x90)).toBe(0x00efabcd);
      expect(r.read32(0x90)).toBe(0x00efabcd);
      expect(r.read64(0x80)).toBe(0x0000000012345678n);
      expect(thrown(() => r.read64(pageSize))).toBeInstanceOf(RangeError);
    } finally {
      closeSync(fd);
    }
  });
});

describe('PCI devices in sysfs', () => {
  const sys = join(scratch, 'sys');
  const dev = join(scratch, 'dev');
  const devices = join(sys, 'bus/pci/devices');
  const put = (address: string, vendor: string, device: string, cls: string, driver: string | null, cdev: string | null): void => {
    const d = join(devices, address);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'vendor'), `${vendor}\n`);
    writeFileSync(join(d, 'device'), `${device}\n`);
    writeFileSync(join(d, 'class'), `${cls}\n`);
    if (driver) {
      mkdirSync(join(sys, 'bus/pci/drivers', driver), { recursive: true });
      symlinkSync(join(sys, 'bus/pci/drivers', driver), join(d, 'driver'));
    }
    if (cdev) mkdirSync(join(d, 'vfio-dev', cdev), { recursive: true });
  };
  put('0000:00:00.0', '0x8086', '0x29c0', '0x060000', null, null);
  put('0000:00:03.0', '0x1234', '0x11e8', '0x00ff00', 'vfio-pci', 'vfio0');
  put('0000:00:04.0', '0x1234', '0x11e8', '0x00ff00', null, null);
  const roots = { sys, dev };

  it('finds devices by vendor and device id, with their driver', () => {
    expect(pciDevices({ vendor: 0x1234, device: 0x11e8 }, roots)).toEqual([
      { address: '0000:00:03.0', vendor: 0x1234, device: 0x11e8, class: 0xff00, driver: 'vfio-pci' },
      { address: '0000:00:04.0', vendor: 0x1234, device: 0x11e8, class: 0xff00, driver: null },
    ]);
    expect(pciDevices({}, roots).map((d) => d.address)).toEqual(['0000:00:00.0', '0000:00:03.0', '0000:00:04.0']);
    expect(pciDevice('0000:00:00.0', roots).vendor).toBe(0x8086);
  });

  it('the cdev of a device bound to vfio-pci; a clear error for one that is not, or no such device', () => {
    expect(vfioDevicePath('0000:00:03.0', roots)).toBe(join(dev, 'vfio/devices/vfio0'));
    expect(thrown(() => vfioDevicePath('0000:00:04.0', roots))).toMatchObject({ message: expect.stringContaining('has no vfio device cdev (bound to no driver') });
    expect(thrown(() => vfioDevicePath('0000:00:09.0', roots))).toMatchObject({ message: expect.stringContaining('no PCI device 0000:00:09.0') });
    expect(thrown(() => vfioDevicePath('00:03.0', roots))).toBeInstanceOf(TypeError);
  });
});

describe('capabilityChain', () => {
  // vfio.h: struct vfio_info_cap_header { __u16 id; __u16 version; __u32 next; }, and two capabilities that begin
  // with it: struct vfio_region_info_cap_type { header; __u32 type; __u32 subtype; } (id 2) and
  // struct vfio_region_info_cap_sparse_mmap { header; __u32 nr_areas; __u32 reserved; areas[] } (id 1).
  const header = {
    cName: 'vfio_info_cap_header',
    size: 8,
    fields: { id: { offset: 0, size: 2, type: '__u16' }, version: { offset: 2, size: 2, type: '__u16' }, next: { offset: 4, size: 4, type: '__u32' } },
  };
  const capType = {
    size: 16,
    fields: {},
    decode: (b: Uint8Array, o = 0) => ({ type: new DataView(b.buffer, b.byteOffset).getUint32(o + 8, true), subtype: new DataView(b.buffer, b.byteOffset).getUint32(o + 12, true) }),
  };
  /** A region info (32 bytes) followed by a type capability at 32 and a sparse-mmap one at 48. */
  function regionInfo(): Uint8Array {
    const b = new Uint8Array(80);
    const d = new DataView(b.buffer);
    d.setUint32(0, 80, true); // argsz
    d.setUint32(12, 32, true); // cap_offset
    d.setUint16(32, 2, true); d.setUint16(34, 1, true); d.setUint32(36, 48, true); // type cap, version 1, next 48
    d.setUint32(40, 0x8086, true); d.setUint32(44, 3, true);
    d.setUint16(48, 1, true); d.setUint16(50, 1, true); d.setUint32(52, 0, true); // sparse mmap, last
    d.setUint32(56, 1, true); d.setBigUint64(64, 0x1000n, true); d.setBigUint64(72, 0x2000n, true);
    return b;
  }

  it('follows cap_offset and next, decoding the ids it has codecs for', () => {
    const b = regionInfo();
    const caps = capabilityChain(b, new DataView(b.buffer).getUint32(12, true), header, { 2: capType });
    expect(caps.map((c) => [c.offset, c.id, c.version, c.bytes.length])).toEqual([[32, 2, 1, 16], [48, 1, 1, 32]]);
    expect(caps[0]!.value).toEqual({ type: 0x8086, subtype: 3 });
    expect(caps[1]!.value).toBeUndefined();
    expect(new DataView(caps[1]!.bytes.buffer).getBigUint64(24, true)).toBe(0x2000n); // the area's size
    expect(capabilityChain(b, 0, header)).toEqual([]);
  });

  it('refuses a loop and an offset past the buffer instead of following them', () => {
    const loop = regionInfo();
    new DataView(loop.buffer).setUint32(52, 32, true); // the last one points back at the first
    expect(thrown(() => capabilityChain(loop, 32, header))).toMatchObject({ name: 'RangeError', message: expect.stringContaining('loop') });
    const past = regionInfo();
    new DataView(past.buffer).setUint32(52, 76, true); // 76 + 8 > 80
    expect(thrown(() => capabilityChain(past, 32, header))).toMatchObject({ name: 'RangeError', message: expect.stringContaining('does not fit') });
  });
});
