// KVM_GET_SUPPORTED_CPUID and KVM_SET_CPUID2, whose struct kvm_cpuid2 ends in a flexible array of entries: until
// the generator handles flexible arrays, the suite encodes the header and entries with the generated codecs and
// makes the calls through `ioctlRaw` on the generated handles (as vfio-abi.ts does for vfio).
import { kvm } from './lib.js';

const { KvmCpuid2, KvmCpuidEntry2, KVM_GET_SUPPORTED_CPUID, KVM_SET_CPUID2, IoctlError } = kvm;

type Entry = ReturnType<typeof KvmCpuidEntry2.decode>;
type Handle = { ioctlRaw(request: number, arg: Uint8Array, name: string): number };

/** Every entry KVM supports: asked with room for `capacity`, again with more while the kernel answers E2BIG (api.rst). */
export function supportedCpuid(sys: Handle, capacity = 8): Entry[] {
  for (;;) {
    const bytes = new Uint8Array(KvmCpuid2.size + capacity * KvmCpuidEntry2.size);
    KvmCpuid2.encode({ nent: capacity }, bytes);
    try {
      sys.ioctlRaw(KVM_GET_SUPPORTED_CPUID, bytes, 'KVM_GET_SUPPORTED_CPUID');
    } catch (e) {
      if (e instanceof IoctlError && e.code === 'E2BIG' && capacity < 4096) {
        capacity *= 2;
        continue;
      }
      throw e;
    }
    const n = KvmCpuid2.decode(bytes).nent;
    return Array.from({ length: n }, (_, i) => KvmCpuidEntry2.decode(bytes, KvmCpuid2.size + i * KvmCpuidEntry2.size));
  }
}

/** Gives the vCPU these CPUID entries. */
export function setCpuid2(vcpu: Handle, entries: readonly Entry[]): void {
  const bytes = new Uint8Array(KvmCpuid2.size + entries.length * KvmCpuidEntry2.size);
  KvmCpuid2.encode({ nent: entries.length }, bytes);
  entries.forEach((e, i) => KvmCpuidEntry2.encode(e, bytes, KvmCpuid2.size + i * KvmCpuidEntry2.size));
  vcpu.ioctlRaw(KVM_SET_CPUID2, bytes, 'KVM_SET_CPUID2');
}
