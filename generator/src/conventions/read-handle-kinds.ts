// Checks a profile's `handles` and `valueArgs` keys (read-profile.ts reads the rest): their shape only; whether the
// ioctls and records they name exist is checked against the header in handle-kinds.ts.
import { isObject, type Fail } from './profile-shape.js';

const KIND_KEYS = ['class', 'createdBy', 'ioctls', 'region'];

export function checkHandleKinds(handles: unknown, valueArgs: unknown, fail: Fail): void {
  if (valueArgs !== undefined) {
    if (!isObject(valueArgs)) fail(['valueArgs'], 'must map ioctl names to a parameter name');
    for (const [k, v] of Object.entries(valueArgs as object)) {
      if (typeof v !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(v)) fail(['valueArgs', k], 'must be a parameter name in camelCase');
    }
  }
  if (handles === undefined) return;
  if (!Array.isArray(handles)) fail(['handles'], 'must be a list of handle kinds');
  const classes = new Set<string>();
  (handles as unknown[]).forEach((h, i) => {
    const at = ['handles', String(i)];
    if (!isObject(h)) fail(at, 'must be an object with class, ioctls and optionally createdBy and region');
    const kind = h as Record<string, unknown>;
    for (const key of Object.keys(kind)) if (!KIND_KEYS.includes(key)) fail([...at, key], `unknown key; a handle kind has ${KIND_KEYS.join(', ')}`);
    if (typeof kind.class !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(kind.class)) fail([...at, 'class'], 'must be a class name in PascalCase');
    if (classes.has(kind.class as string)) fail([...at, 'class'], `names the class ${String(kind.class)} twice`);
    classes.add(kind.class as string);
    if (kind.createdBy !== undefined && typeof kind.createdBy !== 'string') fail([...at, 'createdBy'], 'must be an ioctl name');
    if (i > 0 && kind.createdBy === undefined) fail(at, 'needs createdBy: only the first kind is opened from the device');
    if (i === 0 && kind.createdBy !== undefined) fail([...at, 'createdBy'], 'the first kind is the one opened from the device');
    if (!Array.isArray(kind.ioctls) || !kind.ioctls.every((x) => typeof x === 'string')) fail([...at, 'ioctls'], 'must be a list of ioctl names');
    const region = kind.region;
    if (region !== undefined && !(isObject(region) && typeof region.record === 'string' && typeof region.method === 'string' && Object.keys(region).length === 2)) {
      fail([...at, 'region'], 'must be { "record": struct name, "method": method name }');
    }
  });
}
