// The TypeScript side of the VMM hot-loop benchmark (bench-vmm.ts): the VM and run loop of bench/guest/kvm-loop.c,
// written with the generated @uapi-ts/kvm package. Kept in one small file so that the loop can move to another
// API (a typed kvm_run view) without touching the benchmark around it.
//
// The VM: 64 KiB of guest RAM at guest-physical 0, one vCPU in real mode; each loop starts it at CS = 0,
// IP = 0x1000, RCX = the number of exits, running kvm-loop.c's five instructions (out 0x10, al; inc al; dec ecx;
// jnz; hlt). The loop is what a user of the package writes: `vcpu.run()`, then the typed live view of kvm_run
// (`vcpu.mapRun`) read in place, checking every exit as the C loop does. Nothing in it allocates per exit: the
// views are made once, and the I/O byte is read through `windowAt`, which reads data_offset without a bigint.
import { Kvm, KVM_EXIT_HLT, KVM_EXIT_IO, KVM_EXIT_IO_OUT, Memory } from '../../../generated/kvm/dist/index.js';

const CODE = [0xe6, 0x10, 0xfe, 0xc0, 0x66, 0x49, 0x75, 0xf8, 0xf4];
const MEMORY = 0x10000;
const CODE_AT = 0x1000;
const PORT = 0x10;

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
  const vm = kvm.createVm();
  const ram = Memory.map(MEMORY);
  ram.bytes.set(CODE, CODE_AT);
  vm.setUserMemoryRegion({ slot: 0, guest_phys_addr: 0, userspace_addr: ram }); // memory_size: ram's length
  const vcpu = vm.createVcpu(0);
  const run = vcpu.mapRun(kvm.getVcpuMmapSize());
  const sregs = vcpu.getSregs();
  vcpu.setSregs({ ...sregs, cs: { ...sregs.cs, base: 0, selector: 0 } });
  const { view } = run;
  const io = view.io;
  return {
    loop(exits: number): number {
      vcpu.setRegs({ rip: CODE_AT, rflags: 2, rcx: exits, rax: 0 });
      let seen = 0;
      let expect = 0;
      for (;;) {
        vcpu.run(); // throws IoctlError on failure
        const reason = view.exit_reason;
        if (reason === KVM_EXIT_HLT) break;
        if (reason !== KVM_EXIT_IO) throw wrong('exit reason', reason, seen);
        if (io.direction !== KVM_EXIT_IO_OUT) throw wrong('direction', io.direction, seen);
        if (io.port !== PORT) throw wrong('port', io.port, seen);
        if (io.size !== 1 || io.count !== 1) throw wrong('size', io.size, seen);
        const data = run.windowAt(io, 'data_offset', 1)[0];
        if (data !== expect) throw wrong('byte', data ?? -1, seen);
        expect = (expect + 1) & 0xff;
        seen++;
      }
      return seen;
    },
    [Symbol.dispose](): void {
      run.close();
      vcpu.close();
      vm.close();
      ram.close();
      kvm.close();
    },
  };
}
