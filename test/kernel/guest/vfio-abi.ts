// What the generated @uapi-ts/vfio cannot send yet: the ioctls whose argument ends in a flexible array the call must
// fill (VFIO_DEVICE_SET_IRQS' eventfds, VFIO_DEVICE_PCI_HOT_RESET's group fds) or leave room after
// (VFIO_DEVICE_GET_PCI_HOT_RESET_INFO's devices, GET_REGION_INFO's capability chain): the generated methods pass
// the fixed part only (argsz = the struct's size). A device class on @uapi-ts/runtime for the same descriptor
// (`VfioFlex.fromFd(dev.fd)`), each struct encoded from the header's text; calls go through IoctlDevice's `call`,
// so the runner records them under the same ioctl names. Remove it when the generator handles flexible arrays.
import { capabilityChain, IoctlDevice, type Capability, type ErrnoMeanings, type IoctlError } from '@uapi-ts/runtime';
import { VFIO_REGION_INFO_FLAG_CAPS } from '../../../generated/vfio/dist/index.js';

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

// Constants: the generated package's.
export {
  VFIO_DEVICE_FLAGS_RESET,
  VFIO_DEVICE_FLAGS_PCI,
  VFIO_DEVICE_FLAGS_CAPS,
  VFIO_REGION_INFO_FLAG_READ,
  VFIO_REGION_INFO_FLAG_WRITE,
  VFIO_REGION_INFO_FLAG_MMAP,
  VFIO_REGION_INFO_FLAG_CAPS,
  VFIO_REGION_INFO_CAP_SPARSE_MMAP,
  VFIO_REGION_INFO_CAP_TYPE,
  VFIO_IRQ_INFO_EVENTFD,
  VFIO_IRQ_INFO_MASKABLE,
  VFIO_IRQ_INFO_AUTOMASKED,
  VFIO_IRQ_INFO_NORESIZE,
  VFIO_IRQ_SET_DATA_NONE,
  VFIO_IRQ_SET_DATA_BOOL,
  VFIO_IRQ_SET_DATA_EVENTFD,
  VFIO_IRQ_SET_ACTION_MASK,
  VFIO_IRQ_SET_ACTION_UNMASK,
  VFIO_IRQ_SET_ACTION_TRIGGER,
  VFIO_DEVICE_IOEVENTFD_8,
  VFIO_DEVICE_IOEVENTFD_16,
  VFIO_DEVICE_IOEVENTFD_32,
  VFIO_DEVICE_IOEVENTFD_64,
  VFIO_DEVICE_FEATURE_MASK,
  VFIO_DEVICE_FEATURE_GET,
  VFIO_DEVICE_FEATURE_SET,
  VFIO_DEVICE_FEATURE_PROBE,
  VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
  VFIO_DEVICE_BIND_FLAG_TOKEN,
  VFIO_DEVICE_ATTACH_PASID,
  VFIO_DEVICE_DETACH_PASID,
  VFIO_PCI_HOT_RESET_FLAG_DEV_ID,
  VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED,
  VFIO_PCI_DEVID_OWNED,
  VFIO_PCI_DEVID_NOT_OWNED,
  VFIO_PCI_BAR0_REGION_INDEX,
  VFIO_PCI_ROM_REGION_INDEX,
  VFIO_PCI_CONFIG_REGION_INDEX,
  VFIO_PCI_VGA_REGION_INDEX,
  VFIO_PCI_NUM_REGIONS,
  VFIO_PCI_INTX_IRQ_INDEX,
  VFIO_PCI_MSI_IRQ_INDEX,
  VFIO_PCI_MSIX_IRQ_INDEX,
  VFIO_PCI_ERR_IRQ_INDEX,
  VFIO_PCI_REQ_IRQ_INDEX,
  VFIO_PCI_NUM_IRQS,
} from '../../../generated/vfio/dist/index.js';

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

export interface VfioRegionInfo { argsz: number; flags: number; index: number; cap_offset: number; size: bigint; offset: bigint }
/** struct vfio_pci_dependent_device: `group_id` and `devid` share their bytes (a union). */
export interface VfioPciDependentDevice { group_id: number; devid: number; segment: number; bus: number; devfn: number }
export interface VfioPciHotResetInfo { argsz: number; flags: number; count: number; devices: VfioPciDependentDevice[] }

const NONE: ErrnoMeanings = {};
/** The largest argument: a region info with room for its capability chain. */
const ARG_BYTES = 4096;

/** The vfio device cdev (/dev/vfio/devices/vfioN) and its ioctls. */
export class VfioFlex extends IoctlDevice {
  /** Names the requests for the runner's coverage record. */
  static readonly ioctls = ioctls;

  private constructor(fd: number, owned: boolean) {
    super(fd, owned, ARG_BYTES);
  }

  /** The same descriptor as a generated `Vfio` handle; closing this one leaves it open. */
  static fromFd(fd: number): VfioFlex {
    return new VfioFlex(fd, false);
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


}

function decodeRegionInfo(d: DataView): VfioRegionInfo {
  const u = (o: number) => d.getUint32(o, true);
  return { argsz: u(0), flags: u(4), index: u(8), cap_offset: u(12), size: d.getBigUint64(16, true), offset: d.getBigUint64(24, true) };
}
