// `uapi-ts ir`: the model as JSON (model/json.ts) with its annotations, so a header family's conventions are
// reviewed as data. Schema: docs/ir-schema.md.
import { modelJson } from '../model/json.js';
import { walkMembers } from '../model/walk.js';
import { argumentRecord, type AnnotatedModel } from './annotations.js';

export function irJson(model: AnnotatedModel) {
  const base = modelJson({ ...model, kind: 'model' });
  return {
    ...base,
    ioctls: model.ioctls.map((i, n) => ({
      ...base.ioctls[n]!,
      arg: argumentRecord(i)?.name ?? null,
      argSource: i.argument?.kind === 'record' ? i.argument.source : null,
      returns: i.returns,
      method: i.method,
      retry: i.retry && { errno: i.retry.errno, method: i.retry.method, field: i.retry.field, count: i.retry.count.name },
      valueArg: i.valueArg,
      errors: i.errors.map((e) => ({ errno: e.name, text: e.text })),
      // Only where there is one, so that the IR of a family without them reads as before.
      ...(i.flex && {
        flex: {
          field: i.flex.tail.name,
          offset: i.flex.tail.offset,
          element: i.flex.tail.element.kind === 'record' ? `struct ${i.flex.tail.element.record.name}` : i.flex.tail.element.name,
          count: i.flex.tail.count?.name ?? null,
          countSource: i.flex.tail.countSource,
          grow: i.flex.grow && { errno: i.flex.grow.errno, method: i.flex.grow.method },
        },
      }),
      ...(i.caps && {
        caps: {
          method: i.caps.method,
          offset: i.caps.offset.name,
          flag: i.caps.flag.constant,
          header: `struct ${i.caps.header.name}`,
          kinds: i.caps.kinds.map((k) => ({ id: k.id, name: k.constant, struct: `struct ${k.record.name}`, source: k.source, array: k.flex?.name ?? null })),
        },
      }),
    })),
    annotations: {
      profile: model.profile,
      device: model.device,
      docs: model.docsUrl,
      handles: model.handles.map((h) => ({
        class: h.className,
        createdBy: h.createdBy,
        ioctls: h.ioctls,
        region: h.region && { record: h.region.record.name, method: h.region.method },
      })),
      records: model.records.map((r) => {
        const note = model.recordNotes.get(r)!;
        const reserved = new Set(note.reserved);
        return {
          name: r.name,
          extension: note.extension && { kind: note.extension.kind, field: note.extension.field.name },
          reserved: walkMembers(r).filter((v) => reserved.has(v.field)).map((v) => v.path.join('.')),
        };
      }),
      pointers: model.pointers.map((p) => ({
        field: `${p.record.name}.${p.path.join('.')}`,
        offset: p.offset,
        to: p.info.to.kind === 'array' ? `struct ${p.info.to.element.name}` : 'buffer',
        dir: p.info.dir,
        count: p.info.count?.name ?? null,
        length: p.info.length?.name ?? null,
        minBytes: p.info.minBytes?.text ?? null,
        source: p.info.source,
      })),
      related: [...model.related].map(([f, r]) => ({
        field: `${model.records.find((x) => x.fields.includes(f))?.name}.${f.name}`,
        says: r.says,
        see: r.see.map((s) => ({ package: s.package, ioctl: s.ioctl })),
      })),
    },
  };
}
