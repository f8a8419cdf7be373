// #if / #elif conditions. The preprocessor computes in intmax_t/uintmax_t (64-bit here), replaces `defined X`
// before expansion and identifiers left after expansion with 0 (C11 6.10.1). A character constant has the value
// it has in the target's C (6.10.1p4 leaves it open; gcc's cpp follows the target): '\xff' is -1 where plain char is
// signed (x86-64, i386, mips, sparc64, alpha) and 255 where it is not (aarch64, arm, riscv64, powerpc, s390x).
import { HeaderError, type Loc } from '../diagnostics.js';
import { parseExpr } from './expr.js';
import type { MacroTable } from './macros.js';
import { parseIntegerLiteral, parseCharLiteral } from './literals.js';
import type { Expr, Token } from './syntax.js';

interface PPValue {
  readonly v: bigint;
  readonly unsigned: boolean;
}

const MASK = (1n << 64n) - 1n;

function wrap(v: bigint, unsigned: boolean): PPValue {
  return { v: unsigned ? v & MASK : BigInt.asIntN(64, v), unsigned };
}

export function evaluateCondition(tokens: readonly Token[], macros: MacroTable, end: Loc, charSigned = true): boolean {
  const replaced: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'ident' && t.text === 'defined') {
      let name = tokens[i + 1];
      let close = 1;
      if (name?.text === '(') {
        name = tokens[i + 2];
        if (tokens[i + 3]?.text !== ')') throw new HeaderError(t.loc, "expected ')' after 'defined(NAME'");
        close = 3;
      }
      if (!name || name.kind !== 'ident') throw new HeaderError(t.loc, "'defined' needs a macro name");
      replaced.push({ kind: 'number', text: macros.has(name.text) ? '1' : '0', loc: t.loc });
      i += close;
      continue;
    }
    replaced.push(t);
  }
  const expanded = macros.expand(replaced).map((t): Token =>
    t.kind === 'ident' && !['sizeof', '_Alignof', '__alignof__', 'alignof'].includes(t.text) ? { kind: 'number', text: '0', loc: t.loc } : t,
  );
  return evaluate(parseExpr(expanded, () => false, end), charSigned).v !== 0n;
}

function evaluate(e: Expr, charSigned: boolean): PPValue {
  const sub = (x: Expr): PPValue => evaluate(x, charSigned);
  switch (e.kind) {
    case 'number': {
      const lit = parseIntegerLiteral(e.text, e.loc);
      return wrap(lit.value, lit.type.startsWith('unsigned'));
    }
    case 'char':
      // A wide constant (L'\0', glibc's bits/wchar.h) is a wchar_t: its value is the character's code, never
      // narrowed through a char (L'\xff' is 255 on every target).
      if (e.text.startsWith('L')) return wrap(parseCharLiteral(e.text.slice(1), e.loc, false), false);
      return wrap(parseCharLiteral(e.text, e.loc, charSigned), false);
    case 'unary': {
      const a = sub(e.operand);
      switch (e.op) {
        case '-': return wrap(-a.v, a.unsigned);
        case '+': return a;
        case '~': return wrap(~a.v, a.unsigned);
        case '!': return wrap(a.v === 0n ? 1n : 0n, false);
      }
      break;
    }
    case 'ternary':
      return sub(e.cond).v !== 0n ? sub(e.then) : sub(e.else);
    case 'binary': {
      if (e.op === '&&') return wrap(sub(e.left).v !== 0n && sub(e.right).v !== 0n ? 1n : 0n, false);
      if (e.op === '||') return wrap(sub(e.left).v !== 0n || sub(e.right).v !== 0n ? 1n : 0n, false);
      const a = sub(e.left);
      const b = sub(e.right);
      const u = a.unsigned || b.unsigned;
      const x = u ? a.v & MASK : a.v;
      const y = u ? b.v & MASK : b.v;
      const bool = (c: boolean): PPValue => wrap(c ? 1n : 0n, false);
      switch (e.op) {
        case '+': return wrap(x + y, u);
        case '-': return wrap(x - y, u);
        case '*': return wrap(x * y, u);
        case '/':
        case '%':
          if (y === 0n) throw new HeaderError(e.loc, 'division by zero in #if');
          return wrap(e.op === '/' ? x / y : x % y, u);
        case '<<': return wrap(x << (b.v & 63n), a.unsigned);
        case '>>': return wrap((a.unsigned ? a.v & MASK : a.v) >> (b.v & 63n), a.unsigned);
        case '<': return bool(x < y);
        case '>': return bool(x > y);
        case '<=': return bool(x <= y);
        case '>=': return bool(x >= y);
        case '==': return bool(x === y);
        case '!=': return bool(x !== y);
        case '&': return wrap(x & y, u);
        case '|': return wrap(x | y, u);
        case '^': return wrap(x ^ y, u);
        case ',': return b;
      }
      break;
    }
    default:
      break;
  }
  throw new HeaderError(e.loc, `'${e.kind}' is not allowed in a preprocessor condition`);
}
