// The runtime's stand-in arrays (packages/runtime/src/codec.ts) against the emitter that relies on them: an encoder
// unrolls array fields of up to UNROLL elements (emit/loop-view.ts) and reads an omitted one as ZEROS or ZEROS64,
// a misfit one as MISFIT, element by element. Shorter stand-ins would let an unrolled read fall off their end.
import { describe, expect, it } from 'vitest';
import { UNROLL } from '../../generator/src/emit/loop-view.js';
import { MISFIT, ZEROS, ZEROS64 } from '../../packages/runtime/src/codec.js';

describe('stand-in arrays cover every unrolled array field', () => {
  it('ZEROS and ZEROS64 hold UNROLL zeros at least, frozen', () => {
    expect(ZEROS.length).toBeGreaterThanOrEqual(UNROLL);
    expect(ZEROS64.length).toBeGreaterThanOrEqual(UNROLL);
    expect(ZEROS.every((z) => z === 0)).toBe(true);
    expect(ZEROS64.every((z) => z === 0n)).toBe(true);
    expect(Object.isFrozen(ZEROS) && Object.isFrozen(ZEROS64)).toBe(true);
  });

  it('MISFIT reads undefined at every unrolled index, frozen', () => {
    expect(MISFIT.length).toBeGreaterThanOrEqual(UNROLL);
    for (let i = 0; i < UNROLL; i++) expect(MISFIT[i]).toBeUndefined();
    expect(Object.isFrozen(MISFIT)).toBe(true);
  });
});
