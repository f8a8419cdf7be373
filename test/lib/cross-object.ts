// The bytes a cross-compiler gives initialized objects: the C is compiled only (no linking, nothing runs), the
// objects' section is copied out with the same toolchain's objcopy and cut at each symbol (nm -S). Ground truth for
// the byte order and layout of targets this host cannot run (s390x's big-endian structs, i386's 32-bit longs).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `<triplet>-gcc`, `-objcopy` and `-nm` are installed (Debian's gcc-<triplet> packages). */
export function hasCrossCompiler(triplet: string): boolean {
  return ['gcc', 'objcopy', 'nm'].every((tool) => spawnSync(`${triplet}-${tool}`, ['--version'], { stdio: 'ignore' }).status === 0);
}

/**
 * The bytes of every object `source` marks with `PROBE` before its type (`PROBE struct foo name = {...};`, which
 * puts it in a section of its own), by name, as `<triplet>-gcc` lays them out. `includeDirs` (held headers, such as
 * headers/v7.3) are searched before the cross-compiler's own, but the target's asm/ before them: a held asm/
 * folder is x86-64's.
 */
export function objectsOf(triplet: string, source: string, includeDirs: readonly string[] = []): Map<string, Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-cross-'));
  try {
    const c = join(dir, 'probe.c');
    const o = join(dir, 'probe.o');
    const bin = join(dir, 'probe.bin');
    writeFileSync(c, `#define PROBE __attribute__((section(".probe"), used))\n${source}\n`);
    const asm = join(dir, 'asm-first');
    mkdirSync(asm);
    symlinkSync(`/usr/${triplet}/include/asm`, join(asm, 'asm'));
    const includes = (includeDirs.length ? [asm, ...includeDirs] : []).flatMap((d) => ['-I', d]);
    try {
      execFileSync(`${triplet}-gcc`, ['-std=gnu11', '-c', '-O0', ...includes, '-o', o, c], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    } catch (e) {
      throw new Error(`${triplet}-gcc failed on ${c}:\n${(e as { stderr?: Buffer }).stderr?.toString() ?? ''}`);
    }
    execFileSync(`${triplet}-objcopy`, ['-O', 'binary', '--only-section=.probe', o, bin], { stdio: ['ignore', 'ignore', 'pipe'] });
    const section = new Uint8Array(readFileSync(bin));
    const objects = new Map<string, Uint8Array>();
    for (const line of execFileSync(`${triplet}-nm`, ['-S', '--defined-only', o], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length !== 4) continue;
      const at = parseInt(f[0]!, 16);
      objects.set(f[3]!, section.slice(at, at + parseInt(f[1]!, 16)));
    }
    return objects;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bytes of the one object `name` of `source` (see objectsOf). */
export function objectBytes(triplet: string, source: string, name: string, includeDirs: readonly string[] = []): Uint8Array {
  const bytes = objectsOf(triplet, source, includeDirs).get(name);
  if (!bytes) throw new Error(`${triplet}-nm: no object ${name} with a size in the probe`);
  return bytes;
}
