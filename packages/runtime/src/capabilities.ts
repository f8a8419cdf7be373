// Info ioctls answered with a capability chain after the struct (vfio's GET_INFO, GET_REGION_INFO, IOMMU_GET_INFO):
// the kernel sets `argsz` to the size the struct and its capabilities need when the caller's is smaller (and
// leaves the chain out), so the call is made again with that much room; then the chain is walked (capabilityChain)
// and each capability of a known id decoded with its struct's codec, a trailing flexible array included.
import { capabilityChain, type Capability } from './chain.js';
import { allowBuffers, restoreBuffers, value } from './codec.js';
import { isLittle, type ByteOrder } from './byte-order.js';
import { ioctlError, type ErrnoMeanings, type IoctlError } from './error.js';
import { elementIn, readMember, type FlexElement, type FlexIssue, type MemberAt } from './flex.js';
import { addressOf } from './libc.js';
import type { StructLayout } from './struct-view.js';

/** One capability id: its name (the id's #define), its struct's codec and the array the struct ends in, if any. */
export interface CapabilityKind<T = unknown> {
  readonly name: string;
  readonly codec: { readonly size: number; decodeFrom(d: DataView, o: number): T };
  readonly flex?: { readonly field: string; readonly offset: number; readonly element: FlexElement<unknown>; readonly count: MemberAt };
}

/** One ioctl whose struct the kernel follows with a capability chain, as the generated package describes it. */
export interface CapabilityArgument<H, HI> {
  readonly name: string;
  readonly meanings: ErrnoMeanings;
  readonly header: { readonly size: number; encodeInto(v: HI, d: DataView, o: number, p?: string): void; decodeFrom(d: DataView, o: number): H };
  /** The leading `__u32` holding the argument's size (`argsz`): the kernel answers the size it needs there. */
  readonly sizeField: string;
  readonly offset: MemberAt; // the first capability's offset from the start of the struct (0: none)
  readonly flags: MemberAt;
  readonly flag: number; // the bit of `flags` saying a chain is there
  readonly capHeader: StructLayout; // its id, version and next fields
  readonly kinds: Readonly<Record<number, CapabilityKind>>;
  /** The layout's byte order (that of the ABI it was laid out for): little when omitted. */
  readonly endian?: ByteOrder;
}

/** A capability as the generated methods return it: `name` null (and `value` undefined) for an id not known. */
export interface TypedCapability<I extends number, N extends string | null, T> {
  readonly id: I;
  readonly name: N;
  readonly version: number;
  /** Its offset from the start of the info struct. */
  readonly offset: number;
  /** Its bytes, header included, up to the next capability (or the end of what the kernel wrote). */
  readonly bytes: Uint8Array;
  readonly value: T;
}

function decodeCapability(view: DataView, cap: Capability, kinds: CapabilityArgument<unknown, unknown>['kinds'], le: boolean): TypedCapability<number, string | null, unknown> {
  const kind = kinds[cap.id];
  const end = cap.offset + cap.bytes.byteLength;
  if (!kind || cap.offset + kind.codec.size > end) return { id: cap.id, name: null, version: cap.version, offset: cap.offset, bytes: cap.bytes, value: undefined };
  let decoded = kind.codec.decodeFrom(view, cap.offset);
  if (kind.flex) {
    const f = kind.flex;
    const start = cap.offset + f.offset;
    // As many elements as the count says, never past the capability's own bytes.
    const n = Math.min(readMember(view, cap.offset, f.count, le), Math.max(0, Math.floor((end - start) / f.element.size)));
    const items: unknown[] = [];
    const element = elementIn(f.element, le);
    for (let i = 0; i < n; i++) items.push(element.decodeFrom(view, start + i * element.size));
    decoded = { ...(decoded as object), [f.field]: items } as typeof decoded;
  }
  return { id: cap.id, name: kind.name, version: cap.version, offset: cap.offset, bytes: cap.bytes, value: decoded };
}

interface Outcome {
  readonly errno: number;
  readonly bytes: Uint8Array;
}

/** Calls with room for the struct; again with the `argsz` the kernel answers while it is larger (at most 4 times). */
function run<H, HI>(issue: FlexIssue, spec: CapabilityArgument<H, HI>, args: unknown): Outcome {
  const given = value(args, spec.name);
  const le = isLittle(spec.endian);
  let size = spec.header.size;
  for (let attempt = 0; ; attempt++) {
    // Outside V8's heap, so the kernel's address stays valid for the call.
    const bytes = new Uint8Array(new ArrayBuffer(Math.max(8, size)));
    const view = new DataView(bytes.buffer);
    const outer = allowBuffers(addressOf);
    try {
      spec.header.encodeInto(given as HI, view, 0, spec.name);
    } finally {
      restoreBuffers(outer);
    }
    view.setUint32(0, size, le);
    const errno = issue(Number(addressOf(bytes)));
    if (errno !== 0) return { errno, bytes: bytes.subarray(0, size) };
    const needed = view.getUint32(0, le);
    if (needed <= size || attempt === 3) return { errno: 0, bytes: bytes.subarray(0, Math.min(needed, size)) };
    size = needed;
  }
}

function decode<H, HI, C>(spec: CapabilityArgument<H, HI>, bytes: Uint8Array): H & { capabilities: C[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const info = spec.header.decodeFrom(view, 0);
  const le = isLittle(spec.endian);
  const first = readMember(view, 0, spec.offset, le);
  const chained = (readMember(view, 0, spec.flags, le) & spec.flag) !== 0 && first !== 0;
  const caps = chained ? capabilityChain(bytes, first, spec.capHeader) : [];
  return { ...info, capabilities: caps.map((c) => decodeCapability(view, c, spec.kinds, le) as C) };
}

/** The call with room for its capabilities: the struct and its decoded capabilities, or the errno. */
export function capabilityCall<H, HI, C>(issue: FlexIssue, spec: CapabilityArgument<H, HI>, args: unknown): (H & { capabilities: C[] }) | number {
  const out = run(issue, spec, args);
  return out.errno === 0 ? decode<H, HI, C>(spec, out.bytes) : out.errno;
}

/** `capabilityCall`, throwing an IoctlError (with the argument bytes as the kernel left them) where it returns an errno. */
export function capabilityCallOrThrow<H, HI, C>(issue: FlexIssue, spec: CapabilityArgument<H, HI>, args: unknown): H & { capabilities: C[] } {
  const out = run(issue, spec, args);
  if (out.errno !== 0) throw ioctlError(out.errno, spec.name, spec.meanings, out.bytes.slice()) as IoctlError;
  return decode<H, HI, C>(spec, out.bytes);
}
