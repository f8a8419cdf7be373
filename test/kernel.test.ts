// The guest suite against a real /dev/iommu: runs test/kernel/run.mjs (QEMU + a kernel with IOMMUFD) and checks
// that it passed. Skipped only when there is no kernel image (no UAPI_TS_KERNEL, nothing in the cache) and
// UAPI_TS_BUILD_KERNEL=1 does not allow building one; a UAPI_TS_KERNEL that names nothing usable fails instead.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findKernelImage, howToGetOne, type KernelImage } from '../kernel/image.mjs';

let image: KernelImage | null = null;
let imageError: unknown = null;
try {
  image = findKernelImage();
} catch (e) {
  imageError = e; // run.mjs reports it, and the test fails
}
const mayBuild = process.env.UAPI_TS_BUILD_KERNEL === '1';
const skip = image === null && imageError === null && !mayBuild;
if (skip) console.log(`test/kernel.test.ts skipped: ${howToGetOne()}`);

// Boot and run take well under a minute; building the kernel first takes about 20 more on 2 cores.
const timeout = image === null && mayBuild ? 60 * 60_000 : 10 * 60_000;

function runHarness(): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['test/kernel/run.mjs'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      process.stdout.write(d);
    });
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeout - 10_000); // run.mjs kills QEMU on SIGTERM
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout });
    });
  });
}

describe('guest suite under QEMU', () => {
  it.skipIf(skip)('passes, and reports ioctl coverage last', { timeout }, async () => {
    const r = await runHarness();
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    const last = lines.at(-1) ?? '';
    expect(r.status, `node test/kernel/run.mjs exited with ${r.status ?? r.signal}`).toBe(0);
    expect(last).toMatch(/^ioctls exercised: \d+\/\d+$/);
    // The vfio guest (edu behind an emulated Intel IOMMU) states its DMA result and its own tally.
    expect(lines).toContain('edu dma: match');
    expect(lines.some((l) => /^vfio ioctls exercised: \d+\/\d+$/.test(l))).toBe(true);
  });
});
