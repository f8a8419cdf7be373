// The generated device classes as the runtime tests see them, found from the model (not hand-listed): the class
// of each package, every ioctl method with its argument struct, and a handle whose system calls are counted.
import { basename } from 'node:path';
import { pascalCase } from '../../generator/src/emit/names.js';
import type { PointerField } from '../../generator/src/conventions/pointers.js';
import type { AnnotatedIoctl } from '../../generator/src/conventions/annotations.js';
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
  const name = pascalCase(basename(pkg.model.header).replace(/\.h$/, ''));
  const cls = mod[name] as DeviceClass | undefined;
  if (typeof cls?.fromFd !== 'function') throw new Error(`${pkg.name}: no device class ${name}`);
  return cls;
}

export function ioctlMethods(pkg: TestPackage): IoctlMethod[] {
  return pkg.model.ioctls.map((ioctl) => ({
    ioctl,
    method: ioctl.method,
    pointers: pkg.model.pointers.filter((p) => p.record === ioctl.arg),
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
