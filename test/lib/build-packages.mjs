#!/usr/bin/env node
// Builds the dist/ of @uapi-ts/runtime and of every configured package whose dist/ is stale. `npm test` runs it
// before vitest (pretest), so that no test reads a dist/ while another test writes it, and the tests that compile
// against generated/<pkg>/dist (the repository type-check, the kernel guest suite) find it on a fresh clone.
//
//   node test/lib/build-packages.mjs        exit 0 built or up to date, 1 a package did not compile
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

/** dist/ holds a .js for every .ts of src/ (src/records/ included), none older than the sources and the package's tsconfig/package.json. */
export function distIsFresh(out) {
  const src = path.join(root, out, 'src');
  const dist = path.join(root, out, 'dist');
  if (!existsSync(src) || !existsSync(dist)) return false;
  const mtime = (f) => statSync(f).mtimeMs;
  const sources = readdirSync(src, { recursive: true }).filter((f) => f.endsWith('.ts'));
  const inputs = sources.map((f) => path.join(src, f));
  inputs.push(path.join(root, out, 'tsconfig.json'), path.join(root, out, 'package.json'));
  const newest = Math.max(...inputs.filter((f) => existsSync(f)).map(mtime));
  const outputs = sources.map((f) => path.join(dist, f.replace(/\.ts$/, '.js')));
  return outputs.every((f) => existsSync(f) && mtime(f) >= newest);
}

function tscProject(out) {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [tsc, '-p', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    c.stdout.on('data', (d) => (log += d));
    c.stderr.on('data', (d) => (log += d));
    c.on('error', (e) => resolve({ out, status: -1, log: String(e) }));
    c.on('close', (status) => resolve({ out, status, log }));
  });
}

/**
 * The runtime first (every generated package compiles against its dist/), then the stale packages two at a time.
 * Returns what was built and what was up to date; throws naming each package that did not compile.
 */
export async function buildPackages() {
  const config = JSON.parse(readFileSync(path.join(root, 'uapi-ts.config.json'), 'utf8'));
  const all = ['packages/runtime', ...config.packages.map((p) => p.out)];
  const built = [];
  const failed = [];
  if (!distIsFresh(all[0])) {
    const r = await tscProject(all[0]);
    if (r.status !== 0) throw new Error(`tsc -p ${r.out} failed:\n${r.log}`);
    built.push(all[0]);
  }
  const stale = all.slice(1).filter((out) => !distIsFresh(out));
  for (let i = 0; i < stale.length; i += 2) {
    for (const r of await Promise.all(stale.slice(i, i + 2).map(tscProject))) {
      if (r.status === 0) built.push(r.out);
      else failed.push(r);
    }
  }
  if (failed.length) throw new Error(failed.map((r) => `tsc -p ${r.out} failed:\n${r.log}`).join('\n'));
  return { built, fresh: all.filter((p) => !built.includes(p)) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = performance.now();
  try {
    const { built } = await buildPackages();
    const s = ((performance.now() - t) / 1000).toFixed(1);
    console.log(built.length ? `built ${built.join(', ')} in ${s} s` : 'package builds up to date');
  } catch (e) {
    console.error(`build-packages: ${e.message}`);
    process.exit(1);
  }
}
