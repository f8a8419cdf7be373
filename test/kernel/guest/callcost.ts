// Per-call cost in the guest (issue 6's call benchmark): ns per ioctl of a generated method, of a raw koffi
// ioctl on a buffer encoded once, and of a C loop of the same call (bench/calls/ioctl-loop.c, compiled on the
// host by run.mjs; the guest runs the host's root, so the binary runs here too). Two calls: IOMMU_OPTION get
// (RLIMIT_MODE) and an IOAS_ALLOC + DESTROY pair. Rounds interleave the JavaScript variants so drift hits both;
// each figure is a median. Runs before the coverage wrapper is installed: it times the API as shipped.
//
// For IOMMU_OPTION get there is one more baseline: the raw call with the arguments encoded and the answer
// decoded by straight-line DataView code (bench/codecs/handwritten.ts's iommu_option, no checks), i.e. the
// least any binding that encodes and decodes per call can do. Under TCG that work alone is a large part of a
// cheap ioctl, so it shows how much of `option()`'s cost is ours and how much is encoding at all.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import koffi from 'koffi';
import { v73 } from './lib.js';

export interface CallCost {
  readonly generated: number;
  /** The raw call plus a hand-written encode and decode per call; null where not measured. */
  readonly hand: number | null;
  /** The same call prepared once (`prepareX`) and made with `run()`; null where not measured. */
  readonly prepared: number | null;
  readonly raw: number;
  /** null when no C loop binary was given (no gcc on the host). */
  readonly c: number | null;
  /**
   * Per JavaScript variant, the median of the last third of the rounds over the median of the first third:
   * near 1 when the rounds measured a steady state, well below 1 if the JIT was still at work.
   */
  readonly drift: Readonly<Record<string, number>>;
}

export interface CallCosts {
  readonly iterations: number;
  readonly rounds: number;
  readonly option: CallCost;
  readonly allocDestroy: CallCost;
}

type Loop = (n: number) => number; // runs n iterations, returns ns per call

function timed(calls: number, body: () => void, n: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) body();
  return Number(process.hrtime.bigint() - t0) / (n * calls);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.round(s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2);
}

/** Interleaved rounds run and dropped before measuring. Under TCG, TurboFan's background compiles take seconds:
 * with a 500-call warm-up the first measured rounds of `option()` ran 3-9x slower than the last ones. */
const WARM_UP_ROUNDS = 12;

type Variant = 'generated' | 'prepared' | 'hand' | 'raw';

// The JavaScript variants run in interleaved rounds; the C loop, a process of its own, runs before and after
// them, not between: under TCG a process start evicts translated code, which would tax whichever JavaScript
// variant ran next (the generated one, with more code, the most).
function compare(loops: Readonly<Record<Variant | 'c', Loop | null>>, iterations: number, rounds: number): CallCost {
  const names = (['generated', 'prepared', 'hand', 'raw'] as const).filter((k) => loops[k] !== null);
  const samples: Record<string, number[]> = { generated: [], prepared: [], hand: [], raw: [], c: [] };
  const c = (): void => {
    if (loops.c) for (let r = 0; r < Math.ceil(rounds / 2); r++) samples.c!.push(loops.c(iterations));
  };
  c();
  // After the C loop: it evicts translated code, which the warm-up then restores.
  for (let r = 0; r < WARM_UP_ROUNDS; r++) for (const k of names) loops[k]!(iterations); // JIT tiers, koffi's call stubs
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const k = names[(i + r) % names.length]!;
      samples[k]!.push(loops[k]!(iterations));
    }
  }
  c();
  const third = Math.max(1, Math.floor(rounds / 3));
  const drift: Record<string, number> = {};
  for (const k of names) {
    const xs = samples[k]!;
    drift[k] = Number((median(xs.slice(-third)) / median(xs.slice(0, third))).toFixed(2));
  }
  const of = (k: Variant): number | null => (loops[k] ? median(samples[k]!) : null);
  return { generated: of('generated')!, prepared: of('prepared'), hand: of('hand'), raw: of('raw')!, c: loops.c ? median(samples.c!) : null, drift };
}

function cLoop(binary: string | null, args: (n: number) => string[]): Loop | null {
  if (!binary) return null;
  return (n) => Number(execFileSync(binary, args(n), { encoding: 'utf8' }).trim());
}

interface OptionFields {
  size?: number;
  option_id?: number;
  op?: number;
  object_id?: number;
  val64?: bigint;
}

// struct iommu_option (24 bytes), as bench/codecs/handwritten.ts writes and reads it (that copy is checked
// against gcc; the guest suite is its own compile root, so it cannot import it).
function handEncodeOption(v: OptionFields, d: DataView): void {
  d.setUint32(0, v.size ?? 0, true);
  d.setUint32(4, v.option_id ?? 0, true);
  d.setUint16(8, v.op ?? 0, true);
  d.setUint16(10, 0, true); // __reserved
  d.setUint32(12, v.object_id ?? 0, true);
  d.setBigUint64(16, v.val64 ?? 0n, true);
}

function handDecodeOption(d: DataView): Required<OptionFields> & { __reserved: number } {
  return {
    size: d.getUint32(0, true),
    option_id: d.getUint32(4, true),
    op: d.getUint16(8, true),
    __reserved: d.getUint16(10, true),
    object_id: d.getUint32(12, true),
    val64: d.getBigUint64(16, true),
  };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A copy of `b` in its own ArrayBuffer (outside V8's heap, so it never moves) and its address. */
function pinned(b: Uint8Array): { bytes: Uint8Array; address: number } {
  const bytes = new Uint8Array(new ArrayBuffer(b.byteLength));
  bytes.set(b);
  return { bytes, address: Number(koffi.address(bytes)) };
}

export function measureCallCosts(iterations: number, rounds: number, cBinary: string | null): CallCosts {
  const libc = koffi.load('libc.so.6');
  // The prototype device.ts uses for a handle's own buffer: its address as a number, which koffi passes with
  // less work than a typed array.
  const ioctl = libc.func('int ioctl(int fd, unsigned long request, uintptr_t arg)');
  const dev = v73.Iommufd.open();
  try {
    const fd = dev.fd;
    const getArgs = { op: v73.IOMMU_OPTION_OP_GET, option_id: v73.IOMMU_OPTION_RLIMIT_MODE } as const;
    const preparedGet = dev.prepareOption(getArgs);
    const option = pinned(v73.IommuOption.encode({ size: v73.IommuOption.size, ...getArgs }));
    const optionView = new DataView(option.bytes.buffer);
    const rawOption = (): void => {
      if (ioctl(fd, v73.IOMMU_OPTION, option.address) !== 0) throw new Error(`raw IOMMU_OPTION failed, errno ${koffi.errno()}`);
    };
    // The hand-written path must get the kernel's answer the generated one gets, or it times something else.
    const handArgs = { size: v73.IommuOption.size, ...getArgs };
    handEncodeOption(handArgs, optionView);
    rawOption();
    assert.deepEqual(handDecodeOption(optionView), dev.option(getArgs));
    let sink: unknown = null;
    const optionCost = compare({
      generated: (n) => timed(1, () => dev.option(getArgs), n),
      prepared: (n) => timed(1, () => preparedGet.run(), n),
      hand: (n) => timed(1, () => {
        handEncodeOption(handArgs, optionView);
        rawOption();
        sink = handDecodeOption(optionView);
      }, n),
      raw: (n) => timed(1, rawOption, n),
      c: cLoop(cBinary, (n) => ['/dev/iommu', String(n), '1', '0', `0x${v73.IOMMU_OPTION.toString(16)}`, hex(option.bytes)]),
    }, iterations, rounds);
    if (sink === null) throw new Error('the hand-written variant never ran');

    const alloc = pinned(v73.IommuIoasAlloc.encode({ size: v73.IommuIoasAlloc.size }));
    const destroy = pinned(v73.IommuDestroy.encode({ size: v73.IommuDestroy.size, id: 0 }));
    const allocView = new DataView(alloc.bytes.buffer);
    const destroyView = new DataView(destroy.bytes.buffer);
    const idAt = v73.IommuIoasAlloc.fields.out_ioas_id.offset;
    const destroyIdAt = v73.IommuDestroy.fields.id.offset;
    const pairCost = compare({
      generated: (n) => timed(2, () => dev.destroy({ id: dev.ioasAlloc().out_ioas_id }), n),
      prepared: null,
      hand: null,
      raw: (n) => timed(2, () => {
        if (ioctl(fd, v73.IOMMU_IOAS_ALLOC, alloc.address) !== 0) throw new Error(`raw IOMMU_IOAS_ALLOC failed, errno ${koffi.errno()}`);
        destroyView.setUint32(destroyIdAt, allocView.getUint32(idAt, true), true);
        if (ioctl(fd, v73.IOMMU_DESTROY, destroy.address) !== 0) throw new Error(`raw IOMMU_DESTROY failed, errno ${koffi.errno()}`);
      }, n),
      c: cLoop(cBinary, (n) => [
        '/dev/iommu', String(n), '1', '0', `0x${v73.IOMMU_IOAS_ALLOC.toString(16)}`, hex(alloc.bytes),
        `0x${v73.IOMMU_DESTROY.toString(16)}`, hex(destroy.bytes), String(idAt), String(destroyIdAt),
      ]),
    }, iterations, rounds);
    return { iterations, rounds, option: optionCost, allocDestroy: pairCost };
  } finally {
    dev.close();
  }
}
