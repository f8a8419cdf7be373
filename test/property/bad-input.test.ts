// Issue 7, codecs: bad input never crashes and never corrupts. For every struct and union of every generated
// package, every field the caller may set gets every bad value its C type admits (bad-values.ts), on top of
// valid input fast-check chooses, encoded at offsets 0, 1, 3 and 7 into a buffer full of guard bytes. Each must
// throw the README's TypeError/RangeError naming the field path and write nothing outside the struct's bytes; a
// value checked before the writes (any but a nested struct's) writes nothing at all, a nested struct's may leave
// zeros or what the valid fields encode (README, "Using a generated package").
// Valid input encodes the same at any offset; decoding refuses short buffers and bad offsets.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { pascalCase } from '../../generator/src/emit/names.js';
import type { RecordDef } from '../../generator/src/model/types.js';
import { recordArb } from './arbitraries.js';
import { badValues, goodValue, type ErrorClass } from './bad-values.js';
import { checkedWithHolder, leavesOf, put, unionInput } from './leaves.js';
import { testPackages } from './packages.js';
import { thrown } from '../thrown.js';

interface Codec {
  readonly size: number;
  encode(v: unknown, into?: unknown, offset?: unknown): Uint8Array;
  decode(from: unknown, offset?: unknown): Record<string, unknown>;
  encodeInto(v: unknown, d: DataView, o: number): void;
  decodeFrom(d: DataView, o: number): Record<string, unknown>;
}

const OFFSETS = [0, 1, 3, 7];
const GUARD = 16;
const counts = new Map<string, number>();
const count = (what: string, n = 1): void => void counts.set(what, (counts.get(what) ?? 0) + n);

afterAll(() => {
  // UAPI_TS_COUNTS=1 prints how many cases of each category ran (for the note).
  if (process.env.UAPI_TS_COUNTS === '1') console.log(`bad-input cases: ${JSON.stringify(Object.fromEntries(counts))}`);
});

/** A buffer with a byte pattern that no encoder writes by accident. */
function guarded(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => 0xa5 ^ (i * 29));
}

function expectRefused(e: unknown, error: ErrorClass, prefix: string): void {
  expect(e, `expected ${error.name} '${prefix}…'`).toBeInstanceOf(error);
  expect((e as Error).message.startsWith(prefix), `'${(e as Error).message}' should start with '${prefix}'`).toBe(true);
}

/**
 * Encodes `value` into guard bytes at `offset`; it must be refused as `error` with `prefix` and leave every byte
 * outside the struct as it was; inside it, every byte as it was when `untouched`, else as it was, 0, or what
 * `partial` (the input without the bad value) encodes to.
 */
function refusedInPlace(codec: Codec, value: unknown, partial: Record<string, unknown>, offset: number, error: ErrorClass, prefix: string, untouched: boolean): void {
  const buf = guarded(offset + codec.size + GUARD);
  const before = buf.slice();
  expectRefused(thrown(() => codec.encode(value, buf, offset)), error, prefix);
  let valid: Uint8Array | undefined;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === before[i]) continue; // checked in plain code: an expect() per byte is slow
    const inside = i >= offset && i < offset + codec.size;
    if (!inside || untouched) expect(buf[i], `byte ${i} ${inside ? 'of a struct refused before any write' : 'outside the struct'} (offset ${offset})`).toBe(before[i]);
    else if (buf[i] !== 0) expect(buf[i], `byte ${i - offset} of the struct`).toBe((valid ??= codec.encode(partial))[i - offset]);
  }
}

function codecOf(mod: Record<string, unknown>, r: RecordDef): Codec {
  return mod[pascalCase(r.name!)] as Codec;
}

describe.each(testPackages())('bad input: $name', (pkg) => {
  describe.each(pkg.model.records.map((r) => [r.name!, r] as const))('%s', (name, record) => {
    const { leaves, unions } = leavesOf(record, pkg.model);

    it('every bad field value is refused, naming the field, with no byte written outside the struct', async () => {
      const codec = codecOf(await pkg.load(), record);
      fc.assert(
        fc.property(recordArb(record), fc.constantFrom(...OFFSETS), (base, offset) => {
          for (const leaf of leaves) {
            for (const bad of badValues(leaf.field, leaf.type, leaf.pointer)) {
              const value = put(base, leaf, bad.value);
              // Refused before any write, unless a nested record's own encoder finds it as it writes the record.
              const whole = leaf.type.kind === 'record' || (leaf.type.kind === 'array' && leaf.type.element.kind === 'record');
              const records = whole ? [...leaf.within, { type: leaf.type, member: leaf.member }] : leaf.within;
              refusedInPlace(codec, value, put(base, leaf, undefined), offset, bad.error, `${name}${leaf.label}${bad.at ?? ''}: `, records.every(checkedWithHolder));
              count(`field: ${bad.kind.replace(/^element \d+: /, 'element: ')}`);
            }
          }
          for (const u of unions) {
            // Two members of one union at once: refused (a nested union's only when its struct is written).
            const two = unionInput(base, u, true, goodValue);
            refusedInPlace(codec, two, unionInput(base, u, false, goodValue), offset, TypeError, `${name}${u.label}: `, u.steps.length === 0);
            count('two members of a union');
          }
        }),
        // every run tries every leaf: a record with hundreds of them (kvm_run) is covered by one run in time
        { numRuns: leaves.length > 200 ? 1 : 3 },
      );
    }, 180_000);

    it('a value that is not an object, and a target that is not a buffer, are refused naming the struct', async () => {
      const codec = codecOf(await pkg.load(), record);
      for (const v of [null, 5, 'x', [], true, Symbol('v'), () => ({})]) {
        expectRefused(thrown(() => codec.encode(v)), TypeError, `${name}: `);
        count('value not an object');
      }
      for (const into of [[0, 0, 0, 0], {}, 'buffer', new ArrayBuffer(codec.size), 42]) {
        expectRefused(thrown(() => codec.encode({}, into)), TypeError, `${name}: `);
        count('encode target not a buffer');
      }
      for (const from of [null, undefined, [1, 2, 3], {}, 'bytes', new ArrayBuffer(codec.size)]) {
        expectRefused(thrown(() => codec.decode(from)), TypeError, `${name}: `);
        count('decode source not a buffer');
      }
    });

    it('encodeInto and decodeFrom given no DataView throw a TypeError naming the struct', async () => {
      const codec = codecOf(await pkg.load(), record);
      if (codec.size === 0) return; // nothing to read or write: the target is never touched
      for (const d of [{}, new Uint8Array(codec.size + 8), [0, 0, 0, 0]]) {
        expectRefused(thrown(() => codec.encodeInto({}, d as unknown as DataView, 0)), TypeError, `${name}: `);
        expectRefused(thrown(() => codec.decodeFrom(d as unknown as DataView, 0)), TypeError, `${name}: `);
        count('not a DataView', 2);
      }
    });

    it('bad offsets and short buffers are RangeErrors naming the struct; nothing is written', async () => {
      const codec = codecOf(await pkg.load(), record);
      const size = codec.size;
      const cases: [Uint8Array, unknown][] = [
        [guarded(size - 1), 0], // too short by one
        [guarded(size + 8), 9], // one past the end
        [guarded(size + 8), size + 64],
        [guarded(size + 8), -1],
        [guarded(size + 8), 0.5],
        [guarded(size + 8), Number.NaN],
        [guarded(size + 8), Number.POSITIVE_INFINITY],
        [guarded(size + 8), '1'],
      ];
      for (const [buf, offset] of cases) {
        const before = buf.slice();
        expectRefused(thrown(() => codec.encode({}, buf, offset)), RangeError, `${name}: `);
        expect(buf).toEqual(before);
        expectRefused(thrown(() => codec.decode(buf, offset)), RangeError, `${name}: `);
        expectRefused(thrown(() => codec.decodeFrom(new DataView(buf.buffer), offset as number)), RangeError, `${name}: `);
        count('bad offset or short buffer', 3);
      }
      // With no buffer given, encode makes one of offset + size bytes: a bad offset is refused before that.
      for (const offset of [-1, 0.5, Number.NaN, -size - 1, 2 ** 53]) {
        expectRefused(thrown(() => codec.encode({}, undefined, offset)), RangeError, `${name}: `);
        count('bad offset, new buffer');
      }
    });

    it('valid input encodes the same at any offset, touches only its bytes, and decodes the same from there', async () => {
      const codec = codecOf(await pkg.load(), record);
      fc.assert(
        fc.property(recordArb(record), fc.constantFrom(...OFFSETS), (value, offset) => {
          const alone = codec.encode(value);
          expect(alone.length).toBe(codec.size);
          const buf = guarded(offset + codec.size + GUARD);
          const before = buf.slice();
          expect(codec.encode(value, buf, offset)).toBe(buf);
          expect(buf.subarray(offset, offset + codec.size)).toEqual(alone);
          expect(buf.subarray(0, offset)).toEqual(before.subarray(0, offset));
          expect(buf.subarray(offset + codec.size)).toEqual(before.subarray(offset + codec.size));
          // A DataView that starts at an odd byte of its buffer: encodeInto and decodeFrom work the same.
          const view = new DataView(buf.buffer, 1, buf.length - 1);
          const again = guarded(buf.length);
          codec.encodeInto(value, new DataView(again.buffer, 1, again.length - 1), offset);
          expect(again.subarray(1 + offset, 1 + offset + codec.size)).toEqual(alone);
          const decoded = codec.decode(alone);
          expect(codec.decode(buf, offset)).toEqual(decoded);
          expect(codec.decodeFrom(view, offset - 1 < 0 ? 0 : offset - 1)).toEqual(codec.decode(buf.subarray(1 + Math.max(offset - 1, 0))));
          count('valid encode/decode at an offset');
        }),
        { numRuns: 50 },
      );
    });

    it('omitted fields encode as 0; fields the struct does not have are ignored', async () => {
      const codec = codecOf(await pkg.load(), record);
      expect(codec.encode({})).toEqual(new Uint8Array(codec.size));
      fc.assert(
        fc.property(recordArb(record), (value) => {
          const bytes = codec.encode(value);
          for (const f of record.kind === 'struct' ? record.fields : []) {
            if (f.name === null || f.bitField || value[f.name] !== undefined) continue;
            expect(Array.from(bytes.subarray(f.offset, f.offset + f.size)), `${name}.${f.name} omitted`).toEqual(Array(f.size).fill(0));
          }
          // An unknown field, and a field name with the wrong case (what a typo gives), change nothing.
          const extra: Record<string, unknown> = { ...value, no_such_field: 7, [Symbol('s')]: 1 };
          for (const k of Object.keys(value)) extra[k.toUpperCase()] = value[k];
          expect(codec.encode(extra)).toEqual(bytes);
          count('omitted and unknown fields');
        }),
        { numRuns: 30 },
      );
    });
  });
});
