// `uapi-ts import`: a new version of a header into headers/v<V>/<header>, from a file, a kernel source tree
// (include/uapi/<header>, processed as headers_install does), a `make headers_install` output folder
// (include/<header>), or Debian's linux-libc-dev package (usr/include/<header>), with a row in
// headers/SOURCES.md saying where it came from. The header must load (parse and model) before anything is
// written; an existing different file is never overwritten.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { HeaderError, HeaderErrors, UsageError, type Warning } from '../diagnostics.js';
import { loadModel } from '../load.js';
import { fetchDeb } from './deb.js';
import { dependencies, type Dependency } from './dependencies.js';
import { headersInstall } from './headers-install.js';

export type ImportSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'tree'; readonly dir: string }
  | { readonly kind: 'deb'; readonly version: string };

export interface ImportOptions {
  readonly version: string; // 7.4, v7.4, 6.13-rc1
  readonly header: string; // linux/foo.h: the path inside the version folder
  readonly source: ImportSource;
  readonly headersDir: string;
  readonly progress: (line: string) => void;
  /** Today's date for the SOURCES.md row (tests fix it); default: now. */
  readonly date?: string;
}

export interface ImportResult {
  readonly status: 'imported' | 'unchanged';
  readonly path: string; // headers/v7.4/linux/foo.h
  /** The SOURCES.md row written (null when unchanged). */
  readonly row: string | null;
  readonly warnings: readonly Warning[];
}

/** The header's text and two SOURCES.md cells: what it is and where it came from. */
interface Fetched {
  readonly text: string;
  readonly what: string;
  readonly where: string;
  /** The headers it includes that the source holds and the generator does not provide. */
  readonly dependencies: readonly Dependency[];
  /** The SOURCES.md cell of a dependency's origin. */
  readonly whereOf: (d: Dependency) => string;
}

const VERSION = /^v?(\d+(?:\.\d+)*(?:-rc\d+)?)$/;

export function checkVersion(v: string): string {
  const m = VERSION.exec(v);
  if (!m) throw new UsageError(`--version '${v}' is not a kernel version (7.4, 6.13-rc1)`);
  return m[1]!;
}

function checkHeader(h: string): void {
  if (isAbsolute(h) || h.split('/').some((p) => p === '..' || p === '') || !h.endsWith('.h')) {
    throw new UsageError(`--header '${h}' must be a relative path to a .h file inside the include folder (linux/foo.h)`);
  }
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function kernelRelease(tree: string): string | null {
  const mk = join(tree, 'Makefile');
  if (!isFile(mk)) return null;
  const text = readFileSync(mk, 'utf8');
  const get = (k: string) => new RegExp(`^${k}[ \\t]*=[ \\t]*(\\S*)`, 'm').exec(text)?.[1] ?? '';
  const v = get('VERSION');
  if (!v) return null;
  return `${v}.${get('PATCHLEVEL')}${get('SUBLEVEL') ? `.${get('SUBLEVEL')}` : ''}${get('EXTRAVERSION')}`;
}

function fromFile(path: string, header: string, version: string): Fetched {
  if (!isFile(path)) throw new UsageError(`--file ${path}: no such file`);
  const text = readFileSync(path, 'utf8');
  return { text, what: `${header}, Linux ${version}`, where: `file ${path} (sha256 ${sha256(text).slice(0, 16)})`, dependencies: [], whereOf: () => '' };
}

function fromTree(dir: string, header: string, version: string): Fetched {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--tree ${dir}: no such folder`);
  const uapi = join(dir, 'include', 'uapi', header);
  if (isFile(uapi)) {
    const raw = readFileSync(uapi, 'utf8');
    const { text, notes } = headersInstall(raw, uapi);
    const release = kernelRelease(dir);
    const roots = [
      { dir: join(dir, 'include', 'uapi'), label: 'include/uapi' },
      { dir: join(dir, 'arch', 'x86', 'include', 'uapi'), label: 'arch/x86/include/uapi' },
    ];
    const deps = dependencies(header, text, roots, dir, (r, p) => headersInstall(r, p).text);
    return {
      text,
      dependencies: deps,
      whereOf: (d) => `kernel source tree ${dir}${release ? ` (Makefile: ${release})` : ''}, ${d.from}, processed as scripts/headers_install.sh does`,
      what: `include/uapi/${header}, Linux ${version}${notes.length ? ', as headers_install installs it' : ''}`,
      where:
        `kernel source tree ${dir}${release ? ` (Makefile: ${release})` : ''}, include/uapi/${header} (sha256 ${sha256(raw).slice(0, 16)}); ` +
        (notes.length ? `processed as scripts/headers_install.sh does: ${notes.join('; ')}` : `unchanged by scripts/headers_install.sh's rules`),
    };
  }
  for (const inc of [join(dir, 'include'), join(dir, 'usr', 'include')]) {
    const installed = join(inc, header);
    if (isFile(installed)) {
      const text = readFileSync(installed, 'utf8');
      const label = relative(dir, inc);
      return {
        text,
        dependencies: dependencies(header, text, [{ dir: inc, label }], dir),
        whereOf: (d) => `make headers_install output ${dir}, ${d.from}`,
        what: `${header}, Linux ${version}, as installed by headers_install`,
        where: `make headers_install output ${dir}, ${installed.slice(dir.length).replace(/^\//, '')} (sha256 ${sha256(text).slice(0, 16)})`,
      };
    }
  }
  throw new UsageError(`--tree ${dir}: neither a kernel source tree (include/uapi/${header}) nor a headers_install folder (include/${header}) holds the header`);
}

/** The row for SOURCES.md's table, after its last row (the table comes first in the file). */
function appendRow(sourcesPath: string, row: string): void {
  const text = existsSync(sourcesPath) ? readFileSync(sourcesPath, 'utf8') : '# Input headers\n\n| file | what it is | where it came from |\n| --- | --- | --- |\n';
  const lines = text.split('\n');
  let last = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith('|')) last = i;
    else if (last >= 0) break; // the end of the first table
  }
  if (last < 0) lines.push('', '| file | what it is | where it came from |', '| --- | --- | --- |', row);
  else lines.splice(last + 1, 0, row);
  writeFileSync(sourcesPath, lines.join('\n'));
}

export async function importHeader(options: ImportOptions): Promise<ImportResult> {
  const version = checkVersion(options.version);
  checkHeader(options.header);
  const { header, headersDir, progress, source } = options;
  const folder = join(headersDir, `v${version}`);
  const target = join(folder, header);

  let fetched: Fetched;
  if (source.kind === 'file') fetched = fromFile(source.path, header, version);
  else if (source.kind === 'tree') fetched = fromTree(source.dir, header, version);
  else {
    const deb = await fetchDeb(source.version, header, progress);
    const pkg = `Debian package linux-libc-dev ${source.version} (${deb.file}, sha256 ${deb.sha256.slice(0, 16)})`;
    fetched = {
      text: deb.text,
      what: `${header}, Linux ${version}, as installed by headers_install`,
      where: `${pkg}, usr/include/${header}`,
      dependencies: deb.dependencies,
      whereOf: (d) => `${pkg}, ${d.from}`,
    };
  }

  // The header and what it includes: each new, or already there with the same text; never overwritten.
  const files = [{ header, text: fetched.text }, ...fetched.dependencies];
  const fresh = files.filter((f) => {
    const at = join(folder, f.header);
    if (!isFile(at)) return true;
    if (readFileSync(at, 'utf8') === f.text) return false;
    throw new UsageError(`${at} exists and differs from the header imported; remove it first to replace it`);
  });
  if (fresh.length === 0) {
    progress(`${target} is already there with the same text${fetched.dependencies.length ? ', and so is what it includes' : ''}`);
    return { status: 'unchanged', path: target, row: null, warnings: [] };
  }

  // The header must load (with the version's other headers and the profile) before anything is written.
  const scratch = mkdtempSync(join(tmpdir(), 'uapi-ts-import-'));
  let warnings: readonly Warning[];
  try {
    const staged = join(scratch, header);
    for (const f of files) {
      mkdirSync(dirname(join(scratch, f.header)), { recursive: true });
      writeFileSync(join(scratch, f.header), f.text);
    }
    const profile = join(headersDir, `${basename(header).replace(/\.h$/, '')}.profile.json`);
    // Locations name the file as it will be, not the scratch copy.
    const rename = <T extends { readonly file: string }>(loc: T): T => {
      const inScratch = relative(scratch, loc.file.startsWith('/') ? loc.file : join(process.cwd(), loc.file));
      return inScratch.startsWith('..') ? loc : { ...loc, file: join(folder, inScratch) };
    };
    let model;
    try {
      model = loadModel(staged, { includeDirs: [scratch, ...(existsSync(folder) ? [folder] : [])], profileFile: isFile(profile) ? profile : undefined });
    } catch (e) {
      if (e instanceof HeaderError) throw new HeaderError(rename(e.loc), e.reason);
      if (e instanceof HeaderErrors) throw new HeaderErrors(e.errors.map((x) => new HeaderError(rename(x.loc), x.reason)));
      throw e;
    }
    progress(`${header}: ${model.records.length} records, ${model.ioctls.length} ioctls`);
    warnings = model.warnings.map((w) => ({ ...w, loc: rename(w.loc) }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const date = options.date ?? new Date().toISOString().slice(0, 10);
  let row = '';
  for (const f of fresh) {
    const at = join(folder, f.header);
    mkdirSync(dirname(at), { recursive: true });
    writeFileSync(at, f.text);
    const dep = fetched.dependencies.find((d) => d.header === f.header);
    const what = dep ? `${f.header}, Linux ${version}, included by ${header}` : fetched.what;
    const where = dep ? fetched.whereOf(dep) : fetched.where;
    const line = `| v${version}/${f.header} | ${cell(what)} | ${cell(where)}; imported ${date} by \`uapi-ts import\` |`;
    appendRow(join(headersDir, 'SOURCES.md'), line);
    row = row ? `${row}\n${line}` : line;
    progress(`wrote ${at} and a row in ${join(headersDir, 'SOURCES.md')}`);
  }
  return { status: 'imported', path: target, row, warnings };
}
