// Checks a profile's `pointers` key (struct.field → what a pointer member points at): its shape only; whether the
// fields exist is checked against the header in pointers.ts.
import { isObject, type Fail } from './profile-shape.js';

const DIRS = ['in', 'out', 'inout'];
const POINTER_KEYS = ['to', 'dir', 'count', 'length', 'minBytes'];

export function checkPointersKey(pointers: unknown, fail: Fail): void {
  if (pointers === undefined) return;
  if (!isObject(pointers)) fail(['pointers'], 'must map struct.field paths to pointer descriptions');
  for (const [k, v] of Object.entries(pointers as object)) {
    if (!isObject(v)) fail(['pointers', k], 'must be an object');
    for (const [kk, vv] of Object.entries(v as object)) {
      const ok = kk === 'dir' ? DIRS.includes(vv as string) : POINTER_KEYS.includes(kk) && typeof vv === 'string';
      if (!ok) fail(['pointers', k, kk], 'expected to (buffer | struct NAME), dir (in | out | inout), count or length (a field name), minBytes (an expression)');
    }
  }
}
