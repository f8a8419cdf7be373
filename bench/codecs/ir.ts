// The model of a header as `uapi-ts ir` prints it (docs/ir-schema.md), for the benchmarks to walk.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface IrField {
  readonly name: string | null;
  readonly offset: number;
  readonly size: number;
  readonly type: string;
  readonly bitWidth?: number;
  readonly fields?: readonly IrField[];
}

export interface IrRecord {
  readonly name: string;
  readonly kind: 'struct' | 'union';
  readonly size: number;
  readonly align: number;
  readonly fields: readonly IrField[];
}

export interface Ir {
  readonly records: readonly IrRecord[];
}

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url)); // from test/.out/bench-build/bench/codecs

/** The model of `header` (relative to the repository), from the repository's own CLI. */
export function readIr(header: string, includeDir: string, root = ROOT): Ir {
  const r = spawnSync(process.execPath, ['generator/bin/uapi-ts.js', 'ir', header, '-I', includeDir], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`uapi-ts ir ${header} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Ir;
}

/** `__u32[6]` → { element: '__u32', length: 6 }; a scalar → length null. */
export function arrayOf(type: string): { element: string; length: number | null } {
  const m = /^(.*)\[(\d+)\]$/.exec(type);
  return m ? { element: m[1]!, length: Number(m[2]) } : { element: type, length: null };
}
