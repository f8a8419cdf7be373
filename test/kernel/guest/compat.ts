// Compatibility: the packages generated from the v6.6-rc1 and v6.12 headers run their ioctls against the 7.3 kernel.
//
// The header's "General ioctl format" DOC is the contract under test: the struct's size is in its first u32, and
// "the kernel checks that any structure space beyond what it understands is 0". So an old (smaller) struct must be
// accepted with the fields it lacks read as 0 and nothing written past its size, a newer (larger) struct must be
// accepted when the part the kernel does not know is all zero, and refused with E2BIG when it is not. The kernel's
// side of this is main.c iommufd_fops_ioctl() (min_size check, copy_struct_from_user()) and iommufd_ucmd_respond()
// (copies back min(user size, kernel sizeof)); see docs/kernel-test-plan.md §1 and §6.
//
// What the file covers:
// - every ioctl method of the v6.6-rc1 and the v6.12 package, called through that package on a 7.3 /dev/iommu, at
//   least once with success and once with a documented failure whose `.meaning` is checked against the text of
//   that package's own header (parsed here from headers/<version>/linux/iommufd.h, not from the generated table);
//   the last test checks that nothing was left out (the list comes from each package's `errnoMeanings`/`ioctls`);
// - the two structs that grew (iommu_hwpt_alloc 24 → 48, iommu_hw_info 32 → 40): old size accepted, missing fields
//   read as 0, and guard bytes past the old size neither read nor written (ioctlRaw on the same fd);
// - the extension rule with the 7.3 structs, both ways, for every ioctl of the v7.3 header and IOMMU_TEST_CMD;
// - objects made through one package used through another on the same fd.
// Devices are mock devices from IOMMU_TEST_CMD (the test73 package) on the same fd.
import assert from 'node:assert/strict';
import { closeSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addressOf, expectErrno, test73, v612, v66rc1, v73, type IoctlErrorLike, type Tests } from './lib.js';

// ---- the headers' own errno text ---------------------------------------------------------------------------

type Label = 'v6.6-rc1' | 'v6.12';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const headerText = (version: string): string => readFileSync(path.join(root, 'headers', version, 'linux/iommufd.h'), 'utf8');

/** The "ioctls use a standard meaning for common errnos" list of the header's "General ioctl format" DOC section. */
function generalErrnos(header: string): Map<string, string> {
  const start = header.indexOf('DOC: General ioctl format');
  assert.ok(start >= 0, 'the header has a "General ioctl format" DOC section');
  const doc = header.slice(start, header.indexOf('*/', start));
  const out = new Map<string, string>();
  let current: { code: string; text: string[] } | null = null;
  const flush = (): void => {
    if (current) out.set(current.code, current.text.join(' '));
    current = null;
  };
  for (const raw of doc.split('\n')) {
    const line = raw.replace(/^\s*\*\s?/, '');
    const item = /^\s*-\s*(E[A-Z0-9]+):\s*(.*)$/.exec(line);
    if (item) {
      flush();
      current = { code: item[1]!, text: [item[2]!.trim()] };
    } else if (current && /^\s{2,}\S/.test(line)) current.text.push(line.trim());
    else flush();
  }
  flush();
  return out;
}

const normalise = (s: string): string => s.replace(/\s*\n\s*\*\s*/g, ' ').replace(/\s+/g, ' ');

const headers: Record<Label, { text: string; flat: string; general: Map<string, string> }> = {
  'v6.6-rc1': (() => {
    const text = headerText('v6.6-rc1');
    return { text, flat: normalise(text), general: generalErrnos(text) };
  })(),
  'v6.12': (() => {
    const text = headerText('v6.12');
    return { text, flat: normalise(text), general: generalErrnos(text) };
  })(),
};

// ---- bookkeeping: which ioctl of which package succeeded / failed as documented ----------------------------

const usage = new Map<string, { ok: number; errnos: Map<string, number> }>();
/** `${label} ${method}` of every method that returned. */
const methodsCalled = new Set<string>();
function use(label: Label, ioctl: string): { ok: number; errnos: Map<string, number> } {
  const key = `${label} ${ioctl}`;
  let u = usage.get(key);
  if (!u) usage.set(key, (u = { ok: 0, errnos: new Map() }));
  return u;
}

/** `ioasIovaRanges` → `IOMMU_IOAS_IOVA_RANGES` (the naming rule of the generated methods, read backwards). */
const ioctlOfMethod = (method: string): string => `IOMMU_${method.replace(/All$/, '').replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/**
 * The handle, with every ioctl method counted when it returns. The methods run on the real object (`this` must
 * be the handle itself: the runtime keeps its state in #private fields).
 */
function track<T extends object>(label: Label, ioctlNames: readonly string[], dev: T): T {
  return new Proxy(dev, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      const fn = v as (...a: unknown[]) => unknown;
      const ioctl = typeof prop === 'string' ? ioctlOfMethod(prop) : '';
      if (!ioctlNames.includes(ioctl)) return fn.bind(target);
      return (...args: unknown[]): unknown => {
        const r = fn.apply(target, args);
        use(label, ioctl).ok++;
        methodsCalled.add(`${label} ${String(prop)}`);
        return r;
      };
    },
  });
}

const names66 = Object.keys(v66rc1.errnoMeanings);
const names612 = Object.keys(v612.errnoMeanings);
const open66 = (): v66rc1.Iommufd => track('v6.6-rc1', names66, v66rc1.Iommufd.open());
const open612 = (): v612.Iommufd => track('v6.12', names612, v612.Iommufd.open());
const on66 = (fd: number): v66rc1.Iommufd => track('v6.6-rc1', names66, v66rc1.Iommufd.fromFd(fd));
const on612 = (fd: number): v612.Iommufd => track('v6.12', names612, v612.Iommufd.fromFd(fd));

/**
 * `fn` must fail with `code`, and the error's `.meaning` must be what `label`'s header says: the DOC's general
 * text for the common errnos; otherwise a sentence of the header that names the errno, or null if the header
 * never mentions it.
 */
function expectDocumented(label: Label, fn: () => unknown, code: string): IoctlErrorLike {
  const err = expectErrno(fn, code);
  const h = headers[label];
  const general = h.general.get(code);
  if (general !== undefined) assert.equal(err.meaning, general, `${err.ioctl} ${code}: .meaning is the ${label} header's text`);
  else if (!h.text.includes(code)) assert.equal(err.meaning, null, `${err.ioctl} ${code}: the ${label} header does not document ${code}`);
  else {
    assert.ok(err.meaning !== null, `${err.ioctl} ${code}: the ${label} header mentions ${code}, but .meaning is null`);
    assert.ok(err.meaning.includes(code) && h.flat.includes(err.meaning), `${err.ioctl} ${code}: "${err.meaning}" is not a sentence of the ${label} header`);
  }
  const u = use(label, err.ioctl);
  u.errnos.set(code, (u.errnos.get(code) ?? 0) + 1);
  return err;
}

// ---- helpers -----------------------------------------------------------------------------------------------

const U64_MAX = 0xffff_ffff_ffff_ffffn;
const PAGE = v73.pageSize;
const MAP_RW = v66rc1.IOMMU_IOAS_MAP_WRITEABLE | v66rc1.IOMMU_IOAS_MAP_READABLE;
const MAP_FIXED_RW = v66rc1.IOMMU_IOAS_MAP_FIXED_IOVA | MAP_RW;
const APERTURE = BigInt(test73.MOCK_APERTURE_START);

/** IOMMU_TEST_CMD on `fd` (through a handle that does not own it). */
function testCmd(fd: number, args: test73.TestCmdArgs): test73.IommuTestCmd {
  using t = test73.IommufdTest.fromFd(fd);
  return t.testCmd(args);
}

interface MockDevice {
  stdev: number;
  hwpt: number;
  idev: number;
}

/** A mock device attached to `ptId` (an IOAS or a paging HWPT) on `fd`; `devFlags` as MOCK_DOMAIN_FLAGS takes. */
function mockDevice(fd: number, ptId: number, devFlags = 0): MockDevice {
  const r = devFlags
    ? testCmd(fd, { op: test73.IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS, id: ptId, mock_domain_flags: { dev_flags: devFlags } }).mock_domain_flags
    : testCmd(fd, { op: test73.IOMMU_TEST_OP_MOCK_DOMAIN, id: ptId, mock_domain: {} }).mock_domain;
  assert.ok(r.out_stdev_id > 0 && r.out_hwpt_id > 0 && r.out_idev_id > 0, `mock device ${JSON.stringify(r)}`);
  return { stdev: r.out_stdev_id, hwpt: r.out_hwpt_id, idev: r.out_idev_id };
}

/** Every 2 KiB page of `iova..+length` maps the page of `uptr` (IOMMU_TEST_OP_MD_CHECK_MAP on a mock paging HWPT). */
function checkMap(fd: number, hwpt: number, iova: bigint, length: number, uptr: bigint): void {
  testCmd(fd, { op: test73.IOMMU_TEST_OP_MD_CHECK_MAP, id: hwpt, check_map: { iova, length, uptr } });
}

/** Closes a file descriptor the kernel handed out (fault queue fd) when the scope ends. */
function fdCloser(fd: number): Disposable {
  return {
    [Symbol.dispose]() {
      closeSync(fd);
    },
  };
}

const bytesOf = (b: Uint8Array): number[] => Array.from(b);
const GUARD = 0xa5;

/** `struct iommu_hwpt_selftest { iotlb = IOMMU_TEST_IOTLB_DEFAULT }`, the nested HWPT data the mock driver takes. */
const selftestHwptData = (): Uint8Array => test73.IommuHwptSelftest.encode({ iotlb: test73.IOMMU_TEST_IOTLB_DEFAULT });

function checkIotlbs(fd: number, nested: number, expected: readonly number[]): void {
  expected.forEach((iotlb, id) => testCmd(fd, { op: test73.IOMMU_TEST_OP_MD_CHECK_IOTLB, id: nested, check_iotlb: { id, iotlb } }));
}

// ---- the size table of the v7.3 kernel (docs/kernel-test-plan.md §1.1: gcc sizeof, min = offsetofend of the
// last required field from main.c iommufd_ioctl_ops[]) ---------------------------------------------------------

const SIZE73: Readonly<Record<string, readonly [sizeof: number, min: number]>> = {
  IOMMU_DESTROY: [8, 8],
  IOMMU_IOAS_ALLOC: [12, 12],
  IOMMU_IOAS_ALLOW_IOVAS: [24, 24],
  IOMMU_IOAS_COPY: [40, 40],
  IOMMU_IOAS_IOVA_RANGES: [32, 32],
  IOMMU_IOAS_MAP: [40, 40],
  IOMMU_IOAS_UNMAP: [24, 24],
  IOMMU_OPTION: [24, 24],
  IOMMU_VFIO_IOAS: [12, 12],
  IOMMU_HWPT_ALLOC: [48, 24],
  IOMMU_GET_HW_INFO: [40, 32],
  IOMMU_HWPT_SET_DIRTY_TRACKING: [16, 16],
  IOMMU_HWPT_GET_DIRTY_BITMAP: [48, 48],
  IOMMU_HWPT_INVALIDATE: [32, 32],
  IOMMU_FAULT_QUEUE_ALLOC: [16, 16],
  IOMMU_IOAS_MAP_FILE: [40, 40],
  IOMMU_VIOMMU_ALLOC: [40, 24],
  IOMMU_VDEVICE_ALLOC: [24, 24],
  IOMMU_IOAS_CHANGE_PROCESS: [8, 8],
  IOMMU_VEVENTQ_ALLOC: [32, 28],
  IOMMU_HW_QUEUE_ALLOC: [40, 40],
  IOMMU_IOAS_NOIOMMU_GET_PA: [40, 40],
  IOMMU_TEST_CMD: [72, 68],
};

interface IoctlRow {
  readonly name: string;
  readonly request: number;
  readonly arg: string | null;
}

/** The `struct X` layouts a package exports (objects with `cName` and `size`), by C name. */
function structSizes(pkg: object): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of Object.values(pkg) as unknown[]) {
    if (typeof v !== 'object' || v === null) continue;
    const r = v as { cName?: unknown; size?: unknown };
    if (typeof r.cName === 'string' && typeof r.size === 'number') out.set(r.cName, r.size);
  }
  return out;
}

/** Each ioctl of a package with the size of its argument struct in that package. */
function argSizes(pkg: { ioctls: Readonly<Record<string, IoctlRow>> }): Map<string, { request: number; size: number }> {
  const sizes = structSizes(pkg);
  const out = new Map<string, { request: number; size: number }>();
  for (const row of Object.values(pkg.ioctls)) {
    assert.ok(row.arg, `${row.name} names its argument struct`);
    const size = sizes.get(row.arg);
    assert.ok(size !== undefined, `${row.name}: the package exports the layout of ${row.arg}`);
    out.set(row.name, { request: row.request, size });
  }
  return out;
}

// ---- the IOAS ioctls, the same for both old packages ---------------------------------------------------------

type OldDev = v66rc1.Iommufd | v612.Iommufd;

function ioasTests(label: Label, open: () => OldDev): Tests {
  const pkg = label === 'v6.6-rc1' ? v66rc1 : v612;
  return {
    [`${label}: ioasAlloc and destroy`]() {
      using dev = open();
      const a = dev.ioasAlloc();
      assert.equal(a.size, 12);
      assert.ok(a.out_ioas_id > 0);
      const b = dev.ioasAlloc();
      assert.notEqual(b.out_ioas_id, a.out_ioas_id);
      dev.destroy({ id: b.out_ioas_id });
      dev.destroy({ id: a.out_ioas_id });
      const err = expectDocumented(label, () => dev.destroy({ id: a.out_ioas_id }), 'ENOENT');
      assert.equal(err.ioctl, 'IOMMU_DESTROY');
      assert.equal(err.errno, 2);
      assert.ok(err instanceof pkg.IoctlError, `the ${label} package's own IoctlError`);
      if (label === 'v6.6-rc1') assert.equal(err.meaning, 'An ID or IOVA provided does not exist.');
      expectDocumented(label, () => dev.ioasAlloc({ flags: 1 }), 'EOPNOTSUPP');
    },

    [`${label}: ioasIovaRanges and ioasAllowIovas`]() {
      using dev = open();
      const ioas = dev.ioasAlloc().out_ioas_id;
      const all = dev.ioasIovaRangesAll({ ioas_id: ioas });
      assert.equal(all.num_iovas, 1);
      assert.deepEqual(all.allowed_iovas, [{ start: 0n, last: U64_MAX }]);
      assert.equal(all.out_iova_alignment, 1n);
      const ranges = new Uint8Array(2 * 16);
      const r = dev.ioasIovaRanges({ ioas_id: ioas, allowed_iovas: ranges });
      assert.equal(r.num_iovas, 1, 'num_iovas filled from the buffer, then the count');
      assert.deepEqual(pkg.IommuIovaRange.decode(ranges), { start: 0n, last: U64_MAX });
      // Too small an array: EMSGSIZE, with the ioctl's own sentence from the header.
      const small = expectDocumented(label, () => dev.ioasIovaRanges({ ioas_id: ioas, num_iovas: 0 }), 'EMSGSIZE');
      assert.match(small.meaning ?? '', /num_iovas/);
      expectDocumented(label, () => dev.ioasIovaRanges({ ioas_id: 0xfffff }), 'ENOENT');
      expectDocumented(label, () => dev.ioasIovaRangesAll({ ioas_id: 0xfffff }), 'ENOENT');

      dev.ioasAllowIovas({ ioas_id: ioas, allowed_iovas: [{ start: 0x100000, last: 0x1fffff }] });
      using mem = pkg.Memory.map(PAGE);
      mem.bytes.fill(7);
      const m = dev.ioasMap({ ioas_id: ioas, flags: MAP_RW, user_va: mem });
      assert.ok(m.iova >= 0x100000n && m.iova + BigInt(PAGE) - 1n <= 0x1fffffn, `automatic IOVA 0x${m.iova.toString(16)} inside the allowed range`);
      dev.ioasAllowIovas({ ioas_id: ioas, num_iovas: 0 });
      expectDocumented(label, () => dev.ioasAllowIovas({ ioas_id: 0xfffff, allowed_iovas: [{ start: 0, last: 0xfff }] }), 'ENOENT');
      expectDocumented(label, () => dev.ioasAllowIovas({ ioas_id: ioas, allowed_iovas: [{ start: 0x2000, last: 0x1000 }] }), 'EINVAL');
    },

    [`${label}: ioasMap, ioasCopy and ioasUnmap`]() {
      using mem = pkg.Memory.map(4 * PAGE);
      using dev = open();
      mem.bytes.fill(1);
      const src = dev.ioasAlloc().out_ioas_id;
      const dst = dev.ioasAlloc().out_ioas_id;
      const base = 0x400000n;
      const map = dev.ioasMap({ ioas_id: src, flags: MAP_FIXED_RW, user_va: mem, iova: base });
      assert.equal(map.length, BigInt(4 * PAGE), 'length filled from the Memory');
      assert.equal(map.iova, base);
      const auto = dev.ioasMap({ ioas_id: src, flags: MAP_RW, user_va: mem.address, length: PAGE });
      assert.ok(auto.iova !== 0n && auto.iova !== base);
      expectDocumented(label, () => dev.ioasMap({ ioas_id: 0xfffff, flags: MAP_RW, user_va: mem }), 'ENOENT');
      expectDocumented(label, () => dev.ioasMap({ ioas_id: src, flags: MAP_FIXED_RW, user_va: mem, iova: base }), 'EEXIST');

      const copy = dev.ioasCopy({ dst_ioas_id: dst, src_ioas_id: src, flags: v66rc1.IOMMU_IOAS_MAP_FIXED_IOVA | MAP_RW, length: 4 * PAGE, src_iova: base, dst_iova: 0x800000 });
      assert.equal(copy.dst_iova, 0x800000n);
      const copyAuto = dev.ioasCopy({ dst_ioas_id: dst, src_ioas_id: src, flags: MAP_RW, length: PAGE, src_iova: auto.iova });
      assert.ok(copyAuto.dst_iova !== 0n && copyAuto.dst_iova !== 0x800000n, 'automatic destination IOVA');
      expectDocumented(label, () => dev.ioasCopy({ dst_ioas_id: dst, src_ioas_id: src, flags: MAP_RW, length: PAGE, src_iova: 0x10000000 }), 'ENOENT');

      assert.equal(dev.ioasUnmap({ ioas_id: src, iova: base, length: 4 * PAGE }).length, BigInt(4 * PAGE));
      expectDocumented(label, () => dev.ioasUnmap({ ioas_id: src, iova: base, length: 4 * PAGE }), 'ENOENT');
      // Everything: 0..U64_MAX returns what was unmapped (the 4-page copy and the 1-page one).
      assert.equal(dev.ioasUnmap({ ioas_id: dst, iova: 0, length: U64_MAX }).length, BigInt(5 * PAGE));
      assert.equal(dev.ioasUnmap({ ioas_id: dst, iova: 0, length: U64_MAX }).length, 0n);
    },

    [`${label}: option (HUGE_PAGES per IOAS, RLIMIT_MODE get)`]() {
      using dev = open();
      const ioas = dev.ioasAlloc().out_ioas_id;
      const get = (): bigint => dev.option({ option_id: pkg.IOMMU_OPTION_HUGE_PAGES, op: pkg.IOMMU_OPTION_OP_GET, object_id: ioas }).val64;
      assert.equal(get(), 1n);
      dev.option({ option_id: pkg.IOMMU_OPTION_HUGE_PAGES, op: pkg.IOMMU_OPTION_OP_SET, object_id: ioas, val64: 0 });
      assert.equal(get(), 0n);
      dev.option({ option_id: pkg.IOMMU_OPTION_HUGE_PAGES, op: pkg.IOMMU_OPTION_OP_SET, object_id: ioas, val64: 1 });
      assert.equal(get(), 1n);
      const rlimit = dev.option({ option_id: pkg.IOMMU_OPTION_RLIMIT_MODE, op: pkg.IOMMU_OPTION_OP_GET }).val64;
      assert.ok(rlimit === 0n || rlimit === 1n, `RLIMIT_MODE ${rlimit}`);
      expectDocumented(label, () => dev.option({ option_id: pkg.IOMMU_OPTION_HUGE_PAGES, op: pkg.IOMMU_OPTION_OP_GET, object_id: 0xfffff }), 'ENOENT');
      expectDocumented(label, () => dev.option({ option_id: 99, op: pkg.IOMMU_OPTION_OP_GET }), 'EOPNOTSUPP');
    },

    [`${label}: vfioIoas`]() {
      using dev = open();
      // No compat IOAS yet: ENODEV, an errno the header does not document (so no meaning).
      expectDocumented(label, () => dev.vfioIoas({ op: pkg.IOMMU_VFIO_IOAS_GET }), 'ENODEV');
      const ioas = dev.ioasAlloc().out_ioas_id;
      dev.vfioIoas({ op: pkg.IOMMU_VFIO_IOAS_SET, ioas_id: ioas });
      assert.equal(dev.vfioIoas({ op: pkg.IOMMU_VFIO_IOAS_GET }).ioas_id, ioas);
      dev.vfioIoas({ op: pkg.IOMMU_VFIO_IOAS_CLEAR });
      expectDocumented(label, () => dev.vfioIoas({ op: pkg.IOMMU_VFIO_IOAS_GET }), 'ENODEV');
      expectDocumented(label, () => dev.vfioIoas({ op: pkg.IOMMU_VFIO_IOAS_SET, ioas_id: 0xfffff }), 'ENOENT');
      expectDocumented(label, () => dev.vfioIoas({ op: 3 }), 'EOPNOTSUPP');
    },
  };
}

// ---- the tests ---------------------------------------------------------------------------------------------

export const tests: Tests = {
  'struct sizes: only iommu_hwpt_alloc and iommu_hw_info grew; every old size lies in the 7.3 kernel\'s [min, sizeof]'() {
    const new73 = argSizes(v73);
    const test = argSizes(test73);
    for (const [name, { size }] of [...new73, ...test]) {
      const row = SIZE73[name];
      assert.ok(row, `${name} is in the size table`);
      assert.equal(size, row[0], `${name}: the v7.3 package's struct is ${size} bytes, gcc says ${row[0]}`);
    }
    assert.equal(new73.size + test.size, Object.keys(SIZE73).length, 'the table lists every ioctl of iommufd.h and iommufd_test.h v7.3');
    const grown: Record<Label, string[]> = { 'v6.6-rc1': [], 'v6.12': [] };
    for (const [label, pkg] of [['v6.6-rc1', v66rc1], ['v6.12', v612]] as const) {
      for (const [name, { request, size }] of argSizes(pkg)) {
        const now = new73.get(name);
        assert.ok(now, `${label} ${name} still exists in v7.3`);
        assert.equal(request, now.request, `${label} ${name}: same request number`);
        const [, min] = SIZE73[name]!;
        assert.ok(size >= min && size <= now.size, `${label} ${name}: ${size} bytes, the kernel takes ${min}..${now.size} (and more with a zero tail)`);
        if (size !== now.size) grown[label].push(`${name} ${size}->${now.size}`);
      }
    }
    assert.deepEqual(grown, { 'v6.6-rc1': ['IOMMU_HWPT_ALLOC 24->48', 'IOMMU_GET_HW_INFO 32->40'], 'v6.12': [] });
    // The errno lists under test come from the headers themselves.
    for (const label of ['v6.6-rc1', 'v6.12'] as const) {
      assert.deepEqual([...headers[label].general.keys()], ['ENOTTY', 'E2BIG', 'EOPNOTSUPP', 'EINVAL', 'ENOENT', 'ENOMEM', 'EOVERFLOW']);
      assert.equal(headers[label].general.get('ENOENT'), 'An ID or IOVA provided does not exist.');
      assert.equal(headers[label].general.get('E2BIG'), 'The IOCTL number is supported, but the provided structure has non-zero in a part the kernel does not understand.');
    }
  },

  ...ioasTests('v6.6-rc1', open66),

  'v6.6-rc1: hwptAlloc and getHwInfo on a mock device'() {
    using dev = open66();
    const ioas = dev.ioasAlloc().out_ioas_id;
    const m = mockDevice(dev.fd, ioas);
    const hwpt = dev.hwptAlloc({ dev_id: m.idev, pt_id: ioas });
    assert.equal(hwpt.size, 24, 'the v6.6-rc1 struct size');
    assert.ok(hwpt.out_hwpt_id > 0 && hwpt.out_hwpt_id !== m.hwpt);
    expectDocumented('v6.6-rc1', () => dev.hwptAlloc({ dev_id: 0xfffff, pt_id: ioas }), 'ENOENT');
    expectDocumented('v6.6-rc1', () => dev.hwptAlloc({ dev_id: m.idev, pt_id: ioas, flags: 1 << 4 }), 'EOPNOTSUPP');

    const data = new Uint8Array(8);
    const info = dev.getHwInfo({ dev_id: m.idev, data_uptr: data });
    assert.equal(info.size, 32);
    assert.equal(info.out_data_type, test73.IOMMU_HW_INFO_TYPE_SELFTEST);
    assert.equal(info.data_len, 8);
    assert.equal(info.__reserved, 0, 'out_max_pasid_log2 of a non-PASID device is 0');
    assert.deepEqual(test73.IommuTestHwInfo.decode(data), { flags: 0, test_reg: test73.IOMMU_HW_INFO_SELFTEST_REGVAL });
    expectDocumented('v6.6-rc1', () => dev.getHwInfo({ dev_id: 0xfffff }), 'ENOENT');
    expectDocumented('v6.6-rc1', () => dev.getHwInfo({ dev_id: m.idev, flags: 1 << 5 }), 'EOPNOTSUPP');
    dev.destroy({ id: hwpt.out_hwpt_id });
    dev.destroy({ id: m.stdev });
  },

  ...ioasTests('v6.12', open612),

  'v6.12: hwptAlloc and getHwInfo on a mock device'() {
    using dev = open612();
    const ioas = dev.ioasAlloc().out_ioas_id;
    const m = mockDevice(dev.fd, ioas);
    const hwpt = dev.hwptAlloc({ dev_id: m.idev, pt_id: ioas, flags: v612.IOMMU_HWPT_ALLOC_NEST_PARENT });
    assert.equal(hwpt.size, 48);
    assert.ok(hwpt.out_hwpt_id > 0);
    expectDocumented('v6.12', () => dev.hwptAlloc({ dev_id: 0xfffff, pt_id: ioas }), 'ENOENT');
    expectDocumented('v6.12', () => dev.hwptAlloc({ dev_id: m.idev, pt_id: ioas, data_type: v612.IOMMU_HWPT_DATA_NONE, data_len: 8 }), 'EINVAL');

    const data = new Uint8Array(16).fill(0xee);
    const info = dev.getHwInfo({ dev_id: m.idev, data_uptr: data });
    assert.equal(info.size, 40);
    assert.equal(info.out_data_type, test73.IOMMU_HW_INFO_TYPE_SELFTEST);
    assert.equal(info.data_len, 8, 'data_len comes back as what the kernel has');
    assert.equal(info.out_max_pasid_log2, 0);
    assert.deepEqual(info.__reserved, [0, 0, 0]);
    assert.deepEqual(test73.IommuTestHwInfo.decode(data), { flags: 0, test_reg: test73.IOMMU_HW_INFO_SELFTEST_REGVAL });
    assert.deepEqual(bytesOf(data.subarray(8)), new Array(8).fill(0), 'the buffer past the kernel\'s 8 bytes is zeroed');
    // The mock device reports DIRTY_TRACKING and PCI_ATS_NOT_SUPPORTED (1 << 3), a bit the v6.12 header does not name.
    const named612 = BigInt(v612.IOMMU_HW_CAP_DIRTY_TRACKING | v612.IOMMU_HW_CAP_PCI_PASID_EXEC | v612.IOMMU_HW_CAP_PCI_PASID_PRIV);
    assert.equal(info.out_capabilities & BigInt(v612.IOMMU_HW_CAP_DIRTY_TRACKING), BigInt(v612.IOMMU_HW_CAP_DIRTY_TRACKING));
    assert.equal(info.out_capabilities & ~named612, BigInt(v73.IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED), `out_capabilities 0x${info.out_capabilities.toString(16)}`);
    expectDocumented('v6.12', () => dev.getHwInfo({ dev_id: 0xfffff }), 'ENOENT');
  },

  'v6.12: dirty tracking: hwptAlloc(DIRTY_TRACKING), hwptSetDirtyTracking, hwptGetDirtyBitmap'() {
    const length = 8 * PAGE; // 16 mock pages of 2 KiB
    const pageSize = test73.MOCK_PAGE_SIZE;
    using mem = v612.Memory.map(length);
    using bitmap = v612.Memory.map(PAGE);
    using dev = open612();
    mem.bytes.fill(3);
    const ioas = dev.ioasAlloc().out_ioas_id;
    // As the selftest fixture: no huge pages, so one 4 KiB PTE covers two 2 KiB bits.
    dev.option({ option_id: v612.IOMMU_OPTION_HUGE_PAGES, op: v612.IOMMU_OPTION_OP_SET, object_id: ioas, val64: 0 });
    const m = mockDevice(dev.fd, ioas);
    dev.ioasMap({ ioas_id: ioas, flags: MAP_FIXED_RW, user_va: mem, iova: APERTURE });
    const hwpt = dev.hwptAlloc({ dev_id: m.idev, pt_id: ioas, flags: v612.IOMMU_HWPT_ALLOC_DIRTY_TRACKING }).out_hwpt_id;
    dev.hwptSetDirtyTracking({ hwpt_id: hwpt, flags: v612.IOMMU_HWPT_DIRTY_TRACKING_ENABLE });

    const markAndRead = (flags: number): number[][] => {
      const mark = new Uint8Array(8);
      mark[0] = 0x01; // bit 0
      mark[1] = 0x01; // bit 8
      const set = testCmd(dev.fd, { op: test73.IOMMU_TEST_OP_DIRTY, id: hwpt, dirty: { iova: APERTURE, length, page_size: pageSize, uptr: mark } });
      assert.equal(set.dirty.out_nr_dirty, 2n);
      const reads: number[][] = [];
      for (let i = 0; i < 2; i++) {
        bitmap.bytes.fill(0);
        const r = dev.hwptGetDirtyBitmap({ hwpt_id: hwpt, flags, iova: APERTURE, length, page_size: pageSize, data: bitmap });
        assert.equal(r.hwpt_id, hwpt);
        reads.push(bytesOf(bitmap.bytes.subarray(0, 8)));
      }
      return reads;
    };
    // Bits 0 and 8 marked: each 4 KiB PTE is two 2 KiB bits, so 0,1 and 8,9 read dirty; a second read is clean.
    assert.deepEqual(markAndRead(0), [[0x03, 0x03, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]]);
    assert.deepEqual(markAndRead(v612.IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR), [[0x03, 0x03, 0, 0, 0, 0, 0, 0], [0x03, 0x03, 0, 0, 0, 0, 0, 0]]);
    dev.hwptSetDirtyTracking({ hwpt_id: hwpt, flags: 0 });

    expectDocumented('v6.12', () => dev.hwptSetDirtyTracking({ hwpt_id: 0xfffff, flags: 1 }), 'ENOENT');
    expectDocumented('v6.12', () => dev.hwptSetDirtyTracking({ hwpt_id: hwpt, flags: 2 }), 'EOPNOTSUPP');
    // The automatic HWPT of the device was made without DIRTY_TRACKING.
    expectDocumented('v6.12', () => dev.hwptSetDirtyTracking({ hwpt_id: m.hwpt, flags: 1 }), 'EOPNOTSUPP');
    expectDocumented('v6.12', () => dev.hwptGetDirtyBitmap({ hwpt_id: 0xfffff, iova: APERTURE, length, page_size: pageSize, data: bitmap }), 'ENOENT');
    // length 0 spans all of IOVA in C's arithmetic: the buffer check refuses any buffer, so pass the address.
    expectDocumented('v6.12', () => dev.hwptGetDirtyBitmap({ hwpt_id: hwpt, iova: APERTURE, length: 0, page_size: pageSize, data: bitmap.address }), 'EINVAL');
  },

  'v6.12: a nested HWPT (selftest data) and hwptInvalidate'() {
    using dev = open612();
    const ioas = dev.ioasAlloc().out_ioas_id;
    const m = mockDevice(dev.fd, ioas);
    const parent = dev.hwptAlloc({ dev_id: m.idev, pt_id: ioas, flags: v612.IOMMU_HWPT_ALLOC_NEST_PARENT }).out_hwpt_id;
    const nested = dev.hwptAlloc({ dev_id: m.idev, pt_id: parent, data_type: test73.IOMMU_HWPT_DATA_SELFTEST, data_uptr: selftestHwptData() });
    assert.equal(nested.data_len, 8, 'data_len filled from the buffer');
    const D = test73.IOMMU_TEST_IOTLB_DEFAULT;
    checkIotlbs(dev.fd, nested.out_hwpt_id, [D, D, D, D]);

    const entry = test73.IommuHwptInvalidateSelftest.encode({ flags: 0, iotlb_id: 1 });
    const none = dev.hwptInvalidate({ hwpt_id: nested.out_hwpt_id, data_type: test73.IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, entry_len: 8, entry_num: 0, data_uptr: entry });
    assert.equal(none.entry_num, 0);
    const one = dev.hwptInvalidate({ hwpt_id: nested.out_hwpt_id, data_type: test73.IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, entry_len: 8, entry_num: 1, data_uptr: entry });
    assert.equal(one.entry_num, 1);
    checkIotlbs(dev.fd, nested.out_hwpt_id, [D, 0, D, D]);

    expectDocumented('v6.12', () => dev.hwptInvalidate({ hwpt_id: 0xfffff, data_type: test73.IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, entry_len: 8, entry_num: 1, data_uptr: entry }), 'ENOENT');
    // A paging (parent) HWPT cannot be invalidated this way.
    expectDocumented('v6.12', () => dev.hwptInvalidate({ hwpt_id: parent, data_type: test73.IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, entry_len: 8, entry_num: 1, data_uptr: entry }), 'EINVAL');
    // The parent is busy while the nested HWPT exists.
    expectErrno(() => dev.destroy({ id: parent }), 'EBUSY');
    dev.destroy({ id: nested.out_hwpt_id });
    dev.destroy({ id: parent });
  },

  'v6.12: faultQueueAlloc, and a page fault read from its fd (fault_id: a field v6.6-rc1 lacks)'() {
    using dev = open612();
    const fault = dev.faultQueueAlloc();
    assert.equal(fault.size, 16);
    assert.ok(fault.out_fault_id > 0 && fault.out_fault_fd > 0, JSON.stringify(fault));
    using _faultFd = fdCloser(fault.out_fault_fd);
    expectDocumented('v6.12', () => dev.faultQueueAlloc({ flags: 1 }), 'EOPNOTSUPP');

    const ioas = dev.ioasAlloc().out_ioas_id;
    const m = mockDevice(dev.fd, ioas);
    const parent = dev.hwptAlloc({ dev_id: m.idev, pt_id: ioas, flags: v612.IOMMU_HWPT_ALLOC_NEST_PARENT }).out_hwpt_id;
    const iopfArgs = { dev_id: m.idev, pt_id: parent, flags: v612.IOMMU_HWPT_FAULT_ID_VALID, data_type: test73.IOMMU_HWPT_DATA_SELFTEST, data_uptr: selftestHwptData() };
    expectDocumented('v6.12', () => dev.hwptAlloc({ ...iopfArgs, fault_id: 0xffffffff }), 'ENOENT');
    const iopf = dev.hwptAlloc({ ...iopfArgs, fault_id: fault.out_fault_id }).out_hwpt_id;
    testCmd(dev.fd, { op: test73.IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE, id: m.stdev, mock_domain_replace: { pt_id: iopf } });

    const empty = new Uint8Array(v612.IommuHwptPgfault.size);
    assert.equal(readSync(fault.out_fault_fd, empty, 0, empty.length, null), 0, 'an empty queue reads 0 bytes');
    testCmd(dev.fd, { op: test73.IOMMU_TEST_OP_TRIGGER_IOPF, trigger_iopf: { dev_id: m.idev, pasid: 1, grpid: 2, perm: 3, addr: 0xdeadbeafn } });
    const buf = new Uint8Array(v612.IommuHwptPgfault.size);
    assert.equal(readSync(fault.out_fault_fd, buf, 0, buf.length, null), 40);
    const pf = v612.IommuHwptPgfault.decode(buf);
    assert.deepEqual(
      { flags: pf.flags, dev_id: pf.dev_id, pasid: pf.pasid, grpid: pf.grpid, perm: pf.perm, addr: pf.addr },
      { flags: v612.IOMMU_PGFAULT_FLAGS_PASID_VALID | v612.IOMMU_PGFAULT_FLAGS_LAST_PAGE, dev_id: m.idev, pasid: 1, grpid: 2, perm: v612.IOMMU_PGFAULT_PERM_READ | v612.IOMMU_PGFAULT_PERM_WRITE, addr: 0xdeadbeafn },
    );
    const response = v612.IommuHwptPageResponse.encode({ cookie: pf.cookie, code: v612.IOMMUFD_PAGE_RESP_SUCCESS });
    assert.equal(writeSync(fault.out_fault_fd, response), 8);

    testCmd(dev.fd, { op: test73.IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE, id: m.stdev, mock_domain_replace: { pt_id: ioas } });
    dev.destroy({ id: iopf });
    dev.destroy({ id: parent });
  },

  // ---- the structs that grew -------------------------------------------------------------------------------

  'v6.6-rc1 hwptAlloc (24 bytes): the fields it lacks are 0, so the HWPT is a plain paging HWPT'() {
    using mem = v66rc1.Memory.map(2 * PAGE);
    using dev = open66();
    using d612 = on612(dev.fd);
    mem.bytes.fill(9);
    const ioas = dev.ioasAlloc().out_ioas_id;
    const m = mockDevice(dev.fd, ioas);
    // The map leaves its length and iova in bytes 24..39 of this handle's argument buffer, where v7.3 has
    // data_type/data_len/data_uptr (read as such they would be EINVAL); hwptAlloc encodes only its 24 bytes and
    // sends size 24, so the kernel reads none of it.
    dev.ioasMap({ ioas_id: ioas, flags: MAP_FIXED_RW, user_va: mem, iova: APERTURE });
    const hwpt = dev.hwptAlloc({ dev_id: m.idev, pt_id: ioas }).out_hwpt_id;
    // data_type 0 (NONE): a paging HWPT that took the IOAS's mappings, and which a second device can attach to.
    checkMap(dev.fd, hwpt, APERTURE, 2 * PAGE, mem.address);
    const m2 = mockDevice(dev.fd, hwpt);
    assert.equal(m2.hwpt, hwpt, 'the second device attached straight to the v6.6-rc1 HWPT');
    // flags 0: no DIRTY_TRACKING; not nested: no invalidation.
    expectDocumented('v6.12', () => d612.hwptSetDirtyTracking({ hwpt_id: hwpt, flags: v612.IOMMU_HWPT_DIRTY_TRACKING_ENABLE }), 'EOPNOTSUPP');
    expectDocumented('v6.12', () => d612.hwptInvalidate({ hwpt_id: hwpt, data_type: test73.IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, entry_len: 8, entry_num: 1, data_uptr: new Uint8Array(8) }), 'EINVAL');
    // And what v6.12 can ask for with the same call and the fields v6.6-rc1 lacks: dirty tracking.
    const dirty = d612.hwptAlloc({ dev_id: m.idev, pt_id: ioas, flags: v612.IOMMU_HWPT_ALLOC_DIRTY_TRACKING }).out_hwpt_id;
    d612.hwptSetDirtyTracking({ hwpt_id: dirty, flags: v612.IOMMU_HWPT_DIRTY_TRACKING_ENABLE });
    dev.destroy({ id: m2.stdev });
    dev.destroy({ id: hwpt });
  },

  'v6.6-rc1 iommu_hwpt_alloc (ioctlRaw, size 24 in a 64-byte buffer): the kernel neither reads nor writes past 24 bytes'() {
    using dev = open66();
    const ioas = dev.ioasAlloc().out_ioas_id;
    const m = mockDevice(dev.fd, ioas);
    // Past the 24 bytes: 0xa5 guard bytes, where v7.3 has data_type, data_len, data_uptr, fault_id, __reserved2.
    // Read as v7.3 fields they would be a bad data type and a wild pointer.
    const buf = new Uint8Array(64).fill(GUARD);
    v66rc1.IommuHwptAlloc.encode({ size: 24, dev_id: m.idev, pt_id: ioas }, buf);
    assert.equal(dev.ioctlRaw(v66rc1.IOMMU_HWPT_ALLOC, buf, 'IOMMU_HWPT_ALLOC'), 0);
    const out = v66rc1.IommuHwptAlloc.decode(buf);
    assert.ok(out.out_hwpt_id > 0, `out_hwpt_id ${out.out_hwpt_id}`);
    assert.deepEqual({ ...out, out_hwpt_id: 0 }, { size: 24, flags: 0, dev_id: m.idev, pt_id: ioas, out_hwpt_id: 0, __reserved: 0 }, 'inputs echoed unchanged');
    assert.deepEqual(bytesOf(buf.subarray(24)), new Array(40).fill(GUARD), 'guard bytes untouched');
    // It is a paging HWPT (data_type read as NONE): a device attaches to it.
    assert.equal(mockDevice(dev.fd, out.out_hwpt_id).hwpt, out.out_hwpt_id);

    // The same bytes with size 48 (the v7.3 size; the guard past 48 zeroed) are read, and refused.
    buf.fill(0, 48);
    new DataView(buf.buffer).setUint32(0, 48, true);
    let refused: unknown = null;
    try {
      dev.ioctlRaw(v66rc1.IOMMU_HWPT_ALLOC, buf, 'IOMMU_HWPT_ALLOC');
    } catch (e) {
      refused = e;
    }
    assert.ok(refused instanceof v66rc1.IoctlError, `size 48 with data_type/data_len 0xa5a5a5a5 must be refused, got ${String(refused)}`);
    assert.equal(refused.meaning, null, 'ioctlRaw errors carry no header text');
    console.log(`compat: IOMMU_HWPT_ALLOC at size 48 with the 0xa5 bytes read as v7.3 fields: ${refused.code}`);
  },

  'v6.6-rc1 getHwInfo (32 bytes): out_capabilities is not written; guard bytes past 32 untouched (ioctlRaw)'() {
    using dev = open66();
    using d73 = v73.Iommufd.fromFd(dev.fd);
    const ioas = dev.ioasAlloc().out_ioas_id;
    const m = mockDevice(dev.fd, ioas);
    const data = new Uint8Array(8);
    const buf = new Uint8Array(64).fill(GUARD);
    v66rc1.IommuHwInfo.encode({ size: 32, dev_id: m.idev, data_len: 8, data_uptr: addressOf(data) }, buf);
    assert.equal(dev.ioctlRaw(v66rc1.IOMMU_GET_HW_INFO, buf, 'IOMMU_GET_HW_INFO'), 0);
    const out = v66rc1.IommuHwInfo.decode(buf);
    assert.equal(out.out_data_type, test73.IOMMU_HW_INFO_TYPE_SELFTEST);
    assert.equal(out.data_len, 8);
    assert.equal(out.__reserved, 0);
    assert.deepEqual(test73.IommuTestHwInfo.decode(data), { flags: 0, test_reg: test73.IOMMU_HW_INFO_SELFTEST_REGVAL });
    assert.deepEqual(bytesOf(buf.subarray(32)), new Array(32).fill(GUARD), 'bytes 32..63 (v7.3: out_capabilities at 32..39) untouched');
    // The v7.3 size gets the capabilities the 32-byte caller did not ask for.
    const full = d73.getHwInfo({ dev_id: m.idev });
    assert.equal(full.out_capabilities, BigInt(v73.IOMMU_HW_CAP_DIRTY_TRACKING | v73.IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED));
  },

  'v6.6-rc1 getHwInfo on a PASID device: the bytes v6.6-rc1 calls __reserved now carry out_max_pasid_log2'() {
    using dev = open66();
    using d612 = on612(dev.fd);
    const ioas = dev.ioasAlloc().out_ioas_id;
    const m = mockDevice(dev.fd, ioas, test73.MOCK_FLAGS_DEVICE_PASID);
    const old = dev.getHwInfo({ dev_id: m.idev });
    // v6.6-rc1 byte 28..31 = `__u32 __reserved`; since v6.12 byte 28 is out_max_pasid_log2 (20 for the mock PASID device).
    assert.equal(old.__reserved, 20, 'decoded by v6.6-rc1 as a u32 __reserved');
    const now = d612.getHwInfo({ dev_id: m.idev });
    assert.equal(now.out_max_pasid_log2, 20);
    assert.deepEqual(now.__reserved, [0, 0, 0]);
  },

  // ---- the extension rule with the v7.3 structs ---------------------------------------------------------------

  'v7.3 structs (ioctlRaw): for every ioctl, a non-zero byte past sizeof is E2BIG and a size below the minimum is EINVAL'() {
    using dev = v73.Iommufd.open();
    const rows = [...argSizes(v73), ...argSizes(test73)];
    const seen: string[] = [];
    for (const [name, { request, size }] of rows) {
      const [, min] = SIZE73[name]!;
      // sizeof + 8 with the last byte non-zero: E2BIG, the header's "non-zero in a part the kernel does not understand".
      const big = new Uint8Array(size + 8);
      new DataView(big.buffer).setUint32(0, size + 8, true);
      big[size + 7] = 1;
      const e1 = expectErrno(() => dev.ioctlRaw(request, big, name), 'E2BIG');
      assert.equal(e1.errno, 7);
      // Only the byte right past sizeof: E2BIG too.
      big[size + 7] = 0;
      big[size] = 0xff;
      expectErrno(() => dev.ioctlRaw(request, big, name), 'E2BIG');
      // min - 1: EINVAL, whatever follows.
      const small = new Uint8Array(size + 8).fill(0xff);
      new DataView(small.buffer).setUint32(0, min - 1, true);
      expectErrno(() => dev.ioctlRaw(request, small, name), 'EINVAL');
      seen.push(name);
    }
    assert.equal(seen.length, 23, seen.join(' '));
  },

  'v7.3 structs (ioctlRaw) larger than the kernel knows, with an all-zero tail, are accepted'() {
    using dev = v73.Iommufd.open();
    const TAIL = 24;
    const raw = (request: number, name: string, bytes: Uint8Array): void => assert.equal(dev.ioctlRaw(request, bytes, name), 0, name);
    const grown = (size: number): Uint8Array => new Uint8Array(size + TAIL);

    // IOMMU_IOAS_ALLOC: 12 + 24 zero bytes.
    const alloc = grown(12);
    v73.IommuIoasAlloc.encode({ size: alloc.length }, alloc);
    raw(v73.IOMMU_IOAS_ALLOC, 'IOMMU_IOAS_ALLOC', alloc);
    const ioas = v73.IommuIoasAlloc.decode(alloc).out_ioas_id;
    assert.ok(ioas > 0);
    assert.deepEqual(bytesOf(alloc.subarray(12)), new Array(TAIL).fill(0));

    // IOMMU_OPTION GET: val64 written back as with the exact size.
    const opt = grown(24);
    v73.IommuOption.encode({ size: opt.length, option_id: v73.IOMMU_OPTION_HUGE_PAGES, op: v73.IOMMU_OPTION_OP_GET, object_id: ioas }, opt);
    raw(v73.IOMMU_OPTION, 'IOMMU_OPTION', opt);
    assert.equal(v73.IommuOption.decode(opt).val64, 1n);

    // IOMMU_HWPT_ALLOC: 48 + 24, on a mock device.
    const m = mockDevice(dev.fd, ioas);
    const hw = grown(48);
    v73.IommuHwptAlloc.encode({ size: hw.length, dev_id: m.idev, pt_id: ioas, flags: v73.IOMMU_HWPT_ALLOC_DIRTY_TRACKING }, hw);
    raw(v73.IOMMU_HWPT_ALLOC, 'IOMMU_HWPT_ALLOC', hw);
    const hwpt = v73.IommuHwptAlloc.decode(hw).out_hwpt_id;
    assert.ok(hwpt > 0);
    dev.hwptSetDirtyTracking({ hwpt_id: hwpt, flags: v73.IOMMU_HWPT_DIRTY_TRACKING_ENABLE });

    // IOMMU_GET_HW_INFO: 40 + 24; the kernel's 40 bytes come back, the tail stays 0.
    const data = new Uint8Array(8);
    const info = grown(40);
    v73.IommuHwInfo.encode({ size: info.length, dev_id: m.idev, data_len: 8, data_uptr: addressOf(data) }, info);
    raw(v73.IOMMU_GET_HW_INFO, 'IOMMU_GET_HW_INFO', info);
    const i = v73.IommuHwInfo.decode(info);
    assert.equal(i.out_data_type, test73.IOMMU_HW_INFO_TYPE_SELFTEST);
    assert.equal(i.out_capabilities, BigInt(v73.IOMMU_HW_CAP_DIRTY_TRACKING | v73.IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED));
    assert.deepEqual(bytesOf(info.subarray(40)), new Array(TAIL).fill(0));

    // IOMMU_DESTROY: 8 + 24.
    for (const id of [hwpt, m.stdev]) {
      const d = grown(8);
      v73.IommuDestroy.encode({ size: d.length, id }, d);
      raw(v73.IOMMU_DESTROY, 'IOMMU_DESTROY', d);
    }
    expectErrno(() => dev.destroy({ id: hwpt }), 'ENOENT');
    // IOMMU_TEST_CMD too: 72 + 24 (a mock device on the IOAS again).
    const t = grown(72);
    test73.IommuTestCmd.encode({ size: t.length, op: test73.IOMMU_TEST_OP_MOCK_DOMAIN, id: ioas, mock_domain: {} }, t);
    raw(test73.IOMMU_TEST_CMD, 'IOMMU_TEST_CMD', t);
    assert.ok(test73.IommuTestCmd.decode(t).mock_domain.out_idev_id > 0);
  },

  // ---- mixed use -------------------------------------------------------------------------------------------

  'mixed: an IOAS from v6.6-rc1, mapped with v7.3 ioasMap, copied by v6.12, unmapped and destroyed across packages'() {
    using mem = v73.Memory.map(4 * PAGE);
    using d66 = open66();
    using d612 = on612(d66.fd);
    using d73 = v73.Iommufd.fromFd(d66.fd);
    mem.bytes.fill(5);
    const ioas = d66.ioasAlloc().out_ioas_id;
    const map = d73.ioasMap({ ioas_id: ioas, flags: MAP_RW, user_va: mem });
    assert.equal(map.length, BigInt(4 * PAGE));
    const ranges = d612.ioasIovaRangesAll({ ioas_id: ioas });
    assert.deepEqual(ranges.allowed_iovas, [{ start: 0n, last: U64_MAX }]);
    const other = d73.ioasAlloc().out_ioas_id;
    const copy = d612.ioasCopy({ dst_ioas_id: other, src_ioas_id: ioas, flags: MAP_RW, length: 4 * PAGE, src_iova: map.iova });
    assert.equal(d66.ioasUnmap({ ioas_id: other, iova: copy.dst_iova, length: 4 * PAGE }).length, BigInt(4 * PAGE));
    assert.equal(d612.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, BigInt(4 * PAGE));
    d612.destroy({ id: ioas });
    d73.destroy({ id: other });
    // Gone for every package; the error is the calling package's, with its header's text.
    const e66 = expectDocumented('v6.6-rc1', () => d66.destroy({ id: ioas }), 'ENOENT');
    assert.ok(e66 instanceof v66rc1.IoctlError);
    assert.equal(e66.meaning, 'An ID or IOVA provided does not exist.');
    const e73 = expectErrno(() => d73.destroy({ id: other }), 'ENOENT');
    assert.ok(e73 instanceof v73.IoctlError);
  },

  'mixed: a mock device and HWPTs made through different packages on one fd'() {
    using mem = v66rc1.Memory.map(2 * PAGE);
    using d66 = open66();
    using d612 = on612(d66.fd);
    using d73 = v73.Iommufd.fromFd(d66.fd);
    mem.bytes.fill(4);
    const ioas = d66.ioasAlloc().out_ioas_id;
    const m = mockDevice(d66.fd, ioas);
    // The IOAS from v6.6-rc1, mapped with v7.3 inside the mock aperture; the device's HWPT maps the pages.
    d73.ioasMap({ ioas_id: ioas, flags: MAP_FIXED_RW, user_va: mem.address, length: 2 * PAGE, iova: APERTURE });
    checkMap(d66.fd, m.hwpt, APERTURE, 2 * PAGE, mem.address);
    const r = d612.ioasIovaRangesAll({ ioas_id: ioas });
    assert.deepEqual(r.allowed_iovas, [{ start: APERTURE, last: BigInt(test73.MOCK_APERTURE_LAST) }]);
    assert.equal(r.out_iova_alignment, BigInt(test73.MOCK_PAGE_SIZE));
    // The same device through all three packages.
    assert.equal(d66.getHwInfo({ dev_id: m.idev }).out_data_type, test73.IOMMU_HW_INFO_TYPE_SELFTEST);
    assert.equal(d612.getHwInfo({ dev_id: m.idev }).out_data_type, test73.IOMMU_HW_INFO_TYPE_SELFTEST);
    assert.equal(d73.getHwInfo({ dev_id: m.idev }).out_data_type, test73.IOMMU_HW_INFO_TYPE_SELFTEST);
    // A parent from v6.12, a nested HWPT on it from v7.3, invalidated through v6.12, destroyed through v6.6-rc1.
    const parent = d612.hwptAlloc({ dev_id: m.idev, pt_id: ioas, flags: v612.IOMMU_HWPT_ALLOC_NEST_PARENT }).out_hwpt_id;
    const nested = d73.hwptAlloc({ dev_id: m.idev, pt_id: parent, data_type: test73.IOMMU_HWPT_DATA_SELFTEST, data_uptr: selftestHwptData() }).out_hwpt_id;
    const entry = test73.IommuHwptInvalidateSelftest.encode({ flags: test73.IOMMU_TEST_INVALIDATE_FLAG_ALL, iotlb_id: 0 });
    assert.equal(d612.hwptInvalidate({ hwpt_id: nested, data_type: test73.IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, entry_len: 8, entry_num: 1, data_uptr: entry }).entry_num, 1);
    checkIotlbs(d66.fd, nested, [0, 0, 0, 0]);
    // A paging HWPT from v6.6-rc1 with dirty tracking from v7.3 is refused (it was made without the flag);
    // one made by v6.12 with the flag is enabled through v7.3 and read through v6.12.
    const plain = d66.hwptAlloc({ dev_id: m.idev, pt_id: ioas }).out_hwpt_id;
    expectErrno(() => d73.hwptSetDirtyTracking({ hwpt_id: plain, flags: v73.IOMMU_HWPT_DIRTY_TRACKING_ENABLE }), 'EOPNOTSUPP');
    const dirty = d612.hwptAlloc({ dev_id: m.idev, pt_id: ioas, flags: v612.IOMMU_HWPT_ALLOC_DIRTY_TRACKING }).out_hwpt_id;
    d73.hwptSetDirtyTracking({ hwpt_id: dirty, flags: v73.IOMMU_HWPT_DIRTY_TRACKING_ENABLE });
    const bitmap = new Uint8Array(8);
    d612.hwptGetDirtyBitmap({ hwpt_id: dirty, iova: APERTURE, length: 2 * PAGE, page_size: test73.MOCK_PAGE_SIZE, data: bitmap });
    assert.deepEqual(bytesOf(bitmap), new Array(8).fill(0), 'nothing dirtied yet');
    for (const id of [dirty, plain, nested, parent]) d66.destroy({ id });
    d612.destroy({ id: m.stdev });
    assert.equal(d73.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, BigInt(2 * PAGE));
  },

  'mixed: a Memory of one package as user_va of another'() {
    using mem = v73.Memory.map(2 * PAGE);
    using dev = open66();
    using d612 = on612(dev.fd);
    mem.bytes.fill(6);
    const ioas = dev.ioasAlloc().out_ioas_id;
    const m = mockDevice(dev.fd, ioas);
    // A v7.3 Memory given to v6.6-rc1 and v6.12: its address is taken and `length` filled from it.
    const map = dev.ioasMap({ ioas_id: ioas, flags: MAP_FIXED_RW, user_va: mem, iova: APERTURE });
    assert.equal(map.length, BigInt(2 * PAGE), 'length taken from the foreign Memory');
    checkMap(dev.fd, m.hwpt, APERTURE, 2 * PAGE, mem.address);
    const auto = d612.ioasMap({ ioas_id: ioas, flags: MAP_RW, user_va: mem });
    assert.equal(auto.length, BigInt(2 * PAGE));
    checkMap(dev.fd, m.hwpt, auto.iova, 2 * PAGE, mem.address);
    assert.equal(dev.ioasUnmap({ ioas_id: ioas, iova: 0, length: U64_MAX }).length, BigInt(4 * PAGE));
    // A closed one is refused before any system call, by any package.
    using gone = v612.Memory.map(PAGE);
    gone.close();
    assert.throws(() => dev.ioasMap({ ioas_id: ioas, flags: MAP_RW, user_va: gone, length: PAGE }), TypeError);
  },

  'EMSGSIZE: the IoctlError of v6.6-rc1 and v6.12 carries num_iovas as the kernel left it'() {
    using dev = open66();
    using d612 = on612(dev.fd);
    const ioas = dev.ioasAlloc().out_ioas_id;
    mockDevice(dev.fd, ioas);
    testCmd(dev.fd, { op: test73.IOMMU_TEST_OP_ADD_RESERVED, id: ioas, add_reserved: { start: APERTURE + 0x100000n, length: 0x100000 } });
    // The mock aperture with a reserved hole: 2 ranges. What the kernel leaves, seen through ioctlRaw first.
    const ranges = new Uint8Array(16);
    const raw = v66rc1.IommuIoasIovaRanges.encode({ size: 32, ioas_id: ioas, num_iovas: 1, allowed_iovas: addressOf(ranges) });
    expectErrno(() => dev.ioctlRaw(v66rc1.IOMMU_IOAS_IOVA_RANGES, raw, 'IOMMU_IOAS_IOVA_RANGES'), 'EMSGSIZE');
    assert.equal(v66rc1.IommuIoasIovaRanges.decode(raw).num_iovas, 2, 'the kernel wrote the count it needs');
    const errors: [Label, IoctlErrorLike & { argument?: Uint8Array | null }, typeof v66rc1.IommuIoasIovaRanges | typeof v612.IommuIoasIovaRanges][] = [];
    for (const [label, d, codec] of [['v6.6-rc1', dev, v66rc1.IommuIoasIovaRanges], ['v6.12', d612, v612.IommuIoasIovaRanges]] as const) {
      assert.deepEqual(d.ioasIovaRangesAll({ ioas_id: ioas }).allowed_iovas, [
        { start: APERTURE, last: APERTURE + 0xfffffn },
        { start: APERTURE + 0x200000n, last: BigInt(test73.MOCK_APERTURE_LAST) },
      ]);
      errors.push([label, expectDocumented(label, () => d.ioasIovaRanges({ ioas_id: ioas, num_iovas: 1, allowed_iovas: new Uint8Array(16) }), 'EMSGSIZE'), codec]);
    }
    for (const [label, err, codec] of errors) {
      const argument = err.argument;
      assert.ok(argument, `${label}: the error carries the argument`);
      assert.equal(argument.length, codec.size);
      const left = codec.decode(argument);
      assert.equal(left.num_iovas, 2, `${label}: num_iovas is the count the kernel needs`);
      assert.equal(left.out_iova_alignment, BigInt(test73.MOCK_PAGE_SIZE));
    }
  },

  'every ioctl of the v6.6-rc1 and v6.12 packages succeeded and failed as documented'() {
    const problems: string[] = [];
    for (const [label, pkg] of [['v6.6-rc1', v66rc1], ['v6.12', v612]] as const) {
      const names = Object.keys(pkg.errnoMeanings);
      assert.deepEqual([...names].sort(), Object.keys(pkg.ioctls).sort(), `${label}: errnoMeanings and ioctls list the same ioctls`);
      // The throwing methods; their try and prepare forms share the generated code and are tested in forms.ts.
      const methods = Object.getOwnPropertyNames(pkg.Iommufd.prototype).filter((n) => n !== 'constructor' && !/^(try|prepare)[A-Z]/.test(n));
      assert.deepEqual([...new Set(methods.map(ioctlOfMethod))].sort(), [...names].sort(), `${label}: one method (or more) per ioctl`);
      for (const m of methods) if (!methodsCalled.has(`${label} ${m}`)) problems.push(`${label} method ${m}: never returned`);
      const line: string[] = [];
      for (const name of names) {
        const u = use(label, name);
        line.push(`${name} ok=${u.ok} ${[...u.errnos].map(([c, n]) => `${c}=${n}`).join(',') || '-'}`);
        if (u.ok === 0) problems.push(`${label} ${name}: no successful call`);
        if (u.errnos.size === 0) problems.push(`${label} ${name}: no documented failure`);
      }
      console.log(`compat ${label}: ${line.join('; ')}`);
    }
    assert.deepEqual(problems, []);
  },
};
