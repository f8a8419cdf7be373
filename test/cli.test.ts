// The command line as a user runs it: exit statuses, located diagnostics, no stack traces, atomic output.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['generator/bin/uapi-ts.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A folder that exists and refuses new entries: a read-only one of our own (outside `tmp`, whose listing the tests
 * compare); for root, whom no mode stops, sysfs's /sys/kernel, which refuses every user.
 */
function lockedFolder(): string {
  if (process.getuid?.() === 0) return '/sys/kernel';
  const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-locked-'));
  chmodSync(dir, 0o555);
  locked.push(dir);
  return dir;
}
const locked: string[] = [];
afterAll(() => {
  for (const dir of locked) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

function header(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe('uapi-ts CLI', () => {
  it('--help prints usage and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('uapi-ts generate');
    expect(r.stdout).toContain('uapi-ts ir');
  });

  it('npx uapi-ts runs the repository\'s own generator (the README\'s command)', () => {
    const r = spawnSync('npx', ['--no-install', 'uapi-ts', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('uapi-ts generate');
  });

  it.each([
    [['frobnicate'], /unknown command/],
    [['ir'], /exactly one HEADER/],
    [['ir', 'a.h', '--bogus'], /unknown option --bogus/],
    [['generate', 'a.h'], /needs --out/],
    [['ir', 'a.h', '-I'], /-I needs a value/],
    [['generate', '--config', 'missing.json'], /no config file/],
  ])('usage error %j exits 2', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('--version prints the tool version, from its package.json', () => {
    const r = run('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`uapi-ts ${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}\n`);
  });

  // Output folders that cannot be: each a one-line error naming the place, exit 1, no stack trace, no hang
  // (Node's recursive mkdir spins forever under /proc), and nothing written.
  it.each([
    ['an --out that is a file', (f: string) => f, /is a file, not a folder/],
    ['an --out under a file', (f: string) => join(f, 'sub'), /is a file, not a folder/],
    ['an --out that cannot be created', () => '/proc/uapi-ts-nope/out', /cannot create \/proc\/uapi-ts-nope: ENOENT/],
    ['an --out that is not writable', () => lockedFolder(), /cannot create .*\.uapi-ts-new: (EACCES|EPERM)/],
  ])('%s is an error before anything is written', (_what, outOf, message) => {
    const file = header('not-a-folder', 'x');
    const good = header('good-out.h', '#include <linux/types.h>\nstruct g { __u32 x; };\n');
    const before = readdirSync(tmp).sort();
    const r = spawnSync(process.execPath, ['generator/bin/uapi-ts.js', 'generate', good, '--out', outOf(file), '-q'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/nothing was written/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(tmp).sort()).toEqual(before);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('a folder given as the header, an -I that names nothing, an empty header: said, located', () => {
    const dir = join(tmp, 'a-folder.h');
    mkdirSync(dir, { recursive: true });
    const folder = run('ir', dir);
    expect(folder.status).toBe(1);
    expect(folder.stderr).toMatch(/a-folder\.h:1:1: is a folder, not a header file/);
    const empty = header('empty.h', '/* nothing here */\n');
    const r = run('ir', empty, '-I', join(tmp, 'no-such-dir'));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`uapi-ts: warning: -I ${join(tmp, 'no-such-dir')}: no such folder; ignored`);
    expect(r.stderr).toMatch(/empty\.h:1:1: warning: the header declares no struct, union, enum, integer constant or ioctl/);
  });

  it('--quiet gives a count of the warnings instead of each', () => {
    const out = join(tmp, 'quiet-out');
    const loud = run('generate', 'headers/v7.3/linux/iommufd.h', '-I', 'headers/v7.3', '--out', out);
    const warnings = loud.stderr.split('\n').filter((l) => / warning: /.test(l)).length;
    expect(warnings).toBeGreaterThan(0);
    const quiet = run('generate', 'headers/v7.3/linux/iommufd.h', '-I', 'headers/v7.3', '--out', out, '--quiet');
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe(`uapi-ts: ${warnings} warnings (run without --quiet to see them)\n`);
  });

  it('ir prints the model of the 7.3 header as JSON with the documented fields', () => {
    const r = run('ir', 'headers/v7.3/linux/iommufd.h', '--profile', 'headers/iommufd.profile.json');
    expect(r.status).toBe(0);
    const ir = JSON.parse(r.stdout);
    const destroy = ir.ioctls.find((i: { name: string }) => i.name === 'IOMMU_DESTROY');
    // _IO(';', 0x80): the header's own definition, with ';' = 0x3b
    expect(destroy).toMatchObject({ request: String((0x3b << 8) | 0x80), dir: 'none', type: 0x3b, nr: 0x80, size: 0, arg: 'iommu_destroy' });
    const map = ir.records.find((r: { name: string }) => r.name === 'iommu_ioas_map');
    expect(map.fields.map((f: { name: string }) => f.name)).toEqual(['size', 'flags', 'ioas_id', '__reserved', 'user_va', 'length', 'iova']);
    expect(ir.enums.find((e: { name: string }) => e.name === 'iommufd_ioas_map_flags').values).toEqual([
      { name: 'IOMMU_IOAS_MAP_FIXED_IOVA', value: '1' },
      { name: 'IOMMU_IOAS_MAP_WRITEABLE', value: '2' },
      { name: 'IOMMU_IOAS_MAP_READABLE', value: '4' },
    ]);
    expect(ir.constants).toContainEqual({ name: 'IOMMUFD_TYPE', value: String(';'.charCodeAt(0)), ctype: 'int' });
  });

  it('ir --target lays the header out for that ABI and says which; an unknown target is a usage error listing the known ones', () => {
    const h = header('abi.h', '#include <linux/ioctl.h>\nstruct abi_s { char c; long l; long long ll; };\n#define ABI_RW _IOWR(\'x\', 1, struct abi_s)\n#define ABI_NONE _IO(\'x\', 2)\n');
    const ir = (target: string) => {
      const r = run('ir', h, '--target', target);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { target: { name: string; endian: string }; records: { size: number; fields: { name: string; offset: number }[] }[]; ioctls: { name: string; request: string; dir: string }[] };
    };
    const request = (m: ReturnType<typeof ir>, name: string) => Number(m.ioctls.find((i) => i.name === name)!.request);
    const x86 = ir('x86_64');
    expect(x86.target).toMatchObject({ name: 'x86_64', endian: 'little' });
    expect(x86.records[0]!.size).toBe(24);
    // asm-generic/ioctl.h: dir (read|write = 3) << 30 | size << 16 | type << 8 | nr; _IO's dir is 0.
    expect(request(x86, 'ABI_RW')).toBe(((3 << 30) >>> 0) + (24 << 16) + (0x78 << 8) + 1);
    expect(request(x86, 'ABI_NONE')).toBe((0x78 << 8) + 2);
    const i386 = ir('i386');
    // i386: long is 4 bytes and long long aligned to 4 inside a record.
    expect(i386.records[0]!.fields.map((f) => f.offset)).toEqual([0, 4, 8]);
    expect(i386.records[0]!.size).toBe(16);
    const ppc = ir('powerpc');
    expect(ppc.target).toMatchObject({ name: 'powerpc', endian: 'big' });
    // arch/powerpc/include/uapi/asm/ioctl.h: 13 size bits, 3 direction bits, _IOC_NONE 1, _IOC_READ|_IOC_WRITE 6.
    expect(request(ppc, 'ABI_RW')).toBe(((6 << 29) >>> 0) + (16 << 16) + (0x78 << 8) + 1);
    expect(request(ppc, 'ABI_NONE')).toBe(((1 << 29) >>> 0) + (0x78 << 8) + 2);
    expect(ppc.ioctls.map((i) => i.dir)).toEqual(['read-write', 'none']);
    // An installed tree keeps each target's asm/ in its multiarch folder: -I TREE finds the target's.
    const tree = join(tmp, 'tree');
    for (const [arch, type] of [['s390x-linux-gnu', 'long'], ['i386-linux-gnu', 'short']] as const) {
      mkdirSync(join(tree, arch, 'asm'), { recursive: true });
      writeFileSync(join(tree, arch, 'asm', 'abi.h'), `struct abi_arch { ${type} x; };\n`);
    }
    const uses = header('uses-asm.h', '#include <asm/abi.h>\nstruct abi_use { struct abi_arch a; };\n');
    const sizeOn = (target: string) => {
      const r = run('ir', uses, '-I', tree, '--target', target);
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { records: { size: number }[] }).records[0]!.size;
    };
    expect(sizeOn('s390x')).toBe(8);
    expect(sizeOn('i386')).toBe(2);
    expect(run('ir', uses, '-I', tree, '--target', 'arm').stderr).toMatch(/cannot find <asm\/abi\.h>/);
    const bad = run('ir', h, '--target', 'vax');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown target 'vax'; known targets: x86_64, aarch64, .*alpha/);
  });

  it.each([
    ['bad.h', '#include <linux/types.h>\nstruct a {\n  __u32 x;\n  __nope y;\n};\n', /bad\.h:4:3: unknown type name '__nope'/],
    ['pragma.h', '#pragma GCC visibility push(default)\nstruct a { int x; };\n', /pragma\.h:1:1: unsupported #pragma/],
    ['syntax.h', 'struct a { int x; \n', /syntax\.h:\d+:\d+: /],
    ['inc.h', '#include <linux/nonexistent.h>\n', /inc\.h:1:1: cannot find <linux\/nonexistent\.h>/],
    ['self.h', 'struct a { struct a inner; };\n', /self\.h:1:\d+: struct a is not defined/],
  ])('input error in %s exits 1 with file:line:col', (name, text, message) => {
    const r = run('ir', header(name, text));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('a failed generate leaves the previous output untouched', () => {
    const out = join(tmp, 'out');
    const good = header('good.h', '#include <linux/types.h>\nstruct good { __u32 a; };\n');
    expect(run('generate', good, '--out', out, '-q').status).toBe(0);
    const before = readFileSync(join(out, 'good/src/records.ts'), 'utf8');
    writeFileSync(good, '#include <linux/types.h>\nstruct good { __u32 a; __bad b; };\n');
    const r = run('generate', good, '--out', out, '-q');
    expect(r.status).toBe(1);
    expect(readFileSync(join(out, 'good/src/records.ts'), 'utf8')).toBe(before);
    expect(existsSync(join(out, 'good.uapi-ts-new'))).toBe(false);
  });

  it('the bin file runs as an executable (its shell first line) and passes arguments through untouched', () => {
    const path = "/tmp/no such dir/it's $x \"q\".h";
    const r = spawnSync('./generator/bin/uapi-ts.js', ['ir', path], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${path}:1:1: no such header file\n`);
  });

  it('two headers that would share an output folder are a usage error, and nothing is written', () => {
    const out = join(tmp, 'same');
    const r = run('generate', 'headers/v6.6-rc1/linux/iommufd.h', 'headers/v7.3/linux/iommufd.h', '--out', out, '-q');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^uapi-ts: .*would both be written to .*same\/iommufd/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('two ioctls whose methods would share a name: the one that would take the other\'s keeps its whole name', () => {
    const out = join(tmp, 'clash');
    // IOMMU_MAP's throwing method is `map`, its errno-returning form `tryMap`: the method IOMMU_TRY_MAP would get.
    // FOO_V2 and BAR_V2 would both be `v2`.
    const h = header('clash.h', [
      '#include <linux/types.h>',
      '#include <linux/ioctl.h>',
      'struct clash_arg { __u32 size; __u32 id; };',
      "#define IOMMU_MAP _IOW('x', 1, struct clash_arg)",
      "#define IOMMU_TRY_MAP _IOW('x', 2, struct clash_arg)",
      "#define FOO_V2 _IOW('x', 3, struct clash_arg)",
      "#define BAR_V2 _IOW('x', 4, struct clash_arg)",
      '',
    ].join('\n'));
    const r = run('generate', h, '--out', out, '-q');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    const device = readFileSync(join(out, 'clash', 'src', 'ioctl.ts'), 'utf8');
    for (const m of ['map', 'tryMap', 'iommuTryMap', 'tryIommuTryMap', 'fooV2', 'barV2']) expect(device).toMatch(new RegExp(`\\b${m}\\(`));
    expect(device).not.toMatch(/\bv2\(/);
  });

  it.runIf(existsSync('/usr/include/x86_64-linux-gnu/sys/time.h'))('a libc header: not found without --system-includes (the flag named), read from the system with it, and its own declarations not warned about', () => {
    const h = header('libc.h', '#include <sys/time.h>\nstruct with_time { struct timeval tv; int n; };\n');
    const without = run('ir', h);
    expect(without.status).toBe(1);
    expect(without.stderr).toMatch(/libc\.h:1:1: cannot find <sys\/time\.h>: .*--system-includes/);
    const withFlag = run('ir', h, '--system-includes');
    expect(withFlag.stderr).not.toMatch(/\n\s+at /);
    expect(withFlag.status).toBe(0);
    expect(withFlag.stderr).toBe('');
    const model = JSON.parse(withFlag.stdout) as { records: { name: string; fields: { name: string; type: string }[] }[] };
    expect(model.records.map((r) => r.name)).toEqual(['with_time']);
    expect(model.records[0]!.fields.map((f) => f.type)).toEqual(['struct timeval', 'int']);
  });

  it('generate --tree makes a package per linux/*.h; one failing header writes nothing, unless --skip-failing', () => {
    const tree = join(tmp, 'tree');
    mkdirSync(join(tree, 'linux'), { recursive: true });
    writeFileSync(join(tree, 'linux', 'types.h'), '#ifndef _T\n#define _T\ntypedef unsigned int __u32;\n#endif\n');
    writeFileSync(join(tree, 'linux', 'good.h'), "#include <linux/types.h>\n#include <linux/ioctl.h>\nstruct good_arg { __u32 a; };\n#define GOOD_GET _IOR('g', 1, struct good_arg)\n");
    writeFileSync(join(tree, 'linux', 'bad.h'), '#include <linux/types.h>\nstruct bad { long double x; };\n');
    const out = join(tmp, 'tree-out');
    const failed = run('generate', '--tree', tree, '--out', out);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/bad\.h:2:\d+: 'long double' is not supported/);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    const skipped = run('generate', '--tree', tree, '--out', out, '--skip-failing');
    expect(skipped.status).toBe(0);
    expect(skipped.stderr).toMatch(/\[2\/3\] linux\/good\.h: 1 records, 0 enums, 0 constants, 1 ioctls/);
    expect(skipped.stderr).toMatch(/uapi-ts: 1 headers not generated/);
    expect(readdirSync(out).sort()).toEqual(['docs', 'good', 'types']); // docs/: the site over the packages
    expect(readFileSync(join(out, 'good', 'src', 'ioctls.ts'), 'utf8')).toContain('GOOD_GET');
    const hub = readFileSync(join(out, 'docs', 'index.html'), 'utf8');
    expect(hub).toContain('<a href="../good/docs/index.html">');
    expect(readFileSync(join(out, 'docs', 'search-index.js'), 'utf8')).toContain('"u":"../good/docs/ioctl-good_get.html"');
    expect(run('generate', '--tree', join(tmp, 'nowhere'), '--out', out).status).toBe(2);
  });

  it('generate HEADER --out writes a package and prints progress', () => {
    const out = join(tmp, 'pkg');
    mkdirSync(out, { recursive: true });
    const r = run('generate', 'headers/v7.3/iommufd_test.h', '-I', 'headers/v7.3', '--profile', 'headers/iommufd_test.profile.json', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/iommufd-test: 7 records, \d+ enums, \d+ constants, 1 ioctls/);
    const ioctls = readFileSync(join(out, 'iommufd-test/src/ioctls.ts'), 'utf8');
    // IOMMU_TEST_CMD = _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32) = _IO(0x3b, 0xa0)
    expect(ioctls).toContain(`export const IOMMU_TEST_CMD = 0x${((0x3b << 8) | 0xa0).toString(16)};`);
  });

  it('generated text names a header outside the working folder by its path inside its include folder', () => {
    const out = join(tmp, 'outside');
    const given = relative(process.cwd(), '/usr/include/linux/vfio.h'); // ../../usr/include/linux/vfio.h
    expect(given.startsWith('../')).toBe(true);
    const r = run('generate', given, '--out', out, '-q');
    expect(r.status).toBe(0);
    const pkg = join(out, 'vfio');
    expect(JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'))['uapi-ts'].header).toBe('linux/vfio.h');
    expect(readFileSync(join(pkg, 'README.md'), 'utf8')).toContain('for `linux/vfio.h`');
    const files = (readdirSync(pkg, { recursive: true }) as string[]).filter((f) => /\.(ts|json|md|html|js)$/.test(f));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(join(pkg, f), 'utf8');
      expect(text.includes('/usr/include'), `${f} names /usr/include`).toBe(false);
      expect(text.includes('../usr'), `${f} names ../usr`).toBe(false);
    }
    expect(readFileSync(join(pkg, 'src/ioctls.ts'), 'utf8')).toMatch(/Declared at linux\/vfio\.h:\d+\./);
  });
});
