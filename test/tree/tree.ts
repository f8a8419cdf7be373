// A UAPI tree to check the generator against: a headers_install folder or a distribution's usr/include (Debian's
// linux-libc-dev keeps the x86-64 asm/ in x86_64-linux-gnu/, which is searched too). Which tree: $UAPI_TS_TREE,
// else the system's /usr/include (what linux-libc-dev installed, on CI too).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Target } from '../../generator/src/model/target.js';

// The sample `npm test` checks: headers of every kind (ioctls through wrapper macros, bit-fields, packed records,
// enums with #defines among their enumerators, multi-dimensional arrays of scalars and of records (ptp_clock.h),
// flexible arrays), present in Linux 6.1 and 7.3.
export const SAMPLE: readonly string[] = [
  'linux/auto_fs.h', 'linux/blkzoned.h', 'linux/btrfs.h', 'linux/cdrom.h', 'linux/dm-ioctl.h', 'linux/ethtool.h',
  'linux/fiemap.h', 'linux/fs.h', 'linux/fsmap.h', 'linux/gpio.h', 'linux/if_tun.h', 'linux/input.h',
  'linux/joystick.h', 'linux/kd.h', 'linux/loop.h', 'linux/media.h', 'linux/msdos_fs.h', 'linux/nbd.h', 'linux/perf_event.h', 'linux/ptp_clock.h',
  'linux/random.h', 'linux/rtc.h', 'linux/seccomp.h', 'linux/tee.h', 'linux/uinput.h', 'linux/usbdevice_fs.h',
  'linux/userfaultfd.h', 'linux/videodev2.h',
];

/** The headers a run checks: every one with UAPI_TS_TREE_ALL=1 (npm run test:tree), else the sample. */
export function headersToCheck(tree: Tree): readonly string[] {
  return process.env.UAPI_TS_TREE_ALL === '1' ? tree.headers : SAMPLE.filter((h) => tree.headers.includes(h));
}

export interface Tree {
  readonly root: string;
  readonly includeDirs: readonly string[];
  /** Every linux/*.h, sorted. */
  readonly headers: readonly string[];
}

export function findTree(): Tree | null {
  const root = resolve(process.env.UAPI_TS_TREE ?? '/usr/include');
  if (!existsSync(join(root, 'linux', 'types.h'))) return null;
  const includeDirs = [root, join(root, 'x86_64-linux-gnu')].filter((d) => existsSync(d));
  const headers = readdirSync(join(root, 'linux')).filter((f) => f.endsWith('.h')).sort().map((f) => `linux/${f}`);
  return { root, includeDirs, headers };
}

/** Whether gcc compiles `#include <header>` alone with -I the tree (the headers the tree conformance covers). */
export function gccCompiles(tree: Tree, header: string): boolean {
  try {
    execFileSync('gcc', ['-std=gnu11', '-fsyntax-only', ...tree.includeDirs.flatMap((d) => ['-I', d]), '-x', 'c', '-'], {
      input: `#include <${header}>\n`,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * The UAPI tree for a target: $UAPI_TS_TREE when it holds the target's asm/ in its multiarch folder (Debian's
 * usr/include of every arch), else the cross-compiler's own (/usr/<triplet>/include, linux-libc-dev-*-cross).
 */
export function findTargetTree(target: Target): Tree | null {
  const given = process.env.UAPI_TS_TREE;
  const root = resolve(given && existsSync(join(given, target.multiarch, 'asm')) ? given : `/usr/${target.triplet}/include`);
  if (!existsSync(join(root, 'linux', 'types.h'))) return null;
  const includeDirs = [join(root, target.multiarch), root].filter((d) => existsSync(d));
  const headers = readdirSync(join(root, 'linux')).filter((f) => f.endsWith('.h')).sort().map((f) => `linux/${f}`);
  return { root, includeDirs, headers };
}

/** Whether the target's cross-compiler compiles `#include <header>` alone with -I the tree. */
export async function crossCompiles(tree: Tree, header: string, target: Target): Promise<boolean> {
  return new Promise((done) => {
    const gcc = execFile(`${target.triplet}-gcc`, ['-std=gnu11', '-fsyntax-only', ...tree.includeDirs.flatMap((d) => ['-I', d]), '-x', 'c', '-'], (e) => done(!e));
    gcc.stdin?.end(`#include <${header}>\n`);
  });
}
