// `uapi-ts diff --tree OLD NEW` on two small trees written here: one verdict per linux/*.h, each expected value
// read off the header texts below (what the C says changed), and exit 1 because one header breaks.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-tree-diff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, headers: Record<string, string>): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'linux'), { recursive: true });
  for (const [file, text] of Object.entries(headers)) writeFileSync(join(root, 'linux', file), `#include <linux/types.h>\n${text}`);
  return root;
}

const same = 'struct same_arg { __u32 a; __u32 b; };\n#define SAME_FLAG 4\n';
// Two fields swap places: a moves 0 -> 4 and b moves 4 -> 0, two offset changes old binaries misread.
const breaksOld = 'struct swap_arg { __u32 a; __u32 b; };\n';
const breaksNew = 'struct swap_arg { __u32 b; __u32 a; };\n';
// Growth by addition only: a new constant and a new struct, nothing old moved.
const growsOld = 'struct grow_arg { __u32 a; };\n#define GROW_ONE 1\n';
const growsNew = 'struct grow_arg { __u32 a; };\n#define GROW_ONE 1\n#define GROW_TWO 2\nstruct grow_more { __u64 b; };\n';

const oldTree = tree('old', { 'same.h': same, 'swap.h': breaksOld, 'grow.h': growsOld, 'gone.h': '#define GONE 1\n', 'broken.h': 'struct broken { __u32 a; };\n' });
const newTree = tree('new', { 'same.h': same, 'swap.h': breaksNew, 'grow.h': growsNew, 'fresh.h': '#define FRESH 1\n', 'broken.h': 'struct broken { __u32 a;\n' });

function run(...args: string[]) {
  return spawnSync(process.execPath, ['generator/bin/uapi-ts.js', ...args], { encoding: 'utf8' });
}

describe('uapi-ts diff --tree', () => {
  const r = run('diff', '--tree', oldTree, newTree);

  it('gives one verdict per header of either tree, sorted, with a summary', () => {
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      expect.stringMatching(/^linux\/broken\.h: not modelled: .*new\/linux\/broken\.h:\d+:\d+: /),
      'linux/fresh.h: added',
      'linux/gone.h: removed',
      'linux/grow.h: compatible (2 changes)',
      'linux/same.h: unchanged',
    ]);
    expect(lines[5]).toBe('linux/swap.h: breaking (2 breaking of 2 changes)');
    expect(lines[6]).toBe('added 1, removed 1, unchanged 1, compatible 1, breaking 1, not modelled 1');
    expect(lines).toHaveLength(7);
  });

  it('reports progress on stderr and exits 1 because a header breaks', () => {
    expect(r.stderr).toContain('[6/6] linux/swap.h: breaking');
    expect(r.stderr).toMatch(/uapi-ts: 1 header with breaking changes\n$/);
    expect(r.status).toBe(1);
  });

  it('exits 0 when nothing breaks, and --quiet silences progress', () => {
    const ok = run('diff', '--tree', oldTree, oldTree, '--quiet');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('linux/swap.h: unchanged');
    expect(ok.status).toBe(0);
  });

  it("--json: the same verdicts with counts, each header's changes as `diff --json` gives them", () => {
    const j = run('diff', '--tree', oldTree, newTree, '--json', '--quiet');
    expect(j.status).toBe(1);
    const report = JSON.parse(j.stdout) as { summary: Record<string, number>; headers: { header: string; verdict: string; breaking?: number; changes?: { change: string; what: string; name: string; breaking: boolean }[]; error?: string }[] };
    expect(report.summary).toEqual({ added: 1, removed: 1, unchanged: 1, compatible: 1, breaking: 1, 'not modelled': 1 });
    expect(report.headers.map((h) => `${h.header} ${h.verdict}`)).toEqual([
      'linux/broken.h not modelled', 'linux/fresh.h added', 'linux/gone.h removed', 'linux/grow.h compatible', 'linux/same.h unchanged', 'linux/swap.h breaking',
    ]);
    expect(report.headers[0]!.error).toMatch(/new\/linux\/broken\.h:\d+:\d+: /);
    const grow = report.headers[3]!;
    expect(grow.changes!.map((c) => `${c.change} ${c.what} ${c.name} ${c.breaking}`).sort()).toEqual(['added constant GROW_TWO false', 'added record grow_more false']);
    const swap = report.headers[5]!;
    expect(swap.breaking).toBe(2);
    expect(swap.changes!.map((c) => `${c.what} ${c.name}`).sort()).toEqual(['field swap_arg.a', 'field swap_arg.b']);
    expect(report.headers[4]).toEqual({ header: 'linux/same.h', verdict: 'unchanged' });
  });

  it('--markdown: counts, a table of the headers that are not unchanged, a section per changed header', () => {
    const m = run('diff', '--tree', oldTree, newTree, '--markdown', '--quiet');
    expect(m.status).toBe(1);
    const lines = m.stdout.split('\n');
    expect(lines[0]).toBe(`## UAPI headers: ${oldTree} → ${newTree}`);
    expect(lines).toContain('1 added, 1 removed, 1 unchanged, 1 compatible, 1 breaking, 1 not modelled (of 6 headers).');
    expect(lines).toContain('| `linux/swap.h` | breaking (2 breaking of 2 changes) |');
    expect(lines).toContain('| `linux/fresh.h` | added |');
    expect(lines.some((l) => l.startsWith('| `linux/same.h`'))).toBe(false);
    expect(lines).toContain(`### linux/swap.h: ${oldTree} → ${newTree}`);
    expect(lines).toContain(`### linux/grow.h: ${oldTree} → ${newTree}`);
    expect(lines).toContain('- constant `GROW_TWO` added (2)');
    expect(m.stdout.endsWith('\n')).toBe(true);
  });

  it('says what is wrong with the command line', () => {
    const one = run('diff', '--tree', oldTree);
    expect(one.stderr).toMatch(/diff --tree takes OLD_DIR NEW_DIR/);
    expect(one.status).toBe(2);
    const noLinux = run('diff', '--tree', tmp, newTree);
    expect(noLinux.stderr).toMatch(/no linux\/ folder/);
    expect(noLinux.status).toBe(2);
  });
});
