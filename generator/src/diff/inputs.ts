// What `uapi-ts diff OLD NEW` compares: each side is a header file, or a kernel version held in headers/
// (`6.12`, `v6.12`) or any include folder, with the header inside it chosen by --header or, when the two
// folders share exactly one header, that one.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { UsageError } from '../diagnostics.js';
import { compareVersions } from '../versions.js';

export interface DiffSide {
  readonly header: string; // the file to load
  readonly includeDirs: readonly string[];
  readonly profile: string | undefined;
  readonly label: string; // `6.12` for a version, the path for a file
}

export interface DiffInputs {
  readonly old: DiffSide;
  readonly new: DiffSide;
  /** The header's path inside the version folders (`linux/foo.h`), or null when two files were given. */
  readonly header: string | null;
}

export interface DiffInputOptions {
  readonly header?: string | undefined;
  readonly profile?: string | undefined;
  readonly includeDirs: readonly string[];
  readonly headersDir?: string | undefined; // default 'headers'
}

type Side = { kind: 'file'; path: string } | { kind: 'folder'; folder: string; label: string };

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function versionsIn(headersDir: string): string[] {
  if (!isDir(headersDir)) return [];
  return readdirSync(headersDir)
    .filter((d) => isDir(join(headersDir, d)))
    .map((d) => d.replace(/^v/, ''))
    .sort(compareVersions);
}

function classify(arg: string, headersDir: string, role: string): Side {
  if (isFile(arg)) return { kind: 'file', path: arg };
  const v = arg.replace(/^v/, '');
  for (const folder of [join(headersDir, `v${v}`), join(headersDir, v)]) if (isDir(folder)) return { kind: 'folder', folder, label: v };
  if (isDir(arg)) return { kind: 'folder', folder: arg, label: arg };
  const have = versionsIn(headersDir);
  throw new UsageError(`${role} '${arg}' is neither a header file nor a version in ${headersDir}/${have.length ? ` (have: ${have.join(', ')})` : ''}`);
}

/** Every .h file under `folder`, as paths relative to it with '/' separators. */
export function headersIn(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.h')) out.push(relative(folder, p).split('\\').join('/'));
    }
  };
  walk(folder);
  return out.sort();
}

export function defaultProfile(header: string, headersDir: string, given: string | undefined): string | undefined {
  if (given) return given;
  const h = join(headersDir, `${basename(header).replace(/\.h$/, '')}.profile.json`);
  return existsSync(h) ? h : undefined;
}

export function resolveDiffInputs(oldArg: string, newArg: string, options: DiffInputOptions): DiffInputs {
  const headersDir = options.headersDir ?? 'headers';
  const a = classify(oldArg, headersDir, 'OLD');
  const b = classify(newArg, headersDir, 'NEW');
  let inside: string | null = options.header ?? null;
  if (inside === null && (a.kind === 'folder' || b.kind === 'folder')) {
    const folders = [a, b].filter((s): s is Extract<Side, { kind: 'folder' }> => s.kind === 'folder');
    const sets = folders.map((f) => headersIn(f.folder));
    let candidates = sets[0]!.filter((h) => sets.every((s) => s.includes(h)));
    const file = [a, b].find((s): s is Extract<Side, { kind: 'file' }> => s.kind === 'file');
    if (file && candidates.length > 1) candidates = candidates.filter((h) => basename(h) === basename(file.path));
    if (candidates.length !== 1) {
      const where = folders.map((f) => f.folder).join(' and ');
      throw new UsageError(
        candidates.length === 0
          ? `${where} have no header in common; name one with --header`
          : `${where} hold several headers (${candidates.join(', ')}); choose one with --header`,
      );
    }
    inside = candidates[0]!;
  }
  const side = (s: Side, role: string): DiffSide => {
    if (s.kind === 'file') return { header: s.path, includeDirs: options.includeDirs, profile: defaultProfile(s.path, headersDir, options.profile), label: s.path };
    const header = join(s.folder, inside!);
    if (!isFile(header)) throw new UsageError(`${role}: ${s.folder} has no ${inside}`);
    return { header, includeDirs: [s.folder, ...options.includeDirs], profile: defaultProfile(header, headersDir, options.profile), label: s.label };
  };
  return { old: side(a, 'OLD'), new: side(b, 'NEW'), header: a.kind === 'file' && b.kind === 'file' ? options.header ?? null : inside };
}
