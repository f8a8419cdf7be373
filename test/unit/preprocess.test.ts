// The preprocessor pass before tree-sitter (parse/preprocess.ts): what gcc compiles is what is parsed, and every
// location, in text that went through a macro or not, is the real header's. Layouts are checked against gcc in
// layout-gcc.test.ts; here, what the text becomes and where errors point.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HeaderError } from '../../generator/src/diagnostics.js';
import { argumentRecord } from '../../generator/src/conventions/annotations.js';
import { loadModel } from '../../generator/src/load.js';

const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-preprocess-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function write(c: string, name = `p${++n}.h`): string {
  const header = join(dir, name);
  writeFileSync(header, c);
  return header;
}

const model = (c: string) => loadModel(write(`#include <linux/types.h>\n${c}`), { includeDirs: [dir] });

/** The located error loading `c` gives: [line, col, message]. */
function errorOf(c: string): [number, number, string] {
  const header = write(`#include <linux/types.h>\n${c}`);
  try {
    loadModel(header, { includeDirs: [dir] });
  } catch (e) {
    if (!(e instanceof HeaderError)) throw e;
    expect(e.loc.file).toBe(relative(process.cwd(), header));
    return [e.loc.line, e.loc.col, e.reason];
  }
  throw new Error('no error');
}

describe('conditionals run before parsing', () => {
  it('an inactive branch is never parsed (it may hold anything)', () => {
    const m = model("#if 0\nthis is not C: it's never read {\n#else\nstruct a { __u32 x; };\n#endif\n");
    expect(m.records.map((r) => r.name)).toEqual(['a']);
  });

  it('#elif, #ifdef, #ifndef and #undef take effect in text order', () => {
    const m = model(
      '#define A 1\n#undef A\n#ifdef A\nstruct no1 { __u8 x; };\n#elif defined(B) || 1\nstruct yes1 { __u8 x; };\n#else\nstruct no2 { __u8 x; };\n#endif\n' +
        '#ifndef A\nstruct yes2 { __u8 x; };\n#endif\n',
    );
    expect(m.records.map((r) => r.name)).toEqual(['yes1', 'yes2']);
  });

  it('an unterminated #if is a located error at the #if', () => {
    expect(errorOf('struct a { __u8 x; };\n#ifdef X\n')).toEqual([3, 1, 'unterminated conditional: no #endif']);
  });

  it('#else without #if, and #endif without #if, are located errors', () => {
    expect(errorOf('#else\n')[0]).toBe(2);
    expect(errorOf('\n#endif\n')).toEqual([3, 1, '#endif without #if']);
  });
});

describe('macros are expanded in declarations', () => {
  it('an error in text a macro made points at the macro\'s use in the header', () => {
    const [line, col, why] = errorOf('#define BAD(n) __u8 n[-1];\nstruct s {\n  __u8 ok;\n  BAD(x)\n};\n');
    expect([line, col]).toEqual([5, 3]);
    expect(why).toMatch(/negative/);
  });

  it('a syntax error after an expansion on the same line is located in the real line and column', () => {
    const [line, col] = errorOf('#define T __u32\nstruct s {\n  T a; T b c;\n};\n');
    expect(line).toBe(4);
    expect(col).toBeGreaterThanOrEqual(10); // at or after `c`, in the header's own columns
  });

  it('kernel-doc survives: text between tokens no macro touched is kept', () => {
    const m = model('#define __user\n/**\n * struct d - a doc\n * @p: user pointer to the data\n */\nstruct d {\n  __u64 __user p;\n};\n');
    expect(m.records[0]!.doc?.summary).toBe('a doc');
    expect(m.records[0]!.fields[0]!.doc).toMatch(/user pointer/);
  });

  it('#define FOO FOO after enumerator FOO is the enumerator, not a second constant', () => {
    const m = model('enum e {\n  E_A = 1,\n#define E_A E_A\n  E_B = 2,\n};\n#define OTHER 3\n');
    expect(m.constants.map((c) => c.name)).toEqual(['OTHER']);
    expect(m.enums[0]!.values.map((v) => v.name)).toEqual(['E_A', 'E_B']);
  });

  it('GNU alternate keywords read as the standard ones', () => {
    const m = model('typedef __signed__ char sc;\nstruct k { sc a; __const__ __u32 b; };\n');
    expect(m.records[0]!.size).toBe(8);
  });
});

describe('#include', () => {
  it('inside a struct body is a located error', () => {
    write('struct inner { __u8 x; };\n', 'inner.h');
    expect(errorOf('struct s {\n#include "inner.h"\n};\n').slice(0, 2)).toEqual([3, 1]);
  });

  it('an included file\'s declarations come where its #include stands, its macros from there on', () => {
    write('#define WIDTH 4\nstruct first { __u8 x; };\n', 'first.h');
    const m = model('#include "first.h"\nstruct second { __u8 a[WIDTH]; };\n');
    expect(m.records.map((r) => [r.name, r.size])).toEqual([['second', 4]]);
  });
});

describe('the _IO family', () => {
  it('stays the model\'s ioctl intrinsic when a header defines it as asm-generic/ioctl.h does (-I a real tree)', () => {
    write(
      '#define _IOC(dir,type,nr,size) (((dir) << 30) | ((type) << 8) | (nr) | ((size) << 16))\n' +
        '#define _IOW(type,nr,size) _IOC(1U,(type),(nr),(sizeof(size)))\n',
      'realioctl.h',
    );
    const m = model('#include "realioctl.h"\nstruct a { __u32 x; };\n#define A_SET _IOW(0x61, 1, struct a)\n');
    expect(m.ioctls.map((i) => [i.name, i.request])).toEqual([['A_SET', 0x40046101n]]);
    expect(m.constants).toEqual([]);
  });

  // The numbers are what gcc prints for this text (and layout-gcc.test.ts checks such enumerators against gcc);
  // here, that each is one ioctl.
  it('an enumerator whose value is an ioctl number is an ioctl too, with the record its macro names, once', () => {
    const m = model(
      '#include <linux/ioctl.h>\nstruct e_arg { __u32 a; __u64 b; };\n#define E_WRAP(nr, t) _IOWR(0x65, nr, t)\n' +
        'enum e_ioctl {\n  E_RD = _IOWR(0x65, 1, struct e_arg),\n  E_SET = _IOW(0x65, 2, __u32),\n  E_GO = _IO(0x65, 3),\n' +
        '  E_NEXT,\n  E_WRAPPED = E_WRAP(7, struct e_arg),\n  E_SHADOWED = _IO(0x65, 8),\n};\n' +
        '#define E_RD _IOWR(0x65, 1, struct e_arg)\n#define E_SHADOWED _IO(0x65, 9)\n',
    );
    expect(m.ioctls.map((i) => [i.name, i.request, i.size, argumentRecord(i)?.name ?? null])).toEqual([
      ['E_RD', 0xc0106501n, 16, 'e_arg'],
      ['E_SET', 0x40046502n, 4, null],
      ['E_GO', 0x6503n, 0, null],
      ['E_WRAPPED', 0xc0106507n, 16, 'e_arg'],
      ['E_SHADOWED', 0x6509n, 0, null], // the #define's: after it, C reads the name as the macro
    ]);
    // the enum keeps every value (E_NEXT is no ioctl: a plain enumerator after one), the shadowed one unnamed
    expect(m.enums[0]!.values.map((v) => v.name)).toEqual(['E_RD', 'E_SET', 'E_GO', 'E_NEXT', 'E_WRAPPED']);
  });
});
