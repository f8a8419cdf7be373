// `npm run pack`: `npm pack` of the runtime (packages/runtime) and of every package uapi-ts.config.json lists, each
// built by its own `prepack` script, into packs/ (or the folder given): the tarballs a user installs with
// `npm install ./uapi-ts-runtime-0.1.0.tgz ./uapi-ts-iommufd-1.4.0.tgz`. Each package is packed from a copy in a
// temporary folder, so that no dist/ of the working tree is rebuilt under a running test; the folder's
// node_modules is a link to the repository's, so the copies compile with its TypeScript against the runtime's
// built dist/ (`npm run build`).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The folders packed, runtime first. */
export function packageFolders() {
  const config = JSON.parse(readFileSync(path.join(root, 'uapi-ts.config.json'), 'utf8'));
  return ['packages/runtime', ...config.packages.map((p) => p.out)];
}

/**
 * Packs every package into `dest`; returns, per package, its folder, tarball path and the files npm put in it.
 * A failed pack throws with npm's output.
 */
export function packAll(dest = path.join(root, 'packs'), progress = () => {}) {
  mkdirSync(dest, { recursive: true });
  const stage = mkdtempSync(path.join(tmpdir(), 'uapi-ts-pack-'));
  symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
  const out = [];
  try {
    for (const folder of packageFolders()) {
      const copy = path.join(stage, folder);
      cpSync(path.join(root, folder), copy, { recursive: true, filter: (f) => !/[/\\](dist|node_modules)$/.test(f) });
      const r = spawnSync('npm', ['pack', '--json', '--pack-destination', path.resolve(dest)], { cwd: copy, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`npm pack in ${folder} failed:\n${r.stderr}${r.stdout}`);
      const [info] = JSON.parse(r.stdout);
      out.push({ folder, name: info.name, version: info.version, tarball: path.join(path.resolve(dest), info.filename), files: info.files.map((f) => f.path) });
      progress(`${folder}: ${info.filename} (${info.files.length} files)`);
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dest = process.argv[2] ?? path.join(root, 'packs');
  packAll(dest, (line) => console.log(line));
  console.log(`tarballs in ${path.relative(process.cwd(), dest) || '.'}/`);
}
