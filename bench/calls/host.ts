// Call benchmark on the host, where no /dev/iommu exists: an iommufd ioctl on /dev/null fails fast with ENOTTY.
// ns per call of the generated method (which throws IoctlError), of a raw koffi ioctl on the same prepared
// buffer, and of a C loop of the same call. Also timed in the same rounds: `new Error()` alone, the floor of any
// API that reports failure by throwing, and the generated method with stack capture off. Targets: generated within 1.15x of raw koffi and within 1.3x of C.
import koffi from 'koffi';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { Iommufd, IoctlError, IommuIoasAlloc, IOMMU_IOAS_ALLOC } from '../../generated/iommufd-v7.3/src/index.js';
import { compare, fmt, median, ratio, table } from '../lib/measure.js';
import { cLoop } from './c-loop.js';

const ENOTTY = 25;
const [binary] = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (!binary) throw new Error('usage: host.js IOCTL_LOOP_BINARY [--json FILE]');
const jsonAt = process.argv.indexOf('--json');

const libc = koffi.load('libc.so.6');
const ioctl = libc.func('int ioctl(int fd, unsigned long request, void *arg)'); // the prototype device.ts uses
const fd = openSync('/dev/null', 'r+');
const dev = Iommufd.fromFd(fd);
const arg = IommuIoasAlloc.encode({ size: IommuIoasAlloc.size });

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

const node = () =>
  compare({
    generated: failingCalls,
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
    raw(n) {
      for (let i = 0; i < n; i++) {
        if (ioctl(fd, IOMMU_IOAS_ALLOC, arg) !== -1 || koffi.errno() !== ENOTTY) throw new Error('raw ioctl: expected ENOTTY');
      }
    },
    newError(n) {
      let e: Error | undefined;
      for (let i = 0; i < n; i++) e = new Error('x');
      (globalThis as { __benchSink?: unknown }).__benchSink = e;
    },
  });

// C before and after the Node rounds, so drift on a noisy machine shows in both.
const c = () => cLoop(binary, '/dev/null', 200_000, 9, ENOTTY, { request: IOMMU_IOAS_ALLOC, arg });
const cs = [c()];
const js = node();
cs.push(c());
const cNs = median(cs);
dev.close();
closeSync(fd);

console.log(table(
  ['host: IOMMU_IOAS_ALLOC on /dev/null (ENOTTY)', 'ns/call', 'vs raw koffi', 'vs C'],
  [
    ['C loop', fmt(cNs), '', '1.00x'],
    ['raw koffi ioctl', fmt(js.raw!), '1.00x', ratio(js.raw!, cNs)],
    ['generated ioasAlloc (throws IoctlError)', fmt(js.generated!), ratio(js.generated!, js.raw!), ratio(js.generated!, cNs)],
    ['  same, Error.stackTraceLimit = 0', fmt(js.generatedNoStack!), ratio(js.generatedNoStack!, js.raw!), ratio(js.generatedNoStack!, cNs)],
    ['new Error() alone (stack captured)', fmt(js.newError!), ratio(js.newError!, js.raw!), ratio(js.newError!, cNs)],
  ],
));
if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1]!, JSON.stringify({ cNs, ...js }, null, 2) + '\n');
