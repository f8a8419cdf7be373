// vfio's no-IOMMU mode (a second boot with no IOMMU, vfio.enable_unsafe_noiommu_mode=1): edu bound to vfio-pci
// gets a noiommu-vfioN cdev, binds to an iommufd, and IOMMU_IOAS_NOIOMMU_GET_PA tells the physical address behind
// an IOVA, checked against the kernel's page map (/proc/self/pagemap: bits 0-54 the page frame number).
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync } from 'node:fs';
import { Memory, vfioDevicePath } from '@uapi-ts/runtime';
import { expectErrno, v73, vfio, type Tests } from './lib.js';
import { eduAddress } from './vfio-util.js';

/** The physical address of the byte at `address` of this process, from /proc/self/pagemap (root sees PFNs). */
function physicalAddress(address: bigint, page: number): bigint {
  const fd = openSync('/proc/self/pagemap', 'r');
  try {
    const entry = Buffer.alloc(8);
    assert.equal(readSync(fd, entry, 0, 8, Number(address / BigInt(page)) * 8), 8);
    const e = entry.readBigUInt64LE(0);
    assert.ok(e & (1n << 63n), 'the page is not present');
    const pfn = e & ((1n << 55n) - 1n);
    assert.ok(pfn !== 0n, 'pagemap hides the PFN (needs CAP_SYS_ADMIN)');
    return pfn * BigInt(page) + (address % BigInt(page));
  } finally {
    closeSync(fd);
  }
}

export const tests: Tests = {
  'a no-IOMMU device binds to an iommufd; IOMMU_IOAS_NOIOMMU_GET_PA gives the page map’s physical address'() {
    const path = vfioDevicePath(eduAddress());
    assert.match(path, /\/noiommu-vfio\d+$/);
    using iommu = v73.Iommufd.open();
    using dev = vfio.Vfio.open(path);
    const steps: string[] = [];
    const step = <T>(what: string, f: () => T): T => {
      try {
        const r = f();
        steps.push(`${what}: ok`);
        return r;
      } catch (e) {
        steps.push(`${what}: ${(e as Error).message}`);
        console.log(`noiommu steps: ${steps.join('; ')}`);
        throw e;
      }
    };
    const devid = step('bind', () => dev.deviceBindIommufd({ iommufd: iommu.fd }).out_devid);
    const ioas = step('ioas', () => iommu.ioasAlloc({}).out_ioas_id);
    step('attach', () => dev.deviceAttachIommufdPt({ pt_id: ioas }));
    using mem = Memory.map(4 * 4096);
    mem.bytes.fill(1); // fault the pages in, so that pagemap has them
    const F = v73.IommufdIoasMapFlags;
    const iova = 0x100000;
    step('map', () => iommu.ioasMap({ ioas_id: ioas, user_va: mem, iova, flags: F.IOMMU_IOAS_MAP_FIXED_IOVA | F.IOMMU_IOAS_MAP_READABLE | F.IOMMU_IOAS_MAP_WRITEABLE }));
    for (let page = 0; page < 4; page++) {
      const r = step(`get_pa ${page}`, () => iommu.ioasNoiommuGetPa({ ioas_id: ioas, iova: iova + page * 4096 + 0x10, length: 4096 - 0x10 }));
      assert.equal(r.out_phys, physicalAddress(mem.address + BigInt(page * 4096 + 0x10), 4096), `page ${page}`);
      assert.ok(r.length > 0n && r.length <= BigInt(4096 - 0x10), `length ${r.length}`);
    }
    assert.ok(devid > 0);
    // An IOVA nothing is mapped at (iommufd.h: ENOENT, an ID or IOVA provided does not exist); length 0 refused.
    expectErrno(() => iommu.ioasNoiommuGetPa({ ioas_id: ioas, iova: 0x800000, length: 4096 }), 'ENOENT');
    expectErrno(() => iommu.ioasNoiommuGetPa({ ioas_id: ioas, iova, length: 0 }), 'EINVAL');
  },
};
