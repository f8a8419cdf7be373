// Headers the generator provides itself when no -I folder has them: the kernel's fixed-width types and the
// ioctl macros, for the target ABI (model/target.ts). They are parsed like any header. The _IO/_IOR/_IOW/_IOWR/
// _IOC macros are intrinsics of the model (they need sizeof of a type argument), so ioctl.h declares the
// encoding's field widths and defines each as its own call (preprocess.ts: `#ifdef _IOR` holds, and the call
// stays for lower/ioctl.ts), the size argument as `sizeof(T)`, as the kernel has it: an ioctl that is an
// enumerator's value then parses as C. The values come from the kernel's include/uapi/asm-generic/
// {int-ll64,int-l64,ioctl}.h, the arch's asm/{ioctl,bitsperlong}.h and linux/{types,const}.h; the conformance
// tests compare every type built from them with the real headers, by gcc and by each cross-compiler.

import type { Target } from '../model/target.js';

const types = (t: Target): string => `
typedef signed char __s8;
typedef unsigned char __u8;
typedef signed short __s16;
typedef unsigned short __u16;
typedef signed int __s32;
typedef unsigned int __u32;
typedef signed ${t.int64IsLong ? 'long' : 'long long'} __s64;
typedef unsigned ${t.int64IsLong ? 'long' : 'long long'} __u64;
typedef __u16 __le16;
typedef __u16 __be16;
typedef __u32 __le32;
typedef __u32 __be32;
typedef __u64 __le64;
typedef __u64 __be64;
typedef __u16 __sum16;
typedef __u32 __wsum;
typedef unsigned __poll_t;
typedef __u64 __aligned_u64 __attribute__((aligned(8)));
typedef __s64 __aligned_s64 __attribute__((aligned(8)));
typedef __u64 __aligned_be64 __attribute__((aligned(8)));
typedef __u64 __aligned_le64 __attribute__((aligned(8)));
#ifdef __SIZEOF_INT128__
typedef __signed__ __int128 __s128 __attribute__((aligned(16)));
typedef unsigned __int128 __u128 __attribute__((aligned(16)));
#endif
#define __bitwise
#define __bitwise__
#define __BITS_PER_LONG ${t.bitsPerLong}
#define __BITS_PER_LONG_LONG 64
`;

// The field widths and direction values of the target's encoding (asm-generic/ioctl.h or the arch's asm/ioctl.h).
const ioctl = ({ ioctl: e }: Target): string => `
#define _IOC_NRBITS ${e.nrBits}
#define _IOC_TYPEBITS ${e.typeBits}
#define _IOC_SIZEBITS ${e.sizeBits}
#define _IOC_DIRBITS ${e.dirBits}
#define _IOC_NONE ${e.none}U
#define _IOC_WRITE ${e.write}U
#define _IOC_READ ${e.read}U
#define _IOC(dir,type,nr,size) _IOC(dir,type,nr,size)
#define _IO(type,nr) _IO(type,nr)
#define _IOR(type,nr,size) _IOR(type,nr,sizeof(size))
#define _IOW(type,nr,size) _IOW(type,nr,sizeof(size))
#define _IOWR(type,nr,size) _IOWR(type,nr,sizeof(size))
`;

const constH = `
#define _AC(X,Y) (X##Y)
#define _UL(x) (_AC(x, UL))
#define _ULL(x) (_AC(x, ULL))
#define _BITUL(x) (_UL(1) << (x))
#define _BITULL(x) (_ULL(1) << (x))
`;

// Each built-in header's names (the first is where it is said to be read from: `<builtin>/linux/types.h`) and its
// text for a target.
const TYPES_NAMES = ['linux/types.h', 'asm/types.h', 'asm-generic/int-ll64.h'];
const IOCTL_NAMES = ['linux/ioctl.h', 'asm/ioctl.h', 'asm-generic/ioctl.h'];
const BUILTINS: readonly { readonly names: readonly string[]; readonly text: (t: Target) => string }[] = [
  { names: TYPES_NAMES, text: types },
  { names: IOCTL_NAMES, text: ioctl },
  { names: ['linux/const.h'], text: () => constH },
];

/**
 * The macros gcc predefines for the target that UAPI headers test (`#ifdef __x86_64__` in mshv.h,
 * asm/bitsperlong.h), so that the branch read is the one gcc compiles (-std=gnu11). Not defined: __GNUC__ and
 * the version macros (they name a compiler, not the ABI), __KERNEL__, __ASSEMBLER__ and __cplusplus (a C user
 * program is what is modelled).
 */
export function predefinedMacros(t: Target): readonly (readonly [string, string])[] {
  const long = String(t.longSize);
  return [
    ...t.macros,
    ...(t.longSize === 8 ? [['__LP64__', '1'], ['_LP64', '1'], ['__SIZEOF_INT128__', '16']] as const : []),
    ['__linux__', '1'], ['__linux', '1'], ['__unix__', '1'], ['__unix', '1'], ['__ELF__', '1'],
    ['__STDC__', '1'], ['__STDC_VERSION__', '201112L'], ['__STDC_HOSTED__', '1'], ['__CHAR_BIT__', '8'],
    ...(t.charSigned ? [] : [['__CHAR_UNSIGNED__', '1']] as const),
    ['__SIZEOF_SHORT__', '2'], ['__SIZEOF_INT__', '4'], ['__SIZEOF_LONG__', long], ['__SIZEOF_LONG_LONG__', '8'],
    ['__SIZEOF_POINTER__', long], ['__SIZEOF_SIZE_T__', long], ['__SIZEOF_FLOAT__', '4'], ['__SIZEOF_DOUBLE__', '8'],
    ['__ORDER_LITTLE_ENDIAN__', '1234'], ['__ORDER_BIG_ENDIAN__', '4321'], ['__ORDER_PDP_ENDIAN__', '3412'],
    ['__BYTE_ORDER__', t.endian === 'little' ? '__ORDER_LITTLE_ENDIAN__' : '__ORDER_BIG_ENDIAN__'],
  ];
}

/**
 * With --system-includes, libc's headers are read as gcc reads them: glibc's sys/cdefs.h defines `__attribute__`
 * away for a compiler that is not GNU C, which would silently drop `packed` from every header after it. So the
 * compiler's identity is predefined too (the gcc the conformance tests compare with: 12).
 */
export const GNUC_MACROS: readonly (readonly [string, string])[] = [
  ['__GNUC__', '12'], ['__GNUC_MINOR__', '2'], ['__GNUC_PATCHLEVEL__', '0'],
];

/**
 * The types gcc's own <stddef.h> gives every program (from its predefined __SIZE_TYPE__ and __PTRDIFF_TYPE__:
 * long on every target here but i386, arm, powerpc and mips, where they are int, the same size). A header may
 * name them in an ioctl macro without declaring them (`_IOR(0x12, 112, size_t)`, fs.h): the macro is only usable in a program that has them, with these sizes, so the ioctl's number is known.
 */
export const STDDEF_TYPEDEFS: ReadonlyMap<string, readonly string[]> = new Map([
  ['size_t', ['unsigned', 'long']],
  ['ptrdiff_t', ['long']],
]);

/** The typedef names gcc itself declares in every program, on 64-bit targets (arm64's asm/sigcontext.h uses them). */
export const COMPILER_TYPEDEFS: ReadonlyMap<string, readonly string[]> = new Map([
  ['__int128_t', ['__int128']],
  ['__uint128_t', ['unsigned', '__int128']],
]);

/**
 * The built-in headers that are the model's own (fixed-width types, the ioctl encoding): `uapi-ts import` never
 * brings a version's copy of these. Others (linux/const.h) are plain macros, and a version's copy replaces them.
 */
export const MODEL_HEADERS: ReadonlySet<string> = new Set([...TYPES_NAMES, ...IOCTL_NAMES]);

/** Text of a built-in header for a target, or undefined. Several names share one text; include guards are ours to add. */
export function builtinHeader(name: string, target: Target): { path: string; text: string } | undefined {
  const b = BUILTINS.find((x) => x.names.includes(name));
  return b && { path: `<builtin>/${b.names[0]!}`, text: b.text(target) };
}

/**
 * The kernel defines these as macros (`#define __aligned_u64 __u64 __attribute__((aligned(8)))`), so the
 * alignment is an attribute of the member itself and __attribute__((packed)) does not lower it. We declare them
 * as typedefs (tree-sitter sees no macro expansion in declarations) and the model applies this alignment to
 * every member declared with them.
 */
export const MEMBER_ALIGNED_TYPEDEFS: ReadonlyMap<string, number> = new Map([
  ['__aligned_u64', 8],
  ['__aligned_s64', 8],
  ['__aligned_le64', 8],
  ['__aligned_be64', 8],
]);

/** The typedef names whose endianness the C text cannot say (the kernel marks them `__bitwise` for sparse). */
export const ENDIAN_TYPEDEFS: ReadonlyMap<string, 'little' | 'big'> = new Map([
  ['__le16', 'little'],
  ['__le32', 'little'],
  ['__le64', 'little'],
  ['__aligned_le64', 'little'],
  ['__be16', 'big'],
  ['__be32', 'big'],
  ['__be64', 'big'],
  ['__aligned_be64', 'big'],
]);
