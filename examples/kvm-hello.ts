// A virtual machine from TypeScript on /dev/kvm: one memory slot of mmap'ed RAM, one vCPU in real mode running a
// few bytes of machine code that print "Hi!\n" through port 0x3f8 and halt; the run loop reads each output byte
// where the kernel puts it in the vCPU's shared kvm_run region.
//   node kvm-hello.js         (as a user who may open /dev/kvm)
import { Kvm, Memory, KVM_EXIT_HLT, KVM_EXIT_IO, KVM_EXIT_IO_OUT } from '@uapi-ts/kvm';

// Real mode, loaded at guest physical 0x1000.
const CODE = [
  0xba, 0xf8, 0x03, // mov dx, 0x3f8
  0xb0, 0x48, //       mov al, 'H'
  0xee, //             out dx, al
  0xb0, 0x69, //       mov al, 'i'
  0xee, //             out dx, al
  0xb0, 0x21, //       mov al, '!'
  0xee, //             out dx, al
  0xb0, 0x0a, //       mov al, '\n'
  0xee, //             out dx, al
  0xf4, //             hlt
];

/** Runs the guest and returns what it wrote to port 0x3f8. */
export function hello(): string {
  using kvm = Kvm.open();
  using vm = kvm.createVm();
  using ram = Memory.map(0x4000); // guest RAM: mmap'ed, so it stays where the kernel maps it
  ram.bytes.set(CODE, 0x1000);
  vm.setUserMemoryRegion({ slot: 0, guest_phys_addr: 0, userspace_addr: ram }); // memory_size: ram's length
  using vcpu = vm.createVcpu(0);
  using run = vcpu.mapRun(kvm.getVcpuMmapSize());
  const sregs = vcpu.getSregs();
  vcpu.setSregs({ ...sregs, cs: { ...sregs.cs, base: 0, selector: 0 } }); // CS:IP = 0:0x1000
  vcpu.setRegs({ rip: 0x1000, rflags: 2 });
  let out = '';
  for (;;) {
    vcpu.run();
    const exit = run.view.exit_reason;
    if (exit === KVM_EXIT_HLT) return out;
    const io = run.view.io;
    if (exit !== KVM_EXIT_IO || io.direction !== KVM_EXIT_IO_OUT || io.port !== 0x3f8) throw new Error(`unexpected exit ${exit}`);
    for (const byte of run.windowAt(io, 'data_offset', io.size * io.count)) out += String.fromCharCode(byte);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(hello());
