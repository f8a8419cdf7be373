// C's arithmetic types on x86-64 (System V, LP64), from the words of a type specifier.
import { HeaderError, type Loc } from '../diagnostics.js';
import type { IntType, ScalarType } from './types.js';

function scalar(name: string, size: number, signed: boolean, float = false): ScalarType {
  return { kind: 'scalar', name, cType: name, size, align: size, signed, float, endian: 'native' };
}

const TABLE: ReadonlyMap<string, ScalarType> = new Map([
  ['char', scalar('char', 1, true)], // plain char is signed on x86-64
  ['signed char', scalar('signed char', 1, true)],
  ['unsigned char', scalar('unsigned char', 1, false)],
  ['short', scalar('short', 2, true)],
  ['unsigned short', scalar('unsigned short', 2, false)],
  ['int', scalar('int', 4, true)],
  ['unsigned int', scalar('unsigned int', 4, false)],
  ['long', scalar('long', 8, true)],
  ['unsigned long', scalar('unsigned long', 8, false)],
  ['long long', scalar('long long', 8, true)],
  ['unsigned long long', scalar('unsigned long long', 8, false)],
  ['_Bool', scalar('_Bool', 1, false)],
  ['float', scalar('float', 4, true, true)],
  ['double', scalar('double', 8, true, true)],
]);

/** Canonical name of a specifier word list (`long unsigned int` → `unsigned long`), or an error. */
export function primitiveName(words: readonly string[], loc: Loc): string {
  let unsigned = false;
  let signed = false;
  let longs = 0;
  let shorts = 0;
  let base: string | null = null;
  for (const w of words) {
    if (w === 'unsigned') unsigned = true;
    else if (w === 'signed' || w === '__signed__') signed = true;
    else if (w === 'long') longs++;
    else if (w === 'short') shorts++; // a modifier like long: `short int`, `unsigned short int` (glibc, in6.h)
    else if (w === 'const' || w === 'volatile') continue;
    else if (base === null) base = w;
    else throw new HeaderError(loc, `invalid type '${words.join(' ')}'`);
  }
  if (unsigned && signed) throw new HeaderError(loc, `invalid type '${words.join(' ')}'`);
  if (base === 'void') throw new HeaderError(loc, "'void' has no size");
  if (base === 'double' && longs === 1) throw new HeaderError(loc, "'long double' is not supported (80-bit x87 format)");
  if (base === 'float' || base === 'double' || base === '_Bool') {
    if (unsigned || signed || longs > 0 || shorts > 0) throw new HeaderError(loc, `invalid type '${words.join(' ')}'`);
    return base;
  }
  if (base === 'char') {
    if (longs > 0 || shorts > 0) throw new HeaderError(loc, `invalid type '${words.join(' ')}'`);
    return unsigned ? 'unsigned char' : signed ? 'signed char' : 'char';
  }
  if (shorts > 0) {
    if (longs > 0 || shorts > 1 || (base !== null && base !== 'int')) throw new HeaderError(loc, `invalid type '${words.join(' ')}'`);
    return unsigned ? 'unsigned short' : 'short';
  }
  if (base !== null && base !== 'int') throw new HeaderError(loc, `unknown type '${words.join(' ')}'`);
  if (longs > 2) throw new HeaderError(loc, `invalid type '${words.join(' ')}'`);
  const core = longs === 2 ? 'long long' : longs === 1 ? 'long' : 'int';
  return unsigned ? `unsigned ${core}` : core;
}

export function primitiveType(words: readonly string[], loc: Loc): ScalarType {
  return TABLE.get(primitiveName(words, loc))!;
}

export function intScalar(type: IntType): ScalarType {
  return TABLE.get(type)!;
}
