// uapi-ts.config.json: which header becomes which package. Paths are relative to the config file's folder,
// which is also the working directory the generator runs in (so output names no absolute path).
//
// An entry either pins one header file (`"header": "headers/v7.3/linux/foo.h"`, a concrete `"version"`) or
// names a header series (`"header": "linux/foo.h"`, a path inside the version folders of ./headers/, with
// `"version": "auto"` and optionally `"firstVersion"`): the package is then built from the newest held version,
// and its version is derived from the diffs between the held versions (release.ts).
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from './diagnostics.js';
import { TARGETS, targetNamed, type Target } from './model/target.js';
import { headerVersions, type HeaderVersion } from './versions.js';

/** A package built from the newest held version of a header series. */
export interface SeriesConfig {
  readonly header: string; // the path inside the version folders: 'linux/foo.h'
  readonly firstVersion: string; // the package version of the oldest held header
  readonly versions: readonly HeaderVersion[]; // every held version, oldest first (paths relative to the config's folder)
}

export interface PackageConfig {
  readonly name: string; // npm package name
  readonly header: string;
  readonly includeDirs: readonly string[];
  readonly profile?: string | undefined; // the header family's profile file (conventions/profile.ts)
  readonly out: string;
  readonly version: string; // the package's version ('auto' for a series: derived when generating)
  readonly kernel: string | null; // kernel version the header comes from
  /** Search the system's header folders too (libc's, the compiler's): `--system-includes`. */
  readonly systemIncludes?: boolean | undefined;
  /** Set for a series entry; header, includeDirs and kernel are then those of its newest held version. */
  readonly series?: SeriesConfig | null | undefined;
  /** The ABIs the package carries layouts for, the first the one its documentation shows; PACKAGE_TARGETS if not given. */
  readonly targets?: readonly Target[] | undefined;
}

/** The targets of a package that names none: every Linux ABI Node runs on (model/target.ts), x86_64 first. */
export const PACKAGE_TARGETS: readonly Target[] = TARGETS.filter((t) => t.nodeArch !== null);

/** `"targets": ["x86_64", "aarch64"]`: known names, none twice; a usage error naming the known ones otherwise. */
export function readTargets(value: unknown, where: string): readonly Target[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.some((t) => typeof t !== 'string')) throw new UsageError(`${where}.targets must be a non-empty list of target names`);
  const names = value as string[];
  for (const [i, name] of names.entries()) {
    if (!targetNamed(name)) throw new UsageError(`${where}.targets[${i}]: no target '${name}' (known: ${TARGETS.map((t) => t.name).join(', ')})`);
    if (names.indexOf(name) !== i) throw new UsageError(`${where}.targets: '${name}' is listed twice`);
  }
  return names.map((n) => targetNamed(n)!);
}

const SEMVER = /^\d+\.\d+\.\d+$/;

export function readConfig(path: string): PackageConfig[] {
  if (!existsSync(path)) throw new UsageError(`no config file ${path} (run in the repository, or pass HEADER... --out DIR)`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const packages = (data as { packages?: unknown }).packages;
  for (const k of Object.keys(data as object)) if (k !== 'packages' && k !== '$comment') throw new UsageError(`${path}: unknown key '${k}'`);
  if (!Array.isArray(packages) || packages.length === 0) throw new UsageError(`${path}: 'packages' must be a non-empty list`);
  return packages.map((p: unknown, i): PackageConfig => {
    const where = `${path}: packages[${i}]`;
    if (typeof p !== 'object' || p === null) throw new UsageError(`${where} must be an object`);
    const o = p as Record<string, unknown>;
    const str = (k: string, required: boolean): string | undefined => {
      const v = o[k];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'string' || v === '') throw new UsageError(`${where}.${k} must be a non-empty string`);
      return v;
    };
    const includeDirs = o.includeDirs ?? [];
    if (!Array.isArray(includeDirs) || includeDirs.some((d) => typeof d !== 'string')) throw new UsageError(`${where}.includeDirs must be a list of folders`);
    for (const k of Object.keys(o)) {
      if (k === 'hints') throw new UsageError(`${where}: 'hints' is now 'profile' (a profile file, headers/NAME.profile.json; README, "Profiles")`);
      if (!['name', 'header', 'includeDirs', 'profile', 'out', 'version', 'kernel', 'firstVersion', 'targets'].includes(k)) throw new UsageError(`${where}: unknown key '${k}'`);
    }
    const targets = readTargets(o.targets, where);
    if (o.version === 'auto') {
      const header = str('header', true)!;
      if (header.startsWith('headers/') || header.startsWith('/')) throw new UsageError(`${where}.header: a series names a path inside the version folders of headers/ ('linux/foo.h'), not '${header}'`);
      if (o.kernel !== undefined) throw new UsageError(`${where}: a series ("version": "auto") takes its kernel from the newest held header; drop 'kernel'`);
      const firstVersion = str('firstVersion', false) ?? '1.0.0';
      if (!SEMVER.test(firstVersion)) throw new UsageError(`${where}.firstVersion must be a version like 1.0.0`);
      const versions = headerVersions(header); // headers/ of the working directory, like every other path here
      const newest = versions.at(-1);
      if (!newest) throw new UsageError(`${where}.header: no version folder in headers/ holds ${header}`);
      return {
        name: str('name', true)!,
        header: newest.header,
        includeDirs: [newest.folder, ...(includeDirs as string[])],
        profile: str('profile', false),
        out: str('out', true)!,
        version: 'auto',
        kernel: newest.version,
        series: { header, firstVersion, versions },
        targets,
      };
    }
    if (o.firstVersion !== undefined) throw new UsageError(`${where}: 'firstVersion' goes with "version": "auto"`);
    return {
      name: str('name', true)!,
      header: str('header', true)!,
      includeDirs: includeDirs as string[],
      profile: str('profile', false),
      out: str('out', true)!,
      version: str('version', true)!,
      kernel: str('kernel', false) ?? null,
      series: null,
      targets,
    };
  });
}
