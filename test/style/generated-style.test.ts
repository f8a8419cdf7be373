// Generated TypeScript reads like careful hand-written code: checked over every .ts file of generated/ and of the
// golden expectations (issue 13, section 4). Each rule is one a formatter or a reviewer would apply.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldedArithmetic, longLines, orphanDocBlocks, repeatedComments } from './style.js';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : tsFiles(join(dir, e.name));
      return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [];
    })
    .sort();
}

const roots = [
  // The packages' folders (generated/docs/ is the site over all of them: no TypeScript).
  ...readdirSync('generated').filter((p) => p !== 'docs').map((p) => join('generated', p, 'src')),
  ...readdirSync('test/golden/expected').map((p) => join('test/golden/expected', p, 'src')),
];
const files = roots.flatMap((r) => tsFiles(r));

const RULES: readonly { readonly title: string; readonly check: (text: string) => string[] }[] = [
  { title: 'has no line over 120 characters', check: (text) => longLines(text, 120) },
  { title: 'has no arithmetic on two constants, no + 0, no * 1', check: foldedArithmetic },
  { title: 'has every TSDoc block directly followed by a declaration', check: orphanDocBlocks },
  { title: 'has no explanation (two or more // lines) twice', check: repeatedComments },
];

describe('style of generated TypeScript', () => {
  it('finds the generated files', () => {
    expect(files.length).toBeGreaterThan(30);
  });
  describe.each(files)('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    for (const { title, check } of RULES) it(title, () => expect(check(text)).toEqual([]));
  });
});

// The rules themselves, on text written here: each finds what it is for and passes what it is not for.
describe('style rules', () => {
  it('longLines', () => {
    expect(longLines(`${'x'.repeat(120)}\n${'y'.repeat(121)}\n`, 120)).toEqual([`line 2: ${'y'.repeat(121)} (121 characters)`]);
  });
  it('foldedArithmetic', () => {
    const bad = ['d.setUint32(o + 0, x, true);', 'd.getUint8(o + 8 - 1);', 'o + 8 + i * 1', 'f(x - 0)', 'k = 4 * 2;'];
    const good = ['d.setUint32(o, x, true);', 'd.getUint8(o + 7);', 'o + 8 + i * 16', "// o + 0 in a comment", "p = 'a + 0';",
      '(v.a !== undefined ? 1 : 0) + (v.b !== undefined ? 1 : 0)', 'x = 10;', 'o + 10 + i',
      'need = a / 8n + 1n;', 'n = 1 + 8 * x;'];
    expect(foldedArithmetic(bad.join('\n')).length).toBe(bad.length);
    expect(foldedArithmetic(good.join('\n'))).toEqual([]);
  });
  it('orphanDocBlocks', () => {
    const text = [
      '/** A. */', 'export const a = 1;', '/**', ' * B.', ' */', 'export interface B {', '  /** c */', '  c?: number;',
      "  /** d */", "  'e-f': number;", '}', '/** orphan: a blank line follows */', '', 'export const g = 1;',
      '/** orphan: another block follows */', '/** h */', 'function h() {}', '/** orphan: a statement follows */', 'h();',
    ].join('\n');
    expect(orphanDocBlocks(text).map((l) => l.split(':')[0])).toEqual(['line 12', 'line 15', 'line 18']);
  });
  it('repeatedComments', () => {
    const text = [
      '// a', '// b', 'x();', '  // a', '  // b', 'y();', '/** one line */', 'const c = 1;', '/** one line */', 'const d = 1;',
      '/**', ' * e', ' */', 'const e = 1;', '/**', ' * e', ' */', 'const f = 1;', '// a', 'z();', '// a', '// b', '// c',
    ].join('\n');
    expect(repeatedComments(text).map((l) => l.split(':')[0])).toEqual(['line 4']);
  });
});
