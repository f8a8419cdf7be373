// Shared helpers for the guest tests that need the iommufd selftest mock device (hwpt.ts, viommu.ts).
// Not a test file: it exports no `tests`, so the runner skips it.
//
// A Fixture is one open /dev/iommu with a fresh IOAS, the IOMMU_TEST_CMD view of the same descriptor, and a cleanup
// list: every object a test makes is registered with `own()` (or `defer()` for other undo steps), and disposing the
// fixture runs that list in reverse order (last made, first destroyed) before it closes the descriptor. A step a test
// runs itself early is taken off the list with the function `own()`/`defer()` returned.
import { closeSync } from 'node:fs';
import { test73, v73 } from './lib.js';

/** The IDs a mock device comes with (IOMMU_TEST_OP_MOCK_DOMAIN[_FLAGS]). */
export interface MockDevice {
  /** The selftest object: IOMMU_DESTROY of it detaches, unbinds and deletes the device. */
  readonly stdevId: number;
  /** The paging HWPT the device got attached to (the IOAS's automatic one, or the HWPT given as `id`). */
  readonly hwptId: number;
  /** The iommufd device: the `dev_id` of every device ioctl. */
  readonly idevId: number;
  /** Destroys the device now (IOMMU_DESTROY of `stdevId`) and takes that step off the fixture's cleanup list. */
  readonly destroy: Undo;
}

/** What the header says ENOENT means (the general errno list of iommufd.h). */
export const ENOENT_MEANING = 'An ID or IOVA provided does not exist.';

/** An ID no test ever gets on a fresh descriptor (IDs start at 1 and are reused lowest first). */
export const UNKNOWN_ID = 0xfffff;

/** A registered cleanup step; calling it runs the step now and takes it off the list. */
export type Undo = () => void;

export class Fixture implements Disposable {
  readonly dev: v73.Iommufd;
  /** IOMMU_TEST_CMD on the same descriptor as `dev` (does not own it). */
  readonly test: test73.IommufdTest;
  readonly ioasId: number;
  readonly #steps: { what: string; run: () => void }[] = [];

  private constructor(dev: v73.Iommufd) {
    this.dev = dev;
    this.test = test73.IommufdTest.fromFd(dev.fd);
    try {
      this.ioasId = dev.ioasAlloc().out_ioas_id;
    } catch (e) {
      dev.close();
      throw e;
    }
    this.own(this.ioasId, 'IOAS');
  }

  /** Opens /dev/iommu and allocates an IOAS. */
  static open(): Fixture {
    return new Fixture(v73.Iommufd.open());
  }

  /** Registers `run` to be done at dispose time, after every step registered later. */
  defer(what: string, run: () => void): Undo {
    const step = { what, run };
    this.#steps.push(step);
    return () => {
      const i = this.#steps.lastIndexOf(step);
      if (i < 0) throw new Error(`cleanup step '${what}' already ran`);
      this.#steps.splice(i, 1);
      run();
    };
  }

  /** Registers IOMMU_DESTROY of `id`; returns the function that destroys it now. */
  own(id: number, what: string): Undo {
    return this.defer(`destroy ${what} ${id}`, () => {
      this.dev.destroy({ id });
    });
  }

  /** Registers closing a file descriptor the kernel handed out (fault queue, vEVENTQ). */
  ownFd(fd: number, what: string): Undo {
    return this.defer(`close ${what} fd ${fd}`, () => closeSync(fd));
  }

  /** A mock device attached to `ptId` (default: this IOAS); `devFlags` uses MOCK_DOMAIN_FLAGS. Registered for destroy. */
  mockDevice(ptId: number = this.ioasId, devFlags?: number): MockDevice {
    const md =
      devFlags === undefined
        ? this.test.testCmd({ op: test73.IOMMU_TEST_OP_MOCK_DOMAIN, id: ptId, mock_domain: {} }).mock_domain
        : this.test.testCmd({ op: test73.IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS, id: ptId, mock_domain_flags: { dev_flags: devFlags } })
            .mock_domain_flags;
    const destroy = this.own(md.out_stdev_id, 'mock device');
    return { stdevId: md.out_stdev_id, hwptId: md.out_hwpt_id, idevId: md.out_idev_id, destroy };
  }

  /** Moves a mock device to `ptId` (IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE); returns the HWPT it is now attached to. */
  replace(stdevId: number, ptId: number): number {
    return this.test.testCmd({ op: test73.IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE, id: stdevId, mock_domain_replace: { pt_id: ptId } })
      .mock_domain_replace.pt_id;
  }

  /** HWPT_ALLOC of a paging HWPT on this IOAS for `devId` with `flags`; registered for destroy. */
  pagingHwpt(devId: number, flags = 0): number {
    const id = this.dev.hwptAlloc({ dev_id: devId, pt_id: this.ioasId, flags }).out_hwpt_id;
    this.own(id, 'paging HWPT');
    return id;
  }

  /** HWPT_ALLOC of a nested HWPT on `ptId` (a NEST_PARENT HWPT or a vIOMMU) with selftest data; registered for destroy. */
  nestedHwpt(devId: number, ptId: number, extra: { flags?: number; fault_id?: number } = {}): number {
    const data = test73.IommuHwptSelftest.encode({ iotlb: test73.IOMMU_TEST_IOTLB_DEFAULT });
    const id = this.dev.hwptAlloc({ dev_id: devId, pt_id: ptId, data_type: test73.IOMMU_HWPT_DATA_SELFTEST, data_uptr: data, ...extra })
      .out_hwpt_id;
    this.own(id, 'nested HWPT');
    return id;
  }

  /** IOAS_MAP of `mem` (all of it) read-write, at `iova` if given; registers the unmap. Returns the IOVA. */
  map(mem: v73.Memory, iova?: bigint): { iova: bigint; unmap: Undo } {
    const flags = v73.IOMMU_IOAS_MAP_READABLE | v73.IOMMU_IOAS_MAP_WRITEABLE | (iova === undefined ? 0 : v73.IOMMU_IOAS_MAP_FIXED_IOVA);
    const out = this.dev.ioasMap({ ioas_id: this.ioasId, flags, user_va: mem, iova: iova ?? 0n }).iova;
    const length = BigInt(mem.length);
    const unmap = this.defer(`unmap ${out}`, () => {
      this.dev.ioasUnmap({ ioas_id: this.ioasId, iova: out, length });
    });
    return { iova: out, unmap };
  }

  /** Runs the cleanup list last-first, then closes the descriptor; throws once, listing every step that failed. */
  [Symbol.dispose](): void {
    const failures: string[] = [];
    while (this.#steps.length > 0) {
      const step = this.#steps.pop()!;
      try {
        step.run();
      } catch (e) {
        failures.push(`${step.what}: ${(e as Error)?.message ?? String(e)}`);
      }
    }
    this.test.close();
    this.dev.close();
    if (failures.length > 0) throw new Error(`cleanup failed: ${failures.join('; ')}`);
  }
}
