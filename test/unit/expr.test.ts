import { describe, expect, it } from 'vitest';
import { HeaderError, type Loc } from '../../generator/src/diagnostics.js';
import { parseExpr } from '../../generator/src/parse/expr.js';
import type { Expr, TypeName } from '../../generator/src/parse/syntax.js';
import { tokenize } from '../../generator/src/parse/tokens.js';

const at = (line: number, col: number): Loc => ({ file: 'x.h', line, col });
const TYPEDEFS = new Set(['__u32', '__u64', 'size_t']);
const isTypeName = (name: string): boolean => TYPEDEFS.has(name);

function parse(text: string): Expr {
  return parseExpr(tokenize(text, at(1, 1)), isTypeName, at(1, text.length + 1));
}

// A compact prefix rendering, so that tables show the tree shape at a glance.
function show(e: Expr | TypeName): string {
  switch (e.kind) {
    case 'number':
    case 'char':
    case 'string':
      return e.text;
    case 'ident':
      return e.name;
    case 'unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'binary':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'ternary':
      return `(? ${show(e.cond)} ${show(e.then)} ${show(e.else)})`;
    case 'cast':
      return `(cast ${show(e.type)} ${show(e.operand)})`;
    case 'sizeof':
      return `(sizeof ${show(e.of)})`;
    case 'alignof':
      return `(alignof ${show(e.of)})`;
    case 'call':
      return `(call ${[e.callee, ...e.args.map(show)].join(' ')})`;
    case 'defined':
      return `(defined ${e.name})`;
    case 'type-name': {
      const s = e.spec;
      const spec =
        s.kind === 'primitive' ? s.words.join(' ')
        : s.kind === 'typedef-name' ? `typedef ${s.name}`
        : s.kind === 'record-ref' ? `${s.tag} ${s.name}`
        : s.kind === 'enum-ref' ? `enum ${s.name}`
        : s.kind;
      return `[${spec}${' *'.repeat(e.pointer)}]`;
    }
  }
}

function errorOf(text: string): string {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(HeaderError);
    return (e as HeaderError).message;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('parseExpr: primary expressions', () => {
  it.each([
    ['0x80', '0x80'],
    ['1ULL', '1ULL'],
    ["';'", "';'"],
    [String.raw`'\n'`, String.raw`'\n'`],
    ['"str"', '"str"'],
    ['IOMMUFD_CMD_BASE', 'IOMMUFD_CMD_BASE'],
    ['(1)', '1'],
    ["(';')", "';'"],
    ['((((x))))', 'x'],
  ])('%s', (text, expected) => {
    expect(show(parse(text))).toBe(expected);
  });
});

describe('parseExpr: operators', () => {
  it.each([
    ['-1', '(- 1)'],
    ['+x', '(+ x)'],
    ['~0U', '(~ 0U)'],
    ['!x', '(! x)'],
    ['- - ~!x', '(- (- (~ (! x))))'],
    ['-1 + 2', '(+ (- 1) 2)'],
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['1 * 2 + 3', '(+ (* 1 2) 3)'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['8 / 4 / 2', '(/ (/ 8 4) 2)'],
    ['7 % 3 * 2', '(* (% 7 3) 2)'],
    ['1 << 2 + 3', '(<< 1 (+ 2 3))'],
    ['1 << 2 >> 3', '(>> (<< 1 2) 3)'],
    ['a < b << c', '(< a (<< b c))'],
    ['a < b == c > d', '(== (< a b) (> c d))'],
    ['a <= b != c >= d', '(!= (<= a b) (>= c d))'],
    ['a == b & c', '(& (== a b) c)'],
    ['a & b ^ c & d', '(^ (& a b) (& c d))'],
    ['a ^ b | c ^ d', '(| (^ a b) (^ c d))'],
    ['a | b && c | d', '(&& (| a b) (| c d))'],
    ['a && b || c && d', '(|| (&& a b) (&& c d))'],
    ['a || b || c', '(|| (|| a b) c)'],
    ['a, b, c', '(, (, a b) c)'],
    ['(1 << 0)', '(<< 1 0)'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['-(1 + 2)', '(- (+ 1 2))'],
  ])('%s', (text, expected) => {
    expect(show(parse(text))).toBe(expected);
  });
});

describe('parseExpr: conditional', () => {
  it.each([
    ['a ? b : c', '(? a b c)'],
    ['a ? b : c ? d : e', '(? a b (? c d e))'],
    ['a ? b ? c : d : e', '(? a (? b c d) e)'],
    ['a || b ? c : d', '(? (|| a b) c d)'],
    ['a ? b, c : d', '(? a (, b c) d)'],
    ['a ? b : c, d', '(, (? a b c) d)'],
    ['a ? b : c + d', '(? a b (+ c d))'],
    ['(a ? b : c) + d', '(+ (? a b c) d)'],
  ])('%s', (text, expected) => {
    expect(show(parse(text))).toBe(expected);
  });
});

describe('parseExpr: casts, sizeof, alignof', () => {
  it.each([
    ['(int)x', '(cast [int] x)'],
    ['(unsigned long)-1', '(cast [unsigned long] (- 1))'],
    ['(__u32)~0', '(cast [typedef __u32] (~ 0))'],
    ['(const char *)0', '(cast [char *] 0)'],
    ['(struct foo **)0', '(cast [struct foo * *] 0)'],
    ['(void * const *)0', '(cast [void * *] 0)'],
    ['(long long unsigned int)x', '(cast [long long unsigned int] x)'],
    ['(__signed__ char)1', '(cast [signed char] 1)'],
    ['(enum e)0', '(cast [enum e] 0)'],
    ['(int)(__u64)x + 1', '(+ (cast [int] (cast [typedef __u64] x)) 1)'],
    ['(x)-1', '(- x 1)'],
    ['sizeof(int)', '(sizeof [int])'],
    ['sizeof(struct iommu_ioas_map)', '(sizeof [struct iommu_ioas_map])'],
    ['sizeof(union u *)', '(sizeof [union u *])'],
    ['sizeof(__u32)', '(sizeof [typedef __u32])'],
    ['sizeof x', '(sizeof x)'],
    ['sizeof(x)', '(sizeof x)'],
    ['sizeof(x) * 2', '(* (sizeof x) 2)'],
    ['sizeof(int) * 2', '(* (sizeof [int]) 2)'],
    ['sizeof -x', '(sizeof (- x))'],
    ['_Alignof(__u64)', '(alignof [typedef __u64])'],
    ['__alignof__(struct s)', '(alignof [struct s])'],
    ['alignof(long)', '(alignof [long])'],
  ])('%s', (text, expected) => {
    expect(show(parse(text))).toBe(expected);
  });

  it('builds a typedef-name type with its location', () => {
    expect(parse('sizeof( __u32)')).toEqual({
      kind: 'sizeof',
      of: { kind: 'type-name', spec: { kind: 'typedef-name', name: '__u32', loc: at(1, 9) }, pointer: 0, arrays: [], loc: at(1, 9) },
      loc: at(1, 1),
    });
  });

  it('reads the array dimensions of a type name, outermost first (random.h: _IOR(.., int [2]))', () => {
    const e = parse('sizeof(__u32 *[N - 1][2])');
    expect(e.kind === 'sizeof' && e.of.kind === 'type-name' && e.of.pointer).toBe(1);
    expect(e.kind === 'sizeof' && e.of.kind === 'type-name' && e.of.arrays.map(show)).toEqual(['(- N 1)', '2']);
  });

  it('keeps primitive words in source order', () => {
    const e = parse('(int unsigned long)0');
    expect(e.kind === 'cast' && e.type.spec).toEqual({ kind: 'primitive', words: ['int', 'unsigned', 'long'], loc: at(1, 2) });
  });
});

describe('parseExpr: defined and calls', () => {
  it.each([
    ['defined X', '(defined X)'],
    ['defined(X)', '(defined X)'],
    ['defined ( X ) && !defined Y', '(&& (defined X) (! (defined Y)))'],
    ['f()', '(call f)'],
    ['f(1)', '(call f 1)'],
    ['f(a, b + 1, (c, d))', '(call f a (+ b 1) (, c d))'],
    ['f(a ? b : c, d)', '(call f (? a b c) d)'],
    ["_IOR('x', 1, struct foo)", "(call _IOR 'x' 1 [struct foo])"],
    ["_IOW(';', 0x80, __u32)", "(call _IOW ';' 0x80 [typedef __u32])"],
    ['_IOWR(T, 3, unsigned long *)', '(call _IOWR T 3 [unsigned long *])'],
    ['_IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32)', '(call _IO IOMMUFD_TYPE (+ IOMMUFD_CMD_BASE 32))'],
    ['f(g(1), sizeof(int))', '(call f (call g 1) (sizeof [int]))'],
    ['f(1) + 1', '(+ (call f 1) 1)'],
    ['-f(1)', '(- (call f 1))'],
  ])('%s', (text, expected) => {
    expect(show(parse(text))).toBe(expected);
  });
});

describe('parseExpr: locations', () => {
  it('gives nodes their first token, binary and ternary nodes their operator', () => {
    const e = parse('(a + -b) ? (int)c : f(1)');
    expect(e).toMatchObject({
      kind: 'ternary',
      loc: at(1, 10),
      cond: { kind: 'binary', loc: at(1, 4), left: { loc: at(1, 2) }, right: { kind: 'unary', loc: at(1, 6) } },
      then: { kind: 'cast', loc: at(1, 12), type: { loc: at(1, 13) }, operand: { loc: at(1, 17) } },
      else: { kind: 'call', loc: at(1, 21), args: [{ loc: at(1, 23) }] },
    });
  });
});

describe('parseExpr: errors', () => {
  it.each([
    ['', "x.h:1:1: expected an expression but found end of input"],
    ['(1;', "x.h:1:3: expected ')' but found ';'"],
    ['(1', "x.h:1:3: expected ')' but found end of input"],
    ['1 2', "x.h:1:3: expected end of expression but found '2'"],
    ['1 +', 'x.h:1:4: expected an expression but found end of input'],
    ['1 + * 2', "x.h:1:5: expected an expression but found '*'"],
    ['a ? b', "x.h:1:6: expected ':' but found end of input"],
    ['a ? b ; c', "x.h:1:7: expected ':' but found ';'"],
    ['x = 1', "x.h:1:3: expected end of expression but found '='"],
    ['x[1]', "x.h:1:2: expected end of expression but found '['"],
    ['&x', "x.h:1:1: expected an expression but found '&'"],
    ['int', "x.h:1:1: expected an expression but found 'int'"],
    ['(int)', 'x.h:1:6: expected an expression but found end of input'],
    ['(unsigned __u32)x', "x.h:1:11: expected ')' but found '__u32'"],
    ['(const)x', "x.h:1:7: expected a type name but found ')'"],
    ['sizeof(struct)', "x.h:1:14: expected a struct tag but found ')'"],
    ['_Alignof(x)', "x.h:1:10: expected a type name but found 'x'"],
    ['_Alignof int', "x.h:1:10: expected '(' but found 'int'"],
    ['defined', 'x.h:1:8: expected a macro name but found end of input'],
    ['defined(1)', "x.h:1:9: expected a macro name but found '1'"],
    ['defined(X', "x.h:1:10: expected ')' but found end of input"],
    ['f(1', "x.h:1:4: expected ',' or ')' but found end of input"],
    ['f(1;', "x.h:1:4: expected ',' or ')' but found ';'"],
    ['f(struct s x)', "x.h:1:12: expected ',' or ')' but found 'x'"],
    ["f(1 'c')", "x.h:1:5: expected ',' or ')' but found 'c'"],
    ['f(,)', "x.h:1:3: expected an expression but found ','"],
  ])('%j', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('reports running out of input at the given end location', () => {
    const tokens = tokenize('(1 +', at(12, 30));
    expect(() => parseExpr(tokens, isTypeName, at(12, 34))).toThrow(
      'x.h:12:34: expected an expression but found end of input',
    );
    expect(() => parseExpr([], isTypeName, at(7, 20))).toThrow('x.h:7:20: expected an expression but found end of input');
  });
});
