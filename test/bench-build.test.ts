// The benchmarks are not run by npm test (speed is never a unit test), but they must keep building: the
// TypeScript under --strict against the generated packages, and the C baselines without warnings.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IOMMU_IOAS_ALLOC } from '../generated/iommufd-v7.3/src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-bench-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('benchmarks build', () => {
  it('bench/ type-checks (tsc -p bench)', () => {
    const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'bench', '--noEmit'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  for (const src of ['bench/calls/ioctl-loop.c', 'bench/generate/rusage.c']) {
    it(`${src} compiles with -Wall -Werror`, () => {
      const r = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', join(tmp, 'bin'), src], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  // The bench guest's baselines, as test/kernel/bench-guests.mjs compiles them: against the repository's headers.
  for (const src of ['bench/guest/map-loop.c', 'bench/guest/kvm-loop.c']) {
    it(`${src} compiles against headers/v7.3 with -Wall -Werror`, () => {
      const r = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-I', 'headers/v7.3', '-o', join(tmp, 'bin'), src], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  // Node's headers sit beside its binary in Node's own packages; bench/run.mjs builds the addon from there too.
  const nodeHeaders = join(dirname(process.execPath), '../include/node');
  it.skipIf(!existsSync(join(nodeHeaders, 'node_api.h')))('the N-API baseline addon builds and gets the kernel\'s errno', () => {
    const addon = join(tmp, 'napi-ioctl.node');
    const r = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', '-I', nodeHeaders, '-o', addon, 'bench/calls/napi-ioctl.c'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const { ioctl } = createRequire(import.meta.url)(addon) as { ioctl(...a: unknown[]): number };
    const fd = openSync('/dev/null', 'r+');
    try {
      expect(ioctl(fd, IOMMU_IOAS_ALLOC, 0)).toBe(25); // ENOTTY: /dev/null has no ioctls
      expect(ioctl(-1, IOMMU_IOAS_ALLOC, 0)).toBe(9); // EBADF
    } finally {
      closeSync(fd);
    }
    expect(() => ioctl(fd)).toThrow(TypeError);
  });

  it('the C process measurer reports a child\'s exit status and peak RSS', () => {
    const bin = join(tmp, 'rusage');
    expect(spawnSync('gcc', ['-O2', '-o', bin, 'bench/generate/rusage.c']).status).toBe(0);
    const run = (...cmd: string[]) => spawnSync(bin, [join(tmp, 'log'), ...cmd], { encoding: 'utf8' }).stdout.trim().split(' ').map(Number);
    const [ns, kib, status] = run('sh', '-c', 'exit 3');
    expect(status).toBe(3);
    expect(ns).toBeGreaterThan(0);
    expect(kib).toBeGreaterThan(0);
    // A process that touches 64 MiB must show at least that much peak RSS.
    const [, big] = run(process.execPath, '-e', 'Buffer.alloc(64 * 1024 * 1024, 1)');
    expect(big).toBeGreaterThan(64 * 1024);
  });
});
