import { describe, expect, it } from 'vitest';
import { HeaderError, type Loc } from '../../generator/src/diagnostics.js';
import { tokenize } from '../../generator/src/parse/tokens.js';

const at = (line: number, col: number): Loc => ({ file: 'a.h', line, col });
const texts = (text: string): string[] => tokenize(text, at(1, 1)).map((t) => t.text);
const kinds = (text: string): string[] => tokenize(text, at(1, 1)).map((t) => `${t.kind}:${t.text}`);

function errorOf(text: string, start = at(1, 1)): string {
  try {
    tokenize(text, start);
  } catch (e) {
    expect(e).toBeInstanceOf(HeaderError);
    return (e as HeaderError).message;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('tokenize: token kinds', () => {
  it.each([
    ['identifiers', 'foo _bar __u32 x1', ['ident:foo', 'ident:_bar', 'ident:__u32', 'ident:x1']],
    ['hex with suffix', '0x80 0xFFUL', ['number:0x80', 'number:0xFFUL']],
    ['integer suffixes', '1U 1ULL 1ul 2LL', ['number:1U', 'number:1ULL', 'number:1ul', 'number:2LL']],
    ['octal', '077 0', ['number:077', 'number:0']],
    ['exponents are one pp-number', '1e3 1e+3 1.5E-2 0x1p-3', ['number:1e3', 'number:1e+3', 'number:1.5E-2', 'number:0x1p-3']],
    ['leading dot number', '.5f', ['number:.5f']],
    ['a sign after a non-exponent letter is not part of the number', '0x1f+1', ['number:0x1f', 'punct:+', 'number:1']],
    ['char literal', "';'", ["char:';'"]],
    ['char escapes', String.raw`'\n' '\x41' '\'' '\\' '\0'`, ['char:' + String.raw`'\n'`, 'char:' + String.raw`'\x41'`, 'char:' + String.raw`'\''`, 'char:' + String.raw`'\\'`, 'char:' + String.raw`'\0'`]],
    ['string literal with escapes', String.raw`"a\"b\\" ""`, ['string:' + String.raw`"a\"b\\"`, 'string:""']],
    ['prefixed literals', `L'a' u8"s" U"t" u'c'`, ["char:L'a'", 'string:u8"s"', 'string:U"t"', "char:u'c'"]],
    ['a prefix word alone is an identifier', 'L u8 U', ['ident:L', 'ident:u8', 'ident:U']],
  ])('%s', (_name, text, expected) => {
    expect(kinds(text)).toEqual(expected);
  });
});

describe('tokenize: punctuators (longest match)', () => {
  it.each([
    ['<<= >>= ...', ['<<=', '>>=', '...']],
    ['<<=<<<', ['<<=', '<<', '<']],
    ['a<<b>>c', ['a', '<<', 'b', '>>', 'c']],
    ['<= >= == != && || ++ -- -> ## #', ['<=', '>=', '==', '!=', '&&', '||', '++', '--', '->', '##', '#']],
    ['a&&&b', ['a', '&&', '&', 'b']],
    ['x##y#z', ['x', '##', 'y', '#', 'z']],
    ['(a)[b]{c};,?:~!%^|*/+ - = < > .', ['(', 'a', ')', '[', 'b', ']', '{', 'c', '}', ';', ',', '?', ':', '~', '!', '%', '^', '|', '*', '/', '+', '-', '=', '<', '>', '.']],
    ['a-=b->c', ['a', '-=', 'b', '->', 'c']],
    ['a+=b', ['a', '+=', 'b']],
    ['..', ['.', '.']],
  ])('%s', (text, expected) => {
    expect(texts(text)).toEqual(expected);
  });
});

describe('tokenize: skipped text', () => {
  it.each([
    ['whitespace', ' \t a \f\v\r\n b ', ['a', 'b']],
    ['block comments', 'a /* x * / y */ b/**/c', ['a', 'b', 'c']],
    ['multi-line block comment', 'a /* one\n two */ b', ['a', 'b']],
    ['line comment', 'a // rest ( of line\nb', ['a', 'b']],
    ['line comment at end', 'a // rest', ['a']],
    ['line continuation', '_IO(A, \\\n\t  B)', ['_IO', '(', 'A', ',', 'B', ')']],
    ['continuation with trailing spaces and CRLF', 'a \\  \r\n b', ['a', 'b']],
    ['continuation inside a token', 'ABC\\\nDEF 0x\\\n80', ['ABCDEF', '0x80']],
    ['empty text', '', []],
    ['only a comment', '/* nothing */', []],
  ])('%s', (_name, text, expected) => {
    expect(texts(text)).toEqual(expected);
  });
});

describe('tokenize: locations', () => {
  it('counts columns from the start location', () => {
    const toks = tokenize('(1 << 0)', at(241, 39));
    expect(toks.map((t) => [t.text, t.loc.line, t.loc.col])).toEqual([
      ['(', 241, 39],
      ['1', 241, 40],
      ['<<', 241, 42],
      ['0', 241, 45],
      [')', 241, 46],
    ]);
    expect(toks[0]!.loc.file).toBe('a.h');
  });

  it('advances lines at newlines and continuations, resetting the column to 1', () => {
    // The body of iommufd's IOMMU_IOAS_CHANGE_PROCESS, from right after the macro name.
    const toks = tokenize(' \\\n\t_IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_CHANGE_PROCESS)', at(1209, 34));
    expect(toks.map((t) => [t.text, t.loc.line, t.loc.col])).toEqual([
      ['_IO', 1210, 2],
      ['(', 1210, 5],
      ['IOMMUFD_TYPE', 1210, 6],
      [',', 1210, 18],
      ['IOMMUFD_CMD_IOAS_CHANGE_PROCESS', 1210, 20],
      [')', 1210, 51],
    ]);
  });

  it('locates tokens after a multi-line comment', () => {
    const toks = tokenize('a /* x\n y */ b\n  c', at(1, 1));
    expect(toks.map((t) => [t.text, t.loc.line, t.loc.col])).toEqual([
      ['a', 1, 1],
      ['b', 2, 7],
      ['c', 3, 3],
    ]);
  });

  it('gives a token split by a continuation the location of its first character', () => {
    const toks = tokenize('  AB\\\nC', at(5, 10));
    expect(toks).toEqual([{ kind: 'ident', text: 'ABC', loc: at(5, 12) }]);
  });
});

describe('tokenize: errors', () => {
  it.each([
    ['stray @', 'a @ b', at(1, 1), "a.h:1:3: unexpected character '@'"],
    ['stray $', 'x$', at(1, 1), "a.h:1:2: unexpected character '$'"],
    ['backtick', 'a\n  `', at(1, 1), "a.h:2:3: unexpected character '`'"],
    ['control character', 'a \u0001', at(1, 1), 'a.h:1:3: unexpected character U+0001'],
    ['stray backslash', 'a \\ b', at(1, 1), "a.h:1:3: unexpected character '\\'"],
    ['unterminated char', "x = 'a", at(3, 5), 'a.h:3:9: unterminated character literal'],
    ['char broken by newline', "'a\n'", at(1, 1), 'a.h:1:1: unterminated character literal'],
    ['char ending in a backslash', "'\\", at(1, 1), 'a.h:1:1: unterminated character literal'],
    ['empty char', "''", at(1, 1), 'a.h:1:1: empty character literal'],
    ['unterminated string', 'f("abc)', at(2, 1), 'a.h:2:3: unterminated string literal'],
    ['unterminated comment', 'a /* b\n c', at(1, 1), 'a.h:1:3: unterminated comment'],
  ])('%s', (_name, text, start, message) => {
    expect(errorOf(text, start)).toBe(message);
  });
});
