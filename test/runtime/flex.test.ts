// Flexible-array arguments against gcc: a C program builds each struct with N elements the way a C caller does
// (calloc(sizeof header + N * sizeof element), argsz = that size, the count, the elements) and prints its bytes;
// the generated method, given the same values as a JS array, must hand the kernel exactly those bytes. The other
// way, bytes gcc laid out as the kernel would write them are decoded back into the elements, and the growing
// methods are driven through the protocol the header documents (E2BIG / ENOSPC with the count needed).
// The "kernel" is the handle's own `call`, replaced: it reads and writes the argument at the address given.
import koffi from 'koffi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C_DUMP, compileAndRun, parseOutput, removeRun, ROOT, type RunResult } from '../conformance/cprogram.js';
import { thrown } from '../thrown.js';
import * as kvm from '../../generated/kvm/dist/index.js';
import * as vfio from '../../generated/vfio/dist/index.js';
import { openSync } from 'node:fs';
import { join } from 'node:path';

const PROGRAM = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>
#include <linux/kvm.h>

${C_DUMP}

int main(void) {
  {
    size_t n = sizeof(struct vfio_irq_set) + 3 * sizeof(__s32);
    struct vfio_irq_set *s = calloc(1, n);
    __s32 fds[3] = { 7, -1, 2147483647 };
    s->argsz = n;
    s->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
    s->index = VFIO_PCI_MSI_IRQ_INDEX;
    s->start = 1;
    s->count = 3;
    memcpy(s->data, fds, sizeof fds);
    dump("irq_set", s, n);
    free(s);
  }
  {
    size_t n = sizeof(struct kvm_cpuid2) + 2 * sizeof(struct kvm_cpuid_entry2);
    struct kvm_cpuid2 *c = calloc(1, n);
    c->nent = 2;
    for (int i = 0; i < 2; i++) {
      c->entries[i].function = 0x80000000u + i;
      c->entries[i].index = i;
      c->entries[i].flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
      c->entries[i].eax = 0x11111111u * (i + 1);
      c->entries[i].ebx = 0x22222222u;
      c->entries[i].ecx = 0x33333333u;
      c->entries[i].edx = 0xfedcba98u;
    }
    dump("cpuid2", c, n);
    free(c);
  }
  {
    size_t n = sizeof(struct kvm_msrs) + 2 * sizeof(struct kvm_msr_entry);
    struct kvm_msrs *m = calloc(1, n);
    m->nmsrs = 2;
    m->entries[0].index = 0x10;
    m->entries[0].data = 0x0123456789abcdefull;
    m->entries[1].index = 0xc0000080u;
    m->entries[1].data = 0xffffffffffffffffull;
    dump("msrs", m, n);
    free(m);
  }
  {
    /* What KVM_GET_MSR_INDEX_LIST leaves with room for 4: nmsrs = 3 and three indices. */
    size_t n = sizeof(struct kvm_msr_list) + 4 * sizeof(__u32);
    struct kvm_msr_list *l = calloc(1, n);
    l->nmsrs = 3;
    l->indices[0] = 0x174;
    l->indices[1] = 0xc0000081u;
    l->indices[2] = 0x10;
    dump("msr_list", l, n);
    free(l);
  }
  {
    /* What VFIO_DEVICE_GET_PCI_HOT_RESET_INFO leaves with room for 2: two devices. */
    size_t n = sizeof(struct vfio_pci_hot_reset_info) + 2 * sizeof(struct vfio_pci_dependent_device);
    struct vfio_pci_hot_reset_info *h = calloc(1, n);
    h->argsz = n;
    h->flags = VFIO_PCI_HOT_RESET_FLAG_DEV_ID;
    h->count = 2;
    h->devices[0].devid = 5;
    h->devices[0].segment = 0;
    h->devices[0].bus = 3;
    h->devices[0].devfn = 0x10;
    h->devices[1].devid = (__u32)VFIO_PCI_DEVID_NOT_OWNED;
    h->devices[1].segment = 1;
    h->devices[1].bus = 0xff;
    h->devices[1].devfn = 0xf8;
    dump("hot_reset_info", h, n);
    free(h);
  }
  return 0;
}
`;

let run: RunResult;
let gcc: Map<string, string>;
beforeAll(() => {
  run = compileAndRun(PROGRAM, { name: 'flex', includeDirs: [join(ROOT, 'headers/v7.3')] });
  gcc = parseOutput(run.stdout);
});
afterAll(() => {
  if (run) removeRun(run);
});

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytesOf = (key: string): Uint8Array => Uint8Array.from(Buffer.from(gcc.get(key)!, 'hex'));

/** A fake kernel for `h`: each call sees the argument's bytes (`length` of them) at the address given, and answers. */
function kernel(h: object, length: (n: number) => number, answer: (arg: Uint8Array, n: number) => number): Uint8Array[] {
  const seen: Uint8Array[] = [];
  (h as { call: (request: number, address?: number) => number }).call = (_request, address) => {
    expect(address).toBeTypeOf('number'); // a buffer of the call's own, never the handle's fixed one
    const arg = new Uint8Array(koffi.view(address!, length(seen.length + 1)) as ArrayBuffer);
    seen.push(arg.slice());
    return answer(arg, seen.length);
  };
  return seen;
}

describe('flexible-array arguments: the bytes a C caller builds', () => {
  it('VFIO_DEVICE_SET_IRQS: eventfds as an __s32 array; count and argsz filled from it', () => {
    using dev = vfio.Vfio.open('/dev/null');
    const expected = bytesOf('irq_set');
    const seen = kernel(dev, () => expected.length, () => 0);
    const r = dev.deviceSetIrqs({
      flags: vfio.VFIO_IRQ_SET_DATA_EVENTFD | vfio.VFIO_IRQ_SET_ACTION_TRIGGER,
      index: vfio.VFIO_PCI_MSI_IRQ_INDEX,
      start: 1,
      data: [7, -1, 2147483647],
    });
    expect(hex(seen[0]!)).toBe(hex(expected));
    expect([r.argsz, r.count, r.data]).toEqual([expected.length, 3, [7, -1, 2147483647]]);
  });

  it('KVM_SET_CPUID2: struct kvm_cpuid_entry2 elements after nent and padding', () => {
    using dev = kvm.KvmVcpu.adopt(openSync('/dev/null', 'r+')); // a vCPU ioctl: the vCPU handle's method
    const expected = bytesOf('cpuid2');
    const seen = kernel(dev, () => expected.length, () => 0);
    const entries = [0, 1].map((i) => ({
      function: 0x80000000 + i, index: i, flags: kvm.KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
      eax: 0x11111111 * (i + 1), ebx: 0x22222222, ecx: 0x33333333, edx: 0xfedcba98,
    }));
    const r = dev.setCpuid2({ entries });
    expect(hex(seen[0]!)).toBe(hex(expected));
    expect(r.nent).toBe(2);
    expect(r.entries.map((e) => [e.function, e.eax, e.edx])).toEqual(entries.map((e) => [e.function, e.eax, e.edx]));
  });

  it('KVM_SET_MSRS: struct kvm_msr_entry elements (64-bit data, padding zeroed), and the count the kernel returns', () => {
    using dev = kvm.KvmVcpu.adopt(openSync('/dev/null', 'r+')); // a vCPU ioctl: the vCPU handle's method
    const expected = bytesOf('msrs');
    let seen: Uint8Array | null = null;
    // KVM_SET_MSRS returns how many MSRs it set (api.rst), here the first only: a value, not an errno.
    (dev as unknown as { callValue: (request: number, address?: number) => number }).callValue = (_request, address) => {
      seen = new Uint8Array(koffi.view(address!, expected.length) as ArrayBuffer).slice();
      return 1;
    };
    const r = dev.setMsrs({ entries: [{ index: 0x10, data: 0x0123456789abcdefn }, { index: 0xc0000080, data: 0xffffffffffffffffn }] });
    expect(hex(seen!)).toBe(hex(expected));
    expect([r.value, r.result.nmsrs, r.result.entries.length]).toEqual([1, 2, 2]);
  });

  it('a count above the elements given, a bad element, bytes for the array: refused or passed as given', () => {
    using dev = vfio.Vfio.open('/dev/null');
    const seen = kernel(dev, () => 24, () => 0);
    expect(thrown(() => dev.deviceSetIrqs({ count: 2, data: [1] }))).toMatchObject({ name: 'RangeError', message: expect.stringMatching(/^VFIO_DEVICE_SET_IRQS\.count: 2 elements asked for, 1 given in data/) });
    expect(thrown(() => dev.deviceSetIrqs({ data: [1, 2 ** 31] }))).toMatchObject({ name: 'RangeError', message: expect.stringMatching(/^VFIO_DEVICE_SET_IRQS\.data\[1\]: /) });
    expect(seen).toHaveLength(0);
    // Bools are bytes (vfio.h: DATA_BOOL, one __u8 each): argsz covers them; count is the caller's.
    dev.deviceSetIrqs({ flags: vfio.VFIO_IRQ_SET_DATA_BOOL, count: 1, data: Uint8Array.of(1) });
    expect(new DataView(seen[0]!.buffer).getUint32(0, true)).toBe(21);
    expect([...seen[0]!.subarray(16, 21)]).toEqual([1, 0, 0, 0, 1]);
  });
});

describe('flexible-array results: the bytes the kernel writes, decoded', () => {
  it('VFIO_DEVICE_GET_PCI_HOT_RESET_INFO with room for 2: the devices the count says', () => {
    using dev = vfio.Vfio.open('/dev/null');
    const written = bytesOf('hot_reset_info');
    const seen = kernel(dev, () => written.length, (arg) => (arg.set(written), 0));
    const r = dev.deviceGetPciHotResetInfo({ count: 2 });
    expect(new DataView(seen[0]!.buffer).getUint32(0, true)).toBe(written.length); // argsz: 12 + 2 * 8
    expect(r.devices).toEqual([
      { group_id: 5, devid: 5, segment: 0, bus: 3, devfn: 0x10 },
      { group_id: 0xffffffff, devid: 0xffffffff, segment: 1, bus: 0xff, devfn: 0xf8 },
    ]);
  });

  it('KVM_GET_MSR_INDEX_LIST grows: E2BIG with nmsrs = 3, then the call with room for 3', () => {
    using dev = kvm.Kvm.open('/dev/null');
    const written = bytesOf('msr_list'); // nmsrs 3, three indices, room for a fourth
    const seen = kernel(dev, (n) => 4 + 4 * (n === 1 ? 1 : 3), (arg, n) => {
      if (n === 1) {
        new DataView(arg.buffer, arg.byteOffset).setUint32(0, 3, true); // what the kernel answers: the number needed
        return 7; // E2BIG
      }
      arg.set(written.subarray(0, arg.length));
      return 0;
    });
    // First attempt: room for the count given (1); the kernel says 3; the second attempt has room for 3.
    const first = dev.getMsrIndexListAll({ nmsrs: 1 });
    expect(seen.map((b) => new DataView(b.buffer).getUint32(0, true))).toEqual([1, 3]);
    expect(first.indices).toEqual([0x174, 0xc0000081, 0x10]);
  });
});
