// decode(encode(x)) gives back x, for every struct and union of every generated package and the golden widget, with fast-check
// choosing the values (full ranges, omitted fields, one member per union).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pascalCase } from '../../generator/src/emit/names.js';
import { recordArb } from './arbitraries.js';
import { testPackages } from './packages.js';

type Codec = { encode(v: unknown): Uint8Array; decode(b: Uint8Array): Record<string, unknown>; size: number };

/** Every leaf that was set must decode to the same value. */
function expectLeaves(set: unknown, got: unknown, path: string): void {
  if (typeof set === 'object' && set !== null) {
    for (const [k, v] of Object.entries(set)) expectLeaves(v, (got as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  if (typeof set === 'number' && Object.is(set, -0)) set = 0; // -0 and 0 are the same bytes for integers
  expect(got, path).toEqual(set);
}

describe.each(testPackages())('round trip: $name', (pkg) => {
  it.each(pkg.model.records.map((r) => [r.name!, r] as const))('%s', async (name, record) => {
    const mod = (await pkg.load()) as Record<string, Codec>;
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
