// The model as JSON (`uapi-ts ir`). Schema: docs/ir-schema.md. Big integers are decimal strings.
import type { Field, Model, RecordDef } from './types.js';

export interface FieldJson {
  name: string | null;
  offset: number; // bytes from the start of the outermost record
  size: number;
  type: string;
  bitOffset?: number;
  bitWidth?: number;
  fields?: FieldJson[]; // members of an anonymous struct/union type
}

export function fieldsJson(record: RecordDef, base = 0): FieldJson[] {
  return record.fields.map((f) => fieldJson(f, base));
}

function fieldJson(f: Field, base: number): FieldJson {
  const out: FieldJson = { name: f.name, offset: base + f.offset, size: f.size, type: f.spelling };
  if (f.bitField) {
    out.bitOffset = f.bitField.bitOffset;
    out.bitWidth = f.bitField.bitWidth;
  }
  if (f.type.kind === 'record' && f.type.record.name === null) out.fields = fieldsJson(f.type.record, base + f.offset);
  return out;
}

export function modelJson(model: Model): unknown {
  return {
    header: model.header,
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
      arg: i.arg?.name ?? null,
      argSource: i.argSource,
      errors: i.errors.map((e) => ({ errno: e.name, text: e.text })),
    })),
    errnos: model.errnos.map((e) => ({ errno: e.name, text: e.text })),
    pointers: model.pointers.map((p) => ({
      field: `${p.record.name}.${p.path.join('.')}`,
      offset: p.offset,
      to: p.info.to.kind === 'array' ? `struct ${p.info.to.element.name}` : 'buffer',
      dir: p.info.dir,
      count: p.info.count?.name ?? null,
      length: p.info.length?.name ?? null,
      source: p.info.source,
    })),
    device: model.device,
    docs: model.docs.map((d) => ({ title: d.title, line: d.loc.line })),
    warnings: model.warnings.map((w) => ({ file: w.loc.file, line: w.loc.line, col: w.loc.col, message: w.message })),
  };
}
