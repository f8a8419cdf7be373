// The errno meanings are read from the header's own text: the "General ioctl format" list and per-ioctl sentences.
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../generator/src/load.js';

const m = loadModel('headers/v7.3/linux/iommufd.h', { includeDirs: [], profileFile: 'headers/iommufd.profile.json' });

describe('errno documentation from iommufd.h v7.3', () => {
  it('reads the general list of the "General ioctl format" DOC section, continuation lines joined', () => {
    expect(m.errnos.map((e) => e.name)).toEqual(['ENOTTY', 'E2BIG', 'EOPNOTSUPP', 'EINVAL', 'ENOENT', 'ENOMEM', 'EOVERFLOW']);
    expect(m.errnos.find((e) => e.name === 'E2BIG')!.text).toBe(
      'The IOCTL number is supported, but the provided structure has non-zero in a part the kernel does not understand.',
    );
  });

  it('finds the sentence of IOAS_IOVA_RANGES that documents EMSGSIZE', () => {
    const io = m.ioctls.find((i) => i.name === 'IOMMU_IOAS_IOVA_RANGES')!;
    expect(io.errors).toEqual([
      { name: 'EMSGSIZE', text: 'The ioctl will return -EMSGSIZE and set num_iovas to the required value if num_iovas is too small.' },
    ]);
  });

  it('finds errnos in member descriptions too (IOAS_CHANGE_PROCESS: EINVAL)', () => {
    const io = m.ioctls.find((i) => i.name === 'IOMMU_IOAS_CHANGE_PROCESS')!;
    expect(io.errors.map((e) => e.name)).toEqual(['EINVAL']);
  });
});
