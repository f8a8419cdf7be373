// The runtime's long-array helpers (packages/runtime/src/long-arrays.ts), which encoders use for array fields of
// 256 elements and more: `all<Kind>` accepts exactly the values of the C type (ranges from C's own limits), and
// `putAll` writes the bytes the DataView's own store of each element writes, in either byte order, at aligned and
// unaligned places (where it falls back to one store each).
import { describe, expect, it } from 'vitest';
import { allS16, allS32, allS64, allS8, allU16, allU32, allU64, allU8, putAll } from '../../packages/runtime/src/long-arrays.js';

const N = 300;
const filled = <T>(x: T, at: number, e: unknown): unknown[] => Array.from({ length: N }, (_, i) => (i === at ? e : x));

describe('all<Kind>: every element of the C type, and nothing else', () => {
  const kinds = [
    { name: 'allU8', all: allU8, min: 0, max: 255 },
    { name: 'allS8', all: allS8, min: -128, max: 127 },
    { name: 'allU16', all: allU16, min: 0, max: 65535 },
    { name: 'allS16', all: allS16, min: -32768, max: 32767 },
    { name: 'allU32', all: allU32, min: 0, max: 4294967295 },
    { name: 'allS32', all: allS32, min: -2147483648, max: 2147483647 },
  ] as const;
  it.each(kinds)('$name', ({ all, min, max }) => {
    expect(all(filled(0, 0, min), N)).toBe(true);
    expect(all(filled(0, N - 1, max), N)).toBe(true);
    for (const bad of [min - 1, max + 1, 0.5, Number.NaN, '1', 1n, undefined, null]) {
      expect(all(filled(0, 7, bad), N), String(bad)).toBe(false);
      expect(all(filled(0, N - 1, bad), N), String(bad)).toBe(false);
    }
    expect(all(new Array(N - 1).fill(0), N)).toBe(false); // one short
    expect(all(new Uint8Array(N), N)).toBe(false); // not an array: the slow path converts it
  });
  it('allU64 and allS64', () => {
    expect(allU64(filled(0n, N - 1, 2n ** 64n - 1n), N)).toBe(true);
    expect(allS64(filled(0n, 0, -(2n ** 63n)), N)).toBe(true);
    for (const bad of [2n ** 64n, -1n, 1, undefined]) expect(allU64(filled(0n, 3, bad), N), String(bad)).toBe(false);
    for (const bad of [2n ** 63n, -(2n ** 63n) - 1n, 1]) expect(allS64(filled(0n, 3, bad), N), String(bad)).toBe(false);
  });
});

describe('putAll writes what one DataView store per element writes', () => {
  const cases = [
    { bytes: 1, set: 'setUint8', values: Array.from({ length: N }, (_, i) => (i * 37) & 0xff) },
    { bytes: 2, set: 'setUint16', values: Array.from({ length: N }, (_, i) => (i * 4099) & 0xffff) },
    { bytes: 4, set: 'setUint32', values: Array.from({ length: N }, (_, i) => (i * 0x9e3779b1) >>> 0) },
    { bytes: 8, set: 'setBigUint64', values: Array.from({ length: N }, (_, i) => BigInt(i) * 0x9e3779b97f4a7c15n % 2n ** 64n) },
  ] as const;
  for (const c of cases) {
    for (const le of [true, false]) {
      for (const at of [0, 1, c.bytes, 3 + c.bytes]) {
        it(`${c.bytes}-byte elements, ${le ? 'little' : 'big'}-endian, at ${at}`, () => {
          // A window onto a larger buffer, so that d.byteOffset counts too.
          const size = at + N * c.bytes;
          const expected = new DataView(new ArrayBuffer(size));
          c.values.forEach((v, i) => (expected[c.set] as (o: number, v: never, le: boolean) => void).call(expected, at + i * c.bytes, v as never, le));
          const backing = new ArrayBuffer(size + 16);
          const d = new DataView(backing, 8, size);
          putAll(d, at, c.values as readonly number[] | readonly bigint[], c.bytes, le);
          expect(new Uint8Array(backing, 8, size)).toEqual(new Uint8Array(expected.buffer));
          expect(new Uint8Array(backing, 0, 8)).toEqual(new Uint8Array(8)); // nothing before the window
          expect(new Uint8Array(backing, 8 + size, 8)).toEqual(new Uint8Array(8)); // nor after
        });
      }
    }
  }
  it('signed elements come out in two’s complement, as C stores them', () => {
    const d = new DataView(new ArrayBuffer(N * 4));
    putAll(d, 0, new Array(N).fill(-2), 4, true);
    expect(d.getUint32(0, true)).toBe(0xfffffffe);
    expect(d.getInt32((N - 1) * 4, true)).toBe(-2);
  });
});
