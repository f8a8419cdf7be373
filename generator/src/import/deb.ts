// Debian's linux-libc-dev of a given version, fetched with apt-get through private option files (a sources.list,
// lists and cache under ~/.cache/uapi-ts/apt), so the system's apt sources and state are never touched, then
// unpacked with dpkg-deb. The suites are those deb.debian.org serves kernels from (bookworm … sid).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../diagnostics.js';
import { dependencies, type Dependency } from './dependencies.js';

export const DEB_SUITES = ['bookworm', 'bookworm-updates', 'bookworm-backports', 'trixie', 'trixie-updates', 'trixie-backports', 'sid'] as const;
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
const MIRROR = process.env.UAPI_TS_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

/** A failure of the download (network, unknown version): exit 1 with apt's own words. */
export class DebError extends Error {
  override name = 'DebError';
}

export function aptDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'uapi-ts', 'apt');
}

/** apt-get options that use only our sources.list, lists and cache. */
export function aptOptions(dir = aptDir()): string[] {
  mkdirSync(join(dir, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
  const list = DEB_SUITES.map((s) => `deb [signed-by=${KEYRING}] ${MIRROR} ${s} main`).join('\n') + '\n';
  writeFileSync(join(dir, 'sources.list'), list);
  return [
    '-o', `Dir::Etc::SourceList=${join(dir, 'sources.list')}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${join(dir, 'lists')}`,
    '-o', `Dir::Cache=${join(dir, 'cache')}`,
  ];
}

function run(cmd: string, args: readonly string[], cwd: string, progress: (line: string) => void): void {
  progress(`$ ${cmd} ${args.filter((a) => a !== '-o' && !a.startsWith('Dir::')).join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  for (const line of out.split('\n')) if (line && !/^W: Download is performed unsandboxed/.test(line)) progress(`  ${line}`);
  if (r.error) throw new DebError(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new DebError(`${cmd} ${args.find((a) => !a.startsWith('-') && !a.includes('::')) ?? ''} failed (exit ${r.status})${out ? `:\n${out}` : ''}`);
}

/** Refresh the private package lists (a few seconds when they are current). */
export function aptUpdate(progress: (line: string) => void): string[] {
  if (!existsSync(KEYRING)) throw new DebError(`${KEYRING} is missing (apt-get install debian-archive-keyring)`);
  const o = aptOptions();
  run('apt-get', [...o, '-q', 'update'], aptDir(), progress);
  return o;
}

/** The linux-libc-dev versions the suites hold, newest first. */
export function debVersions(progress: (line: string) => void): string[] {
  const o = aptUpdate(progress);
  const r = spawnSync('apt-cache', [...o, 'madison', 'linux-libc-dev'], { encoding: 'utf8' });
  return [...new Set((r.stdout ?? '').split('\n').map((l) => l.split('|')[1]?.trim()).filter((v): v is string => !!v))];
}

export interface DebHeader {
  readonly text: string;
  /** The headers it includes that the package holds (import/dependencies.ts). */
  readonly dependencies: readonly Dependency[];
  readonly file: string; // linux-libc-dev_6.12.117-1_all.deb
  readonly sha256: string;
}

/** Downloads linux-libc-dev=VERSION into `work` with apt; returns the .deb's path. */
export function downloadDeb(version: string, work: string, progress: (line: string) => void): string {
  if (!/^[0-9][A-Za-z0-9.+~:-]*$/.test(version)) throw new UsageError(`--deb '${version}' is not a Debian version (6.12.117-1) or a .deb file`);
  const o = aptUpdate(progress);
  run('apt-get', [...o, '-q', 'download', `linux-libc-dev=${version}`], work, progress);
  const file = readdirSync(work).find((f) => f.endsWith('.deb'));
  if (!file) throw new DebError(`apt-get download left no .deb in ${work}`);
  return join(work, file);
}

/** Unpacks a .deb's files into `root` with dpkg-deb. */
export function unpackDeb(deb: string, root: string, progress: (line: string) => void): void {
  run('dpkg-deb', ['-x', deb, root], dirname(root), progress);
}

export async function fetchDeb(version: string, header: string, progress: (line: string) => void): Promise<DebHeader> {
  const work = mkdtempSync(join(tmpdir(), 'uapi-ts-deb-'));
  try {
    const deb = downloadDeb(version, work, progress);
    const file = basename(deb);
    const bytes = readFileSync(deb);
    const root = join(work, 'root');
    unpackDeb(deb, root, progress);
    const path = join(root, 'usr', 'include', header);
    if (!existsSync(path)) throw new DebError(`linux-libc-dev ${version} has no usr/include/${header}`);
    const text = readFileSync(path, 'utf8');
    // asm/ headers live in the multiarch folder (links into usr/lib/linux/uapi/<arch>/asm): x86-64's, the model's arch.
    const roots = [
      { dir: join(root, 'usr', 'include'), label: 'usr/include' },
      { dir: join(root, 'usr', 'include', 'x86_64-linux-gnu'), label: 'usr/include/x86_64-linux-gnu' },
    ];
    return { text, dependencies: dependencies(header, text, roots, root), file, sha256: createHash('sha256').update(bytes).digest('hex') };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
