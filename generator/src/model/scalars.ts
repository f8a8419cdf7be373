// C's arithmetic types on a target ABI (model/target.ts), from the words of a type specifier.
import { HeaderError, type Loc } from '../diagnostics.js';
import type { Target } from './target.js';
import type { CType, IntType, ScalarType } from './types.js';

function scalar(name: string, size: number, signed: boolean, float = false, align = size): ScalarType {
  return { kind: 'scalar', name, cType: name, size, align, signed, float, endian: 'native' };
}

/** The arithmetic types of a target; `align` is the alignment in a record (i386 aligns 8-byte ones to 4 there). */
function scalarTable(t: Target): ReadonlyMap<string, ScalarType> {
  const long = t.longSize;
  return new Map([
    ['char', scalar('char', 1, t.charSigned)],
    ['signed char', scalar('signed char', 1, true)],
    ['unsigned char', scalar('unsigned char', 1, false)],
    ['short', scalar('short', 2, true)],
    ['unsigned short', scalar('unsigned short', 2, false)],
    ['int', scalar('int', 4, true)],
    ['unsigned int', scalar('unsigned int', 4, false)],
    ['long', scalar('long', long, true)],
    ['unsigned long', scalar('unsigned long', long, false)],
    ['long long', scalar('long long', 8, true, false, t.int64Align)],
    ['unsigned long long', scalar('unsigned long long', 8, false, false, t.int64Align)],
    ['_Bool', scalar('_Bool', 1, false)],
    ['float', scalar('float', 4, true, true)],
    ['double', scalar('double', 8, true, true, t.int64Align)],
    // gcc has __int128 on 64-bit targets only, aligned like its largest type (8 on s390x).
    ...(t.longSize === 8
      ? ([
          ['__int128', scalar('__int128', 16, true, false, Math.min(16, t.biggestAlign))],
          ['unsigned __int128', scalar('unsigned __int128', 16, false, false, Math.min(16, t.biggestAlign))],
        ] as const)
      : []),
  ]);
}

const TABLES = new Map<Target, ReadonlyMap<string, ScalarType>>();

function table(t: Target): ReadonlyMap<string, ScalarType> {
  let found = TABLES.get(t);
  if (!found) TABLES.set(t, (found = scalarTable(t)));
  return found;
}

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
  if (base === '__int128') {
    if (longs > 0 || shorts > 0) throw new HeaderError(loc, `invalid type '${words.join(' ')}'`);
    return unsigned ? 'unsigned __int128' : '__int128';
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

export function primitiveType(words: readonly string[], loc: Loc, target: Target): ScalarType {
  const name = primitiveName(words, loc);
  const t = table(target).get(name);
  if (!t) throw new HeaderError(loc, `'${name}' is not supported on ${target.name} (a 32-bit target)`);
  return t;
}

export function intScalar(type: IntType, target: Target): ScalarType {
  return table(target).get(type)!;
}

/**
 * The scalar a value of type `t` is stored as (a field's, an ioctl argument's): an enum its underlying type, a
 * pointer an unsigned long of `pointerSize` bytes (the ABI's); null for records, arrays and functions.
 */
export function storedScalar(t: CType, pointerSize: number): ScalarType | null {
  if (t.kind === 'scalar') return t;
  if (t.kind === 'enum') return t.enumType.underlying;
  if (t.kind === 'pointer') return { kind: 'scalar', name: 'pointer', cType: 'unsigned long', size: pointerSize, align: pointerSize, signed: false, float: false, endian: 'native' };
  return null;
}
