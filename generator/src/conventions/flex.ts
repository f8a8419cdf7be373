// Argument structs (and capability structs) that end in a flexible array (`__u32 nent; struct entry entries[];`,
// `__DECLARE_FLEX_ARRAY`): where the elements start, what they are, and which member holds their count. The count comes from the header's
// `__counted_by(n)` or, where the header does not say, the profile's `flexArrays`; with neither it is unknown,
// and that is reported, never guessed. The profile's `grow` names the ioctls the kernel answers with an errno
// (E2BIG) while the array is too small.
import { HeaderError, type Warning } from '../diagnostics.js';
import type { CType, Field, RecordDef } from '../model/types.js';
import { walkMembers } from '../model/walk.js';
import type { SizeField } from './pointers.js';
import type { Profile } from './profile.js';

/** The integer element types a flexible array may have besides records (as @uapi-ts/runtime's flexScalars names them). */
export type FlexScalar = '__u8' | '__s8' | '__u16' | '__s16' | '__u32' | '__s32' | '__u64' | '__s64';
export const FLEX_SCALARS: readonly FlexScalar[] = ['__u8', '__s8', '__u16', '__s16', '__u32', '__s32', '__u64', '__s64'];

export interface FlexTail {
  readonly record: RecordDef;
  readonly field: Field; // the array member
  readonly name: string; // its name, as the method takes and returns it
  readonly offset: number; // where element 0 starts, from the start of the record
  readonly element: { readonly kind: 'record'; readonly record: RecordDef } | { readonly kind: 'scalar'; readonly name: FlexScalar };
  readonly elementSize: number;
  /** The member holding the element count, or null: none holds it (the size field covers the array) or none is known. */
  readonly count: SizeField | null;
  /** `counted_by`: the header's `__counted_by`; `profile`: the profile's flexArrays; null: no count. */
  readonly countSource: 'counted_by' | 'profile' | null;
}

function scalarName(t: CType): FlexScalar | null {
  if (t.kind === 'enum') return scalarName(t.enumType.underlying);
  if (t.kind !== 'scalar' || t.float || t.endian === 'big') return null;
  const name = `__${t.signed ? 's' : 'u'}${t.size * 8}`;
  return FLEX_SCALARS.includes(name as FlexScalar) ? (name as FlexScalar) : null;
}

/** The flexible array a record ends in, as the record's users name it, or null. */
function flexibleMember(record: RecordDef): { field: Field; name: string; offset: number } | 'nested' | null {
  if (record.kind !== 'struct') return null;
  const flexible = walkMembers(record).filter((v) => v.field.type.kind === 'array' && v.field.type.length === null);
  if (flexible.length === 0) return null;
  const direct = flexible.filter((v) => v.path.length === 1);
  if (direct.length !== 1 || flexible.length !== 1) return 'nested';
  const v = direct[0]!;
  return { field: v.field, name: v.path[0]!, offset: v.offset };
}

/** Every argument record's flexible tail (by record), with the warnings for those whose count is unknown. */
export function flexTails(args: readonly RecordDef[], profile: Profile, warnings: Warning[]): Map<RecordDef, FlexTail> {
  const hints = profile.data.flexArrays;
  const out = new Map<RecordDef, FlexTail>();
  const used = new Set<string>();
  for (const record of new Set(args)) {
    const tail = flexibleMember(record);
    if (tail === null) continue;
    if (tail === 'nested') {
      warnings.push({ loc: record.loc, message: `struct ${record.name} holds more than one flexible array, or one inside a named member: its method passes the fixed part only` });
      continue;
    }
    const key = `${record.name}.${tail.name}`;
    const hint = Object.hasOwn(hints, key) ? hints[key]! : undefined;
    if (hint) used.add(key);
    const at = (k: string): readonly string[] => ['flexArrays', key, k];
    const own = (tail.field.type as Extract<CType, { kind: 'array' }>).element;
    let element: FlexTail['element'];
    if (hint?.element !== undefined) {
      const name = hint.element as FlexScalar;
      if (!FLEX_SCALARS.includes(name)) throw new HeaderError(profile.at(at('element')), `${key}: element must be one of ${FLEX_SCALARS.join(', ')}`);
      element = { kind: 'scalar', name };
    } else if (own.kind === 'record' && own.record.name !== null) element = { kind: 'record', record: own.record };
    else {
      const name = scalarName(own);
      if (name === null) {
        warnings.push({ loc: tail.field.loc, message: `${key}: a flexible array of ${tail.field.spelling} is not supported (records and integers are): its method passes the fixed part only` });
        continue;
      }
      element = { kind: 'scalar', name };
    }
    const elementSize = element.kind === 'record' ? element.record.size : Number(element.name.slice(3)) / 8;
    const declared = tail.field.countedBy;
    if (declared !== undefined && hint?.count !== undefined && hint.count !== declared) {
      throw new HeaderError(profile.at(at('count')), `${key}: the header counts it by '${declared}' (__counted_by), the profile says '${String(hint.count)}'`);
    }
    const countName = declared ?? hint?.count ?? null;
    let count: SizeField | null = null;
    if (countName !== null) {
      const field = walkMembers(record).find((v) => v.path.length === 1 && v.path[0] === countName && v.field.name === countName);
      const ok = field && field.field.type.kind === 'scalar' && !field.field.type.signed && !field.field.type.float && field.field.bitField === null && !field.inUnion;
      if (!ok) {
        const loc = declared !== undefined ? tail.field.loc : profile.at(at('count'));
        throw new HeaderError(loc, `${key}: its count '${countName}' is not an unsigned integer member of struct ${record.name}`);
      }
      count = { name: countName, field: field.field, offset: field.offset };
    } else if (hint?.count !== null) {
      warnings.push({
        loc: tail.field.loc,
        message: `${key}: no member is known to hold this flexible array's element count (no __counted_by, no "flexArrays" count in the profile): its method sizes the array from what it is given and returns all of it`,
      });
    }
    out.set(record, { record, field: tail.field, name: tail.name, offset: tail.offset, element, elementSize, count, countSource: declared !== undefined ? 'counted_by' : countName !== null ? 'profile' : null });
  }
  for (const key of Object.keys(hints)) {
    if (!used.has(key)) throw new HeaderError(profile.at(['flexArrays', key]), `${key}: not a flexible array that ends an ioctl argument struct or a capability struct`);
  }
  return out;
}
