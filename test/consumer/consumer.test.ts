// What a user does: `npm pack` the runtime and every generated package (packages/pack.mjs, as `npm run pack` does),
// install only those tarballs into a fresh project (koffi comes from npm's cache or the registry), compile against
// the installed .d.ts under `tsc --strict`, and run. The tarballs themselves are checked for what a package needs
// (built JavaScript, types, source maps, docs, LICENSE) and for anything that points back into this repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, no types
import { packAll } from '../../packages/pack.mjs';
import { hasCrossCompiler, objectsOf } from '../lib/cross-object.js';

interface Packed {
  readonly folder: string;
  readonly name: string;
  readonly version: string;
  readonly tarball: string;
  readonly files: readonly string[];
}

const config = JSON.parse(readFileSync('uapi-ts.config.json', 'utf8')) as { packages: { name: string; out: string }[] };
const tsc = resolve('node_modules/typescript/bin/tsc');
const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-consumer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function compile(project: string): void {
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    throw new Error(`tsc -p ${project} failed:\n${(e as { stdout?: string }).stdout ?? ''}`);
  }
}

const unescapeHtml = (t: string): string =>
  t.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

let packed: Packed[] = [];
/** The user's project: a fresh folder with only the tarballs installed. */
let app = '';

beforeAll(() => {
  packed = packAll(join(tmp, 'packs')) as Packed[];
  app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  const r = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packed.map((p) => p.tarball)], { cwd: app, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm install of the tarballs failed:\n${r.stderr}${r.stdout}`);
}, 600_000);

/** A tsconfig for a project of the user's, under --strict. */
function tsconfig(dir: string, options: object, include: string[]): void {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, ...options },
    include,
  }));
}

/** A tarball's text files, by path inside the package. */
function tarballTexts(tarball: string): Map<string, string> {
  const dir = mkdtempSync(join(tmp, 'unpacked-'));
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  const texts = new Map<string, string>();
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else texts.set(`${rel}${e.name}`, readFileSync(join(d, e.name), 'utf8'));
    }
  };
  walk(join(dir, 'package'), '');
  return texts;
}

describe('the tarballs', () => {
  it('hold built JavaScript, types and source maps for every source file, docs, README and LICENSE', () => {
    expect(packed.map((p) => p.folder)).toEqual(['packages/runtime', ...config.packages.map((p) => p.out)]);
    for (const p of packed) {
      const files = new Set(p.files);
      const sources = p.files.filter((f) => /^src\/.*\.ts$/.test(f));
      expect(sources.length, p.name).toBeGreaterThan(0);
      for (const s of sources) {
        const base = s.slice('src/'.length, -'.ts'.length);
        for (const built of [`dist/${base}.js`, `dist/${base}.d.ts`, `dist/${base}.js.map`]) expect(files.has(built), `${p.name}: ${built}`).toBe(true);
      }
      for (const f of ['package.json', 'README.md', 'LICENSE']) expect(files.has(f), `${p.name}: ${f}`).toBe(true);
      if (p.folder !== 'packages/runtime') expect(files.has('docs/index.html'), `${p.name}: docs/index.html`).toBe(true);
    }
  });

  it('name their licenses: MIT for the runtime, the header\'s GPL-2.0 WITH Linux-syscall-note for generated packages', () => {
    for (const p of packed) {
      const texts = tarballTexts(p.tarball);
      const license = JSON.parse(texts.get('package.json')!).license as string;
      if (p.folder === 'packages/runtime') {
        expect(license).toBe('MIT');
        expect(texts.get('LICENSE')).toMatch(/^MIT License/);
      } else {
        expect(license).toBe('GPL-2.0 WITH Linux-syscall-note');
        expect(texts.get('LICENSE')).toContain('SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note');
        expect(texts.get('LICENSE')).toContain('syscall note');
      }
    }
  });

  it('point nowhere outside themselves: no machine path, every relative link and source map inside the package', () => {
    const machine = [resolve('.'), tmpdir(), '/home/', '/root/', '/usr/include'];
    const contents = new Map(packed.map((p) => [p.name, tarballTexts(p.tarball)]));
    // A docs page may link a sibling package of the scope (profile `related`): node_modules/@scope/<name>/docs/...
    const sibling = (path: string, link: string): boolean => {
      const m = /^\.\.\/\.\.\/([a-z0-9.-]+)\/(docs\/[^#?]+\.html)(?:#.*)?$/.exec(link);
      if (!m || !path.startsWith('docs/') || path.slice(5).includes('/')) return false;
      const other = contents.get(`@uapi-ts/${m[1]}`);
      expect(other?.has(m[2]!), `${path} links to ${link}, not in @uapi-ts/${m[1]}`).toBe(true);
      return true;
    };
    for (const p of packed) {
      const texts = contents.get(p.name)!;
      for (const [path, text] of texts) {
        for (const m of machine) expect(text.includes(m), `${p.name}/${path} contains ${m}`).toBe(false);
        const links = [
          ...[...text.matchAll(/\]\((?!https?:|#)([^)\s]+)\)/g)].map((m) => m[1]!), // markdown links
          ...(path.endsWith('.html') ? [...text.matchAll(/(?:href|src)="(?!https?:|#|data:)([^"]+)"/g)].map((m) => m[1]!) : []),
          ...(path.endsWith('.map') ? (JSON.parse(text) as { sources: string[] }).sources : []),
          ...[...text.matchAll(/from '(\.[^']+)'/g)].map((m) => m[1]!), // relative imports
        ];
        for (const link of links) {
          if (sibling(path, link)) continue;
          const target = posix.normalize(posix.join(posix.dirname(path), link.replace(/[#?].*$/, '')));
          expect(target.startsWith('../'), `${p.name}/${path} links outside the package: ${link}`).toBe(false);
          const file = target.endsWith('.js') && path.startsWith('src/') ? target.replace(/\.js$/, '.ts') : target;
          expect(texts.has(file) || texts.has(`${file}/index.html`), `${p.name}/${path} links to ${link}, not in the package`).toBe(true);
        }
      }
      const deps = JSON.parse(texts.get('package.json')!).dependencies as Record<string, string>;
      for (const v of Object.values(deps)) expect(v).not.toMatch(/^(file:|link:|\.|\/)/);
    }
  });
});

describe('a consumer project with only the tarballs installed', () => {
  it('each installed package carries its build (dist/index.js), made by its prepack under strict', () => {
    for (const pkg of config.packages) expect(JSON.parse(readFileSync(join(pkg.out, 'tsconfig.json'), 'utf8')).compilerOptions.strict).toBe(true);
    for (const pkg of config.packages) expect(readdirSync(join(app, 'node_modules', pkg.name, 'dist'))).toContain('index.js');
  });

  it('imports @uapi-ts/iommufd-v7.3 and @uapi-ts/iommufd-test-v7.3 by name, compiles under --strict and runs', () => {
    tsconfig(app, { outDir: 'out', skipLibCheck: false, types: [] }, ['main.ts']);
    writeFileSync(join(app, 'main.ts'), `
import { IommuIoasMap, IOMMU_IOAS_MAP, IommufdIoasMapFlags, IOMMU_IOAS_MAP_READABLE, ioctls, type IommuIoasMapInit } from '@uapi-ts/iommufd-v7.3';
import { IommuTestCmd, IommuTestCmdCheckMap, IOMMU_TEST_CMD, IOMMU_TEST_OP_MOCK_DOMAIN } from '@uapi-ts/iommufd-test-v7.3';
import { Iommufd, ERRNO_NAMES, IOMMU_OPTION_RLIMIT_MODE, IOMMU_OPTION_OP_GET, type PreparedCall, type IommuOption, type OptionArgs } from '@uapi-ts/iommufd-v7.3';
import { Memory, FdHandle } from '@uapi-ts/runtime';

const init: IommuIoasMapInit = { size: IommuIoasMap.size, flags: IommufdIoasMapFlags.IOMMU_IOAS_MAP_READABLE, ioas_id: 1, user_va: 0x10000n, length: 4096 };
const bytes: Uint8Array = IommuIoasMap.encode(init);
const back = IommuIoasMap.decode(bytes);
const length: bigint = back.length;
// @ts-expect-error: a field the struct does not have
IommuIoasMap.encode({ no_such_field: 1 });
// @ts-expect-error: __reserved must be 0, so it is not part of the input type
IommuIoasMap.encode({ __reserved: 1 });
const cmd = IommuTestCmd.decode(IommuTestCmd.encode({ size: IommuTestCmd.size, op: IOMMU_TEST_OP_MOCK_DOMAIN, mock_domain: { out_stdev_id: 7 } }));
let threw = '';
try { IommuIoasMap.encode({ flags: -1 }); } catch (e) { threw = (e as Error).constructor.name + ': ' + (e as Error).message; }
// The try and prepare forms as a user types them: the errno narrows out with typeof.
const dev = Iommufd.open('/dev/null');
const r = dev.tryIoasAlloc({});
const tried: string | number | undefined = typeof r === 'number' ? ERRNO_NAMES.get(r) : r.out_ioas_id;
const get: PreparedCall<IommuOption, OptionArgs> = dev.prepareOption({ option_id: IOMMU_OPTION_RLIMIT_MODE, op: IOMMU_OPTION_OP_GET });
const prepared = ERRNO_NAMES.get(get.tryRun());
const val64: bigint = get.result().val64;
dev.close();
// One runtime: the Memory of @uapi-ts/runtime is the one every package takes.
const mem = Memory.map(4096);
const cmdMem = IommuTestCmd.encode({ size: IommuTestCmd.size, op: IOMMU_TEST_OP_MOCK_DOMAIN, check_map: { uptr: mem } });
const sameMemory = new DataView(cmdMem.buffer).getBigUint64(IommuTestCmd.fields.check_map.offset + IommuTestCmdCheckMap.fields.uptr.offset, true) === mem.address;
mem.close();
let refused = '';
try { IommuIoasMap.encode({ user_va: new Uint8Array(8) }); } catch (e) { refused = (e as Error).message.split(':')[0]!; }
const h = FdHandle.open('/dev/null');
h[Symbol.dispose]();
console.log(JSON.stringify({
  tried, prepared, val64: val64.toString(), sameMemory, refused, closed: h.closed,
  request: IOMMU_IOAS_MAP, metaRequest: ioctls.IOMMU_IOAS_MAP.request, readable: IOMMU_IOAS_MAP_READABLE,
  bytes: bytes.length, flags: back.flags, length: length.toString(), userVa: back.user_va.toString(16),
  testCmd: IOMMU_TEST_CMD, stdev: cmd.mock_domain.out_stdev_id, op: cmd.op, threw,
}));
`);
    compile(app);
    const out = JSON.parse(execFileSync(process.execPath, [join(app, 'out/main.js')], { encoding: 'utf8', cwd: app }));
    // Expected values from the header text: IOMMU_IOAS_MAP = _IO(';', 0x85), IOMMU_IOAS_MAP_READABLE = 1 << 2,
    // IOMMU_TEST_CMD = _IO(';', 0x80 + 32), IOMMU_TEST_OP_MOCK_DOMAIN is the 2nd enumerator from 1.
    expect(out).toEqual({
      tried: 'ENOTTY', prepared: 'ENOTTY', val64: '0', // /dev/null answers every ioctl with ENOTTY
      sameMemory: true, refused: 'iommu_ioas_map.user_va', closed: true,
      request: (0x3b << 8) | 0x85, metaRequest: (0x3b << 8) | 0x85, readable: 4,
      bytes: IOMMU_IOAS_MAP_SIZE, flags: 4, length: '4096', userVa: '10000',
      testCmd: (0x3b << 8) | 0xa0, stdev: 7, op: 2,
      threw: 'RangeError: iommu_ioas_map.flags: -1 is out of range for __u32 (0 to 4294967295)',
    });
  });

  // What npm shows a user of a package is its README, and each ioctl page of its docs site has an example: all of
  // them must compile against the installed package, under --strict, as a user would paste them (one module each).
  it.each(config.packages)('the README and docs examples of $name compile against the installed package', (pkg) => {
    const installed = join(app, 'node_modules', pkg.name);
    const readme = [...readFileSync(join(installed, 'README.md'), 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    const pages = readdirSync(join(installed, 'docs')).filter((f) => f.startsWith('ioctl-') && f.endsWith('.html')).sort();
    const docs = pages.map((f) => {
      const m = /<section id="example">[\s\S]*?<pre class="ts"><code>([\s\S]*?)<\/code><\/pre>/.exec(readFileSync(join(installed, 'docs', f), 'utf8'));
      if (!m) throw new Error(`${f}: no example`);
      return unescapeHtml(m[1]!);
    });
    expect(readme.length).toBeGreaterThan(0);
    expect(docs.length).toBe(pages.length);
    const dir = join(app, `examples-${pkg.name.replace(/\W/g, '-')}`);
    mkdirSync(dir);
    tsconfig(dir, { lib: ['ES2022', 'ESNext.Disposable'], noEmit: true, types: ['node'], typeRoots: [resolve('node_modules/@types')] }, ['*.ts']);
    readme.forEach((b, i) => writeFileSync(join(dir, `readme-${i}.ts`), `${b}export {};\n`));
    docs.forEach((b, i) => writeFileSync(join(dir, pages[i]!.replace(/\.html$/, '.ts')), `${b}\nexport {};\n`));
    compile(dir);
  });

  // examples/ is what a user copies first: each program must compile against the installed tarballs alone, under
  // the same options the kernel suite compiles them with (examples/tsconfig.json), minus its paths into generated/.
  it('the programs of examples/ compile against the installed packages', () => {
    const names = readdirSync('examples').filter((f) => f.endsWith('.ts')).sort();
    expect(names.length).toBeGreaterThan(0);
    const own = JSON.parse(readFileSync('examples/tsconfig.json', 'utf8')) as { compilerOptions: Record<string, unknown> };
    const { paths: _paths, rootDir: _rootDir, ...options } = own.compilerOptions;
    const dir = join(app, 'examples');
    mkdirSync(dir);
    for (const n of names) writeFileSync(join(dir, n), readFileSync(join('examples', n), 'utf8'));
    tsconfig(dir, { ...options, noEmit: true, typeRoots: [resolve('node_modules/@types')] }, ['*.ts']);
    compile(dir);
  });
});

// struct iommu_ioas_map: four __u32 and three __aligned_u64 (checked against gcc by the conformance tests).
const IOMMU_IOAS_MAP_SIZE = 4 * 4 + 3 * 8;

// Node on another ABI, stood in for on this host: a preload fakes `process.arch` and `os.endianness()` after
// koffi (whose native module is chosen by the real arch) has loaded. What the installed package then does on
// that host is checked against the target's cross-compiler (compiled only; test/lib/cross-object.ts).
describe('an installed package on another host', () => {
  function onHost(arch: string, endianness: 'LE' | 'BE', code: string): { status: number | null; stdout: string; stderr: string } {
    writeFileSync(join(app, 'fake-host.mjs'), [
      "import 'koffi';",
      "import os from 'node:os';",
      "import { syncBuiltinESMExports } from 'node:module';",
      "Object.defineProperty(process, 'arch', { value: process.env.FAKE_ARCH });",
      'os.endianness = () => process.env.FAKE_ENDIANNESS;',
      'syncBuiltinESMExports();',
    ].join('\n'));
    const env = { ...process.env, FAKE_ARCH: arch, FAKE_ENDIANNESS: endianness };
    const r = spawnSync(process.execPath, ['--import', './fake-host.mjs', '--input-type=module', '-e', code], { cwd: app, env, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  const PROGRAM = `
import { IommuIoasMap, IOMMU_IOAS_MAP } from '@uapi-ts/iommufd';
import { VfioBitmap } from '@uapi-ts/vfio';
const map = IommuIoasMap.encode({ size: IommuIoasMap.size, flags: 3, ioas_id: 7, user_va: 0x1122334455667788n, length: 0x10000n, iova: 0x2000n });
console.log(JSON.stringify({ map: Buffer.from(map).toString('hex'), request: IOMMU_IOAS_MAP, bitmap: VfioBitmap.size }));`;
  const C = `#include <linux/iommufd.h>
#include <linux/vfio.h>
PROBE struct iommu_ioas_map map = { .size = sizeof(struct iommu_ioas_map), .flags = 3, .ioas_id = 7, .user_va = 0x1122334455667788ULL, .length = 0x10000, .iova = 0x2000 };
PROBE unsigned long long facts[] = { IOMMU_IOAS_MAP, sizeof(struct vfio_bitmap) };`;

  it.each([
    ['s390x', 'BE', 's390x-linux-gnu'],
    ['ppc64', 'LE', 'powerpc64le-linux-gnu'],
    ['ia32', 'LE', 'i686-linux-gnu'],
    ['arm64', 'LE', 'aarch64-linux-gnu'],
  ] as const)('on %s (%s) uses that target\'s layout: the bytes, ioctl number and sizes of %s-gcc', (arch, endianness, triplet) => {
    if (!hasCrossCompiler(triplet)) return void console.warn(`skipped: no ${triplet}-gcc`);
    const r = onHost(arch, endianness, PROGRAM);
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as { map: string; request: number; bitmap: number };
    const gcc = objectsOf(triplet, C, [resolve('headers/v7.3')]);
    const facts = new DataView(gcc.get('facts')!.buffer);
    const le = endianness === 'LE';
    expect(got).toEqual({
      map: Buffer.from(gcc.get('map')!).toString('hex'),
      request: Number(facts.getBigUint64(0, le)),
      bitmap: Number(facts.getBigUint64(8, le)),
    });
  });

  it('refuses a host it has no layout for, naming the host and the targets it has', () => {
    const ppc64be = onHost('ppc64', 'BE', "await import('@uapi-ts/iommufd');");
    expect(ppc64be.status).toBe(1);
    expect(ppc64be.stderr).toContain(
      'Error: @uapi-ts/iommufd has no layout for this host (ppc64, big-endian), which is no Linux target uapi-ts knows; it holds layouts for x86_64, aarch64, riscv64, i386, arm, ppc64le, s390x.',
    );
    // kvm is generated for x86_64 alone (its asm/kvm.h is x86's).
    const arm64 = onHost('arm64', 'LE', "await import('@uapi-ts/kvm');");
    expect(arm64.status).toBe(1);
    expect(arm64.stderr).toContain('Error: @uapi-ts/kvm has no layout for this host (arm64, little-endian: aarch64); it holds layouts for x86_64.');
  });
});
