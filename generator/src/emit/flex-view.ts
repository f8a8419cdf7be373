// The view of a method whose argument struct ends in a flexible array (conventions/flex.ts): the description the
// runtime's flexCall reads (where the elements start, their codec, the count member, the size field) and the
// types the method takes and returns. Nothing here re-derives the convention.
import type { AnnotatedIoctl, FlexScalar } from '../conventions/annotations.js';
import type { RecordDef } from '../model/types.js';
import { pascalCase } from './names.js';

export interface FlexView {
  readonly cName: string; // the struct's tag
  readonly spec: string; // the constant describing the call: `deviceSetIrqsFlex`
  readonly field: string; // the array member
  readonly offset: number;
  /** The element codec: `R.FooEntry`, or `flexScalars.__s32`. */
  readonly codec: string;
  readonly scalar: FlexScalar | null;
  readonly elementTs: string; // what decode returns per element: `R.FooEntry`, `number`, `bigint`
  readonly elementInit: string; // what encode takes per element
  readonly count: { readonly name: string; readonly offset: number; readonly size: number } | null;
  /** What the struct's text does not say and the docs should: how the count is known. */
  readonly countDoc: string;
  readonly sizeField: string | null;
  readonly result: string; // the result type's name: `DeviceSetIrqsResult`
  readonly grow: { readonly method: string; readonly errno: string; readonly value: number } | null;
  /** The ioctl returns a value (how many entries it processed): the methods return `{ value, result }`. */
  readonly returnsValue: boolean;
}

export function flexView(io: AnnotatedIoctl, sizeField: string | null, tsNameOf: (r: RecordDef) => string | undefined): FlexView | null {
  const flex = io.flex;
  if (!flex || io.returns === 'fd') return null;
  const { tail } = flex;
  // A struct of another header (ext4.h's `struct fiemap`, from fiemap.h) has no codec in this package: the ioctl
  // then takes its argument as bytes, like any argument without one.
  if (tsNameOf(tail.record) === undefined || (tail.element.kind === 'record' && tsNameOf(tail.element.record) === undefined)) return null;
  const scalar = tail.element.kind === 'scalar' ? tail.element.name : null;
  const big = scalar === '__u64' || scalar === '__s64';
  const recordTs = tail.element.kind === 'record' ? `R.${tsNameOf(tail.element.record)!}` : null;
  const what = scalar ?? `struct ${tail.element.kind === 'record' ? tail.element.record.name : ''}`;
  const countDoc = tail.count === null
    ? `\`${tail.name}\`: ${what} elements; no member holds their count, so the array is what is given (and returned whole)`
    : `\`${tail.name}\`: ${what} elements, counted by \`${tail.count.name}\`${tail.countSource === 'counted_by' ? ' (`__counted_by`)' : ''}, which is filled from the array when omitted; with no array, \`${tail.count.name}\` elements of room are given for the kernel to fill`;
  return {
    cName: tail.record.name ?? '',
    spec: `${io.method}Flex`,
    field: tail.name,
    offset: tail.offset,
    codec: recordTs ?? `flexScalars.${scalar!}`,
    scalar,
    elementTs: recordTs ?? (big ? 'bigint' : 'number'),
    elementInit: recordTs ? `${recordTs}Init` : big ? 'bigint' : 'number',
    count: tail.count ? { name: tail.count.name, offset: tail.count.offset, size: tail.count.field.size } : null,
    countDoc,
    sizeField,
    result: `${pascalCase(io.method)}Result`,
    grow: io.returns === 'zero' ? flex.grow : null,
    returnsValue: io.returns === 'value',
  };
}
