// The TypeScript side of the VMM hot-loop benchmark (bench-vmm.ts): the VM and run loop of bench/guest/kvm-loop.c,
// written with the generated @uapi-ts/kvm package. Kept in one small file so that the loop can move to another
// API (a typed kvm_run view) without touching the benchmark around it.
//
// The VM: 64 KiB of guest RAM at guest-physical 0, one vCPU in real mode; each loop starts it at CS = 0,
// IP = 0x1000, RCX = the number of exits, running kvm-loop.c's five instructions (out 0x10, al; inc al; dec ecx; jnz; hlt). The loop reads
// kvm_run in place, through the vCPU's mapping, at the offsets the generated records give, and checks every exit
// as the C loop does. Nothing in the loop allocates: no object per exit, 64-bit data_offset read as two halves.
//
// KVM_RUN goes through `ioctlRaw(KVM_RUN, 0, 'KVM_RUN')`, not the generated `tryRun()`: that passes the address of
// the handle's argument buffer as the argument, and KVM_RUN refuses any argument but 0 (EINVAL, kvm_vcpu_ioctl).
// The name is given so that no default message string is built per call.
import {
  Kvm, KVM_EXIT_HLT, KVM_EXIT_IO, KVM_EXIT_IO_OUT, KVM_RUN, KvmRun, KvmRunIo, Memory,
} from '../../../generated/kvm/dist/index.js';

const CODE = [0xe6, 0x10, 0xfe, 0xc0, 0x66, 0x49, 0x75, 0xf8, 0xf4];
const MEMORY = 0x10000;
const CODE_AT = 0x1000;
const PORT = 0x10;

const EXIT_REASON = KvmRun.fields.exit_reason.offset;
const IO = KvmRun.fields.io.offset;
const DIRECTION = IO + KvmRunIo.fields.direction.offset;
const SIZE = IO + KvmRunIo.fields.size.offset;
const IO_PORT = IO + KvmRunIo.fields.port.offset;
const COUNT = IO + KvmRunIo.fields.count.offset;
const DATA_OFFSET = IO + KvmRunIo.fields.data_offset.offset;

export interface TsVmm extends Disposable {
  /** Starts the guest code with RCX = `exits` and serves every port-I/O exit until it halts; returns how many there were. */
  loop(exits: number): number;
}

function wrong(what: string, got: number, exit: number): Error {
  return new Error(`exit ${exit}: unexpected ${what} ${got}`);
}

/** A VM whose vCPU runs the guest code. */
export function tsVmm(): TsVmm {
  const kvm = Kvm.open();
  const vmFd = kvm.createVm();
  const vm = Kvm.fromFd(vmFd.fd);
  const ram = Memory.map(MEMORY);
  ram.bytes.set(CODE, CODE_AT);
  vm.setUserMemoryRegion({ slot: 0, guest_phys_addr: 0, memory_size: MEMORY, userspace_addr: ram.address });
  const vcpuFd = vm.createVcpu(0);
  const vcpu = Kvm.fromFd(vcpuFd.fd);
  const run = Memory.mapFd(vcpuFd, 0, kvm.getVcpuMmapSize());
  const sregs = vcpu.getSregs();
  vcpu.setSregs({ ...sregs, cs: { ...sregs.cs, base: 0, selector: 0 } });

  const bytes = run.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    loop(exits: number): number {
      vcpu.setRegs({ rip: CODE_AT, rflags: 2, rcx: exits, rax: 0 });
      let seen = 0;
      let expect = 0;
      for (;;) {
        vcpu.ioctlRaw(KVM_RUN, 0, 'KVM_RUN'); // throws on failure
        const reason = view.getUint32(EXIT_REASON, true);
        if (reason === KVM_EXIT_HLT) break;
        if (reason !== KVM_EXIT_IO) throw wrong('exit reason', reason, seen);
        if (bytes[DIRECTION] !== KVM_EXIT_IO_OUT) throw wrong('direction', bytes[DIRECTION]!, seen);
        if (view.getUint16(IO_PORT, true) !== PORT) throw wrong('port', view.getUint16(IO_PORT, true), seen);
        if (bytes[SIZE] !== 1 || view.getUint32(COUNT, true) !== 1) throw wrong('size', bytes[SIZE]!, seen);
        if (view.getUint32(DATA_OFFSET + 4, true) !== 0) throw wrong('data_offset (high word)', view.getUint32(DATA_OFFSET + 4, true), seen);
        const data = bytes[view.getUint32(DATA_OFFSET, true)];
        if (data !== expect) throw wrong('byte', data ?? -1, seen);
        expect = (expect + 1) & 0xff;
        seen++;
      }
      return seen;
    },
    [Symbol.dispose](): void {
      run.close();
      vcpu.close();
      vcpuFd.close();
      vm.close();
      vmFd.close();
      ram.close();
      kvm.close();
    },
  };
}
