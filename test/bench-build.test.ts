// The benchmarks are not run by npm test (speed is never a unit test), but they must keep building: the
// TypeScript under --strict against the generated packages, and the C baselines without warnings.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
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

  // The VMM loop's host part (npm run bench -- vmm) as bench/run.mjs runs it: the guest suite compiled two folders
  // below the repository, kvm-loop.c, then bench/vmm/host.mjs. On a host with a usable /dev/kvm it measures (a few
  // seconds there: the 1e6 exits are a microsecond or two each); its figures are checked for shape, never for speed.
  it('bench/vmm/host.mjs measures the KVM_RUN loop on this host, or says why it cannot', () => {
    mkdirSync('test/.out', { recursive: true });
    const suite = mkdtempSync(join('test/.out', 'bench-vmm-test-'));
    try {
      const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/kernel/guest', '--outDir', suite], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      const loop = join(tmp, 'kvm-loop');
      expect(spawnSync('gcc', ['-O2', '-I', 'headers/v7.3', '-o', loop, 'bench/guest/kvm-loop.c']).status).toBe(0);
      const usage = spawnSync(process.execPath, ['bench/vmm/host.mjs', suite], { encoding: 'utf8' });
      expect([usage.status, usage.stderr.trim()]).toEqual([2, 'usage: node bench/vmm/host.mjs SUITE KVM_LOOP [--json FILE]']);
      const json = join(tmp, 'vmm.json');
      const r = spawnSync(process.execPath, ['bench/vmm/host.mjs', suite, loop, '--json', json], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const figures = JSON.parse(readFileSync(json, 'utf8')) as { skipped?: string; rounds?: number; tsRuns?: number[]; cRuns?: number[]; ratio?: number; heap?: { exits: number } };
      if (figures.skipped !== undefined) {
        expect(figures.skipped).toMatch(/^(no \/dev\/kvm on this host|\/dev\/kvm is not readable and writable by this user)/);
        expect(r.stdout).toContain(`VMM hot loop: skipped, ${figures.skipped}`);
      } else {
        expect([figures.tsRuns?.length, figures.cRuns?.length, figures.heap?.exits]).toEqual([16, 16, 1_008_000]);
        expect(figures.ratio).toBeGreaterThan(0);
        expect(r.stdout).toContain("VMM hot loop: KVM_RUN serving port-I/O exits of a real-mode vCPU (this host's /dev/kvm)");
      }
    } finally {
      rmSync(suite, { recursive: true, force: true });
    }
  }, 300_000);

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
