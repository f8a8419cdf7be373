// Writes rendered packages so that a failed run changes nothing: each package goes to a staging folder as soon as
// it is rendered (memory stays flat however many packages one run makes), and the staged folders replace the
// output folders only once every package has rendered.
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RenderedFile } from './render.js';

/** An output folder that cannot be written: a file in its place, a parent that cannot hold it. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/**
 * Creates `dir` and its missing parents one at a time. (Node's recursive mkdir spins forever where a parent exists
 * but refuses children with ENOENT, as /proc does.) Each failure names the folder and the reason.
 */
export function makeDirs(dir: string, what: string): void {
  const missing = missingFolders(dir, what);
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      throw new OutputError(`${what}: cannot create ${m}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
}

/** The folders of `path` that do not exist yet, outermost last; the first existing one must be a folder. */
function missingFolders(path: string, what: string): string[] {
  const missing: string[] = [];
  let p = resolve(path);
  while (!existsSync(p)) {
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  if (existsSync(p) && !statSync(p).isDirectory()) throw new OutputError(`${what}: ${p} is a file, not a folder`);
  return missing;
}

// Folders inside a package that are not ours to replace (build output of the package itself).
const KEEP = ['dist', 'node_modules'];

export class StagedOutput {
  private readonly staged: { readonly out: string; readonly tmp: string }[] = [];

  /** Writes one package's files beside `out`; nothing in `out` changes yet. */
  stage(out: string, files: readonly RenderedFile[]): void {
    const tmp = `${out}.uapi-ts-new`;
    // Before anything is removed or made: a file where a folder must be is an error.
    if (existsSync(out) && !statSync(out).isDirectory()) throw new OutputError(`${out}: is a file, not a folder to write the package into`);
    missingFolders(tmp, out);
    rmSync(tmp, { recursive: true, force: true });
    this.staged.push({ out, tmp });
    makeDirs(tmp, out);
    // Each folder once, not once per file (a whole tree stages 12,400 files in 2,070 folders).
    for (const dir of new Set(files.map((f) => dirname(join(tmp, f.path))))) makeDirs(dir, out);
    for (const f of files) {
      const path = join(tmp, f.path);
      try {
        writeFileSync(path, f.text);
      } catch (e) {
        throw new OutputError(`${out}: cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
  }

  /** Removes every staged folder: the run failed. */
  discard(): void {
    for (const { tmp } of this.staged) rmSync(tmp, { recursive: true, force: true });
  }

  /** Replaces each output folder by its staged one, keeping the package's own build output. */
  commit(progress: (line: string) => void): void {
    for (const { out, tmp } of this.staged) {
      const old = `${out}.uapi-ts-old`;
      rmSync(old, { recursive: true, force: true });
      if (existsSync(out)) {
        for (const keep of KEEP) if (existsSync(join(out, keep))) renameSync(join(out, keep), join(tmp, keep));
        renameSync(out, old);
      }
      makeDirs(dirname(out), out);
      renameSync(tmp, out);
      rmSync(old, { recursive: true, force: true });
      progress(`wrote ${out}/`);
    }
  }
}
