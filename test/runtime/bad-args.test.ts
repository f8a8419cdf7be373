// Issue 7, device methods: every ioctl method of every generated package (found from the model) refuses bad
// arguments with a TypeError/RangeError naming `IOCTL.field` before any system call, a closed handle with an
// Error, and a descriptor that is not the device (a pipe, /dev/null, a regular file, a directory, a number that
// is not open or not an int) with the kernel's errno or a RangeError, never a crash. "Before any system call":
// the handle is on /dev/null, where any ioctl that got through fails with ENOTTY, and its `call` is counted.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { argumentRecord } from '../../generator/src/conventions/annotations.js';
import type { RecordDef } from '../../generator/src/model/types.js';
import { badValues, goodValue, type ErrorClass } from '../property/bad-values.js';
import { leavesOf, put, unionInput } from '../property/leaves.js';
import { testPackages } from '../property/packages.js';
import { countCalls, deviceClass, ioctlMethods, takesObjects, type Handle, type Method } from './devices.js';
import { thrown } from '../thrown.js';

const counts = new Map<string, number>();
const count = (what: string): void => void counts.set(what, (counts.get(what) ?? 0) + 1);
afterAll(() => {
  if (process.env.UAPI_TS_COUNTS === '1') console.log(`bad-args cases: ${JSON.stringify(Object.fromEntries(counts))}`);
});

/** `fn` throws `error` with a message starting `prefix`, and the handle made no system call. */
function refusedBeforeCall(h: Handle, counter: { calls: number }, fn: () => unknown, error: ErrorClass | typeof Error, prefix: string | RegExp): void {
  const before = counter.calls;
  const e = thrown(fn);
  expect(e, `expected ${error.name} ${String(prefix)}`).toBeInstanceOf(error);
  const message = (e as Error).message;
  if (typeof prefix === 'string') expect(message.startsWith(prefix), `'${message}' should start with '${prefix}'`).toBe(true);
  else expect(message).toMatch(prefix);
  expect(counter.calls, `${message}: a system call was made`).toBe(before);
  expect(h.closed).toBe(false);
}

const call = (h: Handle, method: string, args?: unknown) => () => (h[method] as Method).call(h, args);

describe.each(testPackages())('device methods: $name', (pkg) => {
  const methods = ioctlMethods(pkg);
  const withArg = methods.filter((m) => argumentRecord(m.ioctl) !== null);

  it.each(withArg.map((m) => [m.ioctl.name, m] as const))('%s: bad arguments are refused before the call', async (name, m) => {
    const cls = deviceClass(pkg, await pkg.load());
    const h = cls.open('/dev/null');
    const counter = countCalls(h);
    try {
      const arg = argumentRecord(m.ioctl)!;
      const objects = new Set(m.pointers.filter(takesObjects).map((p) => p.field));
      const { leaves, unions } = leavesOf(arg, pkg.model);
      for (const leaf of leaves) {
        for (const bad of badValues(leaf.field, leaf.type, leaf.pointer)) {
          if (objects.has(leaf.field) && Array.isArray(bad.value)) continue; // an array of structs is what it takes
          refusedBeforeCall(h, counter, call(h, m.method, put({}, leaf, bad.value)), bad.error, `${name}${leaf.label}${bad.at ?? ''}: `);
          count(`field: ${bad.kind.replace(/^element \d+: /, 'element: ')}`);
        }
      }
      // Arrays of structs given as plain objects: a bad element, or a bad field of one, names its index.
      for (const p of m.pointers.filter(takesObjects)) {
        const element = (p.info.to as { element: RecordDef }).element;
        refusedBeforeCall(h, counter, call(h, m.method, { [p.path[0]!]: [{}, 5] }), TypeError, `${name}.${p.path[0]}[1]: `);
        for (const leaf of leavesOf(element, pkg.model).leaves) {
          for (const bad of badValues(leaf.field, leaf.type, leaf.pointer)) {
            const items = [{}, put({}, leaf, bad.value)];
            refusedBeforeCall(h, counter, call(h, m.method, { [p.path[0]!]: items }), bad.error, `${name}.${p.path[0]}[1]${leaf.label}${bad.at ?? ''}: `);
            count(`array element field: ${bad.kind}`);
          }
        }
      }
      for (const u of unions) {
        refusedBeforeCall(h, counter, call(h, m.method, unionInput({}, u, true, goodValue)), TypeError, `${name}${u.label}: `);
        count('two members of a union');
      }
      for (const method of [m.method, `${m.method}All`].filter((n) => typeof h[n] === 'function')) {
        for (const args of [null, 5, 'x', [], true, Symbol('a')]) {
          refusedBeforeCall(h, counter, call(h, method, args), TypeError, `${name}: `);
          count('arguments not an object');
        }
      }
      // The control: valid arguments do reach the kernel, which refuses an iommufd ioctl on /dev/null.
      expect(thrown(call(h, m.method, {}))).toMatchObject({ code: 'ENOTTY', ioctl: name });
      expect(counter.calls).toBe(1);
    } finally {
      h.close();
    }
  });

  it('a closed handle refuses every method with an Error, before any system call', async () => {
    const cls = deviceClass(pkg, await pkg.load());
    const h = cls.open('/dev/null');
    const counter = countCalls(h);
    h.close();
    const names = Object.getOwnPropertyNames(Object.getPrototypeOf(h)).filter((n) => n !== 'constructor' && typeof h[n] === 'function');
    expect(names).toEqual(expect.arrayContaining(methods.map((m) => m.method)));
    for (const n of names) {
      const e = thrown(call(h, n, {}));
      expect(e, n).toBeInstanceOf(Error);
      expect((e as Error).message, n).toMatch(/: the handle is closed$/);
      count('closed handle');
    }
    expect(counter.calls).toBe(0);
  });

  it('a descriptor that is not the device gives the errno, named; a number that is no descriptor is refused', async () => {
    const mod = await pkg.load();
    const cls = deviceClass(pkg, mod);
    const IoctlError = mod.IoctlError as ErrorClass;
    const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-fd-'));
    writeFileSync(join(dir, 'file'), 'not a device');
    const pipe = pipeFds();
    const fds: [string, number, string][] = [
      ['/dev/null', openSync('/dev/null', 'r+'), 'ENOTTY'],
      ['a pipe (read end)', pipe[0], 'ENOTTY'],
      ['a pipe (write end)', pipe[1], 'ENOTTY'],
      ['a regular file', openSync(join(dir, 'file'), 'r+'), 'ENOTTY'],
      ['a directory', openSync(dir, 'r'), 'ENOTTY'],
      ['a number that is not open', 987654, 'EBADF'],
    ];
    try {
      for (const [what, fd, code] of fds) {
        const h = cls.fromFd(fd);
        for (const m of methods) {
          // An ioctl without an argument struct takes an integer, or nothing: omitted, it is 0.
          const e = thrown(call(h, m.method, argumentRecord(m.ioctl) ? {} : undefined));
          expect(e, `${what}: ${m.method}`).toBeInstanceOf(IoctlError);
          expect(e, `${what}: ${m.method}`).toMatchObject({ code, ioctl: m.ioctl.name });
          count(`foreign fd: ${what}`);
        }
        h.close(); // not owned: leaves the descriptor open
      }
      // Not descriptors at all: koffi would pass 2^32 + 3 as fd 3, some other open file.
      for (const fd of [-1, 1.5, Number.NaN, 2 ** 31, 2 ** 32 + 3, '3']) {
        expect(thrown(() => cls.fromFd(fd as number)), String(fd)).toBeInstanceOf(RangeError);
        count('not a descriptor');
      }
    } finally {
      for (const [, fd] of fds.slice(0, 5)) closeSync(fd);
    }
  });

  it('open refuses a path that is not a string or holds a NUL byte (the C string would end there)', async () => {
    const cls = deviceClass(pkg, await pkg.load());
    for (const path of [5, null, {}, '/dev/null\0/etc/passwd']) {
      expect(thrown(() => cls.open(path as string)), String(path)).toBeInstanceOf(TypeError);
      count('bad open path');
    }
  });
});

/** Both ends of a named pipe (node has no pipe(2)); for ioctl a FIFO is a pipe. */
function pipeFds(): [number, number] {
  const fifo = join(mkdtempSync(join(tmpdir(), 'uapi-ts-fifo-')), 'fifo');
  execFileSync('mkfifo', [fifo]);
  const read = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  return [read, openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)];
}
