// Every generated package type-checks under `tsc --strict` and builds; a separate project then imports the built
// package by its name, compiles against its .d.ts under --strict, and runs, as a user's program would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

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

/** A user's project in `tmp/name`: an ES module package with `packages` linked into node_modules by name. */
function userProject(name: string, packages: readonly { name: string; out: string }[], options: object, include: string[]): string {
  const app = join(tmp, name);
  for (const p of packages) {
    mkdirSync(join(app, 'node_modules', p.name, '..'), { recursive: true });
    symlinkSync(resolve(p.out), join(app, 'node_modules', p.name), 'dir');
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, ...options },
    include,
  }));
  return app;
}

describe.each(config.packages)('package $name', (pkg) => {
  it('type-checks with tsc --strict and builds', () => {
    const tsconfig = JSON.parse(readFileSync(join(pkg.out, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.strict).toBe(true);
    compile(pkg.out);
  });
});

describe('a consumer project', () => {
  it('imports @uapi-ts/iommufd-v7.3 and @uapi-ts/iommufd-test-v7.3 by name, compiles under --strict and runs', () => {
    const app = userProject('app', config.packages, { outDir: 'out', skipLibCheck: false, types: [] }, ['main.ts']);
    writeFileSync(join(app, 'main.ts'), `
import { IommuIoasMap, IOMMU_IOAS_MAP, IommufdIoasMapFlags, IOMMU_IOAS_MAP_READABLE, ioctls, type IommuIoasMapInit } from '@uapi-ts/iommufd-v7.3';
import { IommuTestCmd, IOMMU_TEST_CMD, IOMMU_TEST_OP_MOCK_DOMAIN } from '@uapi-ts/iommufd-test-v7.3';
import { Iommufd, ERRNO_NAMES, IOMMU_OPTION_RLIMIT_MODE, IOMMU_OPTION_OP_GET, type PreparedCall, type IommuOption, type OptionArgs } from '@uapi-ts/iommufd-v7.3';

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
console.log(JSON.stringify({
  tried, prepared, val64: val64.toString(),
  request: IOMMU_IOAS_MAP, metaRequest: ioctls.IOMMU_IOAS_MAP.request, readable: IOMMU_IOAS_MAP_READABLE,
  bytes: bytes.length, flags: back.flags, length: length.toString(), userVa: back.user_va.toString(16),
  testCmd: IOMMU_TEST_CMD, stdev: cmd.mock_domain.out_stdev_id, op: cmd.op, threw,
}));
`);
    compile(app);
    const out = JSON.parse(execFileSync(process.execPath, [join(app, 'out/main.js')], { encoding: 'utf8' }));
    // Expected values from the header text: IOMMU_IOAS_MAP = _IO(';', 0x85), IOMMU_IOAS_MAP_READABLE = 1 << 2,
    // IOMMU_TEST_CMD = _IO(';', 0x80 + 32), IOMMU_TEST_OP_MOCK_DOMAIN is the 2nd enumerator from 1.
    expect(out).toEqual({
      tried: 'ENOTTY', prepared: 'ENOTTY', val64: '0', // /dev/null answers every ioctl with ENOTTY
      request: (0x3b << 8) | 0x85, metaRequest: (0x3b << 8) | 0x85, readable: 4,
      bytes: IOMMU_IOAS_MAP_SIZE, flags: 4, length: '4096', userVa: '10000',
      testCmd: (0x3b << 8) | 0xa0, stdev: 7, op: 2,
      threw: 'RangeError: iommu_ioas_map.flags: -1 is out of range for __u32 (0 to 4294967295)',
    });
  });
});

// What npm shows a user of a package is its README, and each ioctl page of its docs site has an example: all of
// them must compile against that package, under --strict, as a user would paste them (one module per example).
const unescapeHtml = (t: string): string =>
  t.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe.each(config.packages)('examples of $name', (pkg) => {
  it('its README and docs examples compile against the package', () => {
    const readme = [...readFileSync(join(pkg.out, 'README.md'), 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    const pages = readdirSync(join(pkg.out, 'docs')).filter((f) => f.startsWith('ioctl-') && f.endsWith('.html')).sort();
    const docs = pages.map((f) => {
      const m = /<section id="example">[\s\S]*?<pre class="ts"><code>([\s\S]*?)<\/code><\/pre>/.exec(readFileSync(join(pkg.out, 'docs', f), 'utf8'));
      if (!m) throw new Error(`${f}: no example`);
      return unescapeHtml(m[1]!);
    });
    expect(readme.length).toBeGreaterThan(0);
    expect(docs.length).toBe(pages.length);
    const app = userProject(`examples-${pkg.name.replace(/\W/g, '-')}`, [pkg], { lib: ['ES2022', 'ESNext.Disposable'], noEmit: true, types: ['node'] }, ['*.ts']);
    symlinkSync(resolve('node_modules/@types'), join(app, 'node_modules/@types'), 'dir');
    readme.forEach((b, i) => writeFileSync(join(app, `readme-${i}.ts`), `${b}export {};\n`));
    docs.forEach((b, i) => writeFileSync(join(app, pages[i]!.replace(/\.html$/, '.ts')), `${b}\nexport {};\n`));
    compile(app);
  });
});

// struct iommu_ioas_map: four __u32 and three __aligned_u64 (checked against gcc by the conformance tests).
const IOMMU_IOAS_MAP_SIZE = 4 * 4 + 3 * 8;
