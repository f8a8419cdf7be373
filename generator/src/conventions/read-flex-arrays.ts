// Checks a profile's `flexArrays` key (struct.member → count member and element type): its shape only; flex.ts
// checks the members against the header.
import { isObject, type Fail } from './profile-shape.js';

export function checkFlexArraysKey(flex: unknown, fail: Fail): void {
  if (flex === undefined) return;
  if (!isObject(flex)) fail(['flexArrays'], 'must map struct.member paths to flexible array descriptions');
  for (const [k, v] of Object.entries(flex as object)) {
    if (!isObject(v)) fail(['flexArrays', k], 'must be an object');
    for (const [kk, vv] of Object.entries(v as object)) {
      const ok = kk === 'count' ? vv === null || (typeof vv === 'string' && vv !== '') : kk === 'element' && typeof vv === 'string';
      if (!ok) fail(['flexArrays', k, kk], 'expected count (a member name, or null: none holds it) or element (an integer type such as __s32)');
    }
  }
}
