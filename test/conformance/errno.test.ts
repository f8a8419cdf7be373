// The errno table the generated runtime names errors with, checked against the C library's <errno.h>.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ERRNO_NAMES } from '../../generator/src/model/errno-table.js';

it('every errno number and name matches gcc and <errno.h>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-errno-'));
  try {
    const names = [...ERRNO_NAMES.values()];
    const c = `#include <errno.h>\n#include <stdio.h>\nint main(void) {\n${names.map((n) => `  printf("%s %d\\n", "${n}", ${n});`).join('\n')}\n  return 0;\n}\n`;
    writeFileSync(join(dir, 'errno.c'), c);
    execFileSync('gcc', ['-std=gnu11', '-o', join(dir, 'errno'), join(dir, 'errno.c')]);
    const fromC = new Map(
      execFileSync(join(dir, 'errno'), { encoding: 'utf8' }).trim().split('\n').map((l) => {
        const [name, num] = l.split(' ');
        return [Number(num), name!] as const;
      }),
    );
    expect(fromC.size).toBe(ERRNO_NAMES.size);
    expect(new Map(ERRNO_NAMES)).toEqual(fromC);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
