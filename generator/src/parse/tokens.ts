// C preprocessing tokens for text tree-sitter leaves raw: #define bodies, #if conditions, parameter lists.
import { HeaderError, type Loc } from '../diagnostics.js';
import type { Token } from './syntax.js';

// Longest first, so that the first match is the longest match ('<<=' before '<<' before '<').
const PUNCTUATORS = [
  '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '##',
  '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=',
  ...'[](){}.&*+-~!/%<>^|?:;=,#',
];

// By first character, longest first: a token's first character narrows the candidates to a few.
const PUNCTUATORS_BY_FIRST: ReadonlyMap<string, readonly string[]> = PUNCTUATORS.reduce((m, p) => {
  m.set(p[0]!, [...(m.get(p[0]!) ?? []), p]);
  return m;
}, new Map<string, string[]>());

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const WHITESPACE = /[ \t\n\r\f\v]/;
// Encoding prefixes of character and string literals: L'x', u"x", U'x', u8"x".
const LITERAL_PREFIXES = new Set(['L', 'u', 'U', 'u8']);
// A splice is a backslash at the end of a line; GCC also accepts spaces between the two, and so do we.
const SPLICE = /\\[ \t]*\r?\n/y;

/**
 * Splits `text` into C preprocessing tokens. `start` is the location of the first character of `text`;
 * every token gets the location of its own first character.
 */
export function tokenize(text: string, start: Loc): Token[] {
  const { s, locAt } = spliced(text, start);
  const fail = (i: number, reason: string): never => {
    throw new HeaderError(locAt(i), reason);
  };

  const tokens: Token[] = [];
  const push = (kind: Token['kind'], from: number, to: number): void => {
    tokens.push({ kind, text: s.slice(from, to), loc: locAt(from) });
  };

  // Scans a character or string literal whose opening quote is at `q`; returns the index after it.
  const literalEnd = (q: number): number => {
    const quote = s[q]!;
    const what = quote === "'" ? 'character literal' : 'string literal';
    let j = q + 1;
    for (;;) {
      const c = s[j];
      if (c === undefined || c === '\n') fail(q, `unterminated ${what}`);
      if (c === quote) break;
      j += c === '\\' && s[j + 1] !== undefined && s[j + 1] !== '\n' ? 2 : 1;
    }
    if (quote === "'" && j === q + 1) fail(q, 'empty character literal');
    return j + 1;
  };

  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (WHITESPACE.test(c)) {
      i++;
    } else if (s.startsWith('/*', i)) {
      const close = s.indexOf('*/', i + 2);
      if (close < 0) fail(i, 'unterminated comment');
      i = close + 2;
    } else if (s.startsWith('//', i)) {
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? s.length : nl;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < s.length && IDENT_PART.test(s[j]!)) j++;
      if (LITERAL_PREFIXES.has(s.slice(i, j)) && (s[j] === "'" || s[j] === '"')) {
        const end = literalEnd(j);
        push(s[j] === "'" ? 'char' : 'string', i, end);
        i = end;
      } else {
        push('ident', i, j);
        i = j;
      }
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(s[i + 1] ?? ''))) {
      // A pp-number is deliberately loose (0x80, 1ULL, 1e+3, 0x1p-3, even 0xg): its meaning is checked later.
      let j = i + 1;
      while (j < s.length) {
        if (/[eEpP]/.test(s[j]!) && (s[j + 1] === '+' || s[j + 1] === '-')) j += 2;
        else if (IDENT_PART.test(s[j]!) || s[j] === '.') j++;
        else break;
      }
      push('number', i, j);
      i = j;
    } else if (c === "'" || c === '"') {
      const end = literalEnd(i);
      push(c === "'" ? 'char' : 'string', i, end);
      i = end;
    } else {
      const p = (PUNCTUATORS_BY_FIRST.get(c) ?? []).find((q) => s.startsWith(q, i));
      if (p === undefined) fail(i, `unexpected character ${describeChar(c)}`);
      push('punct', i, i + p!.length);
      i += p!.length;
    }
  }
  return tokens;
}

/**
 * Translation phase 2: `text` without backslash-newline splices, and where each remaining character stood, so
 * that a splice even inside a token still yields one token at its true location. Text with no splice (nearly
 * all) is used as it is, located through its line starts.
 */
function spliced(text: string, start: Loc): { s: string; locAt: (i: number) => Loc } {
  if (!/\\[ \t]*\r?\n/.test(text)) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    let last = 0; // tokens are located in order: search on from the previous line
    return {
      s: text,
      locAt: (i) => {
        if (starts[last]! > i) last = 0;
        while (last + 1 < starts.length && starts[last + 1]! <= i) last++;
        return { file: start.file, line: start.line + last, col: (last === 0 ? start.col : 1) + i - starts[last]! };
      },
    };
  }
  let s = '';
  const lines: number[] = [];
  const cols: number[] = [];
  let line = start.line;
  let col = start.col;
  for (let i = 0; i < text.length; ) {
    SPLICE.lastIndex = i;
    if (text.charCodeAt(i) === 92 /* \\ */ && SPLICE.test(text)) {
      i = SPLICE.lastIndex;
      line++;
      col = 1;
      continue;
    }
    const c = text[i]!;
    s += c;
    lines.push(line);
    cols.push(col);
    i++;
    if (c === '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  return { s, locAt: (i) => ({ file: start.file, line: lines[i]!, col: cols[i]! }) };
}

function describeChar(c: string): string {
  const code = c.codePointAt(0)!;
  return code > 0x20 && code < 0x7f ? `'${c}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
