// Header path + options → model: the parse and model stages joined, with the hints file read and checked.
import { existsSync, readFileSync } from 'node:fs';
import { HeaderError } from './diagnostics.js';
import { buildModel } from './model/build.js';
import type { Hints } from './model/ioctl.js';
import type { Model } from './model/types.js';
import { parseHeader } from './parse/unit.js';

export interface LoadOptions {
  readonly includeDirs: readonly string[];
  readonly hintsFile?: string | undefined;
}

export function loadModel(header: string, options: LoadOptions): Model {
  const hints = options.hintsFile ? readHints(options.hintsFile) : undefined;
  const { unit, warnings } = parseHeader(header, { includeDirs: options.includeDirs });
  return buildModel(unit, warnings, hints ? { hints, hintsPath: options.hintsFile! } : {});
}

export function readHints(path: string): Hints {
  const at = { file: path, line: 1, col: 1 };
  if (!existsSync(path)) throw new HeaderError(at, 'hints file not found');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new HeaderError(at, `hints file is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new HeaderError(at, 'hints file must hold a JSON object');
  const known = new Set(['$comment', 'ioctlArgs', 'ignoreDocRefs', 'pointers', 'values', 'device']);
  for (const key of Object.keys(data)) if (!known.has(key)) throw new HeaderError(at, `unknown key '${key}' in hints file`);
  const h = data as { ioctlArgs?: unknown; ignoreDocRefs?: unknown };
  if (h.ioctlArgs !== undefined) {
    if (typeof h.ioctlArgs !== 'object' || h.ioctlArgs === null || Array.isArray(h.ioctlArgs)) throw new HeaderError(at, "'ioctlArgs' must map ioctl names to struct names");
    for (const [k, v] of Object.entries(h.ioctlArgs)) {
      if (v !== null && typeof v !== 'string') throw new HeaderError(at, `ioctlArgs.${k} must be a struct name or null`);
    }
  }
  if (h.ignoreDocRefs !== undefined && (!Array.isArray(h.ignoreDocRefs) || h.ignoreDocRefs.some((x) => typeof x !== 'string'))) {
    throw new HeaderError(at, "'ignoreDocRefs' must be a list of ioctl names");
  }
  const p = (data as { pointers?: unknown }).pointers;
  if (p !== undefined) {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new HeaderError(at, "'pointers' must map struct.field paths to pointer descriptions");
    for (const [k, v] of Object.entries(p)) {
      if (typeof v !== 'object' || v === null) throw new HeaderError(at, `pointers.${k} must be an object`);
      for (const [kk, vv] of Object.entries(v)) {
        const ok = kk === 'dir' ? ['in', 'out', 'inout'].includes(vv as string) : ['to', 'count', 'length', 'minBytes'].includes(kk) && typeof vv === 'string';
        if (!ok) throw new HeaderError(at, `pointers.${k}.${kk}: expected to (buffer | struct NAME), dir (in | out | inout), count or length (a field name), minBytes (an expression)`);
      }
    }
  }
  const values = (data as { values?: unknown }).values;
  if (values !== undefined && (!Array.isArray(values) || values.some((x) => typeof x !== 'string'))) throw new HeaderError(at, "'values' must be a list of struct.field paths");
  const device = (data as { device?: unknown }).device;
  if (device !== undefined && typeof device !== 'string') throw new HeaderError(at, "'device' must be a path such as /dev/iommu");
  return h as Hints;
}
