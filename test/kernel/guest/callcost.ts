// Per-call cost in the guest (issue 6's call benchmark): ns per ioctl of a generated method, of a raw koffi
// ioctl on a buffer encoded once, and of a C loop of the same call (bench/calls/ioctl-loop.c, compiled on the
// host by run.mjs; the guest runs the host's root, so the binary runs here too). Two calls: IOMMU_OPTION get
// (RLIMIT_MODE) and an IOAS_ALLOC + DESTROY pair. Rounds interleave the JavaScript variants so drift hits both;
// each figure is a median. Runs before the coverage wrapper is installed: it times the API as shipped.
import { execFileSync } from 'node:child_process';
import koffi from 'koffi';
import { v73 } from './lib.js';

export interface CallCost {
  readonly generated: number;
  /** The same call prepared once (`prepareX`) and made with `run()`; null where not measured. */
  readonly prepared: number | null;
  readonly raw: number;
  /** null when no C loop binary was given (no gcc on the host). */
  readonly c: number | null;
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

// The JavaScript variants run in interleaved rounds; the C loop, a process of its own, runs before and after
// them, not between: under TCG a process start evicts translated code, which would tax whichever JavaScript
// variant ran next (the generated one, with more code, the most).
function compare(loops: Readonly<Record<'generated' | 'prepared' | 'raw' | 'c', Loop | null>>, iterations: number, rounds: number): CallCost {
  const names = (['generated', 'prepared', 'raw'] as const).filter((k) => loops[k] !== null);
  for (const k of names) loops[k]!(Math.min(500, iterations)); // warm-up: JIT tiers, koffi's call stubs
  const samples: Record<string, number[]> = { generated: [], prepared: [], raw: [], c: [] };
  const c = (): void => {
    if (loops.c) for (let r = 0; r < Math.ceil(rounds / 2); r++) samples.c!.push(loops.c(iterations));
  };
  c();
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const k = names[(i + r) % names.length]!;
      samples[k]!.push(loops[k]!(iterations));
    }
  }
  c();
  return {
    generated: median(samples.generated!),
    prepared: loops.prepared ? median(samples.prepared!) : null,
    raw: median(samples.raw!),
    c: loops.c ? median(samples.c!) : null,
  };
}

function cLoop(binary: string | null, args: (n: number) => string[]): Loop | null {
  if (!binary) return null;
  return (n) => Number(execFileSync(binary, args(n), { encoding: 'utf8' }).trim());
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
    const optionCost = compare({
      generated: (n) => timed(1, () => dev.option(getArgs), n),
      prepared: (n) => timed(1, () => preparedGet.run(), n),
      raw: (n) => timed(1, () => {
        if (ioctl(fd, v73.IOMMU_OPTION, option.address) !== 0) throw new Error(`raw IOMMU_OPTION failed, errno ${koffi.errno()}`);
      }, n),
      c: cLoop(cBinary, (n) => ['/dev/iommu', String(n), '1', '0', `0x${v73.IOMMU_OPTION.toString(16)}`, hex(option.bytes)]),
    }, iterations, rounds);

    const alloc = pinned(v73.IommuIoasAlloc.encode({ size: v73.IommuIoasAlloc.size }));
    const destroy = pinned(v73.IommuDestroy.encode({ size: v73.IommuDestroy.size, id: 0 }));
    const allocView = new DataView(alloc.bytes.buffer);
    const destroyView = new DataView(destroy.bytes.buffer);
    const idAt = v73.IommuIoasAlloc.fields.out_ioas_id.offset;
    const destroyIdAt = v73.IommuDestroy.fields.id.offset;
    const pairCost = compare({
      generated: (n) => timed(2, () => dev.destroy({ id: dev.ioasAlloc().out_ioas_id }), n),
      prepared: null,
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
