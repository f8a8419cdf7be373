// The vfio device cdev's own ioctls on edu: device, region and IRQ info, reset, features, ioeventfds, and bad
// input, each a typed error with the device usable afterwards. Expected values: vfio.h (flags, indexes, the fixed
// vfio-pci region and IRQ layout), QEMU's edu (a conventional PCI device: 1 MiB BAR0, one MSI vector, INTx pin A,
// no ROM, no MSI-X, not PCIe) and the kernel's errnos.
import assert from 'node:assert/strict';
import { EventFd, FdHandle, fileRegisters } from '@uapi-ts/runtime';
import { expectErrno, vfio, type Tests } from './lib.js';
import {
  VFIO_DEVICE_ATTACH_PASID, VFIO_DEVICE_FEATURE_GET, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
  VFIO_DEVICE_FEATURE_PROBE, VFIO_DEVICE_FEATURE_SET, VFIO_PCI_HOT_RESET_FLAG_DEV_ID, VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED, VFIO_DEVICE_FLAGS_PCI, VFIO_DEVICE_FLAGS_RESET,
  VFIO_DEVICE_IOEVENTFD_16, VFIO_DEVICE_IOEVENTFD_32, VFIO_DEVICE_IOEVENTFD_8, VFIO_IRQ_INFO_AUTOMASKED,
  VFIO_IRQ_INFO_EVENTFD, VFIO_IRQ_INFO_MASKABLE, VFIO_IRQ_INFO_NORESIZE, VFIO_IRQ_SET_ACTION_TRIGGER,
  VFIO_IRQ_SET_DATA_EVENTFD, VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_CONFIG_REGION_INDEX, VFIO_PCI_INTX_IRQ_INDEX,
  VFIO_PCI_MSI_IRQ_INDEX, VFIO_PCI_MSIX_IRQ_INDEX, VFIO_PCI_NUM_IRQS, VFIO_PCI_NUM_REGIONS, VFIO_PCI_REQ_IRQ_INDEX,
  VFIO_PCI_ROM_REGION_INDEX, VFIO_PCI_VGA_REGION_INDEX, VFIO_REGION_INFO_FLAG_MMAP, VFIO_REGION_INFO_FLAG_READ,
  VFIO_REGION_INFO_FLAG_WRITE,
} from './vfio-abi.js';
import { EDU, Edu, eduCdev, IOVA_A, IOVA_B, pattern } from './vfio-util.js';

const RW = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;

/** The device works: the liveness register and a DMA round trip. */
async function usable(edu: Edu, seed: number): Promise<void> {
  edu.regs.write32(EDU.LIVENESS, seed);
  assert.equal(edu.regs.read32(EDU.LIVENESS), ~seed >>> 0);
  const p = pattern(512, seed);
  edu.a.bytes.set(p);
  edu.b.bytes.fill(0);
  await edu.roundTrip(IOVA_A, IOVA_B, 512);
  assert.deepEqual(edu.b.bytes.subarray(0, 512), p);
}

export const tests: Tests = {
  'GET_INFO: a vfio-pci device with the fixed PCI region and IRQ counts'() {
    using edu = new Edu();
    const info = edu.dev.deviceGetInfo();
    assert.deepEqual(edu.dev.deviceGetInfoCaps(), { ...info, capabilities: [] });
    // Resettable: alone on the bus behind its root port (a bus reset); no capabilities (no PCIe atomics to report).
    assert.equal(info.flags, VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET, `flags 0x${info.flags.toString(16)}`);
    assert.equal(info.cap_offset, 0);
    assert.equal(info.num_regions, VFIO_PCI_NUM_REGIONS);
    assert.equal(info.num_irqs, VFIO_PCI_NUM_IRQS);
  },

  'GET_REGION_INFO of every region, with its capability chain'() {
    using edu = new Edu();
    const seen: string[] = [];
    const offsets = new Set<bigint>();
    for (let index = 0; index < VFIO_PCI_NUM_REGIONS; index++) {
      if (index === VFIO_PCI_VGA_REGION_INDEX) {
        // Only VGA-class devices have it (vfio.h: PCI base class 03, subclass 00).
        expectErrno(() => edu.dev.deviceGetRegionInfo({ index }), 'EINVAL');
        continue;
      }
      // The generated method gives room for the chain (argsz as the kernel answers it) and decodes it.
      const info = edu.dev.deviceGetRegionInfoCaps({ index });
      const caps = info.capabilities;
      assert.equal(info.index, index);
      const plain = edu.dev.deviceGetRegionInfo({ index }); // argsz = the struct: no room for capabilities
      assert.deepEqual([plain.size, plain.offset, plain.flags & RW], [info.size, info.offset, info.flags & RW]);
      assert.ok(info.offset % 4096n === 0n, `region ${index} offset 0x${info.offset.toString(16)}`);
      assert.ok(!offsets.has(info.offset), `region ${index} shares offset 0x${info.offset.toString(16)}`);
      offsets.add(info.offset);
      seen.push(`${index}: size 0x${info.size.toString(16)} flags 0x${info.flags.toString(16)} caps [${caps.map((c) => `${c.id}v${c.version}`).join(',')}]`);
      if (index === VFIO_PCI_BAR0_REGION_INDEX) {
        assert.equal(info.size, 1n << 20n, 'edu BAR0 is 1 MiB');
        assert.equal(info.flags & (RW | VFIO_REGION_INFO_FLAG_MMAP), RW | VFIO_REGION_INFO_FLAG_MMAP);
      } else if (index === VFIO_PCI_CONFIG_REGION_INDEX) {
        assert.equal(info.size, 256n, 'conventional PCI config space');
        assert.equal(info.flags & (RW | VFIO_REGION_INFO_FLAG_MMAP), RW, 'config space is read and written, never mapped');
      } else if (index <= VFIO_PCI_ROM_REGION_INDEX) {
        assert.equal(info.size, 0n, `edu has no BAR${index === VFIO_PCI_ROM_REGION_INDEX ? ' ROM' : index}`);
      }
      assert.deepEqual(caps, [], 'no MSI-X table to leave out of the mmap, no device-specific region type');
    }
    expectErrno(() => edu.dev.deviceGetRegionInfo({ index: VFIO_PCI_NUM_REGIONS }), 'EINVAL');
    console.log(`regions: ${seen.join('; ')}`);
  },

  'GET_IRQ_INFO of every IRQ index'() {
    using edu = new Edu();
    const intx = edu.dev.deviceGetIrqInfo({ index: VFIO_PCI_INTX_IRQ_INDEX });
    assert.deepEqual([intx.count, intx.flags], [1, VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED]);
    const msi = edu.dev.deviceGetIrqInfo({ index: VFIO_PCI_MSI_IRQ_INDEX });
    assert.deepEqual([msi.count, msi.flags], [1, VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE]);
    const msix = edu.dev.deviceGetIrqInfo({ index: VFIO_PCI_MSIX_IRQ_INDEX });
    assert.equal(msix.count, 0, 'edu has no MSI-X');
    const req = edu.dev.deviceGetIrqInfo({ index: VFIO_PCI_REQ_IRQ_INDEX });
    assert.equal(req.count, 1);
    expectErrno(() => edu.dev.deviceGetIrqInfo({ index: VFIO_PCI_NUM_IRQS }), 'EINVAL');
  },

  async 'VFIO_DEVICE_RESET, and the device works afterwards'() {
    using edu = new Edu();
    edu.dev.deviceReset();
    // The kernel saves config space before the reset and restores it after.
    assert.ok(edu.config.read16(0x04) & 0b100, 'bus mastering restored after the reset');
    await usable(edu, 0x1111);
  },

  async 'PCI hot reset: the devices a bus reset affects (edu alone behind its root port), then the reset'() {
    using edu = new Edu();
    // Too little room (none): ENOSPC, with the count needed written back (vfio.h), in the error's argument bytes.
    const e = expectErrno(() => edu.dev.deviceGetPciHotResetInfo(), 'ENOSPC') as unknown as { argument: Uint8Array | null };
    assert.ok(e.argument !== null && e.argument.byteLength === vfio.VfioPciHotResetInfo.size);
    assert.equal(vfio.VfioPciHotResetInfo.decode(e.argument).count, 1);
    // Room for 4 (argsz = 12 + 4 * 8): the kernel fills one and says so.
    const roomy = edu.dev.deviceGetPciHotResetInfo({ count: 4 });
    assert.deepEqual([roomy.argsz, roomy.count, roomy.devices.length], [12 + 4 * 8, 1, 1]);
    // The growing form: ENOSPC answered with the count needed, then the call again with that much room.
    const info = edu.dev.deviceGetPciHotResetInfoAll({ count: 0 });
    assert.equal(info.count, 1);
    assert.deepEqual(info.devices, roomy.devices);
    // A cdev-opened device: devids, and owned through this iommufd.
    assert.equal(info.flags, VFIO_PCI_HOT_RESET_FLAG_DEV_ID | VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED);
    const [self] = info.devices;
    const [domain, bus, devfn] = edu.address.split(/[:.]/).map((x) => Number.parseInt(x, 16));
    assert.deepEqual(self, { group_id: edu.devid, devid: edu.devid, segment: domain, bus, devfn: devfn! << 3 });
    // On a cdev the group fd array must be empty (vfio.h): one fd (count and argsz filled from it) is refused.
    expectErrno(() => edu.dev.devicePciHotReset({ group_fds: [-1] }), 'EINVAL');
    edu.dev.devicePciHotReset({ count: 0 });
    edu.config.write16(0x04, edu.config.read16(0x04) | 0b110);
    await usable(edu, 0x6666);
  },

  'VFIO_DEVICE_FEATURE: probing a feature vfio-pci has, one it has not, and bad flags'() {
    using edu = new Edu();
    edu.dev.deviceFeature({ flags: VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY });
    expectErrno(() => edu.dev.deviceFeature({ flags: VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY }), 'EINVAL');
    expectErrno(() => edu.dev.deviceFeature({ flags: VFIO_DEVICE_FEATURE_PROBE | 0xffff }), 'ENOTTY');
    expectErrno(() => edu.dev.deviceFeature({ flags: VFIO_DEVICE_FEATURE_PROBE | (1 << 20) | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY }), 'EINVAL');
  },

  async 'VFIO_DEVICE_IOEVENTFD: a signal on the eventfd writes edu’s liveness register'() {
    using edu = new Edu();
    const bar0 = edu.dev.deviceGetRegionInfo({ index: VFIO_PCI_BAR0_REGION_INDEX });
    using ev = EventFd.create();
    const at = bar0.offset + BigInt(EDU.LIVENESS);
    edu.dev.deviceIoeventfd({ flags: VFIO_DEVICE_IOEVENTFD_32, offset: at, data: 0x0badf00d, fd: ev.fd });
    try {
      edu.regs.write32(EDU.LIVENESS, 0);
      ev.signal();
      const t0 = Date.now();
      while (edu.regs.read32(EDU.LIVENESS) !== (~0x0badf00d >>> 0)) {
        assert.ok(Date.now() - t0 < 5000, `liveness reads 0x${edu.regs.read32(EDU.LIVENESS).toString(16)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      // Two widths at once, and an offset in config space: refused.
      expectErrno(() => edu.dev.deviceIoeventfd({ flags: VFIO_DEVICE_IOEVENTFD_8 | VFIO_DEVICE_IOEVENTFD_16, offset: at, data: 1, fd: ev.fd }), 'EINVAL');
      const cfg = edu.dev.deviceGetRegionInfo({ index: VFIO_PCI_CONFIG_REGION_INDEX });
      expectErrno(() => edu.dev.deviceIoeventfd({ flags: VFIO_DEVICE_IOEVENTFD_32, offset: cfg.offset, data: 1, fd: ev.fd }), 'EINVAL');
    } finally {
      edu.dev.deviceIoeventfd({ flags: VFIO_DEVICE_IOEVENTFD_32, offset: at, data: 0x0badf00d, fd: -1 });
    }
  },

  async 'bad input on the real device: each a typed error, the device usable afterwards'() {
    using edu = new Edu();
    const getInfo = vfio.ioctls.VFIO_DEVICE_GET_INFO;
    // argsz below the struct (vfio.h: the caller sets argsz; the kernel needs at least its minimum).
    const short = new Uint8Array(24);
    new DataView(short.buffer).setUint32(0, 4, true);
    expectErrno(() => edu.dev.ioctlRaw(getInfo.request, short, getInfo.name), 'EINVAL');
    // Unknown flags.
    expectErrno(() => edu.dev.deviceAttachIommufdPt({ flags: 1 << 5, pt_id: edu.ioas }), 'EINVAL');
    expectErrno(() => edu.dev.deviceDetachIommufdPt({ flags: 1 << 5 }), 'EINVAL');
    expectErrno(() => edu.dev.deviceSetIrqs({ flags: 0, index: VFIO_PCI_MSI_IRQ_INDEX, data: [-1] }), 'EINVAL');
    expectErrno(() => edu.dev.deviceSetIrqs({ flags: 0, index: VFIO_PCI_MSI_IRQ_INDEX, count: 0 }), 'EINVAL');
    // A second bind of a bound descriptor (vfio: one device cannot be bound twice).
    expectErrno(() => edu.dev.deviceBindIommufd({ iommufd: edu.iommu.fd }), 'EINVAL');
    // Out-of-range region offsets: past BAR0's end, past config space, an index no region has.
    const bar0 = edu.dev.deviceGetRegionInfo({ index: VFIO_PCI_BAR0_REGION_INDEX });
    expectErrno(() => fileRegisters(edu.dev, bar0.offset + bar0.size, 8).read32(0), 'EINVAL');
    const cfg = edu.dev.deviceGetRegionInfo({ index: VFIO_PCI_CONFIG_REGION_INDEX });
    expectErrno(() => fileRegisters(edu.dev, cfg.offset + cfg.size, 8).read32(0), 'EFAULT'); // what 7.3.4 answers
    expectErrno(() => fileRegisters(edu.dev, 20n << 40n, 8).read32(0), 'EINVAL');
    // Attaching a PASID this IOMMU does not have.
    expectErrno(() => edu.dev.deviceAttachIommufdPt({ flags: VFIO_DEVICE_ATTACH_PASID, pt_id: edu.ioas, pasid: 1 }), 'EINVAL');
    await usable(edu, 0x2222);

    // A second descriptor of the same device: not usable until bound, and it cannot bind while the first is.
    {
      using second = vfio.Vfio.open(eduCdev());
      expectErrno(() => second.deviceGetInfo(), 'EINVAL');
      expectErrno(() => second.deviceGetRegionInfo({ index: 0 }), 'EINVAL');
      expectErrno(() => second.deviceGetIrqInfo({ index: 0 }), 'EINVAL');
      expectErrno(() => second.deviceSetIrqs({ flags: VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, index: 1, count: 0 }), 'EINVAL');
      expectErrno(() => second.deviceReset(), 'EINVAL');
      expectErrno(() => second.deviceFeature({ flags: VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY }), 'EINVAL');
      expectErrno(() => second.deviceIoeventfd({ flags: VFIO_DEVICE_IOEVENTFD_32, offset: 4, data: 0, fd: -1 }), 'EINVAL');
      expectErrno(() => second.deviceDetachIommufdPt(), 'EINVAL');
      expectErrno(() => second.deviceBindIommufd({ iommufd: edu.iommu.fd }), 'EINVAL');
    }
    await usable(edu, 0x3333);

    // A closed handle: refused before any system call; the number, once closed, is EBADF to the kernel.
    const other = vfio.Vfio.open(eduCdev());
    const fd = other.fd;
    other.close();
    assert.throws(() => other.deviceGetInfo(), /closed/);
    expectErrno(() => FdHandle.fromFd(fd).ioctlRaw(getInfo.request, new Uint8Array(24), getInfo.name), 'EBADF');
    await usable(edu, 0x4444);
  },

  async 'closing the device and opening it again: bind, attach and DMA work as the first time'() {
    {
      // Bound to no iommufd: -1 is refused as a field value (EINVAL), an open descriptor that is no iommufd as such.
      using lone = vfio.Vfio.open(eduCdev());
      expectErrno(() => lone.deviceBindIommufd({ iommufd: -1 }), 'EINVAL');
      using ev = EventFd.create();
      expectErrno(() => lone.deviceBindIommufd({ iommufd: ev.fd }), 'EBADFD');
    }
    for (let i = 0; i < 2; i++) {
      using edu = new Edu();
      await usable(edu, 0x5555 + i);
    }
  },
};
