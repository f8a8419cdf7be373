// A multi-dimensional array of records (`struct ptp_clock_time ts[PTP_MAX_SAMPLES][3]`): nested arrays of the
// record's interface in TS, checked, written and read in nested loops written out in the codec, as scalar grids
// are (loop-view.ts), with each element encoded and decoded by the record's own codec at
// `i * rowStride + j * stride`. The checks test the shape and that every element is an object before any byte is
// written; the runtime's `rows` (with `object` for the elements) is the slow path that names the misfit.
import type { WriteView } from './encoder-view.js';
import { loopOver, type LoopLevel } from './loop-view.js';

/** The encoder step of a record grid: `dims` the C lengths, `stride` the record's size, `fn` its TS name. */
export interface RecordGridStep {
  readonly kind: 'recordGrid';
  readonly prop: string;
  readonly offset: number;
  readonly size: number;
  readonly member: boolean;
  readonly dims: readonly number[];
  readonly stride: number;
  readonly fn: string;
  /** The decoded TS type (`PtpClockTime[][]`). */
  readonly tsType: string;
  /** The element is read through `fn`'s decoder, not a scalar access. */
  readonly a: null;
}

/** The check of a record grid: `type` the input's TS type, `path` each element's name in messages. */
export interface RecordGridCheck {
  readonly kind: 'recordGrid';
  readonly local: string;
  readonly prop: string;
  readonly dims: readonly number[];
  readonly type: string;
  readonly loop: LoopLevel;
}

export interface RecordGridWrite {
  readonly kind: 'recordGrid';
  readonly local: string;
  readonly offset: number;
  readonly fn: string;
  readonly loop: LoopLevel;
  /** The element's path in the nested encoder's messages: `${p}.ts[${i}][${j}]`. */
  readonly path: string;
  /** Zero stores for the whole array when it is omitted (none in a union: its storage is zeroed first). */
  readonly zeros: readonly WriteView[];
  readonly member: boolean;
}

/** The step for field `prop` at `place`, an array of C lengths `dims` of record `fn` of `stride` bytes. */
export function recordGridStep(
  place: { readonly prop: string; readonly offset: number; readonly size: number; readonly member: boolean },
  dims: readonly number[], stride: number, fn: string,
): { step: RecordGridStep; tsType: string; initType: string } {
  const tsType = `${fn}${'[]'.repeat(dims.length)}`;
  return { step: { ...place, kind: 'recordGrid', dims, stride, fn, tsType, a: null }, tsType, initType: initTypeOf(dims, fn) };
}

/** `readonly (readonly FooInit[])[]`: what the encoder takes, nested once per dimension. */
function initTypeOf(dims: readonly number[], fn: string): string {
  return `readonly ${dims.slice(1).reduce((x) => `(readonly ${x}[])`, `${fn}Init`)}[]`;
}

/** The check and write views of step `s`, read into `local`; `zeros`: the stores for the omitted array. */
export function recordGridViews(s: RecordGridStep, local: string, zeros: readonly WriteView[]): { check: RecordGridCheck; write: RecordGridWrite } {
  const loop = loopOver(local, s.dims, s.offset, s.stride, `${s.fn}Init`);
  const indices = levels(loop).map((l) => `[\${${l.index}}]`).join('');
  return {
    check: { kind: 'recordGrid', local, prop: s.prop, dims: s.dims, type: initTypeOf(s.dims, s.fn), loop },
    write: { kind: 'recordGrid', local, offset: s.offset, fn: s.fn, loop, path: `\`\${p}.${s.prop}${indices}\``, zeros, member: s.member },
  };
}

function levels(l: LoopLevel): LoopLevel[] {
  return l.inner ? [l, ...levels(l.inner)] : [l];
}
