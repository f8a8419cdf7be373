// The typed hooks a profile file may name in its "hooks" key.
import type { ProfileHooks } from '../conventions/profile.js';
import { iommufdHooks } from './iommufd.js';
import { kernelDocHooks } from './kernel-doc.js';

export const HOOKS: ReadonlyMap<string, ProfileHooks> = new Map([
  ['kernel-doc', kernelDocHooks],
  ['iommufd', iommufdHooks],
]);
