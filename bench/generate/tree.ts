// Whole-tree benchmark: `uapi-ts generate --tree` over every linux/*.h of a UAPI tree in one process, against
// Debian's bindgen run once per header on the headers uapi-ts generated, summed (what a user of bindgen would
// wait for to bind the same headers). Wall time and peak RSS; the runs alternate so that drift hits both.
// bindgen's figure is already a sum over hundreds of processes, steady from run to run (156–167 s on one host);
// uapi-ts's is one process, whose wall time on a shared host swings by a third from one minute to the next. So
// each round times uapi-ts K times around one bindgen run, and the medians are over all of them. Each uapi-ts run
// writes into a folder of its own, all removed at the end (bench/lib/output-folders.ts says why).
//
//   node test/.out/bench-build/bench/generate/tree.js RUSAGE_BINARY [--tree DIR] [--runs N] [--uapi-runs K] [--json FILE]
//
// DIR defaults to $UAPI_TS_TREE, then /usr/include (the system's linux-libc-dev). bindgen must be on PATH.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { option } from '../lib/args.js';
import { median, ratio, table } from '../lib/measure.js';
import { OutputFolders } from '../lib/output-folders.js';

const argv = process.argv.slice(2);
const rusage = argv[0];
if (!rusage || rusage.startsWith('-')) throw new Error('usage: tree.js RUSAGE_BINARY [--tree DIR] [--runs N] [--uapi-runs K] [--json FILE]');
const tree = resolve(option('--tree') ?? process.env.UAPI_TS_TREE ?? '/usr/include');
const runs = Number(option('--runs') ?? 3);
const uapiRuns = Number(option('--uapi-runs') ?? 3);
if (!(Number.isInteger(runs) && runs > 0 && Number.isInteger(uapiRuns) && uapiRuns > 0)) throw new Error('--runs and --uapi-runs take a whole number of at least 1');
const jsonAt = option('--json');
if (!existsSync(join(tree, 'linux', 'types.h'))) {
  const why = `no UAPI tree at ${tree} (set UAPI_TS_TREE, or make one: uapi-ts import --deb VERSION --out DIR)`;
  console.log(`the whole tree: skipped, ${why}`);
  if (jsonAt) writeFileSync(jsonAt, JSON.stringify({ skipped: why }, null, 2) + '\n');
  process.exit(0);
}
const arch = join(tree, 'x86_64-linux-gnu');
const includes = ['-I', tree, ...(existsSync(arch) ? ['-I', arch] : [])];
const work = mkdtempSync(join(tmpdir(), 'uapi-ts-bench-tree-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

interface Cost {
  readonly ms: number;
  readonly rssMiB: number;
}

/** One run of a command: wall ms, peak RSS MiB and exit status; its output is in the log afterwards. */
function measure(cmd: readonly string[], log: string): Cost & { readonly status: number } {
  const [ns, kib, status] = execFileSync(rusage!, [log, ...cmd], { encoding: 'utf8' }).trim().split(' ').map(Number);
  return { ms: ns! / 1e6, rssMiB: kib! / 1024, status: status! };
}

const uapiTsLog = join(work, 'uapi-ts.log');
const outputs = new OutputFolders(work); // a fresh folder per run: see its file for why
function uapiTsOnce(out = outputs.next()): Cost {
  const cost = measure([resolve('generator/bin/uapi-ts.js'), 'generate', '--tree', tree, '--out', out, '--system-includes', '--skip-failing'], uapiTsLog);
  if (cost.status !== 0) throw new Error(`uapi-ts generate --tree exited with ${cost.status}:\n${readFileSync(uapiTsLog, 'utf8').slice(-2000)}`);
  return cost;
}

// The headers to compare on: those uapi-ts generated (its progress lines name each), known after a first run.
const firstOut = outputs.next();
uapiTsOnce(firstOut);
const generated = [...readFileSync(uapiTsLog, 'utf8').matchAll(/^\[\d+\/\d+\] (linux\/\S+\.h): \d+ records/gm)].map((m) => m[1]!);
if (generated.length === 0) throw new Error(`uapi-ts generated no header of ${tree}`);
outputs.checkRoom(firstOut, runs * uapiRuns);

/** bindgen once per header, summed; headers bindgen itself refuses are counted and still summed (it did the work). */
function bindgenOnce(): Cost & { readonly failed: number } {
  let ms = 0;
  let rssMiB = 0;
  let failed = 0;
  for (const h of generated) {
    const c = measure(['bindgen', join(tree, h), '-o', join(work, 'out.rs'), '--', ...includes], join(work, 'bindgen.log'));
    ms += c.ms;
    rssMiB = Math.max(rssMiB, c.rssMiB);
    if (c.status !== 0) failed++;
  }
  return { ms, rssMiB, failed };
}

const samples: { uapiTs: Cost[]; bindgen: (Cost & { failed: number })[] } = { uapiTs: [], bindgen: [] };
for (let r = 0; r < runs; r++) {
  // uapi-ts's runs of the round split around bindgen's, the larger half first in even rounds and last in odd ones.
  const before = r % 2 === 0 ? Math.ceil(uapiRuns / 2) : Math.floor(uapiRuns / 2);
  for (let k = 0; k < before; k++) samples.uapiTs.push(uapiTsOnce());
  samples.bindgen.push(bindgenOnce());
  for (let k = before; k < uapiRuns; k++) samples.uapiTs.push(uapiTsOnce());
}
const medians = (s: readonly Cost[]): Cost => ({ ms: median(s.map((c) => c.ms)), rssMiB: median(s.map((c) => c.rssMiB)) });
const u = medians(samples.uapiTs);
const b = medians(samples.bindgen);
const bindgenFailed = samples.bindgen[0]!.failed;
console.log(table(
  [`${generated.length} headers of ${tree} (medians of ${runs} bindgen and ${runs * uapiRuns} uapi-ts runs)`, 'wall ms', 'peak RSS MiB', 'wall vs bindgen'],
  [
    [`bindgen 0.60, one process per header, summed${bindgenFailed ? ` (${bindgenFailed} refused)` : ''}`, b.ms.toFixed(0), b.rssMiB.toFixed(1), '1.00x'],
    ['uapi-ts generate --tree: one process, packages + docs', u.ms.toFixed(0), u.rssMiB.toFixed(1), ratio(u.ms, b.ms)],
  ],
));

if (jsonAt) writeFileSync(jsonAt, JSON.stringify({ tree, headers: generated.length, runs, uapiRuns, uapiTs: u, bindgen: { ...b, failed: bindgenFailed } }, null, 2) + '\n');
