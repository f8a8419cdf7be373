// The hostile C the mutator inserts: sizes, widths, literals, self-references and constructs the generator does
// not support. Plain data (some built from a size `n`), so that a mutation is only "pick one and put it somewhere".
import type { Rng } from './rng.js';

/** Array sizes: huge, negative, overflowing, not integers, not constant, malformed. */
export const ARRAY_SIZES = [
  '1ULL<<40', '-1', '0x7fffffffffffffff', '0xffffffffffffffffULL', '18446744073709551616', '1<<31', '1U<<31',
  '2147483648', '4294967296', '(1ULL<<62)', '0', '-0x80000000', '(__u32)-1', '(__u64)-1', 'sizeof(__u64) * 0x40000000',
  '1e10', '1.5', '"x"', "'a'", '', '(', '1/0', '1 % 0', '1 << 64', '1 << -1', '~0UL', '9223372036854775807 * 2',
  '65536][65536', '0x100000][0x100000][0x100000', 'IOMMUFD_TYPE', 'sizeof(struct iommu_destroy)', 'fuzz_undefined',
];

export const BIT_WIDTHS = ['0', '1', '8', '32', '33', '64', '65', '-1', '1ULL<<40', '0x7fffffffffffffff', '2147483648', '4294967296', '1.0', 'x'];
export const BIT_TYPES = ['__u32', '__u8', '__u64', 'int', 'char', 'unsigned long long', '_Bool', 'float', 'enum fuzz_none', 'struct iommu_destroy', '__u32 *'];

/** Replacements for a numeric literal. */
export const NUMBERS = [
  '0x', '08', '09', '1e999', '0x1p3', '99999999999999999999999999', `0x${'f'.repeat(40)}`, '1uu', '1lul', '1LLL',
  '0b102', '0b', '1.', '.5', '0xg', '0000000000000000000000000000001', '-1', '18446744073709551615', '18446744073709551616',
  '9223372036854775808', "'\\777'", "'\\x'", "'ab'", "''", "'\\u00e9'", '"str"', "L'x'", "'\\xfff'",
];

/** Macros that refer to themselves, directly, mutually, through arguments or pasting, or expand explosively. */
export function selfMacro(rng: Rng): string {
  const n = rng.pick([10, 40, 100, 300, 2000]);
  const chain = (make: (k: number) => string): string => Array.from({ length: n }, (_, k) => make(k)).join('\n');
  return rng.pick([
    () => '#define FUZZ_SELF FUZZ_SELF\nenum { FUZZ_SELF_E = FUZZ_SELF };',
    () => '#define FUZZ_A FUZZ_B\n#define FUZZ_B FUZZ_A\n#define FUZZ_C _IO(FUZZ_A, 1)',
    () => '#define FUZZ_F(x) FUZZ_F(FUZZ_F(x))\n#define FUZZ_V FUZZ_F(1)',
    () => '#define FUZZ_G(x) x x x x x x x x\n#define FUZZ_W FUZZ_G(FUZZ_G(FUZZ_G(FUZZ_G(FUZZ_G(FUZZ_G(FUZZ_G(1)))))))',
    () => `${chain((k) => (k === 0 ? '#define FUZZ_E0 1' : `#define FUZZ_E${k} (FUZZ_E${k - 1} + FUZZ_E${k - 1})`))}\nenum { FUZZ_EXP = FUZZ_E${n - 1} };`,
    () => `${chain((k) => (k === 0 ? '#define FUZZ_D0 0' : `#define FUZZ_D${k} (FUZZ_D${k - 1} + 1)`))}\nstruct fuzz_deep_macro { __u8 a[FUZZ_D${n - 1}]; };`,
    () => '#define FUZZ_P(x) #x\n#define FUZZ_Q FUZZ_P(FUZZ_Q)',
    () => '#define FUZZ_CAT(a, b) a##b\n#define FUZZ_R FUZZ_CAT(FUZZ_, R)\nenum { FUZZ_RE = FUZZ_R };',
    () => '#define FUZZ_IF FUZZ_IF + 1\n#if FUZZ_IF\n#endif',
    () => '#define FUZZ_ARGS(...) FUZZ_ARGS(__VA_ARGS__, __VA_ARGS__)\n#define FUZZ_VA FUZZ_ARGS(1)',
    () => '#define FUZZ_H(x) FUZZ_H\n#define FUZZ_HH FUZZ_H(1)(2)(3)',
    () => '#define FUZZ_OPEN (\n#define FUZZ_M(x) x\n#define FUZZ_MO FUZZ_M FUZZ_OPEN 1',
  ])();
}

/** Records and typedefs that refer to themselves or each other. `name` is a record the header defines, if any. */
export function selfRecord(rng: Rng, name: string | null): { member: string | null; topLevel: string } {
  const n = name ?? 'fuzz_none';
  const member = name === null ? null : rng.pick([
    `struct ${n} fuzz_self;`, `union ${n} fuzz_self;`, `struct ${n} fuzz_self[2];`, `struct ${n} *fuzz_self_ptr;`,
    `__u8 fuzz_self_size[sizeof(struct ${n})];`, `enum ${n} fuzz_self_enum;`, `struct ${n} { __u32 x; } fuzz_inner;`,
  ]);
  const topLevel = rng.pick([
    'struct fuzz_a { struct fuzz_b b; };\nstruct fuzz_b { struct fuzz_a a; };',
    'typedef struct fuzz_t fuzz_t;\nstruct fuzz_u { fuzz_t t; };',
    'typedef fuzz_v fuzz_v;',
    'typedef struct fuzz_w fuzz_w;\nstruct fuzz_w { fuzz_w *next; fuzz_w inner; };',
    'enum fuzz_e { FUZZ_X = FUZZ_Y, FUZZ_Y = FUZZ_X };',
    'enum fuzz_e2 { FUZZ_Z = sizeof(enum fuzz_e2) };',
    'struct fuzz_s { __u8 a[sizeof(struct fuzz_s)]; };',
    `struct ${n} { __u32 redefined; };`,
    `typedef struct ${n} ${n};\ntypedef union ${n} ${n};`,
    'union fuzz_un { union fuzz_un u; };',
    `struct fuzz_arr { struct ${n} a[1ULL << 40]; };`,
    `enum ${n} { FUZZ_CLASH };`,
  ]);
  return { member, topLevel };
}

/** Constructs outside the supported subset, and malformed directives. */
export const UNSUPPORTED = [
  '#pragma pack(1)', '#pragma pack(push, 1)', '#pragma GCC diagnostic push', 'int fuzz_function(void);',
  'static inline int fuzz_f(void) { return 1; }', 'extern int fuzz_var;', 'static const int fuzz_c = 1;',
  '_Static_assert(1, "x");', 'typedef int (*fuzz_fp)(void);', 'struct fuzz_fp { void (*cb)(int); };',
  'struct fuzz_q { int *restrict p; };', '#line 7 "x.h"', '#include_next <linux/types.h>', '#ident "x"',
  '#assert machine(x86)', '#elif 1', '#else', '#endif', '#if', '#ifdef', '#if 1', '#define', '#define defined 1',
  '#define __VA_ARGS__ 1', '#define FUZZ(...) __VA_OPT__(x)', '#define FUZZ_STR "abc"', "#define FUZZ_CH 'ab'",
  '_Alignas(8) int fuzz_a;', 'struct fuzz_al { _Alignas(16) __u32 x; };', 'struct fuzz_attr { __u32 x __attribute__((mode(DI))); };',
  'struct fuzz_attr2 { __u32 x; } __attribute__((packed, aligned(3)));', 'struct fuzz_attr3 { __u32 x; } __attribute__((aligned(1ULL<<40)));',
  'struct fuzz_attr4 { __u32 x __attribute__((aligned(0))); };', 'struct fuzz_attr5 { __u32 x; } __attribute__((aligned(-8)));',
  'struct fuzz_attr6 { __u32 x; } __attribute__((aligned(1, 2)));', 'struct fuzz_attr7 { __u32 x; } __attribute__((aligned("8")));',
  'enum fuzz_fixed : __u8 { FUZZ_FIXED };', 'class fuzz_cpp { int x; };', 'asm("nop");', '__asm__(".globl x");',
  'struct fuzz_vla { int n; int a[n]; };', 'struct fuzz_float { float f; double d; long double ld; };',
  'struct fuzz_complex { _Complex double z; };', 'struct fuzz_int128 { __int128 x; unsigned __int128 y; };',
  'struct fuzz_bool { _Bool b : 1; };', 'struct fuzz_empty { };', 'union fuzz_empty_u { };',
  'struct fuzz_fam { __u32 n; __u32 a[]; __u32 b; };', 'union fuzz_fam_u { __u32 a[]; };', 'struct fuzz_fam2 { __u32 a[][4]; };',
  'struct fuzz_ptr_arr { int *a[4]; };', 'struct fuzz_paren { int (*a)[4]; };', 'struct fuzz_fn { int f(void); };',
  'struct fuzz_kw { int struct; };', 'typedef;', ';', 'int;', 'struct;', 'enum { };',
  'struct fuzz_anon_top { struct { int x; }; union { int y; }; };', 'enum fuzz_big { FUZZ_BIG = 0xffffffffffffffffULL, FUZZ_NEG = -1 };',
  'enum fuzz_big2 { FUZZ_BIG2 = 18446744073709551615ULL + 1 };', 'enum fuzz_ovf { FUZZ_OVF = 0xffffffffffffffff, FUZZ_OVF2 };',
  '__extension__ typedef int fuzz_ext;', 'typedef __typeof__(int) fuzz_typeof;', 'struct fuzz_gen { int x; } fuzz_instance;',
  '#define FUZZ_IO _IOWR(0x100, 0x100, struct fuzz_missing)', '#define FUZZ_IO2 _IOR(1, 2, __u8[100000])',
  '#define FUZZ_IO3 _IOC(4, 1, 1, 1)', '#define FUZZ_IO4 _IO(1)', '#define FUZZ_IO5 _IOW(1, 2, 3)',
  '#define FUZZ_IO6 _IOR(1, 2, struct iommu_destroy *)', '#define FUZZ_IO7 _IOC(3, 0x3b, 1, 16384)',
  '#define FUZZ_IO8 _IOR(1, 2, char[16384])', '#define FUZZ_IO9 _IOR(1, 2, void)', '#define FUZZ_IO10 _IOR(1, 2, struct fuzz_incomplete)',
  '#define FUZZ_IO11 _IOR(-1, -1, int)', '#define FUZZ_IO12 _IO(IOMMUFD_TYPE, 1ULL << 40)',
  '#define FUZZ_CALL foo(1)', '#define FUZZ_TERN (1 ? 2 : )', '#define FUZZ_CAST ((struct iommu_destroy)1)',
  '#define FUZZ_SIZEOF sizeof(void)', '#define FUZZ_SIZEOF2 sizeof(1)', '#define FUZZ_ALIGN _Alignof(struct fuzz_nope)',
  '#define FUZZ_SHIFT (1 << 63)', '#define FUZZ_DIV (1 / 0)', '#define FUZZ_MIN ((-9223372036854775807LL - 1) / -1)',
  '#define FUZZ_NEG_SHIFT (1 >> -1)', `#define FUZZ_LONGLIT 0x${'f'.repeat(200)}`, '#if 1/0\n#endif', '#if (\n#endif',
  '#if defined(\n#endif', '#ifdef\n#endif', '#if 1\n#elif\n#endif', '#error fuzz', '#warning fuzz', '#if 1 ? 2\n#endif',
  '#if sizeof(int)\n#endif', '#if 18446744073709551616\n#endif', '#if 1 << 99\n#endif', "#if 'ab'\n#endif",
  'struct fuzz_dup { __u32 x; __u32 x; };', 'enum fuzz_dup_e { FUZZ_DUP, FUZZ_DUP };', 'struct fuzz_str { char s["x"]; };',
  'struct fuzz_neg_bits { __u32 : -1; };', 'struct fuzz_wide { __u8 x : 9; };', 'struct fuzz_zero_named { __u32 x : 0; };',
  '/** struct fuzz_doc - ioctl(FUZZ_NONE)\n * @x: a pointer to an array of struct fuzz_missing\n */\nstruct fuzz_doc { __u64 x; };',
];

/** `#include` lines: self-inclusion, directories, devices, empty names, computed and malformed forms. */
export const INCLUDES = [
  '#include <linux/iommufd.h>', '#include "iommufd.h"', '#include "iommufd_test.h"', '#include "linux/iommufd.h"',
  '#include <linux>', '#include <>', '#include ""', '#include "."', '#include <.>', '#include <..>', '#include "/dev/null"',
  `#include "${'../'.repeat(24)}dev/null"`, `#include "${'../'.repeat(24)}dev/stdin"`, `#include "${'../'.repeat(24)}tmp"`,
  `#include "${'../'.repeat(24)}"`, '#include <linux/types.h>', '#include <linux/ioctl.h>', '#include <asm/ioctl.h>',
  '#include <linux/const.h>', '#include <linux/nonexistent.h>', '#define FUZZ_HDR <linux/types.h>\n#include FUZZ_HDR',
  '#include <linux/iommufd.h', '#include', '#include_next <linux/iommufd.h>', '#import <x.h>', '#include "iommufd.h" extra',
  '#include <linux/iommufd.h>\n#include <linux/iommufd.h>', '#include "\\0"', '#include <linux/\u00e9.h>',
];

/** Text repeated into a long run: whitespace, identifier characters, comment openers, continuation lines. */
export const RUN_UNITS = [
  ' ', '\t', 'a', '*', '@', '(', ')', '0', '/*', '*/', '\\\n', '\n', ' * ', '#', '{', '@a: ', 'x ', '-', '\r', ':', '::', '`', '[', ']',
  '\n * ', '\n *\t', '- ', '&struct x ', 'ioctl(', 'E2BIG: ', '<', '&', '_', '.',
];
export const RUN_LENGTHS = [1000, 10_000, 50_000, 200_000];

/** Deeply nested C: parentheses, unary chains, conditionals, records, arrays, long operator chains. */
export function deepNesting(rng: Rng): string {
  const n = rng.pick([100, 1000, 5000, 20_000, 100_000]);
  const r = (s: string, k = n): string => s.repeat(k);
  return rng.pick([
    () => `#define FUZZ_DEEP ${r('(')}1${r(')')}\nenum { FUZZ_DEEP_E = FUZZ_DEEP };`,
    () => `#define FUZZ_NEG ${r('- ')}1\nenum { FUZZ_NEG_E = FUZZ_NEG };`,
    () => `#define FUZZ_NOT ${r('~')}1`,
    () => `#if ${r('(')}1${r(')')}\n#endif`,
    () => `#if ${r('!')}1\n#endif`,
    () => `enum fuzz_deep { FUZZ_DEEP_E = ${r('(')}1${r(')')} };`,
    () => `struct fuzz_deep { ${r('struct { ')}int x; ${r('}; ')}};`,
    () => `${r('#if 1\n', Math.min(n, 20_000))}${r('#endif\n', Math.min(n, 20_000))}`,
    () => `struct fuzz_arr { __u8 a${r('[1]')}; };`,
    () => `#define FUZZ_T ${r('1 ? ')}1${r(' : 0')}`,
    () => `#define FUZZ_SUM ${r('1 + ')}1\nenum { FUZZ_SUM_E = FUZZ_SUM };`,
    () => `#define FUZZ_OR ${r('1 || ')}1\n#if FUZZ_OR\n#endif`,
    () => `struct fuzz_ptr { int ${r('*')}p; };`,
    () => Array.from({ length: Math.min(n, 5000) }, (_, k) => (k === 0 ? 'typedef __u8 fuzz_t0;' : `typedef fuzz_t${k - 1} fuzz_t${k};`)).join('\n'),
    () => `#define FUZZ_CALLS ${r('_IO(')}1${r(', 1)')}`,
    () => `#define FUZZ_ID(x) x\n#define FUZZ_IDS ${r('FUZZ_ID(')}1${r(')')}`,
  ])();
}

/** Lines to put into a kernel-doc comment, and whole kernel-doc comments. */
export function kernelDocLine(rng: Rng): string {
  const n = rng.pick([10, 1000, 50_000]);
  return rng.pick([
    ' * @: x', ' * @a[0]: x', ' * @ : x', ' * @...: x', ' * @a.b.c: x', ' * @a..b: x', ` * @${'a'.repeat(n)}`, ` * ${' '.repeat(n)}@x: y`,
    ` * @x:${' '.repeat(n)}y`, ' * DOC:', ' * DOC: x', ' * struct', ' * struct ', ' * Description:', ' * Return: x', ' * ::',
    ` * ${'\t'.repeat(n)}x`, ' * ioctl(FUZZ_MISSING)', ' * ioctl(IOMMU_DESTROY)', ` * ${'@x '.repeat(n)}`, ' */', '/**', ' * @size: again',
    ` * ${'- '.repeat(n)}`, ` * ${'*'.repeat(n)}`, ` * ${'`'.repeat(n)}`, ` * &struct ${'x'.repeat(n)}`, ` * ${'a '.repeat(n)}:`,
  ]);
}

export const DOC_TITLES = ['struct', 'struct x y z', 'union', 'enum - x', 'typedef', 'DOC:', 'f()', 'f(x) - y', 'struct 1x - y', 'struct iommu_destroy:', ''];
