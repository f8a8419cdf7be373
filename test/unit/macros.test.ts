import { describe, expect, it } from 'vitest';
import { HeaderError, type Loc } from '../../generator/src/diagnostics.js';
import { parseExpr } from '../../generator/src/parse/expr.js';
import { MacroTable, parseMacroDefinition } from '../../generator/src/parse/macros.js';
import type { Token } from '../../generator/src/parse/syntax.js';
import { tokenize } from '../../generator/src/parse/tokens.js';

const FILE = 'm.h';
const at = (line: number, col: number): Loc => ({ file: FILE, line, col });

/** Location of offset `i` of `text`, which starts at line `line`, column 1. */
function locIn(text: string, i: number, line: number): Loc {
  const before = text.slice(0, i);
  const nl = before.lastIndexOf('\n');
  return at(line + before.split('\n').length - 1, i - nl);
}

/**
 * A tiny driver in the shape the parser uses: `#define`/`#undef` lines (with continuations) go to the table,
 * every other line is tokenized; the text is expanded as one stream, like cpp does.
 */
function preprocess(src: string, table = new MacroTable()): Token[] {
  const lines = src.split('\n');
  const text: Token[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let logical = lines[i]!;
    while (logical.endsWith('\\') && i + 1 < lines.length) logical += '\n' + lines[++i]!;
    const def = /^#\s*define\s+([A-Za-z_]\w*)(\([^)]*\))?/.exec(logical);
    const undef = /^#\s*undef\s+(\w+)/.exec(logical);
    if (def) {
      const name = def[1]!;
      const nameAt = def[0].length - (def[2]?.length ?? 0) - name.length;
      const bodyAt = def[0].length;
      table.define(
        parseMacroDefinition(name, def[2] ?? null, logical.slice(bodyAt), locIn(logical, bodyAt, first), locIn(logical, nameAt, first)),
      );
    } else if (undef) {
      table.undef(undef[1]!);
    } else {
      text.push(...tokenize(logical, at(first, 1)));
    }
  }
  return table.expand(text);
}

const spell = (tokens: readonly Token[]): string => tokens.map((t) => t.text).join(' ');
/** What `cpp -P` printed, as a token sequence (cpp's own spacing is not significant). */
const cpp = (out: string): string => spell(tokenize(out, at(1, 1)));

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HeaderError);
    return (e as HeaderError).message;
  }
  throw new Error('no error');
}

describe('expand: the C11 examples', () => {
  it.each([
    [
      '6.10.3.5 EXAMPLE 3 (rescanning)',
      `#define x 3
#define f(a) f(x * (a))
#undef x
#define x 2
#define g f
#define z z[0]
#define h g(~
#define m(a) a(w)
#define w 0,1
#define t(a) a
#define p() int
#define q(x) x
#define r(x,y) x ## y
#define str(x) # x
f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);
g(x+(3,4)-w) | h 5) & m
(f)^m(m);
p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };
char c[2][6] = { str(hello), str() };`,
      `f(2 * (y+1)) + f(2 * (f(2 * (z[0])))) % f(2 * (0)) + t(1);
f(2 * (2 +(3,4)-0,1)) | f(2 * (~ 5)) & f(2 * (0,1))^m(0,1);
int i[] = { 1, 23, 4, 5, };
char c[2][6] = { "hello", "" };`,
    ],
    [
      '6.10.3.5 EXAMPLE 4 (# and ##)',
      `#define str(s) # s
#define xstr(s) str(s)
#define debug(s, t) printf("x" # s "= %d, x" # t "= %s", \\
 x ## s, x ## t)
#define INCFILE(n) vers ## n
#define glue(a, b) a ## b
#define xglue(a, b) glue(a, b)
#define HIGHLOW "hello"
#define LOW LOW ", world"
debug(1, 2);
fputs(str(strncmp("abc\\0d", "abc", '\\4') // this goes away
 == 0), s);
xstr(INCFILE(2).h)
glue(HIGH, LOW);
xglue(HIGH, LOW)`,
      `printf("x" "1" "= %d, x" "2" "= %s", x1, x2);
fputs("strncmp(\\"abc\\\\0d\\", \\"abc\\", '\\\\4') == 0", s);
"vers2.h"
"hello";
"hello" ", world"`,
    ],
    [
      '6.10.3.5 EXAMPLE 5 (placemarkers)',
      `#define t(x,y,z) x ## y ## z
int j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,),
 t(10,,), t(,11,), t(,,12), t(,,) };`,
      'int j[] = { 123, 45, 67, 89, 10, 11, 12, };',
    ],
    [
      '6.10.3.5 EXAMPLE 7 (variadic)',
      `#define debug(...) fprintf(stderr, __VA_ARGS__)
#define showlist(...) puts(#__VA_ARGS__)
#define report(test, ...) ((test)?puts(#test):\\
 printf(__VA_ARGS__))
debug("Flag");
debug("X = %d\\n", x);
showlist(The first, second, and third items.);
report(x>y, "x is %d but y is %d", x, y);`,
      `fprintf(stderr, "Flag");
fprintf(stderr, "X = %d\\n", x);
puts("The first, second, and third items.");
((x>y)?puts("x>y"): printf("x is %d but y is %d", x, y));`,
    ],
    [
      '6.10.3.3 EXAMPLE (## producing ##)',
      `#define hash_hash # ## #
#define mkstr(a) # a
#define in_between(a) mkstr(a)
#define join(c, d) in_between(c hash_hash d)
char p[] = join(x, y);`,
      'char p[] = "x ## y";',
    ],
    ['6.10.3.4 EXAMPLE (f(2)(9), as GCC does it)', '#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)', '2*9*g'],
  ])('%s', (_name, src, expected) => {
    expect(spell(preprocess(src))).toBe(cpp(expected));
  });
});

// Each expected value is what `cpp -P` (GCC 12) prints for the same text.
describe('expand: rescanning and self-reference', () => {
  it.each([
    ['#define A A\nA', 'A'],
    ['#define A B\n#define B A\nA B', 'A B'],
    ['#define A A B C\n#define B A C\n#define C B A\nA', 'A A B A A C A'],
    ['#define C1 C2 + C1\n#define C2 C1 * 2\nC1 C2', 'C1 * 2 + C1 C2 + C1 * 2'],
    ['#define SELF f SELF\nSELF', 'f SELF'],
    ['#define foo foo + 1\nfoo', 'foo + 1'],
    ['#define f(x) f(x)\nf(f(1))', 'f(f(1))'],
    ['#define q(x) x\nq(q)(1) q(q(1)) q(q)', 'q(1) 1 q'],
    ['#define K(x) x K\nK(K(1))', '1 K K'],
    ['#define Z() z\nZ() Z( ) Z', 'z z Z'],
    ['#define ONE 1\n#define m2(x) x\nm2\n(ONE)', '1'],
    ['#define EMPTY\n#define f(x) <x>\nf EMPTY (1)', 'f (1)'],
    ['#define obj (\n#define fn(x) [x]\nfn obj 1)', 'fn ( 1)'],
    ['#define fn(x) [x]\n#define id(x) x\nid(fn)(3) id(fn (4))', '[3] [4]'],
    ['#define fn(x) [x]\n#define call(m, a) m(a)\ncall(fn, 5) call(call, fn)', '[5] call(fn)'],
    ['#define fn(x) [x]\n#define AP fn(\nAP 6)', '[6]'],
    ['#define ONE 1\n#define f(x) <x>\nf(ONE) f((ONE)) f(f(ONE))', '<1> <(1)> < <1> >'],
    ['#define g2(x, y) x y\ng2((1,2), [3]) g2(( , ), ) g2(,)', '(1,2) [3] ( , )'],
    ['#define N 1\n#undef N\nN', 'N'],
    ['#define N 1\nnothing to expand', 'nothing to expand'],
  ])('%j', (src, expected) => {
    expect(spell(preprocess(src))).toBe(cpp(expected));
  });
});

describe('expand: # and ##', () => {
  it.each([
    ['#define S(x) #x\n#define XS(x) S(x)\nS( a  +  b ) S(a+b) XS(a+b) XS( a + b )', '"a + b" "a+b" "a+b" "a + b"'],
    ['#define S(x) #x\nS("a\\n" \'b\' \'\\\'\') S() S( a /* c */ b)', `"\\"a\\\\n\\" 'b' '\\\\''" "" "a b"`],
    ['#define S(x) #x\nS(L"x" \'"\' "\\\\")', `"L\\"x\\" '\\"' \\"\\\\\\\\\\""`],
    ['#define S(x) #x\n#define XS(x) S(x)\n#define E\nXS(E a E b E) XS(-E-) S(E) S(  leading and trailing  )', '"a b" "--" "E" "leading and trailing"'],
    ['#define S(x) #x\n#define XS(x) S(x)\n#define N(x) x\nXS(N(a)N(b)) XS(N( a )N( b )) XS([N(a)]) XS(a N(b))', '"ab" "ab" "[a]" "a b"'],
    [
      "#define P(a,b) a##b\nP(x, y) P(1, 2) P(<, <) P(<<, =) P(L, 'a') P(0x, 1p) P(-, >) P(#, #) P(_, 1) P(1, e) P(1e, -)",
      "xy 12 << <<= L'a' 0x1p -> ## _1 1e 1e-",
    ],
    ['#define P3(a,b,c) a ## b ## c\nP3(1,,2) P3(,,) P3(a, b c, d) P3(x y, , z)', '12 ab cd x yz'],
    ['#define CAT(a, b) a ## b\n#define XCAT(a, b) CAT(a, b)\n#define ONE 1\nCAT(ONE, 2) XCAT(ONE, 2) CAT(O, NE) CAT(X, ONE)', 'ONE2 12 1 XONE'],
    ['#define LEFT(x) x ## _suffix\n#define RIGHT(x) prefix_ ## x\nLEFT(a) RIGHT(b) LEFT() RIGHT()', 'a_suffix prefix_b _suffix prefix_'],
    ['#define OBJ a ## b\n#define ab AB\nOBJ', 'AB'],
    ['#define HASH # x\nHASH', '# x'],
  ])('%j', (src, expected) => {
    expect(spell(preprocess(src))).toBe(cpp(expected));
  });

  it('rejects a paste that does not make one token', () => {
    expect(errorOf(() => preprocess('#define P(a,b) a##b\nx P(., ..)'))).toBe(
      "m.h:2:5: pasting '.' and '.' does not give a valid preprocessing token",
    );
    expect(errorOf(() => preprocess('#define P(a,b) a##b\nP(+, -)'))).toBe(
      "m.h:2:3: pasting '+' and '-' does not give a valid preprocessing token",
    );
    expect(errorOf(() => preprocess('#define P(a,b) a##b\nP(/, /)'))).toBe(
      "m.h:2:3: pasting '/' and '/' does not give a valid preprocessing token",
    );
  });
});

describe('expand: variadic macros', () => {
  it.each([
    ['#define ONE 1\n#define V(...) vv(__VA_ARGS__)\nV() V(1) V(1,2 , 3) V((a,b),c) V(ONE, ONE)', 'vv() vv(1) vv(1,2 , 3) vv((a,b),c) vv(1, 1)'],
    ['#define V2(x, ...) [x|__VA_ARGS__]\nV2(1) V2(1,) V2(1,2,3)', '[1|] [1|] [1|2,3]'],
    ['#define ONE 1\n#define F(fmt, ...) ff(fmt, ## __VA_ARGS__)\nF(a) F(a,) F(a, b, c) F(a,ONE)', 'ff(a) ff(a,) ff(a, b, c) ff(a,1)'],
    ['#define G(fmt, args...) gg(fmt, ## args)\nG(a) G(a,) G(a, b)', 'gg(a) gg(a,) gg(a, b)'],
    ['#define H(...) hh(x, ## __VA_ARGS__)\nH() H(1)', 'hh(x) hh(x,1)'],
    ['#define S(...) #__VA_ARGS__\nS(a,b ,  c)', '"a,b , c"'],
  ])('%j', (src, expected) => {
    expect(spell(preprocess(src))).toBe(cpp(expected));
  });
});

describe('expand: locations', () => {
  it('gives body tokens the invocation site and lets arguments keep theirs', () => {
    const out = preprocess('#define TWICE(x) (x + x)\n\n  TWICE( y )');
    expect(out.map((t) => [t.text, t.loc.line, t.loc.col])).toEqual([
      ['(', 3, 3],
      ['y', 3, 10],
      ['+', 3, 3],
      ['y', 3, 10],
      [')', 3, 3],
    ]);
  });

  it('locates nested expansions at the outermost use', () => {
    const out = preprocess('#define A B + 1\n#define B (C)\n#define C 7\nint x = A;');
    expect(spell(out)).toBe('int x = ( 7 ) + 1 ;');
    expect(out.slice(3, 8).every((t) => t.loc.line === 4 && t.loc.col === 9)).toBe(true);
    expect(out[8]!.loc).toEqual(at(4, 10));
  });

  it('expands the iommufd ioctl numbers', () => {
    // From iommufd.h (v7.3): the type is a parenthesized char literal, one #define spans two lines.
    const table = new MacroTable();
    table.define(parseMacroDefinition('IOMMUFD_TYPE', null, "(';')", at(10, 22), at(10, 9)));
    const body = ' \\\n\t_IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_CHANGE_PROCESS)';
    const def = parseMacroDefinition('IOMMU_IOAS_CHANGE_PROCESS', null, body, at(1209, 34), at(1209, 9));
    expect(def).toMatchObject({ name: 'IOMMU_IOAS_CHANGE_PROCESS', params: null, variadic: false, loc: at(1209, 9) });
    expect(spell(def.body)).toBe('_IO ( IOMMUFD_TYPE , IOMMUFD_CMD_IOAS_CHANGE_PROCESS )');
    table.define(def);

    // _IO itself undefined: the generator interprets the call; the type expands at the argument's place.
    const out = table.expand(def.body);
    expect(out.map((t) => [t.text, t.loc.line, t.loc.col])).toEqual([
      ['_IO', 1210, 2],
      ['(', 1210, 5],
      ['(', 1210, 6],
      ["';'", 1210, 6],
      [')', 1210, 6],
      [',', 1210, 18],
      ['IOMMUFD_CMD_IOAS_CHANGE_PROCESS', 1210, 20],
      [')', 1210, 51],
    ]);
    expect(out[3]!.kind).toBe('char');
    const expr = parseExpr(out, () => false, at(1210, 52));
    expect(expr).toMatchObject({ kind: 'call', callee: '_IO', args: [{ kind: 'char', text: "';'" }, { kind: 'ident' }] });

    // Using the macro itself: everything is located at the use.
    const use = table.expand(tokenize('x = IOMMU_IOAS_CHANGE_PROCESS;', at(50, 1)));
    expect(spell(use)).toBe("x = _IO ( ( ';' ) , IOMMUFD_CMD_IOAS_CHANGE_PROCESS ) ;");
    expect(use.slice(2, -1).every((t) => t.loc.line === 50 && t.loc.col === 5)).toBe(true);
  });

  it('expands _IO through _IOC, as in iommufd_test.h', () => {
    const src = `#define IOMMUFD_TYPE (';')
#define _IOC(dir,type,nr,size) (((dir) << 30) | ((type) << 8) | (nr) | ((size) << 16))
#define _IO(type,nr) _IOC(0U,(type),(nr),0)
#define IOMMUFD_CMD_BASE 0x80
#define IOMMU_TEST_CMD _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32)
IOMMU_TEST_CMD`;
    expect(spell(preprocess(src))).toBe(cpp("(((0U) << 30) | ((((';'))) << 8) | ((0x80 + 32)) | ((0) << 16))"));
  });
});

describe('expand: defined', () => {
  it.each([
    ['#define X 1\ndefined X && X', 'defined X && 1'],
    ['#define X 1\ndefined ( X ) || X', 'defined ( X ) || 1'],
    ['#define D defined(X)\n#define X 1\nD X', 'defined ( X ) 1'],
  ])('%j', (src, expected) => {
    expect(spell(preprocess(src))).toBe(expected);
  });
});

describe('expand: invocation errors', () => {
  it.each([
    ['#define f(a, b) a b\n\n  f(1)', "m.h:3:3: macro 'f' takes 2 arguments but 1 given (defined at m.h:1:9)"],
    ['#define f(a) a\nf(1, 2)', "m.h:2:1: macro 'f' takes 1 argument but 2 given (defined at m.h:1:9)"],
    ['#define f() x\nf(1)', "m.h:2:1: macro 'f' takes 0 arguments but 1 given (defined at m.h:1:9)"],
    ['#define g2(x, y) x y\ng2((1,2), [3,4])', "m.h:2:1: macro 'g2' takes 2 arguments but 3 given (defined at m.h:1:9)"],
    ['#define v(a, b, ...) a\nv(1)', "m.h:2:1: macro 'v' takes at least 2 arguments but 1 given (defined at m.h:1:9)"],
    ['#define f(a) a\nx f(1, (2)', "m.h:2:3: unterminated argument list invoking macro 'f'"],
    ['#define f(a) a\n#define g f(\ng 1', "m.h:3:1: unterminated argument list invoking macro 'f'"],
  ])('%j', (src, message) => {
    expect(errorOf(() => preprocess(src))).toBe(message);
  });

  it('stops exponential growth', () => {
    const defs = ['#define a0 x'];
    for (let i = 1; i <= 20; i++) defs.push(`#define a${i} a${i - 1} a${i - 1}`);
    expect(errorOf(() => preprocess([...defs, 'y a20'].join('\n')))).toMatch(/^m\.h:22:3: macro expansion too large/);
  });

  it('stops deep nesting', () => {
    const defs = ['#define m0 x'];
    for (let i = 1; i <= 250; i++) defs.push(`#define m${i} m${i - 1}`);
    expect(spell(preprocess([...defs, 'm150'].join('\n')))).toBe('x');
    expect(errorOf(() => preprocess([...defs, 'm250'].join('\n')))).toMatch(/^m\.h:252:1: macro expansion too large/);
    const nested = `${'f('.repeat(250)}1${')'.repeat(250)}`;
    expect(errorOf(() => preprocess(`#define f(x) x\n${nested}`))).toMatch(/^m\.h:2:\d+: macro expansion too large/);
    expect(spell(preprocess(`#define f(x) x\n${'f('.repeat(100)}1${')'.repeat(100)}`))).toBe('1');
  });
});

describe('MacroTable', () => {
  const def = (src: string, line = 1): ReturnType<typeof parseMacroDefinition> => {
    const m = /^([A-Za-z_]\w*)(\([^)]*\))?(.*)$/s.exec(src)!;
    const bodyAt = m[1]!.length + (m[2]?.length ?? 0);
    return parseMacroDefinition(m[1]!, m[2] ?? null, m[3]!, locIn(src, bodyAt, line), at(line, 1));
  };

  it('keeps definitions in definition order', () => {
    const t = new MacroTable();
    t.define(def('A 1'));
    t.define(def('B(x) x'));
    t.define(def('C 3'));
    t.undef('A');
    t.undef('NEVER_DEFINED');
    t.define(def('A 4'));
    t.define(def('C 3'));
    expect(t.all().map((d) => d.name)).toEqual(['B', 'C', 'A']);
    expect(t.has('B') && !t.has('D')).toBe(true);
    expect(t.get('B')).toMatchObject({ params: ['x'], variadic: false });
    expect(t.get('D')).toBeUndefined();
  });

  it.each([
    ['same tokens', 'OBJ_LIKE (1-1)', 'OBJ_LIKE /* white space */ (1-1) /* other */'],
    ['same tokens, whitespace is irrelevant', 'OBJ_LIKE (1-1)', 'OBJ_LIKE (1 - 1)'],
    ['same parameters and body', 'FTN_LIKE(a) ( a )', 'FTN_LIKE( a )( /* note the white space */ \\\n a /* other stuff on this line\n */ )'],
    ['iommufd_test.h lines 241 and 278', 'IOMMU_TEST_INVALIDATE_FLAG_ALL\t(1 << 0)', 'IOMMU_TEST_INVALIDATE_FLAG_ALL (1 << 0)'],
    ['empty bodies', 'GUARD', 'GUARD  '],
  ])('allows an identical redefinition: %s', (_name, first, second) => {
    const t = new MacroTable();
    t.define(def(first, 1));
    t.define(def(second, 5));
    expect(t.get(t.all()[0]!.name)!.loc).toEqual(at(1, 1)); // the first one stays
  });

  it.each([
    ['different tokens', 'OBJ_LIKE (1-1)', 'OBJ_LIKE (0)'],
    ['different parameter use', 'FTN_LIKE(a) ( a )', 'FTN_LIKE(b) ( a )'],
    ['different parameter spelling', 'FTN_LIKE(a) ( a )', 'FTN_LIKE(b) ( b )'],
    ['object-like vs function-like', 'M x', 'M() x'],
    ['variadic vs not', 'M(a) a', 'M(a...) a'],
    ['empty vs not', 'M', 'M 1'],
  ])('rejects a different redefinition: %s', (_name, first, second) => {
    const t = new MacroTable();
    t.define(def(first, 1));
    const name = t.all()[0]!.name;
    expect(errorOf(() => t.define(def(second, 7)))).toBe(
      `m.h:7:1: macro '${name}' redefined differently; the previous definition is at m.h:1:1`,
    );
  });
});

describe('parseMacroDefinition', () => {
  it.each([
    ['object-like', null, null, false],
    ['no parameters', '()', [], false],
    ['two parameters', '(x, y)', ['x', 'y'], false],
    ['spaces and continuation', '( a ,\\\n b )', ['a', 'b'], false],
    ['variadic', '(fmt, ...)', ['fmt', '__VA_ARGS__'], true],
    ['only variadic', '(...)', ['__VA_ARGS__'], true],
    ['GNU named variadic', '(fmt, args...)', ['fmt', 'args'], true],
  ])('%s', (_name, paramsText, params, variadic) => {
    const d = parseMacroDefinition('M', paramsText, ' a', at(3, 12), at(3, 9));
    expect(d).toEqual({ name: 'M', params, variadic, body: [{ kind: 'ident', text: 'a', loc: at(3, 13) }], loc: at(3, 9) });
  });

  it('tokenizes a multi-line body from its location', () => {
    const d = parseMacroDefinition('IOMMU_HWPT_GET_DIRTY_BITMAP', null, '_IO(IOMMUFD_TYPE, \\\n\t\t\t\t\tIOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP)', at(885, 37), at(885, 9));
    expect(d.body.map((t) => [t.text, t.loc.line, t.loc.col])).toEqual([
      ['_IO', 885, 37],
      ['(', 885, 40],
      ['IOMMUFD_TYPE', 885, 41],
      [',', 885, 53],
      ['IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP', 886, 6],
      [')', 886, 39],
    ]);
  });

  it.each([
    ['## at the start', 'M', null, '## x', "m.h:1:12: '##' cannot appear at either end of a macro expansion"],
    ['## at the end', 'M', '(a)', 'a ##', "m.h:1:14: '##' cannot appear at either end of a macro expansion"],
    ['# without a parameter', 'M', '(a)', '# b', "m.h:1:12: '#' is not followed by a macro parameter"],
    ['# at the end', 'M', '(a)', 'a #', "m.h:1:14: '#' is not followed by a macro parameter"],
    ['__VA_ARGS__ outside a variadic macro', 'M', '(a)', 'a __VA_ARGS__', 'm.h:1:14: __VA_ARGS__ can only appear in the expansion of a variadic macro'],
    ['__VA_ARGS__ in an object-like macro', 'M', null, '__VA_ARGS__', 'm.h:1:12: __VA_ARGS__ can only appear in the expansion of a variadic macro'],
    ['duplicate parameter', 'M', '(a, a)', 'a', "m.h:1:14: duplicate macro parameter 'a'"],
    ['number as parameter', 'M', '(a, 1)', 'a', "m.h:1:14: expected a parameter name in macro parameter list but found '1'"],
    ['missing comma', 'M', '(a b)', 'a', "m.h:1:13: expected ',' or ')' in macro parameter list but found 'b'"],
    ['... not last', 'M', '(..., a)', 'a', "m.h:1:14: expected ')' in macro parameter list but found ','"],
    ['unclosed parameters', 'M', '(a,', 'a', 'm.h:1:9: expected a parameter name in macro parameter list but found end of input'],
    ['defined as a name', 'defined', null, '1', "m.h:1:9: 'defined' cannot be used as a macro name"],
  ])('rejects %s', (_name, name, params, body, message) => {
    expect(errorOf(() => parseMacroDefinition(name, params, body, at(1, 12), at(1, 9)))).toBe(message);
  });

  it('keeps # as an ordinary token in object-like macros', () => {
    expect(spell(parseMacroDefinition('M', null, '# x', at(1, 11), at(1, 9)).body)).toBe('# x');
  });
});
