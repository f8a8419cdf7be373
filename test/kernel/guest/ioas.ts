// The IOAS ioctls of iommufd.h v7.3 against a real /dev/iommu, from the facts in docs/kernel-test-plan.md:
// DESTROY, IOAS_ALLOC, IOVA_RANGES, ALLOW_IOVAS, MAP, UNMAP, COPY, OPTION, VFIO_IOAS, MAP_FILE, CHANGE_PROCESS and
// NOIOMMU_GET_PA, each with a success (except NOIOMMU_GET_PA) and its documented failures through the generated
// methods, plus the "General ioctl format" size and `__reserved` rules through ioctlRaw.
import assert from 'node:assert/strict';
import { addressOf, expectErrno, test73, v73, type Tests } from './lib.js';
import {
  HEADER,
  Memfd,
  PAGE,
  SharedMapping,
  U64_MAX,
  addReserved,
  checkMap,
  expectDoc,
  expectGeneral,
  filledMemory,
  mockDomain,
  rawArg,
  setField,
} from './ioas-util.js';

const { Iommufd } = v73;
const FIXED = v73.IOMMU_IOAS_MAP_FIXED_IOVA;
const W = v73.IOMMU_IOAS_MAP_WRITEABLE;
const R = v73.IOMMU_IOAS_MAP_READABLE;
const { IOMMU_OPTION_RLIMIT_MODE: RLIMIT_MODE, IOMMU_OPTION_HUGE_PAGES: HUGE_PAGES, IOMMU_OPTION_OP_GET: GET, IOMMU_OPTION_OP_SET: SET } = v73;
const APERTURE_START = BigInt(test73.MOCK_APERTURE_START);
const APERTURE_LAST = BigInt(test73.MOCK_APERTURE_LAST);
const P = BigInt(PAGE);
/** An IOVA well inside the full range of an IOAS with no domain. */
const BASE = 0x100000n;
/** An IOAS id no test allocates. */
const NO_SUCH_ID = 0xfffff;
/** An fd number that is not open. */
const NO_SUCH_FD = 0x7fff0000;

const FULL_RANGE = [{ start: 0n, last: U64_MAX }];

function newIoas(dev: v73.Iommufd): number {
  return dev.ioasAlloc().out_ioas_id;
}

function ranges(dev: v73.Iommufd, ioas: number): { ranges: { start: bigint; last: bigint }[]; alignment: bigint } {
  const r = dev.ioasIovaRangesAll({ ioas_id: ioas });
  assert.equal(r.num_iovas, r.allowed_iovas.length);
  return { ranges: r.allowed_iovas, alignment: r.out_iova_alignment };
}

export const tests: Tests = {
  // ---- IOMMU_DESTROY ---------------------------------------------------------------------------------------

  'DESTROY: an IOAS is destroyed once; again, or id 0, is ENOENT (header text)'() {
    using dev = Iommufd.open();
    const id = newIoas(dev);
    const r = dev.destroy({ id });
    assert.equal(r.size, 8);
    assert.equal(r.id, id);
    expectGeneral(() => dev.destroy({ id }), 'ENOENT', 'IOMMU_DESTROY');
    expectGeneral(() => dev.destroy({ id: 0 }), 'ENOENT', 'IOMMU_DESTROY');
  },

  'DESTROY: an IOAS with a mock device attached is EBUSY until the device is destroyed'() {
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const md = mockDomain(dev, ioas);
    expectDoc(() => dev.destroy({ id: ioas }), 'EBUSY', null, 'IOMMU_DESTROY');
    // The idev is held by the selftest's object: only destroying the stdev lets it go.
    expectDoc(() => dev.destroy({ id: md.idev }), 'EBUSY', null);
    dev.destroy({ id: md.stdev });
    dev.destroy({ id: ioas });
    expectGeneral(() => dev.destroy({ id: md.hwpt }), 'ENOENT', 'IOMMU_DESTROY');
  },

  // ---- IOMMU_IOAS_ALLOC ------------------------------------------------------------------------------------

  'IOAS_ALLOC: ids start at 1 on a fresh fd and the lowest free id is reused'() {
    using dev = Iommufd.open();
    const a = dev.ioasAlloc();
    assert.equal(a.size, 12);
    assert.equal(a.flags, 0);
    assert.equal(a.out_ioas_id, 1);
    assert.equal(newIoas(dev), 2);
    dev.destroy({ id: 1 });
    assert.equal(newIoas(dev), 1);
  },

  'IOAS_ALLOC: non-zero flags is EOPNOTSUPP (header text)'() {
    using dev = Iommufd.open();
    expectGeneral(() => dev.ioasAlloc({ flags: 1 }), 'EOPNOTSUPP', 'IOMMU_IOAS_ALLOC');
    expectGeneral(() => dev.ioasAlloc({ flags: 0x80000000 }), 'EOPNOTSUPP');
    // Nothing was allocated by the failed calls.
    assert.equal(newIoas(dev), 1);
  },

  // ---- IOMMU_IOAS_IOVA_RANGES ------------------------------------------------------------------------------

  'IOVA_RANGES: a fresh IOAS has one range [0, U64_MAX] and alignment 1'() {
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const buf = new Uint8Array(4 * 16).fill(0xee);
    const r = dev.ioasIovaRanges({ ioas_id: ioas, allowed_iovas: buf }); // num_iovas is filled in: 4
    assert.equal(r.num_iovas, 1);
    assert.equal(r.out_iova_alignment, 1n);
    assert.deepEqual(v73.IommuIovaRange.decode(buf, 0), { start: 0n, last: U64_MAX });
    assert.ok(buf.subarray(16).every((b) => b === 0xee), 'entries past num_iovas are not written');
    assert.deepEqual(ranges(dev, ioas), { ranges: FULL_RANGE, alignment: 1n });
  },

  'IOVA_RANGES: num_iovas 0 is EMSGSIZE (header text) and the kernel writes the required count'() {
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    expectDoc(() => dev.ioasIovaRanges({ ioas_id: ioas, num_iovas: 0 }), 'EMSGSIZE', HEADER.EMSGSIZE, 'IOMMU_IOAS_IOVA_RANGES');
    // The generated method does not hand back what the kernel wrote on failure, so read the count from a
    // hand-built argument.
    const raw = rawArg(v73.IommuIoasIovaRanges, { ioas_id: ioas, num_iovas: 0 }, 32);
    expectErrno(() => dev.ioctlRaw(v73.IOMMU_IOAS_IOVA_RANGES, raw), 'EMSGSIZE');
    const out = v73.IommuIoasIovaRanges.decode(raw);
    assert.equal(out.num_iovas, 1, 'the required count');
    assert.equal(out.out_iova_alignment, 1n);
  },

  'IOVA_RANGES: six ranges after ADD_RESERVED: a 2-entry array is EMSGSIZE with 2 written; ioasIovaRangesAll grows to all 6'() {
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    // Reserve one page at P, 3P, 5P, 7P, 9P: the holes are [0,P-1], [2P,3P-1], ..., [10P, U64_MAX].
    for (let k = 0n; k < 5n; k++) addReserved(dev, ioas, (2n * k + 1n) * P, P);
    const expected = [0n, 2n, 4n, 6n, 8n].map((s) => ({ start: s * P, last: (s + 1n) * P - 1n }));
    expected.push({ start: 10n * P, last: U64_MAX });

    const buf = new Uint8Array(2 * 16);
    expectDoc(() => dev.ioasIovaRanges({ ioas_id: ioas, allowed_iovas: buf }), 'EMSGSIZE', HEADER.EMSGSIZE);
    assert.deepEqual([0, 1].map((i) => v73.IommuIovaRange.decode(buf, i * 16)), expected.slice(0, 2), 'the entries that fit are written');

    // ioasIovaRangesAll starts with room for 4, gets EMSGSIZE, and retries with the count the kernel asked for.
    const all = dev.ioasIovaRangesAll({ ioas_id: ioas });
    assert.equal(all.num_iovas, 6);
    assert.deepEqual(all.allowed_iovas, expected);
    assert.equal(all.out_iova_alignment, 1n);
  },

  'IOVA_RANGES: an unknown ioas_id is ENOENT (header text)'() {
    using dev = Iommufd.open();
    expectGeneral(() => dev.ioasIovaRanges({ ioas_id: NO_SUCH_ID, num_iovas: 0 }), 'ENOENT', 'IOMMU_IOAS_IOVA_RANGES');
    expectGeneral(() => dev.ioasIovaRangesAll({ ioas_id: 0 }), 'ENOENT');
  },

  'IOVA_RANGES: a mock domain narrows the ranges to the mock aperture (alignment 2048); detaching widens them again'() {
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const md = mockDomain(dev, ioas);
    assert.deepEqual(ranges(dev, ioas), { ranges: [{ start: APERTURE_START, last: APERTURE_LAST }], alignment: BigInt(test73.MOCK_PAGE_SIZE) });
    dev.destroy({ id: md.stdev });
    assert.deepEqual(ranges(dev, ioas), { ranges: FULL_RANGE, alignment: 1n });
  },

  // ---- IOMMU_IOAS_ALLOW_IOVAS ------------------------------------------------------------------------------

  'ALLOW_IOVAS: automatic MAPs land inside the allowed range; an empty list clears it'() {
    using mem = filledMemory(10);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    mockDomain(dev, ioas);
    const lo = APERTURE_START + P;
    const hi = APERTURE_START + 600n * P - 1n;
    const r = dev.ioasAllowIovas({ ioas_id: ioas, allowed_iovas: [{ start: lo, last: hi }] });
    assert.equal(r.num_iovas, 1, 'num_iovas is filled from the array');
    for (let i = 0; i < 10; i++) {
      const m = dev.ioasMap({ ioas_id: ioas, flags: W | R, user_va: mem.address + BigInt(i * PAGE), length: PAGE });
      assert.ok(m.iova >= lo && m.iova + P - 1n <= hi, `map ${i} at 0x${m.iova.toString(16)} is outside the allowed range`);
    }
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 10n * P);

    // While the range is allowed, nothing may be reserved inside it.
    expectErrno(() => addReserved(dev, ioas, lo + 100n * P, P), 'EADDRINUSE');
    const cleared = dev.ioasAllowIovas({ ioas_id: ioas, allowed_iovas: [] });
    assert.equal(cleared.num_iovas, 0);
    addReserved(dev, ioas, lo + 100n * P, P);
  },

  'ALLOW_IOVAS: start > last and overlapping ranges are EINVAL; an unknown IOAS is ENOENT'() {
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    expectGeneral(() => dev.ioasAllowIovas({ ioas_id: ioas, allowed_iovas: [{ start: 0x2000, last: 0x1000 }] }), 'EINVAL', 'IOMMU_IOAS_ALLOW_IOVAS');
    expectGeneral(
      () => dev.ioasAllowIovas({ ioas_id: ioas, allowed_iovas: [{ start: 0x1000, last: 0x2fff }, { start: 0x2000, last: 0x3fff }] }),
      'EINVAL',
    );
    expectGeneral(() => dev.ioasAllowIovas({ ioas_id: NO_SUCH_ID, allowed_iovas: [{ start: 0x1000, last: 0x1fff }] }), 'ENOENT');
    // Two disjoint ranges are fine.
    const ok = dev.ioasAllowIovas({ ioas_id: ioas, allowed_iovas: [{ start: 0x1000, last: 0x1fff }, { start: 0x4000, last: 0x4fff }] });
    assert.equal(ok.num_iovas, 2);
  },

  'ALLOW_IOVAS: a range outside the mock aperture, or over an ADD_RESERVED range, is EADDRINUSE'() {
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    addReserved(dev, ioas, BASE, P);
    expectDoc(() => dev.ioasAllowIovas({ ioas_id: ioas, allowed_iovas: [{ start: BASE - P, last: BASE + P - 1n }] }), 'EADDRINUSE', null);
    mockDomain(dev, ioas);
    expectDoc(
      () => dev.ioasAllowIovas({ ioas_id: ioas, allowed_iovas: [{ start: APERTURE_LAST + 1n, last: APERTURE_LAST + P }] }),
      'EADDRINUSE',
      null,
      'IOMMU_IOAS_ALLOW_IOVAS',
    );
    dev.ioasAllowIovas({ ioas_id: ioas, allowed_iovas: [{ start: APERTURE_START, last: APERTURE_LAST }] });
  },

  // ---- IOMMU_IOAS_MAP --------------------------------------------------------------------------------------

  'IOAS_MAP: a fixed IOVA maps Memory and MD_CHECK_MAP finds the same pages in the mock domain'() {
    using mem = filledMemory(4);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const md = mockDomain(dev, ioas);
    const r = dev.ioasMap({ ioas_id: ioas, flags: FIXED | W | R, user_va: mem, iova: APERTURE_START });
    assert.equal(r.length, 4n * P, 'length is filled from the Memory');
    assert.equal(r.iova, APERTURE_START);
    assert.equal(r.user_va, mem.address);
    checkMap(dev, md.hwpt, APERTURE_START, 4 * PAGE, mem.address);
    checkMap(dev, md.hwpt, APERTURE_START + 2n * P, PAGE, mem.address + 2n * P);
    // A different page is not what is mapped there.
    expectErrno(() => checkMap(dev, md.hwpt, APERTURE_START, PAGE, mem.address + P), 'EINVAL');
  },

  'IOAS_MAP: without FIXED the kernel chooses a non-zero, aligned IOVA inside the ranges'() {
    using mem = filledMemory(2);
    using dev = Iommufd.open();
    // No domain: anywhere but 0, page-aligned like the user VA.
    const plain = newIoas(dev);
    const a = dev.ioasMap({ ioas_id: plain, flags: W | R, user_va: mem });
    assert.notEqual(a.iova, 0n);
    assert.equal(a.iova % P, 0n, `iova 0x${a.iova.toString(16)}`);
    // A second automatic map of the same memory gets another IOVA.
    const b = dev.ioasMap({ ioas_id: plain, flags: W | R, user_va: mem });
    assert.ok(b.iova >= a.iova + 2n * P || b.iova + 2n * P <= a.iova, 'the two areas do not overlap');
    // With a mock domain: inside the aperture, and really mapped.
    const ioas = newIoas(dev);
    const md = mockDomain(dev, ioas);
    const c = dev.ioasMap({ ioas_id: ioas, flags: W | R, user_va: mem });
    assert.ok(c.iova >= APERTURE_START && c.iova + 2n * P - 1n <= APERTURE_LAST, `iova 0x${c.iova.toString(16)}`);
    checkMap(dev, md.hwpt, c.iova, 2 * PAGE, mem.address);
  },

  'IOAS_MAP: unaligned user_va, IOVA or length is EINVAL under a mock domain (alignment 2048)'() {
    using mem = filledMemory(2);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const md = mockDomain(dev, ioas);
    const fixed = { ioas_id: ioas, flags: FIXED | W | R };
    expectGeneral(() => dev.ioasMap({ ...fixed, user_va: mem.address + 1n, length: 2048, iova: APERTURE_START }), 'EINVAL', 'IOMMU_IOAS_MAP');
    expectGeneral(() => dev.ioasMap({ ...fixed, user_va: mem.address + 1024n, length: 2048, iova: APERTURE_START }), 'EINVAL');
    expectGeneral(() => dev.ioasMap({ ...fixed, user_va: mem.address, length: PAGE, iova: APERTURE_START + 1n }), 'EINVAL');
    expectGeneral(() => dev.ioasMap({ ...fixed, user_va: mem.address, length: 1000, iova: APERTURE_START }), 'EINVAL');
    // Without FIXED the same user_va is refused too.
    expectGeneral(() => dev.ioasMap({ ioas_id: ioas, flags: W | R, user_va: mem.address + 1n, length: 2048 }), 'EINVAL');
    // Offsets that are multiples of 2048 are fine.
    dev.ioasMap({ ...fixed, user_va: mem.address + 2048n, length: 2048, iova: APERTURE_START + 2048n });
    checkMap(dev, md.hwpt, APERTURE_START + 2048n, 2048, mem.address + 2048n);
  },

  'IOAS_MAP: a fixed range overlapping an existing area is EEXIST'() {
    using mem = filledMemory(2);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const fixed = { ioas_id: ioas, flags: FIXED | W | R, user_va: mem };
    dev.ioasMap({ ...fixed, iova: BASE });
    expectDoc(() => dev.ioasMap({ ...fixed, iova: BASE }), 'EEXIST', null, 'IOMMU_IOAS_MAP');
    expectDoc(() => dev.ioasMap({ ...fixed, iova: BASE + P }), 'EEXIST', null);
    expectDoc(() => dev.ioasMap({ ...fixed, iova: BASE - P }), 'EEXIST', null);
    // Right after the area is free.
    dev.ioasMap({ ...fixed, iova: BASE + 2n * P });
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 4n * P);
  },

  'IOAS_MAP: bad flags, length 0, overflow, unknown IOAS, IOVA outside the aperture and unmapped user memory fail as documented'() {
    using mem = filledMemory(1);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const arg = { ioas_id: ioas, user_va: mem.address, length: PAGE, iova: BASE };
    expectGeneral(() => dev.ioasMap({ ...arg, flags: FIXED }), 'EINVAL', 'IOMMU_IOAS_MAP'); // neither READABLE nor WRITEABLE
    expectGeneral(() => dev.ioasMap({ ...arg, flags: FIXED | W | R | 8 }), 'EOPNOTSUPP');
    expectGeneral(() => dev.ioasMap({ ...arg, flags: FIXED | W | R, length: 0 }), 'EINVAL');
    expectGeneral(() => dev.ioasMap({ ...arg, flags: FIXED | W | R, iova: U64_MAX }), 'EOVERFLOW');
    expectGeneral(() => dev.ioasMap({ ...arg, flags: W | R, length: U64_MAX }), 'EOVERFLOW');
    expectGeneral(() => dev.ioasMap({ ...arg, flags: FIXED | W | R, ioas_id: NO_SUCH_ID }), 'ENOENT');
    // Nothing above left an area behind.
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 0n);

    const md = mockDomain(dev, ioas);
    assert.ok(md.hwpt > 0);
    // BASE (1 MiB) is below the mock aperture, which the domain reserved.
    expectGeneral(() => dev.ioasMap({ ...arg, flags: FIXED | W | R }), 'EINVAL');
    // User memory that is not mapped (below mmap_min_addr) cannot be pinned into the domain.
    expectDoc(() => dev.ioasMap({ ...arg, flags: FIXED | W | R, user_va: 0x1000n, iova: APERTURE_START }), 'EFAULT', null);
  },

  'IOAS_MAP: a length beyond the given Memory is refused before the call (RangeError)'() {
    using mem = filledMemory(1);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    assert.throws(() => dev.ioasMap({ ioas_id: ioas, flags: W | R, user_va: mem, length: 2 * PAGE }), RangeError);
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 0n);
  },

  // ---- IOMMU_IOAS_UNMAP ------------------------------------------------------------------------------------

  'IOAS_UNMAP: unmapping exactly a mapped range returns its length'() {
    using mem = filledMemory(3);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    dev.ioasMap({ ioas_id: ioas, flags: FIXED | W | R, user_va: mem, iova: BASE });
    const r = dev.ioasUnmap({ ioas_id: ioas, iova: BASE, length: 3n * P });
    assert.equal(r.length, 3n * P);
    assert.equal(r.iova, BASE);
    expectGeneral(() => dev.ioasUnmap({ ioas_id: ioas, iova: BASE, length: 3n * P }), 'ENOENT', 'IOMMU_IOAS_UNMAP');
  },

  'IOAS_UNMAP: iova 0 with length U64_MAX unmaps everything and returns the total'() {
    using mem = filledMemory(3);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 0n, 'an empty IOAS: 0 bytes');
    dev.ioasMap({ ioas_id: ioas, flags: FIXED | W | R, user_va: mem.address, length: PAGE, iova: BASE });
    dev.ioasMap({ ioas_id: ioas, flags: FIXED | W | R, user_va: mem.address, length: 2 * PAGE, iova: 2n * BASE });
    dev.ioasMap({ ioas_id: ioas, flags: W | R, user_va: mem });
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 6n * P);
    // All gone: the same fixed map works again.
    dev.ioasMap({ ioas_id: ioas, flags: FIXED | W | R, user_va: mem.address, length: PAGE, iova: BASE });
  },

  'IOAS_UNMAP: an unmapped range, a split of an area or an unknown IOAS is ENOENT; length 0 is EINVAL; overflow is EOVERFLOW'() {
    using mem = filledMemory(2);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    expectGeneral(() => dev.ioasUnmap({ ioas_id: ioas, iova: BASE, length: P }), 'ENOENT', 'IOMMU_IOAS_UNMAP');
    dev.ioasMap({ ioas_id: ioas, flags: FIXED | W | R, user_va: mem, iova: BASE });
    expectGeneral(() => dev.ioasUnmap({ ioas_id: ioas, iova: BASE, length: P }), 'ENOENT'); // half the area
    expectGeneral(() => dev.ioasUnmap({ ioas_id: ioas, iova: BASE + P, length: P }), 'ENOENT');
    expectGeneral(() => dev.ioasUnmap({ ioas_id: NO_SUCH_ID, iova: BASE, length: 2n * P }), 'ENOENT');
    expectGeneral(() => dev.ioasUnmap({ ioas_id: ioas, iova: BASE, length: 0 }), 'EINVAL');
    expectGeneral(() => dev.ioasUnmap({ ioas_id: ioas, iova: U64_MAX, length: P }), 'EOVERFLOW');
    expectGeneral(() => dev.ioasUnmap({ ioas_id: ioas, iova: BASE, length: U64_MAX }), 'EOVERFLOW');
    // The area survived all of that.
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: BASE, length: 2n * P }).length, 2n * P);
  },

  // ---- IOMMU_IOAS_COPY -------------------------------------------------------------------------------------

  'IOAS_COPY: within one IOAS, to a fixed IOVA and to a kernel-chosen one'() {
    using mem = filledMemory(1);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    dev.ioasMap({ ioas_id: ioas, flags: FIXED | W | R, user_va: mem, iova: BASE });
    const fixed = dev.ioasCopy({ flags: FIXED | W, dst_ioas_id: ioas, src_ioas_id: ioas, length: P, src_iova: BASE, dst_iova: BASE + P });
    assert.equal(fixed.dst_iova, BASE + P);
    const auto = dev.ioasCopy({ flags: W | R, dst_ioas_id: ioas, src_ioas_id: ioas, length: P, src_iova: BASE });
    assert.notEqual(auto.dst_iova, 0n);
    assert.ok(auto.dst_iova + P <= BASE || auto.dst_iova >= BASE + 2n * P, `dst_iova 0x${auto.dst_iova.toString(16)}`);
    // Each copy is an area of its own.
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: auto.dst_iova, length: P }).length, P);
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 2n * P);
  },

  'IOAS_COPY: a mapping copied into a second IOAS is the same memory (MD_CHECK_MAP in both mock domains)'() {
    using mem = filledMemory(4);
    using dev = Iommufd.open();
    const src = newIoas(dev);
    const dst = newIoas(dev);
    const a = mockDomain(dev, src);
    const b = mockDomain(dev, dst);
    assert.notEqual(a.hwpt, b.hwpt, 'each IOAS has its own automatic domain');
    dev.ioasMap({ ioas_id: src, flags: FIXED | W | R, user_va: mem, iova: APERTURE_START });
    checkMap(dev, a.hwpt, APERTURE_START, 4 * PAGE, mem.address);
    const to = APERTURE_START + 0x100000n;
    const r = dev.ioasCopy({ flags: FIXED | W | R, dst_ioas_id: dst, src_ioas_id: src, length: 4n * P, src_iova: APERTURE_START, dst_iova: to });
    assert.equal(r.dst_iova, to);
    checkMap(dev, b.hwpt, to, 4 * PAGE, mem.address);
    // The copy does not depend on the source area.
    dev.ioasUnmap({ ioas_id: src, iova: 0, length: U64_MAX });
    checkMap(dev, b.hwpt, to + P, 3 * PAGE, mem.address + P);
    // A plain copy into a fresh IOAS with no domain, at IOVA 0.
    dev.ioasMap({ ioas_id: dst, flags: FIXED | W | R, user_va: mem.address, length: P, iova: APERTURE_START });
    const fresh = newIoas(dev);
    dev.ioasCopy({ flags: FIXED | W | R, dst_ioas_id: fresh, src_ioas_id: dst, length: P, src_iova: APERTURE_START, dst_iova: 0 });
    assert.equal(dev.ioasUnmap({ ioas_id: fresh, iova: 0, length: P }).length, P);
  },

  'IOAS_COPY: an unmapped source, bad flags, length 0, overflow, an occupied destination and unknown IOASes fail as documented'() {
    using mem = filledMemory(1);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const other = newIoas(dev);
    dev.ioasMap({ ioas_id: ioas, flags: FIXED | W | R, user_va: mem, iova: BASE });
    const arg = { flags: FIXED | W | R, dst_ioas_id: other, src_ioas_id: ioas, length: P, src_iova: BASE, dst_iova: BASE };
    expectGeneral(() => dev.ioasCopy({ ...arg, src_iova: BASE + 16n * P }), 'ENOENT', 'IOMMU_IOAS_COPY');
    expectGeneral(() => dev.ioasCopy({ ...arg, length: 2n * P }), 'ENOENT'); // only half covered
    expectGeneral(() => dev.ioasCopy({ ...arg, flags: FIXED }), 'EINVAL');
    expectGeneral(() => dev.ioasCopy({ ...arg, length: 0 }), 'EINVAL');
    expectGeneral(() => dev.ioasCopy({ ...arg, flags: FIXED | W | R | 8 }), 'EOPNOTSUPP');
    expectGeneral(() => dev.ioasCopy({ ...arg, src_iova: U64_MAX }), 'EOVERFLOW');
    expectGeneral(() => dev.ioasCopy({ ...arg, dst_iova: U64_MAX }), 'EOVERFLOW');
    expectGeneral(() => dev.ioasCopy({ ...arg, src_ioas_id: NO_SUCH_ID }), 'ENOENT');
    expectGeneral(() => dev.ioasCopy({ ...arg, dst_ioas_id: NO_SUCH_ID }), 'ENOENT');
    expectDoc(() => dev.ioasCopy({ ...arg, dst_ioas_id: ioas }), 'EEXIST', null); // onto the source area itself
    dev.ioasCopy(arg);
    expectDoc(() => dev.ioasCopy(arg), 'EEXIST', null);
  },

  // ---- IOMMU_OPTION ----------------------------------------------------------------------------------------

  'OPTION: RLIMIT_MODE reads 0 on a fresh fd; root sets 1, reads 1, sets 0 back'() {
    using dev = Iommufd.open();
    assert.equal(dev.option({ option_id: RLIMIT_MODE, op: GET }).val64, 0n);
    dev.option({ option_id: RLIMIT_MODE, op: SET, val64: 1 });
    assert.equal(dev.option({ option_id: RLIMIT_MODE, op: GET }).val64, 1n);
    dev.option({ option_id: RLIMIT_MODE, op: SET, val64: 0 });
    assert.equal(dev.option({ option_id: RLIMIT_MODE, op: GET }).val64, 0n);
    // It belongs to the fd: another fd still reads 0 while this one is 1.
    dev.option({ option_id: RLIMIT_MODE, op: SET, val64: 1 });
    {
      using other = Iommufd.open();
      assert.equal(other.option({ option_id: RLIMIT_MODE, op: GET }).val64, 0n);
    }
    dev.option({ option_id: RLIMIT_MODE, op: SET, val64: 0 });
  },

  'OPTION: RLIMIT_MODE SET 2 is EINVAL, object_id ≠ 0 is EOPNOTSUPP, SET with an object present is EBUSY'() {
    using dev = Iommufd.open();
    expectGeneral(() => dev.option({ option_id: RLIMIT_MODE, op: SET, val64: 2 }), 'EINVAL', 'IOMMU_OPTION');
    expectGeneral(() => dev.option({ option_id: RLIMIT_MODE, op: GET, object_id: 1 }), 'EOPNOTSUPP');
    newIoas(dev);
    expectDoc(() => dev.option({ option_id: RLIMIT_MODE, op: SET, val64: 1 }), 'EBUSY', null, 'IOMMU_OPTION');
    assert.equal(dev.option({ option_id: RLIMIT_MODE, op: GET }).val64, 0n, 'GET still works');
  },

  'OPTION: HUGE_PAGES is per IOAS: 1, SET 0 (alignment becomes PAGE_SIZE), 0, the other IOAS still 1, SET 1'() {
    using dev = Iommufd.open();
    const a = newIoas(dev);
    const b = newIoas(dev);
    const get = (id: number): bigint => dev.option({ option_id: HUGE_PAGES, op: GET, object_id: id }).val64;
    assert.equal(get(a), 1n);
    dev.option({ option_id: HUGE_PAGES, op: SET, object_id: a, val64: 0 });
    assert.equal(get(a), 0n);
    assert.equal(get(b), 1n);
    assert.equal(ranges(dev, a).alignment, P);
    assert.equal(ranges(dev, b).alignment, 1n);
    dev.option({ option_id: HUGE_PAGES, op: SET, object_id: a, val64: 1 });
    assert.equal(get(a), 1n);
    assert.equal(ranges(dev, a).alignment, 1n);
  },

  'OPTION: unknown option_id or op is EOPNOTSUPP; HUGE_PAGES on id 0 or an unknown id is ENOENT; SET 2 is EINVAL'() {
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    expectGeneral(() => dev.option({ option_id: 2, op: GET }), 'EOPNOTSUPP', 'IOMMU_OPTION');
    expectGeneral(() => dev.option({ option_id: HUGE_PAGES, op: 2, object_id: ioas }), 'EOPNOTSUPP');
    expectGeneral(() => dev.option({ option_id: RLIMIT_MODE, op: 2 }), 'EOPNOTSUPP');
    expectGeneral(() => dev.option({ option_id: HUGE_PAGES, op: GET, object_id: 0 }), 'ENOENT');
    expectGeneral(() => dev.option({ option_id: HUGE_PAGES, op: SET, object_id: NO_SUCH_ID, val64: 0 }), 'ENOENT');
    expectGeneral(() => dev.option({ option_id: HUGE_PAGES, op: SET, object_id: ioas, val64: 2 }), 'EINVAL');
    assert.equal(dev.option({ option_id: HUGE_PAGES, op: GET, object_id: ioas }).val64, 1n);
  },

  // ---- IOMMU_VFIO_IOAS -------------------------------------------------------------------------------------

  'VFIO_IOAS: GET without a compat IOAS is ENODEV; SET, GET returns it, CLEAR, GET is ENODEV again'() {
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const { IOMMU_VFIO_IOAS_GET: VGET, IOMMU_VFIO_IOAS_SET: VSET, IOMMU_VFIO_IOAS_CLEAR: VCLEAR } = v73;
    expectDoc(() => dev.vfioIoas({ op: VGET }), 'ENODEV', null, 'IOMMU_VFIO_IOAS');
    dev.vfioIoas({ op: VSET, ioas_id: ioas });
    assert.equal(dev.vfioIoas({ op: VGET }).ioas_id, ioas);
    // SET replaces it.
    const other = newIoas(dev);
    dev.vfioIoas({ op: VSET, ioas_id: other });
    assert.equal(dev.vfioIoas({ op: VGET }).ioas_id, other);
    dev.vfioIoas({ op: VCLEAR });
    expectDoc(() => dev.vfioIoas({ op: VGET }), 'ENODEV', null);
  },

  'VFIO_IOAS: SET of an unknown id is ENOENT; op 3 is EOPNOTSUPP'() {
    using dev = Iommufd.open();
    expectGeneral(() => dev.vfioIoas({ op: v73.IOMMU_VFIO_IOAS_SET, ioas_id: 0 }), 'ENOENT', 'IOMMU_VFIO_IOAS');
    expectGeneral(() => dev.vfioIoas({ op: v73.IOMMU_VFIO_IOAS_SET, ioas_id: NO_SUCH_ID }), 'ENOENT');
    expectGeneral(() => dev.vfioIoas({ op: 3 }), 'EOPNOTSUPP');
  },

  // ---- IOMMU_IOAS_MAP_FILE ---------------------------------------------------------------------------------

  'IOAS_MAP_FILE: memfd pages map (kernel-chosen and fixed IOVA) and MD_CHECK_MAP matches the memfd mmap'() {
    using mfd = new Memfd(16 * PAGE);
    using map = new SharedMapping(mfd.fd, 16 * PAGE);
    for (let i = 0; i < map.length; i += 64) map.bytes[i] = i / 64;
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const md = mockDomain(dev, ioas);
    const r = dev.ioasMapFile({ ioas_id: ioas, flags: W | R, fd: mfd.fd, start: 0, length: PAGE });
    assert.equal(r.fd, mfd.fd);
    assert.ok(r.iova >= APERTURE_START && r.iova + P - 1n <= APERTURE_LAST, `iova 0x${r.iova.toString(16)}`);
    checkMap(dev, md.hwpt, r.iova, PAGE, map.address);
    const at = APERTURE_START + 0x200000n;
    const f = dev.ioasMapFile({ ioas_id: ioas, flags: FIXED | W | R, fd: mfd.fd, start: 3n * P, length: 2n * P, iova: at });
    assert.equal(f.iova, at);
    checkMap(dev, md.hwpt, at, 2 * PAGE, map.address + 3n * P);
    expectErrno(() => checkMap(dev, md.hwpt, at, PAGE, map.address), 'EINVAL');
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 3n * P);
  },

  'IOAS_MAP_FILE: a bad fd, bad flags, length 0, overflow and a range past EOF fail as documented'() {
    using mfd = new Memfd(16 * PAGE);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const arg = { ioas_id: ioas, flags: W | R, fd: mfd.fd, start: 0, length: PAGE };
    expectDoc(() => dev.ioasMapFile({ ...arg, fd: NO_SUCH_FD }), 'EBADF', null, 'IOMMU_IOAS_MAP_FILE');
    expectGeneral(() => dev.ioasMapFile({ ...arg, flags: 0 }), 'EINVAL');
    expectGeneral(() => dev.ioasMapFile({ ...arg, flags: W | R | 8 }), 'EOPNOTSUPP');
    expectGeneral(() => dev.ioasMapFile({ ...arg, length: 0 }), 'EINVAL');
    expectGeneral(() => dev.ioasMapFile({ ...arg, flags: FIXED | W | R, iova: U64_MAX }), 'EOVERFLOW');
    expectGeneral(() => dev.ioasMapFile({ ...arg, start: U64_MAX - P + 2n }), 'EOVERFLOW'); // start+length-1 wraps
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 0n);
    // Past the end of the file, once a domain pins the pages.
    const md = mockDomain(dev, ioas);
    assert.ok(md.hwpt > 0);
    expectGeneral(() => dev.ioasMapFile({ ...arg, length: 17n * P }), 'EINVAL');
    mfd.truncate(0);
    expectGeneral(() => dev.ioasMapFile(arg), 'EINVAL');
  },

  // ---- IOMMU_IOAS_CHANGE_PROCESS ---------------------------------------------------------------------------

  'IOAS_CHANGE_PROCESS: succeeds with no areas and with only MAP_FILE areas (pinned by a mock domain)'() {
    using mfd = new Memfd(4 * PAGE);
    using dev = Iommufd.open();
    const r = dev.ioasChangeProcess();
    assert.equal(r.size, 8);
    const ioas = newIoas(dev);
    mockDomain(dev, ioas);
    dev.ioasMapFile({ ioas_id: ioas, flags: W | R, fd: mfd.fd, start: 0, length: 4n * P });
    const other = newIoas(dev);
    dev.ioasMapFile({ ioas_id: other, flags: W | R, fd: mfd.fd, start: P, length: P });
    dev.ioasChangeProcess();
    // The areas are intact.
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 4n * P);
  },

  'IOAS_CHANGE_PROCESS: a plain IOAS_MAP area in any IOAS makes it EINVAL (header text)'() {
    using mfd = new Memfd(PAGE);
    using mem = filledMemory(1);
    using dev = Iommufd.open();
    const a = newIoas(dev);
    dev.ioasMapFile({ ioas_id: a, flags: W | R, fd: mfd.fd, start: 0, length: P });
    const b = newIoas(dev);
    dev.ioasMap({ ioas_id: b, flags: FIXED | W | R, user_va: mem, iova: BASE });
    expectDoc(() => dev.ioasChangeProcess(), 'EINVAL', HEADER.CHANGE_PROCESS_EINVAL, 'IOMMU_IOAS_CHANGE_PROCESS');
    dev.ioasUnmap({ ioas_id: b, iova: BASE, length: P });
    dev.ioasChangeProcess();
  },

  // ---- IOMMU_IOAS_NOIOMMU_GET_PA (failures only) ----------------------------------------------------------

  'IOAS_NOIOMMU_GET_PA: flags, length 0, overflow, unknown IOAS, unmapped IOVA, and areas without a no-IOMMU domain fail as documented'() {
    using mem = filledMemory(1);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const arg = { ioas_id: ioas, iova: BASE, length: P };
    // Root has CAP_SYS_RAWIO, so the EPERM check passes and the argument checks follow, in the kernel's order.
    expectGeneral(() => dev.ioasNoiommuGetPa({ ...arg, flags: 1 }), 'EOPNOTSUPP', 'IOMMU_IOAS_NOIOMMU_GET_PA');
    expectGeneral(() => dev.ioasNoiommuGetPa({ ...arg, length: 0 }), 'EINVAL');
    expectGeneral(() => dev.ioasNoiommuGetPa({ ...arg, iova: U64_MAX }), 'EOVERFLOW');
    expectGeneral(() => dev.ioasNoiommuGetPa({ ...arg, ioas_id: NO_SUCH_ID }), 'ENOENT');
    expectGeneral(() => dev.ioasNoiommuGetPa(arg), 'ENOENT'); // nothing mapped at BASE
    dev.ioasMap({ ioas_id: ioas, flags: FIXED | W | R, user_va: mem, iova: BASE });
    expectGeneral(() => dev.ioasNoiommuGetPa(arg), 'EOPNOTSUPP'); // mapped, but no no-IOMMU storage domain
    const withDomain = newIoas(dev);
    mockDomain(dev, withDomain);
    dev.ioasMap({ ioas_id: withDomain, flags: FIXED | W | R, user_va: mem, iova: APERTURE_START });
    expectGeneral(() => dev.ioasNoiommuGetPa({ ...arg, ioas_id: withDomain, iova: APERTURE_START }), 'EOPNOTSUPP');
  },

  // ---- General ioctl format (hand-built arguments through ioctlRaw) ----------------------------------------

  'ABI: a size past sizeof with an all-zero tail is accepted and behaves as sizeof (MAP, IOVA_RANGES, OPTION, DESTROY)'() {
    using mem = filledMemory(1);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const map = rawArg(v73.IommuIoasMap, { ioas_id: ioas, flags: FIXED | W | R, user_va: mem.address, length: PAGE, iova: BASE }, 64);
    assert.equal(dev.ioctlRaw(v73.IOMMU_IOAS_MAP, map), 0);
    assert.equal(v73.IommuIoasMap.decode(map).iova, BASE);
    assert.ok(map.subarray(40).every((b) => b === 0), 'the tail is not written');
    expectDoc(() => dev.ioasMap({ ioas_id: ioas, flags: FIXED | W | R, user_va: mem, iova: BASE }), 'EEXIST', null);

    const out = new Uint8Array(16);
    const iova = rawArg(v73.IommuIoasIovaRanges, { ioas_id: ioas, num_iovas: 1, allowed_iovas: addressOf(out) }, 40);
    assert.equal(dev.ioctlRaw(v73.IOMMU_IOAS_IOVA_RANGES, iova), 0);
    assert.equal(v73.IommuIoasIovaRanges.decode(iova).num_iovas, 1);
    assert.deepEqual(v73.IommuIovaRange.decode(out), { start: 0n, last: U64_MAX });

    const opt = rawArg(v73.IommuOption, { option_id: HUGE_PAGES, op: GET, object_id: ioas }, 4096);
    assert.equal(dev.ioctlRaw(v73.IOMMU_OPTION, opt), 0);
    assert.equal(v73.IommuOption.decode(opt).val64, 1n);

    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: BASE, length: P }).length, P);
    assert.equal(dev.ioctlRaw(v73.IOMMU_DESTROY, rawArg(v73.IommuDestroy, { id: ioas }, 16)), 0);
    expectGeneral(() => dev.destroy({ id: ioas }), 'ENOENT');
  },

  'ABI: a non-zero byte past sizeof is E2BIG, for every IOAS ioctl'() {
    using dev = Iommufd.open();
    for (const [name, request, size] of SIZES) {
      const bytes = new Uint8Array(size + 8);
      new DataView(bytes.buffer).setUint32(0, size + 8, true);
      bytes[size + 7] = 1;
      const err = expectErrno(() => dev.ioctlRaw(request, bytes, name), 'E2BIG');
      assert.equal(err.ioctl, name);
      assert.equal(err.errno, 7);
      assert.equal(err.meaning, null, 'ioctlRaw has no meaning table');
    }
  },

  'ABI: a size one below the minimum is EINVAL, for every IOAS ioctl'() {
    using dev = Iommufd.open();
    for (const [name, request, size] of SIZES) {
      // As in the plan: min-1, with a 0xff right after the struct that the kernel must not read.
      const bytes = new Uint8Array(size + 1);
      new DataView(bytes.buffer).setUint32(0, size - 1, true);
      bytes[size] = 0xff;
      expectErrno(() => dev.ioctlRaw(request, bytes, name), 'EINVAL');
    }
  },

  'ABI: a non-zero __reserved is EOPNOTSUPP (IOVA_RANGES, ALLOW_IOVAS, MAP, OPTION, VFIO_IOAS, CHANGE_PROCESS, NOIOMMU_GET_PA)'() {
    using mem = filledMemory(1);
    using dev = Iommufd.open();
    const ioas = newIoas(dev);
    const cases: [string, number, Uint8Array, { offset: number; size: number }][] = [
      ['IOVA_RANGES', v73.IOMMU_IOAS_IOVA_RANGES, v73.IommuIoasIovaRanges.encode({ size: 32, ioas_id: ioas }), v73.IommuIoasIovaRanges.fields.__reserved],
      ['ALLOW_IOVAS', v73.IOMMU_IOAS_ALLOW_IOVAS, v73.IommuIoasAllowIovas.encode({ size: 24, ioas_id: ioas }), v73.IommuIoasAllowIovas.fields.__reserved],
      [
        'MAP',
        v73.IOMMU_IOAS_MAP,
        v73.IommuIoasMap.encode({ size: 40, ioas_id: ioas, flags: FIXED | W | R, user_va: mem.address, length: PAGE, iova: BASE }),
        v73.IommuIoasMap.fields.__reserved,
      ],
      ['OPTION', v73.IOMMU_OPTION, v73.IommuOption.encode({ size: 24, option_id: RLIMIT_MODE, op: GET }), v73.IommuOption.fields.__reserved],
      ['VFIO_IOAS', v73.IOMMU_VFIO_IOAS, v73.IommuVfioIoas.encode({ size: 12, op: v73.IOMMU_VFIO_IOAS_SET, ioas_id: ioas }), v73.IommuVfioIoas.fields.__reserved],
      ['CHANGE_PROCESS', v73.IOMMU_IOAS_CHANGE_PROCESS, v73.IommuIoasChangeProcess.encode({ size: 8 }), v73.IommuIoasChangeProcess.fields.__reserved],
      [
        'NOIOMMU_GET_PA',
        v73.IOMMU_IOAS_NOIOMMU_GET_PA,
        v73.IommuIoasNoiommuGetPa.encode({ size: 40, ioas_id: ioas, iova: BASE, length: PAGE }),
        v73.IommuIoasNoiommuGetPa.fields.__reserved,
      ],
    ];
    for (const [name, request, bytes, field] of cases) {
      setField(bytes, field, 1);
      expectErrno(() => dev.ioctlRaw(request, bytes, name), 'EOPNOTSUPP');
    }
    // The MAP above made no area, and the VFIO_IOAS SET set no compat IOAS.
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, 0n);
    expectDoc(() => dev.vfioIoas({ op: v73.IOMMU_VFIO_IOAS_GET }), 'ENODEV', null);
  },
};

/** The IOAS ioctls with their struct size, which is also their minimum size (plan §1.1). */
const SIZES: readonly (readonly [string, number, number])[] = [
  ['IOMMU_DESTROY', v73.IOMMU_DESTROY, v73.IommuDestroy.size],
  ['IOMMU_IOAS_ALLOC', v73.IOMMU_IOAS_ALLOC, v73.IommuIoasAlloc.size],
  ['IOMMU_IOAS_ALLOW_IOVAS', v73.IOMMU_IOAS_ALLOW_IOVAS, v73.IommuIoasAllowIovas.size],
  ['IOMMU_IOAS_COPY', v73.IOMMU_IOAS_COPY, v73.IommuIoasCopy.size],
  ['IOMMU_IOAS_IOVA_RANGES', v73.IOMMU_IOAS_IOVA_RANGES, v73.IommuIoasIovaRanges.size],
  ['IOMMU_IOAS_MAP', v73.IOMMU_IOAS_MAP, v73.IommuIoasMap.size],
  ['IOMMU_IOAS_UNMAP', v73.IOMMU_IOAS_UNMAP, v73.IommuIoasUnmap.size],
  ['IOMMU_OPTION', v73.IOMMU_OPTION, v73.IommuOption.size],
  ['IOMMU_VFIO_IOAS', v73.IOMMU_VFIO_IOAS, v73.IommuVfioIoas.size],
  ['IOMMU_IOAS_MAP_FILE', v73.IOMMU_IOAS_MAP_FILE, v73.IommuIoasMapFile.size],
  ['IOMMU_IOAS_CHANGE_PROCESS', v73.IOMMU_IOAS_CHANGE_PROCESS, v73.IommuIoasChangeProcess.size],
  ['IOMMU_IOAS_NOIOMMU_GET_PA', v73.IOMMU_IOAS_NOIOMMU_GET_PA, v73.IommuIoasNoiommuGetPa.size],
];
