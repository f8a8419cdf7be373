// `uapi-ts generate --target T [--target T2 ...]`: a package that carries a layout for each named target, from a
// header and from a UAPI tree (each target's asm/ from the tree's multiarch folder). The package is built and loaded
// under a faked host (process.arch and os.endianness stood in for after koffi has loaded, as the consumer test
// does), and what it encodes there is what that target's gcc lays out (compiled only; test/lib/cross-object.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCrossCompiler, objectsOf } from './lib/cross-object.js';

const ROOT = resolve('.');
const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-gen-targets-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['generator/bin/uapi-ts.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Compiles a generated package to dist/ against the repository's runtime and koffi. */
function build(pkg: string): void {
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', pkg], { encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
}

/** Runs `code` (an ES module) in the package's folder on a faked host. */
function onHost(pkg: string, arch: string, endianness: 'LE' | 'BE', code: string): { status: number | null; stdout: string; stderr: string } {
  writeFileSync(join(pkg, 'fake-host.mjs'), [
    "import 'koffi';",
    "import os from 'node:os';",
    "import { syncBuiltinESMExports } from 'node:module';",
    "Object.defineProperty(process, 'arch', { value: process.env.FAKE_ARCH });",
    'os.endianness = () => process.env.FAKE_ENDIANNESS;',
    'syncBuiltinESMExports();',
  ].join('\n'));
  const env = { ...process.env, FAKE_ARCH: arch, FAKE_ENDIANNESS: endianness };
  const r = spawnSync(process.execPath, ['--import', './fake-host.mjs', '--input-type=module', '-e', code], { cwd: pkg, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('generate --target', () => {
  it('is a usage error for an unknown target (listing the known ones), a target given twice, or with the config', () => {
    const h = join(tmp, 'one.h');
    writeFileSync(h, 'struct one { int a; };\n');
    const unknown = run('generate', h, '--out', join(tmp, 'never'), '--target', 'vax');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^uapi-ts: unknown target 'vax'; known targets: x86_64, aarch64, riscv64, ppc64le, s390x, i386, arm, powerpc, mips, sparc64, alpha\n$/);
    const twice = run('generate', h, '--out', join(tmp, 'never'), '--target', 'i386', '--target', 'i386');
    expect(twice.status).toBe(2);
    expect(twice.stderr).toBe('uapi-ts: generate: --target i386 is given twice\n');
    const config = run('generate', '--target', 'i386');
    expect(config.status).toBe(2);
    expect(config.stderr).toContain('--target goes with HEADER arguments or --tree');
    expect(readdirSync(tmp)).not.toContain('never');
  });

  const TWO = `#include <linux/types.h>
#include <linux/ioctl.h>
struct two_arg { long a; __u32 b; __u64 c; };
#define TWO_GET _IOR('t', 1, struct two_arg)
#define TWO_SIZE sizeof(struct two_arg)
#define TWO_ONES (~0UL)
`;
  const probe = (h: string): string => `#include "${h}"
PROBE struct two_arg arg = { .a = -2, .b = 3, .c = 0x1122334455667788ULL };
PROBE unsigned long long facts[] = { TWO_GET, sizeof(struct two_arg), TWO_SIZE, TWO_ONES };`;
  const PROGRAM = `
import { TwoArg, TWO_GET, TWO_SIZE, TWO_ONES } from './dist/index.js';
const bytes = TwoArg.encode({ a: -2n, b: 3, c: 0x1122334455667788n });
const back = TwoArg.decode(bytes);
console.log(JSON.stringify({
  bytes: Buffer.from(bytes).toString('hex'), request: TWO_GET, size: TwoArg.size, a: typeof back.a, c: typeof back.c,
  sizeConstant: TWO_SIZE, ones: String(TWO_ONES), onesType: typeof TWO_ONES,
}));`;

  it('HEADER --target x86_64 --target i386: a layout for each, the host\'s picked at load (gcc\'s bytes and constants on each)', () => {
    const h = join(tmp, 'two.h');
    writeFileSync(h, TWO);
    const out = join(tmp, 'two-out');
    const r = run('generate', h, '--out', out, '--target', 'x86_64', '--target', 'i386');
    expect(r.status, r.stderr).toBe(0);
    const pkg = join(out, 'two');
    expect(readdirSync(join(pkg, 'src', 'abi'))).toEqual(['i386']);
    build(pkg);
    for (const [arch, triplet] of [['x64', 'x86_64-linux-gnu'], ['ia32', 'i686-linux-gnu']] as const) {
      if (!hasCrossCompiler(triplet)) {
        console.warn(`skipped ${arch}: no ${triplet}-gcc (Debian: gcc-${triplet})`);
        continue;
      }
      const got = onHost(pkg, arch, 'LE', PROGRAM);
      expect(got.stderr).toBe('');
      const gcc = objectsOf(triplet, probe(h));
      const facts = new DataView(gcc.get('facts')!.buffer);
      expect(JSON.parse(got.stdout)).toEqual({
        bytes: hex(gcc.get('arg')!),
        request: Number(facts.getBigUint64(0, true)),
        size: Number(facts.getBigUint64(8, true)),
        a: 'bigint', // a long: 4 bytes on i386, a bigint on both
        c: 'bigint',
        // The host's constants module: its values, in the package's one type (~0UL is a bigint on i386 too).
        sizeConstant: Number(facts.getBigUint64(16, true)),
        ones: String(facts.getBigUint64(24, true)),
        onesType: 'bigint',
      });
    }
    const arm64 = onHost(pkg, 'arm64', 'LE', "await import('./dist/index.js');");
    expect(arm64.status).toBe(1);
    expect(arm64.stderr).toContain('Error: two has no layout for this host (arm64, little-endian: aarch64); it holds layouts for x86_64, i386.');
  }, 120_000);

  it('--tree DIR --target x86_64 --target aarch64: each target\'s asm/ from the tree\'s multiarch folder', () => {
    const tree = join(tmp, 'tree');
    mkdirSync(join(tree, 'linux'), { recursive: true });
    writeFileSync(join(tree, 'linux', 'dev.h'), "#include <linux/types.h>\n#include <linux/ioctl.h>\n#include <asm/dev.h>\nstruct dev_arg { struct dev_arch arch; __u32 n; };\n#define DEV_GET _IOR('d', 1, struct dev_arg)\n");
    // The same names, another layout per architecture (as asm/ headers do).
    for (const [folder, type] of [['x86_64-linux-gnu', '__u32'], ['aarch64-linux-gnu', '__u16']] as const) {
      mkdirSync(join(tree, folder, 'asm'), { recursive: true });
      writeFileSync(join(tree, folder, 'asm', 'dev.h'), `#include <linux/types.h>\nstruct dev_arch { ${type} x; ${type} y; };\n`);
    }
    const out = join(tmp, 'tree-out');
    const missing = run('generate', '--tree', tree, '--out', out, '--target', 'x86_64', '--target', 'i386');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`--tree ${tree}: no i386-linux-gnu/ folder for --target i386`);
    const r = run('generate', '--tree', tree, '--out', out, '--target', 'x86_64', '--target', 'aarch64', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const pkg = join(out, 'dev');
    expect(readdirSync(join(pkg, 'src', 'abi'))).toEqual(['aarch64']);
    build(pkg);
    const PROGRAM_DEV = `
import { DevArg, DEV_GET } from './dist/index.js';
const bytes = DevArg.encode({ arch: { x: 1, y: 2 }, n: 3 });
console.log(JSON.stringify({ bytes: Buffer.from(bytes).toString('hex'), request: DEV_GET, size: DevArg.size }));`;
    for (const [arch, triplet, folder] of [['x64', 'x86_64-linux-gnu', 'x86_64-linux-gnu'], ['arm64', 'aarch64-linux-gnu', 'aarch64-linux-gnu']] as const) {
      if (!hasCrossCompiler(triplet)) {
        console.warn(`skipped ${arch}: no ${triplet}-gcc (Debian: gcc-${triplet})`);
        continue;
      }
      const got = onHost(pkg, arch, 'LE', PROGRAM_DEV);
      expect(got.stderr).toBe('');
      const gcc = objectsOf(triplet, `#include <linux/dev.h>
PROBE struct dev_arg arg = { .arch = { .x = 1, .y = 2 }, .n = 3 };
PROBE unsigned long long facts[] = { DEV_GET, sizeof(struct dev_arg) };`, [join(tree, folder), tree]);
      const facts = new DataView(gcc.get('facts')!.buffer);
      expect(JSON.parse(got.stdout)).toEqual({ bytes: hex(gcc.get('arg')!), request: Number(facts.getBigUint64(0, true)), size: Number(facts.getBigUint64(8, true)) });
    }
  }, 120_000);
});

describe('generate --target x86_64 --target i386 with a user pointer in an unsigned long', () => {
  it('takes a pointer on both (an unsigned long is 4 bytes on i386, still a user pointer), one type', () => {
    const h = join(tmp, 'ptr.h');
    writeFileSync(h, '#include <linux/types.h>\n/**\n * struct ptr_arg - a buffer\n * @userptr: pointer to the buffer\n * @length: its length\n */\nstruct ptr_arg {\n\tunsigned long userptr;\n\t__u32 length;\n};\n');
    const out = join(tmp, 'ptr-out');
    const r = run('generate', h, '--out', out, '--target', 'x86_64', '--target', 'i386', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const pkg = join(out, 'ptr');
    build(pkg);
    const got = onHost(pkg, 'ia32', 'LE', `
import { PtrArg } from './dist/index.js';
const ok = PtrArg.encode({ userptr: 0x12345678n, length: 4 });
let refused = '';
try { PtrArg.encode({ userptr: 0x100000000n }); } catch (e) { refused = e.message; }
console.log(JSON.stringify({ ok: Buffer.from(ok).toString('hex'), refused }));`);
    expect(got.stderr).toBe('');
    const gcc = hasCrossCompiler('i686-linux-gnu') ? hex(objectsOf('i686-linux-gnu', `#include "${h}"\nPROBE struct ptr_arg arg = { .userptr = 0x12345678, .length = 4 };`).get('arg')!) : '7856341204000000';
    expect(JSON.parse(got.stdout)).toEqual({ ok: gcc, refused: 'ptr_arg.userptr: 4294967296 is out of range for a 32-bit pointer' });
  }, 120_000);
});

// A package serves all its targets with one set of names and types; a header that differs per target is refused,
// located, naming the targets and what differs (emit/targets-names.ts, emit/targets-types.ts, plan/targets.ts).
describe('generate for targets a header differs on', () => {
  const generate = (name: string, text: string, ...args: string[]) => {
    const h = join(tmp, name);
    writeFileSync(h, text);
    const r = run('generate', h, '--out', join(tmp, 'refused'), ...args);
    expect(r.stdout).toBe('');
    expect(readdirSync(tmp)).not.toContain('refused');
    return { status: r.status, stderr: r.stderr.replace(/^[^:]*\//, '') }; // the file's folder, as the CLI spells it
  };

  it('refuses other declarations per target, at the first one, naming both sides', () => {
    const r = generate('names.h', '#include <linux/types.h>\nstruct common { __u32 a; };\n#ifdef __x86_64__\nstruct only_x86 { __u32 a; };\n#define ONLY_X86 1\n#else\nstruct only_other { __u32 a; };\n#endif\n', '--target', 'x86_64', '--target', 'aarch64', '--target', 'riscv64');
    expect(r).toEqual({
      status: 1,
      stderr: 'names.h:4:1: the header declares other names for aarch64, riscv64 than for x86_64: only for x86_64: ONLY_X86 (names.h:5), struct only_x86 (names.h:4); only for aarch64, riscv64: struct only_other (names.h:7); one package cannot serve both: generate a package per set of targets (--target, or "targets" in the config)\n',
    });
  });

  it('refuses a struct with other fields per target, at the struct', () => {
    const r = generate('fields.h', '#include <linux/types.h>\nstruct regs {\n#ifdef __i386__\n\t__u32 eax;\n#else\n\t__u64 rax;\n#endif\n\t__u32 flags;\n};\n', '--target', 'x86_64', '--target', 'i386');
    expect(r).toEqual({
      status: 1,
      stderr: 'fields.h:2:1: struct regs has other fields for i386 than for x86_64 (only for x86_64: rax; only for i386: eax); one package cannot serve both: generate a package per set of targets (--target, or "targets" in the config)\n',
    });
  });

  it('refuses a field whose type cannot be one across targets (16 bits on one, 64 on another)', () => {
    const r = generate('types.h', '#include <linux/types.h>\nstruct odd {\n#ifdef __i386__\n\t__u16 v;\n#else\n\t__u64 v;\n#endif\n};\n', '--target', 'x86_64', '--target', 'i386');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('types.h:6:8: Odd.v has a different TypeScript type per target (bigint / bigint | number on x86_64; number / number on i386): one package cannot give it one type\n');
  });

  it('refuses to lay several targets out from one architecture\'s asm/ folder (headers_install, headers/v7.3)', () => {
    const flat = join(tmp, 'flat');
    mkdirSync(join(flat, 'asm'), { recursive: true });
    writeFileSync(join(flat, 'asm', 'regs.h'), '#include <linux/types.h>\nstruct arch_regs { __u64 r[2]; };\n');
    const r = generate('uses-flat.h', '#include <asm/regs.h>\nstruct uses { struct arch_regs regs; };\n', '-I', flat, '--target', 'x86_64', '--target', 'aarch64');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `regs.h:2:1: asm/regs.h is read from ${relative('.', flat)}/asm for x86_64, aarch64: that folder holds one architecture's asm/, and a package of several targets needs each target's own (-I a tree with <multiarch>/asm folders, such as Debian's usr/include: x86_64-linux-gnu/asm, aarch64-linux-gnu/asm), or to be generated for the one target that asm/ is for\n`,
    );
    // One target: the folder is taken to be that target's.
    const one = run('generate', join(tmp, 'uses-flat.h'), '-I', flat, '--out', join(tmp, 'flat-out'), '--target', 'aarch64', '--quiet');
    expect(one.status, one.stderr).toBe(0);
  });
});
