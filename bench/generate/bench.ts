// Generation benchmark: whole-process `uapi-ts generate` of the 7.3 iommufd.h (model, TypeScript, docs) against
// Debian's bindgen (libclang) on the same header, wall time and peak RSS, runs alternating, medians. bindgen lays
// the header out for the host alone, so the row judged against it is `--target` the host; the default (a layout
// for every target Node runs on: seven parses of the header) is timed beside it. Then the
// cost per header when one process generates K headers (copies of the 7.3 header): flat means the K-th header
// costs what the second did; and every held version in one process against one process each. uapi-ts runs as
// npm runs a bin: the file itself is executed, so its first line (which sets Node's flags) applies.
//
//   node test/.out/bench-build/bench/generate/bench.js RUSAGE_BINARY [--runs N] [--json FILE]
//
// RUSAGE_BINARY is bench/generate/rusage.c compiled (bench/run.mjs does it); bindgen must be on PATH.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TARGETS } from '../../generator/src/model/target.js';
import { option } from '../lib/args.js';
import { median, ratio, table } from '../lib/measure.js';

const HEADER = 'headers/v7.3/linux/iommufd.h';
const PROFILE = 'headers/iommufd.profile.json';
const HELD = ['headers/v6.6-rc1/linux/iommufd.h', 'headers/v6.12/linux/iommufd.h', HEADER];

const argv = process.argv.slice(2);
const rusage = argv[0];
if (!rusage || rusage.startsWith('-')) throw new Error('usage: bench.js RUSAGE_BINARY [--runs N] [--json FILE]');
const runs = Number(option('--runs') ?? 7);
const work = mkdtempSync(join(tmpdir(), 'uapi-ts-bench-generate-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

interface Cost {
  readonly ms: number;
  readonly rssMiB: number;
}

/** One run of a command: wall ms and peak RSS MiB; a failed command ends the benchmark with its output. */
function measure(cmd: readonly string[]): Cost {
  const log = join(work, 'log.txt');
  const [ns, kib, status] = execFileSync(rusage!, [log, ...cmd], { encoding: 'utf8' }).trim().split(' ').map(Number);
  if (status !== 0) throw new Error(`${cmd.join(' ')} exited with ${status}:\n${readFileSync(log, 'utf8')}`);
  return { ms: ns! / 1e6, rssMiB: kib! / 1024 };
}

// The target (`--target`) this machine runs, by Node's process.arch: the one bindgen lays out for.
const hostTarget = TARGETS.find((t) => t.nodeArch === process.arch)?.name;
if (!hostTarget) throw new Error(`no uapi-ts target for this machine's process.arch '${process.arch}'`);

const uapiTs = (headers: readonly string[], out: string): string[] =>
  [resolve('generator/bin/uapi-ts.js'), 'generate', ...headers, '-I', 'headers/v7.3', '--profile', PROFILE, '--out', out, '--quiet'];
const bindgen = ['bindgen', HEADER, '-o', join(work, 'iommufd.rs'), '--', '-I', 'headers/v7.3'];

function medians(samples: readonly Cost[]): Cost {
  return { ms: median(samples.map((s) => s.ms)), rssMiB: median(samples.map((s) => s.rssMiB)) };
}

// 1. One header, alternating so that drift on a noisy machine hits both; one warm-up each (page cache).
// Two floors run alongside: Node starting and exiting, and `uapi-ts --help` (Node plus the CLI's own module).
type Variant = 'uapiTs' | 'everyTarget' | 'bindgen' | 'node' | 'help';
const variants: readonly Variant[] = ['uapiTs', 'everyTarget', 'bindgen', 'node', 'help'];
const samples: Record<Variant, Cost[]> = { uapiTs: [], everyTarget: [], bindgen: [], node: [], help: [] };
const once: Record<Variant, () => Cost> = {
  uapiTs: () => measure([...uapiTs([HEADER], join(work, 'out')), '--target', hostTarget]),
  everyTarget: () => measure(uapiTs([HEADER], join(work, 'out'))),
  bindgen: () => measure(bindgen),
  node: () => measure([process.execPath, '-e', '0']),
  help: () => measure([resolve('generator/bin/uapi-ts.js'), '--help']),
};
for (const v of variants) once[v]();
for (let r = 0; r < runs; r++) {
  for (let i = 0; i < variants.length; i++) {
    const v = variants[(i + r) % variants.length]!;
    samples[v].push(once[v]());
  }
}
const u = medians(samples.uapiTs);
const every = medians(samples.everyTarget);
const b = medians(samples.bindgen);
const floorNode = medians(samples.node);
const floorHelp = medians(samples.help);
console.log(table(
  [`generate ${HEADER} (${runs} runs each, medians)`, 'wall ms', 'peak RSS MiB', 'wall vs bindgen', 'RSS vs bindgen'],
  [
    ['bindgen 0.60 (libclang 14): Rust types only', b.ms.toFixed(0), b.rssMiB.toFixed(1), '1.00x', '1.00x'],
    [`uapi-ts generate --target ${hostTarget}: model, TS package, docs site`, u.ms.toFixed(0), u.rssMiB.toFixed(1), ratio(u.ms, b.ms), ratio(u.rssMiB, b.rssMiB)],
    ['  the same for every target Node runs on (the default)', every.ms.toFixed(0), every.rssMiB.toFixed(1), ratio(every.ms, b.ms), ratio(every.rssMiB, b.rssMiB)],
    ['  floor: node -e 0', floorNode.ms.toFixed(0), floorNode.rssMiB.toFixed(1), ratio(floorNode.ms, b.ms), ratio(floorNode.rssMiB, b.rssMiB)],
    ['  floor: uapi-ts --help', floorHelp.ms.toFixed(0), floorHelp.rssMiB.toFixed(1), ratio(floorHelp.ms, b.ms), ratio(floorHelp.rssMiB, b.rssMiB)],
  ],
));

// 2. K headers in one process: copies of the 7.3 header under distinct names (outside headers/, so no history is
// loaded and every header is the same work). Flat: the marginal cost, (T(K) - T(1)) / (K - 1), does not grow
// with K, nor does the in-process time of the K-th header (from the progress lines, "(N ms)" per header).
const counts = [1, 2, 4, 8, 16];
const inputs = join(work, 'in');
mkdirSync(inputs);
const copies = Array.from({ length: counts.at(-1)! }, (_, i) => {
  const path = join(inputs, `iommufd_${String(i).padStart(2, '0')}.h`);
  copyFileSync(HEADER, path);
  return path;
});
const loud = (headers: readonly string[], out: string): string[] => uapiTs(headers, out).filter((a) => a !== '--quiet');
const byCount = new Map<number, Cost[]>(counts.map((k) => [k, []]));
const nth: number[][] = []; // per run of K = 16: in-process ms of each header
for (let r = 0; r < Math.max(3, Math.ceil(runs / 2)); r++) {
  for (const k of r % 2 ? [...counts].reverse() : counts) {
    const out = join(work, `many-${k}`);
    rmSync(out, { recursive: true, force: true });
    byCount.get(k)!.push(measure(loud(copies.slice(0, k), out)));
    if (k === counts.at(-1)) nth.push([...readFileSync(join(work, 'log.txt'), 'utf8').matchAll(/\((\d+) ms\)$/gm)].map((m) => Number(m[1])));
  }
}
const t = new Map(counts.map((k) => [k, medians(byCount.get(k)!)]));
const t1 = t.get(1)!;
const marginal = (k: number): number => (t.get(k)!.ms - t1.ms) / (k - 1);
const inProcess = (k: number): number => median(nth.map((ms) => ms[k - 1]!));
console.log('');
console.log(table(
  ['K copies of the 7.3 header, one process (medians)', 'wall ms', 'marginal ms/header', 'vs K=2', 'K-th header ms (in process)', 'peak RSS MiB'],
  counts.map((k) => [
    `K = ${k}`, t.get(k)!.ms.toFixed(0), k === 1 ? '' : marginal(k).toFixed(0), k === 1 ? '' : ratio(marginal(k), marginal(2)),
    inProcess(k).toFixed(0), t.get(k)!.rssMiB.toFixed(1),
  ]),
));

// 3. Every held version of iommufd.h: one process against one process per version.
const held: Record<'together' | 'apart', Cost[]> = { together: [], apart: [] };
const heldCopies = HELD.map((h, i) => {
  const path = join(inputs, `held_${i}.h`);
  copyFileSync(h, path);
  return path;
});
for (let r = 0; r < Math.max(3, Math.ceil(runs / 2)); r++) {
  rmSync(join(work, 'held'), { recursive: true, force: true });
  held.together.push(measure(uapiTs(heldCopies, join(work, 'held'))));
  const each = heldCopies.map((h) => measure(uapiTs([h], join(work, 'held'))));
  held.apart.push({ ms: each.reduce((n, c) => n + c.ms, 0), rssMiB: Math.max(...each.map((c) => c.rssMiB)) });
}
const together = medians(held.together);
const apart = medians(held.apart);
console.log('');
console.log(table(
  [`the ${HELD.length} held iommufd.h versions (medians)`, 'wall ms', 'ms per header', 'peak RSS MiB'],
  [
    ['one process per header', apart.ms.toFixed(0), (apart.ms / HELD.length).toFixed(0), apart.rssMiB.toFixed(1)],
    ['one process for all', together.ms.toFixed(0), (together.ms / HELD.length).toFixed(0), together.rssMiB.toFixed(1)],
  ],
));

const jsonAt = option('--json');
if (jsonAt) {
  writeFileSync(jsonAt, JSON.stringify({
    single: { uapiTs: u, everyTarget: every, hostTarget, bindgen: b, node: floorNode, help: floorHelp, runs },
    many: counts.map((k) => ({ headers: k, ...t.get(k)!, marginalMs: k === 1 ? null : marginal(k), kthHeaderMs: inProcess(k) })),
    held: { together, apart },
  }, null, 2) + '\n');
}
