// The ABI table (model/target.ts) against each target's gcc: every macro the model predefines for a target has
// the value that target's gcc predefines (`<triplet>-gcc -dM -E`), and the scalar facts read from those macros
// (long and pointer size, byte order, char signedness, the largest alignment) are the table's. Record layout,
// enum sizes and ioctl encodings are the conformance tests' (test/conformance/cross.test.ts).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../generator/src/model/target.js';
import { predefinedMacros } from '../../generator/src/parse/builtins.js';
import { crossPackage, hasCrossCompiler } from '../conformance/cross.js';

function gccMacros(triplet: string): Map<string, string> {
  const out = execFileSync(`${triplet}-gcc`, ['-std=gnu11', '-dM', '-E', '-x', 'c', '-'], { input: '', encoding: 'utf8' });
  return new Map([...out.matchAll(/^#define (\S+) (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('the ABI table agrees with each target\'s gcc', () => {
  for (const t of TARGETS) {
    const gcc = t.name === 'x86_64' ? 'gcc' : `${t.triplet}-gcc`;
    it.skipIf(t.name !== 'x86_64' && !hasCrossCompiler(t))(`${t.name} (${gcc}; Debian package ${crossPackage(t)})`, () => {
      const m = gccMacros(t.name === 'x86_64' ? 'x86_64-linux-gnu' : t.triplet);
      for (const [name, value] of predefinedMacros(t)) expect(m.get(name), `${name} on ${t.name}`).toBe(value);
      expect(Number(m.get('__SIZEOF_LONG__'))).toBe(t.longSize);
      expect(Number(m.get('__SIZEOF_POINTER__'))).toBe(t.longSize);
      expect(m.get('__BYTE_ORDER__')).toBe(t.endian === 'little' ? '__ORDER_LITTLE_ENDIAN__' : '__ORDER_BIG_ENDIAN__');
      expect(m.has('__CHAR_UNSIGNED__')).toBe(!t.charSigned);
      expect(Number(m.get('__BIGGEST_ALIGNMENT__'))).toBe(t.biggestAlign);
    });
  }
});
