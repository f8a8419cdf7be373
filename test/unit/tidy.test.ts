// tidy (emit/tidy.ts): the rules every rendered file follows, each case written from the rule, not from output.
import { describe, expect, it } from 'vitest';
import { tidy } from '../../generator/src/emit/tidy.js';

describe('tidy', () => {
  it('ends every text with exactly one newline', () => {
    expect(tidy('a')).toBe('a\n');
    expect(tidy('a\n')).toBe('a\n');
    expect(tidy('a\n\n\n')).toBe('a\n');
    expect(tidy('')).toBe('\n');
    expect(tidy('\n \n\t\n')).toBe('\n');
  });

  it('drops spaces, tabs and carriage returns at line ends, and only there', () => {
    expect(tidy('a  \nb\t\r\nc \t ')).toBe('a\nb\nc\n');
    expect(tidy('a \t b\rc')).toBe('a \t b\rc\n');
    expect(tidy(`x${'\t'.repeat(50000)}\ny`)).toBe('x\ny\n');
  });

  it('keeps one blank line of a run between lines', () => {
    expect(tidy('a\n\nb')).toBe('a\n\nb\n');
    expect(tidy('a\n\n\n\nb')).toBe('a\n\nb\n');
    expect(tidy('a\n  \n\t\n\r\nb')).toBe('a\n\nb\n');
    expect(tidy('a\nb\n\nc\n\n\nd')).toBe('a\nb\n\nc\n\nd\n');
  });

  it('keeps at most two blank lines before the first line', () => {
    expect(tidy('\na')).toBe('\na\n');
    expect(tidy('\n\na')).toBe('\n\na\n');
    expect(tidy('\n\n\n\na')).toBe('\n\na\n');
    expect(tidy(' \n\t\na')).toBe('\n\na\n');
  });

  it('leaves tidy text as it is', () => {
    const text = 'export const A = 1;\n\n/** doc */\nexport const B = 2;\n';
    expect(tidy(text)).toBe(text);
    expect(tidy(tidy('a \n\n\n b\t\n'))).toBe(tidy('a \n\n\n b\t\n'));
  });
});
