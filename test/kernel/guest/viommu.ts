// Virtual IOMMUs and their children, through the generated v7.3 API on the selftest mock device:
// IOMMU_VIOMMU_ALLOC, IOMMU_VDEVICE_ALLOC, IOMMU_VEVENTQ_ALLOC and IOMMU_HW_QUEUE_ALLOC (plus HWPT_ALLOC and
// HWPT_INVALIDATE with a vIOMMU as their object). Expected values and errnos: docs/kernel-test-plan.md §3.
import assert from 'node:assert/strict';
import { readSync } from 'node:fs';
import koffi from 'koffi';
import { expectErrno, test73, v73, type Tests } from './lib.js';
import { ENOENT_MEANING, Fixture, UNKNOWN_ID, type MockDevice } from './mock-util.js';

const {
  IOMMU_HWPT_ALLOC_NEST_PARENT,
  IOMMU_HW_QUEUE_TYPE_DEFAULT,
  IOMMU_VEVENTQ_FLAG_LOST_EVENTS,
  IOMMU_VEVENTQ_TYPE_DEFAULT,
  IOMMU_VIOMMU_TYPE_DEFAULT,
  IommufdVeventHeader,
  Memory,
  pageSize,
} = v73;
const {
  IOMMU_HW_QUEUE_TYPE_SELFTEST,
  IOMMU_TEST_DEV_CACHE_DEFAULT,
  IOMMU_TEST_HW_QUEUE_MAX,
  IOMMU_TEST_OP_DEV_CHECK_CACHE,
  IOMMU_TEST_OP_TRIGGER_VEVENT,
  IOMMU_VEVENTQ_TYPE_SELFTEST,
  IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST,
  IOMMU_VIOMMU_TYPE_SELFTEST,
  MOCK_DEV_CACHE_NUM,
  IommuViommuEventSelftest,
  IommuViommuInvalidateSelftest,
  IommuViommuSelftest,
} = test73;

const VIRT_ID = 0x99;
/** vEVENTQ depth limit (eventq.c VEVENTQ_MAX_DEPTH = 2^19). */
const VEVENTQ_MAX_DEPTH = 1 << 19;

const libc = koffi.load('libc.so.6');
const mmap = libc.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)');
const munmap = libc.func('int munmap(void *addr, size_t length)');
const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_SHARED = 1;
const MAP_FAILED = 0xffff_ffff_ffff_ffffn;

interface ViommuSetup {
  md: MockDevice;
  parent: number;
  viommu: number;
}

/** A mock device on the fixture's IOAS, a NEST_PARENT HWPT and a selftest vIOMMU on it (no driver data). */
function viommuSetup(fx: Fixture): ViommuSetup {
  const md = fx.mockDevice();
  const parent = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT);
  const viommu = fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: parent }).out_viommu_id;
  fx.own(viommu, 'vIOMMU');
  return { md, parent, viommu };
}

/** vDEVICE VIRT_ID for the device, a nested HWPT made from the vIOMMU, and the device moved onto it. */
function attachThroughViommu(fx: Fixture, s: ViommuSetup): { vdevice: number; nested: number } {
  const vdevice = fx.dev.vdeviceAlloc({ viommu_id: s.viommu, dev_id: s.md.idevId, virt_id: VIRT_ID }).out_vdevice_id;
  fx.own(vdevice, 'vDEVICE');
  const nested = fx.nestedHwpt(s.md.idevId, s.viommu);
  assert.equal(fx.replace(s.md.stdevId, nested), nested);
  fx.defer('move the device back to the IOAS', () => fx.replace(s.md.stdevId, fx.ioasId));
  return { vdevice, nested };
}

/** Asserts the mock device's 4 cache entries (IOMMU_TEST_OP_DEV_CHECK_CACHE fails with EINVAL on a mismatch). */
function checkDevCache(fx: Fixture, idevId: number, expected: readonly number[]): void {
  expected.forEach((cache, id) => {
    try {
      fx.test.testCmd({ op: IOMMU_TEST_OP_DEV_CHECK_CACHE, id: idevId, check_dev_cache: { id, cache } });
    } catch (e) {
      assert.fail(`device cache ${id} is not 0x${cache.toString(16)}: ${(e as Error).message}`);
    }
  });
}

export const tests: Tests = {
  // ---- IOMMU_VIOMMU_ALLOC ----------------------------------------------------------------------------------

  'VIOMMU_ALLOC: a selftest vIOMMU on a nesting parent HWPT'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const parent = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT);
    const out = fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: parent });
    fx.own(out.out_viommu_id, 'vIOMMU');
    assert.equal(out.size, 40);
    assert.ok(out.out_viommu_id > 0);
    assert.equal(out.type, IOMMU_VIOMMU_TYPE_SELFTEST);
    assert.equal(out.data_len, 0);
    // The vIOMMU holds its parent.
    expectErrno(() => fx.dev.destroy({ id: parent }), 'EBUSY');
    // A second vIOMMU on the same parent is fine.
    fx.own(fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: parent }).out_viommu_id, 'vIOMMU');
  },

  'VIOMMU_ALLOC: selftest data loops in_data back as out_data and in an mmap region'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const parent = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT);
    const data = IommuViommuSelftest.encode({ in_data: 0xbeef });
    const out = fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: parent, data_uptr: data });
    const destroyViommu = fx.own(out.out_viommu_id, 'vIOMMU');
    assert.equal(out.data_len, IommuViommuSelftest.size, 'data_len filled in from the buffer');
    const back = IommuViommuSelftest.decode(data);
    assert.equal(back.in_data, 0xbeef);
    assert.equal(back.out_data, 0xbeef, 'out_data == in_data');
    assert.equal(back.out_mmap_length, BigInt(2 * pageSize));

    // The region the driver offers: mmap it from the iommufd at out_mmap_offset; its first u32 is in_data too.
    const length = Number(back.out_mmap_length);
    const region = mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED, fx.dev.fd, Number(back.out_mmap_offset));
    const address = koffi.address(region) as bigint;
    assert.notEqual(address, MAP_FAILED, `mmap failed: errno ${koffi.errno()}`);
    try {
      const words = new Uint32Array(koffi.view(address, length) as ArrayBuffer, 0, 1);
      assert.equal(words[0], 0xbeef);
      // While mapped, the vIOMMU cannot go.
      expectErrno(() => fx.dev.destroy({ id: out.out_viommu_id }), 'EBUSY');
    } finally {
      assert.equal(munmap(address, length), 0);
    }
    destroyViommu();
  },

  'VIOMMU_ALLOC: unknown dev_id or hwpt_id is ENOENT'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const parent = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT);
    const alloc = (args: Partial<v73.ViommuAllocArgs>) => () =>
      fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: parent, ...args });
    const err = expectErrno(alloc({ dev_id: UNKNOWN_ID }), 'ENOENT');
    assert.equal(err.ioctl, 'IOMMU_VIOMMU_ALLOC');
    assert.equal(err.meaning, ENOENT_MEANING);
    expectErrno(alloc({ hwpt_id: UNKNOWN_ID }), 'ENOENT');
    expectErrno(alloc({ hwpt_id: 0 }), 'ENOENT');
    expectErrno(alloc({ hwpt_id: fx.ioasId }), 'ENOENT'); // an IOAS is not a HWPT
  },

  'VIOMMU_ALLOC: unsupported type or flags is EOPNOTSUPP'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const parent = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT);
    const alloc = (args: Partial<v73.ViommuAllocArgs>) => () =>
      fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: parent, ...args });
    expectErrno(alloc({ type: IOMMU_VIOMMU_TYPE_DEFAULT }), 'EOPNOTSUPP');
    expectErrno(alloc({ type: 0xdead }), 'EOPNOTSUPP');
    expectErrno(alloc({ flags: 1 }), 'EOPNOTSUPP');
  },

  'VIOMMU_ALLOC: a parent without NEST_PARENT, or driver data of a bad length, is EINVAL'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    const parent = fx.pagingHwpt(md.idevId, IOMMU_HWPT_ALLOC_NEST_PARENT);
    const plain = fx.pagingHwpt(md.idevId);
    expectErrno(() => fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: plain }), 'EINVAL');
    expectErrno(() => fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: md.hwptId }), 'EINVAL');
    const data = new Uint8Array(32);
    IommuViommuSelftest.encode({ in_data: 1 }, data);
    // Shorter than the driver's minimum (up to out_data, 8 bytes), or longer than its struct (24 bytes).
    expectErrno(() => fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: parent, data_uptr: data, data_len: 4 }), 'EINVAL');
    expectErrno(() => fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: parent, data_uptr: data, data_len: 25 }), 'EINVAL');
    // The minimum itself is accepted.
    const ok = fx.dev.viommuAlloc({ type: IOMMU_VIOMMU_TYPE_SELFTEST, dev_id: md.idevId, hwpt_id: parent, data_uptr: data, data_len: 8 });
    fx.own(ok.out_viommu_id, 'vIOMMU');
    assert.equal(IommuViommuSelftest.decode(data).out_data, 1);
  },

  // ---- IOMMU_VDEVICE_ALLOC ---------------------------------------------------------------------------------

  'VDEVICE_ALLOC: a vDEVICE lets the device attach to a nested HWPT made from the vIOMMU'() {
    using fx = Fixture.open();
    const s = viommuSetup(fx);
    // HWPT_ALLOC with the vIOMMU as pt_id gives a nested HWPT...
    const nested = fx.nestedHwpt(s.md.idevId, s.viommu);
    // ...which the device cannot use until it has a vDEVICE on that vIOMMU.
    expectErrno(() => fx.replace(s.md.stdevId, nested), 'ENOENT');
    const out = fx.dev.vdeviceAlloc({ viommu_id: s.viommu, dev_id: s.md.idevId, virt_id: VIRT_ID });
    fx.own(out.out_vdevice_id, 'vDEVICE');
    assert.equal(out.size, 24);
    assert.ok(out.out_vdevice_id > 0);
    assert.equal(out.virt_id, BigInt(VIRT_ID));
    assert.equal(fx.replace(s.md.stdevId, nested), nested);
    fx.defer('move the device back to the IOAS', () => fx.replace(s.md.stdevId, fx.ioasId));
  },

  'VDEVICE_ALLOC: unknown vIOMMU or device is ENOENT; a second vDEVICE or a used virt_id is EEXIST'() {
    using fx = Fixture.open();
    const s = viommuSetup(fx);
    const err = expectErrno(() => fx.dev.vdeviceAlloc({ viommu_id: UNKNOWN_ID, dev_id: s.md.idevId, virt_id: VIRT_ID }), 'ENOENT');
    assert.equal(err.ioctl, 'IOMMU_VDEVICE_ALLOC');
    assert.equal(err.meaning, ENOENT_MEANING);
    expectErrno(() => fx.dev.vdeviceAlloc({ viommu_id: s.parent, dev_id: s.md.idevId, virt_id: VIRT_ID }), 'ENOENT'); // a HWPT is no vIOMMU
    expectErrno(() => fx.dev.vdeviceAlloc({ viommu_id: s.viommu, dev_id: UNKNOWN_ID, virt_id: VIRT_ID }), 'ENOENT');
    fx.own(fx.dev.vdeviceAlloc({ viommu_id: s.viommu, dev_id: s.md.idevId, virt_id: VIRT_ID }).out_vdevice_id, 'vDEVICE');
    // One vDEVICE per device, whatever the virt_id.
    expectErrno(() => fx.dev.vdeviceAlloc({ viommu_id: s.viommu, dev_id: s.md.idevId, virt_id: VIRT_ID + 1 }), 'EEXIST');
    // One device per virt_id in a vIOMMU.
    const other = fx.mockDevice();
    expectErrno(() => fx.dev.vdeviceAlloc({ viommu_id: s.viommu, dev_id: other.idevId, virt_id: VIRT_ID }), 'EEXIST');
    fx.own(fx.dev.vdeviceAlloc({ viommu_id: s.viommu, dev_id: other.idevId, virt_id: VIRT_ID + 1 }).out_vdevice_id, 'vDEVICE');
  },

  'HWPT_INVALIDATE on a vIOMMU: selftest entries clear the device cache by virt_id'() {
    using fx = Fixture.open();
    const s = viommuSetup(fx);
    attachThroughViommu(fx, s);
    const D = IOMMU_TEST_DEV_CACHE_DEFAULT;
    checkDevCache(fx, s.md.idevId, Array(MOCK_DEV_CACHE_NUM).fill(D));
    const entries = (list: { flags?: number; vdev_id?: number; cache_id?: number }[]): Uint8Array => {
      const out = new Uint8Array(IommuViommuInvalidateSelftest.size * list.length);
      list.forEach((e, i) => IommuViommuInvalidateSelftest.encode(e, out, i * IommuViommuInvalidateSelftest.size));
      return out;
    };
    const inv = (list: { flags?: number; vdev_id?: number; cache_id?: number }[]) =>
      fx.dev.hwptInvalidate({
        hwpt_id: s.viommu,
        data_type: IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST,
        data_uptr: entries(list),
        entry_len: IommuViommuInvalidateSelftest.size,
        entry_num: list.length,
      });
    // entry_num 0 just checks the type.
    assert.equal(fx.dev.hwptInvalidate({ hwpt_id: s.viommu, data_type: IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST, entry_len: 12, entry_num: 0 }).entry_num, 0);
    assert.equal(inv([{ vdev_id: VIRT_ID, cache_id: 1 }]).entry_num, 1);
    checkDevCache(fx, s.md.idevId, [D, 0, D, D]);
    // An unknown virt_id, or a cache id past the last, is EINVAL.
    expectErrno(() => inv([{ vdev_id: VIRT_ID + 1, cache_id: 0 }]), 'EINVAL');
    expectErrno(() => inv([{ vdev_id: VIRT_ID, cache_id: MOCK_DEV_CACHE_NUM }]), 'EINVAL');
    checkDevCache(fx, s.md.idevId, [D, 0, D, D]);
  },

  // ---- IOMMU_VEVENTQ_ALLOC ---------------------------------------------------------------------------------

  'VEVENTQ_ALLOC: a selftest vEVENTQ gives an fd that reads triggered events'() {
    using fx = Fixture.open();
    const s = viommuSetup(fx);
    attachThroughViommu(fx, s);
    const out = fx.dev.veventqAlloc({ viommu_id: s.viommu, type: IOMMU_VEVENTQ_TYPE_SELFTEST, veventq_depth: 2 });
    fx.own(out.out_veventq_id, 'vEVENTQ');
    const closeFd = fx.ownFd(out.out_veventq_fd, 'vEVENTQ');
    assert.ok(out.out_veventq_id > 0);
    assert.ok(out.out_veventq_fd > 2, `fd ${out.out_veventq_fd}`);
    const fd = out.out_veventq_fd;
    const buf = new Uint8Array(64);
    assert.equal(readSync(fd, buf, 0, buf.length, null), 0, 'empty queue');
    assert.throws(() => readSync(fd, buf, 0, IommufdVeventHeader.size - 1, null), { code: 'EINVAL' });

    // One event: a header then the selftest payload {virt_id}.
    const eventSize = IommufdVeventHeader.size + IommuViommuEventSelftest.size;
    fx.test.testCmd({ op: IOMMU_TEST_OP_TRIGGER_VEVENT, trigger_vevent: { dev_id: s.md.idevId } });
    // A read that fits the header but not the event is EINVAL, and keeps the event.
    assert.throws(() => readSync(fd, buf, 0, IommufdVeventHeader.size, null), { code: 'EINVAL' });
    assert.equal(readSync(fd, buf, 0, buf.length, null), eventSize);
    assert.deepEqual(IommufdVeventHeader.decode(buf), { flags: 0, sequence: 0 });
    assert.equal(IommuViommuEventSelftest.decode(buf, IommufdVeventHeader.size).virt_id, VIRT_ID);

    // Depth 2: a third event is lost, and the reader is told so.
    for (let i = 0; i < 3; i++) fx.test.testCmd({ op: IOMMU_TEST_OP_TRIGGER_VEVENT, trigger_vevent: { dev_id: s.md.idevId } });
    const n = readSync(fd, buf, 0, buf.length, null);
    const headers: { flags: number; sequence: number }[] = [];
    for (let o = 0; o < n; ) {
      const h = IommufdVeventHeader.decode(buf, o);
      headers.push(h);
      o += h.flags & IOMMU_VEVENTQ_FLAG_LOST_EVENTS ? IommufdVeventHeader.size : eventSize;
    }
    // Two events (sequence 1 and 2), then a lost-events header that took sequence 3.
    assert.deepEqual(headers, [
      { flags: 0, sequence: 1 },
      { flags: 0, sequence: 2 },
      { flags: IOMMU_VEVENTQ_FLAG_LOST_EVENTS, sequence: 3 },
    ]);
    assert.equal(n, 2 * eventSize + IommufdVeventHeader.size);
    // The fd holds the queue: destroy waits for the close.
    expectErrno(() => fx.dev.destroy({ id: out.out_veventq_id }), 'EBUSY');
    closeFd();
  },

  'VEVENTQ_ALLOC: bad type, flags or depth, unknown vIOMMU, and a second queue of a type'() {
    using fx = Fixture.open();
    const s = viommuSetup(fx);
    const alloc = (args: Partial<v73.VeventqAllocArgs>) => () =>
      fx.dev.veventqAlloc({ viommu_id: s.viommu, type: IOMMU_VEVENTQ_TYPE_SELFTEST, veventq_depth: 2, ...args });
    expectErrno(alloc({ type: IOMMU_VEVENTQ_TYPE_DEFAULT }), 'EOPNOTSUPP');
    expectErrno(alloc({ flags: 1 }), 'EOPNOTSUPP');
    expectErrno(alloc({ veventq_depth: 0 }), 'EINVAL');
    expectErrno(alloc({ veventq_depth: VEVENTQ_MAX_DEPTH + 1 }), 'EINVAL');
    const err = expectErrno(alloc({ viommu_id: UNKNOWN_ID }), 'ENOENT');
    assert.equal(err.meaning, ENOENT_MEANING);
    const q = alloc({ veventq_depth: VEVENTQ_MAX_DEPTH })();
    fx.own(q.out_veventq_id, 'vEVENTQ');
    fx.ownFd(q.out_veventq_fd, 'vEVENTQ');
    expectErrno(alloc({}), 'EEXIST');
  },

  // ---- IOMMU_HW_QUEUE_ALLOC --------------------------------------------------------------------------------

  'HW_QUEUE_ALLOC: selftest queues on memory mapped in the parent IOAS'() {
    using mem = Memory.map(pageSize);
    using fx = Fixture.open();
    const s = viommuSetup(fx);
    const { iova } = fx.map(mem);
    const q0 = fx.dev.hwQueueAlloc({ viommu_id: s.viommu, type: IOMMU_HW_QUEUE_TYPE_SELFTEST, index: 0, nesting_parent_iova: iova, length: pageSize });
    const destroy0 = fx.own(q0.out_hw_queue_id, 'HW queue 0');
    assert.equal(q0.size, 40);
    assert.ok(q0.out_hw_queue_id > 0);
    assert.equal(q0.nesting_parent_iova, iova);
    // Index 1 may share the page.
    const half = BigInt(pageSize / 2);
    const q1 = fx.dev.hwQueueAlloc({ viommu_id: s.viommu, type: IOMMU_HW_QUEUE_TYPE_SELFTEST, index: 1, nesting_parent_iova: iova + half, length: half });
    const destroy1 = fx.own(q1.out_hw_queue_id, 'HW queue 1');
    assert.notEqual(q1.out_hw_queue_id, q0.out_hw_queue_id);
    // The queue memory is pinned: no unmap while a queue uses it.
    expectErrno(() => fx.dev.ioasUnmap({ ioas_id: fx.ioasId, iova, length: mem.length }), 'EBUSY');
    // Queue 1 depends on queue 0: 0 cannot go first.
    expectErrno(() => fx.dev.destroy({ id: q0.out_hw_queue_id }), 'EBUSY');
    destroy1();
    destroy0();
  },

  'HW_QUEUE_ALLOC: bad type, flags, length, IOVA and index'() {
    using mem = Memory.map(pageSize);
    using fx = Fixture.open();
    const s = viommuSetup(fx);
    const { iova } = fx.map(mem);
    const alloc = (args: Partial<v73.HwQueueAllocArgs>) => () =>
      fx.dev.hwQueueAlloc({ viommu_id: s.viommu, type: IOMMU_HW_QUEUE_TYPE_SELFTEST, index: 0, nesting_parent_iova: iova, length: pageSize, ...args });
    expectErrno(alloc({ type: IOMMU_HW_QUEUE_TYPE_DEFAULT }), 'EOPNOTSUPP');
    expectErrno(alloc({ flags: 1 }), 'EOPNOTSUPP');
    expectErrno(alloc({ length: 0 }), 'EINVAL');
    const overflow = expectErrno(alloc({ nesting_parent_iova: 0xffff_ffff_ffff_ffffn }), 'EOVERFLOW');
    assert.equal(overflow.meaning, 'Mathematics overflowed.');
    const unmapped = expectErrno(alloc({ nesting_parent_iova: iova + BigInt(64 * pageSize) }), 'ENOENT');
    assert.equal(unmapped.meaning, ENOENT_MEANING);
    expectErrno(alloc({ viommu_id: UNKNOWN_ID }), 'ENOENT');
    expectErrno(alloc({ index: IOMMU_TEST_HW_QUEUE_MAX }), 'EINVAL');
    expectErrno(alloc({ index: 1 }), 'EIO'); // index 1 needs index 0 first
    fx.own(alloc({})().out_hw_queue_id, 'HW queue 0');
    expectErrno(alloc({}), 'EEXIST');
  },
};
