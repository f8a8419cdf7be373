// fast-check arbitraries for valid encoder input, made from the model: full value ranges, any subset of fields
// omitted, at most one member per union.
import fc from 'fast-check';
import type { CType, Field, RecordDef } from '../../generator/src/model/types.js';

const POINTER = { size: 8, signed: false, float: false, name: 'pointer' };

function scalarArb(t: CType): fc.Arbitrary<unknown> {
  if (t.kind === 'record' || t.kind === 'array') throw new Error('not a scalar');
  const s = t.kind === 'enum' ? t.enumType.underlying : t.kind === 'pointer' ? POINTER : t;
  if (s.float) return s.size === 4 ? fc.float({ noNaN: true }).map(Math.fround) : fc.double({ noNaN: true });
  if (s.name === '_Bool') return fc.boolean();
  const bits = BigInt(s.size * 8);
  if (s.size === 8) return s.signed ? fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }) : fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
  const max = s.signed ? Number((1n << (bits - 1n)) - 1n) : Number((1n << bits) - 1n);
  const min = s.signed ? -max - 1 : 0;
  return fc.integer({ min, max });
}

/** A bit-field takes exactly its width's range. */
function bitsArb(f: Field): fc.Arbitrary<unknown> {
  const w = BigInt(f.bitField!.bitWidth);
  const signed = f.type.kind === 'scalar' ? f.type.signed : f.type.kind === 'enum' && f.type.enumType.underlying.signed;
  const max = signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  const min = signed ? -max - 1n : 0n;
  return f.size === 8 ? fc.bigInt({ min, max }) : fc.bigInt({ min, max }).map((v) => Number(v)); // decoded as bigint only from 64-bit storage
}

export function typeArb(t: CType): fc.Arbitrary<unknown> {
  if (t.kind === 'record') return recordArb(t.record);
  if (t.kind === 'array') return fc.array(typeArb(t.element), { minLength: t.length!, maxLength: t.length! });
  return scalarArb(t);
}

export const reserved = (f: Field): boolean => f.name !== null && /^__reserved\d*$/.test(f.name);

/** Arbitrary init objects: any subset of fields; for each union, at most one member. */
export function recordArb(r: RecordDef): fc.Arbitrary<Record<string, unknown>> {
  // a zero-size member (a flexible array, `__DECLARE_FLEX_ARRAY`'s empty struct) has no bytes: not in the input
  const parts = r.fields.filter((f) => !reserved(f) && f.size > 0).map((f) => fieldArb(f));
  if (r.kind === 'union') return fc.oneof(fc.constant({}), ...parts);
  return fc.tuple(...parts).map((objs) => Object.assign({}, ...objs) as Record<string, unknown>);
}

function fieldArb(f: Field): fc.Arbitrary<Record<string, unknown>> {
  if (f.name === null) {
    if (f.type.kind !== 'record') return fc.constant({});
    return recordArb(f.type.record); // anonymous member: its fields sit in the parent object
  }
  const name = f.name;
  const arb = f.bitField ? bitsArb(f) : typeArb(f.type);
  return fc.option(arb, { nil: undefined }).map((v) => (v === undefined ? {} : { [name]: v }));
}
