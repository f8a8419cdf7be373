// minBytes expressions are printed with only the parentheses a writer would use: for any expression tree, the
// printed JavaScript computes what the same tree computes with every operation in its own parentheses (JavaScript
// evaluates both; the fully parenthesized form is written here, independently of the generator).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SizeExpr } from '../../generator/src/conventions/annotations.js';
import { bigintJs } from '../../generator/src/emit/device-view.js';

type Op = Extract<SizeExpr, { kind: 'binary' }>['op'];
const OPS: readonly Op[] = ['+', '-', '*', '/', '%', '&', '|', '^'];
const FIELDS = ['a', 'b', 'c'];

/** Every operation in parentheses; `-` and `~` wrap to 64 bits, as minBytes specifies. */
function parenthesized(e: SizeExpr): string {
  switch (e.kind) {
    case 'number':
      return `${e.value}n`;
    case 'field':
      return `f_${e.name}`;
    case 'unary':
      return `BigInt.asUintN(64, ${e.op}(${parenthesized(e.operand)}))`;
    case 'binary': {
      const text = `(${parenthesized(e.left)}) ${e.op} (${parenthesized(e.right)})`;
      return e.op === '-' ? `BigInt.asUintN(64, ${text})` : `(${text})`;
    }
  }
}

const expr: fc.Arbitrary<SizeExpr> = fc.letrec<{ e: SizeExpr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.bigInt({ min: 0n, max: 70n }).map((value): SizeExpr => ({ kind: 'number', value })),
    fc.constantFrom(...FIELDS).map((name): SizeExpr => ({ kind: 'field', name })),
    fc.record({
      kind: fc.constant('unary' as const),
      op: fc.constantFrom('-' as const, '~' as const),
      operand: tie('e'),
    }),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...OPS), left: tie('e'), right: tie('e') }),
    // a shift by a small constant, as a size is shifted (a shift by a computed 2^63 would build a huge bigint)
    fc.record({
      kind: fc.constant('binary' as const),
      op: fc.constantFrom<Op>('<<', '>>'),
      left: tie('e'),
      right: fc.bigInt({ min: 0n, max: 12n }).map((value): SizeExpr => ({ kind: 'number', value })),
    }),
  ),
})).e;

function evaluate(js: string, values: readonly bigint[]): string {
  try {
    return String(new Function(...FIELDS.map((f) => `f_${f}`), `return ${js};`)(...values));
  } catch (e) {
    return e instanceof RangeError ? 'RangeError' : `threw ${String(e)}`; // division by zero, or a shift too large
  }
}

describe('bigintJs', () => {
  it('computes what the fully parenthesized expression computes', () => {
    fc.assert(
      fc.property(expr, fc.array(fc.bigInt({ min: 0n, max: 300n }), { minLength: 3, maxLength: 3 }), (e, values) => {
        expect(evaluate(bigintJs(e), values)).toBe(evaluate(parenthesized(e), values));
      }),
      { numRuns: 2000 },
    );
  });
  it('prints the profile expressions as a writer would', () => {
    const f = (name: string): SizeExpr => ({ kind: 'field', name });
    const n = (value: bigint): SizeExpr => ({ kind: 'number', value });
    const bin = (op: Op, left: SizeExpr, right: SizeExpr): SizeExpr => ({ kind: 'binary', op, left, right });
    // (length - 1) / (page_size & -page_size) / 8 + 1
    const page = bin('&', f('page_size'), { kind: 'unary', op: '-', operand: f('page_size') });
    const bitmap = bin('+', bin('/', bin('/', bin('-', f('length'), n(1n)), page), n(8n)), n(1n));
    expect(bigintJs(bitmap)).toBe(
      'BigInt.asUintN(64, f_length - 1n) / (f_page_size & BigInt.asUintN(64, -f_page_size)) / 8n + 1n',
    );
    expect(bigintJs(bin('*', f('a'), bin('+', f('b'), f('c'))))).toBe('f_a * (f_b + f_c)');
    expect(bigintJs(bin('/', f('a'), bin('*', f('b'), f('c'))))).toBe('f_a / (f_b * f_c)');
    expect(bigintJs(bin('+', f('a'), bin('<<', f('b'), n(2n))))).toBe('f_a + (f_b << 2n)');
  });
});
