// The bad values of issue 7 for a field, chosen by its C type, each with the error the README promises: a
// TypeError for a wrong type (or a number that is not an integer), a RangeError for a value out of range or an
// array of the wrong length. `at` is what the message adds after the field's name (an element index).
import type { CType, Field, ScalarType } from '../../generator/src/model/types.js';

export type ErrorClass = typeof TypeError | typeof RangeError;

export interface Bad {
  readonly kind: string;
  readonly value: unknown;
  readonly error: ErrorClass;
  readonly at?: string;
}

const T = TypeError;
const R = RangeError;

function scalarOf(t: CType): ScalarType | null {
  if (t.kind === 'scalar') return t;
  if (t.kind === 'enum') return t.enumType.underlying;
  if (t.kind === 'pointer') return { kind: 'scalar', name: 'pointer', cType: 'unsigned long', size: 8, align: 8, signed: false, float: false, endian: 'native' };
  return null;
}

const wrongTypes = (): Bad[] => [
  { kind: 'string', value: '1', error: T },
  { kind: 'boolean', value: true, error: T },
  { kind: 'object', value: {}, error: T },
  { kind: 'array', value: [1], error: T },
  { kind: 'symbol', value: Symbol('bad'), error: T },
  { kind: 'function', value: () => 1, error: T },
  { kind: 'null', value: null, error: T },
];

const nonIntegers = (): Bad[] => [
  { kind: 'NaN', value: Number.NaN, error: T },
  { kind: '+Infinity', value: Number.POSITIVE_INFINITY, error: T },
  { kind: '-Infinity', value: Number.NEGATIVE_INFINITY, error: T },
  { kind: 'fraction', value: 0.5, error: T },
];

function range(bits: number, signed: boolean): { min: bigint; max: bigint } {
  const b = BigInt(bits);
  return signed ? { min: -(1n << (b - 1n)), max: (1n << (b - 1n)) - 1n } : { min: 0n, max: (1n << b) - 1n };
}

function integerBad(s: ScalarType, pointer: boolean): Bad[] {
  const { min, max } = range(s.size * 8, s.signed);
  if (s.size < 8) {
    return [
      ...wrongTypes(),
      { kind: 'bigint for a number', value: 1n, error: T },
      ...nonIntegers(),
      { kind: 'min - 1', value: Number(min) - 1, error: R },
      { kind: 'max + 1', value: Number(max) + 1, error: R },
    ];
  }
  const out: Bad[] = [
    ...wrongTypes(),
    ...nonIntegers(),
    { kind: 'min - 1', value: min - 1n, error: R },
    { kind: 'max + 1', value: max + 1n, error: R },
    { kind: 'unsafe integer number', value: 2 ** 60, error: R },
  ];
  if (!s.signed) out.push({ kind: 'negative number', value: -1, error: R });
  if (pointer) {
    out.push({ kind: 'ArrayBuffer', value: new ArrayBuffer(8), error: T });
    out.push({ kind: 'closed Memory', value: { address: 0x10000n, length: 4096, closed: true }, error: T });
    // A length the bounds checks cannot compare with (NaN > n is false) must not pass for mapped memory.
    for (const length of [Number.NaN, -1, 0.5]) out.push({ kind: 'Memory with a bad length', value: { address: 0x10000n, length }, error: T });
  }
  return out;
}

function bitFieldBad(f: Field, s: ScalarType): Bad[] {
  const { min, max } = range(f.bitField!.bitWidth, s.signed);
  return [
    ...wrongTypes(),
    ...nonIntegers(),
    { kind: 'min - 1', value: min - 1n, error: R },
    { kind: 'max + 1', value: max + 1n, error: R },
    { kind: 'max + 1 as a number', value: Number(max + 1n), error: R },
    { kind: 'unsafe integer number', value: 2 ** 60, error: R },
  ];
}

function scalarBad(s: ScalarType, pointer: boolean): Bad[] {
  if (s.float) return [...wrongTypes(), { kind: 'bigint for a number', value: 1n, error: T }];
  if (s.name === '_Bool') return [{ kind: 'number', value: 1, error: T }, { kind: 'string', value: 'true', error: T }, { kind: 'null', value: null, error: T }, { kind: 'object', value: {}, error: T }];
  return integerBad(s, pointer);
}

/** Bad values for a field (or, with `t` an array's element type, for one element). */
export function badValues(f: Field, t: CType, pointer: boolean): Bad[] {
  if (f.bitField) return bitFieldBad(f, scalarOf(t)!);
  if (t.kind === 'record') {
    return [
      { kind: 'number for a struct', value: 5, error: T },
      { kind: 'string for a struct', value: 'x', error: T },
      { kind: 'null for a struct', value: null, error: T },
      { kind: 'array for a struct', value: [], error: T },
      { kind: 'boolean for a struct', value: true, error: T },
    ];
  }
  if (t.kind === 'array') {
    const n = t.length!;
    const ok = () => goodValue(t.element);
    const out: Bad[] = [
      { kind: 'string for an array', value: 'abc', error: T },
      { kind: 'object for an array', value: {}, error: T },
      { kind: 'number for an array', value: 5, error: T },
      { kind: 'null for an array', value: null, error: T },
      { kind: 'typed array for an array', value: new Uint8Array(n), error: T },
      { kind: 'array of n + 1', value: Array.from({ length: n + 1 }, ok), error: R },
    ];
    if (n > 0) out.push({ kind: 'array of n - 1', value: Array.from({ length: n - 1 }, ok), error: R });
    // A bad element, first and last: the message names the index.
    for (const i of new Set([0, n - 1].filter((k) => k >= 0))) {
      // a row of a multi-dimensional array is checked as an array itself
      const inner = t.element.kind === 'record' || t.element.kind === 'array' ? badValues(f, t.element, false) : scalarBad(scalarOf(t.element)!, false);
      for (const b of inner) {
        const value: unknown[] = Array.from({ length: n }, ok);
        value[i] = b.value;
        const at = t.element.kind === 'array' ? `[${i}]${b.at ?? ''}` : `[${i}]`;
        out.push({ kind: `element ${i}: ${b.kind}`, value, error: b.error, at });
      }
    }
    return out;
  }
  return scalarBad(scalarOf(t)!, pointer);
}

/** A valid value of the type, to set two union members at once. */
export function goodValue(t: CType): unknown {
  if (t.kind === 'record') return {};
  if (t.kind === 'array') return Array.from({ length: t.length ?? 0 }, () => goodValue(t.element));
  const s = scalarOf(t)!;
  if (s.name === '_Bool') return false;
  return s.size === 8 && !s.float ? 0n : 0;
}
