// The string literals templates write (errno meanings): what JavaScript reads back from them is the text given, and
// a text split to fit a line is the same text when its pieces are joined.
import { describe, expect, it } from 'vitest';
import { quote, quotePieces } from '../../generator/src/emit/helpers.js';

// JavaScript itself reads the literal: the ground truth for what a generated literal means.
const read = (literal: string): unknown => new Function(`return ${literal};`)();

const texts = [
  'Out of memory.',
  "The device's IOVA isn't mapped",
  'a \\ backslash, a "double" quote, a `backtick` and ${not a template}',
  'line\nbreak\tand tab\r\u0000\u2028\u2029 end',
  'ünïcödé → ok',
];

describe('quote', () => {
  it.each(texts)('%j reads back as itself', (text) => {
    const literal = quote(text);
    expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
    expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(read(literal)).toBe(text);
  });
});

describe('quotePieces', () => {
  const long =
    'The IOCTL number is supported, and the structure is understood, however a known field has a value the kernel ' +
    "does not understand or support, and the user's buffer can't hold it.";
  it.each([20, 40, 80, 116])('cuts at spaces into literals of at most %i characters that join to the text', (width) => {
    const pieces = quotePieces(long, width);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(width);
    expect(pieces.map((p) => read(p)).join('')).toBe(long);
    for (const p of pieces.slice(0, -1)) expect(read(p)).toMatch(/ $/);
  });
  it('keeps a text that fits as one literal, and a word longer than the width whole', () => {
    expect(quotePieces('Out of memory.', 40)).toEqual(["'Out of memory.'"]);
    const word = 'x'.repeat(50);
    expect(quotePieces(`a ${word} b`, 20).map((p) => read(p))).toEqual(['a ', `${word} `, 'b']);
  });
});
