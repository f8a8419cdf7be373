// First guest tests: /dev/iommu opens, an IOAS comes and goes, and errors come back as the header documents them.
import assert from 'node:assert/strict';
import { expectErrno, v73, type Tests } from './lib.js';

const { Iommufd, IoctlError, IOMMU_IOAS_ALLOC } = v73;

export const tests: Tests = {
  'opens /dev/iommu'() {
    const dev = Iommufd.open();
    try {
      assert.ok(dev.fd >= 0);
      assert.equal(dev.closed, false);
    } finally {
      dev.close();
    }
    assert.equal(dev.closed, true);
  },

  'ioasAlloc gives an id and destroy frees it'() {
    using dev = Iommufd.open();
    const a = dev.ioasAlloc();
    assert.equal(a.size, 12, 'size is filled in');
    assert.ok(a.out_ioas_id > 0, `out_ioas_id ${a.out_ioas_id}`);
    const b = dev.ioasAlloc();
    assert.notEqual(b.out_ioas_id, a.out_ioas_id, 'a second IOAS gets another id');
    dev.destroy({ id: a.out_ioas_id });
    dev.destroy({ id: b.out_ioas_id });
    // Gone: a second destroy of the same id fails.
    expectErrno(() => dev.destroy({ id: a.out_ioas_id }), 'ENOENT');
  },

  'destroy of an unknown id is ENOENT with the header text'() {
    using dev = Iommufd.open();
    const err = expectErrno(() => dev.destroy({ id: 0xfffff }), 'ENOENT');
    assert.ok(err instanceof IoctlError, 'the v7.3 package\'s IoctlError');
    assert.equal(err.ioctl, 'IOMMU_DESTROY');
    assert.equal(err.errno, 2);
    assert.equal(err.meaning, 'An ID or IOVA provided does not exist.');
  },

  'a larger struct is E2BIG when its tail is not zero'() {
    using dev = Iommufd.open();
    // struct iommu_ioas_alloc is 12 bytes { size, flags, out_ioas_id }; send 16 with size = 16.
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 16, true);
    bytes[15] = 1;
    const err = expectErrno(() => dev.ioctlRaw(IOMMU_IOAS_ALLOC, bytes), 'E2BIG');
    assert.equal(err.errno, 7);
    // The same size with a zero tail is accepted: the kernel ignores zeroes it does not understand.
    bytes[15] = 0;
    assert.equal(dev.ioctlRaw(IOMMU_IOAS_ALLOC, bytes), 0);
    const id = view.getUint32(8, true);
    assert.ok(id > 0, `out_ioas_id ${id}`);
    dev.destroy({ id });
  },
};
