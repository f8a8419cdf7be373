// The guest test runner: runs inside the QEMU guest (started by test/kernel/init.sh, booted by test/kernel/run.mjs)
// as root, with /dev/iommu from a kernel that has IOMMUFD and IOMMUFD_TEST.
//
// Writing guest tests
// -------------------
// A guest test file is test/kernel/guest/<file>.ts. It exports `tests`, an object of test name → function; a test
// fails by throwing (or by returning a promise that rejects), and may end early with `skip(reason)`:
//
//     import assert from 'node:assert/strict';
//     import { expectErrno, skip, v73, type Tests } from './lib.js';
//
//     export const tests: Tests = {
//       'ioasAlloc gives an id'() {
//         using dev = v73.Iommufd.open();
//         assert.ok(dev.ioasAlloc().out_ioas_id > 0);
//       },
//       'destroy of an unknown id is ENOENT'() {
//         using dev = v73.Iommufd.open();
//         expectErrno(() => dev.destroy({ id: 12345 }), 'ENOENT');
//       },
//     };
//
// lib.ts re-exports the generated packages (v73, v612, v66rc1, test73: each generated/<pkg>/dist/index.js).
// Files run in name order, tests in the order of their object; each test is reported as `<file>: <name>`.
// Modules without a `tests` export (lib.ts, helpers) are ignored. A test must clean up what it opens (`using`).
// Tests run one at a time; an async test that has not settled after 60 s fails. The suite is compiled with
// test/kernel/guest/tsconfig.json (strict) into a fresh test/.out/kernel-guest-XXXXXX before the guest boots, so it is
// type-checked against the generated packages' declarations.
//
// Coverage: every generated package's IoctlDevice.prototype.call, callValue, callWith and callNone (the paths all
// generated ioctl methods take) are wrapped to record, per ioctl (its request number named by the package's `ioctls` table), how often it
// succeeded and which errnos it failed with. `ioctlRaw` is not counted: a hand-encoded argument does not
// exercise the generated encoder. The host turns that into the `ioctls exercised: N/M` line.
//
// Output (the serial console; test/kernel/run.mjs parses the markers, anything else is shown as guest output):
//   UAPI-TS-BENCH {"iterations":..,"rounds":..,"option":{"generated":..,"hand":..,"raw":..,"c":..,"drift":{..}},"allocDestroy":{..}} (callcost.ts)
//   UAPI-TS-START {"name":"smoke: opens /dev/iommu"}      (so that a crash is blamed on the test that was running)
//   UAPI-TS-TEST {"name":"smoke: opens /dev/iommu","status":"ok"|"fail"|"skip","ms":..,"error"?:..,"stack"?:..}
//   UAPI-TS-COVERAGE {"IOMMU_DESTROY":{"ok":3,"errnos":{"ENOENT":1},"packages":["iommufd-v7.3"]},...}
//   UAPI-TS-DONE {"passed":..,"failed":..,"skipped":..}
// Environment (from the kernel command line): uapi_ts_only=a,b runs only files whose name contains a or b;
// uapi_ts_bench=0 skips the per-call cost measurement, uapi_ts_bench=only runs a longer one and no tests;
// uapi_ts_cloop=PATH is the C baseline binary (bench/calls/ioctl-loop.c); uapi_ts_guest=vfio: this is the guest
// with the Intel IOMMU and the edu device, which runs the vfio*.ts files; uapi_ts_guest=noiommu: the guest with edu,
// no IOMMU and vfio's no-IOMMU mode, which runs noiommu*.ts; uapi_ts_guest=bench: the bench guest, which runs no
// tests but bench.ts (uapi_ts_bench_parts=map,vmm picks some) and prints its figures as UAPI-TS-BENCH; without it,
// the guest runs all the rest.
// A test states a result for the summary with `fact(text)` (lib.ts): `UAPI-TS-FACT edu dma: match`.
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ERRNO_NAMES, FdHandle, IoctlDevice } from '@uapi-ts/runtime';
import { measureCallCosts } from './callcost.js';
import { Skip, type Tests } from './lib.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const generatedDir = path.resolve(here, '../../../generated');
const TEST_TIMEOUT_MS = 60_000;
/** The guests other than the default (iommufd) one, each running the files named after it (run.mjs boots them). */
const OTHER_GUESTS = ['vfio', 'noiommu', 'kvm', 'bench'];
const guest = process.env.uapi_ts_guest ?? '';

function marker(kind: string, data: unknown): void {
  console.log(`UAPI-TS-${kind} ${JSON.stringify(data)}`);
}

// ---- coverage ----------------------------------------------------------------------------------------------

interface Usage {
  ok: number;
  errnos: Record<string, number>;
  packages: string[];
}
const coverage = new Map<string, Usage>();

function record(pkg: string, name: string, errnoCode: string | null): void {
  let u = coverage.get(name);
  if (!u) coverage.set(name, (u = { ok: 0, errnos: {}, packages: [] }));
  if (errnoCode === null) u.ok++;
  else u.errnos[errnoCode] = (u.errnos[errnoCode] ?? 0) + 1;
  if (!u.packages.includes(pkg)) u.packages.push(pkg);
}

type CallFn = (this: object, request: number, address?: number) => number;
interface PackageModule {
  ioctls: Readonly<Record<string, { readonly name: string; readonly request: number }>>;
  [name: string]: unknown;
}

/**
 * Request number → ioctl name. vfio.h gives one number to a device ioctl and a container ioctl (VFIO_BASE + 18 is
 * VFIO_DEVICE_BIND_IOMMUFD and VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY; the kernel tells them apart by the file): the
 * first in the header, the device's, names it, as the suite calls only device files with them.
 */
function requestNames(ioctls: readonly { readonly name: string; readonly request: number }[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const io of ioctls) if (!names.has(io.request)) names.set(io.request, io.name);
  return names;
}

/**
 * Wraps `call` of IoctlDevice (one class, in @uapi-ts/runtime, for every package): each call is recorded under
 * the package whose device class made it and the name that package gives the request.
 */
async function instrumentPackages(): Promise<string[]> {
  const owners = new Map<unknown, { readonly pkg: string; readonly names: ReadonlyMap<number, string> }>();
  for (const pkg of readdirSync(generatedDir).sort()) {
    const file = path.join(generatedDir, pkg, 'dist', 'index.js');
    if (!existsSync(file)) continue;
    const mod = (await import(pathToFileURL(file).href)) as PackageModule;
    const names = requestNames(Object.values(mod.ioctls));
    for (const value of Object.values(mod)) {
      if (typeof value === 'function' && value.prototype instanceof IoctlDevice && value !== FdHandle) owners.set(value, { pkg, names });
    }
  }
  const proto = IoctlDevice.prototype as unknown as { call: CallFn };
  const original = proto.call;
  if (typeof original !== 'function') throw new Error('IoctlDevice.prototype.call is not a function');
  // `call` returns 0 or the errno; the throwing methods and their `try` forms both go through it.
  // `address`: a flexible-array argument in a buffer of its own (the runtime's flexCall).
  proto.call = function (this: object, request: number, address?: number): number {
    const errno = address === undefined ? original.call(this, request) : original.call(this, request, address);
    const owner = owners.get(this.constructor);
    const name = owner?.names.get(request) ?? `ioctl 0x${request.toString(16)}`;
    record(owner?.pkg ?? this.constructor.name, name, errno === 0 ? null : (ERRNO_NAMES.get(errno) ?? `errno ${errno}`));
    return errno;
  };
  // `callValue`, `callWith` and `callNone` (a value or a descriptor returned, an integer passed by value, no argument
  // at all) return what the kernel returned or minus the errno.
  const valued = IoctlDevice.prototype as unknown as Record<'callValue' | 'callWith' | 'callNone', (this: object, request: number, ...rest: unknown[]) => number>;
  for (const key of ['callValue', 'callWith', 'callNone'] as const) {
    const inner = valued[key];
    valued[key] = function (this: object, request: number, ...rest: unknown[]): number {
      const r = inner.call(this, request, ...rest);
      const owner = owners.get(this.constructor);
      const name = owner?.names.get(request) ?? `ioctl 0x${request.toString(16)}`;
      record(owner?.pkg ?? this.constructor.name, name, r >= 0 ? null : (ERRNO_NAMES.get(-r) ?? `errno ${-r}`));
      return r;
    };
  }
  return [...new Set([...owners.values()].map((o) => o.pkg))];
}

// ---- tests -------------------------------------------------------------------------------------------------

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  const only = (process.env.uapi_ts_only ?? '').split(',').filter(Boolean);

  const bench = process.env.uapi_ts_bench ?? '';
  if (guest === 'bench') {
    // The bench guest (npm run bench): guest RAM mapping and the VMM hot loop (bench.ts), no tests. Imported here
    // only: the test guests need none of it.
    const { runGuestBenches } = await import('./bench.js');
    marker('BENCH', await runGuestBenches(here, (process.env.uapi_ts_bench_parts ?? '').split(',').filter(Boolean)));
    marker('DONE', { passed: 0, failed: 0, skipped: 0 });
    return 0;
  }
  if (bench !== '0') {
    // `only` (npm run bench): a longer measurement and no tests; otherwise a short one before the tests.
    const [iterations, rounds] = bench === 'only' ? [20_000, 9] : [3_000, 5];
    try {
      marker('BENCH', measureCallCosts(iterations, rounds, process.env.uapi_ts_cloop || null));
    } catch (e) {
      marker('BENCH', { error: String((e as Error)?.message ?? e) });
    }
    if (bench === 'only') {
      marker('DONE', { passed: 0, failed: 0, skipped: 0 });
      return 0;
    }
  }

  const packages = await instrumentPackages();
  console.log(`runner: recording ioctl calls of ${packages.join(', ')}`);

  const files = readdirSync(here)
    .filter((f) => f.endsWith('.js') && f !== 'runner.js')
    .filter((f) => (guest ? f.startsWith(guest) : !OTHER_GUESTS.some((g) => f.startsWith(g))))
    .sort()
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of files) {
    const base = file.replace(/\.js$/, '');
    let tests: Tests | undefined;
    try {
      const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { tests?: Tests };
      tests = mod.tests;
    } catch (e) {
      failed++;
      const err = e as Error;
      marker('TEST', { name: `${base}: (import)`, status: 'fail', ms: 0, error: String(err?.message ?? e), stack: err?.stack });
      continue;
    }
    if (tests === undefined) continue;
    for (const [name, fn] of Object.entries(tests)) {
      const full = `${base}: ${name}`;
      marker('START', { name: full });
      const t0 = performance.now();
      try {
        const r = fn();
        if (r && typeof (r as Promise<void>).then === 'function') await withTimeout(r as Promise<void>, TEST_TIMEOUT_MS);
        passed++;
        marker('TEST', { name: full, status: 'ok', ms: +(performance.now() - t0).toFixed(2) });
      } catch (e) {
        const ms = +(performance.now() - t0).toFixed(2);
        if (e instanceof Skip) {
          skipped++;
          marker('TEST', { name: full, status: 'skip', ms, error: e.message });
        } else {
          failed++;
          const err = e as Error;
          marker('TEST', { name: full, status: 'fail', ms, error: String(err?.message ?? e), stack: err?.stack });
        }
      }
    }
  }

  marker('COVERAGE', Object.fromEntries([...coverage].sort(([a], [b]) => a.localeCompare(b))));
  marker('DONE', { passed, failed, skipped });
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error('runner crashed:', e);
    process.exit(2);
  },
);
