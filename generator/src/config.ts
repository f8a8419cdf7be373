// uapi-ts.config.json: which header becomes which package. Paths are relative to the config file's folder,
// which is also the working directory the generator runs in (so output names no absolute path).
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from './diagnostics.js';

export interface PackageConfig {
  readonly name: string; // npm package name
  readonly header: string;
  readonly includeDirs: readonly string[];
  readonly hints?: string | undefined;
  readonly out: string;
  readonly version: string; // the package's version
  readonly kernel: string | null; // kernel version the header comes from
}

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
      if (!['name', 'header', 'includeDirs', 'hints', 'out', 'version', 'kernel'].includes(k)) throw new UsageError(`${where}: unknown key '${k}'`);
    }
    return {
      name: str('name', true)!,
      header: str('header', true)!,
      includeDirs: includeDirs as string[],
      hints: str('hints', false),
      out: str('out', true)!,
      version: str('version', true)!,
      kernel: str('kernel', false) ?? null,
    };
  });
}
