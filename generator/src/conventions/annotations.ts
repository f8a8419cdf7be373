// What the conventions layer adds to the model, computed once (annotate.ts) and read by emit, diff, docs, the
// README and `uapi-ts ir`. Nothing downstream re-derives a convention from names or text.
import type { ErrnoDoc, Field, Ioctl, IoctlArgument, Model, RecordArgument, RecordDef, RecordsArgument, ScalarArgument, ScalarsArgument } from '../model/types.js';
import type { CapabilityChain } from './capabilities.js';
import type { FlexTail } from './flex.js';
import type { PointerField, SizeField } from './pointers.js';
import type { ExtensionKind, Returns } from './profile.js';
import type { Related } from './related.js';
import type { HandleKind } from './handle-kinds.js';

export type { HandleKind } from './handle-kinds.js';

export type { CapabilityChain, CapabilityKind, ChainField } from './capabilities.js';
export type { FlexScalar, FlexTail } from './flex.js';
export type { PointerField, SizeExpr, SizeField } from './pointers.js';
export type { ExtensionKind, Returns } from './profile.js';
export type { Related, RelatedIoctl } from './related.js';

export interface RecordNote {
  /** The leading field that holds the struct's size, so that it may grow at its end; null when it may not. */
  readonly extension: { readonly kind: ExtensionKind; readonly field: Field } | null;
  /** Its reserved fields (always 0, not part of the input types), members of anonymous members included. */
  readonly reserved: readonly Field[];
}

export type FieldNote =
  | { readonly kind: 'plain' }
  | { readonly kind: 'reserved' }
  | { readonly kind: 'pointer'; readonly pointer: PointerField };

/** The helper that calls again with a larger output array while the kernel answers `errno`. */
export interface Retry {
  readonly errno: string;
  readonly method: string; // the helper's name: the ioctl's method + `All`
  readonly field: string; // the output array's pointer (a direct member of the argument struct)
  readonly element: RecordDef;
  readonly count: SizeField; // where the caller gives the capacity and the kernel answers the number needed
}

/** An argument struct ending in a flexible array: the method takes and returns its elements (conventions/flex.ts). */
export interface FlexCall {
  readonly tail: FlexTail;
  /** The helper that calls again with a larger array while the kernel answers `errno` (profile `grow`), or null. */
  readonly grow: { readonly errno: string; readonly value: number; readonly method: string } | null;
}

/** `hint`: named by the profile's `ioctlArgs`; `comment`: by the comment at the `#define` (profile `argFromComment`). */
export type ArgSource = 'macro' | 'kernel-doc' | 'hint' | 'comment';

/**
 * An ioctl's argument after the conventions: the macro's (conventions/ioctl-args.ts: a scalar or an array only
 * where the profile names no other), or a record named by kernel-doc, the profile or the comment; null where the
 * call passes none, or an integer by value (`valueArg`).
 */
export type AnnotatedArgument = (RecordArgument & { readonly source: ArgSource }) | ScalarArgument | ScalarsArgument | RecordsArgument;

export interface AnnotatedIoctl extends Omit<Ioctl, 'argument'> {
  readonly argument: AnnotatedArgument | null;
  /** What a successful call returns. */
  readonly returns: Returns;
  /** The device class's method for it. */
  readonly method: string;
  readonly retry: Retry | null;
  /** The name of the integer an ioctl takes by value (profile `valueArgs`), or null. */
  readonly valueArg: string | null;
  /** Its argument's flexible array, or null. */
  readonly flex: FlexCall | null;
  /** The capability chain the kernel writes after its argument struct (profile capabilityChains), or null. */
  readonly caps: CapabilityChain | null;
  /** What the argument struct's text says about specific errnos. */
  readonly errors: readonly ErrnoDoc[];
}

/** The model with its conventions. `records` etc. are the model's own; the notes are keyed by its objects. */
export interface AnnotatedModel extends Omit<Model, 'ioctls'> {
  readonly ioctls: readonly AnnotatedIoctl[];
  /** The profile file the conventions come from, or null for the generic ones. */
  readonly profile: string | null;
  /** The device node the ioctls are for; null when unknown. */
  readonly device: string | null;
  /** The page documenting the header; structs and enums link to `#c.NAME` anchors on it. */
  readonly docsUrl: string | null;
  /** The prefix method names drop (`FOO_`), or null: they drop the ioctl name's first word. */
  readonly methodPrefix: string | null;
  /** The kinds of handle the ioctls are made on, each a class; empty: one class has every ioctl. */
  readonly handles: readonly HandleKind[];
  /** 64-bit fields that carry user-space addresses. */
  readonly pointers: readonly PointerField[];
  /** Every record's note, named and anonymous ones. */
  readonly recordNotes: ReadonlyMap<RecordDef, RecordNote>;
  /** Every field's note (fields of anonymous records included). */
  readonly fieldNotes: ReadonlyMap<Field, FieldNote>;
  /** Fields holding another package's handles or ids (the profile's `related`). */
  readonly related: ReadonlyMap<Field, Related>;
}

/** The record an ioctl takes as its argument (`struct foo`, passed in memory), or null: of the model's ioctl too. */
export function argumentRecord(io: { readonly argument: IoctlArgument | null }): RecordDef | null {
  return io.argument?.kind === 'record' ? io.argument.record : null;
}

export function isReserved(m: AnnotatedModel, f: Field): boolean {
  return m.fieldNotes.get(f)?.kind === 'reserved';
}

export function extensionOf(m: AnnotatedModel, r: RecordDef): RecordNote['extension'] {
  return m.recordNotes.get(r)?.extension ?? null;
}
