// iommufd.h (and iommufd_test.h): kernel-doc as everywhere, plus its array protocol. IOMMU_IOAS_IOVA_RANGES
// documents it: when the output array is smaller than the answer, the kernel stores the number needed in the
// count field and fails with EMSGSIZE; the caller grows the array and calls again (the `...All()` method).
import type { ProfileHooks } from '../conventions/profile.js';
import { kernelDocHooks } from './kernel-doc.js';

export const iommufdHooks: ProfileHooks = {
  ...kernelDocHooks,
  retry(_ioctl, errors, arrays) {
    if (!errors.some((e) => e.name === 'EMSGSIZE')) return null;
    const out = arrays.filter((a) => a.dir !== 'in' && a.count !== null && a.element !== null).at(-1);
    return out ? { errno: 'EMSGSIZE', field: out.field } : null;
  },
};
