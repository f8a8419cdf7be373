// The view of an info ioctl's capability chain (conventions/capabilities.ts): the description the runtime's
// capabilityCall reads, and the discriminated union of the capabilities the method returns (by `name`).
import type { AnnotatedIoctl } from '../conventions/annotations.js';
import type { RecordDef } from '../model/types.js';
import { pascalCase } from './names.js';

export interface CapabilityKindView {
  readonly id: number;
  readonly name: string; // the id's #define
  readonly cName: string;
  readonly codec: string; // R.FooRegionInfoCapType
  readonly valueTs: string; // what `value` is: the codec's type, with its array when it ends in one
  readonly flex: { readonly field: string; readonly offset: number; readonly element: string; readonly count: { readonly offset: number; readonly size: number } } | null;
}

export interface CapsView {
  readonly method: string;
  readonly spec: string;
  readonly union: string; // DeviceGetRegionInfoCapability
  readonly result: string; // DeviceGetRegionInfoCapsResult
  readonly sizeField: string;
  readonly offset: { readonly name: string; readonly offset: number; readonly size: number };
  readonly flags: { readonly name: string; readonly offset: number; readonly size: number };
  readonly flag: { readonly constant: string; readonly value: string };
  readonly capHeader: string;
  readonly kinds: readonly CapabilityKindView[];
}

export function capsView(io: AnnotatedIoctl, sizeField: string | null, tsNameOf: (r: RecordDef) => string | undefined): CapsView | null {
  const chain = io.caps;
  if (!chain || sizeField === null || io.returns !== 'zero') return null;
  const pascal = pascalCase(io.method);
  return {
    method: chain.method,
    spec: `${chain.method}Spec`,
    union: `${pascal}Capability`,
    result: `${pascalCase(chain.method)}Result`,
    sizeField,
    offset: chain.offset,
    flags: chain.flags,
    flag: { constant: chain.flag.constant, value: `0x${chain.flag.value.toString(16)}` },
    capHeader: `R.${tsNameOf(chain.header)!}`,
    kinds: chain.kinds.map((k) => {
      const codec = `R.${tsNameOf(k.record)!}`;
      const t = k.flex;
      const element = !t ? '' : t.element.kind === 'record' ? `R.${tsNameOf(t.element.record)!}` : `flexScalars.${t.element.name}`;
      const elementTs = !t ? '' : t.element.kind === 'record' ? element : t.element.name.endsWith('64') ? 'bigint' : 'number';
      return {
        id: k.id,
        name: k.constant,
        cName: k.record.name ?? '',
        codec,
        valueTs: t ? `${codec} & { ${t.name}: ${elementTs}[] }` : codec,
        flex: t && t.count ? { field: t.name, offset: t.offset, element, count: { offset: t.count.offset, size: t.count.field.size } } : null,
      };
    }),
  };
}
