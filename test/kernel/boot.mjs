#!/usr/bin/env node
// Host side of the kernel harness: boots a Linux kernel that has /dev/iommu
// under QEMU (TCG), with the host root shared read-only over virtio-9p, runs a
// guest script via init.sh and parses its "UAPI-TS-RESULT {json}" line.
//
// Usage: node test/kernel/boot.mjs [guest-script.mjs]
// Env:   UAPI_TS_KERNEL   kernel image (default /work/shared/kernel/bzImage-7.3.4-iommufd)
//        UAPI_TS_QEMU     qemu binary (default qemu-system-x86_64)
//        UAPI_TS_TIMEOUT  seconds before QEMU is killed (default 120)
//        UAPI_TS_MEM      guest memory (default 2G)
//        UAPI_TS_VERBOSE  1 = echo the whole console
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const kernel = process.env.UAPI_TS_KERNEL || '/work/shared/kernel/bzImage-7.3.4-iommufd';
const qemu = process.env.UAPI_TS_QEMU || 'qemu-system-x86_64';
const timeoutS = Number(process.env.UAPI_TS_TIMEOUT || 120);
const mem = process.env.UAPI_TS_MEM || '2G';
const verbose = process.env.UAPI_TS_VERBOSE === '1';
const init = path.join(here, 'init.sh');
const script = path.resolve(process.argv[2] || path.join(here, 'guest-smoke.mjs'));

for (const [what, p] of [['kernel', kernel], ['init', init], ['guest script', script]]) {
  if (!existsSync(p)) {
    console.error(`boot.mjs: ${what} not found: ${p}`);
    process.exit(2);
  }
}
if (/\s/.test(init + script)) {
  console.error('boot.mjs: paths with whitespace cannot go on the kernel command line');
  process.exit(2);
}

const append = [
  'console=ttyS0', 'quiet',
  'root=hostroot', 'rootfstype=9p', 'rootflags=trans=virtio,version=9p2000.L,msize=262144', 'ro',
  `init=${init}`, 'panic=-1',
  `uapi_ts_script=${script}`, // unknown key=value -> init's environment
].join(' ');

const args = [
  '-M', 'q35', '-m', mem, '-smp', '2', '-nographic', '-no-reboot',
  '-kernel', kernel,
  '-append', append,
  '-fsdev', 'local,id=r,path=/,security_model=none,readonly=on,multidevs=remap',
  '-device', 'virtio-9p-pci,fsdev=r,mount_tag=hostroot',
];

console.log(`$ ${qemu} ${args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);

const t0 = process.hrtime.bigint();
const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e9;
const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] });

let console_ = '';
let pending = '';
let result = null;
let guestExit = null;
let bootedAt = null;
const tests = [];

function onLine(raw) {
  const line = raw.replace(/\r$/, '');
  if (verbose) process.stdout.write(`[guest ${elapsed().toFixed(1)}s] ${line}\n`);
  let m;
  // Markers are matched anywhere in the line: the first guest line follows
  // SeaBIOS's terminal escape sequences without a newline in between.
  if ((m = /UAPI-TS-BOOTED.*$/.exec(line))) {
    bootedAt = elapsed();
    if (!verbose) console.log(`[guest ${bootedAt.toFixed(1)}s] ${m[0]}`);
  } else if ((m = /UAPI-TS-TEST (\S+) (.*)$/.exec(line))) {
    tests.push(line);
    if (!verbose) console.log(`[guest ${elapsed().toFixed(1)}s] ${line}`);
  } else if ((m = /UAPI-TS-RESULT (\{.*\})\s*$/.exec(line))) {
    try { result = JSON.parse(m[1]); } catch (e) { console.error(`boot.mjs: bad result JSON: ${e.message}`); }
  } else if ((m = /UAPI-TS-EXIT (\d+)/.exec(line))) {
    guestExit = Number(m[1]);
  }
}

function onData(chunk) {
  const s = chunk.toString('utf8');
  console_ += s;
  pending += s;
  let i;
  while ((i = pending.indexOf('\n')) >= 0) {
    onLine(pending.slice(0, i));
    pending = pending.slice(i + 1);
  }
}
child.stdout.on('data', onData);
child.stderr.on('data', (d) => { console_ += d; if (verbose) process.stderr.write(d); });

let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  console.error(`boot.mjs: timeout after ${timeoutS}s, killing qemu (pid ${child.pid})`);
  child.kill('SIGKILL');
}, timeoutS * 1000);

child.on('error', (e) => {
  clearTimeout(timer);
  console.error(`boot.mjs: cannot start ${qemu}: ${e.message}`);
  process.exit(2);
});

child.on('close', (code, signal) => {
  clearTimeout(timer);
  if (pending) onLine(pending);
  const wall = elapsed();
  console.log(`qemu exited code=${code} signal=${signal} after ${wall.toFixed(2)}s wall` +
    (bootedAt != null ? ` (init reached at ${bootedAt.toFixed(2)}s)` : ''));
  let ok = !timedOut && result != null && result.failed === 0 && guestExit === 0;
  if (result) {
    console.log(`guest result: ${result.passed} passed, ${result.failed} failed`);
    for (const r of result.results ?? []) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}`);
  } else {
    console.error('boot.mjs: no UAPI-TS-RESULT line from the guest');
  }
  if (guestExit == null) console.error('boot.mjs: guest did not report UAPI-TS-EXIT');
  if (!ok && !verbose) {
    console.error('---- last 60 console lines ----');
    console.error(console_.split('\n').slice(-60).join('\n'));
  }
  process.exit(ok ? 0 : 1);
});
