// Errors on a real /dev/kvm, each an IoctlError with the kernel's errno, and the VM usable afterwards (it runs the
// real-mode program of kvm-hello's kind to completion). Sources: Linux 7.3, virt/kvm/kvm_main.c and arch/x86/kvm/x86.c.
import assert from 'node:assert/strict';
import { expectErrno, fact, kvm, type Tests } from './lib.js';
import { exitName, Machine, realMode, runUntilHalt } from './kvm-util.js';

const { Memory, KVM_EXIT_HLT, KVM_EXIT_MMIO, KVM_EXIT_INTERNAL_ERROR, KVM_EXIT_SHUTDOWN, KVM_EXIT_FAIL_ENTRY } = kvm;

// out 0x3f8, 0x2a; hlt: proof that a VM still runs.
const OUT_HLT = [
  0xba, 0xf8, 0x03, // mov dx, 0x3f8
  0xb0, 0x2a, //       mov al, 0x2a
  0xee, //             out dx, al
  0xf4, //             hlt
];

function stillRuns(m: Machine, vcpu = m.vcpu, run = m.run): void {
  // The program goes into slot 0's RAM; the vCPU given runs it.
  m.ram.bytes.set(OUT_HLT, 0x1000);
  realMode(vcpu, 0x1000);
  const trace = runUntilHalt({ vcpu, run });
  assert.deepEqual(trace.out.get(0x3f8), [0x2a], 'the VM still runs guest code');
}

export const tests: Tests = {
  'a second vCPU with the same id: EEXIST, the VM usable'() {
    using m = new Machine(0x4000);
    // kvm_vm_ioctl_create_vcpu: kvm_get_vcpu_by_id(kvm, id) already set -> -EEXIST.
    const e = expectErrno(() => m.vm.createVcpu(0), 'EEXIST');
    assert.equal(e.ioctl, 'KVM_CREATE_VCPU');
    assert.equal(m.vm.tryCreateVcpu(0), 17, 'the try form returns the errno (EEXIST = 17)');
    using other = m.vm.createVcpu(1);
    assert.ok(other instanceof kvm.KvmVcpu, 'a vCPU handle, typed');
    stillRuns(m);
  },

  'a memory slot overlapping another: EEXIST, the VM usable'() {
    using m = new Machine(0x4000);
    using more = Memory.map(0x4000);
    // __kvm_set_memory_region: a new slot whose guest frames intersect an existing slot's -> -EEXIST.
    expectErrno(() => m.vm.setUserMemoryRegion({ slot: 1, guest_phys_addr: 0x2000, userspace_addr: more }), 'EEXIST');
    // Beside it, not over it, is fine.
    m.vm.setUserMemoryRegion({ slot: 1, guest_phys_addr: 0x4000, userspace_addr: more });
    stillRuns(m);
  },

  'a slot larger than the memory given is refused before the call'() {
    using m = new Machine(0x4000);
    using small = Memory.map(0x1000);
    assert.throws(() => m.vm.setUserMemoryRegion({ slot: 1, guest_phys_addr: 0x10000, memory_size: 0x2000, userspace_addr: small }), RangeError);
    stillRuns(m);
  },

  'KVM_SET_SREGS with paging but no protection: EINVAL, the vCPU usable'() {
    using m = new Machine(0x4000);
    const sregs = m.vcpu.getSregs();
    // arch/x86/kvm/x86.c kvm_is_valid_sregs -> kvm_is_valid_cr0: CR0.PG without CR0.PE is invalid -> -EINVAL.
    expectErrno(() => m.vcpu.setSregs({ ...sregs, cr0: (sregs.cr0 | 0x8000_0000n) & ~1n }), 'EINVAL');
    stillRuns(m);
  },

  'KVM_RUN with RIP where no memory is: what the kernel answers, the VM usable'() {
    using m = new Machine(0x4000);
    realMode(m.vcpu, 0x1000);
    const sregs = m.vcpu.getSregs();
    // Code fetched from guest physical 0x10000 + 0xfff0, outside every slot.
    m.vcpu.setSregs({ ...sregs, cs: { ...sregs.cs, base: 0x10000, selector: 0x1000 } });
    m.vcpu.setRegs({ rip: 0xfff0, rflags: 2 });
    const r = m.vcpu.tryRun();
    const reason = m.run.view.exit_reason;
    // Seen on Linux 7.3 (kvm_amd under QEMU's TCG): KVM_EXIT_INTERNAL_ERROR, suberror 1 = KVM_INTERNAL_ERROR_EMULATION
    // (arch/x86/kvm/x86.c handle_emulation_failure: the fetch from no memory is an MMIO access KVM cannot emulate).
    const suberror = reason === KVM_EXIT_INTERNAL_ERROR ? m.run.view.internal.suberror : null;
    const seen = r !== 0 ? `KVM_RUN failed: ${kvm.ERRNO_NAMES.get(r)}` : `${exitName(reason)}${suberror !== null ? ` suberror ${suberror}${suberror === kvm.KVM_INTERNAL_ERROR_EMULATION ? ' (KVM_INTERNAL_ERROR_EMULATION)' : ''}` : ''}`;
    // Either way it is a typed answer, not a crash: an errno, or one of the exits for guest code that cannot run.
    assert.ok(r !== 0 || [KVM_EXIT_INTERNAL_ERROR, KVM_EXIT_MMIO, KVM_EXIT_SHUTDOWN, KVM_EXIT_FAIL_ENTRY].includes(reason), seen);
    fact(`kvm: KVM_RUN fetching code from no memory: ${seen}`);
    using vcpu = m.vm.createVcpu(1);
    using run = vcpu.mapRun(m.sys.getVcpuMmapSize());
    stillRuns(m, vcpu, run);
    assert.notEqual(run.view.exit_reason, 0);
    assert.equal(run.view.exit_reason, KVM_EXIT_HLT);
  },

  'a closed vCPU handle throws before any system call'() {
    using m = new Machine(0x4000);
    const vcpu = m.vm.createVcpu(1);
    vcpu.close();
    assert.throws(() => vcpu.run(), /closed/);
    vcpu.close(); // twice is harmless
  },
};
