// Call benchmark on the host, where no /dev/iommu exists: an iommufd ioctl on /dev/null fails fast with ENOTTY.
// ns per call of the generated method's `try` form (returns the errno) and of a prepared call's `tryRun()` (also
// with a `set()` before each), of a raw koffi ioctl on the same prepared buffer, and of a C loop of the same
// call. Also timed in the same rounds: the throwing method (it builds an IoctlError), `new Error()` alone, a raw
// call passing a typed array instead of an address, and what any koffi call costs. With --napi, also a
// hand-written N-API addon making the same call (bench/calls/napi-ioctl.c): the floor of any Node binding.
// Targets: generated within 1.15x of raw koffi and within 1.3x of C.
import koffi from 'koffi';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { Iommufd, IoctlError, IommuIoasAlloc, IOMMU_IOAS_ALLOC } from '../../generated/iommufd-v7.3/src/index.js';
import { option } from '../lib/args.js';
import { compare, fmt, median, ratio, table } from '../lib/measure.js';
import { cLoop } from './c-loop.js';

const ENOTTY = 25;
const binary = process.argv[2];
if (!binary || binary.startsWith('-')) throw new Error('usage: host.js IOCTL_LOOP_BINARY [--napi ADDON] [--json FILE]');
const jsonAt = option('--json');
const napiAt = option('--napi');
const napi = napiAt ? (createRequire(import.meta.url)(resolve(napiAt)) as { ioctl(fd: number, request: number, address: number): number }) : null;

const libc = koffi.load('libc.so.6');
// The prototype device.ts uses for a handle's own buffer (its address, as a number), and the typed-array one.
const ioctl = libc.func('int ioctl(int fd, unsigned long request, uintptr_t arg)');
const ioctlPtr = libc.func('int ioctl(int fd, unsigned long request, void *arg)');
// What any koffi call costs here, for the comparison with C: the C-declared variadic form, a call with no
// arguments, and reading errno.
const ioctlVariadic = libc.func('int ioctl(int fd, unsigned long request, ...)');
const getpid = libc.func('int getpid(void)');
const fd = openSync('/dev/null', 'r+');
const dev = Iommufd.fromFd(fd);
const arg = new Uint8Array(new ArrayBuffer(IommuIoasAlloc.size)); // outside V8's heap: its address stays put
arg.set(IommuIoasAlloc.encode({ size: IommuIoasAlloc.size }));
const argAddress = Number(koffi.address(arg));
const preparedAlloc = dev.prepareIoasAlloc({});

function failingCalls(n: number): void {
  for (let i = 0; i < n; i++) {
    try {
      dev.ioasAlloc({});
      throw new Error('IOMMU_IOAS_ALLOC succeeded on /dev/null');
    } catch (e) {
      if (!(e instanceof IoctlError) || e.errno !== ENOTTY) throw e;
    }
  }
}

function rawCalls(n: number): void {
  for (let i = 0; i < n; i++) {
    if (ioctl(fd, IOMMU_IOAS_ALLOC, argAddress) !== -1 || koffi.errno() !== ENOTTY) throw new Error('raw ioctl: expected ENOTTY');
  }
}

const node = () =>
  compare({
    generated(n) {
      for (let i = 0; i < n; i++) if (dev.tryIoasAlloc({}) !== ENOTTY) throw new Error('tryIoasAlloc: expected ENOTTY');
    },
    prepared(n) {
      for (let i = 0; i < n; i++) if (preparedAlloc.tryRun() !== ENOTTY) throw new Error('prepareIoasAlloc().tryRun(): expected ENOTTY');
    },
    // New arguments each time: set() must not cost more than the method it stands in for.
    preparedSet(n) {
      for (let i = 0; i < n; i++) {
        preparedAlloc.set({});
        if (preparedAlloc.tryRun() !== ENOTTY) throw new Error('prepareIoasAlloc().tryRun(): expected ENOTTY');
      }
    },
    throwing: failingCalls,
    // The same, with V8's stack capture off: what the generated wrapper itself costs, apart from the Error.
    generatedNoStack(n) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        failingCalls(n);
      } finally {
        Error.stackTraceLimit = limit;
      }
    },
    raw: rawCalls,
    ...(napi && {
      napi(n: number) {
        for (let i = 0; i < n; i++) if (napi.ioctl(fd, IOMMU_IOAS_ALLOC, argAddress) !== ENOTTY) throw new Error('N-API ioctl: expected ENOTTY');
      },
    }),
    rawVariadic(n) {
      for (let i = 0; i < n; i++) {
        if (ioctlVariadic(fd, IOMMU_IOAS_ALLOC, 'void *', arg) !== -1 || koffi.errno() !== ENOTTY) throw new Error('raw ioctl: expected ENOTTY');
      }
    },
    rawTypedArray(n) {
      for (let i = 0; i < n; i++) {
        if (ioctlPtr(fd, IOMMU_IOAS_ALLOC, arg) !== -1 || koffi.errno() !== ENOTTY) throw new Error('raw ioctl: expected ENOTTY');
      }
    },
    newError(n) {
      let e: Error | undefined;
      for (let i = 0; i < n; i++) e = new Error('x');
      (globalThis as { __benchSink?: unknown }).__benchSink = e;
    },
  }, { rounds: 15 }); // more rounds than the default: a 200 ns call is easily disturbed here

// What any koffi call costs, against the same raw call; apart, because one iteration count serves every variant
// of a comparison, and these run 5-10x faster than the call (the throwing ones above would run for minutes).
const koffiFloors = () =>
  compare({
    raw: rawCalls,
    getpid(n) {
      let pid = 0;
      for (let i = 0; i < n; i++) pid = getpid() as number;
      if (pid !== process.pid) throw new Error('getpid through koffi: wrong pid');
    },
    errno(n) {
      let e = 0;
      for (let i = 0; i < n; i++) e = koffi.errno();
      (globalThis as { __benchSink?: unknown }).__benchSink = e;
    },
  }, { rounds: 15 });

// C before and after the Node rounds, so drift on a noisy machine shows in both.
const c = () => cLoop(binary, '/dev/null', 200_000, 9, ENOTTY, { request: IOMMU_IOAS_ALLOC, arg });
const cs = [c()];
const js = node();
const floors = koffiFloors();
cs.push(c());
const cNs = median(cs);
dev.close();
closeSync(fd);

const row = (label: string, ns: number): string[] => [label, fmt(ns), ratio(ns, js.raw!), ratio(ns, cNs)];
console.log(table(
  ['host: IOMMU_IOAS_ALLOC on /dev/null (ENOTTY)', 'ns/call', 'vs raw koffi', 'vs C'],
  [
    ['C loop', fmt(cNs), '', '1.00x'],
    row('raw koffi ioctl (address argument)', js.raw!),
    row('generated tryIoasAlloc (returns the errno)', js.generated!),
    row('prepareIoasAlloc() once, tryRun()', js.prepared!),
    row('  the same, set({}) before each tryRun()', js.preparedSet!),
    ...(js.napi ? [row('N-API addon ioctl (hand-written C binding)', js.napi)] : []),
    row('raw koffi ioctl (typed array argument)', js.rawTypedArray!),
    row('raw koffi ioctl (variadic, as C declares it)', js.rawVariadic!),
    [`koffi call of getpid() (no arguments)`, fmt(floors.getpid!), ratio(floors.getpid!, floors.raw!), ratio(floors.getpid!, cNs)],
    [`koffi.errno() alone`, fmt(floors.errno!), ratio(floors.errno!, floors.raw!), ratio(floors.errno!, cNs)],
    row('generated ioasAlloc (throws IoctlError)', js.throwing!),
    row('  same, Error.stackTraceLimit = 0', js.generatedNoStack!),
    row('new Error() alone (stack captured)', js.newError!),
  ],
));
if (jsonAt) writeFileSync(jsonAt, JSON.stringify({ cNs, ...js, koffiFloors: floors }, null, 2) + '\n');
