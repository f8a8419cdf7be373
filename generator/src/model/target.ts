// The Linux ABIs the model can lay a header out for: C's scalar sizes and alignments, byte order, the signedness
// of plain char, the kernel's fixed-width types and the ioctl request encoding of each. Facts from each
// architecture's psABI, the kernel's arch/*/include/uapi/asm/{ioctl,types,bitsperlong}.h, and gcc: the macros are
// compared with each gcc's (test/unit/targets-gcc.test.ts), the layouts with each cross-compiler's
// (test/conformance/cross.test.ts).

/** How an architecture packs an ioctl request number (include/uapi/asm-generic/ioctl.h and its overrides). */
export interface IoctlEncoding {
  readonly name: 'generic' | 'powerpc' | 'mips' | 'sparc' | 'alpha';
  readonly nrBits: 8;
  readonly typeBits: 8;
  readonly sizeBits: number;
  readonly dirBits: number;
  /** _IOC_NONE, _IOC_WRITE, _IOC_READ: the direction field's values. */
  readonly none: number;
  readonly write: number;
  readonly read: number;
}

export const GENERIC_IOCTL: IoctlEncoding = { name: 'generic', nrBits: 8, typeBits: 8, sizeBits: 14, dirBits: 2, none: 0, write: 1, read: 2 };

// powerpc, mips, sparc and alpha: 13 size bits, 3 direction bits, and _IOC_NONE is 1 (a "void" bit).
function threeBitDir(name: IoctlEncoding['name']): IoctlEncoding {
  return { name, nrBits: 8, typeBits: 8, sizeBits: 13, dirBits: 3, none: 1, write: 4, read: 2 };
}

export interface Target {
  /** Our name for the ABI, as `--target` takes it. */
  readonly name: string;
  /** Debian's GNU triplet: the cross-compiler's prefix (`<triplet>-gcc`). */
  readonly triplet: string;
  /** The folder of the installed UAPI tree that holds this ABI's asm/ headers (`/usr/include/<multiarch>/asm`). */
  readonly multiarch: string;
  /** Node's `process.arch` on this ABI, or null where Node does not run. */
  readonly nodeArch: string | null;
  readonly endian: 'little' | 'big';
  /** sizeof(long) and sizeof(void *). */
  readonly longSize: 4 | 8;
  /** Alignment of long long and double inside a record (4 on i386, which aligns them to 4 outside __aligned_u64). */
  readonly int64Align: 4 | 8;
  readonly charSigned: boolean;
  /** __s64/__u64 are long, not long long (asm-generic/int-l64.h: alpha's and ppc64's asm/types.h for user space). */
  readonly int64IsLong: boolean;
  /** __BITS_PER_LONG as the arch's asm/bitsperlong.h spells it (a macro may only be redefined with the same text). */
  readonly bitsPerLong: string;
  /**
   * Whether unnamed bit-fields (zero-width ones too) align the record like their type, as named ones do: gcc's
   * align_anon_bitfield, true for AAPCS and AAPCS64.
   */
  readonly anonBitFieldAligns: boolean;
  /** gcc's __BIGGEST_ALIGNMENT__: what `__attribute__((aligned))` without a value gives. */
  readonly biggestAlign: 8 | 16;
  readonly ioctl: IoctlEncoding;
  /** The macros gcc predefines that name the architecture and its ABI (`#ifdef __aarch64__`, mips' `_MIPS_SZLONG`). */
  readonly macros: readonly (readonly [string, string])[];
}

function target(t: Omit<Target, 'ioctl'> & { ioctl?: IoctlEncoding }): Target {
  return { ...t, ioctl: t.ioctl ?? GENERIC_IOCTL };
}

/** Every ABI the model knows, the host default first. */
export const TARGETS: readonly Target[] = [
  target({
    name: 'x86_64', triplet: 'x86_64-linux-gnu', multiarch: 'x86_64-linux-gnu', nodeArch: 'x64', endian: 'little',
    longSize: 8, int64Align: 8, int64IsLong: false, charSigned: true, bitsPerLong: '64', anonBitFieldAligns: false,
    biggestAlign: 16,
    macros: [['__x86_64__', '1'], ['__x86_64', '1'], ['__amd64__', '1'], ['__amd64', '1']],
  }),
  target({
    name: 'aarch64', triplet: 'aarch64-linux-gnu', multiarch: 'aarch64-linux-gnu', nodeArch: 'arm64',
    endian: 'little', longSize: 8, int64Align: 8, int64IsLong: false, charSigned: false, bitsPerLong: '64',
    anonBitFieldAligns: true, biggestAlign: 16,
    macros: [['__aarch64__', '1']],
  }),
  target({
    name: 'riscv64', triplet: 'riscv64-linux-gnu', multiarch: 'riscv64-linux-gnu', nodeArch: 'riscv64',
    endian: 'little', longSize: 8, int64Align: 8, int64IsLong: false, charSigned: false,
    bitsPerLong: '(__SIZEOF_POINTER__ * 8)', anonBitFieldAligns: false, biggestAlign: 16,
    macros: [['__riscv', '1'], ['__riscv_xlen', '64']],
  }),
  target({
    name: 'ppc64le', triplet: 'powerpc64le-linux-gnu', multiarch: 'powerpc64le-linux-gnu', nodeArch: 'ppc64',
    endian: 'little', longSize: 8, int64Align: 8, int64IsLong: true, charSigned: false, bitsPerLong: '64',
    anonBitFieldAligns: false, biggestAlign: 16, ioctl: threeBitDir('powerpc'),
    macros: [['__powerpc__', '1'], ['__powerpc64__', '1'], ['__PPC__', '1'], ['__PPC64__', '1'], ['_ARCH_PPC', '1'], ['_ARCH_PPC64', '1'], ['__LITTLE_ENDIAN__', '1'], ['_CALL_ELF', '2']],
  }),
  target({
    name: 's390x', triplet: 's390x-linux-gnu', multiarch: 's390x-linux-gnu', nodeArch: 's390x', endian: 'big',
    longSize: 8, int64Align: 8, int64IsLong: false, charSigned: false, bitsPerLong: '64', anonBitFieldAligns: false,
    biggestAlign: 8,
    macros: [['__s390__', '1'], ['__s390x__', '1']],
  }),
  target({
    name: 'i386', triplet: 'i686-linux-gnu', multiarch: 'i386-linux-gnu', nodeArch: 'ia32', endian: 'little',
    longSize: 4, int64Align: 4, int64IsLong: false, charSigned: true, bitsPerLong: '32', anonBitFieldAligns: false,
    biggestAlign: 16,
    macros: [['__i386__', '1'], ['__i386', '1'], ['i386', '1'], ['__i686__', '1'], ['__i686', '1'], ['__ILP32__', '1']],
  }),
  target({
    name: 'arm', triplet: 'arm-linux-gnueabihf', multiarch: 'arm-linux-gnueabihf', nodeArch: 'arm',
    endian: 'little', longSize: 4, int64Align: 8, int64IsLong: false, charSigned: false, bitsPerLong: '32',
    anonBitFieldAligns: true, biggestAlign: 8,
    macros: [['__arm__', '1'], ['__ARM_EABI__', '1'], ['__ARMEL__', '1'], ['__ARM_PCS_VFP', '1']],
  }),
  target({
    name: 'powerpc', triplet: 'powerpc-linux-gnu', multiarch: 'powerpc-linux-gnu', nodeArch: null, endian: 'big',
    longSize: 4, int64Align: 8, int64IsLong: false, charSigned: false, bitsPerLong: '32', anonBitFieldAligns: false,
    biggestAlign: 16, ioctl: threeBitDir('powerpc'),
    macros: [['__powerpc__', '1'], ['__powerpc', '1'], ['__PPC__', '1'], ['__PPC', '1'], ['_ARCH_PPC', '1'], ['__BIG_ENDIAN__', '1']],
  }),
  target({
    name: 'mips', triplet: 'mips-linux-gnu', multiarch: 'mips-linux-gnu', nodeArch: null, endian: 'big',
    longSize: 4, int64Align: 8, int64IsLong: false, charSigned: true, bitsPerLong: '_MIPS_SZLONG',
    anonBitFieldAligns: false, biggestAlign: 8, ioctl: threeBitDir('mips'),
    macros: [['__mips__', '1'], ['__mips', '32'], ['__MIPSEB__', '1'], ['__MIPSEB', '1'], ['_ABIO32', '1'], ['_MIPS_SIM', '_ABIO32'], ['_MIPS_SZINT', '32'], ['_MIPS_SZLONG', '32'], ['_MIPS_SZPTR', '32']],
  }),
  target({
    name: 'sparc64', triplet: 'sparc64-linux-gnu', multiarch: 'sparc64-linux-gnu', nodeArch: null, endian: 'big',
    longSize: 8, int64Align: 8, int64IsLong: false, charSigned: true, bitsPerLong: '64', anonBitFieldAligns: false,
    biggestAlign: 16, ioctl: threeBitDir('sparc'),
    macros: [['__sparc__', '1'], ['__sparc', '1'], ['__sparc_v9__', '1'], ['__arch64__', '1']],
  }),
  target({
    name: 'alpha', triplet: 'alpha-linux-gnu', multiarch: 'alpha-linux-gnu', nodeArch: null, endian: 'little',
    longSize: 8, int64Align: 8, int64IsLong: true, charSigned: true, bitsPerLong: '64', anonBitFieldAligns: false,
    biggestAlign: 16, ioctl: threeBitDir('alpha'),
    macros: [['__alpha__', '1'], ['__alpha', '1'], ['__alpha_ev4__', '1']],
  }),
];

export const DEFAULT_TARGET: Target = TARGETS[0]!;

/** The target of a `--target` name, or null. */
export function targetNamed(name: string): Target | null {
  return TARGETS.find((t) => t.name === name) ?? null;
}
