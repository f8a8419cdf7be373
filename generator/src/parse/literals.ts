// Integer and character literals with their C types (C11 6.4.4.1, 6.4.4.4); long is 64 bits (LP64) or 32 (ILP32).
import { HeaderError, type Loc } from '../diagnostics.js';

export type LiteralType = 'int' | 'unsigned int' | 'long' | 'unsigned long' | 'long long' | 'unsigned long long';

function max(t: LiteralType, longBits: 32 | 64): bigint {
  const bits = t.endsWith('long long') ? 64n : t.endsWith('long') ? BigInt(longBits) : 32n;
  return (1n << (t.startsWith('unsigned') ? bits : bits - 1n)) - 1n;
}

export function parseIntegerLiteral(text: string, loc: Loc, longBits: 32 | 64 = 64): { value: bigint; type: LiteralType } {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  if (!m) throw new HeaderError(loc, `'${text}' is not an integer literal`);
  const digits = m[1]!;
  const suffix = m[2]!.toLowerCase();
  if (!['', 'u', 'l', 'ul', 'lu', 'll', 'ull', 'llu'].includes(suffix)) {
    throw new HeaderError(loc, `invalid integer suffix in '${text}'`);
  }
  const value = /^0[0-7]+$/.test(digits) ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  const decimal = /^[1-9]/.test(digits) || digits === '0';
  const unsigned = suffix.includes('u');
  const rank = suffix.includes('ll') ? 2 : suffix.includes('l') ? 1 : 0;
  // Candidate types in order; decimal literals without 'u' never become unsigned.
  const all: LiteralType[][] = [
    ['int', 'long', 'long long'],
    ['unsigned int', 'unsigned long', 'unsigned long long'],
  ];
  const candidates: LiteralType[] = [];
  for (let r = rank; r < 3; r++) {
    if (unsigned) candidates.push(all[1]![r]!);
    else {
      candidates.push(all[0]![r]!);
      if (!decimal) candidates.push(all[1]![r]!);
    }
  }
  const type = candidates.find((t) => value <= max(t, longBits));
  if (!type) throw new HeaderError(loc, `integer literal '${text}' is too large for any integer type`);
  return { value, type };
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63, e: 27,
};

/** Value of a plain character constant: type int, from a char that is signed (x86-64) or not (arm, s390x). */
export function parseCharLiteral(text: string, loc: Loc, charSigned = true): bigint {
  if (!/^'.*'$/s.test(text) || text.length < 3) throw new HeaderError(loc, `'${text}' is not a character constant`);
  const body = text.slice(1, -1);
  let code: number;
  if (body[0] !== '\\') {
    if (body.length !== 1) throw new HeaderError(loc, `multi-character constant ${text} has an implementation-defined value`);
    code = body.charCodeAt(0);
    if (code > 127) throw new HeaderError(loc, `non-ASCII character constant ${text} is not supported`);
  } else {
    const esc = body.slice(1);
    let m: RegExpExecArray | null;
    if ((m = /^x([0-9a-fA-F]+)$/.exec(esc))) code = parseInt(m[1]!, 16);
    else if ((m = /^([0-7]{1,3})$/.exec(esc))) code = parseInt(m[1]!, 8);
    else if (esc.length === 1 && SIMPLE_ESCAPES[esc] !== undefined) code = SIMPLE_ESCAPES[esc]!;
    else throw new HeaderError(loc, `unsupported escape in character constant ${text}`);
    if (code > 255) throw new HeaderError(loc, `escape in ${text} is out of range for a char`);
  }
  return charSigned ? BigInt.asIntN(8, BigInt(code)) : BigInt(code);
}

/**
 * sizeof of a plain string literal ("os2." in xattr.h's `sizeof(XATTR_OS2_PREFIX) - 1`): its bytes in UTF-8, an
 * escape one byte, and the terminating NUL. Prefixed (wide) literals are not supported.
 */
export function stringLiteralSize(text: string, loc: Loc): number {
  if (!/^".*"$/s.test(text)) throw new HeaderError(loc, `sizeof of ${text.slice(0, 20)}: only plain string literals are supported`);
  const body = text.slice(1, -1);
  let size = 1;
  for (let i = 0; i < body.length; ) {
    if (body[i] !== '\\') {
      const cp = body.codePointAt(i)!;
      size += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += cp >= 0x10000 ? 2 : 1;
      continue;
    }
    const esc = body.slice(i + 1);
    const m = /^(x[0-9a-fA-F]+|[0-7]{1,3})/.exec(esc);
    if (m) i += 1 + m[1]!.length;
    else if (esc.length > 0 && SIMPLE_ESCAPES[esc[0]!] !== undefined) i += 2;
    else throw new HeaderError(loc, `unsupported escape in string literal ${text.slice(0, 20)}`);
    size += 1;
  }
  return size;
}
