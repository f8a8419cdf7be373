// HW page tables and what hangs off them, through the generated v7.3 API on the selftest mock device:
// IOMMU_HWPT_ALLOC, IOMMU_GET_HW_INFO, IOMMU_HWPT_SET_DIRTY_TRACKING, IOMMU_HWPT_GET_DIRTY_BITMAP,
// IOMMU_HWPT_INVALIDATE and IOMMU_FAULT_QUEUE_ALLOC. Expected values and errnos: docs/kernel-test-plan.md §3.
import assert from 'node:assert/strict';
import { readSync, writeSync } from 'node:fs';
import { expectErrno, skip, test73, v73, type Tests } from './lib.js';
import { ENOENT_MEANING, Fixture, UNKNOWN_ID } from './mock-util.js';

const {
  IOMMU_HWPT_ALLOC_NEST_PARENT,
  IOMMU_HWPT_ALLOC_DIRTY_TRACKING,
  IOMMU_HWPT_ALLOC_PASID,
  IOMMU_HWPT_FAULT_ID_VALID,
  IOMMU_HW_CAP_DIRTY_TRACKING,
  IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED,
  IOMMU_HW_INFO_FLAG_INPUT_TYPE,
  IOMMU_HWPT_DIRTY_TRACKING_ENABLE,
  IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR,
  IOMMU_OPTION_HUGE_PAGES,
  IOMMU_OPTION_OP_SET,
  IOMMU_PGFAULT_FLAGS_PASID_VALID,
  IOMMU_PGFAULT_FLAGS_LAST_PAGE,
  IOMMU_PGFAULT_PERM_READ,
  IOMMU_PGFAULT_PERM_WRITE,
  IommuHwptPgfault,
  IommuHwptPageResponse,
  Memory,
  pageSize,
} = v73;
const {
  IOMMU_HWPT_DATA_SELFTEST,
  IOMMU_HW_INFO_TYPE_SELFTEST,
  IOMMU_HW_INFO_SELFTEST_REGVAL,
  IOMMU_HWPT_INVALIDATE_DATA_SELFTEST,
  IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID,
  IOMMU_TEST_INVALIDATE_FLAG_ALL,
  IOMMU_TEST_IOTLB_DEFAULT,
  IOMMU_TEST_OP_DIRTY,
  IOMMU_TEST_OP_MD_CHECK_IOTLB,
  IOMMU_TEST_OP_TRIGGER_IOPF,
  MOCK_APERTURE_START,
  MOCK_FLAGS_DEVICE_NO_DIRTY,
  MOCK_FLAGS_DEVICE_PASID,
  MOCK_IOMMUPT_DEFAULT,
  MOCK_NESTED_DOMAIN_IOTLB_NUM,
  MOCK_PAGE_SIZE,
  MOCK_PASID_WIDTH,
  IommuHwptSelftest,
  IommuHwptInvalidateSelftest,
  IommuTestHwInfo,
} = test73;

/** Selftest data for a nested HWPT: every mock IOTLB entry starts as IOMMU_TEST_IOTLB_DEFAULT. */
const selftestData = (): Uint8Array => IommuHwptSelftest.encode({ iotlb: IOMMU_TEST_IOTLB_DEFAULT });

/** Asserts the mock IOTLB entries of nested HWPT `hwptId` (IOMMU_TEST_OP_MD_CHECK_IOTLB fails with EINVAL on a mismatch). */
function checkIotlb(fx: Fixture, hwptId: number, expected: readonly number[]): void {
  expected.forEach((iotlb, id) => {
    try {
      fx.test.testCmd({ op: IOMMU_TEST_OP_MD_CHECK_IOTLB, id: hwptId, check_iotlb: { id, iotlb } });
    } catch (e) {
      assert.fail(`IOTLB entry ${id} of HWPT ${hwptId} is not 0x${iotlb.toString(16)}: ${(e as Error).message}`);
    }
  });
}

/** Invalidation entries as the mock driver reads them (struct iommu_hwpt_invalidate_selftest, 8 bytes each). */
function invalidations(entries: readonly { flags?: number; iotlb_id?: number }[]): Uint8Array {
  const out = new Uint8Array(IommuHwptInvalidateSelftest.size * entries.length);
  entries.forEach((e, i) => IommuHwptInvalidateSelftest.encode(e, out, i * IommuHwptInvalidateSelftest.size));
  return out;
}

/** The set bit indexes of a little-endian bitmap. */
function setBits(bitmap: Uint8Array): number[] {
  const out: number[] = [];
  bitmap.forEach((byte, i) => {
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) out.push(i * 8 + b);
  });
  return out;
}

/**
 * The dirty-tracking setup of the plan: HUGE_PAGES off on the IOAS (alignment = PAGE_SIZE), a mock device,
 * `length` bytes mapped at MOCK_APERTURE_START, and a HWPT allocated with DIRTY_TRACKING on the IOAS.
 */
function dirtySetup(fx: Fixture, mem: v73.Memory): { iova: bigint; dirtyHwpt: number; autoHwpt: number } {
  fx.dev.option({ op: IOMMU_OPTION_OP_SET, option_id: IOMMU_OPTION_HUGE_PAGES, object_id: fx.ioasId, val64: 0n });
  const md = fx.mockDevice();
  const { iova } = fx.map(mem, BigInt(MOCK_APERTURE_START));
  assert.equal(iova, BigInt(MOCK_APERTURE_START));
  const dirtyHwpt = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_DIRTY_TRACKING);
  return { iova, dirtyHwpt, autoHwpt: md.hwptId };
}

export const tests: Tests = {
  // ---- IOMMU_HWPT_ALLOC ------------------------------------------------------------------------------------

  'HWPT_ALLOC: kernel-managed HWPT on an IOAS, and a mock device attaches to it'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const out = fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: fx.ioasId });
    const destroyHwpt = fx.own(out.out_hwpt_id, 'HWPT');
    assert.equal(out.size, 48);
    assert.ok(out.out_hwpt_id > 0);
    assert.notEqual(out.out_hwpt_id, md.hwptId, 'a new HWPT, not the automatic one');
    assert.equal(out.dev_id, md.idevId, 'inputs echoed');
    assert.equal(out.pt_id, fx.ioasId);
    // A second mock device given the HWPT as its page table attaches straight to it.
    const second = fx.mockDevice(out.out_hwpt_id);
    assert.equal(second.hwptId, out.out_hwpt_id);
    // In use: it cannot go before the device.
    expectErrno(() => fx.dev.destroy({ id: out.out_hwpt_id }), 'EBUSY');
    second.destroy();
    destroyHwpt();
    expectErrno(() => fx.dev.destroy({ id: out.out_hwpt_id }), 'ENOENT');
  },

  'HWPT_ALLOC: NEST_PARENT, DIRTY_TRACKING and PASID flags each give a HWPT'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const ids = new Set<number>([md.hwptId]);
    for (const flags of [IOMMU_HWPT_ALLOC_NEST_PARENT, IOMMU_HWPT_ALLOC_DIRTY_TRACKING, IOMMU_HWPT_ALLOC_PASID]) {
      const id = fx.pagingHwpt(md.idevId, flags);
      assert.ok(!ids.has(id), `flags ${flags}: a fresh id, got ${id}`);
      ids.add(id);
    }
  },

  'HWPT_ALLOC: paging HWPT with IOMMU_HWPT_DATA_SELFTEST data picks the mock page-table kind'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const data = IommuHwptSelftest.encode({ iotlb: 0, pagetable_type: MOCK_IOMMUPT_DEFAULT });
    const out = fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: fx.ioasId, data_type: IOMMU_HWPT_DATA_SELFTEST, data_uptr: data });
    fx.own(out.out_hwpt_id, 'HWPT');
    assert.equal(out.data_len, 8, 'data_len filled in from the buffer');
    assert.equal(out.data_type, IOMMU_HWPT_DATA_SELFTEST);
    // An unknown page-table kind is refused by the mock driver.
    const bad = IommuHwptSelftest.encode({ iotlb: 0, pagetable_type: 7 });
    expectErrno(() => fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: fx.ioasId, data_type: IOMMU_HWPT_DATA_SELFTEST, data_uptr: bad }), 'EOPNOTSUPP');
  },

  'HWPT_ALLOC: nested HWPT on a NEST_PARENT HWPT with IOMMU_HWPT_DATA_SELFTEST data'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const parent = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT);
    const out = fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: parent, data_type: IOMMU_HWPT_DATA_SELFTEST, data_uptr: selftestData() });
    fx.own(out.out_hwpt_id, 'nested HWPT');
    assert.ok(out.out_hwpt_id > 0);
    assert.equal(out.data_len, IommuHwptSelftest.size);
    // The mock driver copied `iotlb` into all of its IOTLB entries.
    checkIotlb(fx, out.out_hwpt_id, Array(MOCK_NESTED_DOMAIN_IOTLB_NUM).fill(IOMMU_TEST_IOTLB_DEFAULT));
    expectErrno(() => fx.test.testCmd({ op: IOMMU_TEST_OP_MD_CHECK_IOTLB, id: out.out_hwpt_id, check_iotlb: { id: 0, iotlb: 1 } }), 'EINVAL');
    // While the nested HWPT exists its parent is in use.
    expectErrno(() => fx.dev.destroy({ id: parent }), 'EBUSY');
  },

  'HWPT_ALLOC: unknown dev_id is ENOENT'() {
    using fx = Fixture.open();
    fx.mockDevice();
    const err = expectErrno(() => fx.dev.hwptAlloc({ dev_id: UNKNOWN_ID, pt_id: fx.ioasId }), 'ENOENT');
    assert.equal(err.ioctl, 'IOMMU_HWPT_ALLOC');
    assert.equal(err.meaning, ENOENT_MEANING);
    // An existing ID of another type (the IOAS) is no device either.
    expectErrno(() => fx.dev.hwptAlloc({ dev_id: fx.ioasId, pt_id: fx.ioasId }), 'ENOENT');
  },

  'HWPT_ALLOC: no device at all (dev_id 0) is ENOENT'() {
    using fx = Fixture.open();
    const err = expectErrno(() => fx.dev.hwptAlloc({ dev_id: 0, pt_id: fx.ioasId }), 'ENOENT');
    assert.equal(err.meaning, ENOENT_MEANING);
  },

  'HWPT_ALLOC: unknown flag bits are EOPNOTSUPP'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    expectErrno(() => fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: fx.ioasId, flags: 1 << 4 }), 'EOPNOTSUPP');
    expectErrno(() => fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: fx.ioasId, flags: ~IOMMU_HWPT_ALLOC_NEST_PARENT >>> 0 }), 'EOPNOTSUPP');
    // Known bits that do not go together: a nesting parent cannot report faults.
    expectErrno(
      () => fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: fx.ioasId, flags: IOMMU_HWPT_ALLOC_NEST_PARENT | IOMMU_HWPT_FAULT_ID_VALID }),
      'EOPNOTSUPP',
    );
  },

  'HWPT_ALLOC: unknown pt_id is EINVAL, not ENOENT'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const err = expectErrno(() => fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: UNKNOWN_ID }), 'EINVAL');
    assert.equal(err.meaning, 'Everything about the IOCTL was understood, but a field is not correct.');
    // An object of the wrong type (the device itself) as pt_id: EINVAL too.
    expectErrno(() => fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: md.idevId }), 'EINVAL');
  },

  'HWPT_ALLOC: data_type and data_len must agree (EINVAL)'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    // data_type NONE with data: EINVAL.
    expectErrno(() => fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: fx.ioasId, data_type: 0, data_uptr: selftestData() }), 'EINVAL');
    // A data type with no data: EINVAL.
    expectErrno(() => fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: fx.ioasId, data_type: IOMMU_HWPT_DATA_SELFTEST, data_len: 0 }), 'EINVAL');
  },

  'HWPT_ALLOC: nested HWPT failures (parent kind, data type, length, pointer, flags)'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const parent = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT);
    const plain = fx.pagingHwpt(md.idevId);
    const nested = fx.nestedHwpt(md.idevId, parent);
    const nest = (args: Omit<v73.HwptAllocArgs, 'dev_id'>) => () => fx.dev.hwptAlloc({ dev_id: md.idevId, ...args });
    const data = selftestData();
    // The parent must be a paging HWPT made with NEST_PARENT.
    expectErrno(nest({ pt_id: plain, data_type: IOMMU_HWPT_DATA_SELFTEST, data_uptr: data }), 'EINVAL');
    expectErrno(nest({ pt_id: nested, data_type: IOMMU_HWPT_DATA_SELFTEST, data_uptr: data }), 'EINVAL');
    // A type the mock driver does not know.
    expectErrno(nest({ pt_id: parent, data_type: IOMMU_HWPT_DATA_SELFTEST + 1, data_uptr: data }), 'EOPNOTSUPP');
    // Shorter than the driver's minimum (up to `iotlb`, 4 bytes).
    expectErrno(nest({ pt_id: parent, data_type: IOMMU_HWPT_DATA_SELFTEST, data_uptr: data, data_len: 3 }), 'EINVAL');
    // A NULL data pointer with a length.
    expectErrno(nest({ pt_id: parent, data_type: IOMMU_HWPT_DATA_SELFTEST, data_uptr: 0n, data_len: 8 }), 'EFAULT');
    // NEST_PARENT is a paging flag.
    expectErrno(nest({ pt_id: parent, data_type: IOMMU_HWPT_DATA_SELFTEST, data_uptr: data, flags: IOMMU_HWPT_ALLOC_NEST_PARENT }), 'EOPNOTSUPP');
  },

  'HWPT_ALLOC: DIRTY_TRACKING on a device without dirty tracking is EOPNOTSUPP'() {
    using fx = Fixture.open();
    const md = fx.mockDevice(fx.ioasId, MOCK_FLAGS_DEVICE_NO_DIRTY);
    expectErrno(() => fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: fx.ioasId, flags: IOMMU_HWPT_ALLOC_DIRTY_TRACKING }), 'EOPNOTSUPP');
    // Without the flag the same device gets a HWPT.
    fx.pagingHwpt(md.idevId);
  },

  // ---- IOMMU_GET_HW_INFO -----------------------------------------------------------------------------------

  'GET_HW_INFO: the mock device reports IOMMU_HW_INFO_TYPE_SELFTEST data'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const data = new Uint8Array(IommuTestHwInfo.size);
    const out = fx.dev.getHwInfo({ dev_id: md.idevId, data_uptr: data });
    assert.equal(out.out_data_type, IOMMU_HW_INFO_TYPE_SELFTEST);
    assert.equal(out.data_len, 8);
    assert.deepEqual(IommuTestHwInfo.decode(data), { flags: 0, test_reg: IOMMU_HW_INFO_SELFTEST_REGVAL });
    assert.equal(out.out_max_pasid_log2, 0, 'no PASID support');
    assert.ok(out.out_capabilities & BigInt(IOMMU_HW_CAP_DIRTY_TRACKING), 'the default mock device tracks dirty pages');
    assert.equal(out.out_capabilities, BigInt(IOMMU_HW_CAP_DIRTY_TRACKING | IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED));
  },

  'GET_HW_INFO: data_len 0 is allowed and data_len comes back as the kernel size'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const out = fx.dev.getHwInfo({ dev_id: md.idevId, data_len: 0 });
    assert.equal(out.data_len, 8);
    assert.equal(out.out_data_type, IOMMU_HW_INFO_TYPE_SELFTEST);
  },

  'GET_HW_INFO: a longer buffer has its tail zeroed, a shorter one is filled only that far'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const long = new Uint8Array(16).fill(0xff);
    assert.equal(fx.dev.getHwInfo({ dev_id: md.idevId, data_uptr: long }).data_len, 8);
    assert.deepEqual(IommuTestHwInfo.decode(long), { flags: 0, test_reg: IOMMU_HW_INFO_SELFTEST_REGVAL });
    assert.deepEqual([...long.subarray(8)], Array(8).fill(0));
    const short = new Uint8Array(8).fill(0xff);
    assert.equal(fx.dev.getHwInfo({ dev_id: md.idevId, data_uptr: short, data_len: 4 }).data_len, 8);
    assert.deepEqual(IommuTestHwInfo.decode(short), { flags: 0, test_reg: 0xffffffff }, 'only `flags` written');
  },

  'GET_HW_INFO: PASID and no-dirty mock devices'() {
    using fx = Fixture.open();
    const pasid = fx.mockDevice(fx.ioasId, MOCK_FLAGS_DEVICE_PASID);
    assert.equal(fx.dev.getHwInfo({ dev_id: pasid.idevId }).out_max_pasid_log2, MOCK_PASID_WIDTH);
    const noDirty = fx.mockDevice(fx.ioasId, MOCK_FLAGS_DEVICE_NO_DIRTY);
    const caps = fx.dev.getHwInfo({ dev_id: noDirty.idevId }).out_capabilities;
    assert.equal(caps & BigInt(IOMMU_HW_CAP_DIRTY_TRACKING), 0n, `capabilities 0x${caps.toString(16)}`);
  },

  'GET_HW_INFO: INPUT_TYPE asks for a type; another type is EOPNOTSUPP'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const data = new Uint8Array(8);
    const out = fx.dev.getHwInfo({ dev_id: md.idevId, flags: IOMMU_HW_INFO_FLAG_INPUT_TYPE, in_data_type: IOMMU_HW_INFO_TYPE_SELFTEST, data_uptr: data });
    assert.equal(out.out_data_type, IOMMU_HW_INFO_TYPE_SELFTEST);
    assert.equal(IommuTestHwInfo.decode(data).test_reg, IOMMU_HW_INFO_SELFTEST_REGVAL);
    expectErrno(
      () => fx.dev.getHwInfo({ dev_id: md.idevId, flags: IOMMU_HW_INFO_FLAG_INPUT_TYPE, in_data_type: IOMMU_HW_INFO_TYPE_SELFTEST + 1, data_uptr: data }),
      'EOPNOTSUPP',
    );
  },

  'GET_HW_INFO: unknown dev_id is ENOENT, unknown flag is EOPNOTSUPP'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const err = expectErrno(() => fx.dev.getHwInfo({ dev_id: UNKNOWN_ID }), 'ENOENT');
    assert.equal(err.ioctl, 'IOMMU_GET_HW_INFO');
    assert.equal(err.meaning, ENOENT_MEANING);
    expectErrno(() => fx.dev.getHwInfo({ dev_id: fx.ioasId }), 'ENOENT');
    expectErrno(() => fx.dev.getHwInfo({ dev_id: md.idevId, flags: 2 }), 'EOPNOTSUPP');
    // A bad buffer address with a length: the copy to user space faults.
    expectErrno(() => fx.dev.getHwInfo({ dev_id: md.idevId, data_uptr: 8n, data_len: 8 }), 'EFAULT');
  },

  // ---- IOMMU_HWPT_SET_DIRTY_TRACKING -----------------------------------------------------------------------

  'SET_DIRTY_TRACKING: enable and disable on a DIRTY_TRACKING HWPT'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const hwpt = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_DIRTY_TRACKING);
    const on = fx.dev.hwptSetDirtyTracking({ hwpt_id: hwpt, flags: IOMMU_HWPT_DIRTY_TRACKING_ENABLE });
    assert.equal(on.hwpt_id, hwpt);
    assert.equal(on.flags, IOMMU_HWPT_DIRTY_TRACKING_ENABLE);
    // Enabling twice is no change, and fine.
    fx.dev.hwptSetDirtyTracking({ hwpt_id: hwpt, flags: IOMMU_HWPT_DIRTY_TRACKING_ENABLE });
    fx.dev.hwptSetDirtyTracking({ hwpt_id: hwpt, flags: 0 });
  },

  'SET_DIRTY_TRACKING: bad flags, unknown HWPT and a HWPT without dirty tracking'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const dirty = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_DIRTY_TRACKING);
    expectErrno(() => fx.dev.hwptSetDirtyTracking({ hwpt_id: dirty, flags: 2 }), 'EOPNOTSUPP');
    const err = expectErrno(() => fx.dev.hwptSetDirtyTracking({ hwpt_id: UNKNOWN_ID, flags: IOMMU_HWPT_DIRTY_TRACKING_ENABLE }), 'ENOENT');
    assert.equal(err.meaning, ENOENT_MEANING);
    // Not a paging HWPT: the IOAS.
    expectErrno(() => fx.dev.hwptSetDirtyTracking({ hwpt_id: fx.ioasId, flags: IOMMU_HWPT_DIRTY_TRACKING_ENABLE }), 'ENOENT');
    // The automatic HWPT was made without DIRTY_TRACKING.
    expectErrno(() => fx.dev.hwptSetDirtyTracking({ hwpt_id: md.hwptId, flags: IOMMU_HWPT_DIRTY_TRACKING_ENABLE }), 'EOPNOTSUPP');
  },

  // ---- IOMMU_HWPT_GET_DIRTY_BITMAP -------------------------------------------------------------------------

  'GET_DIRTY_BITMAP: pages marked dirty come back in the bitmap, then are cleared'() {
    using mem = Memory.map(16 * pageSize);
    using fx = Fixture.open();
    const { iova, dirtyHwpt } = dirtySetup(fx, mem);
    const length = BigInt(mem.length);
    const bits = mem.length / MOCK_PAGE_SIZE; // one bit per 2 KiB mock page
    fx.dev.hwptSetDirtyTracking({ hwpt_id: dirtyHwpt, flags: IOMMU_HWPT_DIRTY_TRACKING_ENABLE });

    // Mark every 4th mock page dirty (IOMMU_TEST_OP_DIRTY takes a bitmap of the IOVAs to mark).
    const mark = new Uint8Array(bits / 8);
    for (let i = 0; i < bits; i += 4) mark[i >> 3]! |= 1 << (i & 7);
    const marked = fx.test.testCmd({ op: IOMMU_TEST_OP_DIRTY, id: dirtyHwpt, dirty: { iova, length, page_size: MOCK_PAGE_SIZE, uptr: mark } });
    assert.equal(marked.dirty.out_nr_dirty, BigInt(bits / 4));

    // One 4 KiB page-table entry covers two 2 KiB bits, so bits i and i+1 are set for every i ≡ 0 (mod 4).
    const expected: number[] = [];
    for (let i = 0; i < bits; i += 4) expected.push(i, i + 1);
    const read = (flags = 0): number[] => {
      const bitmap = new Uint8Array(Math.max(8, bits / 8));
      const out = fx.dev.hwptGetDirtyBitmap({ hwpt_id: dirtyHwpt, flags, iova, length, page_size: MOCK_PAGE_SIZE, data: bitmap });
      assert.equal(out.hwpt_id, dirtyHwpt);
      return setBits(bitmap);
    };
    assert.deepEqual(read(IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR), expected, 'first read (NO_CLEAR)');
    assert.deepEqual(read(IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR), expected, 'NO_CLEAR left the dirty bits');
    assert.deepEqual(read(), expected, 'read and clear');
    assert.deepEqual(read(), [], 'cleared by the previous read');

    // Per 4 KiB page: every other page is dirty.
    fx.test.testCmd({ op: IOMMU_TEST_OP_DIRTY, id: dirtyHwpt, dirty: { iova, length, page_size: MOCK_PAGE_SIZE, uptr: mark } });
    const byPage = new Uint8Array(8);
    fx.dev.hwptGetDirtyBitmap({ hwpt_id: dirtyHwpt, iova, length, page_size: pageSize, data: byPage });
    assert.deepEqual(setBits(byPage), Array.from({ length: mem.length / pageSize / 2 }, (_, k) => 2 * k));
    fx.dev.hwptSetDirtyTracking({ hwpt_id: dirtyHwpt, flags: 0 });
  },

  'GET_DIRTY_BITMAP: bad flags, unknown HWPT, bad ranges and a HWPT without dirty tracking'() {
    using mem = Memory.map(4 * pageSize);
    using fx = Fixture.open();
    const { iova, dirtyHwpt, autoHwpt } = dirtySetup(fx, mem);
    const length = BigInt(mem.length);
    const bitmap = new Uint8Array(8);
    const get = (args: Partial<v73.HwptGetDirtyBitmapArgs>) => () =>
      fx.dev.hwptGetDirtyBitmap({ hwpt_id: dirtyHwpt, iova, length, page_size: pageSize, data: bitmap, ...args });
    get({})(); // the baseline succeeds (tracking off: nothing dirty)
    assert.deepEqual(setBits(bitmap), []);
    expectErrno(get({ flags: 2 }), 'EOPNOTSUPP');
    const err = expectErrno(get({ hwpt_id: UNKNOWN_ID }), 'ENOENT');
    assert.equal(err.meaning, ENOENT_MEANING);
    expectErrno(get({ hwpt_id: fx.ioasId }), 'ENOENT');
    // length 0: in C's unsigned arithmetic the bitmap would span 2^64 bytes of IOVA, so the method refuses every
    // buffer; as a raw address (no bounds check) the call reaches the kernel, which refuses it too.
    assert.throws(get({ length: 0 }), /^RangeError: IOMMU_HWPT_GET_DIRTY_BITMAP\.data: needs \d+ bytes/);
    expectErrno(get({ length: 0, data: mem.address }), 'EINVAL');
    expectErrno(get({ page_size: 0 }), 'EINVAL');
    expectErrno(get({ iova: iova + 1n }), 'EINVAL'); // not aligned to the IOAS's PAGE_SIZE alignment
    expectErrno(get({ page_size: 2 * pageSize, length: BigInt(3 * pageSize) }), 'EINVAL'); // end not page_size aligned
    const overflow = expectErrno(get({ iova: 0xffff_ffff_ffff_f000n, length: BigInt(2 * pageSize) }), 'EOVERFLOW');
    assert.equal(overflow.meaning, 'Mathematics overflowed.');
    // The automatic HWPT has no dirty ops: refused once the range checks pass.
    expectErrno(get({ hwpt_id: autoHwpt }), 'EOPNOTSUPP');
  },

  // ---- IOMMU_HWPT_INVALIDATE -------------------------------------------------------------------------------

  'HWPT_INVALIDATE: entry_num 0 probes that the selftest data type is supported'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const nested = fx.nestedHwpt(md.idevId, fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT));
    const out = fx.dev.hwptInvalidate({ hwpt_id: nested, data_type: IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, entry_len: 8, entry_num: 0 });
    assert.equal(out.entry_num, 0);
    checkIotlb(fx, nested, Array(MOCK_NESTED_DOMAIN_IOTLB_NUM).fill(IOMMU_TEST_IOTLB_DEFAULT));
    // An unknown type is refused even with no entries.
    expectErrno(() => fx.dev.hwptInvalidate({ hwpt_id: nested, data_type: IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID, entry_len: 8, entry_num: 0 }), 'EINVAL');
  },

  'HWPT_INVALIDATE: selftest entries clear mock IOTLB entries'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const nested = fx.nestedHwpt(md.idevId, fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT));
    const D = IOMMU_TEST_IOTLB_DEFAULT;
    const inv = (entries: { flags?: number; iotlb_id?: number }[]) =>
      fx.dev.hwptInvalidate({
        hwpt_id: nested,
        data_type: IOMMU_HWPT_INVALIDATE_DATA_SELFTEST,
        data_uptr: invalidations(entries),
        entry_len: IommuHwptInvalidateSelftest.size,
        entry_num: entries.length,
      });
    assert.equal(inv([{ iotlb_id: 1 }]).entry_num, 1);
    checkIotlb(fx, nested, [D, 0, D, D]);
    assert.equal(inv([{ iotlb_id: 0 }, { iotlb_id: 3 }]).entry_num, 2);
    checkIotlb(fx, nested, [0, 0, D, 0]);
    assert.equal(inv([{ flags: IOMMU_TEST_INVALIDATE_FLAG_ALL, iotlb_id: 0 }]).entry_num, 1);
    checkIotlb(fx, nested, [0, 0, 0, 0]);
  },

  'HWPT_INVALIDATE: bad type, lengths, entries, unknown or paging HWPT'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const parent = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT);
    const nested = fx.nestedHwpt(md.idevId, parent);
    const one = invalidations([{ iotlb_id: 0 }]);
    const inv = (args: Partial<v73.HwptInvalidateArgs>) => () =>
      fx.dev.hwptInvalidate({ hwpt_id: nested, data_type: IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, data_uptr: one, entry_len: 8, entry_num: 1, ...args });
    expectErrno(inv({ data_type: IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID }), 'EINVAL');
    expectErrno(inv({ data_uptr: 0n }), 'EINVAL');
    expectErrno(inv({ entry_len: 0 }), 'EINVAL');
    expectErrno(inv({ entry_len: 1 }), 'EINVAL');
    expectErrno(inv({ entry_len: 9, data_uptr: new Uint8Array(9) }), 'EINVAL');
    // The buffer covers entry_len * entry_num, so the runtime's bounds check passes and the kernel's rule decides.
    expectErrno(inv({ entry_len: pageSize + 1, data_uptr: new Uint8Array(pageSize + 1) }), 'EINVAL');
    // With a buffer too small for entry_len * entry_num, the runtime refuses before the kernel reads past it.
    assert.throws(inv({ entry_len: pageSize + 1 }), RangeError);
    const err = expectErrno(inv({ hwpt_id: UNKNOWN_ID }), 'ENOENT');
    assert.equal(err.meaning, ENOENT_MEANING);
    expectErrno(inv({ hwpt_id: parent }), 'EINVAL'); // a paging HWPT has no user-managed cache
    expectErrno(inv({ data_uptr: invalidations([{ flags: 0xffffffff }]) }), 'EOPNOTSUPP');
    expectErrno(inv({ data_uptr: invalidations([{ iotlb_id: MOCK_NESTED_DOMAIN_IOTLB_NUM }]) }), 'EINVAL');
    // None of the failures touched the IOTLB.
    checkIotlb(fx, nested, Array(MOCK_NESTED_DOMAIN_IOTLB_NUM).fill(IOMMU_TEST_IOTLB_DEFAULT));
  },

  'HWPT_INVALIDATE: a failing batch writes back how many entries were handled'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const nested = fx.nestedHwpt(md.idevId, fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT));
    const D = IOMMU_TEST_IOTLB_DEFAULT;
    // The second of three entries has unknown flags: the first is done, the third is not reached.
    const data = invalidations([{ iotlb_id: 2 }, { flags: 0xffffffff }, { iotlb_id: 3 }]);
    const err = expectErrno(
      () => fx.dev.hwptInvalidate({ hwpt_id: nested, data_type: IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, data_uptr: data, entry_len: 8, entry_num: 3 }),
      'EOPNOTSUPP',
    );
    checkIotlb(fx, nested, [D, D, 0, D]);
    assert.ok(err instanceof v73.IoctlError);
    // The kernel's write-back (entry_num) is only visible through IoctlError.argument.
    if (err.argument === null) skip('IoctlError.argument is null: the runner\'s coverage wrapper of IoctlDevice.call drops its `size` argument');
    assert.equal(v73.IommuHwptInvalidate.decode(err.argument).entry_num, 1);
  },

  // ---- IOMMU_FAULT_QUEUE_ALLOC -----------------------------------------------------------------------------

  'FAULT_QUEUE_ALLOC: gives an object and a readable fd; non-zero flags are EOPNOTSUPP'() {
    using fx = Fixture.open();
    const out = fx.dev.faultQueueAlloc();
    const destroyFault = fx.own(out.out_fault_id, 'fault queue');
    const closeFd = fx.ownFd(out.out_fault_fd, 'fault queue');
    assert.ok(out.out_fault_id > 0);
    assert.ok(out.out_fault_fd > 2, `fd ${out.out_fault_fd}`);
    // An empty queue reads as end of file, and reads must be whole iommu_hwpt_pgfault records.
    assert.equal(readSync(out.out_fault_fd, new Uint8Array(IommuHwptPgfault.size), 0, IommuHwptPgfault.size, null), 0);
    assert.throws(() => readSync(out.out_fault_fd, new Uint8Array(64), 0, IommuHwptPgfault.size - 1, null), { code: 'ESPIPE' });
    // The fd holds the object: destroy waits for the close.
    expectErrno(() => fx.dev.destroy({ id: out.out_fault_id }), 'EBUSY');
    closeFd();
    destroyFault();
    expectErrno(() => fx.dev.faultQueueAlloc({ flags: 1 }), 'EOPNOTSUPP');
  },

  'FAULT_QUEUE_ALLOC: a nested HWPT with FAULT_ID_VALID delivers a page fault to the fd'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const parent = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT);
    const fault = fx.dev.faultQueueAlloc();
    fx.own(fault.out_fault_id, 'fault queue');
    fx.ownFd(fault.out_fault_fd, 'fault queue');
    // An unknown fault object: ENOENT.
    expectErrno(
      () => fx.dev.hwptAlloc({ dev_id: md.idevId, pt_id: parent, flags: IOMMU_HWPT_FAULT_ID_VALID, fault_id: UNKNOWN_ID, data_type: IOMMU_HWPT_DATA_SELFTEST, data_uptr: selftestData() }),
      'ENOENT',
    );
    const nested = fx.nestedHwpt(md.idevId, parent, { flags: IOMMU_HWPT_FAULT_ID_VALID, fault_id: fault.out_fault_id });
    assert.equal(fx.replace(md.stdevId, nested), nested);
    fx.defer('move the device back to the IOAS', () => fx.replace(md.stdevId, fx.ioasId));

    fx.test.testCmd({
      op: IOMMU_TEST_OP_TRIGGER_IOPF,
      trigger_iopf: { dev_id: md.idevId, pasid: 1, grpid: 2, perm: IOMMU_PGFAULT_PERM_READ | IOMMU_PGFAULT_PERM_WRITE, addr: 0xdeadbeafn },
    });
    const buf = new Uint8Array(IommuHwptPgfault.size);
    assert.equal(readSync(fault.out_fault_fd, buf, 0, buf.length, null), IommuHwptPgfault.size);
    const pf = IommuHwptPgfault.decode(buf);
    assert.equal(pf.flags, IOMMU_PGFAULT_FLAGS_PASID_VALID | IOMMU_PGFAULT_FLAGS_LAST_PAGE);
    assert.equal(pf.dev_id, md.idevId);
    assert.equal(pf.pasid, 1);
    assert.equal(pf.grpid, 2);
    assert.equal(pf.perm, IOMMU_PGFAULT_PERM_READ | IOMMU_PGFAULT_PERM_WRITE);
    assert.equal(pf.addr, 0xdeadbeafn);
    // Answer it (code 0 = success); the write takes whole 8-byte responses.
    const resp = IommuHwptPageResponse.encode({ cookie: pf.cookie, code: 0 });
    assert.equal(writeSync(fault.out_fault_fd, resp, 0, resp.length, null), IommuHwptPageResponse.size);
    assert.equal(readSync(fault.out_fault_fd, buf, 0, buf.length, null), 0, 'nothing else queued');
  },
};
