// The generated device classes as the runtime tests see them, found from the model (not hand-listed): the class
// of each package, every ioctl method with its argument struct, and a handle whose system calls are counted.
import { basename } from 'node:path';
import { pascalCase } from '../../generator/src/emit/names.js';
import type { PointerField } from '../../generator/src/conventions/pointers.js';
import { argumentRecord, type AnnotatedIoctl } from '../../generator/src/conventions/annotations.js';
import type { TestPackage } from '../property/packages.js';

export type Method = (args?: unknown) => unknown;

export interface Handle {
  readonly fd: number;
  readonly closed: boolean;
  close(): void;
  [name: string]: unknown;
}

export interface DeviceClass {
  open(path?: string): Handle;
  fromFd(fd: number): Handle;
}

export interface IoctlMethod {
  readonly ioctl: AnnotatedIoctl;
  readonly method: string;
  /** Pointer fields of the argument struct, with the hints' count, length and minBytes. */
  readonly pointers: readonly PointerField[];
}

export function deviceClass(pkg: TestPackage, mod: Record<string, unknown>): DeviceClass {
  const kinds = pkg.model.handles;
  const names = kinds.length > 0 ? kinds.map((k) => k.className) : [pascalCase(basename(pkg.model.header).replace(/\.h$/, ''))];
  const classes = names.map((name) => {
    const cls = mod[name] as DeviceClass | undefined;
    if (typeof cls?.fromFd !== 'function') throw new Error(`${pkg.name}: no device class ${name}`);
    return cls;
  });
  if (classes.length === 1) return classes[0]!;
  // Handle kinds (profile `handles`): one handle that has every ioctl's method, each from its kind's class on the
  // same descriptor, so that a test reaches all of them as it reaches one class's.
  return { open: (path) => allKinds(classes, classes[0]!.open(path)), fromFd: (fd) => allKinds(classes, classes[0]!.fromFd(fd)) };
}

function allKinds(classes: readonly DeviceClass[], first: Handle): Handle {
  const handles = classes.map((c, i) => (i === 0 ? first : c.fromFd(first.fd)));
  const owner = (p: string | symbol): Handle => handles.find((h) => typeof h[p as string] === 'function') ?? first;
  const methods: Record<string, true> = {}; // what the prototypes of all kinds define, for tests that list methods
  for (const h of handles) for (const n of Object.getOwnPropertyNames(Object.getPrototypeOf(h))) methods[n] = true;
  return new Proxy(first, {
    getPrototypeOf: () => methods,
    get(_t, p) {
      if (p === 'close') return () => handles.forEach((h) => h.close());
      if (p === 'fd' || p === 'closed') return first[p];
      const h = owner(p);
      const v = h[p as string];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(h) : v;
    },
    set(_t, p, v) {
      for (const h of handles) h[p as string] = v; // countCalls' wrapper of `call`, on every kind's handle
      return true;
    },
  });
}

export function ioctlMethods(pkg: TestPackage): IoctlMethod[] {
  return pkg.model.ioctls.map((ioctl) => ({
    ioctl,
    method: ioctl.method,
    pointers: pkg.model.pointers.filter((p) => p.record === argumentRecord(ioctl)),
  }));
}

/** Pointer fields that take an array of plain objects (encoded by the method): top-level inputs of structs. */
export function takesObjects(p: PointerField): boolean {
  return p.info.to.kind === 'array' && p.path.length === 1 && p.info.dir === 'in';
}

/**
 * Counts the handle's system calls on an argument struct: every generated method goes through the protected `call`,
 * or `callValue` for an ioctl that returns a value (a flexible-array one, KVM_GET_MSRS).
 */
export function countCalls(h: Handle): { readonly calls: number } {
  const counter = { calls: 0 };
  for (const name of ['call', 'callValue']) {
    const real = h[name] as (...a: unknown[]) => unknown;
    if (typeof real !== 'function') throw new Error(`the device class has no ${name} method`);
    h[name] = function (this: unknown, ...a: unknown[]) {
      counter.calls++;
      return real.apply(this, a);
    };
  }
  return counter;
}
