// Generation over a whole UAPI tree: does the cost of a header stay flat as one process generates more of them?
// The headers are the tree's linux/*.h that generate (a first `generate --tree --skip-failing` run says which; it
// also warms the page cache), in a fixed shuffled order. A sample of 50 of them is generated alone, then after
// K - 50 others, up to every header: the sample's in-process milliseconds (the "(N ms)" progress line of each
// header) at the end of a run of K against the same 50 at the start of a process is the growth; wall time, ms per
// header and peak RSS of each run are printed too.
//
//   node test/.out/bench-build/bench/generate/tree-flat.js RUSAGE_BINARY [--runs N] [--json FILE]
//
// The tree is $UAPI_TS_TREE, else /usr/include (`uapi-ts import --deb VERSION --out DIR` makes one of any version);
// without one the benchmark says it is skipped (and --json records why).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { option } from '../lib/args.js';
import { median, table } from '../lib/measure.js';
import { OutputFolders } from '../lib/output-folders.js';

const SAMPLE = 50;
const argv = process.argv.slice(2);
const rusage = argv[0];
if (!rusage || rusage.startsWith('-')) throw new Error('usage: tree-flat.js RUSAGE_BINARY [--runs N] [--json FILE]');
const runs = Number(option('--runs') ?? 3);
const jsonAt = option('--json');
const tree = resolve(process.env.UAPI_TS_TREE ?? '/usr/include');

if (!existsSync(join(tree, 'linux', 'types.h'))) {
  const why = `no UAPI tree at ${tree} (set UAPI_TS_TREE, or make one: uapi-ts import --deb VERSION --out DIR)`;
  console.log(`generation over a tree: skipped, ${why}`);
  if (jsonAt) writeFileSync(jsonAt, JSON.stringify({ skipped: why }, null, 2) + '\n');
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'uapi-ts-bench-tree-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const cli = resolve('generator/bin/uapi-ts.js');
const includeDirs = [tree, join(tree, 'x86_64-linux-gnu')].filter((d) => existsSync(d));

interface Run {
  readonly ms: number;
  readonly rssMiB: number;
  /** In-process ms of each header, in the order generated. */
  readonly perHeader: readonly number[];
}

/** One process: wall ms, peak RSS and its stderr (the progress lines); a failure ends the benchmark with its output. */
function measure(cmd: readonly string[]): { ms: number; rssMiB: number; log: string } {
  const log = join(work, 'log.txt');
  const [ns, kib, status] = execFileSync(rusage!, [log, ...cmd], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split(' ').map(Number);
  const text = readFileSync(log, 'utf8');
  if (status !== 0) throw new Error(`${cmd.slice(0, 4).join(' ')} ... exited with ${status}:\n${text.slice(-2000)}`);
  return { ms: ns! / 1e6, rssMiB: kib! / 1024, log: text };
}

// Which headers generate: every one but those `--skip-failing` reports as not generated.
const outputs = new OutputFolders(work); // a fresh folder per run: see its file for why
const firstOut = outputs.next();
const first = measure([cli, 'generate', '--tree', tree, '--out', firstOut, '--system-includes', '--skip-failing']);
const failing = new Set([...first.log.matchAll(/^\[\d+\/\d+\] linux\/(\S+): not generated/gm)].map((m) => m[1]!));
const all = readdirSync(join(tree, 'linux')).filter((f) => f.endsWith('.h') && !failing.has(f)).sort();

// A fixed shuffle (a linear congruential generator, seed 1), so that the sample and each prefix are every kind of header.
let seed = 1;
const shuffled = [...all];
for (let i = shuffled.length - 1; i > 0; i--) {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  const j = seed % (i + 1);
  [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
}
const sample = shuffled.slice(0, SAMPLE);
const others = shuffled.slice(SAMPLE);
const counts = [SAMPLE, 100, 200, 400, all.length].filter((k, i, ks) => k <= all.length && ks.indexOf(k) === i);
// The runs together write the whole tree's output this many times over.
outputs.checkRoom(firstOut, (runs * counts.reduce((a, k) => a + k, 0)) / all.length);

/** K headers in one process, the sample last: K - 50 others first. */
function runK(k: number): Run {
  const headers = [...others.slice(0, k - SAMPLE), ...sample].map((f) => join(tree, 'linux', f));
  const out = outputs.next();
  // x86_64 alone, as `--tree` lays out by default: `generate HEADER...` would lay out for every target Node runs on,
  // which some headers that `--tree` generates (linux/sysinfo.h) cannot serve in one package.
  const r = measure([cli, 'generate', ...headers, ...includeDirs.flatMap((d) => ['-I', d]), '--system-includes', '--target', 'x86_64', '--out', out]);
  const perHeader = [...r.log.matchAll(/\((\d+) ms\)$/gm)].map((m) => Number(m[1]));
  if (perHeader.length !== k) throw new Error(`generate of ${k} headers printed ${perHeader.length} progress lines`);
  return { ms: r.ms, rssMiB: r.rssMiB, perHeader };
}

const byCount = new Map<number, Run[]>(counts.map((k) => [k, []]));
for (let r = 0; r < runs; r++) {
  for (const k of r % 2 ? [...counts].reverse() : counts) byCount.get(k)!.push(runK(k));
}
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const rows = counts.map((k) => {
  const rs = byCount.get(k)!;
  const sampleMs = median(rs.map((r) => sum(r.perHeader.slice(k - SAMPLE))));
  return {
    headers: k,
    ms: median(rs.map((r) => r.ms)),
    rssMiB: median(rs.map((r) => r.rssMiB)),
    msPerHeader: median(rs.map((r) => sum(r.perHeader) / k)),
    sampleMsPerHeader: sampleMs / SAMPLE,
  };
});
const base = rows[0]!.sampleMsPerHeader;
console.log(table(
  [`K of the ${all.length} headers of ${tree} that generate, one process (${runs} runs, medians)`, 'wall ms', 'ms/header (wall / K)', 'in-process ms/header', `the ${SAMPLE}-header sample, last: ms/header`, 'vs K = 50', 'peak RSS MiB'],
  rows.map((r) => [
    `K = ${r.headers}`, r.ms.toFixed(0), (r.ms / r.headers).toFixed(1), r.msPerHeader.toFixed(1), r.sampleMsPerHeader.toFixed(1),
    `${(r.sampleMsPerHeader / base).toFixed(2)}x`, r.rssMiB.toFixed(1),
  ]),
));
if (failing.size > 0) console.log(`(${failing.size} headers do not generate and are left out: ${[...failing].sort().join(', ')})`);
if (jsonAt) writeFileSync(jsonAt, JSON.stringify({ tree, sample: SAMPLE, runs, left: [...failing].sort(), rows }, null, 2) + '\n');
