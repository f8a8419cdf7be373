// Issue 7 in the kernel: bad argument structs sent straight to /dev/iommu with ioctlRaw (past every generated
// check) come back as an errno or a success, never a crash or a hang, and the descriptor works afterwards; every
// ioctl of the 7.3 iommufd.h and IOMMU_TEST_CMD gets seeded random bytes, all-0xff, sizes 0 / 1 / 4 / one short /
// huge, non-zero __reserved, unknown IDs, huge lengths, pointers to unmapped and kernel addresses, and a NULL or
// unmapped argument pointer. Then the other side: buffers the generated methods accept are never overrun by the
// kernel (guard bytes around them).
import assert from 'node:assert/strict';
import { closeSync, constants, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import koffi from 'koffi';
import { expectErrno, test73, v73, type Tests } from './lib.js';
import { Fixture } from './mock-util.js';

interface FieldInfo {
  readonly offset: number;
  readonly size: number;
  readonly type: string;
}

interface Codec {
  readonly cName: string;
  readonly size: number;
  readonly fields: Readonly<Record<string, FieldInfo>>;
}

interface Target {
  readonly name: string;
  readonly request: number;
  readonly codec: Codec;
}

/** Every ioctl with an argument struct, found through the packages' `ioctls` and codecs (not hand-listed). */
function targets(): Target[] {
  const out: Target[] = [];
  for (const pkg of [v73, test73] as unknown as Record<string, unknown>[]) {
    const codecs = Object.values(pkg).filter((x): x is Codec => typeof (x as Codec | null)?.cName === 'string');
    for (const info of Object.values(pkg.ioctls as Record<string, { name: string; request: number; arg: string | null }>)) {
      const codec = codecs.find((c) => c.cName === info.arg);
      assert.ok(codec, `${info.name}: no codec for ${info.arg}`);
      out.push({ name: info.name, request: info.request, codec });
    }
  }
  return out;
}

/** Deterministic bytes (mulberry32), so that a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const libc = koffi.load('libc.so.6');
/** ioctl with the argument as a number, to hand the kernel an address no buffer has. */
const ioctlAt = libc.func('int ioctl(int fd, unsigned long request, uint64_t arg)');

/** Addresses no mapping of this process covers (checked against /proc/self/maps), and one in the kernel's half. */
function unmappedAddresses(): bigint[] {
  const maps = readFileSync('/proc/self/maps', 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' ')[0]!.split('-').map((h) => BigInt(`0x${h}`)) as [bigint, bigint]);
  const candidates = [8n, 0xdead0000n, 0x10000000000n];
  const free = candidates.filter((a) => !maps.some(([lo, hi]) => a + 0x10000n > lo && a < hi));
  assert.ok(free.length >= 2, 'expected unmapped low addresses');
  return [...free, 0xffff_ffff_ffff_f000n];
}

/** How every raw call ended: the kernel answered with success or an errno; anything else fails the test. */
class Tally {
  calls = 0;
  ok = 0;
  readonly errnos = new Map<string, number>();
  readonly fdsBefore = new Set(readdirSync('/proc/self/fd'));

  /** Runs one ioctlRaw call: it must return, or throw an IoctlError (an errno). */
  run(name: string, what: string, call: () => number): void {
    try {
      call();
      this.record(null);
    } catch (e) {
      const err = e as { name?: string; code?: string };
      if (err?.name !== 'IoctlError' || typeof err.code !== 'string') throw new Error(`${name} (${what}): not an errno error: ${String(e)}`);
      this.record(err.code);
    }
  }

  /** A call's end: success (null) or the errno's name. */
  record(code: string | null): void {
    this.calls++;
    if (code !== null) this.errnos.set(code, (this.errnos.get(code) ?? 0) + 1);
    else {
      this.ok++;
      this.closeNewFds(); // a fault queue, vEVENTQ, access or dma-buf the call made: nothing reads them
    }
  }

  private closeNewFds(): void {
    for (const fd of readdirSync('/proc/self/fd')) {
      if (this.fdsBefore.has(fd)) continue;
      try {
        closeSync(Number(fd));
      } catch {
        // the descriptor readdir itself used, already closed
      }
    }
  }

  summary(): string {
    const errnos = [...this.errnos].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    return `${this.calls} raw calls: ${this.ok} succeeded, ${this.calls - this.ok} errno (${errnos})`;
  }
}

/** The kernel log from now on (/dev/kmsg): a WARN_ON or an oops the console's `quiet` level would not show. */
class KernelLog implements Disposable {
  readonly #fd = openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);

  constructor() {
    this.read(); // skip what is already there
  }

  /** Records logged since the last read. */
  read(): string[] {
    const out: string[] = [];
    const buf = Buffer.alloc(8192);
    for (;;) {
      try {
        out.push(buf.toString('utf8', 0, readSync(this.#fd, buf)));
      } catch (e) {
        if ((e as { code?: string }).code === 'EPIPE') continue; // records overwritten while reading: go on
        if ((e as { code?: string }).code === 'EAGAIN') return out;
        throw e;
      }
    }
  }

  [Symbol.dispose](): void {
    closeSync(this.#fd);
  }
}

/** A struct-sized buffer (plus non-zero guard bytes, so that a huge `size` meets them: E2BIG) with `size` set. */
function arg(codec: Codec, fill: (b: Uint8Array) => void, size: number = codec.size): Uint8Array {
  const buf = new Uint8Array(codec.size + 64).fill(0x5a);
  buf.fill(0, 0, codec.size);
  fill(buf);
  new DataView(buf.buffer).setUint32(0, size >>> 0, true);
  return buf;
}

function setField(buf: Uint8Array, f: FieldInfo, value: bigint): void {
  const d = new DataView(buf.buffer, buf.byteOffset);
  if (f.size === 8) d.setBigUint64(f.offset, BigInt.asUintN(64, value), true);
  else if (f.size === 4) d.setUint32(f.offset, Number(BigInt.asUintN(32, value)), true);
  else if (f.size === 2) d.setUint16(f.offset, Number(BigInt.asUintN(16, value)), true);
  else if (f.size === 1) d.setUint8(f.offset, Number(BigInt.asUintN(8, value)));
  else buf.fill(Number(value & 0xffn), f.offset, f.offset + f.size); // arrays: every byte
}

/** Fields by what the bad value aims at: names as the headers spell them. */
const scalar = (f: FieldInfo): boolean => /^(__)?(u|s|aligned_u|aligned_le)\d+$/.test(f.type.replace(/^__/, ''));
const isId = (n: string): boolean => /(^|_)id$/.test(n);
const isCount = (n: string): boolean => n !== 'size' && /(len|length|num|size|depth|npages)$/.test(n);
const isPointer = (n: string, f: FieldInfo): boolean => f.size === 8 && /(uptr|user_va|allowed_iovas|^data$|addr$)/.test(n);

/** The structured bad arguments for one ioctl, by what each aims at. */
function cases(t: Target, addresses: readonly bigint[]): [string, Uint8Array][] {
  const c = t.codec;
  const fields = Object.entries(c.fields);
  const out: [string, Uint8Array][] = [];
  for (const size of [0, 1, 4, c.size - 1, c.size + 8, 0x7fffffff, 0xffffffff]) out.push([`size ${size}`, arg(c, () => {}, size)]);
  out.push(['all 0xff', arg(c, (b) => b.fill(0xff, 4, c.size))]);
  out.push(['all 0xff, size 0xffffffff', arg(c, (b) => b.fill(0xff, 4, c.size), 0xffffffff)]);
  for (const [n, f] of fields) {
    if (n.startsWith('__reserved')) out.push([`${n} = 1`, arg(c, (b) => setField(b, f, 1n))]);
    if (isId(n) && scalar(f)) for (const v of [0n, 0xfffffn, 0xffffffffn]) out.push([`${n} = ${v}`, arg(c, (b) => setField(b, f, v))]);
    if (isCount(n) && scalar(f)) for (const v of [0x7fffffffn, -1n]) out.push([`${n} = ${v}`, arg(c, (b) => setField(b, f, v))]);
    if (isPointer(n, f)) {
      for (const a of addresses) {
        out.push([`${n} = 0x${a.toString(16)}`, arg(c, (b) => {
          setField(b, f, a);
          for (const [m, g] of fields) if (isCount(m) && scalar(g)) setField(b, g, 4096n); // something to read or write
        })]);
      }
    }
  }
  return out;
}

/** Objects for random bytes to find: an IOAS and a mock device on it (IDs 1 to 4 on a fresh descriptor). */
function someObjects(dev: v73.Iommufd): number[] {
  const ioas = dev.ioasAlloc().out_ioas_id;
  using test = test73.IommufdTest.fromFd(dev.fd);
  const md = test.testCmd({ op: test73.IOMMU_TEST_OP_MOCK_DOMAIN, id: ioas, mock_domain: {} }).mock_domain;
  return [ioas, md.out_stdev_id, md.out_hwpt_id, md.out_idev_id];
}

function randomArg(t: Target, next: () => number, ids: readonly number[], op: number | null): Uint8Array {
  const c = t.codec;
  const b = arg(c, (buf) => {
    for (let i = 4; i < c.size; i++) buf[i] = Math.floor(next() * 256);
  });
  const d = new DataView(b.buffer);
  if (next() < 0.25) d.setUint32(0, Math.floor(next() * 2 ** 32), true); // a random size too
  if (next() < 0.5) {
    // Real IDs in the ID fields: reaches past the lookups into the handlers.
    for (const [n, f] of Object.entries(c.fields)) if (isId(n) && f.size === 4) d.setUint32(f.offset, ids[Math.floor(next() * ids.length)]!, true);
  }
  if (op !== null) d.setUint32(c.fields.op!.offset, op, true);
  return b;
}

const RANDOM_PER_IOCTL = 120;
const RANDOM_PER_TEST_OP = 24;

export const tests: Tests = {
  'every ioctl: bad argument structs straight to the kernel give an errno or a success, and the fd still works'() {
    const addresses = unmappedAddresses();
    using log = new KernelLog();
    using dev = v73.Iommufd.open();
    const ids = [...someObjects(dev), 0, 5, 6, 7];
    const tally = new Tally();
    for (const t of targets()) {
      const raw = (what: string, bytes: Uint8Array | null): void => tally.run(t.name, what, () => dev.ioctlRaw(t.request, bytes, t.name));
      raw('NULL argument', null);
      for (const a of addresses) {
        const r = ioctlAt(dev.fd, t.request, a) as number;
        const errno = r < 0 ? koffi.errno() : 0;
        tally.record(r < 0 ? (v73.ERRNO_NAMES.get(errno) ?? `errno ${errno}`) : null);
      }
      for (const [what, bytes] of cases(t, addresses)) raw(what, bytes);
      const next = random(0x1337 + t.request);
      const ops = t.codec.fields.op ? [null, ...Array.from({ length: 26 }, (_, i) => i)] : [null];
      for (const op of ops) {
        const n = op === null ? RANDOM_PER_IOCTL : RANDOM_PER_TEST_OP;
        for (let i = 0; i < n; i++) raw(`random #${i}${op === null ? '' : ` op ${op}`}`, randomArg(t, next, ids, op));
      }
    }
    const logged = log.read();
    console.log(`badinput: ${tally.summary()}; kernel log: ${logged.length} new records`);
    const trouble = logged.filter((l) => /WARNING:|BUG:|Oops|general protection|Call Trace|KASAN|UBSAN/.test(l));
    assert.deepEqual(trouble, [], 'the kernel logged a warning or an oops');
    assert.ok(tally.calls > 3000, `only ${tally.calls} calls`);
    // The descriptor still works, and so does a new one.
    const { out_ioas_id } = dev.ioasAlloc();
    dev.destroy({ id: out_ioas_id });
    using again = v73.Iommufd.open();
    again.destroy({ id: again.ioasAlloc().out_ioas_id });
  },

  'GET_DIRTY_BITMAP: the smallest bitmap the generated method accepts is all the kernel writes (guard bytes)'() {
    const { MOCK_APERTURE_START, MOCK_PAGE_SIZE, IOMMU_TEST_OP_DIRTY } = test73;
    using mem = v73.Memory.map(32 * v73.pageSize);
    using fx = Fixture.open();
    fx.dev.option({ op: v73.IOMMU_OPTION_OP_SET, option_id: v73.IOMMU_OPTION_HUGE_PAGES, object_id: fx.ioasId, val64: 0n });
    const md = fx.mockDevice();
    const { iova } = fx.map(mem, BigInt(MOCK_APERTURE_START));
    const hwpt = fx.pagingHwpt(md.idevId, v73.IOMMU_HWPT_ALLOC_DIRTY_TRACKING);
    fx.dev.hwptSetDirtyTracking({ hwpt_id: hwpt, flags: v73.IOMMU_HWPT_DIRTY_TRACKING_ENABLE });
    const length = BigInt(mem.length);
    const mark = new Uint8Array(mem.length / MOCK_PAGE_SIZE / 8).fill(0xff); // every mock page dirty
    fx.test.testCmd({ op: IOMMU_TEST_OP_DIRTY, id: hwpt, dirty: { iova, length, page_size: MOCK_PAGE_SIZE, uptr: mark } });
    using bitmap = v73.Memory.map(v73.pageSize);
    const written: string[] = [];
    // Page sizes the kernel accepts: multiples of the IOAS alignment that divide the range, powers of two or not.
    for (const pageSize of [MOCK_PAGE_SIZE, MOCK_PAGE_SIZE * 2, MOCK_PAGE_SIZE * 8, 3 * MOCK_PAGE_SIZE, 3 * 4096]) {
      const mask = BigInt(pageSize - 1); // the kernel's alignment test: iova and iova + length clear of page_size - 1
      if ((iova & mask) !== 0n || ((iova + length) & mask) !== 0n) continue;
      const get = (bytes: number) => () =>
        fx.dev.hwptGetDirtyBitmap({ hwpt_id: hwpt, flags: v73.IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR, iova, length, page_size: pageSize, data: bitmap.bytes.subarray(0, bytes) });
      let bytes = 0;
      while (bytes < 64) {
        bitmap.bytes.fill(0);
        try {
          get(bytes)();
          break;
        } catch (e) {
          if (e instanceof RangeError) {
            bytes++;
            continue;
          }
          if ((e as { code?: string }).code === 'EINVAL') break; // the kernel refuses this page size: nothing to overrun
          throw e;
        }
      }
      const past = bitmap.bytes.subarray(bytes, bytes + 64).findIndex((b) => b !== 0);
      written.push(`page_size ${pageSize}: ${bytes} bytes accepted`);
      assert.equal(past, -1, `page_size ${pageSize}: the method accepted ${bytes} bytes and the kernel wrote byte ${bytes + past}`);
    }
    console.log(`badinput: dirty bitmaps: ${written.join('; ')}`);
    fx.dev.hwptSetDirtyTracking({ hwpt_id: hwpt, flags: 0 });
  },

  'IOAS_IOVA_RANGES into a buffer at an odd offset: the kernel writes only the elements the buffer holds'() {
    using dev = v73.Iommufd.open();
    const ioas = dev.ioasAlloc().out_ioas_id;
    using mem = v73.Memory.map(v73.pageSize);
    for (const [offset, length] of [[3, 16], [1, 15], [7, 40]] as const) {
      mem.bytes.fill(0xa5);
      const out = mem.bytes.subarray(offset, offset + length);
      let r: { num_iovas: number } | undefined;
      if (length < 16) expectErrno(() => dev.ioasIovaRanges({ ioas_id: ioas, allowed_iovas: out }), 'EMSGSIZE'); // no slot
      else r = dev.ioasIovaRanges({ ioas_id: ioas, allowed_iovas: out });
      const filled = r ? Math.min(r.num_iovas, Math.floor(length / 16)) * 16 : 0;
      const outside = [...mem.bytes.subarray(0, offset), ...mem.bytes.subarray(offset + filled)];
      assert.ok(outside.every((b) => b === 0xa5), `offset ${offset}, ${length} bytes: the kernel wrote outside the ${filled} bytes of ranges`);
      if (r && filled > 0) assert.deepEqual(v73.IommuIovaRange.decode(out), { start: 0n, last: 0xffff_ffff_ffff_ffffn });
    }
    dev.destroy({ id: ioas });
  },

  'GET_HW_INFO with data_len below the driver struct: the kernel writes data_len bytes, no more'() {
    using fx = Fixture.open();
    const md = fx.mockDevice();
    using mem = v73.Memory.map(v73.pageSize);
    for (const [offset, length] of [[1, 3], [5, 0], [2, 7]] as const) {
      mem.bytes.fill(0xa5);
      const data = mem.bytes.subarray(offset, offset + length);
      fx.dev.getHwInfo({ dev_id: md.idevId, data_uptr: data }); // data_len filled: the buffer's length
      const outside = [...mem.bytes.subarray(0, offset), ...mem.bytes.subarray(offset + length)];
      assert.ok(outside.every((b) => b === 0xa5), `offset ${offset}, ${length} bytes: the kernel wrote past data_len`);
    }
  },
};
