#!/usr/bin/env node
// `npm run bench`: every benchmark of BENCHMARKS.md, each printing its figures and their ratios to a baseline
// measured in the same run.
//
//   node bench/run.mjs [generate] [codecs] [calls] [guest] [tree] [vmm]      (default: all six)
//
// 1. generate: whole-process `uapi-ts generate` against Debian's bindgen (installed with apt-get when missing);
//    then the cost per header as one process generates 50 headers of a UAPI tree, then more, up to all of them
//    ($UAPI_TS_TREE or /tmp/deb/root/usr/include; skipped, said so, without one);
// 2. codecs: generated encode/decode against hand-written DataView code and koffi.encode/decode;
// 3. calls: a generated ioctl method against a raw koffi ioctl, an N-API addon and a C loop, on the host (ENOTTY
//    on /dev/null);
// 4. guest: the same in the kernel guest (IOMMU_OPTION get, IOAS_ALLOC + DESTROY), through test/kernel/run.mjs;
//    then, in a second guest (test/kernel/bench-guests.mjs), IOAS_MAP + UNMAP of 256 MiB and the KVM_RUN port-I/O
//    loop, each against C in the same boot (the loop needs a kernel with KVM: without, it says it is skipped);
//    needs a kernel image (UAPI_TS_KERNEL or the cache of npm run kernel:build), else it is skipped, said so.
// 5. tree: `uapi-ts generate --tree` over every linux/*.h of a UAPI tree ($UAPI_TS_TREE, else /usr/include) against
//    bindgen once per header on the same headers, summed (three rounds, uapi-ts three times in each); wall time and
//    peak RSS (several minutes: bindgen is slow);
// 6. vmm: the KVM_RUN port-I/O loop of 4. on this host's own /dev/kvm against the same loop in C (bench/vmm/host.mjs;
//    skipped, said so, without /dev/kvm).
// Figures are also written as JSON to test/.out/bench/. Exit status 1 when a benchmark could not run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findKernelImage } from '../kernel/image.mjs';
import { benchBaselineIn, compileBenchBaselines } from '../test/kernel/bench-guests.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'test/.out/bench');
const build = path.join(root, 'test/.out/bench-build/bench');
const ALL = ['generate', 'codecs', 'calls', 'guest', 'tree', 'vmm'];
const chosen = process.argv.slice(2);
for (const c of chosen) {
  if (!ALL.includes(c)) {
    console.error(`bench/run.mjs: unknown benchmark '${c}' (${ALL.join(', ')})`);
    process.exit(2);
  }
}
const wanted = chosen.length ? chosen : ALL;
mkdirSync(out, { recursive: true });

function step(what, cmd, args, env = {}) {
  console.log(`\n== ${what}`);
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const s = ((performance.now() - t) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`bench/run.mjs: ${what} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}) after ${s} s`);
    return false;
  }
  console.log(`(${what}: ${s} s)`);
  return true;
}

function have(cmd, args = ['--version']) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** apt-get install, through sudo when not root; as the kernel harness does for QEMU. */
function aptInstall(packages) {
  const [cmd, ...args] = [...(process.getuid?.() === 0 ? [] : ['sudo']), 'apt-get', 'install', '-y', '--no-install-recommends', ...packages];
  return step(`installing ${packages.join(' ')} (apt-get)`, cmd, args, { DEBIAN_FRONTEND: 'noninteractive' });
}

const node = process.execPath;
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const ok = [];
const failed = [];
const skipped = [];
const record = (name, success) => (success ? ok : failed).push(name);

// Each benchmark's JSON, removed before it runs so that a failed run cannot leave an older run's figures behind.
const jsonOf = { generate: 'generate.json', codecs: 'codecs.json', calls: 'calls-host.json', guest: 'calls-guest.json', tree: 'tree.json', vmm: 'vmm-host.json' };
const GUEST_BENCHES_JSON = 'guest-benches.json';
const TREE_FLAT_JSON = 'generate-tree.json';
const INLINED_JSON = 'codecs-inlined.json';
for (const b of wanted) rmSync(path.join(out, jsonOf[b]), { force: true });
if (wanted.includes('generate')) rmSync(path.join(out, TREE_FLAT_JSON), { force: true });
if (wanted.includes('guest')) rmSync(path.join(out, GUEST_BENCHES_JSON), { force: true });
if (wanted.includes('codecs')) rmSync(path.join(out, INLINED_JSON), { force: true });

if (!step('building the generator and the benchmarks', 'npm', ['run', '-s', 'build']) || !step('compiling bench/ (tsc -p bench)', node, [tsc, '-p', 'bench'])) process.exit(1);
const cc = (src, bin) => step(`gcc ${src}`, 'gcc', ['-O2', '-Wall', '-o', path.join(out, bin), path.join(root, src)]);

if (wanted.includes('generate')) {
  if (!have('bindgen') && !aptInstall(['bindgen', 'libclang1-14'])) record('generate', false);
  else if (!cc('bench/generate/rusage.c', 'rusage')) record('generate', false);
  else {
    const single = step('1. generation: uapi-ts generate vs bindgen', node, [path.join(build, 'generate/bench.js'), path.join(out, 'rusage'), '--json', path.join(out, 'generate.json')]);
    // Over a whole UAPI tree ($UAPI_TS_TREE): skipped, said so, when there is none.
    const tree = step('1b. generation over a UAPI tree: ms per header from 50 headers to all', node, [path.join(build, 'generate/tree-flat.js'), path.join(out, 'rusage'), '--json', path.join(out, TREE_FLAT_JSON)]);
    record('generate', single && tree);
  }
}
if (wanted.includes('codecs')) {
  const codecs = step('2. codecs: generated vs hand-written vs koffi (ns/op)', node, [path.join(build, 'codecs/bench.js'), '--json', path.join(out, 'codecs.json')]);
  record('codecs', codecs && (await inliningBound()));
}

/**
 * The records over the codec target, timed again with V8's inlining budget raised (default: 460 bytes of bytecode
 * per function, 920 per compilation): what they cost when the checked encoder is inlined into its caller as the
 * straight-line one is. Their figures go to codecs-inlined.json, which the targets table reads as the bound.
 */
async function inliningBound() {
  const { CODEC_WORST } = await import(pathToFileURL(path.join(build, 'lib/targets.js')).href);
  const figures = JSON.parse(readFileSync(path.join(out, 'codecs.json'), 'utf8'));
  const ref = (t) => t.hand ?? t.baseline;
  const over = figures.filter((r) => r.encode.generated / ref(r.encode) > CODEC_WORST || r.decode.generated / ref(r.decode) > CODEC_WORST);
  if (over.length === 0) return true;
  const flags = ['--max-inlined-bytecode-size=2000', '--max-inlined-bytecode-size-cumulative=4000'];
  return step(`2b. the ${over.length} records over ${CODEC_WORST}x again, with V8's inlining budget raised (${flags.join(' ')})`, node,
    [...flags, path.join(build, 'codecs/bench.js'), '--exact', '--json', path.join(out, INLINED_JSON), ...new Set(over.map((r) => r.record))]);
}
if (wanted.includes('calls')) {
  // The N-API addon row needs Node's headers (beside the node binary in Node's own packages); without them the
  // row is left out, said so.
  const nodeHeaders = path.resolve(path.dirname(node), '../include/node');
  const napi = existsSync(path.join(nodeHeaders, 'node_api.h')) &&
    step('gcc bench/calls/napi-ioctl.c (N-API addon)', 'gcc', ['-O2', '-Wall', '-shared', '-fPIC', '-I', nodeHeaders, '-o', path.join(out, 'napi-ioctl.node'), path.join(root, 'bench/calls/napi-ioctl.c')]);
  if (!napi) console.log(`(no N-API addon row: ${existsSync(nodeHeaders) ? 'it did not build' : `no Node headers at ${nodeHeaders}`})`);
  record('calls', cc('bench/calls/ioctl-loop.c', 'ioctl-loop') &&
    step('3. calls on the host: generated vs raw koffi vs C', node, [path.join(build, 'calls/host.js'), path.join(out, 'ioctl-loop'),
      ...(napi ? ['--napi', path.join(out, 'napi-ioctl.node')] : []), '--json', path.join(out, 'calls-host.json')]));
}
if (wanted.includes('guest')) {
  let image = null;
  try {
    image = findKernelImage();
  } catch (e) {
    console.error(`bench/run.mjs: ${e.message}`);
  }
  if (!image) {
    console.log('\n== 4. calls in the kernel guest: skipped, no kernel image (set UAPI_TS_KERNEL, or run npm run kernel:build)');
    skipped.push('guest');
  } else {
    record('guest', step('4. the kernel guests (TCG): calls (generated vs raw koffi vs C), guest RAM map and VMM hot loop (TS vs C)', node, [path.join(root, 'test/kernel/run.mjs')], {
      UAPI_TS_BENCH: 'only', UAPI_TS_BENCH_JSON: path.join(out, 'calls-guest.json'), UAPI_TS_BENCH_GUEST_JSON: path.join(out, GUEST_BENCHES_JSON),
    }));
  }
}
if (wanted.includes('tree')) {
  if (!have('bindgen') && !aptInstall(['bindgen', 'libclang1-14'])) record('tree', false);
  else if (!cc('bench/generate/rusage.c', 'rusage')) record('tree', false);
  else record('tree', step('5. the whole UAPI tree: uapi-ts generate --tree vs bindgen per header', node, [path.join(build, 'generate/tree.js'), path.join(out, 'rusage'), '--json', path.join(out, 'tree.json')]));
}
if (wanted.includes('vmm')) hostVmm();
await printTargets();
console.log(`\nbenchmarks run: ${ok.join(', ') || 'none'}${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}`);
console.log(`figures as JSON in ${path.relative(root, out)}/`);
process.exit(failed.length ? 1 : 0);

/**
 * The VMM hot loop on this host: the guest suite compiled into a folder of its own (bench/vmm/host.mjs runs its
 * bench-vmm.js), the generated packages' dist/ built first, as the kernel harness does.
 */
function hostVmm() {
  const suite = path.join(root, 'test/.out/bench-vmm-suite');
  rmSync(suite, { recursive: true, force: true });
  const built = step('building the generated packages (dist/)', node, [path.join(root, 'test/lib/build-packages.mjs')]) &&
    step('compiling the guest suite for the host (tsc -p test/kernel/guest)', node, [tsc, '-p', 'test/kernel/guest', '--outDir', suite]) &&
    compileBenchBaselines(root, out, ['vmm'], console.error).length === 0; // kvm-loop.c, as the bench guest has it
  const json = path.join(out, jsonOf.vmm);
  const ran = built && step("6. the VMM hot loop on this host's /dev/kvm: TypeScript vs C", node, [path.join(root, 'bench/vmm/host.mjs'), suite, benchBaselineIn(out, 'vmm'), '--json', json]);
  rmSync(suite, { recursive: true, force: true });
  if (ran && JSON.parse(readFileSync(json, 'utf8')).skipped !== undefined) skipped.push('vmm');
  else record('vmm', ran);
}

/** Issue 6's targets against this run's figures (bench/lib/targets.ts). */
async function printTargets() {
  const load = (b, name = jsonOf[b]) => {
    const file = path.join(out, name);
    return (ok.includes(b) || skipped.includes(b)) && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  };
  const { targetRows } = await import(pathToFileURL(path.join(build, 'lib/targets.js')).href);
  const { table } = await import(pathToFileURL(path.join(build, 'lib/measure.js')).href);
  const rows = targetRows({
    generate: load('generate'), treeFlat: load('generate', TREE_FLAT_JSON), codecs: load('codecs'), codecsInlined: load('codecs', INLINED_JSON), host: load('calls'), guest: load('guest'),
    guestBenches: load('guest', GUEST_BENCHES_JSON), tree: load('tree'), hostVmm: load('vmm'),
  });
  const verdict = (met) => (met === null ? '-' : met ? 'yes' : 'NO');
  console.log('\n== targets (issue 6), this run');
  console.log(table(['target', 'wanted', 'this run', 'met'], rows.map((r) => [r.target, r.wanted, r.result, verdict(r.met)])));
}
