// The bench guest of test/kernel/run.mjs (UAPI_TS_BENCH=only, which npm run bench sets): what it boots, the C
// baselines it needs compiled, and how its figures are printed. Its guest side is test/kernel/guest/bench.ts.
//
// One boot for both benchmarks of issue 18 that need a guest of their own: mapping 256 MiB of guest RAM
// (bench-map.ts; huge pages reserved by the guest itself, so 3G of RAM: the buffers of the TypeScript and C sides,
// each in 4 KiB and 2 MiB pages, besides Node) and the VMM hot loop (bench-vmm.ts; -cpu max, so that a kernel with
// KVM gets a /dev/kvm on TCG's emulated SVM).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const BENCH_GUEST = {
  name: 'bench',
  files: () => false,
  memory: '3G',
  qemu: ['-cpu', 'max'],
  append: ['uapi_ts_guest=bench'],
  // Two to three minutes of benchmarks after a boot, on a loaded host up to twice that.
  timeoutS: 900,
};

/** The parts of the bench guest. */
export const BENCH_PARTS = ['map', 'vmm'];

/** The C baselines, compiled against the repository's headers/v7.3 into the suite's folder, where bench.ts looks. */
const BASELINES = [
  { part: 'map', src: 'bench/guest/map-loop.c', out: 'bench-map-loop' },
  { part: 'vmm', src: 'bench/guest/kvm-loop.c', out: 'bench-kvm-loop' },
];

/**
 * Compiles the baselines of `parts` into `dir` (as BASELINES names them); returns the sources that failed, each
 * logged (in the guest a missing binary is reported by the benchmark that needs it).
 */
export function compileBenchBaselines(root, dir, parts, log) {
  const failed = [];
  for (const b of BASELINES.filter((x) => parts.includes(x.part))) {
    const r = spawnSync('gcc', ['-O2', '-Wall', '-I', path.join(root, 'headers/v7.3'), '-o', path.join(dir, b.out), path.join(root, b.src)], { encoding: 'utf8' });
    if (r.status !== 0) {
      log(`bench guest: ${b.src} did not compile (${r.error?.message ?? r.stderr.trim()})`);
      failed.push(b.src);
    }
  }
  return failed;
}

/** The file compileBenchBaselines writes a part's baseline to, in `dir`. */
export function benchBaselineIn(dir, part) {
  return path.join(dir, BASELINES.find((b) => b.part === part).out);
}

/** What went wrong in the bench guest's figures, one line each. */
export function benchProblems(b) {
  if (!b) return ['the bench guest printed no figures'];
  return BENCH_PARTS.filter((p) => b[p]?.error).map((p) => `${p}: ${b[p].error}`);
}

const ms = (ns) => (ns / 1e6).toFixed(ns < 1e7 ? 3 : 1);

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => '  ' + r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

/** The bench guest's figures as tables (bench.ts's GuestBenches). */
export function printBenchGuest(b) {
  if (b.map?.error) console.log(`mapping guest RAM: not measured (${b.map.error})`);
  else if (b.map) {
    const rows = [['IOAS_MAP + UNMAP of 256 MiB (bench guest, TCG)', 'rounds x pairs', 'C ms/pair', 'TS ms/pair', 'TS/C']];
    for (const c of b.map.cases) {
      const what = `${c.pageKiB === 4 ? '4 KiB pages' : '2 MiB pages (hugetlb)'}, ${c.mock ? 'mock device attached (pins): target' : 'no device (no pinning)'}`;
      rows.push([what, `${c.roundCount} x ${c.pairs}`, ms(c.c), ms(c.ts), `${c.ratio.toFixed(2)}x`]);
    }
    console.log(`mapping guest RAM: ${b.map.lengthMiB} MiB in one IOMMU_IOAS_MAP and one IOMMU_IOAS_UNMAP, @uapi-ts/iommufd ioasMap/ioasUnmap on a Memory vs C (${b.map.hugePages} huge pages reserved); ms: medians of every timed pair; TS/C: the median of the rounds' ratios:`);
    console.log(table(rows));
    // The two sides make the same calls on the same kernel work; what TypeScript adds is the calls' own cost, which
    // the rows without a device measure alone. Against a pinning pair that is a ratio the rounds' noise hides.
    for (const pinned of b.map.cases.filter((c) => c.mock)) {
      const bare = b.map.cases.find((c) => !c.mock && c.pageKiB === pinned.pageKiB);
      if (!bare) continue;
      const added = bare.ts - bare.c;
      console.log(`  ${pinned.pageKiB === 4 ? '4 KiB' : '2 MiB'} pages: TypeScript adds ${(added / 1000).toFixed(1)} us per pair without a device; on a pinning pair of ${ms(pinned.c)} ms (C) that is ${((pinned.c + added) / pinned.c).toFixed(4)}x`);
    }
  }
  printVmm(b.vmm, 'nested KVM on TCG');
}

/**
 * The VMM hot loop's figures (bench-vmm.ts's VmmBench, or the error that stopped it) as a table; `kvm` says whose
 * KVM ran the vCPU. Also used for the host's run (bench/vmm/host.mjs).
 */
export function printVmm(v, kvm) {
  if (!v) return;
  if (v.error) return console.log(`VMM hot loop: not measured (${v.error})`);
  if (v.skipped) return console.log(`VMM hot loop: skipped, ${v.skipped}`);
  const perS = (ns) => Math.round(1e9 / ns).toLocaleString('en-US');
  console.log(`VMM hot loop: KVM_RUN serving port-I/O exits of a real-mode vCPU (${kvm}), ${v.exits} exits per run (the C loop's rate over a short run: ${v.calibration} ns/exit), ${v.rounds} alternating rounds each; ns/exit: medians; vs C: the median of the rounds' ratios:`);
  console.log(table([
    ['run loop', 'ns/exit', 'exits/s', 'vs C'],
    ['C (bench/guest/kvm-loop.c)', String(v.c), perS(v.c), '1.00x'],
    ['TypeScript (@uapi-ts/kvm, kvm_run mapped: bench-vmm-ts.ts)', String(v.ts), perS(v.ts), `${v.ratio.toFixed(2)}x`],
  ]));
  console.log(`  rounds: C ${v.cRuns.join(', ')}; TypeScript ${v.tsRuns.join(', ')} ns/exit`);
  const h = v.heap;
  console.log(`  heap over the TypeScript loops' ${h.exits} exits: ${h.gcs} GCs, heapUsed ${h.growth >= 0 ? '+' : ''}${h.growth} bytes (${(h.growth / h.exits).toFixed(3)} bytes/exit)`);
}
