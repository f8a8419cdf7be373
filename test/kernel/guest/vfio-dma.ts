// A real PCI device's DMA through iommufd: QEMU's edu device behind QEMU's emulated Intel IOMMU, bound to vfio-pci
// and driven through its vfio cdev. Expected values: the VT-d spec (cap/ecap register fields), QEMU's edu spec
// (registers), vfio.h and iommufd.h (errnos), and what a C program saw on this QEMU (issue 14: cap_reg, ecap_reg,
// the DMAR fault text).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { EventFd, Memory, pciDevice } from '@uapi-ts/runtime';
import { expectErrno, fact, v73, type Tests } from './lib.js';
import {
  VFIO_DEVICE_ATTACH_PASID, VFIO_IRQ_INFO_EVENTFD, VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_IRQ_SET_DATA_EVENTFD,
  VFIO_IRQ_SET_DATA_NONE, VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_CONFIG_REGION_INDEX, VFIO_PCI_MSI_IRQ_INDEX,
} from './vfio-abi.js';
import {
  DMA_IRQ_WHEN_DONE, DMA_START, DMA_TO_RAM, EDU, Edu, eduAddress, eduCdev, IOVA_A, IOVA_B, kernelLog, pattern, waitForLog,
} from './vfio-util.js';

const { IommuHwInfoVtd, IOMMU_HW_INFO_TYPE_INTEL_VTD, IommufdHwptAllocFlags: H } = v73;

/** Bits `hi:lo` of `x` (VT-d spec notation). */
const field = (x: bigint, hi: number, lo: number): number => Number((x >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));

const COUNT = 1024;

export const tests: Tests = {
  'edu binds to vfio-pci through driver_override and has a vfio cdev, alone in its IOMMU group'() {
    const address = eduAddress();
    const dev = pciDevice(address);
    assert.equal(dev.driver, 'vfio-pci');
    const cdev = eduCdev();
    assert.match(cdev, /^\/dev\/vfio\/devices\/vfio\d+$/);
    const group = readlinkSync(`/sys/bus/pci/devices/${address}/iommu_group`);
    assert.deepEqual(readdirSync(`/sys/kernel/iommu_groups/${group.split('/').at(-1)}/devices`), [address]);
    assert.ok(existsSync('/sys/class/iommu'), 'no IOMMU registered');
  },

  'bind, IOAS_ALLOC, ATTACH: GET_HW_INFO is VT-d, with the cap and ecap registers decoded'() {
    using edu = new Edu();
    assert.ok(edu.devid > 0);
    assert.ok(edu.hwpt > 0 && edu.hwpt !== edu.ioas, `attaching to IOAS ${edu.ioas} should report the HWPT made for it, got ${edu.hwpt}`);
    const data = new Uint8Array(IommuHwInfoVtd.size);
    const info = edu.iommu.getHwInfo({ dev_id: edu.devid, data_uptr: data });
    assert.equal(info.out_data_type, IOMMU_HW_INFO_TYPE_INTEL_VTD);
    assert.equal(info.data_len, IommuHwInfoVtd.size);
    const vtd = IommuHwInfoVtd.decode(data);
    // What a C program read from this QEMU (7.2, intel-iommu,intremap=off).
    assert.equal(vtd.cap_reg, 0xd2008c22260206n, `cap_reg 0x${vtd.cap_reg.toString(16)}`);
    assert.equal(vtd.ecap_reg, 0xf42n, `ecap_reg 0x${vtd.ecap_reg.toString(16)}`);
    // VT-d spec 11.4.2 (capability) and 11.4.3 (extended capability).
    const cap = vtd.cap_reg;
    assert.equal(2 ** (4 + 2 * field(cap, 2, 0)), 65536, 'ND: number of domains');
    assert.equal(field(cap, 21, 16) + 1, 39, 'MGAW: 39-bit guest addresses (QEMU aw-bits default)');
    assert.ok(field(cap, 12, 8) & 0b10, 'SAGAW: 39-bit, 3-level page tables supported');
    const ecap = vtd.ecap_reg;
    assert.equal(field(ecap, 1, 1), 1, 'QI: queued invalidation');
    assert.equal(field(ecap, 3, 3), 0, 'IR: no interrupt remapping (intremap=off)');
    assert.equal(field(ecap, 17, 8) * 16, 0xf0, 'IRO: the IOTLB registers at 0xf0');
    assert.equal(field(ecap, 40, 40), 0, 'PASID: not supported');
  },

  'edu registers through the mmap of BAR0: identification, liveness, factorial'() {
    using edu = new Edu();
    assert.equal(edu.regs.read32(EDU.ID), 0x010000ed);
    edu.regs.write32(EDU.LIVENESS, 0x12345678);
    assert.equal(edu.regs.read32(EDU.LIVENESS), ~0x12345678 >>> 0);
    edu.regs.write64(EDU.DMA_SRC, 0x0abcdef012345n);
    assert.equal(edu.regs.read64(EDU.DMA_SRC), 0x0abcdef012345n, 'a 64-bit register round trip');
    edu.regs.write32(EDU.FACTORIAL, 5);
    for (let i = 0; edu.regs.read32(EDU.STATUS) & 1; i++) assert.ok(i < 1e6, 'factorial never finished');
    assert.equal(edu.regs.read32(EDU.FACTORIAL), 120);
  },

  'config space through the config region: ids, and bus mastering on'() {
    using edu = new Edu();
    assert.equal(edu.config.read16(0x00), 0x1234);
    assert.equal(edu.config.read16(0x02), 0x11e8);
    assert.equal(edu.config.read32(0x00), 0x11e81234);
    assert.ok(edu.config.read16(0x04) & 0b100, 'PCI_COMMAND_MASTER reads back set');
    // Config space is read and written, never mapped: vfio-pci refuses its mmap (EINVAL), as it does a BAR edu lacks.
    const cfg = edu.dev.deviceGetRegionInfo({ index: VFIO_PCI_CONFIG_REGION_INDEX });
    expectErrno(() => Memory.mapFd(edu.dev, Number(cfg.offset), 4096), 'EINVAL');
    const bar1 = edu.dev.deviceGetRegionInfo({ index: VFIO_PCI_BAR0_REGION_INDEX + 1 });
    expectErrno(() => Memory.mapFd(edu.dev, Number(bar1.offset), 4096), 'EINVAL');
  },

  async 'edu DMA RAM → device → RAM through the IOMMU: the bytes match'() {
    using edu = new Edu();
    const p = pattern(COUNT, 1);
    edu.a.bytes.set(p);
    edu.b.bytes.fill(0);
    await edu.roundTrip(IOVA_A, IOVA_B, COUNT);
    assert.deepEqual(edu.b.bytes.subarray(0, COUNT), p);
    assert.ok(edu.b.bytes.subarray(COUNT).every((x) => x === 0), 'edu wrote past the count');
    fact('edu dma: match');
  },

  async 'the completion interrupt (MSI) through VFIO_DEVICE_SET_IRQS and an eventfd, awaited'() {
    using edu = new Edu();
    const irq = edu.dev.deviceGetIrqInfo({ index: VFIO_PCI_MSI_IRQ_INDEX });
    assert.equal(irq.count, 1, 'edu has one MSI vector');
    assert.ok(irq.flags & VFIO_IRQ_INFO_EVENTFD);
    using ev = EventFd.create();
    // The eventfds are SET_IRQS' flexible array: `count` and `argsz` (20 + 4 bytes) are filled from it.
    const set = edu.dev.deviceSetIrqs({ flags: VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, index: VFIO_PCI_MSI_IRQ_INDEX, data: [ev.fd] });
    assert.deepEqual([set.argsz, set.count, set.data], [24, 1, [ev.fd]]);
    try {
      const p = pattern(COUNT, 2);
      edu.a.bytes.set(p);
      edu.startDma(IOVA_A, EDU.BUFFER, COUNT, DMA_START | DMA_IRQ_WHEN_DONE);
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5); // the event loop keeps running while the wait is pending
      const n = await ev.wait().finally(() => clearInterval(ticker));
      assert.ok(n >= 1n);
      assert.ok(ticks > 0, 'the event loop was blocked while waiting');
      assert.equal(edu.regs.read32(EDU.IRQ_STATUS) & EDU.DMA_IRQ, EDU.DMA_IRQ);
      edu.regs.write32(EDU.IRQ_ACK, EDU.DMA_IRQ);
      edu.startDma(EDU.BUFFER, IOVA_B, COUNT, DMA_START | DMA_TO_RAM | DMA_IRQ_WHEN_DONE);
      await ev.wait();
      edu.regs.write32(EDU.IRQ_ACK, EDU.DMA_IRQ);
      assert.deepEqual(edu.b.bytes.subarray(0, COUNT), p);
      // An interrupt raised by hand (register 0x60) arrives the same way.
      edu.regs.write32(EDU.IRQ_RAISE, 0x1);
      assert.ok((await ev.wait()) >= 1n);
      edu.regs.write32(EDU.IRQ_ACK, 0x1);
      fact('edu dma with interrupt: match');
    } finally {
      edu.dev.deviceSetIrqs({ flags: VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, index: VFIO_PCI_MSI_IRQ_INDEX, count: 0 });
    }
  },

  async 'after IOAS_UNMAP the DMA does not arrive, and the kernel logs the DMAR fault'() {
    using edu = new Edu();
    const log = kernelLog();
    try {
      const p = pattern(COUNT, 3);
      edu.a.bytes.set(p);
      edu.b.bytes.fill(0);
      const unmapped = edu.iommu.ioasUnmap({ ioas_id: edu.ioas, iova: IOVA_A, length: 4096 });
      assert.equal(unmapped.length, 4096n);
      await edu.roundTrip(IOVA_A, IOVA_B, COUNT); // the read from IOVA_A faults; B gets whatever edu's buffer held
      assert.notDeepEqual(edu.b.bytes.subarray(0, COUNT), p, 'the bytes of an unmapped buffer reached the device');
      const seen = await waitForLog(log, /DMAR: \[DMA Read NO_PASID\]/);
      const fault = seen.find((l) => /DMAR: \[DMA Read NO_PASID\]/.test(l));
      assert.ok(fault, `no DMAR read fault logged; the log had: ${seen.join(' | ')}`);
      assert.ok(seen.some((l) => /PTE Read access is not set/.test(l)), `no 'PTE Read access is not set'; the log had: ${seen.join(' | ')}`);
      // Writing to it faults too, and the memory is untouched.
      edu.a.bytes.fill(0x5a);
      edu.startDma(EDU.BUFFER, IOVA_A, COUNT, DMA_START | DMA_TO_RAM);
      await edu.dmaDone();
      assert.ok(edu.a.bytes.every((x) => x === 0x5a), 'the device wrote to an unmapped buffer');
      const writes = await waitForLog(log, /DMAR: \[DMA Write NO_PASID\]/);
      assert.ok(writes.some((l) => /DMAR: \[DMA Write NO_PASID\]/.test(l)), `no DMAR write fault logged: ${writes.join(' | ')}`);
      // Unmapping it again: nothing is there (iommufd.h: ENOENT, an IOVA provided does not exist).
      expectErrno(() => edu.iommu.ioasUnmap({ ioas_id: edu.ioas, iova: IOVA_A, length: 4096 }), 'ENOENT');
      // Mapped again, DMA works again.
      edu.map(edu.ioas, edu.a, IOVA_A);
      edu.a.bytes.set(p);
      await edu.roundTrip(IOVA_A, IOVA_B, COUNT);
      assert.deepEqual(edu.b.bytes.subarray(0, COUNT), p);
    } finally {
      log.close();
    }
  },

  async 'DETACH, IOAS_COPY into a second IOAS and re-ATTACH there: DMA goes through the second IOAS'() {
    using edu = new Edu();
    edu.dev.deviceDetachIommufdPt();
    const ioas2 = edu.iommu.ioasAlloc({}).out_ioas_id;
    // Only B's page is copied: A stays unmapped in the second IOAS.
    const F = v73.IommufdIoasMapFlags;
    const flags = F.IOMMU_IOAS_MAP_FIXED_IOVA | F.IOMMU_IOAS_MAP_WRITEABLE | F.IOMMU_IOAS_MAP_READABLE;
    edu.iommu.ioasCopy({ dst_ioas_id: ioas2, src_ioas_id: edu.ioas, src_iova: IOVA_B, dst_iova: IOVA_B, length: 4096, flags });
    expectErrno(() => edu.dev.deviceAttachIommufdPt({ pt_id: 0xfffff }), 'ENOENT');
    const attached = edu.dev.deviceAttachIommufdPt({ pt_id: ioas2 });
    assert.notEqual(attached.pt_id, edu.hwpt, 'a second IOAS gets a HWPT of its own');
    // edu's buffer → B through ioas2.
    const p = pattern(COUNT, 4);
    edu.b.bytes.set(p);
    edu.startDma(IOVA_B, EDU.BUFFER, COUNT, DMA_START);
    await edu.dmaDone();
    edu.b.bytes.fill(0);
    edu.startDma(EDU.BUFFER, IOVA_B, COUNT, DMA_START | DMA_TO_RAM);
    await edu.dmaDone();
    assert.deepEqual(edu.b.bytes.subarray(0, COUNT), p);
    // Replacing the attachment without a detach is allowed (vfio.h: hw_pagetable replacement). The first IOAS's
    // HWPT went with the detach, so a new one is made.
    const back = edu.dev.deviceAttachIommufdPt({ pt_id: edu.ioas }).pt_id;
    assert.ok(back !== edu.ioas && back !== ioas2 && back !== attached.pt_id, `re-attached to ${back}`);
  },

  async 'HWPT_ALLOC of a paging domain and ATTACH to it; dirty tracking, nesting and PASID are not supported here'() {
    using edu = new Edu();
    const hwpt = edu.iommu.hwptAlloc({ dev_id: edu.devid, pt_id: edu.ioas }).out_hwpt_id;
    assert.equal(edu.dev.deviceAttachIommufdPt({ pt_id: hwpt }).pt_id, hwpt);
    const p = pattern(COUNT, 5);
    edu.a.bytes.set(p);
    await edu.roundTrip(IOVA_A, IOVA_B, COUNT);
    assert.deepEqual(edu.b.bytes.subarray(0, COUNT), p);
    // GET_HW_INFO says what this IOMMU lacks; iommufd.h: EOPNOTSUPP for a known field's value not supported.
    const caps = edu.iommu.getHwInfo({ dev_id: edu.devid }).out_capabilities;
    assert.equal(caps & BigInt(v73.IOMMU_HW_CAP_DIRTY_TRACKING), 0n);
    expectErrno(() => edu.iommu.hwptAlloc({ dev_id: edu.devid, pt_id: edu.ioas, flags: H.IOMMU_HWPT_ALLOC_DIRTY_TRACKING }), 'EOPNOTSUPP');
    expectErrno(() => edu.iommu.hwptAlloc({ dev_id: edu.devid, pt_id: edu.ioas, flags: H.IOMMU_HWPT_ALLOC_NEST_PARENT }), 'EOPNOTSUPP');
    // No PASIDs here (max_pasid_log2 0). iommufd.h says a PASID-capable HWPT on such an IOMMU is EOPNOTSUPP;
    // 7.3.4 allocates it and refuses the PASID attach instead (EINVAL), as seen here.
    assert.equal(edu.iommu.getHwInfo({ dev_id: edu.devid }).out_max_pasid_log2, 0);
    const pasidHwpt = edu.iommu.hwptAlloc({ dev_id: edu.devid, pt_id: edu.ioas, flags: H.IOMMU_HWPT_ALLOC_PASID }).out_hwpt_id;
    expectErrno(() => edu.dev.deviceAttachIommufdPt({ flags: VFIO_DEVICE_ATTACH_PASID, pt_id: pasidHwpt, pasid: 1 }), 'EINVAL');
    edu.iommu.destroy({ id: pasidHwpt });
    // In use by the device: not destroyed (EBUSY); after the device moves back to its IOAS, it is.
    expectErrno(() => edu.iommu.destroy({ id: hwpt }), 'EBUSY');
    edu.dev.deviceAttachIommufdPt({ pt_id: edu.ioas });
    edu.iommu.destroy({ id: hwpt });
  },
};
