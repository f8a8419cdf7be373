// Capability chains: a list of variable-size records inside a buffer the kernel filled, each starting with a
// header that holds its id and the offset of the next one (0 ends the list), the first one named by a field of the
// enclosing struct. vfio's VFIO_DEVICE_GET_INFO and GET_REGION_INFO return them (`cap_offset`,
// `struct vfio_info_cap_header { __u16 id; __u16 version; __u32 next; }`, offsets from the start of the info).
import { littleEndianField } from './byte-order.js';
import type { StructLayout } from './struct-view.js';

/** A record codec as generated packages export them: its layout and a decoder. */
export interface RecordCodec<T> extends StructLayout {
  decode(bytes: Uint8Array, offset?: number): T;
}

/** One capability: where it is, its header's fields, its bytes (header included) and, if its id is known, its value. */
export interface Capability<T = unknown> {
  readonly offset: number;
  readonly id: number;
  readonly version: number;
  /** From its offset to the next capability (or the end of the buffer). */
  readonly bytes: Uint8Array;
  /** The capability decoded with the codec given for its id, or undefined. */
  readonly value: T | undefined;
}

function readField(view: DataView, at: number, layout: StructLayout, name: string): number {
  const f = layout.fields[name];
  if (!f) throw new TypeError(`capabilityChain: the header ${layout.cName ?? 'struct'} has no field '${name}'`);
  const le = littleEndianField(f.type, layout.endian);
  if (f.size === 2) return view.getUint16(at + f.offset, le);
  if (f.size === 4) return view.getUint32(at + f.offset, le);
  throw new TypeError(`capabilityChain: ${name} of ${layout.cName ?? 'the header'} is ${f.size} bytes, expected 2 or 4`);
}

/**
 * The capabilities of `bytes` from offset `first` (0: none), following each header's `next`. `header` is the
 * header's codec (its `id`, `version` and `next` fields are read at their offsets); `byId` maps capability ids to
 * the codecs of the records they begin. A loop, or an offset whose header would not fit in `bytes`, throws a
 * RangeError: the chain the kernel wrote is never followed out of the buffer.
 */
export function capabilityChain<T>(
  bytes: Uint8Array,
  first: number,
  header: StructLayout,
  byId: Readonly<Record<number, RecordCodec<T>>> = {},
): Capability<T>[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const caps: Capability<T>[] = [];
  const seen = new Set<number>();
  for (let at = first; at !== 0; ) {
    if (!Number.isSafeInteger(at) || at < 0 || at + header.size > bytes.byteLength) {
      throw new RangeError(`capability chain: a header at offset ${at} does not fit in ${bytes.byteLength} bytes`);
    }
    if (seen.has(at)) throw new RangeError(`capability chain: offset ${at} is reached twice (a loop)`);
    seen.add(at);
    const id = readField(view, at, header, 'id');
    const next = readField(view, at, header, 'next');
    const end = next > at && next <= bytes.byteLength ? next : bytes.byteLength;
    const codec = byId[id];
    const value = codec && at + codec.size <= bytes.byteLength ? codec.decode(bytes, at) : undefined;
    caps.push({ offset: at, id, version: readField(view, at, header, 'version'), bytes: bytes.slice(at, end), value });
    at = next;
  }
  return caps;
}
