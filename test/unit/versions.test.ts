import { describe, expect, it } from 'vitest';
import { compareVersions, headerVersions, insidePath } from '../../generator/src/versions.js';

describe('header versions', () => {
  it.each([
    ['6.6-rc1', '6.6', -1], ['6.6', '6.12', -1], ['6.12', '7.3', -1], ['v7.3', 'v7.3', 0], ['6.6-rc2', '6.6-rc10', -1], ['7.3.4', '7.3', 1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  it('finds every held version of iommufd.h, oldest first, and the one of iommufd_test.h', () => {
    expect(headerVersions('headers/v7.3/linux/iommufd.h').map((v) => v.version)).toEqual(['6.6-rc1', '6.12', '7.3']);
    expect(headerVersions('iommufd_test.h').map((v) => v.header)).toEqual(['headers/v7.3/iommufd_test.h']);
    expect(insidePath('headers/v6.12/linux/iommufd.h')).toBe('linux/iommufd.h');
  });
});
