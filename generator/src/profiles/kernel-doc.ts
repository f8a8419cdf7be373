// Hooks for headers documented with kernel-doc, and the default for every header: a 64-bit member whose
// `@member:` text calls it a pointer is a user pointer; "array of struct NAME" names its elements; "output" or
// "fill" in that text means the kernel writes through it. A header without kernel-doc gets nothing from these.
import type { ProfileHooks } from '../conventions/profile.js';

export const kernelDocHooks: ProfileHooks = {
  pointerFromDoc(doc) {
    if (!/\bpointer\b/i.test(doc)) return null;
    const element = /array of struct (\w+)/.exec(doc)?.[1];
    return { element: element ? `struct ${element}` : null, dir: /\boutput\b|\bfill\b/i.test(doc) ? 'out' : 'in' };
  },
  retry() {
    return null;
  },
};
