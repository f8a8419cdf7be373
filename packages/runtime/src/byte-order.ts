// The byte order of a generated layout's fields. A layout is for one ABI: its fields of no fixed order (`__u32`,
// `int`) are in that ABI's order, which the layout states when it is big-endian (`endian: 'big'`); `__le*` and
// `__be*` fields are in their own order everywhere.

export type ByteOrder = 'little' | 'big';

/** Whether a layout of `order` is little-endian (a layout states only `'big'`; no order is little). */
export function isLittle(order: ByteOrder | undefined): boolean {
  return order !== 'big';
}

/** Whether a field of C type `type` (as a layout's `fields` table spells it) in a layout of `order` is little-endian. */
export function littleEndianField(type: string, order: ByteOrder | undefined): boolean {
  if (type.startsWith('__le') || type.startsWith('__aligned_le')) return true;
  if (type.startsWith('__be') || type.startsWith('__aligned_be')) return false;
  return isLittle(order);
}
