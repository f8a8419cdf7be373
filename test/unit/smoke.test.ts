import { describe, expect, it } from 'vitest';
import { formatLoc } from '../../generator/src/diagnostics.js';

describe('diagnostics', () => {
  it('formats a location as file:line:col', () => {
    expect(formatLoc({ file: 'a.h', line: 3, col: 7 })).toBe('a.h:3:7');
  });
});
