// @uapi-ts/kvm on a real /dev/kvm (the kvm guest: QEMU -cpu max, whose TCG emulates AMD SVM for kvm_amd): a
// real-mode guest whose port output, MMIO and halt are served by the TypeScript run loop, and dirty-page logging.
// The machine code is assembled by hand, each instruction with its bytes; what it must produce is worked out from
// the instructions, not from a run.
import assert from 'node:assert/strict';
import { expectErrno, fact, kvm, type Tests } from './lib.js';
import { Machine, openKvm, realMode, runUntilHalt } from './kvm-util.js';

const { KVM_MEM_LOG_DIRTY_PAGES, KVM_CAP_USER_MEMORY, KVM_CAP_NR_VCPUS, Memory, KvmRun } = kvm;

const COM1 = 0x3f8;
const MMIO = 0x8000; // guest physical, outside the 16 KiB memory slot: every access exits to user space
const SERVED = 0x41; // what the loop answers the MMIO read with
const MESSAGE = [...'hello'].map((c) => c.charCodeAt(0));

// Real mode, CS = DS = 0, loaded at 0x1000; the message at 0x1100.
const REAL_MODE = [
  0xba, 0xf8, 0x03, //   mov dx, 0x3f8        port COM1
  0xb0, 0x02, //         mov al, 2
  0x04, 0x03, //         add al, 3            al = 5
  0xee, //               out dx, al           COM1 <- 5
  0xa0, 0x00, 0x80, //   mov al, [0x8000]     MMIO read of 1 byte: the loop answers SERVED
  0x04, 0x01, //         add al, 1            al = SERVED + 1
  0xa2, 0x01, 0x80, //   mov [0x8001], al     MMIO write of 1 byte: SERVED + 1
  0xee, //               out dx, al           COM1 <- SERVED + 1
  0xbe, 0x00, 0x11, //   mov si, 0x1100       the message
  0xb9, 0x05, 0x00, //   mov cx, 5
  0xfc, //               cld
  0xf3, 0x6e, //         rep outsb            COM1 <- 5 bytes at ds:si
  0xf4, //               hlt
];

// Writes one known byte into two pages (2 and 3), then halts.
const DIRTY = [
  0xc6, 0x06, 0x00, 0x20, 0xaa, // mov byte [0x2000], 0xaa   (C6 /0, ModRM 06: [disp16])
  0xc6, 0x06, 0x00, 0x30, 0xbb, // mov byte [0x3000], 0xbb
  0xf4, //                         hlt
];

export const tests: Tests = {
  'system handle: extensions and the vCPU region size'() {
    using m = new Machine(0x4000);
    assert.equal(m.sys.checkExtension(KVM_CAP_USER_MEMORY), 1, 'KVM_CAP_USER_MEMORY is always 1 on x86 (api.rst)');
    const vcpus = m.vm.checkExtension(KVM_CAP_NR_VCPUS);
    assert.ok(vcpus >= 1, `KVM_CAP_NR_VCPUS on the VM handle: ${vcpus}`);
    const size = m.sys.getVcpuMmapSize();
    assert.ok(size >= KvmRun.size && size % 4096 === 0, `KVM_GET_VCPU_MMAP_SIZE ${size}: a whole number of pages holding struct kvm_run (${KvmRun.size} bytes)`);
    fact(`kvm: api 12, vcpu mmap ${size} bytes, recommended vcpus ${vcpus}`);
  },

  'real mode: port output, MMIO read and write served from TypeScript, HLT'() {
    using m = new Machine(0x4000);
    m.ram.bytes.set(MESSAGE, 0x1100);
    m.loadRealMode(REAL_MODE, 0x1000);
    const trace = runUntilHalt(m, (addr, len) => {
      assert.equal(addr, BigInt(MMIO));
      assert.equal(len, 1);
      return [SERVED];
    });
    assert.deepEqual(trace.out.get(COM1), [5, SERVED + 1, ...MESSAGE], 'COM1: 2 + 3, the served byte + 1, the message');
    assert.deepEqual([...trace.out.keys()], [COM1]);
    assert.deepEqual(trace.mmioReads, [{ addr: BigInt(MMIO), len: 1 }]);
    assert.deepEqual(trace.mmioWrites, [{ addr: BigInt(MMIO + 1), data: [SERVED + 1] }]);
    const regs = m.vcpu.getRegs();
    assert.equal(regs.rip, 0x101bn, 'RIP after the HLT at 0x101a');
    assert.equal(regs.rcx & 0xffffn, 0n, 'rep outsb counted CX down to 0');
    assert.equal(regs.rsi & 0xffffn, 0x1105n, 'SI past the 5 bytes');
    fact(`kvm real mode: COM1 ${JSON.stringify(trace.out.get(COM1))}, mmio write ${SERVED + 1} at 0x${(MMIO + 1).toString(16)}, ${trace.exits} exits`);
  },

  'kvm_run is a live view: the same objects after every exit'() {
    using m = new Machine(0x4000);
    m.ram.bytes.set(MESSAGE, 0x1100);
    m.loadRealMode(REAL_MODE, 0x1000);
    const view = m.run.view;
    const io = view.io;
    const data = view.mmio.data;
    runUntilHalt(m, () => [SERVED]);
    assert.equal(view.io, io, 'view.io is made once');
    assert.equal(view.mmio.data, data, 'mmio.data is one byte view over the region');
    assert.equal(data.buffer, m.run.bytes.buffer, '... of the mapped region itself');
    assert.equal(view.exit_reason, kvm.KVM_EXIT_HLT);
    // The view reads where the kernel writes: the same bytes decoded by the codec.
    assert.equal(KvmRun.decode(m.run.bytes).exit_reason, view.exit_reason);
  },

  'dirty-page logging: the pages the guest wrote, and only those'() {
    using m = new Machine(0x4000, KVM_MEM_LOG_DIRTY_PAGES);
    m.loadRealMode(DIRTY, 0x1000);
    using bitmap = Memory.map(4096);
    const log = (): number => {
      bitmap.bytes.fill(0);
      m.vm.getDirtyLog({ slot: 0, dirty_bitmap: bitmap.address });
      // One bit per page of the slot (4 pages), in unsigned longs: the rest of the first long stays 0.
      assert.ok(bitmap.bytes.subarray(1, 8).every((b) => b === 0));
      return bitmap.bytes[0]!;
    };
    assert.equal(log(), 0, 'nothing before the guest runs: the host\'s own writes (the code) are not logged');
    runUntilHalt(m);
    assert.equal(m.ram.bytes[0x2000], 0xaa, 'the guest wrote into the mmap memory itself');
    assert.equal(m.ram.bytes[0x3000], 0xbb);
    // The first run also logs page 1, the code it only fetched: a page is mapped writable when it is first faulted
    // in, whatever the access, and logged then (arch/x86/kvm/mmu/spte.c make_spte: a writable SPTE in a slot with
    // dirty tracking is mark_page_dirty_in_slot'ed). Page 0 was never touched.
    const first = log();
    assert.equal(first & 0b1100, 0b1100, `first log ${first.toString(2)}: pages 2 and 3 written, page 1 mapped`);
    assert.equal(first & 1, 0, 'page 0 untouched');
    // KVM_GET_DIRTY_LOG write-protected what it reported; run again: now only the written pages are logged.
    realMode(m.vcpu, 0x1000);
    runUntilHalt(m);
    const second = log();
    assert.equal(second, 0b1100, `second log ${second.toString(2)}: pages 2 and 3, the guest's writes alone`);
    assert.equal(log(), 0, 'KVM_GET_DIRTY_LOG cleared the log');
    fact(`kvm dirty log: first run 0b${first.toString(2)} (pages faulted in), second run 0b${second.toString(2)} (pages 2 and 3)`);
  },

  // ioctls whose macro names a scalar (`_IOW(KVMIO, 0x48, __u64)`): the value goes through memory, as a struct does.
  // Passing no memory (what these methods did before) is -EFAULT from copy_from_user / copy_to_user.
  'scalar arguments in memory: KVM_X86_GET_MCE_CAP_SUPPORTED, KVM_X86_SETUP_MCE, KVM_SET_IDENTITY_MAP_ADDR'() {
    using sys = openKvm();
    // arch/x86/kvm/x86.c: kvm_caps.supported_mce_cap = MCG_CTL_P | MCG_SER_P (bits 8 and 24) at vendor init,
    // copied to the __u64 the argument points at.
    const supported = sys.x86GetMceCapSupported();
    assert.equal(typeof supported, 'bigint');
    assert.equal(supported & ((1n << 8n) | (1n << 24n)), (1n << 8n) | (1n << 24n), `supported mce cap 0x${supported.toString(16)}: MCG_CTL_P and MCG_SER_P`);
    const vm = sys.createVm();
    try {
      // KVM_SET_IDENTITY_MAP_ADDR: -EINVAL once the VM has a vCPU, else the __u64 is read and taken (0).
      vm.setIdentityMapAddr(0xfffbc000n);
      const vcpu = vm.createVcpu(0);
      try {
        expectErrno(() => vm.setIdentityMapAddr(0xfffbc000n), 'EINVAL');
        // kvm_vcpu_ioctl_x86_setup_mce: bank count (low byte) 0 -> -EINVAL; 1 bank with supported bits -> 0.
        expectErrno(() => vcpu.x86SetupMce(0n), 'EINVAL');
        vcpu.x86SetupMce(supported | 1n);
        assert.equal(vcpu.tryX86SetupMce(supported | (1n << 60n) | 1n), 22, 'an unsupported bit: EINVAL (22) from the try form');
      } finally {
        vcpu.close();
      }
    } finally {
      vm.close();
    }
    fact(`kvm scalar arguments: supported mce cap 0x${supported.toString(16)}; identity map addr taken, then EINVAL after a vCPU; setup mce EINVAL for 0 banks, 0 for 1`);
  },
};
