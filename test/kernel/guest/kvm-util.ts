// What the kvm guest's tests share: opening /dev/kvm (or saying why the test cannot run), a VM with guest RAM from
// mmap, a vCPU with its kvm_run mapped, real-mode registers, and the run loop that serves port I/O and MMIO from
// TypeScript. Guest RAM is a runtime Memory (mmap), never a V8 buffer: the kernel keeps using it after the call.
import { existsSync } from 'node:fs';
import { kvm, skip } from './lib.js';

const { Kvm, Memory, KVM_EXIT_HLT, KVM_EXIT_IO, KVM_EXIT_IO_OUT, KVM_EXIT_MMIO } = kvm;

/** Opens /dev/kvm, or ends the test as skipped saying why (the image has no KVM, or the CPU no virtualization). */
export function openKvm(): kvm.Kvm {
  if (!existsSync('/dev/kvm')) {
    skip('no /dev/kvm: this kernel has no KVM (CONFIG_KVM), or the CPU no virtualization (boot QEMU with -cpu max for SVM under TCG)');
  }
  let sys: kvm.Kvm;
  try {
    sys = Kvm.open();
  } catch (e) {
    skip(`/dev/kvm cannot be opened: ${(e as Error).message}`);
  }
  const version = sys.getApiVersion();
  if (version !== 12) {
    sys.close();
    throw new Error(`KVM_GET_API_VERSION returned ${version}; api.rst says applications must refuse anything but 12`);
  }
  return sys;
}

/** One VM with `ramBytes` of guest RAM at guest physical 0 (slot 0) and one vCPU (id 0) with kvm_run mapped. */
export class Machine implements Disposable {
  readonly sys = openKvm();
  readonly vm;
  readonly ram;
  readonly vcpu;
  readonly run;

  constructor(ramBytes: number, slotFlags = 0) {
    const mmapSize = this.sys.getVcpuMmapSize();
    this.vm = this.sys.createVm();
    this.ram = Memory.map(ramBytes);
    this.vm.setUserMemoryRegion({ slot: 0, flags: slotFlags, guest_phys_addr: 0, userspace_addr: this.ram }); // memory_size: the Memory's length
    this.vcpu = this.vm.createVcpu(0);
    this.run = this.vcpu.mapRun(mmapSize);
  }

  /** Loads `code` at `at` and points the vCPU at it in real mode: CS base 0 (the reset state has 0xffff0000). */
  loadRealMode(code: readonly number[], at: number): void {
    this.ram.bytes.set(code, at);
    realMode(this.vcpu, at);
  }

  [Symbol.dispose](): void {
    this.run.close();
    this.vcpu.close();
    this.ram.close();
    this.vm.close();
    this.sys.close();
  }
}

type Vcpu = Machine['vcpu'];

/** Real mode at `rip` with CS = 0 (the other segments' bases are 0 after reset); flags' reserved bit 1 set. */
export function realMode(vcpu: Vcpu, rip: number): void {
  const sregs = vcpu.getSregs();
  vcpu.setSregs({ ...sregs, cs: { ...sregs.cs, base: 0, selector: 0 } });
  vcpu.setRegs({ rip, rflags: 2 });
}

/** What the guest did, as the run loop saw it. */
export interface Trace {
  /** Bytes written to each port, in order. */
  readonly out: Map<number, number[]>;
  readonly mmioReads: { readonly addr: bigint; readonly len: number }[];
  readonly mmioWrites: { readonly addr: bigint; readonly data: number[] }[];
  exits: number;
}

/**
 * Runs the vCPU until it halts. Port output is collected from the bytes at `io.data_offset` of the mapped region;
 * an MMIO read is answered with `serve(address, length)`; an MMIO write is recorded. Any other exit fails.
 */
export function runUntilHalt(m: Pick<Machine, 'vcpu' | 'run'>, serve: (addr: bigint, len: number) => readonly number[] = () => [], limit = 10_000): Trace {
  const trace: Trace = { out: new Map(), mmioReads: [], mmioWrites: [], exits: 0 };
  const v = m.run.view;
  for (; trace.exits < limit; trace.exits++) {
    m.vcpu.run();
    const reason = v.exit_reason;
    if (reason === KVM_EXIT_HLT) return trace;
    if (reason === KVM_EXIT_IO) {
      const io = v.io;
      if (io.direction !== KVM_EXIT_IO_OUT) throw new Error(`guest read port 0x${io.port.toString(16)}: this loop serves output only`);
      const bytes = m.run.windowAt(io, 'data_offset', io.size * io.count); // io.data_offset, read without a bigint
      const list = trace.out.get(io.port) ?? [];
      list.push(...bytes);
      trace.out.set(io.port, list);
    } else if (reason === KVM_EXIT_MMIO) {
      const mmio = v.mmio;
      if (mmio.is_write) trace.mmioWrites.push({ addr: mmio.phys_addr, data: [...mmio.data.subarray(0, mmio.len)] });
      else {
        trace.mmioReads.push({ addr: mmio.phys_addr, len: mmio.len });
        mmio.data.set(serve(mmio.phys_addr, mmio.len).slice(0, mmio.len)); // the kernel completes the read from here at the next KVM_RUN
      }
    } else {
      throw new Error(`unexpected exit ${exitName(reason)} (${reason}) after ${trace.exits} exits`);
    }
  }
  throw new Error(`the guest did not halt within ${limit} exits`);
}

/** The KVM_EXIT_* constant's name for an exit reason (kvm.h). */
export function exitName(reason: number): string {
  const found = Object.entries(kvm).find(([k, x]) => k.startsWith('KVM_EXIT_') && !k.startsWith('KVM_EXIT_IO_') && x === reason);
  return found ? found[0] : `exit ${reason}`;
}
