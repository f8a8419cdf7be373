// koffi struct/union types for the records of a header, the way a user who reaches for koffi.encode/decode would
// declare them; built from the model so that every record of the header gets one. koffi computes its own layout,
// and the benchmark checks koffi's sizeof against the model's before timing anything.
import koffi from 'koffi';
import { arrayOf, type IrField, type IrRecord } from './ir.js';

const SCALARS: Readonly<Record<string, string>> = {
  __u8: 'uint8', __s8: 'int8', __u16: 'uint16', __s16: 'int16', __u32: 'uint32', __s32: 'int32',
  __u64: 'uint64', __s64: 'int64', __aligned_u64: 'uint64', __aligned_le64: 'uint64', __le16: 'uint16',
  __le32: 'uint32', __le64: 'uint64',
};

/** A koffi type: a name or a type object. */
type Spec = string | ReturnType<typeof koffi.array>;

let anonymous = 0;

function fieldType(f: IrField, owner: string): unknown {
  if (f.fields) {
    // koffi has no anonymous members: an anonymous struct/union becomes a named member of its own type.
    const kind = f.type.startsWith('union') ? 'union' : 'struct';
    return members(`${owner}_anon${anonymous++}`, kind, f.fields);
  }
  if (f.bitWidth !== undefined) throw new Error(`${owner}.${f.name}: koffi has no bit-fields`);
  const { element, length } = arrayOf(f.type);
  const scalar = SCALARS[element];
  if (!scalar) throw new Error(`${owner}.${f.name}: no koffi type for ${element}`);
  return length === null ? scalar : koffi.array(scalar, length, 'Array');
}

function members(name: string, kind: 'struct' | 'union', fields: readonly IrField[]): unknown {
  const spec: Record<string, Spec> = {};
  fields.forEach((f, i) => {
    spec[f.name ?? `_anon${i}`] = fieldType(f, name) as Spec;
  });
  return kind === 'union' ? koffi.union(name, spec) : koffi.struct(name, spec);
}

/** A koffi type per record, by record name. */
export function koffiTypes(records: readonly IrRecord[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const r of records) {
    const t = members(`bench_${r.name}`, r.kind, r.fields);
    if (koffi.sizeof(t as never) !== r.size) throw new Error(`koffi lays out ${r.name} in ${koffi.sizeof(t as never)} bytes, gcc in ${r.size}`);
    out.set(r.name, t);
  }
  return out;
}

/** A value in koffi's shape: anonymous members nested under their `_anonN` name, the first union member set. */
export function koffiValue(fields: readonly IrField[], kind: 'struct' | 'union', flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    if (kind === 'union' && Object.keys(out).length > 0) return;
    if (f.fields) out[`_anon${i}`] = koffiValue(f.fields, f.type.startsWith('union') ? 'union' : 'struct', flat);
    else if (f.name !== null && flat[f.name] !== undefined) out[f.name] = flat[f.name];
    else if (f.name !== null) out[f.name] = arrayOf(f.type).length === null ? 0 : new Array(arrayOf(f.type).length).fill(0);
  });
  return out;
}
