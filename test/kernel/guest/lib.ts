// What guest test files import: the test API's types, the generated packages (built by test/kernel/run.mjs into
// generated/<pkg>/dist before this suite is compiled), and a few helpers. See runner.ts for how tests are run.
//
// The relative paths work from here (test/kernel/guest) and from the compiled copy (test/.out/kernel-guest-XXXXXX) alike:
// both are three levels below the repository root.
import assert from 'node:assert/strict';
import koffi from 'koffi';

export * as v73 from '../../../generated/iommufd-v7.3/dist/index.js';
export * as v612 from '../../../generated/iommufd-v6.12/dist/index.js';
export * as v66rc1 from '../../../generated/iommufd-v6.6-rc1/dist/index.js';
export * as test73 from '../../../generated/iommufd-test-v7.3/dist/index.js';
export * as vfio from '../../../generated/vfio/dist/index.js';
export * as kvm from '../../../generated/kvm/dist/index.js';

/**
 * The address of `b`'s bytes, for a struct hand-encoded for `ioctlRaw`: plain `encode` takes no typed array in a
 * pointer field (the address would outlive the array's place), so a raw call states it. The caller keeps `b`
 * alive until the call returns; koffi moves an on-heap array's bytes out of the heap before giving the address.
 */
export function addressOf(b: Uint8Array): bigint {
  return koffi.address(b) as bigint;
}

/** One test: throws (or rejects) to fail. */
export type Test = () => void | Promise<void>;

/** What a test file exports as `tests`: test name → test. Names are reported as `<file>: <name>`. */
export type Tests = Readonly<Record<string, Test>>;

/** Thrown by {@link skip}: the runner reports the test as skipped, with the reason. */
export class Skip extends Error {
  override name = 'Skip';
}

/** Ends the current test as skipped (e.g. the kernel lacks a feature the test needs). */
export function skip(reason: string): never {
  throw new Skip(reason);
}

/** The fields every generated package's IoctlError has. */
export interface IoctlErrorLike extends Error {
  readonly ioctl: string;
  readonly errno: number;
  readonly code: string;
  readonly meaning: string | null;
}

/** Runs `fn`, which must throw an IoctlError (of any generated package) with errno name `code`; returns the error. */
export function expectErrno(fn: () => unknown, code: string): IoctlErrorLike {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, `expected an IoctlError ${code}, but the call succeeded`);
  assert.ok(thrown instanceof Error && thrown.name === 'IoctlError', `expected an IoctlError ${code}, got ${String(thrown)}`);
  const err = thrown as IoctlErrorLike;
  assert.equal(err.code, code, `expected ${code}, got ${err.message}`);
  return err;
}

/** States a result the harness prints in its summary (`edu dma: match`). */
export function fact(text: string): void {
  console.log(`UAPI-TS-FACT ${text}`);
}
