// The runtime on every ABI Node runs on, tested from this x86-64 host with the host injected: which target a host
// is, the refusal of one a package has no layout for, how ioctl is declared per architecture (both declarations
// are real calls here: glibc's ioctl on /dev/null answers ENOTTY through either), and the width of a value
// argument on 32-bit ABIs.
import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostTarget, layoutFor, currentHost, hostWordBytes } from '../../packages/runtime/src/host.js';
import { errno, ioctlForm, ioctlFunctions } from '../../packages/runtime/src/libc.js';
import { byValue } from '../../packages/runtime/src/device.js';
import { getLong32, getULong32, ptr32, putLong32, slong32, ulong32 } from '../../packages/runtime/src/codec.js';
import { TARGETS } from '../../generator/src/model/target.js';

const ENOTTY = 25;

describe('the host as a target', () => {
  it('names every target Node runs on as the model does (process.arch and byte order)', () => {
    const nodeTargets = TARGETS.filter((t) => t.nodeArch !== null);
    expect(nodeTargets.length).toBe(7);
    for (const t of nodeTargets) {
      expect(hostTarget({ arch: t.nodeArch!, endianness: t.endian === 'little' ? 'LE' : 'BE' })).toBe(t.name);
      // The same arch in the other byte order is another ABI, which no target describes (ppc64 big-endian).
      expect(hostTarget({ arch: t.nodeArch!, endianness: t.endian === 'little' ? 'BE' : 'LE' })).toBe(null);
      expect(hostWordBytes({ arch: t.nodeArch!, endianness: 'LE' })).toBe(t.longSize);
    }
    expect(hostTarget({ arch: 'mips', endianness: 'BE' })).toBe(null);
  });

  it('is x86_64 here', () => {
    expect(currentHost()).toEqual({ arch: 'x64', endianness: 'LE' });
    expect(hostTarget()).toBe('x86_64');
  });

  it('picks the layout of the host', () => {
    const lp64 = { name: 'lp64' };
    const s390x = { name: 's390x' };
    const layouts = { x86_64: lp64, aarch64: lp64, s390x };
    expect(layoutFor('@x/y', layouts, { arch: 'arm64', endianness: 'LE' })).toBe(lp64);
    expect(layoutFor('@x/y', layouts, { arch: 's390x', endianness: 'BE' })).toBe(s390x);
    expect(layoutFor('@x/y', layouts)).toBe(lp64);
  });

  it('refuses a host it has no layout for, naming the host and the targets held', () => {
    const layouts = { x86_64: 1, aarch64: 1 };
    expect(() => layoutFor('@uapi-ts/foo', layouts, { arch: 's390x', endianness: 'BE' })).toThrow(
      '@uapi-ts/foo has no layout for this host (s390x, big-endian: s390x); it holds layouts for x86_64, aarch64.',
    );
    expect(() => layoutFor('@uapi-ts/foo', layouts, { arch: 'ppc64', endianness: 'BE' })).toThrow(
      '@uapi-ts/foo has no layout for this host (ppc64, big-endian), which is no Linux target uapi-ts knows; it holds layouts for x86_64, aarch64.',
    );
    // An inherited name is no layout.
    expect(() => layoutFor('@uapi-ts/foo', Object.create({ x86_64: 1 }) as Record<string, number>)).toThrow('has no layout for this host (x64, little-endian: x86_64)');
  });
});

describe('ioctl as each ABI calls it', () => {
  it('is variadic on 64-bit PowerPC (ELFv2 needs the parameter save area), a fixed prototype elsewhere', () => {
    expect(ioctlForm('ppc64')).toBe('variadic');
    for (const arch of ['x64', 'arm64', 'riscv64', 's390x', 'ia32', 'arm']) expect(ioctlForm(arch)).toBe('fixed');
  });

  it.each(['fixed', 'variadic'] as const)('%s: a real call reaches the kernel (ENOTTY from /dev/null)', (form) => {
    const { ioctl, ioctlAt } = ioctlFunctions(form);
    const fd = openSync('/dev/null', 'r');
    try {
      // FIONREAD (0x541b) on /dev/null: not a tty, so the kernel answers ENOTTY through either declaration.
      expect(ioctlAt(fd, 0x541b, 0)).toBe(-1);
      expect(errno()).toBe(ENOTTY);
      expect(ioctl(fd, 0x541b, new Uint8Array(8))).toBe(-1);
      expect(errno()).toBe(ENOTTY);
    } finally {
      closeSync(fd);
    }
  });

  it('checks a value argument against the host word: 32 bits on i386 and arm', () => {
    expect(byValue(-1, 'X', 32)).toBe(0xffffffffn);
    expect(byValue(0xffffffff, 'X', 32)).toBe(0xffffffff);
    expect(() => byValue(2 ** 32, 'X', 32)).toThrow('X: the argument 4294967296 is not a 32-bit integer');
    expect(() => byValue(1n << 32n, 'X', 32)).toThrow('not a 32-bit integer');
    expect(byValue(-1n, 'X', 32)).toBe(0xffffffffn);
    expect(byValue(-1, 'X', 64)).toBe(0xffffffffffffffffn);
    expect(byValue(2 ** 40, 'X')).toBe(2 ** 40);
  });
});

describe('a 32-bit ABI\'s long and pointer, as bigints', () => {
  it('are checked to 32 bits, read and written little-endian', () => {
    expect(ulong32(0xffffffff, 'p', 'f')).toBe(0xffffffffn);
    expect(() => ulong32(0x100000000n, 'p', 'f')).toThrow('p.f: 4294967296 is out of range for unsigned long (0 to 4294967295)');
    expect(slong32(-1, 'p', 'f')).toBe(-1n);
    expect(() => slong32(0x80000000n, 'p', 'f')).toThrow(RangeError);
    expect(() => ptr32(0x100000000n, 'p', 'f')).toThrow('p.f: 4294967296 is out of range for a 32-bit pointer');
    const d = new DataView(new ArrayBuffer(4));
    putLong32(d, 0, -2n);
    expect([...new Uint8Array(d.buffer)]).toEqual([0xfe, 0xff, 0xff, 0xff]);
    expect(getLong32(d, 0)).toBe(-2n);
    expect(getULong32(d, 0)).toBe(0xfffffffen);
  });
});
