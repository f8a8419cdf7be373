// The two other forms of every generated ioctl method, against the kernel: `tryX` (returns the errno instead of
// throwing) and `prepareX` (arguments encoded once, the call made again and again). Expected values come from
// the kernel: ids it hands out, errnos it returns, the option values it reports.
import assert from 'node:assert/strict';
import { expectErrno, v73, type Tests } from './lib.js';

const { Iommufd, ERRNO_NAMES, IoctlError, IommuDestroy, IOMMU_OPTION_RLIMIT_MODE: RLIMIT_MODE, IOMMU_OPTION_OP_GET: GET, IOMMU_OPTION_OP_SET: SET } = v73;

export const tests: Tests = {
  'tryIoasAlloc returns the struct; a second tryDestroy of its id returns ENOENT instead of throwing'() {
    using dev = Iommufd.open();
    const a = dev.tryIoasAlloc();
    assert.ok(typeof a === 'object', `tryIoasAlloc failed: errno ${String(a)}`);
    assert.ok(a.out_ioas_id > 0, `out_ioas_id ${a.out_ioas_id}`);
    const first = dev.tryDestroy({ id: a.out_ioas_id });
    assert.equal(typeof first, 'object', `the first destroy failed: errno ${String(first)}`);
    const second = dev.tryDestroy({ id: a.out_ioas_id });
    assert.equal(typeof second, 'number');
    assert.equal(ERRNO_NAMES.get(second as number), 'ENOENT');
  },

  'prepareIoasAlloc: each run gets a new id from the kernel, read with result()'() {
    using dev = Iommufd.open();
    const alloc = dev.prepareIoasAlloc();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      alloc.run();
      ids.push(alloc.result().out_ioas_id);
    }
    assert.equal(new Set(ids).size, 3, `ids ${ids.join(', ')}`);
    // The same destroy, prepared once and re-targeted with set().
    const destroy = dev.prepareDestroy({ id: ids[0]! });
    for (const id of ids) {
      destroy.set({ id });
      assert.equal(destroy.tryRun(), 0);
    }
    assert.equal(ERRNO_NAMES.get(destroy.tryRun()), 'ENOENT'); // the last id, again: gone
    const err = expectErrno(() => destroy.run(), 'ENOENT');
    assert.ok(err instanceof IoctlError);
    assert.equal(err.ioctl, 'IOMMU_DESTROY');
    assert.equal(err.meaning, 'An ID or IOVA provided does not exist.');
    assert.equal(IommuDestroy.decode(err.argument!).id, ids[2]);
  },

  'prepareOption reads what option() sets, and a single field can be read from its view'() {
    using dev = Iommufd.open();
    const get = dev.prepareOption({ option_id: RLIMIT_MODE, op: GET });
    get.run();
    assert.equal(get.result().val64, 0n);
    dev.option({ option_id: RLIMIT_MODE, op: SET, val64: 1 });
    get.run();
    assert.equal(get.result().val64, 1n);
    assert.equal(get.view.getBigUint64(v73.IommuOption.fields.val64.offset, true), 1n);
    dev.option({ option_id: RLIMIT_MODE, op: SET, val64: 0 });
    get.run();
    assert.equal(get.result().val64, 0n);
  },

  'a prepared call of a closed handle throws before any system call'() {
    const dev = Iommufd.open();
    const alloc = dev.prepareIoasAlloc();
    dev.close();
    assert.throws(() => alloc.run(), /the handle is closed/);
    assert.throws(() => alloc.tryRun(), /the handle is closed/);
  },
};
