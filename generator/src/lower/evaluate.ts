// Integer constant expressions with C's types and conversions (C11 6.3.1, 6.5, 6.6), with long as wide as the
// target's (64 bits on LP64, 32 on ILP32).
import { HeaderError, type Loc } from '../diagnostics.js';
import { parseCharLiteral, parseIntegerLiteral, stringLiteralSize } from '../parse/literals.js';
import type { Expr, TypeName } from '../parse/syntax.js';
import type { Target } from '../model/target.js';
import type { CType, IntType } from '../model/types.js';

export interface IntValue {
  readonly value: bigint;
  readonly type: IntType;
}

export interface EvalContext {
  /** Value of an identifier left after macro expansion (an enumerator), or undefined. */
  identifier(name: string, loc: Loc): IntValue | undefined;
  /** The type a type name denotes (for sizeof, _Alignof and casts). */
  typeOf(t: TypeName): CType;
  sizeOf(t: CType, loc: Loc): number;
  /** _Alignof; with `preferred`, GNU __alignof__ (a scalar's own size where records align it less: i386). */
  alignOf(t: CType, loc: Loc, preferred?: boolean): number;
  readonly target: Target;
}

/** The width of an integer type in bits on a target. */
export function intWidth(t: IntType, target: Target): bigint {
  return t.endsWith('long long') ? 64n : t.endsWith('long') ? BigInt(target.longSize * 8) : 32n;
}
const RANK: Record<IntType, number> = {
  int: 1, 'unsigned int': 1, long: 2, 'unsigned long': 2, 'long long': 3, 'unsigned long long': 3,
};

const INT_TYPES: ReadonlySet<string> = new Set(Object.keys(RANK));

export function isUnsigned(t: IntType): boolean {
  return t.startsWith('unsigned');
}

export function fits(value: bigint, t: IntType, target: Target): boolean {
  return convert(value, t, target) === value;
}

/** Conversion to an integer type: modulo 2^N, as gcc does for signed targets too. */
export function convert(value: bigint, t: IntType, target: Target): bigint {
  const w = Number(intWidth(t, target));
  return isUnsigned(t) ? BigInt.asUintN(w, value) : BigInt.asIntN(w, value);
}

function toUnsigned(t: IntType): IntType {
  return isUnsigned(t) ? t : (`unsigned ${t}` as IntType);
}

/** The usual arithmetic conversions for two integer types of at least int rank. */
export function commonType(a: IntType, b: IntType, target: Target): IntType {
  if (a === b) return a;
  if (isUnsigned(a) === isUnsigned(b)) return RANK[a] >= RANK[b] ? a : b;
  const [u, s] = isUnsigned(a) ? [a, b] : [b, a];
  if (RANK[u] >= RANK[s]) return u;
  if (intWidth(s, target) > intWidth(u, target)) return s;
  return toUnsigned(s);
}

/** The integer type a scalar C type promotes to, for casts. */
function promotedIntType(t: CType, loc: Loc): { type: IntType; convertTo: (v: bigint) => bigint } {
  if (t.kind === 'enum') return promotedIntType(t.enumType.underlying, loc);
  if (t.kind !== 'scalar' || t.float) throw new HeaderError(loc, 'only casts to integer types are supported in constant expressions');
  const bits = t.size * 8;
  const narrow = (v: bigint): bigint => (t.name === '_Bool' ? (v !== 0n ? 1n : 0n) : t.signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v));
  if (t.size < 4) return { type: 'int', convertTo: narrow };
  if (!INT_TYPES.has(t.cType)) throw new HeaderError(loc, `cannot cast to ${t.name}`);
  return { type: t.cType as IntType, convertTo: narrow };
}

/**
 * An expression that names something no header read defines: gcc accepts such a #define as long as nothing
 * uses it (a UAPI header's `PAGE_SIZE`), so a macro that does is reported, not refused.
 */
export class UndefinedName extends HeaderError {}

export function evaluate(e: Expr, ctx: EvalContext): IntValue {
  const ev = (x: Expr): IntValue => evaluate(x, ctx);
  const make = (value: bigint, type: IntType): IntValue => ({ value: convert(value, type, ctx.target), type });
  // sizeof and _Alignof give size_t: unsigned long on LP64, unsigned int (as wide) on ILP32.
  const sizeType: IntType = ctx.target.longSize === 8 ? 'unsigned long' : 'unsigned int';
  switch (e.kind) {
    case 'number': {
      if (/[.eEpP]/.test(e.text) && !/^0[xX]/.test(e.text)) throw new HeaderError(e.loc, `floating constant '${e.text}' is not an integer`);
      return parseIntegerLiteral(e.text, e.loc, ctx.target.longSize === 8 ? 64 : 32);
    }
    case 'char':
      return { value: parseCharLiteral(e.text, e.loc, ctx.target.charSigned), type: 'int' };
    case 'string':
      throw new HeaderError(e.loc, 'a string literal is not an integer constant');
    case 'ident': {
      const v = ctx.identifier(e.name, e.loc);
      if (!v) throw new UndefinedName(e.loc, `'${e.name}' is not an integer constant (no enumerator or macro of that name is defined before this point)`);
      return v;
    }
    case 'defined':
      throw new HeaderError(e.loc, "'defined' is only allowed in #if");
    case 'call':
      throw new UndefinedName(e.loc, `'${e.callee}(...)' is not a constant expression (an undefined function-like macro?)`);
    case 'sizeof': {
      if (e.of.kind === 'string') return { value: BigInt(stringLiteralSize(e.of.text, e.of.loc)), type: sizeType };
      if (e.of.kind !== 'type-name') throw new HeaderError(e.loc, 'sizeof of an expression is not supported; use sizeof(type)');
      const t = ctx.typeOf(e.of);
      return { value: BigInt(ctx.sizeOf(t, e.loc)), type: sizeType };
    }
    case 'alignof':
      return { value: BigInt(ctx.alignOf(ctx.typeOf(e.of), e.loc, e.preferred)), type: sizeType };
    case 'cast': {
      if (e.type.pointer > 0) throw new HeaderError(e.loc, 'casts to pointer types are not integer constants');
      const target = promotedIntType(ctx.typeOf(e.type), e.loc);
      return make(target.convertTo(ev(e.operand).value), target.type);
    }
    case 'unary': {
      const a = ev(e.operand);
      switch (e.op) {
        case '+': return a;
        case '-': return make(-a.value, a.type);
        case '~': return make(~a.value, a.type);
        case '!': return { value: a.value === 0n ? 1n : 0n, type: 'int' };
      }
      break;
    }
    case 'ternary': {
      const c = ev(e.cond);
      const a = ev(e.then);
      const b = ev(e.else);
      const t = commonType(a.type, b.type, ctx.target);
      return make(c.value !== 0n ? a.value : b.value, t);
    }
    case 'binary':
      return binary(e.op, e.left, e.right, e.loc, ev, ctx.target);
  }
  throw new HeaderError((e as Expr).loc, 'unsupported constant expression');
}

function binary(op: string, l: Expr, r: Expr, loc: Loc, ev: (x: Expr) => IntValue, target: Target): IntValue {
  const bool = (c: boolean): IntValue => ({ value: c ? 1n : 0n, type: 'int' });
  if (op === '&&') return bool(ev(l).value !== 0n && ev(r).value !== 0n);
  if (op === '||') return bool(ev(l).value !== 0n || ev(r).value !== 0n);
  if (op === ',') throw new HeaderError(loc, 'the comma operator is not allowed in a constant expression');
  const a = ev(l);
  const b = ev(r);
  if (op === '<<' || op === '>>') {
    if (b.value < 0n || b.value >= intWidth(a.type, target)) {
      throw new HeaderError(loc, `shift count ${b.value} is out of range for type ${a.type}`);
    }
    const v = op === '<<' ? a.value << b.value : a.value >> b.value;
    return { value: convert(v, a.type, target), type: a.type };
  }
  const t = commonType(a.type, b.type, target);
  const x = convert(a.value, t, target);
  const y = convert(b.value, t, target);
  const make = (v: bigint): IntValue => ({ value: convert(v, t, target), type: t });
  switch (op) {
    case '+': return make(x + y);
    case '-': return make(x - y);
    case '*': return make(x * y);
    case '/':
    case '%':
      if (y === 0n) throw new HeaderError(loc, 'division by zero in a constant expression');
      return make(op === '/' ? x / y : x % y);
    case '&': return make(x & y);
    case '|': return make(x | y);
    case '^': return make(x ^ y);
    case '<': return bool(x < y);
    case '>': return bool(x > y);
    case '<=': return bool(x <= y);
    case '>=': return bool(x >= y);
    case '==': return bool(x === y);
    case '!=': return bool(x !== y);
  }
  throw new HeaderError(loc, `unsupported operator '${op}'`);
}
