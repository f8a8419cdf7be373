// The vfio guest's fixture: QEMU's edu device (vendor 0x1234, device 0x11e8; QEMU's docs/specs/edu.rst) bound to
// vfio-pci, opened through its vfio device cdev with the generated @uapi-ts/vfio, bound to an iommufd, attached to an IOAS, with its registers
// (BAR0, mmap'ed) and config space (pread/pwrite) as register views.
import assert from 'node:assert/strict';
import { closeSync, constants, existsSync, openSync, readSync, writeFileSync } from 'node:fs';
import {
  fileRegisters, mappedRegisters, Memory, pciDevice, pciDevices, vfioDevicePath, type Registers,
} from '@uapi-ts/runtime';
import { v73, vfio } from './lib.js';
import { VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_CONFIG_REGION_INDEX } from './vfio-abi.js';

export const EDU_VENDOR = 0x1234;
export const EDU_DEVICE = 0x11e8;

/** edu's registers (BAR0), from QEMU's docs/specs/edu.rst. */
export const EDU = {
  ID: 0x00, // RO: 0xRRrr00ed, RR.rr the version (1.0)
  LIVENESS: 0x04, // RW: reads back the bitwise inverse of what was written
  FACTORIAL: 0x08, // RW: computes the factorial of what was written
  STATUS: 0x20, // bit 0: computing the factorial
  IRQ_STATUS: 0x24, // RO: the raised interrupt bits
  IRQ_RAISE: 0x60, // WO: raises the written bits
  IRQ_ACK: 0x64, // WO: clears the written bits, lowers the interrupt when none is left
  DMA_SRC: 0x80,
  DMA_DST: 0x88,
  DMA_COUNT: 0x90,
  DMA_CMD: 0x98, // bit 0 start (reads 1 while running), bit 1 direction (1: edu → RAM), bit 2 raise DMA_IRQ when done
  DMA_IRQ: 0x100,
  /** The device-side address of edu's 4 KiB DMA buffer. */
  BUFFER: 0x40000,
  BUFFER_SIZE: 4096,
} as const;
export const DMA_START = 1;
export const DMA_TO_RAM = 2;
export const DMA_IRQ_WHEN_DONE = 4;

/** PCI config space (PCI Local Bus spec): the command register and its bus-master bit. */
export const PCI_VENDOR_ID = 0x00;
export const PCI_DEVICE_ID = 0x02;
export const PCI_COMMAND = 0x04;
export const PCI_COMMAND_MEMORY = 1 << 1;
export const PCI_COMMAND_MASTER = 1 << 2;

/** The edu device's PCI address, bound to vfio-pci (once; later calls find it bound). */
export function eduAddress(): string {
  const found = pciDevices({ vendor: EDU_VENDOR, device: EDU_DEVICE });
  assert.equal(found.length, 1, `expected one edu device (1234:11e8), found ${found.length}`);
  const address = found[0]!.address;
  if (found[0]!.driver !== 'vfio-pci') {
    const dir = `/sys/bus/pci/devices/${address}`;
    if (found[0]!.driver !== null) writeFileSync(`${dir}/driver/unbind`, address);
    writeFileSync(`${dir}/driver_override`, 'vfio-pci');
    writeFileSync('/sys/bus/pci/drivers_probe', address);
  }
  assert.equal(pciDevice(address).driver, 'vfio-pci', `${address} did not bind to vfio-pci`);
  return address;
}

/** edu's cdev path, bound to vfio-pci. */
export function eduCdev(): string {
  const path = vfioDevicePath(eduAddress());
  assert.ok(existsSync(path), `${path} does not exist (devtmpfs should have made it)`);
  return path;
}

export const IOVA_A = 0x100000;
export const IOVA_B = 0x200000;

/**
 * An open edu: the cdev bound to a fresh iommufd, attached to an IOAS with two 4 KiB buffers mapped at IOVA_A and
 * IOVA_B (read-write), BAR0 mapped, bus mastering on. Disposing closes everything in reverse.
 */
export class Edu {
  readonly address: string;
  readonly iommu: v73.Iommufd;
  /** The device, through the generated @uapi-ts/vfio class. */
  readonly dev: vfio.Vfio;
  readonly devid: number;
  readonly ioas: number;
  /** The HWPT the kernel attached the device to for `ioas`. */
  readonly hwpt: number;
  readonly a: Memory;
  readonly b: Memory;
  readonly bar0: Memory;
  readonly regs: Registers;
  readonly config: Registers;

  constructor() {
    this.address = eduAddress();
    this.iommu = v73.Iommufd.open();
    this.dev = vfio.Vfio.open(vfioDevicePath(this.address));
    this.devid = this.dev.deviceBindIommufd({ iommufd: this.iommu.fd }).out_devid;
    this.ioas = this.iommu.ioasAlloc({}).out_ioas_id;
    this.hwpt = this.dev.deviceAttachIommufdPt({ pt_id: this.ioas }).pt_id;
    this.a = Memory.map(4096);
    this.b = Memory.map(4096);
    this.map(this.ioas, this.a, IOVA_A);
    this.map(this.ioas, this.b, IOVA_B);
    const bar0 = this.dev.deviceGetRegionInfo({ index: VFIO_PCI_BAR0_REGION_INDEX });
    this.bar0 = Memory.mapFd(this.dev, Number(bar0.offset), 4096);
    this.regs = mappedRegisters(this.bar0);
    const cfg = this.dev.deviceGetRegionInfo({ index: VFIO_PCI_CONFIG_REGION_INDEX });
    this.config = fileRegisters(this.dev, cfg.offset, Number(cfg.size));
    this.config.write16(PCI_COMMAND, this.config.read16(PCI_COMMAND) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
  }

  map(ioas: number, mem: Memory, iova: number): void {
    const F = v73.IommufdIoasMapFlags;
    this.iommu.ioasMap({
      ioas_id: ioas, user_va: mem, iova,
      flags: F.IOMMU_IOAS_MAP_FIXED_IOVA | F.IOMMU_IOAS_MAP_READABLE | F.IOMMU_IOAS_MAP_WRITEABLE,
    });
  }

  /** Starts a DMA of `count` bytes (`cmd`: DMA_START plus direction and interrupt bits). */
  startDma(src: number, dst: number, count: number, cmd: number): void {
    assert.ok(count > 0 && count < EDU.BUFFER_SIZE, 'QEMU 7.2 edu aborts on a transfer ending at its buffer end');
    this.regs.write64(EDU.DMA_SRC, BigInt(src));
    this.regs.write64(EDU.DMA_DST, BigInt(dst));
    this.regs.write64(EDU.DMA_COUNT, BigInt(count));
    this.regs.write64(EDU.DMA_CMD, BigInt(cmd));
  }

  /** Polls the command register until edu clears its start bit (edu runs a DMA 100 ms after it is started). */
  async dmaDone(timeoutMs = 10_000): Promise<void> {
    const t0 = Date.now();
    while (this.regs.read64(EDU.DMA_CMD) & BigInt(DMA_START)) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`edu DMA still running after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** RAM (IOVA `from`) → edu's buffer → RAM (IOVA `to`), `count` bytes, polled. */
  async roundTrip(from: number, to: number, count: number): Promise<void> {
    this.startDma(from, EDU.BUFFER, count, DMA_START);
    await this.dmaDone();
    this.startDma(EDU.BUFFER, to, count, DMA_START | DMA_TO_RAM);
    await this.dmaDone();
  }

  [Symbol.dispose](): void {
    this.bar0.close();
    this.dev.close();
    this.a.close();
    this.b.close();
    this.iommu.close();
  }
}

/** A pattern of `n` bytes, different for each `seed`. */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The kernel log's records from now on: call `read()` later for what was logged since. */
export function kernelLog(): { read(): string[]; close(): void } {
  const fd = openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
  const buf = Buffer.alloc(8192);
  // Skip what is there already: /dev/kmsg starts at the oldest record.
  const drain = (): string[] => {
    const out: string[] = [];
    for (;;) {
      try {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n <= 0) break;
        out.push(buf.subarray(0, n).toString('utf8').split(';').slice(1).join(';').split('\n')[0]!);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        if (code === 'EPIPE') continue; // records overwritten while we read: go on with the next
        throw e;
      }
    }
    return out;
  };
  drain();
  return { read: drain, close: () => closeSync(fd) };
}

/** Waits up to `ms` for a kernel log record matching `re` among those `log` reads; returns the records read. */
export async function waitForLog(log: { read(): string[] }, re: RegExp, ms = 5000): Promise<string[]> {
  const seen: string[] = [];
  const t0 = Date.now();
  for (;;) {
    seen.push(...log.read());
    if (seen.some((l) => re.test(l)) || Date.now() - t0 > ms) return seen;
    await new Promise((r) => setTimeout(r, 50));
  }
}
