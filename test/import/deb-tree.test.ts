// `uapi-ts import --deb FILE.deb --out OUT`: a whole UAPI tree from a linux-libc-dev package, here a small one
// built by dpkg-deb in the shape of Debian's (usr/include/linux/, a triplet's asm/ of relative links into
// usr/lib/linux/uapi/<arch>/asm/), so no network is needed. The tree must be what `generate --tree` reads: the
// ioctl number generated from it is checked against gcc compiling the same tree.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../conformance/cprogram.js';

const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-deb-tree-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const haveDpkg = spawnSync('dpkg-deb', ['--version']).status === 0;

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'generator/bin/uapi-ts.js'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A linux-libc-dev .deb with linux/foo.h including <asm/foo.h>, x86's asm/foo.h reached through the triplet's link. */
function buildDeb(name: string, withLinux = true): string {
  const pkg = join(tmp, name);
  const file = (path: string, text: string) => {
    mkdirSync(join(pkg, path, '..'), { recursive: true });
    writeFileSync(join(pkg, path), text);
  };
  file('DEBIAN/control', 'Package: linux-libc-dev\nVersion: 9.9.9-1\nArchitecture: all\nMaintainer: uapi-ts tests <tests@example.org>\nDescription: test tree\n');
  if (withLinux) {
    file('usr/include/linux/foo.h', '#ifndef _LINUX_FOO_H\n#define _LINUX_FOO_H\n#include <linux/types.h>\n#include <linux/ioctl.h>\n#include <asm/foo.h>\nstruct foo_arg {\n\t__u32 a;\n\tstruct foo_arch b;\n};\n#define FOO_GET _IOR(0xf0, 1, struct foo_arg)\n#endif\n');
  }
  file('usr/lib/linux/uapi/x86/asm/foo.h', '#ifndef _ASM_FOO_H\n#define _ASM_FOO_H\nstruct foo_arch {\n\t__u64 x;\n\t__u8 y;\n};\n#endif\n');
  // A link one folder deeper (riscv's asm/vendor/), and one that stays inside usr/include.
  file('usr/lib/linux/uapi/x86/asm/vendor/bar.h', '#define BAR 1\n');
  mkdirSync(join(pkg, 'usr/include/x86_64-linux-gnu/asm/vendor'), { recursive: true });
  symlinkSync('../../../lib/linux/uapi/x86/asm/foo.h', join(pkg, 'usr/include/x86_64-linux-gnu/asm/foo.h'));
  symlinkSync('../../../../lib/linux/uapi/x86/asm/vendor/bar.h', join(pkg, 'usr/include/x86_64-linux-gnu/asm/vendor/bar.h'));
  symlinkSync('../../linux/foo.h', join(pkg, 'usr/include/x86_64-linux-gnu/asm/same.h'));
  execFileSync('dpkg-deb', ['--build', '--root-owner-group', pkg, `${pkg}.deb`], { stdio: 'ignore' });
  return `${pkg}.deb`;
}

/** Nothing next to OUT but what was there: no hidden `.OUT.partial-*` folder left behind. */
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes('.partial-'));

describe.skipIf(!haveDpkg)('import --deb FILE.deb --out OUT (a whole tree)', () => {
  it('unpacks usr/include with relative asm/ links, progress on stderr; generate --tree reads it as gcc does', () => {
    const deb = buildDeb('good');
    const out = join(tmp, 'tree1');
    const r = cli('import', '--deb', deb, '--out', out);
    expect(r.stderr).toContain('$ dpkg-deb -x');
    expect(r.stderr).toContain(`1 linux/*.h headers, asm/ for 1 triplets (x86_64-linux-gnu) in ${out}`);
    expect(r.stdout).toBe(`imported: ${out} (1 linux/*.h; asm/ for 1 triplets)\n`);
    expect(r.status).toBe(0);
    const link = join(out, 'x86_64-linux-gnu/asm/foo.h');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../../lib/linux/uapi/x86/asm/foo.h');
    expect(readFileSync(link, 'utf8')).toContain('struct foo_arch');
    expect(readlinkSync(join(out, 'x86_64-linux-gnu/asm/vendor/bar.h'))).toBe('../../../lib/linux/uapi/x86/asm/vendor/bar.h');
    expect(readFileSync(join(out, 'x86_64-linux-gnu/asm/vendor/bar.h'), 'utf8')).toBe('#define BAR 1\n');
    expect(readlinkSync(join(out, 'x86_64-linux-gnu/asm/same.h'))).toBe('../../linux/foo.h');

    // gcc, -I the imported tree as for any UAPI tree, says what FOO_GET is; the generated package must agree.
    const c = join(tmp, 'foo.c');
    writeFileSync(c, '#include <stdio.h>\n#include <linux/foo.h>\nint main(void) { printf("%lu\\n", (unsigned long)FOO_GET); return 0; }\n');
    execFileSync('gcc', ['-I', out, '-I', join(out, 'x86_64-linux-gnu'), '-o', join(tmp, 'foo'), c]);
    const gcc = Number(execFileSync(join(tmp, 'foo'), { encoding: 'utf8' }).trim());
    const gen = cli('generate', '--tree', out, '--out', join(tmp, 'gen1'), '--quiet');
    expect(gen.status, gen.stderr).toBe(0);
    const ioctls = readFileSync(join(tmp, 'gen1/foo/src/ioctls.ts'), 'utf8');
    expect(ioctls).toMatch(new RegExp(`FOO_GET = 0x${gcc.toString(16)}\\b`));
    expect(leftovers(tmp)).toEqual([]);
  });

  it('refuses an --out that exists and is not empty, or is a file: exit 2, nothing touched', () => {
    const deb = buildDeb('good2');
    const full = join(tmp, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep'), 'x');
    const r = cli('import', '--deb', deb, '--out', full);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`uapi-ts: --out ${full} is not empty; give a new folder for the tree\n`);
    expect(readdirSync(full)).toEqual(['keep']);
    const f = cli('import', '--deb', deb, '--out', join(full, 'keep'));
    expect(f.status).toBe(2);
    expect(f.stderr).toMatch(/is a file; give a new folder/);
  });

  it('a broken .deb, or one with no usr/include/linux: exit 1, one line, no OUT and nothing half-written', () => {
    const junk = join(tmp, 'junk.deb');
    writeFileSync(junk, 'not an archive');
    const out = join(tmp, 'tree-junk');
    const r = cli('import', '--deb', junk, '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/uapi-ts: dpkg-deb .* failed \(exit 2\)[\s\S]*\(nothing was written\)\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);

    const noLinux = buildDeb('nolinux', false);
    const r2 = cli('import', '--deb', noLinux, '--out', out);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toMatch(/uapi-ts: nolinux\.deb has no usr\/include\/linux\/: not a linux-libc-dev package \(nothing was written\)\n$/);
    expect(existsSync(out)).toBe(false);
    expect(leftovers(tmp)).toEqual([]);
  });

  it('usage errors: no --deb, or a single-header option with --out', () => {
    expect(cli('import', '--out', join(tmp, 'x')).stderr).toMatch(/needs --deb VERSION or --deb FILE\.deb/);
    const r = cli('import', '--deb', '7.3.4-1', '--out', join(tmp, 'x'), '--version', '7.3');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/takes no --version/);
    expect(cli('import', '--deb', 'no such.deb', '--out', join(tmp, 'x')).stderr).toMatch(/is not a Debian version .* or a \.deb file/);
  });
});
