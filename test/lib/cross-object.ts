// The bytes a cross-compiler gives an initialized object: the C is compiled only (no linking, nothing runs), the
// object's section is copied out with the same toolchain's objcopy. Ground truth for the byte order and layout
// of targets this host cannot run (s390x's big-endian structs, i386's 32-bit longs).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `<triplet>-gcc`, `-objcopy` and `-nm` are installed (Debian's gcc-<triplet> packages). */
export function hasCrossCompiler(triplet: string): boolean {
  return ['gcc', 'objcopy', 'nm'].every((tool) => spawnSync(`${triplet}-${tool}`, ['--version'], { stdio: 'ignore' }).status === 0);
}

/**
 * The bytes of the object `name` that `source` defines, as `<triplet>-gcc` lays it out. `source` marks the objects
 * to read with `PROBE` before their type (`PROBE struct foo name = {...};`), which puts them in a section of their
 * own; the object's place in it is its symbol's value and size (`nm -S`).
 */
export function objectBytes(triplet: string, source: string, name: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-cross-'));
  try {
    const c = join(dir, 'probe.c');
    const o = join(dir, 'probe.o');
    const bin = join(dir, 'probe.bin');
    writeFileSync(c, `#define PROBE __attribute__((section(".probe"), used))\n${source}\n`);
    execFileSync(`${triplet}-gcc`, ['-std=gnu11', '-c', '-O0', '-o', o, c], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync(`${triplet}-objcopy`, ['-O', 'binary', '--only-section=.probe', o, bin], { stdio: ['ignore', 'ignore', 'pipe'] });
    const symbols = execFileSync(`${triplet}-nm`, ['-S', '--defined-only', o], { encoding: 'utf8' });
    const line = symbols.split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f.length === 4 && f[3] === name);
    if (!line) throw new Error(`${triplet}-nm: no object ${name} with a size in the probe`);
    const at = parseInt(line[0]!, 16);
    return new Uint8Array(readFileSync(bin)).slice(at, at + parseInt(line[1]!, 16));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
