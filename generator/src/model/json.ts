// The model as JSON (the model part of `uapi-ts ir`). Schema: docs/ir-schema.md. Big integers are decimal strings.
import type { IoctlArgument, Model, RecordDef } from './types.js';
import { anonymousRecord, walkMembers } from './walk.js';

export interface FieldJson {
  name: string | null;
  offset: number; // bytes from the start of the outermost record
  size: number;
  type: string;
  bitOffset?: number;
  bitWidth?: number;
  countedBy?: string; // a flexible array's __counted_by member
  fields?: FieldJson[]; // members of an anonymous struct/union type
}

export function fieldsJson(record: RecordDef): FieldJson[] {
  const top: FieldJson[] = [];
  const nested = new Map<RecordDef['fields'][number], FieldJson[]>();
  for (const { field: f, offset, holder } of walkMembers(record)) {
    const out: FieldJson = { name: f.name, offset, size: f.size, type: f.spelling };
    if (f.bitField) {
      out.bitOffset = f.bitField.bitOffset;
      out.bitWidth = f.bitField.bitWidth;
    }
    if (f.countedBy !== undefined) out.countedBy = f.countedBy;
    if (anonymousRecord(f)) {
      out.fields = [];
      nested.set(f, out.fields);
    }
    (holder ? nested.get(holder)! : top).push(out);
  }
  return top;
}

/**
 * The macro's argument: `arg` names its record (null: none); `argRecords` (`struct x[2]`) and `argScalar` (`__u64`,
 * `__u16[4]`) are there only where the macro names such an argument, so that a header whose ioctls take records
 * reads as before.
 */
function argumentJson(a: IoctlArgument | null): { arg: string | null; argRecords?: string; argScalar?: string } {
  switch (a?.kind) {
    case 'record':
      return { arg: a.record.name };
    case 'records':
      return { arg: null, argRecords: `${a.record.kind} ${a.record.name ?? '<anonymous>'}[${a.count}]` };
    case 'scalar':
      return { arg: null, argScalar: a.scalar.name };
    case 'scalars':
      return { arg: null, argScalar: `${a.scalar.name}[${a.count}]` };
    default:
      return { arg: null };
  }
}

export function modelJson(model: Model) {
  return {
    header: model.header,
    target: { name: model.target.name, endian: model.target.endian, longSize: model.target.longSize, ioctl: model.target.ioctl.name },
    records: model.records.map((r) => ({
      name: r.name,
      kind: r.kind,
      size: r.size,
      align: r.align,
      line: r.loc.line,
      fields: fieldsJson(r),
    })),
    enums: model.enums.map((e) => ({
      name: e.name,
      size: e.underlying.size,
      values: e.values.map((v) => ({ name: v.name, value: v.value.toString() })),
    })),
    constants: model.constants.map((c) => ({ name: c.name, value: c.value.toString(), ctype: c.ctype })),
    ioctls: model.ioctls.map((i) => ({
      name: i.name,
      request: i.request.toString(),
      dir: i.dir,
      type: i.type,
      nr: i.nr,
      size: i.size,
      ...argumentJson(i.argument),
    })),
    errnos: model.errnos.map((e) => ({ errno: e.name, text: e.text })),
    docs: model.docs.map((d) => ({ title: d.title, line: d.loc.line })),
    warnings: model.warnings.map((w) => ({ file: w.loc.file, line: w.loc.line, col: w.loc.col, message: w.message })),
  };
}
