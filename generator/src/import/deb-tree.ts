// `uapi-ts import --deb VERSION|FILE.deb --out OUT`: a whole UAPI tree from Debian's linux-libc-dev, as a folder
// `generate --tree` and `diff --tree` read. OUT holds the package's usr/include (linux/, asm-generic/, each
// triplet's asm/ ...) and, under OUT/lib/linux/uapi/, the per-architecture asm/ folders the triplets' asm/ headers
// link to: the package's relative links stay relative links, one level shorter (OUT stands where usr/include was).
// Everything is unpacked into a hidden folder next to OUT and renamed to OUT at the end: a failure leaves no OUT.
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { UsageError } from '../diagnostics.js';
import { downloadDeb, DebError, unpackDeb } from './deb.js';

export interface DebTreeOptions {
  /** A linux-libc-dev version (7.3.4-1~bpo13+1), fetched with apt, or the path of a .deb already here. */
  readonly deb: string;
  readonly out: string;
  readonly progress: (line: string) => void;
}

export interface DebTreeResult {
  readonly out: string;
  /** How many linux/*.h the tree holds. */
  readonly headers: number;
  /** The multiarch triplets with an asm/ folder (x86_64-linux-gnu ...). */
  readonly triplets: readonly string[];
}

export function importDebTree(options: DebTreeOptions): DebTreeResult {
  const out = resolve(options.out);
  checkOut(options.out, out);
  const work = mkdtempSync(join(tmpdir(), 'uapi-ts-deb-tree-'));
  let staging: string | null = null;
  try {
    const deb = isDebFile(options.deb) ? resolve(options.deb) : downloadDeb(options.deb, work, options.progress);
    const root = join(work, 'root');
    unpackDeb(deb, root, options.progress);
    const include = join(root, 'usr', 'include');
    if (!existsSync(join(include, 'linux'))) throw new DebError(`${basename(deb)} has no usr/include/linux/: not a linux-libc-dev package`);
    mkdirSync(dirname(out), { recursive: true });
    staging = mkdtempSync(join(dirname(out), `.${basename(out)}.partial-`));
    chmodSync(staging, 0o755); // mkdtemp's 0700 is for the hidden folder only, not the tree
    options.progress(`copying usr/include into ${options.out}`);
    cpSync(include, staging, { recursive: true, verbatimSymlinks: true });
    const uapi = join(root, 'usr', 'lib', 'linux', 'uapi');
    if (existsSync(uapi)) cpSync(uapi, join(staging, 'lib', 'linux', 'uapi'), { recursive: true, verbatimSymlinks: true });
    const triplets = relinkAsm(staging);
    const headers = readdirSync(join(staging, 'linux')).filter((f) => f.endsWith('.h')).length;
    renameSync(staging, out);
    staging = null;
    options.progress(`${headers} linux/*.h headers, asm/ for ${triplets.length} triplets (${triplets.join(', ')}) in ${options.out}`);
    return { out, headers, triplets };
  } finally {
    if (staging !== null) rmSync(staging, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/** OUT must be new (or an empty folder), and its place writable: said before anything is fetched. */
function checkOut(given: string, out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${given} is a file; give a new folder for the tree`);
  if (readdirSync(out).length > 0) throw new UsageError(`--out ${given} is not empty; give a new folder for the tree`);
  rmSync(out, { recursive: true }); // an empty folder: replaced by the rename at the end
}

function isDebFile(deb: string): boolean {
  return deb.endsWith('.deb') && existsSync(deb) && statSync(deb).isFile();
}

/**
 * The package's links from usr/include into usr/lib (each triplet's `asm/X` → `../../../lib/linux/uapi/<arch>/asm/X`,
 * `asm/vendor/X` one level deeper) point, under OUT, at OUT/lib: the same relative link, one `../` shorter.
 * Returns the triplets (the folders with an asm/), sorted. Other links are left as they are.
 */
function relinkAsm(staging: string): string[] {
  const relink = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const at = posix.join(rel, entry.name); // where it stood, under usr/include
      if (entry.isDirectory()) relink(path, at);
      else if (entry.isSymbolicLink()) {
        const target = posix.normalize(posix.join('usr/include', posix.dirname(at), readlinkSync(path)));
        if (!target.startsWith('usr/lib/')) continue;
        unlinkSync(path);
        symlinkSync(posix.relative(posix.dirname(at), target.slice('usr/'.length)), path);
      }
    }
  };
  const triplets: string[] = [];
  for (const entry of readdirSync(staging).sort()) {
    const asm = join(staging, entry, 'asm');
    if (entry === 'lib' || !existsSync(asm) || !lstatSync(asm).isDirectory()) continue;
    triplets.push(entry);
    relink(asm, posix.join(entry, 'asm'));
  }
  return triplets;
}
