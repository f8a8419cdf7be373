// PCI devices as sysfs shows them, and the vfio device cdev of one bound to a vfio driver
// (/sys/bus/pci/devices/<address>/vfio-dev/vfioN → /dev/vfio/devices/vfioN).
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** A PCI address as sysfs names it: domain:bus:device.function, e.g. `0000:00:03.0`. */
const PCI_ADDRESS = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

/** Where sysfs and /dev are; tests give a fake tree. */
export interface SysfsRoots {
  readonly sys?: string;
  readonly dev?: string;
}

export interface PciDevice {
  /** `0000:00:03.0` */
  readonly address: string;
  readonly vendor: number;
  readonly device: number;
  /** The 24-bit class code (`0x00ff00`: unclassified). */
  readonly class: number;
  /** The bound driver's name, or null. */
  readonly driver: string | null;
}

function hexFile(file: string): number {
  const text = readFileSync(file, 'utf8').trim();
  if (!/^0x[0-9a-f]+$/i.test(text)) throw new Error(`${file}: expected a hexadecimal number, got ${JSON.stringify(text)}`);
  return Number.parseInt(text, 16);
}

function pciDir(address: string, roots: SysfsRoots): string {
  if (typeof address !== 'string' || !PCI_ADDRESS.test(address)) {
    const got = typeof address === 'string' ? JSON.stringify(address) : typeof address;
    throw new TypeError(`expected a PCI address like 0000:00:03.0, got ${got}`);
  }
  const dir = path.join(roots.sys ?? '/sys', 'bus/pci/devices', address);
  if (!existsSync(dir)) throw new Error(`no PCI device ${address} (${dir} does not exist)`);
  return dir;
}

/** The PCI device at `address`, read from sysfs. */
export function pciDevice(address: string, roots: SysfsRoots = {}): PciDevice {
  const dir = pciDir(address, roots);
  const driverLink = path.join(dir, 'driver');
  return {
    address,
    vendor: hexFile(path.join(dir, 'vendor')),
    device: hexFile(path.join(dir, 'device')),
    class: hexFile(path.join(dir, 'class')),
    driver: existsSync(driverLink) ? path.basename(readlinkSync(driverLink)) : null,
  };
}

/** Every PCI device sysfs lists, in address order; with `vendor`/`device`, only those. */
export function pciDevices(match: { vendor?: number; device?: number } = {}, roots: SysfsRoots = {}): PciDevice[] {
  const dir = path.join(roots.sys ?? '/sys', 'bus/pci/devices');
  return readdirSync(dir)
    .filter((a) => PCI_ADDRESS.test(a))
    .sort()
    .map((a) => pciDevice(a, roots))
    .filter((d) => (match.vendor === undefined || d.vendor === match.vendor) && (match.device === undefined || d.device === match.device));
}

/**
 * The vfio device cdev of the PCI device at `address` (`/dev/vfio/devices/vfio0`, or `noiommu-vfio0` in vfio's
 * no-IOMMU mode), which must be bound to a vfio
 * driver (vfio-pci): an error that says so otherwise. Open it with the vfio package's device class.
 */
export function vfioDevicePath(address: string, roots: SysfsRoots = {}): string {
  const dir = pciDir(address, roots);
  const cdevs = path.join(dir, 'vfio-dev');
  // noiommu-vfioN: a device in vfio's no-IOMMU mode (unsafe DMA).
  const names = existsSync(cdevs) ? readdirSync(cdevs).filter((n) => /^(noiommu-)?vfio\d+$/.test(n)) : [];
  if (names.length !== 1) {
    const driver = pciDevice(address, roots).driver;
    const how = 'bind it to vfio-pci, in a kernel with VFIO_DEVICE_CDEV';
    throw new Error(`PCI device ${address} has ${names.length === 0 ? 'no' : 'more than one'} vfio device cdev (bound to ${driver ?? 'no driver'}; ${how})`);
  }
  return path.join(roots.dev ?? '/dev', 'vfio/devices', names[0]!);
}
