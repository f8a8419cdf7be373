// A stand-in for the generated `@uapi-ts/vfio` package until it is merged (branch `parse`): the device-cdev ioctls
// of Linux 7.3's include/uapi/linux/vfio.h that the vfio guest suite calls, as a device class on @uapi-ts/runtime
// with the method names the package's profile gives (methodPrefix VFIO_: VFIO_DEVICE_GET_INFO → deviceGetInfo),
// each struct hand-encoded from the header's text (offsets: __u32 fields in order, __aligned_u64 8-aligned).
// `argsz` is filled with the struct's size. Calls go through IoctlDevice's `call`, so the runner records them.
// Replace the import of this file with the generated package once it exists; the tests keep their shape.
import { capabilityChain, IoctlDevice, type Capability, type ErrnoMeanings, type IoctlError } from '@uapi-ts/runtime';

/** _IO(VFIO_TYPE, VFIO_BASE + n): VFIO_TYPE is ';' (0x3b), VFIO_BASE 100. */
const io = (n: number): number => (0x3b << 8) | (100 + n);

export const ioctls = {
  VFIO_GET_API_VERSION: { name: 'VFIO_GET_API_VERSION', request: io(0) },
  VFIO_CHECK_EXTENSION: { name: 'VFIO_CHECK_EXTENSION', request: io(1) },
  VFIO_DEVICE_GET_INFO: { name: 'VFIO_DEVICE_GET_INFO', request: io(7) },
  VFIO_DEVICE_GET_REGION_INFO: { name: 'VFIO_DEVICE_GET_REGION_INFO', request: io(8) },
  VFIO_DEVICE_GET_IRQ_INFO: { name: 'VFIO_DEVICE_GET_IRQ_INFO', request: io(9) },
  VFIO_DEVICE_SET_IRQS: { name: 'VFIO_DEVICE_SET_IRQS', request: io(10) },
  VFIO_DEVICE_RESET: { name: 'VFIO_DEVICE_RESET', request: io(11) },
  VFIO_DEVICE_GET_PCI_HOT_RESET_INFO: { name: 'VFIO_DEVICE_GET_PCI_HOT_RESET_INFO', request: io(12) },
  VFIO_DEVICE_PCI_HOT_RESET: { name: 'VFIO_DEVICE_PCI_HOT_RESET', request: io(13) },
  VFIO_DEVICE_IOEVENTFD: { name: 'VFIO_DEVICE_IOEVENTFD', request: io(16) },
  VFIO_DEVICE_FEATURE: { name: 'VFIO_DEVICE_FEATURE', request: io(17) },
  VFIO_DEVICE_BIND_IOMMUFD: { name: 'VFIO_DEVICE_BIND_IOMMUFD', request: io(18) },
  VFIO_DEVICE_ATTACH_IOMMUFD_PT: { name: 'VFIO_DEVICE_ATTACH_IOMMUFD_PT', request: io(19) },
  VFIO_DEVICE_DETACH_IOMMUFD_PT: { name: 'VFIO_DEVICE_DETACH_IOMMUFD_PT', request: io(20) },
} as const;
type IoctlName = keyof typeof ioctls;

// Constants, from the header's #defines and enums.
export const VFIO_DEVICE_FLAGS_RESET = 1 << 0;
export const VFIO_DEVICE_FLAGS_PCI = 1 << 1;
export const VFIO_DEVICE_FLAGS_CAPS = 1 << 7;
export const VFIO_REGION_INFO_FLAG_READ = 1 << 0;
export const VFIO_REGION_INFO_FLAG_WRITE = 1 << 1;
export const VFIO_REGION_INFO_FLAG_MMAP = 1 << 2;
export const VFIO_REGION_INFO_FLAG_CAPS = 1 << 3;
export const VFIO_REGION_INFO_CAP_SPARSE_MMAP = 1;
export const VFIO_REGION_INFO_CAP_TYPE = 2;
export const VFIO_IRQ_INFO_EVENTFD = 1 << 0;
export const VFIO_IRQ_INFO_MASKABLE = 1 << 1;
export const VFIO_IRQ_INFO_AUTOMASKED = 1 << 2;
export const VFIO_IRQ_INFO_NORESIZE = 1 << 3;
export const VFIO_IRQ_SET_DATA_NONE = 1 << 0;
export const VFIO_IRQ_SET_DATA_BOOL = 1 << 1;
export const VFIO_IRQ_SET_DATA_EVENTFD = 1 << 2;
export const VFIO_IRQ_SET_ACTION_MASK = 1 << 3;
export const VFIO_IRQ_SET_ACTION_UNMASK = 1 << 4;
export const VFIO_IRQ_SET_ACTION_TRIGGER = 1 << 5;
export const VFIO_DEVICE_IOEVENTFD_8 = 1 << 0;
export const VFIO_DEVICE_IOEVENTFD_16 = 1 << 1;
export const VFIO_DEVICE_IOEVENTFD_32 = 1 << 2;
export const VFIO_DEVICE_IOEVENTFD_64 = 1 << 3;
export const VFIO_DEVICE_FEATURE_MASK = 0xffff;
export const VFIO_DEVICE_FEATURE_GET = 1 << 16;
export const VFIO_DEVICE_FEATURE_SET = 1 << 17;
export const VFIO_DEVICE_FEATURE_PROBE = 1 << 18;
export const VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY = 3;
export const VFIO_DEVICE_BIND_FLAG_TOKEN = 1 << 0;
export const VFIO_DEVICE_ATTACH_PASID = 1 << 0;
export const VFIO_DEVICE_DETACH_PASID = 1 << 0;
export const VFIO_PCI_HOT_RESET_FLAG_DEV_ID = 1 << 0;
export const VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED = 1 << 1;
export const VFIO_PCI_DEVID_OWNED = 0;
export const VFIO_PCI_DEVID_NOT_OWNED = -1;
export const VFIO_PCI_BAR0_REGION_INDEX = 0;
export const VFIO_PCI_ROM_REGION_INDEX = 6;
export const VFIO_PCI_CONFIG_REGION_INDEX = 7;
export const VFIO_PCI_VGA_REGION_INDEX = 8;
export const VFIO_PCI_NUM_REGIONS = 9;
export const VFIO_PCI_INTX_IRQ_INDEX = 0;
export const VFIO_PCI_MSI_IRQ_INDEX = 1;
export const VFIO_PCI_MSIX_IRQ_INDEX = 2;
export const VFIO_PCI_ERR_IRQ_INDEX = 3;
export const VFIO_PCI_REQ_IRQ_INDEX = 4;
export const VFIO_PCI_NUM_IRQS = 5;

/** struct vfio_info_cap_header { __u16 id; __u16 version; __u32 next; }: its layout, as a generated codec gives it. */
export const VfioInfoCapHeader = {
  cName: 'vfio_info_cap_header',
  size: 8,
  fields: {
    id: { offset: 0, size: 2, type: '__u16' },
    version: { offset: 2, size: 2, type: '__u16' },
    next: { offset: 4, size: 4, type: '__u32' },
  },
} as const;

export interface VfioDeviceInfo { argsz: number; flags: number; num_regions: number; num_irqs: number; cap_offset: number; pad: number }
export interface VfioRegionInfo { argsz: number; flags: number; index: number; cap_offset: number; size: bigint; offset: bigint }
export interface VfioIrqInfo { argsz: number; flags: number; index: number; count: number }
/** struct vfio_pci_dependent_device: `group_id` and `devid` share their bytes (a union). */
export interface VfioPciDependentDevice { group_id: number; devid: number; segment: number; bus: number; devfn: number }
export interface VfioPciHotResetInfo { argsz: number; flags: number; count: number; devices: VfioPciDependentDevice[] }
export interface VfioDeviceBindIommufd { argsz: number; flags: number; iommufd: number; out_devid: number; token_uuid_ptr: bigint }
export interface VfioDeviceAttachIommufdPt { argsz: number; flags: number; pt_id: number; pasid: number }
export interface VfioDeviceDetachIommufdPt { argsz: number; flags: number; pasid: number }

const NONE: ErrnoMeanings = {};
/** The largest argument: a region info with room for its capability chain. */
const ARG_BYTES = 4096;

/** The vfio device cdev (/dev/vfio/devices/vfioN) and its ioctls. */
export class Vfio extends IoctlDevice {
  /** Names the requests for the runner's coverage record. */
  static readonly ioctls = ioctls;

  private constructor(fd: number, owned: boolean) {
    super(fd, owned, ARG_BYTES);
  }

  static open(path: string): Vfio {
    return new Vfio(IoctlDevice.openPath(path), true);
  }

  static fromFd(fd: number): Vfio {
    return new Vfio(fd, false);
  }

  /** Encodes with `put`, calls `name`; returns the argument buffer as the kernel left it, or throws. */
  #ioctl(name: IoctlName, size: number, put: (d: DataView) => void): DataView {
    const d = this.args();
    new Uint8Array(d.buffer, d.byteOffset, size).fill(0);
    d.setUint32(0, size, true); // argsz
    put(d);
    const errno = this.call(ioctls[name].request);
    if (errno !== 0) throw this.failure(errno, name, NONE, size) as IoctlError;
    return d;
  }

  deviceBindIommufd(args: { flags?: number; iommufd: number; token_uuid_ptr?: bigint }): VfioDeviceBindIommufd {
    const d = this.#ioctl('VFIO_DEVICE_BIND_IOMMUFD', 24, (d) => {
      d.setUint32(4, args.flags ?? 0, true);
      d.setInt32(8, args.iommufd, true);
      d.setBigUint64(16, args.token_uuid_ptr ?? 0n, true);
    });
    return { argsz: d.getUint32(0, true), flags: d.getUint32(4, true), iommufd: d.getInt32(8, true), out_devid: d.getUint32(12, true), token_uuid_ptr: d.getBigUint64(16, true) };
  }

  deviceAttachIommufdPt(args: { flags?: number; pt_id: number; pasid?: number }): VfioDeviceAttachIommufdPt {
    const d = this.#ioctl('VFIO_DEVICE_ATTACH_IOMMUFD_PT', 16, (d) => {
      d.setUint32(4, args.flags ?? 0, true);
      d.setUint32(8, args.pt_id, true);
      d.setUint32(12, args.pasid ?? 0, true);
    });
    return { argsz: d.getUint32(0, true), flags: d.getUint32(4, true), pt_id: d.getUint32(8, true), pasid: d.getUint32(12, true) };
  }

  deviceDetachIommufdPt(args: { flags?: number; pasid?: number } = {}): VfioDeviceDetachIommufdPt {
    const d = this.#ioctl('VFIO_DEVICE_DETACH_IOMMUFD_PT', 12, (d) => {
      d.setUint32(4, args.flags ?? 0, true);
      d.setUint32(8, args.pasid ?? 0, true);
    });
    return { argsz: d.getUint32(0, true), flags: d.getUint32(4, true), pasid: d.getUint32(8, true) };
  }

  deviceGetInfo(): VfioDeviceInfo {
    const d = this.#ioctl('VFIO_DEVICE_GET_INFO', 24, () => {});
    const u = (o: number) => d.getUint32(o, true);
    return { argsz: u(0), flags: u(4), num_regions: u(8), num_irqs: u(12), cap_offset: u(16), pad: u(20) };
  }

  deviceGetRegionInfo(args: { index: number }): VfioRegionInfo {
    const d = this.#ioctl('VFIO_DEVICE_GET_REGION_INFO', 32, (d) => d.setUint32(8, args.index, true));
    return decodeRegionInfo(d);
  }

  /**
   * GET_REGION_INFO with room for the capability chain (argsz = 4096): the info and its capabilities, each
   * found by following `cap_offset` and each header's `next` (offsets from the start of the info struct).
   */
  deviceGetRegionInfoCaps(args: { index: number }): { info: VfioRegionInfo; caps: Capability[] } {
    const d = this.args();
    new Uint8Array(d.buffer, d.byteOffset, ARG_BYTES).fill(0);
    d.setUint32(0, ARG_BYTES, true);
    d.setUint32(8, args.index, true);
    const errno = this.call(ioctls.VFIO_DEVICE_GET_REGION_INFO.request);
    if (errno !== 0) throw this.failure(errno, 'VFIO_DEVICE_GET_REGION_INFO', NONE, 32);
    const info = decodeRegionInfo(d);
    const bytes = new Uint8Array(d.buffer, d.byteOffset, Math.min(info.argsz, ARG_BYTES));
    return { info, caps: info.flags & VFIO_REGION_INFO_FLAG_CAPS ? capabilityChain(bytes, info.cap_offset, VfioInfoCapHeader) : [] };
  }

  deviceGetIrqInfo(args: { index: number }): VfioIrqInfo {
    const d = this.#ioctl('VFIO_DEVICE_GET_IRQ_INFO', 16, (d) => d.setUint32(8, args.index, true));
    const u = (o: number) => d.getUint32(o, true);
    return { argsz: u(0), flags: u(4), index: u(8), count: u(12) };
  }

  /** VFIO_DEVICE_SET_IRQS; `data` is the flexible array (one __s32 per eventfd, one __u8 per bool), argsz covers it. */
  deviceSetIrqs(args: { flags: number; index: number; start?: number; count: number; data?: Uint8Array }): void {
    const data = args.data ?? new Uint8Array(0);
    this.#ioctl('VFIO_DEVICE_SET_IRQS', 20 + data.length, (d) => {
      d.setUint32(4, args.flags, true);
      d.setUint32(8, args.index, true);
      d.setUint32(12, args.start ?? 0, true);
      d.setUint32(16, args.count, true);
      new Uint8Array(d.buffer, d.byteOffset + 20, data.length).set(data);
    });
  }

  deviceReset(): void {
    const errno = this.call(ioctls.VFIO_DEVICE_RESET.request);
    if (errno !== 0) throw this.failure(errno, 'VFIO_DEVICE_RESET', NONE);
  }

  /** VFIO_DEVICE_FEATURE with `data` as the flexible array after flags. */
  deviceFeature(args: { flags: number; data?: Uint8Array }): Uint8Array {
    const data = args.data ?? new Uint8Array(0);
    const d = this.#ioctl('VFIO_DEVICE_FEATURE', 8 + data.length, (d) => {
      d.setUint32(4, args.flags, true);
      new Uint8Array(d.buffer, d.byteOffset + 8, data.length).set(data);
    });
    return new Uint8Array(d.buffer, d.byteOffset + 8, data.length).slice();
  }

  /**
   * VFIO_DEVICE_GET_PCI_HOT_RESET_INFO with room for `room` devices (vfio.h: ENOSPC when there is too little,
   * with `count` set to what is needed).
   */
  deviceGetPciHotResetInfo(args: { room: number }): VfioPciHotResetInfo {
    const d = this.#ioctl('VFIO_DEVICE_GET_PCI_HOT_RESET_INFO', 12 + 8 * args.room, () => {});
    const count = d.getUint32(8, true);
    const devices: VfioPciDependentDevice[] = [];
    for (let i = 0; i < Math.min(count, args.room); i++) {
      const o = 12 + 8 * i;
      devices.push({ group_id: d.getUint32(o, true), devid: d.getUint32(o, true), segment: d.getUint16(o + 4, true), bus: d.getUint8(o + 6), devfn: d.getUint8(o + 7) });
    }
    return { argsz: d.getUint32(0, true), flags: d.getUint32(4, true), count, devices };
  }

  /** VFIO_DEVICE_PCI_HOT_RESET; on a cdev the group_fds array must be empty (vfio.h). */
  devicePciHotReset(args: { flags?: number; group_fds?: readonly number[] } = {}): void {
    const fds = args.group_fds ?? [];
    this.#ioctl('VFIO_DEVICE_PCI_HOT_RESET', 12 + 4 * fds.length, (d) => {
      d.setUint32(4, args.flags ?? 0, true);
      d.setUint32(8, fds.length, true);
      fds.forEach((fd, i) => d.setInt32(12 + 4 * i, fd, true));
    });
  }

  deviceIoeventfd(args: { flags: number; offset: bigint | number; data: bigint | number; fd: number }): void {
    this.#ioctl('VFIO_DEVICE_IOEVENTFD', 32, (d) => {
      d.setUint32(4, args.flags, true);
      d.setBigUint64(8, BigInt(args.offset), true);
      d.setBigUint64(16, BigInt(args.data), true);
      d.setInt32(24, args.fd, true);
    });
  }
}

function decodeRegionInfo(d: DataView): VfioRegionInfo {
  const u = (o: number) => d.getUint32(o, true);
  return { argsz: u(0), flags: u(4), index: u(8), cap_offset: u(12), size: d.getBigUint64(16, true), offset: d.getBigUint64(24, true) };
}
