// `uapi-ts import`: a header into headers/v<V>/ from a file, a kernel source tree (processed as
// scripts/headers_install.sh does, checked against sed running the script's own rules), a headers_install
// folder, or Debian's linux-libc-dev (once, against the real archive, when it answers quickly).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { headersInstall } from '../../generator/src/import/headers-install.js';
import { ROOT } from '../conformance/cprogram.js';

const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-import-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const V73 = join(ROOT, 'headers/v7.3/linux/iommufd.h');
const V612 = join(ROOT, 'headers/v6.12/linux/iommufd.h');
let n = 0;
let headersDir = '';

/** A fresh headers/ folder: SOURCES.md and the hints, as in the repository. */
beforeEach(() => {
  headersDir = join(tmp, `headers-${++n}`);
  mkdirSync(headersDir);
  copyFileSync(join(ROOT, 'headers/SOURCES.md'), join(headersDir, 'SOURCES.md'));
  copyFileSync(join(ROOT, 'headers/iommufd.profile.json'), join(headersDir, 'iommufd.profile.json'));
});

/** `uapi-ts import` (with --header linux/iommufd.h unless given: the config holds several series now). */
function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const header = args.includes('--header') ? [] : ['--header', 'linux/iommufd.h'];
  const r = spawnSync(process.execPath, [join(ROOT, 'generator/bin/uapi-ts.js'), 'import', '--headers-dir', headersDir, ...header, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sources = () => readFileSync(join(headersDir, 'SOURCES.md'), 'utf8');
const original = readFileSync(join(ROOT, 'headers/SOURCES.md'), 'utf8');

/** SOURCES.md with `row` added after the table's last row. */
function withRow(row: string): string {
  const lines = original.split('\n');
  const last = lines.findLastIndex((l, i) => l.startsWith('|') && !lines[i + 1]?.startsWith('|') && lines.slice(0, i).some((x) => x.startsWith('|')));
  return [...lines.slice(0, last + 1), row, ...lines.slice(last + 1)].join('\n');
}

describe('import --file', () => {
  it('writes headers/v<V>/<header> and a SOURCES.md row; again: unchanged; a different file: refused', () => {
    const r = run('--version', '9.1', '--file', V73);
    expect(r.status).toBe(0);
    const target = join(headersDir, 'v9.1/linux/iommufd.h');
    expect(r.stdout).toBe(`imported: ${target}\n`);
    expect(readFileSync(target, 'utf8')).toBe(readFileSync(V73, 'utf8'));
    const text = sources();
    const row = text.split('\n').find((l) => l.startsWith('| v9.1/'))!;
    expect(row).toMatch(new RegExp(`^\\| v9\\.1/linux/iommufd\\.h \\| linux/iommufd\\.h, Linux 9\\.1 \\| file ${V73.replace(/[./]/g, '\\$&')} \\(sha256 [0-9a-f]{16}\\); imported \\d{4}-\\d\\d-\\d\\d by \`uapi-ts import\` \\|$`));
    expect(text).toBe(withRow(row)); // right after the table, nothing else touched

    const again = run('--version', 'v9.1', '--file', V73);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^unchanged/);
    expect(sources()).toBe(text);

    const other = run('--version', '9.1', '--file', V612);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('exists and differs');
    expect(readFileSync(target, 'utf8')).toBe(readFileSync(V73, 'utf8'));
    expect(sources()).toBe(text);
  });

  it('--header puts it elsewhere in the version folder (after what it includes)', () => {
    const missing = run('--version', '9.1', '--file', join(ROOT, 'headers/v7.3/iommufd_test.h'), '--header', 'iommufd_test.h');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`${join(headersDir, 'v9.1/iommufd_test.h')}:7:1: cannot find <linux/iommufd.h>`);
    expect(run('--version', '9.1', '--file', V73).status).toBe(0);
    const r = run('--version', '9.1', '--file', join(ROOT, 'headers/v7.3/iommufd_test.h'), '--header', 'iommufd_test.h', '--quiet');
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/^wrote /m); // --quiet: warnings only, no progress
    expect(existsSync(join(headersDir, 'v9.1/iommufd_test.h'))).toBe(true);
  });

  it('a header the generator cannot load: exit 1, located message, nothing written', () => {
    const bad = join(tmp, 'bad.h');
    writeFileSync(bad, 'struct s { int a[-1]; };\n');
    const r = run('--version', '9.2', '--file', bad);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/:\d+:\d+: /);
    expect(existsSync(join(headersDir, 'v9.2'))).toBe(false);
    expect(sources()).toBe(original);
  });

  it.each([
    [['--file', V73], /needs --version/],
    [['--version', '9.1'], /exactly one of --file PATH, --tree DIR, --deb VERSION/],
    [['--version', '9.1', '--file', V73, '--tree', tmp], /exactly one of/],
    [['--version', 'nine', '--file', V73], /not a kernel version/],
    [['--version', '9.1', '--file', V73, '--header', '../evil.h'], /must be a relative path/],
    [['--version', '9.1', '--file', join(tmp, 'missing.h')], /no such file/],
    [['--version', '9.1', '--tree', join(tmp, 'missing')], /no such folder/],
    [['--version', '9.1', '--tree', tmp], /neither a kernel source tree/],
    [['--version', '9.1', '--deb', 'not a version'], /not a Debian version/],
    [['--version', '9.1', V73], /no positional arguments/],
  ])('usage error %j exits 2', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(sources()).toBe(original);
  });
});

// The sed rules of scripts/headers_install.sh, verbatim, for sed itself to run.
const SED_RULES = `
	s/([[:space:](])(__user|__force|__iomem)[[:space:]]/\\1/g
	s/__attribute_const__([[:space:]]|$)/\\1/g
	s@^#include <linux/compiler(|_types).h>@@
	s/(^|[^a-zA-Z0-9])__packed([^a-zA-Z0-9_]|$)/\\1__attribute__((packed))\\2/g
	s/(^|[[:space:](])(inline|asm|volatile)([[:space:](]|$)/\\1__\\2__\\3/g
	s@#(ifndef|define|endif[[:space:]]*/[*])[[:space:]]*_UAPI@#\\1 @
`;

const KERNEL_ONLY = `
#ifdef __KERNEL__
#include <linux/compiler.h>
struct widget_kernel_only { int x; };
#else
#define WIDGET_USER_ONLY 1
#endif /* __KERNEL__ */
#ifndef __KERNEL__
#define WIDGET_USER_TOO 2
#endif
#if defined(__EXPORTED_HEADERS__)
#define WIDGET_EXPORTED 3
#endif
#if !defined(__KERNEL__)
#if 1
#define WIDGET_NESTED 4
#endif
#endif
`;

/** The 7.3 header as a kernel tree holds it, plus the things headers_install rewrites. */
function treeHeader(): string {
  return readFileSync(V73, 'utf8').replace(
    /#endif\s*$/,
    `struct widget_user {
	void __user *ptr;
	__u32 __force flags;
	__u32 __iomem  *io;
	__u32 packed_field __packed;
};
static inline int widget_inline(void) { return 0; }
#define WIDGET_VOLATILE(x) (*(volatile int *)&(x))
${KERNEL_ONLY}
#endif /* _UAPI_IOMMUFD_H */
`,
  );
}

describe('import --tree', () => {
  it('headers_install.sh: the sed rules give what sed gives', () => {
    const input = treeHeader().replace(KERNEL_ONLY, '\n');
    const sed = execFileSync('sed', ['-E', '-e', SED_RULES], { input, encoding: 'utf8' });
    const ours = headersInstall(input, 'x.h');
    expect(ours.text).toBe(sed);
    expect(ours.notes).toEqual([
      '__user/__force/__iomem removed (3 lines)',
      '__packed spelled __attribute__((packed)) (1 line)',
      'inline/asm/volatile spelled __inline__/__asm__/__volatile__ (2 lines)',
      '_UAPI include guard renamed (3 lines)',
    ]);
  });

  it('headers_install.sh: #ifdef __KERNEL__ sections removed as unifdef -U__KERNEL__ -D__EXPORTED_HEADERS__ does', () => {
    const out = headersInstall(KERNEL_ONLY, 'x.h');
    expect(out.text).toBe('\n#define WIDGET_USER_ONLY 1\n#define WIDGET_USER_TOO 2\n#define WIDGET_EXPORTED 3\n#if 1\n#define WIDGET_NESTED 4\n#endif\n');
    expect(() => headersInstall('#if defined(__KERNEL__) && X\n#endif\n', 'y.h')).toThrow(/y\.h:1: .*make headers_install/);
  });

  it('from a kernel source tree: include/uapi/<header>, processed as headers_install does, said so in SOURCES.md', () => {
    const tree = join(tmp, 'linux-9.3.1');
    mkdirSync(join(tree, 'include/uapi/linux'), { recursive: true });
    writeFileSync(join(tree, 'Makefile'), 'VERSION = 9\nPATCHLEVEL = 3\nSUBLEVEL = 1\nEXTRAVERSION =\nNAME = Test\n');
    writeFileSync(join(tree, 'include/uapi/linux/iommufd.h'), treeHeader());
    const r = run('--version', '9.3', '--tree', tree);
    expect(r.status).toBe(0);
    const out = readFileSync(join(headersDir, 'v9.3/linux/iommufd.h'), 'utf8');
    expect(out).not.toMatch(/__user|__force|__iomem|__KERNEL__|widget_kernel_only|_UAPI_/);
    expect(out).toContain('void *ptr;');
    expect(out).toContain('#ifndef _IOMMUFD_H\n#define _IOMMUFD_H\n'); // as the installed 6.12 header has it
    expect(out).toContain('#define WIDGET_USER_ONLY 1');
    const row = sources().split('\n').find((l) => l.startsWith('| v9.3/'))!;
    expect(row).toContain('| include/uapi/linux/iommufd.h, Linux 9.3, as headers_install installs it |');
    expect(row).toContain(`kernel source tree ${tree} (Makefile: 9.3.1), include/uapi/linux/iommufd.h`);
    expect(row).toContain('processed as scripts/headers_install.sh does: __user/__force/__iomem removed (3 lines);');
    expect(row).toMatch(/#ifdef __KERNEL__ sections removed/);
  });

  it('from a headers_install output folder: include/<header> as it is', () => {
    const inst = join(tmp, 'hdr-install');
    mkdirSync(join(inst, 'include/linux'), { recursive: true });
    copyFileSync(V612, join(inst, 'include/linux/iommufd.h'));
    const r = run('--version', '6.12.1', '--tree', inst);
    expect(r.status).toBe(0);
    expect(readFileSync(join(headersDir, 'v6.12.1/linux/iommufd.h'), 'utf8')).toBe(readFileSync(V612, 'utf8'));
    expect(sources()).toContain(`| v6.12.1/linux/iommufd.h | linux/iommufd.h, Linux 6.12.1, as installed by headers_install | make headers_install output ${inst}, include/linux/iommufd.h (sha256 `);
  });

  it('brings what the header includes that the folder holds (kvm.h: asm/kvm.h, stddef.h...), never the built-in types', () => {
    const inst = join(tmp, 'hdr-install-kvm');
    const V73 = join(ROOT, 'headers/v7.3');
    for (const h of ['linux/kvm.h', 'asm/kvm.h', 'linux/stddef.h', 'linux/const.h', 'linux/bits.h']) {
      mkdirSync(join(inst, 'include', h, '..'), { recursive: true });
      copyFileSync(join(V73, h), join(inst, 'include', h));
    }
    // A types.h that would not load: import must not bring it (the model's own types are used).
    writeFileSync(join(inst, 'include/linux/types.h'), 'this is not C\n');
    const r = run('--version', '7.3.9', '--tree', inst, '--header', 'linux/kvm.h');
    expect(r.status, r.stderr).toBe(0);
    for (const h of ['asm/kvm.h', 'linux/stddef.h', 'linux/const.h', 'linux/bits.h']) {
      expect(readFileSync(join(headersDir, 'v7.3.9', h), 'utf8')).toBe(readFileSync(join(V73, h), 'utf8'));
      expect(sources()).toContain(`| v7.3.9/${h} | ${h}, Linux 7.3.9, included by linux/kvm.h | make headers_install output ${inst}, include/${h}; imported `);
    }
    expect(existsSync(join(headersDir, 'v7.3.9/linux/types.h'))).toBe(false);
    // Again: all there with the same text.
    const again = run('--version', '7.3.9', '--tree', inst, '--header', 'linux/kvm.h');
    expect(again.stdout).toMatch(/^unchanged/);
  });
});

describe('import --deb (the real Debian archive)', () => {
  it('linux-libc-dev 6.12.117-1 gives the repository\'s own v6.12 header, byte for byte', (ctx) => {
    const probe = spawnSync('getent', ['hosts', 'deb.debian.org'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.status !== 0) {
      console.log('skipped: deb.debian.org does not resolve (no network)');
      ctx.skip();
    }
    const r = run('--version', '6.12', '--deb', '6.12.117-1');
    if (r.status !== 0 && /Could not resolve|Failed to fetch|Temporary failure|Unable to connect|Version '6\.12\.117-1' for 'linux-libc-dev' was not found/.test(r.stderr)) {
      console.log(`skipped: the archive did not provide linux-libc-dev 6.12.117-1:\n${r.stderr.split('\n').slice(-5).join('\n')}`);
      ctx.skip();
    }
    expect(r.stderr).toContain('$ apt-get -q download linux-libc-dev=6.12.117-1'); // progress
    expect(r.status).toBe(0);
    expect(readFileSync(join(headersDir, 'v6.12/linux/iommufd.h'), 'utf8')).toBe(readFileSync(V612, 'utf8'));
    expect(sources()).toMatch(/\| v6\.12\/linux\/iommufd\.h \| linux\/iommufd\.h, Linux 6\.12, as installed by headers_install \| Debian package linux-libc-dev 6\.12\.117-1 \(linux-libc-dev_6\.12\.117-1_\w+\.deb, sha256 [0-9a-f]{16}\), usr\/include\/linux\/iommufd\.h;/);
  }, 180_000); // past run()'s own 120 s limit, so a stuck download fails with its output, not the test's timeout
});
