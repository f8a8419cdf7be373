// Which kernel image the guest tests boot. In order:
//   1. UAPI_TS_KERNEL: a bzImage, or a directory holding one (`bzImage` or `bzImage-*`), relative to the working directory;
//   2. the cache kernel/build.sh fills: ${XDG_CACHE_HOME:-~/.cache}/uapi-ts/kernel/<source version>-<fragment hash>/bzImage;
//   3. with UAPI_TS_BUILD_KERNEL=1, a fresh build by kernel/build.sh (about 20 minutes on 2 cores).
// Anything else is an error that says how to get one.
//
//   node kernel/image.mjs           print the image the tests would use (building it if UAPI_TS_BUILD_KERNEL=1)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const buildScript = path.join(here, 'build.sh');

export class KernelImageError extends Error {
  name = 'KernelImageError';
}

/** Where kernel/build.sh puts (or would put) the bzImage for the current recipe. */
export function cachedImagePath() {
  return execFileSync('sh', [buildScript, '--path'], { encoding: 'utf8' }).trim();
}

function fromEnv(value) {
  const p = path.resolve(value);
  if (!existsSync(p)) throw new KernelImageError(`UAPI_TS_KERNEL=${value}: ${p} does not exist`);
  if (!statSync(p).isDirectory()) return p;
  const names = readdirSync(p).filter((n) => n === 'bzImage' || n.startsWith('bzImage-')).sort();
  if (names.length === 0) throw new KernelImageError(`UAPI_TS_KERNEL=${value}: no bzImage or bzImage-* in ${p}`);
  if (names.length > 1) throw new KernelImageError(`UAPI_TS_KERNEL=${value}: several images in ${p} (${names.join(', ')}); name one`);
  return path.join(p, names[0]);
}

/**
 * The image to boot, without building: `{ path, source }`, or null when there is none (no UAPI_TS_KERNEL, nothing
 * cached). A UAPI_TS_KERNEL that names nothing usable throws: a wrong setting is an error, not a reason to skip.
 */
export function findKernelImage(env = process.env) {
  if (env.UAPI_TS_KERNEL) return { path: fromEnv(env.UAPI_TS_KERNEL), source: 'UAPI_TS_KERNEL' };
  const cached = cachedImagePath();
  if (existsSync(cached)) return { path: cached, source: 'cache' };
  return null;
}

export function howToGetOne() {
  let cached = '(see kernel/build.sh --path)';
  try { cached = cachedImagePath(); } catch { /* keep the hint */ }
  return [
    'no kernel image with /dev/iommu for the guest tests. Any one of:',
    '  UAPI_TS_KERNEL=/path/to/bzImage (or a directory holding bzImage-*), e.g. UAPI_TS_KERNEL=../shared/kernel',
    `  kernel/build.sh              builds it into ${cached} (about 20 minutes on 2 cores)`,
    '  UAPI_TS_BUILD_KERNEL=1       lets the test harness run kernel/build.sh itself',
  ].join('\n');
}

/** The image to boot; builds it when allowed (UAPI_TS_BUILD_KERNEL=1), else throws with how to get one. */
export function resolveKernelImage(env = process.env, { log = console.log } = {}) {
  const found = findKernelImage(env);
  if (found) return found;
  if (env.UAPI_TS_BUILD_KERNEL !== '1') throw new KernelImageError(howToGetOne());
  log(`no cached kernel image: building one with ${buildScript} (UAPI_TS_BUILD_KERNEL=1)`);
  execFileSync('sh', [buildScript], { stdio: ['ignore', 'inherit', 'inherit'] });
  const built = cachedImagePath();
  if (!existsSync(built)) throw new KernelImageError(`${buildScript} finished but ${built} is missing`);
  return { path: built, source: 'built' };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { path: p, source } = resolveKernelImage(process.env, { log: (m) => console.error(m) });
    console.error(`kernel image from ${source}`);
    console.log(p);
  } catch (e) {
    console.error(e instanceof KernelImageError ? e.message : e);
    process.exit(1);
  }
}
