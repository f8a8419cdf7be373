// `uapi-ts diff --target A --target B HEADER`: every difference it reports between two targets' layouts of a
// header is checked against the two cross-compilers (sizeof, _Alignof, offsetof and the ioctl numbers of gcc's
// objects for each target), and a header the targets lay out alike reports nothing.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { targetNamed, type Target } from '../../generator/src/model/target.js';
import { hasCrossCompiler, objectBytes } from '../lib/cross-object.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['generator/bin/uapi-ts.js', ...args], { encoding: 'utf8', cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Difference {
  readonly change: string;
  readonly what: string;
  readonly name: string;
  readonly aspect?: string;
  readonly [target: string]: string | undefined;
}

/** The C expression of a reported aspect: `sizeof(struct x)`, `offsetof(struct x, f)`, an ioctl number. */
function cExpression(d: Difference): string {
  if (d.what === 'record') return d.aspect === 'size' ? `sizeof(struct ${d.name})` : `_Alignof(struct ${d.name})`;
  if (d.what === 'field') {
    const [record, ...path] = d.name.split('.');
    return d.aspect === 'offset' ? `offsetof(struct ${record}, ${path.join('.')})` : `sizeof(((struct ${record} *)0)->${path.join('.')})`;
  }
  if (d.what === 'ioctl') return `(unsigned long long)(${d.name})`;
  throw new Error(`no C expression for ${JSON.stringify(d)}`);
}

/** What gcc for `target` makes of each expression, as numbers (one initialized array, read back). */
function gccValues(target: Target, header: string, exprs: readonly string[]): bigint[] {
  const source = `#include <stddef.h>\n#include ${JSON.stringify(header)}\nPROBE unsigned long long values[] = {\n${exprs.map((e) => `  ${e},`).join('\n')}\n};`;
  const bytes = objectBytes(target.triplet, source, 'values', [resolve(ROOT, 'headers/v7.3')]);
  const d = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return exprs.map((_, i) => d.getBigUint64(i * 8, target.endian === 'little'));
}

const number = (s: string | undefined): bigint => BigInt(/^(0x[0-9a-f]+|\d+)/i.exec(s ?? '')?.[0] ?? NaN.toString());

const CASES: readonly [string, string, string][] = [
  ['x86_64', 'i386', 'headers/v7.3/linux/vfio.h'],
  ['x86_64', 'arm', 'headers/v7.3/linux/vfio.h'],
  ['x86_64', 'ppc64le', 'test/golden/fixtures/widget.h'],
  ['x86_64', 'ppc64le', 'headers/v7.3/linux/iommufd.h'],
];

describe('uapi-ts diff --target A --target B', () => {
  for (const [a, b, header] of CASES) {
    const [ta, tb] = [targetNamed(a)!, targetNamed(b)!];
    it.skipIf(!hasCrossCompiler(ta.triplet) || !hasCrossCompiler(tb.triplet))(`${header}: ${a} → ${b}: every difference is gcc's`, () => {
      const r = run('diff', '--target', a, '--target', b, header, '-I', 'headers/v7.3', '--json');
      const out = JSON.parse(r.stdout) as { targets: string[]; endian: Record<string, string>; differences: Difference[] };
      expect(out.targets).toEqual([a, b]);
      const checked = out.differences.filter((d) => d.change === 'changed');
      expect(checked.length).toBeGreaterThan(0);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`uapi-ts: ${out.differences.length} difference${out.differences.length === 1 ? '' : 's'} between ${a} and ${b}\n`);
      const exprs = checked.map(cExpression);
      const abs = resolve(ROOT, header);
      const [ga, gb] = [gccValues(ta, abs, exprs), gccValues(tb, abs, exprs)];
      const wrong = checked.flatMap((d, i) => {
        const said = [number(d[a]), number(d[b])];
        return said[0] === ga[i] && said[1] === gb[i] && ga[i] !== gb[i] ? [] : [`${d.what} ${d.name} ${d.aspect}: said ${d[a]} → ${d[b]}, gcc ${ga[i]} → ${gb[i]}`];
      });
      expect(wrong).toEqual([]);
    });
  }

  it('reports nothing for targets that lay the header out alike, and the byte order when it differs', () => {
    const same = run('diff', '--target', 'x86_64', '--target', 'aarch64', 'headers/v7.3/linux/iommufd.h', '-I', 'headers/v7.3');
    expect(same.stdout).toBe('headers/v7.3/linux/iommufd.h: x86_64 → aarch64: the same layout\n');
    expect(same.status).toBe(0);
    const order = run('diff', '--target', 'x86_64', '--target', 's390x', 'headers/v7.3/linux/iommufd.h', '-I', 'headers/v7.3');
    expect(order.stdout.split('\n').slice(0, 2)).toEqual([
      'headers/v7.3/linux/iommufd.h: x86_64 → s390x: 1 difference',
      '  ~ byte order little-endian → big-endian (every multi-byte field but __le*/__be* ones)',
    ]);
    expect(order.status).toBe(1);
  });

  it('refuses what it cannot compare, as usage errors', () => {
    const cases: [string[], string][] = [
      [['--target', 'x86_64', '--target', 'i386', 'a.h', 'b.h'], 'diff --target A --target B takes one HEADER'],
      [['--target', 'x86_64', '--target', 'i386', '--target', 'arm', 'a.h'], 'diff --target A --target B takes one HEADER'],
      [['--target', 'i386', '--target', 'i386', 'test/golden/fixtures/widget.h'], 'diff: --target i386 is given twice'],
      [['--target', 'm68k', 'test/golden/fixtures/widget.h'], "unknown target 'm68k'"],
    ];
    for (const [args, message] of cases) {
      const r = run('diff', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});
