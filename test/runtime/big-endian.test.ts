// The runtime's readers and writers of a big-endian layout (s390x), against the bytes s390x-linux-gnu-gcc gives
// initialized objects (compiled only, read back with the cross objcopy; nothing runs). Offsets come from gcc too.
import { describe, expect, it } from 'vitest';
import { structView, type StructLayout } from '../../packages/runtime/src/struct-view.js';
import { flexScalars, flexScalarsBig, readMember } from '../../packages/runtime/src/flex.js';
import { capabilityChain } from '../../packages/runtime/src/chain.js';
import { swap16, swap32, swap64 } from '../../packages/runtime/src/registers.js';
import { hasCrossCompiler, objectBytes } from '../lib/cross-object.js';

const S390X = 's390x-linux-gnu';
const have = hasCrossCompiler(S390X);
if (!have) console.warn(`skipped: ${S390X}-gcc/objcopy not installed (Debian: gcc-s390x-linux-gnu)`);

const DECLS = `
#include <stddef.h>
typedef unsigned char __u8; typedef unsigned short __u16; typedef unsigned int __u32; typedef int __s32;
typedef unsigned long long __u64; typedef long long __s64; typedef __u32 __le32; typedef __u32 __be32;
struct probe { __u8 a; __u16 b; __u32 c; __s32 d; __u64 e; __s64 f; __le32 g; __be32 h; double x; };
#define OFF(m) offsetof(struct probe, m)
PROBE unsigned long long offsets[] = { OFF(a), OFF(b), OFF(c), OFF(d), OFF(e), OFF(f), OFF(g), OFF(h), OFF(x), sizeof(struct probe) };
PROBE struct probe value = { 0x7f, 0x1234, 0xdeadbeef, -2, 0x0102030405060708ULL, -3, __builtin_bswap32(0x11223344), 0x55667788, 2.5 };
`;
const TYPES = ['__u8', '__u16', '__u32', '__s32', '__u64', '__s64', '__le32', '__be32', 'double'] as const;
const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'x'] as const;
const SIZES = [1, 2, 4, 4, 8, 8, 4, 4, 8];

function layout(): { layout: StructLayout; bytes: Uint8Array } {
  const raw = objectBytes(S390X, DECLS, 'offsets');
  const d = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const at = (i: number) => Number(d.getBigUint64(i * 8, false));
  const fields = Object.fromEntries(NAMES.map((n, i) => [n, { offset: at(i), size: SIZES[i]!, type: TYPES[i]! }]));
  return { layout: { cName: 'struct probe', size: at(NAMES.length), endian: 'big', fields }, bytes: objectBytes(S390X, DECLS, 'value') };
}

describe.skipIf(!have)('a big-endian layout (s390x) against gcc', () => {
  it('a struct view reads what gcc initialized, __le32 and __be32 fields in their own order', () => {
    const { layout: l, bytes } = layout();
    expect(bytes.byteLength).toBe(l.size);
    const v = structView(l, bytes) as unknown as Record<string, unknown>;
    expect([v.a, v.b, v.c, v.d, v.e, v.f, v.g, v.h, v.x]).toEqual([0x7f, 0x1234, 0xdeadbeef, -2, 0x0102030405060708n, -3n, 0x11223344, 0x55667788, 2.5]);
  });

  it('a struct view writes the bytes gcc lays out', () => {
    const { layout: l, bytes } = layout();
    const out = new Uint8Array(l.size);
    const v = structView(l, out) as unknown as Record<string, unknown>;
    Object.assign(v, { a: 0x7f, b: 0x1234, c: 0xdeadbeef, d: -2, e: 0x0102030405060708n, f: -3n, g: 0x11223344, h: 0x55667788, x: 2.5 });
    expect(Buffer.from(out).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
    // The same layout without `endian` is read little-endian: the bytes then mean something else.
    const little = structView({ ...l, endian: undefined }, bytes) as unknown as Record<string, unknown>;
    expect(little.c).not.toBe(0xdeadbeef);
  });

  it('flexible-array elements and members (counts, offsets) read and write in the layout order', () => {
    const src = 'typedef unsigned int __u32; typedef unsigned long long __u64; typedef short __s16;\n' +
      'struct arr { __u32 n; __s16 s[2]; __u64 w[2]; };\nPROBE struct arr a = { 3, { -5, 300 }, { 0x1122334455667788ULL, 9 } };';
    const bytes = objectBytes(S390X, src, 'a');
    const d = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(readMember(d, 0, { offset: 0, size: 4 }, false)).toBe(3);
    expect(readMember(d, 0, { offset: 0, size: 4 })).toBe(0x03000000); // the little-endian reading differs
    expect([flexScalarsBig.__s16.decodeFrom(d, 4), flexScalarsBig.__s16.decodeFrom(d, 6)]).toEqual([-5, 300]);
    expect(flexScalarsBig.__u64.decodeFrom(d, 8)).toBe(0x1122334455667788n);
    const out = new DataView(new ArrayBuffer(bytes.byteLength));
    out.setUint32(0, 3, false);
    flexScalarsBig.__s16.encodeInto(-5, out, 4);
    flexScalarsBig.__s16.encodeInto(300, out, 6);
    flexScalarsBig.__u64.encodeInto(0x1122334455667788n, out, 8);
    flexScalarsBig.__u64.encodeInto(9n, out, 16);
    expect(Buffer.from(out.buffer).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
    expect(flexScalars.__u64.decodeFrom(d, 16)).not.toBe(9n);
  });

  it('a capability chain of a big-endian layout is followed as gcc laid it out', () => {
    const src = 'typedef unsigned short __u16; typedef unsigned int __u32;\n' +
      'struct hdr { __u16 id; __u16 version; __u32 next; };\nstruct info { __u32 argsz; __u32 cap_offset; struct hdr one; struct hdr other; };\n' +
      'PROBE struct info chain = { 24, 8, { 7, 1, 16 }, { 9, 2, 0 } };';
    const bytes = objectBytes(S390X, src, 'chain');
    const fields = { id: { offset: 0, size: 2, type: '__u16' }, version: { offset: 2, size: 2, type: '__u16' }, next: { offset: 4, size: 4, type: '__u32' } };
    const caps = capabilityChain(bytes, 8, { size: 8, endian: 'big', fields });
    expect(caps.map((c) => [c.offset, c.id, c.version])).toEqual([[8, 7, 1], [16, 9, 2]]);
    // Read little-endian, the first header's next (16) is 0x10000000: out of the buffer, refused.
    expect(() => capabilityChain(bytes, 8, { size: 8, fields })).toThrow(RangeError);
  });

  it('register byte swaps (a big-endian host reading little-endian PCI registers) match gcc\'s bswap', () => {
    const src = 'PROBE unsigned short s = __builtin_bswap16(0xa1b2);\nPROBE unsigned int i = __builtin_bswap32(0xa1b2c3d4);\nPROBE unsigned long long l = __builtin_bswap64(0xa1b2c3d4e5f60718ULL);';
    const read = (name: string, size: number) => {
      const b = objectBytes(S390X, src, name);
      const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return size === 2 ? d.getUint16(0, false) : size === 4 ? d.getUint32(0, false) : d.getBigUint64(0, false);
    };
    expect(read('s', 2)).toBe(swap16(0xa1b2));
    expect(read('i', 4)).toBe(swap32(0xa1b2c3d4));
    expect(read('l', 8)).toBe(swap64(0xa1b2c3d4e5f60718n));
  });
});
