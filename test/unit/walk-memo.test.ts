// An included file's walk replayed from another unit of the same process (parse/walk-memo.ts) must give exactly
// what reading it afresh gives: the same declarations, warnings, typedef names and macro comments, in the same
// order, with the file's own includes walked as they are in the unit at hand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TARGET } from '../../generator/src/model/target.js';
import { parseHeader, type ParseResult } from '../../generator/src/parse/unit.js';

const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-walk-memo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const parse = (header: string): ParseResult => parseHeader(header, { includeDirs: [dir], target: DEFAULT_TARGET });
const names = (r: ParseResult): string[] =>
  r.unit.declarations.map((d) => (d.kind === 'typedef' ? `typedef ${d.declarator.name}` : d.kind === 'doc-section' ? 'doc' : `${d.kind} ${d.name}`));

// A shared header with everything a walk adds to its unit: a typedef, a record with kernel-doc, a kernel-doc comment
// that documents nothing (a warning), a `NAME - ` comment for a macro, a declaration that is not modelled (a
// warning), and an include of its own whose content depends on the including unit (UNIT_BITS).
write('inner.h', '#if UNIT_BITS == 64\ntypedef unsigned long long inner_t;\n#else\ntypedef unsigned int inner_t;\n#endif\n');
write(
  'shared.h',
  [
    '#include "inner.h"',
    'typedef unsigned int shared_u32;',
    '/**',
    ' * struct shared_rec - a record',
    ' * @a: first',
    ' */',
    'struct shared_rec { shared_u32 a; inner_t b; };',
    '/**',
    ' * struct nowhere - documents no declaration',
    ' */',
    '/* SHARED_FLAG - a flag */',
    '#define SHARED_FLAG 1',
    'extern int shared_counter;',
    '',
  ].join('\n'),
);
const a = write('a.h', '#define UNIT_BITS 64\n#include "shared.h"\nstruct a_rec { inner_t x; shared_u32 y; };\n');
const b = write('b.h', '#define UNIT_BITS 32\n#include "shared.h"\nstruct b_rec { inner_t x; };\n');
// No include guard: the second read of the same text in one unit.
const twice = write('twice.h', '#define UNIT_BITS 64\n#include "shared.h"\n#include "shared.h"\n');

describe('an included file read again in the same process', () => {
  it('gives what its first read gave, its own includes as the unit at hand has them', () => {
    const first = { a: parse(a), b: parse(b) }; // shared.h's walk is kept by a's read, replayed in b's
    const again = { b: parse(b), a: parse(a) }; // now both from the memo
    expect(again.a).toEqual(first.a);
    expect(again.b).toEqual(first.b);
    // Sanity: the shared file's effects are there, and inner.h differs per unit.
    expect(names(again.b)).toEqual(expect.arrayContaining(['typedef inner_t', 'record shared_rec', 'record b_rec', 'macro SHARED_FLAG']));
    expect(again.b.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        "kernel-doc for 'struct nowhere' documents no declaration in this file",
        'declaration of shared_counter is not a type, constant or ioctl; not modelled',
      ]),
    );
    const macro = again.a.unit.declarations.find((d) => d.kind === 'macro' && d.name === 'SHARED_FLAG');
    expect(macro && 'comment' in macro ? macro.comment : null).toBe('SHARED_FLAG - a flag');
    const inner = (r: ParseResult) => r.unit.declarations.find((d) => d.kind === 'typedef' && d.declarator.name === 'inner_t');
    expect(inner(again.a)).toMatchObject({ type: { words: ['unsigned', 'long', 'long'] } });
    expect(inner(again.b)).toMatchObject({ type: { words: ['unsigned', 'int'] } });
  });

  it('read twice in one unit gives distinct declarations, as two fresh reads do', () => {
    const r = parse(twice);
    const records = r.unit.declarations.filter((d) => d.kind === 'record' && d.name === 'shared_rec');
    expect(records).toHaveLength(2);
    expect(records[0]).not.toBe(records[1]);
    expect(records[0]).toEqual(records[1]);
    expect(parse(twice)).toEqual(r);
  });
});
