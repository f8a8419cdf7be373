// QEMU's edu PCI device (vendor 1234, device 11e8) bound to vfio-pci, driven from TypeScript through vfio's device
// cdev and iommufd: open it by its PCI address, bind it to an iommufd, attach it to an IOAS, map a buffer, and have
// the device copy the buffer into itself and back (edu's DMA registers, QEMU docs/specs/edu.rst), the way back
// awaited through its completion interrupt (MSI, delivered to an eventfd by VFIO_DEVICE_SET_IRQS).
//   node vfio-edu.js [PCI address]       (the first edu when none is given; run as root in a guest with an IOMMU)
import { Iommufd, IommufdIoasMapFlags as F } from '@uapi-ts/iommufd';
import { EventFd, fileRegisters, mappedRegisters, Memory, pciDevices, vfioDevicePath } from '@uapi-ts/runtime';
import {
  Vfio, VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_IRQ_SET_DATA_EVENTFD, VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_CONFIG_REGION_INDEX,
  VFIO_PCI_MSI_IRQ_INDEX,
} from '@uapi-ts/vfio';

export async function eduDma(address: string): Promise<boolean> {
  using iommu = Iommufd.open();
  using dev = Vfio.open(vfioDevicePath(address));
  dev.deviceBindIommufd({ iommufd: iommu.fd });
  const { out_ioas_id } = iommu.ioasAlloc({});
  dev.deviceAttachIommufdPt({ pt_id: out_ioas_id });
  using from = Memory.map(4096);
  using to = Memory.map(4096);
  const flags = F.IOMMU_IOAS_MAP_FIXED_IOVA | F.IOMMU_IOAS_MAP_READABLE | F.IOMMU_IOAS_MAP_WRITEABLE;
  iommu.ioasMap({ ioas_id: out_ioas_id, user_va: from, iova: 0x100000, flags });
  iommu.ioasMap({ ioas_id: out_ioas_id, user_va: to, iova: 0x200000, flags });
  const config = dev.deviceGetRegionInfo({ index: VFIO_PCI_CONFIG_REGION_INDEX });
  const command = fileRegisters(dev, config.offset, Number(config.size));
  command.write16(0x04, command.read16(0x04) | 0b110); // memory space and bus mastering on
  const bar0 = dev.deviceGetRegionInfo({ index: VFIO_PCI_BAR0_REGION_INDEX });
  using mmio = Memory.mapFd(dev, Number(bar0.offset), 4096);
  const regs = mappedRegisters(mmio);
  using done = EventFd.create(); // edu's one MSI vector signals it; the eventfds are SET_IRQS' flexible array
  dev.deviceSetIrqs({ flags: VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, index: VFIO_PCI_MSI_IRQ_INDEX, data: [done.fd] });
  const dma = async (src: number, dst: number, cmd: number): Promise<void> => {
    regs.write64(0x80, BigInt(src)); regs.write64(0x88, BigInt(dst)); regs.write64(0x90, 1024n); regs.write64(0x98, BigInt(cmd));
    if (cmd & 4) {
      await done.wait(); // bit 2: raise the DMA interrupt when done; the event loop runs meanwhile
      regs.write32(0x64, 0x100); // acknowledge it
    } else while (regs.read64(0x98) & 1n) await new Promise((r) => setTimeout(r, 10)); // bit 0: running
  };
  from.bytes.subarray(0, 1024).forEach((_, i, b) => (b[i] = (i * 7) & 0xff));
  await dma(0x100000, 0x40000, 1); // RAM → edu's buffer, polled
  await dma(0x40000, 0x200000, 3 | 4); // edu's buffer → RAM, and the interrupt awaited
  return to.bytes.subarray(0, 1024).every((x, i) => x === from.bytes[i]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const address = process.argv[2] ?? pciDevices({ vendor: 0x1234, device: 0x11e8 })[0]?.address;
  if (!address) throw new Error('no edu device');
  console.log(`edu dma: ${(await eduDma(address)) ? 'match' : 'MISMATCH'}`);
}
