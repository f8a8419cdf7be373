// The VMM hot loop (issues 15 and 18): a vCPU's port-I/O exit round trip, the TypeScript run loop (bench-vmm-ts.ts)
// against the same VM and loop in C (bench/guest/kvm-loop.c, compiled on the host against headers/v7.3), in the
// same boot: ns per exit (and exits per second), their ratio, and whether the TypeScript loop allocates. Two
// callers: the bench guest (the recipe's kernel booted with -cpu max: KVM on TCG's emulated SVM) and, for the
// issue's own baseline, the host's /dev/kvm (bench/vmm/host.mjs). Without /dev/kvm the figures say why they are
// missing. Not a test file (no `tests`).
//
// Nested virtualisation under TCG makes an exit cost tens of microseconds, the host's KVM one or two; the runs are
// as long as the heap check needs (16 TypeScript runs of 63,000 exits: 1e6 in all; a short C run first gives the
// rate, printed). The heap is watched over every exit of the TypeScript rounds together: GCs seen by a
// PerformanceObserver, and heapUsed before and after each loop (with no GC in between, its growth is what the loop
// allocated).
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { BaselineProcess } from './bench-child.js';
import { median, pairedRatio } from './bench-stats.js';
import { tsVmm, type TsVmm } from './bench-vmm-ts.js';

const ROUNDS = 16;
const CALIBRATION_EXITS = 2000;
/** Issue 15 asks for the heap to stay flat over 1e6 exits: the TypeScript rounds together make at least that many. */
const HEAP_EXITS = 1_000_000;

export interface VmmBench {
  /** Why nothing was measured (no /dev/kvm); the other fields are then absent. */
  readonly skipped?: string;
  readonly exits?: number;
  readonly rounds?: number;
  /** ns per exit, medians of the rounds. */
  readonly ts?: number;
  readonly c?: number;
  /** TypeScript over C per exit, the median of the rounds' ratios. */
  readonly ratio?: number;
  readonly tsRuns?: readonly number[];
  readonly cRuns?: readonly number[];
  /** The C loop's ns per exit over CALIBRATION_EXITS, from which `exits` was chosen. */
  readonly calibration?: number;
  readonly heap?: {
    /** Exits made by the TypeScript loops, all rounds. */
    readonly exits: number;
    /** Garbage collections (any kind) that started while a TypeScript loop ran. */
    readonly gcs: number;
    /** heapUsed after each loop minus before it, summed over the rounds (bytes). */
    readonly growth: number;
  };
}

/** Where the loop runs: what a missing /dev/kvm is blamed on differs. */
export type VmmMachine = 'guest' | 'host';

/** Why this machine has no /dev/kvm, as far as it can tell. */
function noKvmReason(machine: VmmMachine): string {
  const flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(/\s+/) ?? [];
  const virt = flags.includes('svm') ? 'svm' : flags.includes('vmx') ? 'vmx' : null;
  const where = machine === 'guest' ? 'in the guest' : 'on this host';
  if (!virt) {
    const cure = machine === 'guest' ? 'QEMU needs -cpu max' : 'a virtual machine without nested virtualisation?';
    return `no /dev/kvm ${where}: its CPU has neither svm nor vmx (${cure})`;
  }
  const cure = machine === 'guest' ? 'the kernel has no KVM (CONFIG_KVM, kvm_amd/kvm_intel)' : 'kvm_amd/kvm_intel not loaded, or the device not given to this container';
  return `no /dev/kvm ${where} although its CPU has ${virt}: ${cure}`;
}

async function cRun(c: BaselineProcess, exits: number): Promise<number> {
  const out = (await c.ask(String(exits))).trim();
  const ns = Number(out);
  if (!Number.isFinite(ns) || ns <= 0) throw new Error(`kvm-loop printed '${out}'`);
  return ns;
}

interface TsRun {
  readonly ns: number;
  readonly start: number;
  readonly end: number;
  readonly growth: number;
}

function tsRun(vmm: TsVmm, exits: number): TsRun {
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const t = process.hrtime.bigint();
  const seen = vmm.loop(exits);
  const ns = Number(process.hrtime.bigint() - t) / (exits + 1);
  const end = performance.now();
  const growth = process.memoryUsage().heapUsed - before;
  if (seen !== exits) throw new Error(`the TypeScript loop saw ${seen} port-I/O exits, not ${exits}`);
  return { ns, start, end, growth };
}

export async function measureVmm(cBinary: string, machine: VmmMachine): Promise<VmmBench> {
  if (!existsSync('/dev/kvm')) return { skipped: noKvmReason(machine) };
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch (e) {
    return { skipped: `/dev/kvm is not readable and writable by this user (${(e as NodeJS.ErrnoException).code}; the kvm group)` };
  }
  const baseline = new BaselineProcess(cBinary, []);
  const vmm = tsVmm();
  const gcs: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
  const cRuns: number[] = [];
  const tsRuns: TsRun[] = [];
  let calibration: number;
  let exits: number;
  try {
    calibration = await cRun(baseline, CALIBRATION_EXITS);
    tsRun(vmm, CALIBRATION_EXITS); // the loop compiled before it is timed
    exits = Math.ceil(HEAP_EXITS / ROUNDS / 1000) * 1000; // ~5 s a run under nested TCG (32 runs: ~3 minutes), ~0.1 s on the host
    observer.observe({ entryTypes: ['gc'] });
    for (let r = 0; r < ROUNDS; r++) {
      const first = r % 2 === 0 ? await cRun(baseline, exits) : null;
      tsRuns.push(tsRun(vmm, exits));
      cRuns.push(first ?? (await cRun(baseline, exits)));
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // GC entries are delivered asynchronously
  } finally {
    observer.disconnect();
    vmm[Symbol.dispose]();
    await baseline.close();
  }
  const during = gcs.filter((g) => tsRuns.some((t) => g.startTime >= t.start && g.startTime <= t.end)).length;
  return {
    exits,
    rounds: ROUNDS,
    ts: Number(median(tsRuns.map((t) => t.ns)).toFixed(1)),
    c: Number(median(cRuns).toFixed(1)),
    ratio: pairedRatio(tsRuns.map((t, i) => ({ ts: [t.ns], c: [cRuns[i]!] }))),
    tsRuns: tsRuns.map((t) => Number(t.ns.toFixed(1))),
    cRuns,
    calibration,
    heap: { exits: exits * ROUNDS, gcs: during, growth: tsRuns.reduce((s, t) => s + t.growth, 0) },
  };
}
