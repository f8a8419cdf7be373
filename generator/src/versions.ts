// The kernel versions of a header held in headers/: headers/<version>/<path> for every <version> folder that has
// the same <path>. Versions sort as the kernel numbers them (6.6-rc1 < 6.6 < 6.12 < 7.3).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface HeaderVersion {
  readonly version: string; // as the folder names it, without a leading 'v': '6.6-rc1'
  readonly folder: string; // headers/v6.6-rc1
  readonly header: string; // headers/v6.6-rc1/linux/foo.h
}

/** Sort key: numbers first, then a release after its release candidates. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v?(\d+(?:\.\d+)*)(?:-rc(\d+))?$/.exec(v);
    if (!m) return null;
    return { nums: m[1]!.split('.').map(Number), rc: m[2] === undefined ? Infinity : Number(m[2]) };
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.rc === y.rc ? 0 : x.rc < y.rc ? -1 : 1;
}

/**
 * Every version of `header` (a path under headersDir/<version>/) that headersDir holds, oldest first.
 * `header` may be given as 'headers/v7.3/linux/foo.h' or as the path inside a version folder ('linux/foo.h').
 */
export function headerVersions(header: string, headersDir = 'headers'): HeaderVersion[] {
  const inside = insidePath(header, headersDir);
  if (!existsSync(headersDir)) return [];
  return readdirSync(headersDir)
    .filter((d) => statSync(join(headersDir, d)).isDirectory() && existsSync(join(headersDir, d, inside)))
    .sort(compareVersions)
    .map((d) => ({ version: d.replace(/^v/, ''), folder: join(headersDir, d), header: join(headersDir, d, inside) }));
}

/** 'headers/v7.3/linux/foo.h' → 'linux/foo.h'. */
export function insidePath(header: string, headersDir = 'headers'): string {
  const rel = relative(headersDir, header);
  if (rel.startsWith('..') || rel === header) return header; // already inside-relative
  return rel.split(sep).slice(1).join('/');
}
