// C record layout as gcc does it for a target ABI (the System V psABIs; AAPCS on arm): the one place where
// offsets, padding, sizes and alignments are computed. Inputs are resolved member types, with their sizes and
// alignments on the target (model/scalars.ts); outputs are byte offsets and bit-field positions.
import { HeaderError, type Loc } from '../diagnostics.js';
import type { Target } from './target.js';
import type { CType } from './types.js';

export interface MemberInput {
  readonly name: string | null;
  readonly type: CType;
  readonly size: number; // sizeof(type); 0 for a flexible array
  readonly align: number; // the type's alignment inside a record (4 for long long on i386)
  readonly alignAttr: number | null; // __attribute__((aligned(N))) on the member
  readonly packed: boolean; // __attribute__((packed)) on the member
  readonly bitWidth: number | null;
  readonly flexible: boolean;
  readonly loc: Loc;
}

export interface RecordInput {
  readonly kind: 'struct' | 'union';
  readonly packed: boolean;
  readonly alignAttr: number | null;
  /** `#pragma pack(N)`: no member aligns to more than N (null: no pragma). */
  readonly pack: number | null;
  readonly members: readonly MemberInput[];
  readonly loc: Loc;
}

export interface PlacedMember {
  readonly member: MemberInput;
  readonly offset: number; // bytes from the start of the record
  readonly bitField: { readonly bitOffset: number; readonly bitWidth: number } | null;
}

export interface RecordLayout {
  readonly members: readonly PlacedMember[];
  readonly size: number;
  readonly align: number;
}

/**
 * The largest record the generator models. The documentation draws a record one row per 8 bytes and the
 * encoder plans every byte, so size costs time and memory; an ioctl request number describes at most 16 KiB.
 */
export const MAX_RECORD_SIZE = 2 ** 20;
const TOO_LARGE = 'record is too large (over 1 MiB)';

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** The alignment a member gets inside its record. */
function memberAlign(m: MemberInput, input: RecordInput): number {
  const natural = input.packed || m.packed ? 1 : m.align;
  const a = Math.max(natural, m.alignAttr ?? 1);
  if (input.pack === null) return a;
  // What gcc does with an aligned attribute or a zero-width bit-field under #pragma pack is not modelled: refused, named.
  if (m.alignAttr !== null) throw new HeaderError(m.loc, `an aligned member under #pragma pack(${input.pack}) is not supported`);
  if (m.bitWidth === 0) throw new HeaderError(m.loc, `a zero-width bit-field under #pragma pack(${input.pack}) is not supported`);
  return Math.min(a, input.pack);
}

export function layoutRecord(input: RecordInput, target: Target): RecordLayout {
  const placed: PlacedMember[] = [];
  let bit = 0; // next free bit (structs)
  let maxBits = 0; // largest member (unions)
  let align = 1;
  input.members.forEach((m, i) => {
    if (m.flexible) {
      if (input.kind === 'union') throw new HeaderError(m.loc, 'a flexible array member cannot be in a union');
      if (i !== input.members.length - 1) throw new HeaderError(m.loc, 'a flexible array member must be the last member');
    }
    const a = memberAlign(m, input);
    if (m.bitWidth === null) {
      if (input.kind === 'struct') bit = alignUp(bit, a * 8);
      placed.push({ member: m, offset: input.kind === 'struct' ? bit / 8 : 0, bitField: null });
      if (input.kind === 'struct') bit += m.size * 8;
      else maxBits = Math.max(maxBits, m.size * 8);
      align = Math.max(align, a);
    } else {
      bit = placeBitField(m, input, bit, placed);
      if (input.kind === 'union') maxBits = Math.max(maxBits, alignUp(m.bitWidth, 8));
      // Named bit-fields align the record like their declared type; unnamed ones do not (psABI 3.1.2), but on
      // AAPCS and AAPCS64 (arm, aarch64) they do, zero-width ones too (gcc's update_alignment_for_field).
      if (m.name !== null && m.bitWidth > 0) align = Math.max(align, input.packed || m.packed ? Math.max(1, m.alignAttr ?? 1) : a);
      else if (m.name === null && target.anonBitFieldAligns) align = Math.max(align, m.bitWidth === 0 ? m.align : input.packed || m.packed ? 1 : a);
      if (input.kind === 'union') bit = 0;
    }
    if (bit > MAX_RECORD_SIZE * 8 || maxBits > MAX_RECORD_SIZE * 8) throw new HeaderError(m.loc, TOO_LARGE);
  });
  if (input.alignAttr !== null) align = Math.max(align, input.alignAttr);
  const bits = input.kind === 'struct' ? bit : maxBits;
  const size = alignUp(Math.ceil(bits / 8), align);
  if (size > MAX_RECORD_SIZE) throw new HeaderError(input.loc, TOO_LARGE); // padded up to a large alignment
  return { members: placed, size, align };
}

function placeBitField(m: MemberInput, input: RecordInput, bit: number, placed: PlacedMember[]): number {
  const width = m.bitWidth!;
  const unitBits = m.size * 8;
  const alignBits = m.align * 8;
  if (m.type.kind !== 'enum' && (m.type.kind !== 'scalar' || m.type.float)) {
    throw new HeaderError(m.loc, 'a bit-field must have an integer type');
  }
  if (width < 0) throw new HeaderError(m.loc, 'bit-field width is negative');
  if (width > unitBits) throw new HeaderError(m.loc, `bit-field width ${width} exceeds its type's ${unitBits} bits`);
  if (width === 0 && m.name !== null) throw new HeaderError(m.loc, 'a zero-width bit-field must be unnamed');
  // gcc skips the straddle rule under #pragma pack too (stor-layout.cc: maximum_field_alignment == 0).
  const packed = input.packed || m.packed || input.pack !== null;
  if (input.kind === 'union') bit = 0;
  if (width === 0) return alignUp(bit, m.align * 8);
  if (m.alignAttr !== null) bit = alignUp(bit, m.alignAttr * 8);
  // Without packing, a bit-field may not span more units of its type's alignment than the type itself has
  // (gcc's excess_unit_span: one unit where the alignment is the size, two for long long on i386).
  if (!packed && Math.ceil(((bit % alignBits) + width) / alignBits) > unitBits / alignBits) bit = alignUp(bit, alignBits);
  if (m.name !== null) {
    // The storage unit: `size` bytes from an alignment boundary at or before the field, which then holds it.
    const unitStart = packed ? Math.floor(bit / 8) : Math.floor(bit / alignBits) * m.align;
    placed.push({ member: m, offset: unitStart, bitField: { bitOffset: bit - unitStart * 8, bitWidth: width } });
  }
  return bit + width;
}

/**
 * Where a bit-field's value sits in its storage unit read as an integer of `unitSize` bytes in the target's byte
 * order: the shift of its least significant bit. gcc allocates bits in the order of their significance in that
 * byte order, so on a big-endian target the first bit allocated is the unit's most significant.
 */
export function bitFieldShift(bitField: { readonly bitOffset: number; readonly bitWidth: number }, unitSize: number, endian: 'little' | 'big'): number {
  return endian === 'little' ? bitField.bitOffset : unitSize * 8 - bitField.bitOffset - bitField.bitWidth;
}
