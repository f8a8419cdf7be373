// A 64-bit guest set up from TypeScript: identity-mapped page tables written into guest RAM, long mode entered
// through KVM_SET_SREGS (CR0.PG, CR4.PAE, EFER.LME/LMA, a 64-bit code segment), the CPUID KVM supports given to
// the vCPU (without LM in the guest's CPUID, KVM refuses EFER.LME), and a program whose 64-bit arithmetic can only
// come out right in long mode (in 32-bit mode 0x48 is `dec eax`), reported byte by byte through port I/O.
import assert from 'node:assert/strict';
import { fact, kvm, type Tests } from './lib.js';
import { Machine, runUntilHalt } from './kvm-util.js';

const PML4 = 0x2000;
const PDPT = 0x3000;
const PD = 0x4000;
const CODE = 0x1000;

const A = 0x1122334455667788n;
const B = 0x0101010101010101n;

// 64-bit code at 0x1000.
const LONG_MODE = [
  0x48, 0xb8, ...le(A, 8), //     mov rax, A
  0x48, 0xbb, ...le(B, 8), //     mov rbx, B
  0x48, 0x01, 0xd8, //            add rax, rbx          (01 /r, ModRM D8: rm = rax, reg = rbx)
  0x66, 0xba, 0xf8, 0x03, //      mov dx, 0x3f8
  0xb9, 0x08, 0x00, 0x00, 0x00, // mov ecx, 8
  0xee, //                        out dx, al            <- loop: the low byte of rax
  0x48, 0xc1, 0xe8, 0x08, //      shr rax, 8            (C1 /5 ib)
  0xff, 0xc9, //                  dec ecx               (FF /1)
  0x75, 0xf7, //                  jnz loop              (-9: back to the out)
  0xf4, //                        hlt
];

function le(v: bigint, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
}

const CR0_PE = 1n;
const CR0_MP = 1n << 1n;
const CR0_ET = 1n << 4n;
const CR0_NE = 1n << 5n;
const CR0_WP = 1n << 16n;
const CR0_AM = 1n << 18n;
const CR0_PG = 1n << 31n;
const CR4_PAE = 1n << 5n;
const EFER_LME = 1n << 8n;
const EFER_LMA = 1n << 10n;
const PRESENT_RW = 3n;
const PAGE_SIZE_2M = 1n << 7n;

export const tests: Tests = {
  'long mode: page tables, SREGS, REGS and CPUID from TypeScript, a 64-bit program reporting through port I/O'() {
    using m = new Machine(0x10000);
    const ram = new DataView(m.ram.bytes.buffer, m.ram.bytes.byteOffset, m.ram.bytes.byteLength);
    // PML4[0] -> PDPT, PDPT[0] -> PD, PD[0] maps guest virtual 0..2 MiB to physical 0..2 MiB with one 2 MiB page.
    ram.setBigUint64(PML4, BigInt(PDPT) | PRESENT_RW, true);
    ram.setBigUint64(PDPT, BigInt(PD) | PRESENT_RW, true);
    ram.setBigUint64(PD, PAGE_SIZE_2M | PRESENT_RW, true);
    m.ram.bytes.set(LONG_MODE, CODE);

    // getSupportedCpuidAll starts with room for 16 entries and grows it while the kernel answers E2BIG (api.rst).
    const { entries, nent } = m.sys.getSupportedCpuidAll();
    assert.equal(entries.length, nent);
    assert.ok(nent > 16, `${nent} entries: more than the first try's room, so the E2BIG retry ran`);
    const ext = entries.find((e) => e.function === 0x8000_0001);
    assert.ok(ext && (ext.edx & (1 << 29)) !== 0, 'KVM_GET_SUPPORTED_CPUID reports long mode (0x80000001 EDX bit 29)');
    m.vcpu.setCpuid2({ entries }); // nent filled from the array

    const sregs = m.vcpu.getSregs();
    const code = { base: 0, limit: 0xffffffff, selector: 8, type: 11, present: 1, dpl: 0, db: 0, s: 1, l: 1, g: 1 };
    const data = { ...code, selector: 16, type: 3, db: 1, l: 0 };
    m.vcpu.setSregs({
      ...sregs,
      cs: code, ds: data, es: data, fs: data, gs: data, ss: data,
      cr3: PML4,
      cr4: CR4_PAE,
      cr0: CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG,
      efer: EFER_LME | EFER_LMA,
    });
    m.vcpu.setRegs({ rip: CODE, rflags: 2, rsp: 0x8000 });

    const trace = runUntilHalt(m);
    assert.deepEqual(trace.out.get(0x3f8), le(A + B, 8), 'the bytes of A + B, low first');
    const back = m.vcpu.getCpuid2All().entries;
    assert.ok(back.some((e) => e.function === 0x8000_0001 && (e.edx & (1 << 29)) !== 0), 'KVM_GET_CPUID2: the vCPU has the CPUID set');
    const after = m.vcpu.getSregs();
    assert.equal(after.efer & EFER_LMA, EFER_LMA, 'EFER.LMA: the guest ran in long mode');
    assert.equal(m.vcpu.getRegs().rax, 0n, 'rax shifted out');
    fact(`kvm long mode: ${entries.length} CPUID entries, out ${JSON.stringify(trace.out.get(0x3f8))} = bytes of 0x${(A + B).toString(16)}`);
  },
};
