// A package's types are true on every target it holds: its index assigns each layout to the first's types (widened
// numbers only) without a cast, so tsc compiles a package only if every layout gives every field, constant and
// codec the same type. Here tsc compiles the golden packages generated for several targets (the configured ones are
// compiled by `npm test`'s pretest and the consumer test), and refuses a layout whose types drift: a field decoded
// as a number, or a constant given as a number, where the package declares a bigint. The values behind the types
// are checked against each cross-compiler's bytes in bytes-targets.test.ts.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-types-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of a golden package that resolves @uapi-ts/runtime from the repository (its dist/, built by `npm run build`). */
function copyOf(name: string, folder = name): string {
  const dir = join(tmp, folder);
  cpSync(join(ROOT, 'test/golden/expected', name), dir, { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function tsc(dir: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', dir], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text, `${file} holds ${from}`).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

describe('the types of a package with several layouts', () => {
  it.each(['widget', 'wordsize'])('%s: every layout has the package\'s types (tsc, no cast)', (name) => {
    const dir = copyOf(name);
    expect(readFileSync(join(dir, 'src/index.ts'), 'utf8')).not.toMatch(/ as (unknown\b|Layout\b)/);
    expect(tsc(dir)).toEqual({ status: 0, out: '' });
  }, 120_000);

  it('refuses a layout that decodes a field the package declares a bigint as a number', () => {
    const dir = copyOf('wordsize', 'wordsize-field');
    // What i386's layout said before its size fields were widened: 4 bytes read as a number.
    const record = join(dir, 'src/abi/i386/records/ws_buffer.ts');
    edit(record, '  length: bigint;', '  length: number;');
    edit(record, '    length: rt.getULong32(d, o + 4),', '    length: d.getUint32(o + 4, true),');
    const r = tsc(dir);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('src/index.ts');
    expect(r.out).toContain("The types of 'decodeWsBuffer(...).length' are incompatible between these types.");
  }, 120_000);

  it('refuses a layout that gives a constant the package declares a bigint as a number', () => {
    const dir = copyOf('wordsize', 'wordsize-constant');
    edit(join(dir, 'src/abi/i386/constants.ts'), 'export const WS_ULONG_MAX = 0xffffffffn;', 'export const WS_ULONG_MAX = 0xffffffff;');
    const r = tsc(dir);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('src/index.ts');
    expect(r.out).toContain("Types of property 'WS_ULONG_MAX' are incompatible.\n    Type 'number' is not assignable to type 'bigint'.");
  }, 120_000);
});
