// decode(encode(x)) gives back x, for every struct and union of every generated package, with fast-check
// choosing the values (full ranges, omitted fields, one member per union).
import fc from 'fast-check';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../generator/src/config.js';
import { loadModel } from '../../generator/src/load.js';
import { pascalCase } from '../../generator/src/emit/names.js';
import type { CType, Field, RecordDef } from '../../generator/src/model/types.js';

const config = { packages: readConfig('uapi-ts.config.json') }; // a series package as its newest held header

type Codec = { encode(v: unknown): Uint8Array; decode(b: Uint8Array): Record<string, unknown>; size: number };

function scalarArb(t: CType): fc.Arbitrary<unknown> {
  const s = t.kind === 'enum' ? t.enumType.underlying : t.kind === 'pointer' ? { size: 8, signed: false, float: false, name: 'ptr' } : t;
  if (s.kind === 'record' || s.kind === 'array') throw new Error('not a scalar');
  if ('float' in s && s.float) return s.size === 4 ? fc.float({ noNaN: true }).map(Math.fround) : fc.double({ noNaN: true });
  if (s.name === '_Bool') return fc.boolean();
  const bits = BigInt(s.size * 8);
  if (s.size === 8) return s.signed ? fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }) : fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
  const max = s.signed ? Number((1n << (bits - 1n)) - 1n) : Number((1n << bits) - 1n);
  const min = s.signed ? -max - 1 : 0;
  return fc.integer({ min, max });
}

function typeArb(t: CType): fc.Arbitrary<unknown> {
  if (t.kind === 'record') return recordArb(t.record);
  if (t.kind === 'array') return fc.array(typeArb(t.element), { minLength: t.length!, maxLength: t.length! });
  return scalarArb(t);
}

const reserved = (f: Field): boolean => f.name !== null && /^__reserved\d*$/.test(f.name);

/** Arbitrary init objects: any subset of fields; for each union, at most one member. */
function recordArb(r: RecordDef): fc.Arbitrary<Record<string, unknown>> {
  const parts = r.fields.filter((f) => !reserved(f) && !(f.type.kind === 'array' && f.type.length === null)).map((f) => fieldArb(f));
  if (r.kind === 'union') return fc.oneof(fc.constant({}), ...parts);
  return fc.tuple(...parts).map((objs) => Object.assign({}, ...objs) as Record<string, unknown>);
}

function fieldArb(f: Field): fc.Arbitrary<Record<string, unknown>> {
  if (f.name === null) {
    if (f.type.kind !== 'record') return fc.constant({});
    return recordArb(f.type.record); // anonymous member: its fields sit in the parent object
  }
  const name = f.name;
  return fc.option(typeArb(f.type), { nil: undefined }).map((v) => (v === undefined ? {} : { [name]: v }));
}

/** Every leaf that was set must decode to the same value. */
function expectLeaves(set: unknown, got: unknown, path: string): void {
  if (typeof set === 'object' && set !== null) {
    for (const [k, v] of Object.entries(set)) expectLeaves(v, (got as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  if (typeof set === 'number' && Object.is(set, -0)) set = 0; // -0 and 0 are the same bytes for integers
  expect(got, path).toEqual(set);
}

describe.each(config.packages)('round trip: $name', (pkg) => {
  const model = loadModel(pkg.header, { includeDirs: pkg.includeDirs, hintsFile: pkg.hints });
  it.each(model.records.map((r) => [r.name!, r] as const))('%s', async (name, record) => {
    const mod = (await import(/* @vite-ignore */ pathToFileURL(resolve(pkg.out, 'src/index.ts')).href)) as Record<string, Codec>;
    const codec = mod[pascalCase(name)]!;
    expect(codec.size).toBe(record.size);
    fc.assert(
      fc.property(recordArb(record), (init) => {
        const bytes = codec.encode(init);
        expect(bytes.length).toBe(record.size);
        expectLeaves(init, codec.decode(bytes), name);
      }),
      { numRuns: 200 },
    );
  });
});
