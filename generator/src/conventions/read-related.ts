// Checks a profile's `related` key (struct.field → a sentence and ioctls of sibling packages): its shape only; plan/
// related.ts checks the named ioctls against the packages a run generates.
import { isObject, type Fail } from './profile-shape.js';

export function checkRelatedKey(related: unknown, fail: Fail): void {
  if (related === undefined) return;
  if (!isObject(related)) fail(['related'], 'must map struct.field paths to { says, see }');
  for (const [k, v] of Object.entries(related as object)) {
    if (!isObject(v)) fail(['related', k], 'must be an object { says, see }');
    const e = v as Record<string, unknown>;
    for (const kk of Object.keys(e)) if (kk !== 'says' && kk !== 'see') fail(['related', k, kk], 'unknown key; expected says, see');
    if (e.says === undefined) fail(['related', k], 'needs says, a sentence saying what the field holds');
    if (typeof e.says !== 'string' || e.says === '') fail(['related', k, 'says'], 'must be a sentence saying what the field holds');
    if (e.see === undefined) fail(['related', k], 'needs see, a list of { package, ioctl } entries');
    if (!Array.isArray(e.see) || e.see.length === 0) fail(['related', k, 'see'], 'must list { package, ioctl } entries');
    (e.see as unknown[]).forEach((s, i) => {
      const ok = isObject(s) && Object.keys(s).every((x) => x === 'package' || x === 'ioctl')
        && typeof s.package === 'string' && /^@[a-z0-9-]+\/[a-z0-9.-]+$/.test(s.package) && typeof s.ioctl === 'string' && /^[A-Z][A-Z0-9_]*$/.test(s.ioctl);
      if (!ok) fail(['related', k, 'see', String(i)], 'must be { "package": "@scope/name", "ioctl": "IOCTL_NAME" }');
    });
  }
}
