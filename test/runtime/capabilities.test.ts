// Capability chains against gcc: a C program builds what vfio-pci writes for VFIO_DEVICE_GET_REGION_INFO with
// capabilities, with vfio.h's own structs (struct vfio_region_info, then a sparse-mmap capability with two areas,
// a region-type capability, an MSI-X-mappable one that is only a header, and one of an id vfio.h does not define,
// each linked by `next`), and prints its bytes. The generated deviceGetRegionInfoCaps must make the call the way
// the kernel asks (first argsz = the struct, answered with the argsz needed and no chain; then that much room)
// and decode every capability to the values the C program stored.
import koffi from 'koffi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C_DUMP, compileAndRun, parseOutput, removeRun, ROOT, type RunResult } from '../conformance/cprogram.js';
import { thrown } from '../thrown.js';
import * as vfio from '../../generated/vfio/dist/index.js';
import { join } from 'node:path';

const PROGRAM = String.raw`
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>

${C_DUMP}

int main(void) {
  size_t sparse = sizeof(struct vfio_region_info_cap_sparse_mmap) + 2 * sizeof(struct vfio_region_sparse_mmap_area);
  size_t type = sizeof(struct vfio_region_info_cap_type);
  size_t msix = sizeof(struct vfio_info_cap_header);
  size_t odd = sizeof(struct vfio_info_cap_header) + 4;
  size_t total = sizeof(struct vfio_region_info) + sparse + type + msix + odd;
  unsigned char *buf = calloc(1, total);
  struct vfio_region_info *info = (void *)buf;
  size_t at = sizeof(*info);
  info->argsz = total;
  info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS;
  info->index = VFIO_PCI_BAR0_REGION_INDEX;
  info->cap_offset = at;
  info->size = 0x100000;
  info->offset = 0;

  struct vfio_region_info_cap_sparse_mmap *s = (void *)(buf + at);
  s->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
  s->header.version = 1;
  s->header.next = at + sparse;
  s->nr_areas = 2;
  s->areas[0].offset = 0;
  s->areas[0].size = 0x3000;
  s->areas[1].offset = 0x4000;
  s->areas[1].size = 0xfc000;
  at += sparse;

  struct vfio_region_info_cap_type *t = (void *)(buf + at);
  t->header.id = VFIO_REGION_INFO_CAP_TYPE;
  t->header.version = 1;
  t->header.next = at + type;
  t->type = VFIO_REGION_TYPE_PCI_VENDOR_TYPE | 0x8086;
  t->subtype = VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION;
  at += type;

  struct vfio_info_cap_header *m = (void *)(buf + at);
  m->id = VFIO_REGION_INFO_CAP_MSIX_MAPPABLE;
  m->version = 1;
  m->next = at + msix;
  at += msix;

  struct vfio_info_cap_header *o = (void *)(buf + at);
  o->id = 99;
  o->version = 7;
  o->next = 0;
  memcpy(buf + at + sizeof(*o), "\x01\x02\x03\x04", 4);

  dump("region_info", buf, total);
  printf("total\t%zu\n", total);
  printf("struct\t%zu\n", sizeof(struct vfio_region_info));
  printf("sparse_at\t%zu\n", sizeof(struct vfio_region_info));
  printf("type_at\t%zu\n", sizeof(struct vfio_region_info) + sparse);
  printf("igd\t%u\n", (unsigned)VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION);
  printf("vendor_type\t%u\n", (unsigned)(VFIO_REGION_TYPE_PCI_VENDOR_TYPE | 0x8086));
  free(buf);
  return 0;
}
`;

let run: RunResult;
let gcc: Map<string, string>;
beforeAll(() => {
  run = compileAndRun(PROGRAM, { name: 'capabilities', includeDirs: [join(ROOT, 'headers/v7.3')] });
  gcc = parseOutput(run.stdout);
});
afterAll(() => {
  if (run) removeRun(run);
});

const num = (key: string): number => Number(gcc.get(key));

/** vfio-pci's answers: argsz too small → the argsz needed, flags with CAPS, no chain; enough → the whole chain. */
function regionInfoKernel(dev: object, written: Uint8Array): number[] {
  const sizes: number[] = [];
  (dev as { call: (request: number, address?: number) => number }).call = (_request, address) => {
    const head = new DataView(koffi.view(address!, 4) as ArrayBuffer);
    const argsz = head.getUint32(0, true);
    sizes.push(argsz);
    const arg = new Uint8Array(koffi.view(address!, argsz) as ArrayBuffer);
    if (argsz < written.length) {
      arg.set(written.subarray(0, 32));
      const d = new DataView(arg.buffer, arg.byteOffset);
      d.setUint32(0, written.length, true); // argsz: what the struct and its capabilities need
      d.setUint32(12, 0, true); // cap_offset: no chain in a buffer too small for it
    } else arg.set(written);
    return 0;
  };
  return sizes;
}

describe('capability chains: what vfio-pci writes, built by gcc with vfio.h structs', () => {
  it('deviceGetRegionInfoCaps calls again with the argsz answered and decodes every capability', () => {
    using dev = vfio.Vfio.open('/dev/null');
    const written = Uint8Array.from(Buffer.from(gcc.get('region_info')!, 'hex'));
    const sizes = regionInfoKernel(dev, written);
    const r = dev.deviceGetRegionInfoCaps({ index: vfio.VFIO_PCI_BAR0_REGION_INDEX });
    expect(sizes).toEqual([num('struct'), num('total')]);
    expect([r.argsz, r.cap_offset, r.size]).toEqual([num('total'), num('sparse_at'), 0x100000n]);
    expect(r.capabilities.map((c) => [c.id, c.name, c.version, c.offset])).toEqual([
      [1, 'VFIO_REGION_INFO_CAP_SPARSE_MMAP', 1, num('sparse_at')],
      [2, 'VFIO_REGION_INFO_CAP_TYPE', 1, num('type_at')],
      [3, 'VFIO_REGION_INFO_CAP_MSIX_MAPPABLE', 1, expect.any(Number)],
      [99, null, 7, expect.any(Number)],
    ]);
    const [sparse, type, , odd] = r.capabilities;
    if (sparse?.name !== 'VFIO_REGION_INFO_CAP_SPARSE_MMAP' || type?.name !== 'VFIO_REGION_INFO_CAP_TYPE') throw new Error('narrowing');
    expect(sparse.value.nr_areas).toBe(2);
    expect(sparse.value.areas).toEqual([{ offset: 0n, size: 0x3000n }, { offset: 0x4000n, size: 0xfc000n }]);
    expect([type.value.type, type.value.subtype]).toEqual([num('vendor_type'), num('igd')]);
    expect(odd!.value).toBeUndefined();
    expect([...odd!.bytes]).toEqual([99, 0, 7, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
  });

  it('a chain that leaves the buffer, or loops, is a RangeError; no CAPS flag, no chain', () => {
    using dev = vfio.Vfio.open('/dev/null');
    const written = Uint8Array.from(Buffer.from(gcc.get('region_info')!, 'hex'));
    const looped = written.slice();
    new DataView(looped.buffer).setUint32(num('type_at') + 4, num('sparse_at'), true); // type's next → sparse
    regionInfoKernel(dev, looped);
    expect(thrown(() => dev.deviceGetRegionInfoCaps({ index: 0 }))).toMatchObject({ name: 'RangeError', message: expect.stringMatching(/a loop/) });
    const outside = written.slice();
    new DataView(outside.buffer).setUint32(num('type_at') + 4, 0x7fff0000, true);
    regionInfoKernel(dev, outside);
    expect(thrown(() => dev.deviceGetRegionInfoCaps({ index: 0 }))).toMatchObject({ name: 'RangeError', message: expect.stringMatching(/does not fit/) });
    const plain = written.slice();
    new DataView(plain.buffer).setUint32(4, vfio.VFIO_REGION_INFO_FLAG_READ, true);
    regionInfoKernel(dev, plain);
    expect(dev.deviceGetRegionInfoCaps({ index: 0 }).capabilities).toEqual([]);
  });
});
