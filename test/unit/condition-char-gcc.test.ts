// Character constants in #if have the value they have in the target's C, as each target's gcc reads them: plain
// char is signed on x86-64, i386, mips, sparc64 and alpha and unsigned on aarch64, arm, riscv64, powerpc and s390x,
// so `#if '\xff' < 0` takes another branch there. Each condition below defines a macro only where it holds; the
// macros the generator's preprocessor defines for a target must be those its gcc defines (`-dM -E`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../generator/src/load.js';
import { TARGETS } from '../../generator/src/model/target.js';
import { crossPackage, hasCrossCompiler } from '../conformance/cross.js';

const CONDITIONS = [
  "'\\xff' < 0",
  "'\\xff' == 255",
  "'\\x80' == -128",
  "'\\377' > 0",
  "'\\200' + 0 < 0",
  "('\\xff' >> 4) == 15",
  "'a' == 97",
  "'\\0' == 0",
  "'\\x7f' == 127",
  "L'\\xff' == 255",
  "L'\\xff' < 0",
];

const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-char-if-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const header = join(dir, 'char_if.h');
writeFileSync(header, CONDITIONS.map((c, i) => `#if ${c}\n#define CHAR_IF_${i} ${i}\n#endif\n`).join(''));

function gccTaken(gcc: string): string[] {
  const out = execFileSync(gcc, ['-std=gnu11', '-dM', '-E', header], { encoding: 'utf8' });
  return [...out.matchAll(/^#define (CHAR_IF_\d+) /gm)].map((m) => m[1]!).sort();
}

function ourTaken(target: (typeof TARGETS)[number]): string[] {
  return loadModel(header, { includeDirs: [], target }).constants.map((c) => c.name).sort();
}

describe("#if reads a character constant as the target's gcc does", () => {
  const seen = new Map<string, string>();
  for (const t of TARGETS) {
    const gcc = t.name === 'x86_64' ? 'gcc' : `${t.triplet}-gcc`;
    it.skipIf(t.name !== 'x86_64' && !hasCrossCompiler(t))(`${t.name} (plain char ${t.charSigned ? 'signed' : 'unsigned'}; ${gcc}, Debian ${crossPackage(t)})`, () => {
      const expected = gccTaken(gcc);
      expect(ourTaken(t)).toEqual(expected);
      seen.set(t.name, expected.join(' '));
    });
  }
  it('takes other branches where plain char is unsigned (the check above is not vacuous)', () => {
    if (!seen.has('aarch64')) return; // no aarch64 cross-compiler: skipped above, said there
    expect(seen.get('aarch64')).not.toBe(seen.get('x86_64'));
  });
});
