// The three return forms of a generated method (MethodView.returns: 'zero', 'value', 'fd') as the templates render
// them, compiled with tsc --strict and run: on /dev/kvm (KVM_GET_API_VERSION returns 12, KVM_CREATE_VM a VM
// descriptor) when the host has it, and on /dev/null (every ioctl ENOTTY) always; the forms come from a profile
// file's `returns`. On every Linux host, the system's own linux/nsfs.h: NS_GET_NSTYPE returns the namespace's
// CLONE_NEW* type (a value), NS_GET_USERNS a new descriptor of the owning user namespace (an fd).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodView } from '../../generator/src/emit/device-view.js';
import { renderPackage } from '../../generator/src/emit/render.js';
import { ViewBuilder } from '../../generator/src/emit/views.js';
import { loadModel } from '../../generator/src/load.js';

// Request numbers and KVM_API_VERSION as linux/kvm.h documents them; two made-up struct ioctls for the struct forms.
const HEADER = `#include <linux/ioctl.h>
#include <linux/types.h>
#define KVMIO 0xAE
#define KVM_API_VERSION 12
#define KVM_GET_API_VERSION _IO(KVMIO, 0x00)
#define KVM_CREATE_VM _IO(KVMIO, 0x01)
struct kvmx_arg { __u32 n; __u32 pad; };
#define KVMX_COUNT _IOWR(KVMIO, 0xf0, struct kvmx_arg)
#define KVMX_NEW _IOWR(KVMIO, 0xf1, struct kvmx_arg)
`;
const RETURNS: Record<string, MethodView['returns']> = { KVM_GET_API_VERSION: 'value', KVM_CREATE_VM: 'fd', KVMX_COUNT: 'value', KVMX_NEW: 'fd' };

// Beside a link to the repository's node_modules, so that the package resolves @uapi-ts/runtime as generated/ does.
const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-return-forms-'));
symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Handle { readonly fd: number; readonly closed: boolean; close(): void; [Symbol.dispose](): void }
interface Kvm {
  getApiVersion(arg?: number): number;
  tryGetApiVersion(arg?: number): { value: number } | number;
  createVm(arg?: number): Handle;
  tryCreateVm(arg?: number): Handle | number;
  count(args?: object): { value: number; result: { n: number } };
  tryCount(args?: object): { value: number; result: { n: number } } | number;
  tryNew(args?: object): { fd: Handle; result: object } | number;
  close(): void;
}
let Device: { open(path: string): Kvm };
let source = '';

beforeAll(async () => {
  const header = join(dir, 'kvmx.h');
  writeFileSync(header, HEADER);
  const profile = join(dir, 'kvmx.profile.json');
  writeFileSync(profile, JSON.stringify({ returns: RETURNS }));
  const view = new ViewBuilder(loadModel(header, { includeDirs: [], profileFile: profile })).build({ name: '@test/kvmx', version: '0.0.0', kernel: null });
  expect(view.device.methods.map((m) => [m.name, m.returns, m.prepareMethod])).toEqual(Object.entries(RETURNS).map(([k, v]) => [k, v, null]));
  const pkg = join(dir, 'pkg');
  for (const f of renderPackage(view)) {
    mkdirSync(dirname(join(pkg, f.path)), { recursive: true });
    writeFileSync(join(pkg, f.path), f.text);
  }
  try {
    execFileSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', pkg], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    throw new Error(`tsc -p ${pkg}:\n${(e as { stdout?: string }).stdout}`);
  }
  source = readFileSync(join(pkg, 'src/ioctl.ts'), 'utf8');
  Device = (await import(pathToFileURL(join(pkg, 'dist/index.js')).href)).Kvmx;
}, 120_000);

function fdTarget(fd: number): string | null {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
}

function openKvm(): Kvm | null {
  try {
    return Device.open('/dev/kvm');
  } catch (e) {
    console.log(`skipping the /dev/kvm checks: /dev/kvm cannot be opened (${(e as Error).message})`);
    return null;
  }
}

describe('generated value and fd forms', () => {
  it('type-check under --strict with the return types of each form', () => {
    expect(source).toMatch(/getApiVersion\(arg: number \| bigint = 0\): number \{/);
    expect(source).toMatch(/createVm\(arg: number \| bigint = 0\): FdHandle \{/);
    expect(source).toMatch(/count\(args: CountArgs = \{\}\): \{ value: number; result: R\.KvmxArg \} \{/);
    expect(source).toMatch(/new\(args: NewArgs = \{\}\): \{ fd: FdHandle; result: R\.KvmxArg \} \{/);
    expect(source).not.toMatch(/prepareCount|prepareNew/);
  });

  it('on /dev/null every form fails with ENOTTY: thrown by the method, returned by its try form', () => {
    const dev = Device.open('/dev/null');
    expect(dev.tryGetApiVersion()).toBe(25);
    expect(dev.tryCreateVm()).toBe(25);
    expect(dev.tryCount({ n: 1 })).toBe(25);
    expect(dev.tryNew({ n: 1 })).toBe(25);
    expect(() => dev.getApiVersion()).toThrow(/KVM_GET_API_VERSION failed: ENOTTY/);
    expect(() => dev.createVm()).toThrow(/KVM_CREATE_VM failed: ENOTTY/);
    expect(() => dev.count({ n: 1 })).toThrow(/KVMX_COUNT failed: ENOTTY/);
    expect(() => dev.createVm(2 ** 64)).toThrow(RangeError);
    dev.close();
  });

  it('on /dev/kvm: KVM_GET_API_VERSION returns 12, KVM_CREATE_VM a VM descriptor that the handle closes', (ctx) => {
    const kvm = openKvm();
    if (!kvm) return ctx.skip();
    expect(kvm.getApiVersion()).toBe(12);
    expect(kvm.tryGetApiVersion()).toEqual({ value: 12 });
    const vm = kvm.createVm();
    const fd = vm.fd;
    expect(fdTarget(fd)).toBe('anon_inode:kvm-vm');
    vm[Symbol.dispose]();
    expect(fdTarget(fd)).toBe(null);
    vm.close();
    kvm.close();
  });
});

// linux/nsfs.h as this system installs it, with the returns ioctl_ns(2) documents; run on /proc/self/ns/net.
describe('value and fd forms on a real kernel: linux/nsfs.h on /proc/self/ns/net', () => {
  interface Ns {
    getNstype(arg?: number): number;
    tryGetNstype(arg?: number): { value: number } | number;
    getUserns(arg?: number): Handle;
    close(): void;
  }
  let Nsfs: { fromFd(fd: number): Ns };

  beforeAll(async () => {
    const profile = join(dir, 'nsfs.profile.json');
    writeFileSync(profile, JSON.stringify({ returns: { NS_GET_NSTYPE: 'value', NS_GET_USERNS: 'fd' } }));
    const model = loadModel('/usr/include/linux/nsfs.h', { includeDirs: [], profileFile: profile });
    const view = new ViewBuilder(model).build({ name: '@test/nsfs', version: '0.0.0', kernel: null });
    const pkg = join(dir, 'nsfs');
    for (const f of renderPackage(view)) {
      mkdirSync(dirname(join(pkg, f.path)), { recursive: true });
      writeFileSync(join(pkg, f.path), f.text);
    }
    try {
      execFileSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', pkg], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      throw new Error(`tsc -p ${pkg}:\n${(e as { stdout?: string }).stdout}`);
    }
    Nsfs = (await import(pathToFileURL(join(pkg, 'dist/index.js')).href)).Nsfs;
  }, 120_000);

  it('NS_GET_NSTYPE returns CLONE_NEWNET, as linux/sched.h defines it', () => {
    const clone = /#define\s+CLONE_NEWNET\s+(0x[0-9a-f]+)/.exec(readFileSync('/usr/include/linux/sched.h', 'utf8'));
    expect(clone).not.toBeNull();
    using ns = Nsfs.fromFd(openSync('/proc/self/ns/net', 'r')) as Ns & Disposable;
    expect(ns.getNstype()).toBe(Number(clone![1]));
    expect(ns.tryGetNstype()).toEqual({ value: Number(clone![1]) });
  });

  it('NS_GET_USERNS returns a descriptor of our own user namespace that the handle closes, once', () => {
    const ns = Nsfs.fromFd(openSync('/proc/self/ns/net', 'r'));
    const user = ns.getUserns();
    expect(fdTarget(user.fd)).toBe(readlinkSync('/proc/self/ns/user'));
    const fd = user.fd;
    user.close();
    expect(user.closed).toBe(true);
    expect(fdTarget(fd)).toBeNull();
    user.close();
    ns.close();
  });
});
