#!/usr/bin/env node
// The kernel test harness: runs the guest suite (test/kernel/guest/*.ts) against a real /dev/iommu.
//
//   node test/kernel/run.mjs [FILTER...]      FILTER: run only guest files whose name contains it (e.g. smoke)
//
// 1. resolves the kernel image (kernel/image.mjs: UAPI_TS_KERNEL, the cache, or a build with UAPI_TS_BUILD_KERNEL=1);
// 2. installs qemu-system-x86 with apt-get if qemu-system-x86_64 is missing;
// 3. builds the generated packages (generated/<pkg>/dist) and compiles the guest suite into a fresh test/.out/kernel-guest-XXXXXX (one per run, removed after),
//    and examples/*.ts into its examples/ (their package imports resolve through links in its node_modules/);
// 4. boots the kernel under QEMU (TCG, 2G, 2 CPUs) with the host root shared read-only over virtio-9p and
//    test/kernel/init.sh as init, which runs the guest runner (test/kernel/guest/runner.ts); four times, one guest
//    after the other: the iommufd guest runs every guest file but vfio*.ts, noiommu*.ts and kvm*.ts; the vfio guest (q35 with an emulated Intel
//    IOMMU and QEMU's edu PCI device behind a PCIe root port, iommufd.allow_unsafe_interrupts=1) runs vfio*.ts;
//    the noiommu guest (edu, no IOMMU, vfio.enable_unsafe_noiommu_mode=1) runs noiommu*.ts; the kvm guest (-cpu max:
//    SVM emulated by TCG, so an image with KVM has /dev/kvm) runs kvm*.ts. A FILTER that matches no
//    file of a guest leaves that guest unbooted. With UAPI_TS_BENCH=only (npm run bench) no tests run: the iommufd
//    guest measures the per-call cost, then the bench guest (bench-guests.mjs) the guest RAM map and the VMM hot loop;
// 5. prints `ok NAME` / `FAIL NAME: REASON` per test, `N passed, M failed`, each guest's wall time, the per-call
//    cost, what the vfio guest states (`edu dma: match`), `vfio ioctls exercised: N/M` (of the device-cdev ioctls
//    edu can answer, see VFIO_IOCTLS), and last `ioctls exercised: N/M`: of the M ioctls of
//    headers/v7.3/linux/iommufd.h, how many the suite (all guests) called with success and with an errno failure
//    (IOMMU_IOAS_NOIOMMU_GET_PA, which only the noiommu guest can see succeed: a failure suffices without it).
// Exits 1 if a test failed, the guest crashed or timed out; 2 if the harness could not start.
//
// Env: UAPI_TS_KERNEL, UAPI_TS_BUILD_KERNEL  see kernel/image.mjs
//      UAPI_TS_QEMU     qemu binary (default qemu-system-x86_64, installed if missing)
//      UAPI_TS_TIMEOUT  seconds before QEMU is killed (default 300; the bench guest's own, 900)
//      UAPI_TS_BENCH=0  skip the per-call cost measurement; UAPI_TS_BENCH=only: a longer one and no tests
//                       (npm run bench), its figures also written as JSON to UAPI_TS_BENCH_JSON when set; then
//                       also the bench guest (bench-guests.mjs: guest RAM mapping, the VMM hot loop), its figures
//                       written to UAPI_TS_BENCH_GUEST_JSON; UAPI_TS_BENCH_PARTS=calls,map,vmm picks some
//      UAPI_TS_VERBOSE=1  echo the whole serial console
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KernelImageError, resolveKernelImage } from '../../kernel/image.mjs';
import { buildPackages } from '../lib/build-packages.mjs';
import { BENCH_GUEST, BENCH_PARTS, benchProblems, compileBenchBaselines, printBenchGuest } from './bench-guests.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const guestSrc = path.join(here, 'guest');
// One folder per run, so two runs at once (two developers, or vitest and a developer) cannot delete each other's
// compiled suite. Three levels below the root, like test/kernel/guest, so lib.ts's relative imports hold in both.
mkdirSync(path.join(root, 'test/.out'), { recursive: true });
const guestOut = mkdtempSync(path.join(root, 'test/.out/kernel-guest-'));
process.on('exit', () => rmSync(guestOut, { recursive: true, force: true }));
const init = path.join(here, 'init.sh');
const runner = path.join(guestOut, 'runner.js');
const IOMMUFD_HEADER = 'headers/v7.3/linux/iommufd.h';
/** Counted as exercised with errno failures alone when the noiommu guest did not run: needs a no-IOMMU device. */
const FAILURE_ONLY = new Set(['IOMMU_IOAS_NOIOMMU_GET_PA']);

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const timeoutS = Number(process.env.UAPI_TS_TIMEOUT || 300);
const verbose = process.env.UAPI_TS_VERBOSE === '1';
const t0 = performance.now();
const since = (t) => ((performance.now() - t) / 1000).toFixed(1);
const log = (msg) => console.log(`[run ${since(t0)}s] ${msg}`);

function fatal(msg) {
  console.error(`run.mjs: ${msg}`);
  process.exit(2);
}

function run(cmd, args, what) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) fatal(`${what}: ${r.error.message}`);
  if (r.status !== 0) fatal(`${what} failed (exit ${r.status ?? r.signal})`);
  return since(t);
}

// ---- 1. kernel image ---------------------------------------------------------------------------------------
let kernel;
try {
  kernel = resolveKernelImage(process.env, { log });
} catch (e) {
  if (e instanceof KernelImageError) fatal(e.message);
  throw e;
}
log(`kernel: ${kernel.path} (from ${kernel.source})`);

// ---- 2. qemu -----------------------------------------------------------------------------------------------
const onPath = (bin) => spawnSync('sh', ['-c', `command -v "${bin}"`], { encoding: 'utf8' }).stdout.trim();
let qemu = process.env.UAPI_TS_QEMU || 'qemu-system-x86_64';
if (!onPath(qemu)) {
  if (process.env.UAPI_TS_QEMU) fatal(`UAPI_TS_QEMU=${qemu} not found`);
  log('qemu-system-x86_64 not found: installing qemu-system-x86 with apt-get');
  const asRoot = process.getuid?.() === 0;
  const apt = (...args) => [asRoot ? 'env' : 'sudo', [...(asRoot ? [] : ['env']), 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args]];
  const t = performance.now();
  run(...apt('update', '-qq'), 'apt-get update');
  run(...apt('install', '-y', '-qq', '--no-install-recommends', 'qemu-system-x86'), 'apt-get install qemu-system-x86');
  if (!onPath(qemu)) fatal('qemu-system-x86 is installed but qemu-system-x86_64 is still not on PATH');
  log(`installed qemu-system-x86 in ${since(t)} s`);
}
qemu = onPath(qemu);
log(`qemu: ${qemu}`);

// ---- 3. generated packages and the guest suite -------------------------------------------------------------
const config = JSON.parse(readFileSync(path.join(root, 'uapi-ts.config.json'), 'utf8'));

{
  // Rebuilding only what is stale also keeps this from rewriting dist/ under a test that reads it at the same time.
  const t = performance.now();
  try {
    const { built, fresh } = await buildPackages();
    log(`packages: ${built.length ? `built ${built.join(', ')} in ${since(t)} s` : 'none stale'}${fresh.length ? `; up to date: ${fresh.join(', ')}` : ''}`);
  } catch (e) {
    fatal(`could not build the packages:\n${e.message}`);
  }
}
log(`compiled the guest suite (test/kernel/guest -> ${path.relative(root, guestOut)}) in ${run(process.execPath, [tsc, '-p', guestSrc, '--outDir', guestOut], 'tsc -p test/kernel/guest')} s`);
if (!existsSync(runner)) fatal(`${runner} missing after compiling the guest suite`);
// The examples (examples/*.ts), beside the suite: a guest test runs them. Their package names resolve there through
// a node_modules folder of links to the generated packages.
log(`compiled the examples (examples -> ${path.relative(root, guestOut)}/examples) in ${run(process.execPath, [tsc, '-p', 'examples', '--outDir', path.join(guestOut, 'examples')], 'tsc -p examples')} s`);
mkdirSync(path.join(guestOut, 'node_modules/@uapi-ts'), { recursive: true });
for (const p of config.packages) symlinkSync(path.join(root, p.out), path.join(guestOut, 'node_modules', p.name), 'dir');
const benchMode = process.env.UAPI_TS_BENCH === '0' ? 'off' : process.env.UAPI_TS_BENCH === 'only' ? 'only' : 'short';
// The C baseline of the per-call cost, compiled here (the guest runs the host's root, so it runs there too).
let cLoop = null;
if (benchMode !== 'off') {
  const out = path.join(guestOut, 'ioctl-loop');
  const r = spawnSync('gcc', ['-O2', '-o', out, path.join(root, 'bench/calls/ioctl-loop.c')], { encoding: 'utf8' });
  if (r.status === 0) cLoop = out;
  else log(`per-call cost: no C baseline (gcc: ${r.error?.message ?? r.stderr.trim()})`);
}
const benchParts = (process.env.UAPI_TS_BENCH_PARTS || ['calls', ...BENCH_PARTS].join(',')).split(',').filter(Boolean);
if (benchMode === 'only') compileBenchBaselines(root, guestOut, benchParts, log);
for (const p of [init, runner, kernel.path, ...(cLoop ? [cLoop] : [])]) if (/[\s"]/.test(p)) fatal(`path with whitespace or quotes cannot go on the kernel command line: ${p}`);
for (const f of filters) if (!/^[\w.-]+$/.test(f)) fatal(`filter '${f}': letters, digits, '.', '_' and '-' only`);

// ---- M: the ioctls of the v7.3 header ----------------------------------------------------------------------
async function headerIoctls() {
  const entry = config.packages.find((p) => p.header === IOMMUFD_HEADER);
  const loader = path.join(root, 'generator/dist/load.js');
  if (entry && existsSync(loader)) {
    try {
      const { loadModel } = await import(pathToFileURL(loader).href);
      const model = loadModel(path.join(root, entry.header), {
        includeDirs: (entry.includeDirs ?? []).map((d) => path.join(root, d)),
        profileFile: entry.profile ? path.join(root, entry.profile) : undefined,
      });
      return { names: model.ioctls.map((i) => i.name), from: 'the model (generator/dist/load.js)' };
    } catch (e) {
      log(`loadModel failed (${e.message}); counting _IO macros instead`);
    }
  }
  // #define NAME _IO(...) / _IOR / _IOW / _IOWR, continuation lines joined.
  const text = readFileSync(path.join(root, IOMMUFD_HEADER), 'utf8').replace(/\\\r?\n/g, ' ');
  const names = [...text.matchAll(/^#define\s+(\w+)\s+_IO(?:R|W|WR)?\s*\(/gm)].map((m) => m[1]);
  return { names, from: `the _IO macros of ${IOMMUFD_HEADER}` };
}
const ioctlSet = await headerIoctls();

// ---- M of the vfio guest: the device-cdev ioctls of vfio.h that edu behind vfio-pci can answer ---------------
// Of VFIO_DEVICE_*, left out: QUERY_GFX_PLANE and GET_GFX_DMABUF (graphics devices only), MIG_GET_PRECOPY_INFO
// (migration drivers only), and the legacy group/container ioctls (another path to the same device, not the cdev's).
const VFIO_IOCTLS = [
  'VFIO_DEVICE_BIND_IOMMUFD', 'VFIO_DEVICE_ATTACH_IOMMUFD_PT', 'VFIO_DEVICE_DETACH_IOMMUFD_PT',
  'VFIO_DEVICE_GET_INFO', 'VFIO_DEVICE_GET_REGION_INFO', 'VFIO_DEVICE_GET_IRQ_INFO', 'VFIO_DEVICE_SET_IRQS',
  'VFIO_DEVICE_RESET', 'VFIO_DEVICE_GET_PCI_HOT_RESET_INFO', 'VFIO_DEVICE_PCI_HOT_RESET', 'VFIO_DEVICE_FEATURE',
  'VFIO_DEVICE_IOEVENTFD',
];
const VFIO_HEADER = 'headers/v7.3/linux/vfio.h';
/** VFIO_IOCTLS, each checked to be an ioctl #define of the header (a misspelt name would be a gap never filled). */
function vfioIoctls() {
  const text = readFileSync(path.join(root, VFIO_HEADER), 'utf8').replace(/\\\r?\n/g, ' ');
  const defined = new Set([...text.matchAll(/^#define\s+(VFIO_\w+)\s+_IO(?:R|W|WR)?\s*\(/gm)].map((m) => m[1]));
  const unknown = VFIO_IOCTLS.filter((n) => !defined.has(n));
  if (unknown.length) fatal(`VFIO_IOCTLS names what ${VFIO_HEADER} does not define as an ioctl: ${unknown.join(' ')}`);
  return VFIO_IOCTLS;
}

function parseMarker(kind, json) {
  try {
    return JSON.parse(json);
  } catch (e) {
    console.error(`run.mjs: unreadable ${kind} marker (${e.message}): ${json}`);
    return null;
  }
}

// ---- 4. boot -----------------------------------------------------------------------------------------------
// Two guests, one after the other: the iommufd guest runs every file but vfio*.ts against the mock devices; the
// vfio guest adds an emulated Intel IOMMU and QEMU's edu PCI device (a device that does DMA) and runs vfio*.ts.
// intremap=off: QEMU 7.2 crashed with interrupt remapping on; without it, binding a device to iommufd needs
// iommufd.allow_unsafe_interrupts=1. edu sits alone behind a PCIe root port: then a secondary bus reset resets it
// (on the root bus edu, with no FLR or PM capability, has no reset at all: VFIO_DEVICE_RESET would be EINVAL).
const GUESTS = [
  { name: 'iommufd', files: (f) => !f.startsWith('vfio') && !f.startsWith('noiommu') && !f.startsWith('kvm') && !f.startsWith('bench'), qemu: [], append: [] },
  {
    name: 'vfio',
    files: (f) => f.startsWith('vfio'),
    qemu: ['-device', 'intel-iommu,intremap=off', '-device', 'pcie-root-port,id=rp0,chassis=1', '-device', 'edu,bus=rp0'],
    append: ['iommufd.allow_unsafe_interrupts=1', 'uapi_ts_guest=vfio'],
  },
  {
    // No IOMMU at all: edu bound to vfio-pci in vfio's no-IOMMU mode, where IOMMU_IOAS_NOIOMMU_GET_PA answers.
    name: 'noiommu',
    files: (f) => f.startsWith('noiommu'),
    qemu: ['-device', 'pcie-root-port,id=rp0,chassis=1', '-device', 'edu,bus=rp0'],
    append: ['vfio.enable_unsafe_noiommu_mode=1', 'uapi_ts_guest=noiommu'],
  },
  {
    // A CPU with virtualization: QEMU's TCG emulates AMD SVM with -cpu max, so kvm_amd gives the guest /dev/kvm
    // (an image without CONFIG_KVM has none: the kvm tests then skip, saying so).
    name: 'kvm',
    files: (f) => f.startsWith('kvm'),
    // no_timer_check: -cpu max under a loaded host's TCG can miss the IO-APIC timer check's ticks, and the kernel
    // then panics ("IO-APIC + timer doesn't work"); the check proves nothing the suite needs.
    qemu: ['-cpu', 'max'],
    append: ['no_timer_check', 'uapi_ts_guest=kvm'],
  },
];
const guestFiles = readdirSync(guestSrc).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'runner.ts' && f !== 'lib.ts');
const selected = (g) => guestFiles.filter(g.files).some((f) => filters.length === 0 || filters.some((o) => f.includes(o)));
const guests = benchMode === 'only'
  ? [...(benchParts.includes('calls') ? GUESTS.slice(0, 1) : []), ...(BENCH_PARTS.some((p) => benchParts.includes(p)) ? [BENCH_GUEST] : [])]
  : GUESTS.filter(selected);

function bootGuest(guest) {
  const bench = guest.name === 'iommufd' || guest === BENCH_GUEST ? benchMode : 'off';
  const append = [
    'console=ttyS0', 'quiet',
    'root=hostroot', 'rootfstype=9p', 'rootflags=trans=virtio,version=9p2000.L,msize=262144', 'ro',
    `init=${init}`, 'panic=-1',
    ...guest.append,
    // Unknown key=value parameters end up in init's environment.
    `uapi_ts_runner=${runner}`,
    ...(filters.length ? [`uapi_ts_only=${filters.join(',')}`] : []),
    ...(bench === 'off' ? ['uapi_ts_bench=0'] : bench === 'only' ? ['uapi_ts_bench=only'] : []),
    ...(cLoop && bench !== 'off' ? [`uapi_ts_cloop=${cLoop}`] : []),
    ...(guest === BENCH_GUEST ? [`uapi_ts_bench_parts=${benchParts.filter((p) => BENCH_PARTS.includes(p)).join(',')}`] : []),
  ].join(' ');
  const args = [
    '-M', 'q35', '-m', guest.memory ?? '2G', '-smp', '2', '-nographic', '-no-reboot', '-nic', 'none',
    ...guest.qemu,
    '-kernel', kernel.path,
    '-append', append,
    '-fsdev', 'local,id=r,path=/,security_model=none,readonly=on,multidevs=remap',
    '-device', 'virtio-9p-pci,fsdev=r,mount_tag=hostroot',
  ];
  log(`booting the ${guest.name} guest: ${qemu} ${args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  return new Promise((resolve) => runGuest(guest, bench, args, resolve));
}

function runGuest(guest, bench, args, resolve) {
  const tBoot = performance.now();
  const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const r = { name: guest.name, consoleLines: [], tests: [], bootedAt: null, bench: null, coverage: null, done: null, problems: [], wall: null, facts: [] };
  const { consoleLines, tests } = r;
  let pending = '';
  let guestExit = null;
  let running = null; // the test started and not finished
  let stage = 'boot'; // boot → guest (after UAPI-TS-BOOTED) → after (after UAPI-TS-DONE)

  function onLine(raw) {
    // Markers are matched anywhere in a line: the first guest line follows SeaBIOS's escape sequences.
    const line = raw.replace(/\r$/, '');
    consoleLines.push(line);
    if (verbose) console.log(`[${guest.name} ${since(tBoot)}s] ${line}`);
    let m;
    if ((m = /UAPI-TS-BOOTED (.*)$/.exec(line))) {
      r.bootedAt = since(tBoot);
      stage = 'guest';
      if (!verbose) log(`${guest.name} guest: init reached after ${r.bootedAt} s: ${m[1]}`);
    } else if ((m = /UAPI-TS-START (\{.*\})\s*$/.exec(line))) {
      running = parseMarker('START', m[1])?.name ?? null;
    } else if ((m = /UAPI-TS-TEST (\{.*\})\s*$/.exec(line))) {
      const t = parseMarker('TEST', m[1]);
      if (!t) return;
      running = null;
      tests.push(t);
      if (t.status === 'ok') console.log(`ok ${t.name}`);
      else if (t.status === 'skip') console.log(`skip ${t.name}: ${t.error}`);
      else {
        console.log(`FAIL ${t.name}: ${String(t.error).trim().replace(/\s*\n\s*/g, ' ')}`);
        const frames = String(t.stack ?? '').split('\n').map((s) => s.trim()).filter((s) => s.startsWith('at '));
        if (frames.length) console.log(frames.map((s) => `    ${s}`).join('\n'));
      }
    } else if ((m = /UAPI-TS-BENCH (\{.*\})\s*$/.exec(line))) {
      r.bench = parseMarker('BENCH', m[1]);
    } else if ((m = /UAPI-TS-COVERAGE (\{.*\})\s*$/.exec(line))) {
      r.coverage = parseMarker('COVERAGE', m[1]);
    } else if ((m = /UAPI-TS-FACT (.*\S)\s*$/.exec(line))) {
      // A line the suite states as a result (`edu dma: match`), printed in the summary.
      r.facts.push(m[1]);
    } else if ((m = /UAPI-TS-DONE (\{.*\})\s*$/.exec(line))) {
      r.done = parseMarker('DONE', m[1]);
      stage = 'after';
    } else if ((m = /UAPI-TS-EXIT (\d+)/.exec(line))) {
      guestExit = Number(m[1]);
      stage = 'after';
    } else if (stage === 'guest' && !verbose) {
      console.log(`  | ${line}`);
    }
  }

  child.stdout.on('data', (chunk) => {
    pending += chunk.toString('utf8');
    let i;
    while ((i = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, i));
      pending = pending.slice(i + 1);
    }
  });
  child.stderr.on('data', (d) => {
    for (const l of String(d).split('\n')) if (l) consoleLines.push(`[qemu stderr] ${l}`);
    process.stderr.write(d);
  });

  let timedOut = false;
  const limitS = process.env.UAPI_TS_TIMEOUT ? timeoutS : guest.timeoutS ?? timeoutS;
  const timer = setTimeout(() => {
    timedOut = true;
    console.error(`run.mjs: timeout after ${limitS} s, killing qemu (pid ${child.pid})`);
    child.kill('SIGKILL');
  }, limitS * 1000);
  const onSignal = () => {
    child.kill('SIGKILL');
    process.exit(130);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, onSignal);
  child.on('error', (e) => {
    clearTimeout(timer);
    fatal(`cannot start ${qemu}: ${e.message}`);
  });

  child.on('close', (code, signal) => {
    clearTimeout(timer);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(sig, onSignal);
    if (pending) onLine(pending);
    r.wall = since(tBoot);
    const problems = r.problems;
    if (timedOut) problems.push(`timed out after ${limitS} s`);
    // Exiting init panics the kernel on purpose ("Attempted to kill init!"); any other panic, oops or BUG is a crash.
    const crash = consoleLines.find((l) => /Kernel panic - not syncing: (?!Attempted to kill init!)|\bOops\b|\bBUG:|kernel BUG at|general protection fault/.test(l));
    if (crash) problems.push(`the guest kernel crashed: ${crash.trim()}`);
    if (r.bootedAt === null) problems.push('the guest never reached init.sh');
    else if (r.done === null) problems.push('the guest runner did not finish (no UAPI-TS-DONE): node crashed or was killed');
    if (guestExit === null && !timedOut) problems.push('init.sh did not report UAPI-TS-EXIT');
    if (code !== 0 && !timedOut) problems.push(`qemu exited with ${code ?? signal}`);

    if (running !== null) {
      const why = timedOut ? 'timed out' : crash ? 'the guest kernel crashed' : 'the guest runner died';
      console.log(`FAIL ${running}: ${why} while it ran`);
      tests.push({ name: running, status: 'fail', error: why });
    }
    const failed = tests.filter((t) => t.status === 'fail').length;
    const passed = tests.filter((t) => t.status === 'ok').length;
    if (r.done && (r.done.passed !== passed || r.done.failed !== failed)) problems.push(`the runner counted ${r.done.passed} passed, ${r.done.failed} failed, but ${tests.length} results were read`);
    if (r.done && tests.length === 0 && bench !== 'only') problems.push('no tests ran');
    if (bench === 'only' && (!r.bench || r.bench.error)) problems.push(`per-call cost not measured${r.bench?.error ? `: ${r.bench.error}` : ''}`);
    if (guestExit !== null && guestExit !== 0 && failed === 0) problems.push(`the guest runner exited with ${guestExit}`);

    if (problems.length) {
      if (!verbose) {
        console.error(`---- ${guest.name} guest: last 40 console lines ----`);
        console.error(consoleLines.slice(-40).join('\n'));
        console.error('-------------------------------');
      }
      for (const p of problems) console.error(`run.mjs: ${guest.name} guest: ${p}`);
    }
    resolve(r);
  });
}

// One guest at a time: the per-call cost wants a quiet machine, and two TCG guests booted side by side on a loaded
// 2-core machine once left the vfio guest hung before init.
const results = [];
for (const g of guests) results.push(await bootGuest(g));

const allTests = results.flatMap((r) => r.tests);
const failed = allTests.filter((t) => t.status === 'fail').length;
const passed = allTests.filter((t) => t.status === 'ok').length;
const skipped = allTests.filter((t) => t.status === 'skip').length;
const problems = results.flatMap((r) => r.problems);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
for (const r of results) {
  console.log(`kernel stage (${r.name} guest): ${r.wall} s wall (qemu start to exit${r.bootedAt !== null ? `; init reached at ${r.bootedAt} s` : ''})`);
}
const iommufdRun = results.find((r) => r.name === 'iommufd');
if (iommufdRun?.bench?.error) console.log(`per-call cost: not measured (${iommufdRun.bench.error})`);
else if (iommufdRun?.bench) printCallCosts(iommufdRun.bench);
if (benchMode === 'only') {
  const b = iommufdRun?.bench;
  if (b && !b.error && process.env.UAPI_TS_BENCH_JSON) writeFileSync(process.env.UAPI_TS_BENCH_JSON, JSON.stringify(b, null, 2) + '\n');
  const benchRun = results.find((r) => r.name === BENCH_GUEST.name);
  if (benchRun) {
    if (benchRun.bench) printBenchGuest(benchRun.bench);
    for (const p of benchProblems(benchRun.bench)) {
      problems.push(p);
      console.error(`run.mjs: bench guest: ${p}`);
    }
    if (benchRun.bench && process.env.UAPI_TS_BENCH_GUEST_JSON) writeFileSync(process.env.UAPI_TS_BENCH_GUEST_JSON, JSON.stringify(benchRun.bench, null, 2) + '\n');
  }
  process.exit(problems.length ? 1 : 0);
}

/** Per ioctl of `names`: counted as exercised when called with success (or FAILURE_ONLY) and with an errno failure. */
function tally(names, usage, failureOnly = new Set()) {
  const exercised = [];
  const gaps = { 'never called': [], 'no errno failure': [], 'no success': [] };
  for (const name of names) {
    const ok = usage[name]?.ok ?? 0;
    const failures = Object.keys(usage[name]?.errnos ?? {}).length;
    if ((ok > 0 || failureOnly.has(name)) && failures > 0) exercised.push(name);
    else gaps[ok === 0 && failures === 0 ? 'never called' : failures === 0 ? 'no errno failure' : 'no success'].push(name);
  }
  return { exercised, gaps };
}
const printGaps = (prefix, gaps) => {
  for (const [what, names] of Object.entries(gaps)) if (names.length) console.log(`${prefix}${what}: ${names.join(' ')}`);
};

// The kvm guest's facts (what its guests computed, the errnos and exits the kernel gave), then the vfio guest's
// lines: the iommufd line stays the last line of a run.
const kvmRun = results.find((r) => r.name === 'kvm');
if (kvmRun) for (const f of kvmRun.facts) console.log(f);
const vfioRun = results.find((r) => r.name === 'vfio');
if (vfioRun) {
  for (const f of vfioRun.facts) console.log(f);
  const names = vfioIoctls();
  const { exercised, gaps } = tally(names, vfioRun.coverage ?? {});
  printGaps('vfio ', gaps);
  console.log(`vfio ioctls exercised: ${exercised.length}/${names.length}`);
}
if (iommufdRun) {
  // Both guests call iommufd ioctls (the vfio guest on a real IOMMU): one tally over both.
  const usage = {};
  for (const r of results) {
    for (const [name, u] of Object.entries(r.coverage ?? {})) {
      const into = (usage[name] ??= { ok: 0, errnos: {} });
      into.ok += u.ok;
      for (const [e, n] of Object.entries(u.errnos)) into.errnos[e] = (into.errnos[e] ?? 0) + n;
    }
  }
  // Without the noiommu guest (a FILTER left it out), NOIOMMU_GET_PA can only fail.
  const { exercised, gaps } = tally(ioctlSet.names, usage, results.some((r) => r.name === 'noiommu') ? new Set() : FAILURE_ONLY);
  printGaps('', gaps);
  console.log(`ioctls counted from ${ioctlSet.from}`);
  console.log(`ioctls exercised: ${exercised.length}/${ioctlSet.names.length}`);
}
process.exit(problems.length || failed ? 1 : 0);

/** The guest's per-call figures (callcost.ts) as a table: ns per call, and ratios to raw koffi and to C. */
function printCallCosts(b) {
  const ratio = (x, y) => (y ? `${(x / y).toFixed(2)}x` : '-');
  const rows = [['call (guest, TCG)', 'C ns', 'raw koffi ns', 'ns', 'vs raw', 'vs raw + hand codec', 'raw/C', 'vs C']];
  const row = (name, c, ns) => rows.push([name, c.c ?? '-', c.raw, ns, ratio(ns, c.raw), ratio(ns, c.hand), ratio(c.raw, c.c), ratio(ns, c.c)].map(String));
  row('IOMMU_OPTION get: option()', b.option, b.option.generated);
  if (b.option.prepared != null) row('IOMMU_OPTION get: prepareOption() once, run()', b.option, b.option.prepared);
  if (b.option.hand != null) row('IOMMU_OPTION get: raw koffi + hand-written codec', b.option, b.option.hand);
  row('IOAS_ALLOC + DESTROY (per call): generated', b.allocDestroy, b.allocDestroy.generated);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`per-call cost (${b.iterations} calls x ${b.rounds} interleaved rounds after warm-up, medians):`);
  for (const r of rows) console.log('  ' + r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  // A variant still getting faster during the rounds was measured before the JIT was done: say so.
  const drifting = [];
  for (const [call, c] of [['IOMMU_OPTION', b.option], ['IOAS_ALLOC + DESTROY', b.allocDestroy]]) {
    for (const [variant, d] of Object.entries(c.drift ?? {})) if (d < 0.9) drifting.push(`${call} ${variant} (last/first third ${d})`);
  }
  console.log(drifting.length ? `  not steady, read with care: ${drifting.join(', ')}` : '  steady: every variant within 10% from the first third of the rounds to the last');
}
