// Writes rendered packages so that a failed run changes nothing: each package goes to a staging folder as soon as
// it is rendered (memory stays flat however many packages one run makes), and the staged folders replace the
// output folders only once every package has rendered.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RenderedFile } from './render.js';

// Folders inside a package that are not ours to replace (build output of the package itself).
const KEEP = ['dist', 'node_modules'];

export class StagedOutput {
  private readonly staged: { readonly out: string; readonly tmp: string }[] = [];

  /** Writes one package's files beside `out`; nothing in `out` changes yet. */
  stage(out: string, files: readonly RenderedFile[]): void {
    const tmp = `${out}.uapi-ts-new`;
    rmSync(tmp, { recursive: true, force: true });
    this.staged.push({ out, tmp });
    for (const f of files) {
      const path = join(tmp, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.text);
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
      mkdirSync(dirname(out), { recursive: true });
      renameSync(tmp, out);
      rmSync(old, { recursive: true, force: true });
      progress(`wrote ${out}/`);
    }
  }
}
