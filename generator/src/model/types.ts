// The intermediate model: a readonly description of a header's ABI with exact layout for one target ABI
// (model/target.ts; x86-64 unless asked).
// Every union of node kinds is discriminated by `kind`; every declaration carries its source location.
import type { Loc } from '../diagnostics.js';
import type { Target } from './target.js';

/** A declaration's documentation comment (kernel-doc), split into its parts; text keeps line breaks and indentation. */
export interface Doc {
  /** What the comment's first line names: `foo` of `struct foo - ...`, a DOC section's title. */
  readonly name: string;
  readonly summary: string; // text after ' - ' on the first line(s), '' if none
  /** `@name: text` entries: members (`a.b` for nested ones), enumerators, parameters. */
  readonly members: readonly { readonly name: string; readonly text: string }[];
  /** Free text after the members, paragraphs separated by blank lines; '' if none. */
  readonly description: string;
}

/** What a header's text says an errno means. */
export interface ErrnoDoc {
  readonly name: string; // ENOENT
  readonly text: string;
}

export type Endian = 'native' | 'little' | 'big';

/** An integer, floating or boolean C type with a fixed size. */
export interface ScalarType {
  readonly kind: 'scalar';
  /** The spelling users know: `__u32`, `__aligned_le64`, `unsigned int`, `_Bool`. */
  readonly name: string;
  /** The C type behind any typedefs (`unsigned long long` for `__u64`): what casts and _Generic see. */
  readonly cType: string;
  readonly size: number;
  readonly align: number;
  readonly signed: boolean;
  readonly float: boolean;
  readonly endian: Endian;
}

export interface RecordRefType {
  readonly kind: 'record';
  readonly record: RecordDef; // named records are shared with Model.records; anonymous ones live only here
}

export interface EnumRefType {
  readonly kind: 'enum';
  readonly enumType: EnumType;
}

export interface ArrayType {
  readonly kind: 'array';
  readonly element: CType;
  readonly length: number | null; // null: flexible array member
}

export interface PointerType {
  readonly kind: 'pointer';
  readonly to: string; // C spelling of the pointee, for docs only: pointers in UAPI structs are opaque values (the target's long size)
}

export type CType = ScalarType | RecordRefType | EnumRefType | ArrayType | PointerType;

export interface Field {
  readonly kind: 'field';
  /** null for an anonymous struct/union member (its fields are reached through the parent) or unnamed bit-field. */
  readonly name: string | null;
  readonly type: CType;
  /** The C type as the header spells it: `__u32`, `__u32[6]`, `struct foo_range`, `union <anonymous>`. */
  readonly spelling: string;
  /** Offset in bytes from the start of the record that directly contains this field. */
  readonly offset: number;
  readonly size: number; // sizeof the member (for a bit-field: the storage unit's type size)
  readonly align: number;
  /**
   * A bit-field's place: `bitOffset` bits after bit `offset`*8 in gcc's allocation order, which is the order of
   * the bits' significance in the target's byte order: on a little-endian target bit n of the record is bit n%8
   * (from the least significant) of byte n/8, on a big-endian one bit 7-n%8 (from the most significant). So the
   * storage unit read as an integer of `size` bytes holds the field at shift `bitFieldShift` (model/layout.ts).
   */
  readonly bitField: { readonly bitOffset: number; readonly bitWidth: number } | null;
  readonly doc: string | null; // from the enclosing record's kernel-doc @member
  /** A flexible array's `__counted_by(n)` (also `_le`, `_be`): the sibling member holding its element count. */
  readonly countedBy?: string;
  readonly loc: Loc;
}

export interface RecordDef {
  readonly kind: 'struct' | 'union';
  readonly name: string | null; // tag; null when anonymous
  /** For anonymous records: the dotted path of the member that holds it, e.g. `foo_cmd.add_range`. */
  readonly path: string;
  readonly fields: readonly Field[];
  readonly size: number;
  readonly align: number;
  readonly packed: boolean;
  readonly doc: Doc | null;
  readonly loc: Loc;
}

export interface Enumerator {
  readonly kind: 'enumerator';
  readonly name: string;
  readonly value: bigint;
  readonly doc: string | null;
  readonly loc: Loc;
}

export interface EnumType {
  readonly kind: 'enum';
  readonly name: string | null;
  readonly values: readonly Enumerator[];
  /** The type gcc gives objects of this enum (unsigned int unless a value is negative or too wide). */
  readonly underlying: ScalarType;
  readonly doc: Doc | null;
  readonly loc: Loc;
}

/** The C type of an integer constant expression's result. */
export type IntType = 'int' | 'unsigned int' | 'long' | 'unsigned long' | 'long long' | 'unsigned long long';

export interface Constant {
  readonly kind: 'constant';
  readonly name: string;
  readonly value: bigint;
  readonly ctype: IntType;
  readonly loc: Loc;
}

export type IoctlDir = 'none' | 'write' | 'read' | 'read-write';

/**
 * What an ioctl's macro names as its argument, which the call passes in memory at the argument's address: a record;
 * a scalar (`_IOW(.., __u64)`, an enum, `void *` as the ABI's unsigned long), `size` bytes there; a one-dimensional
 * array of scalars (`_IOR(.., char[16])`); or one of records (`_IOR('r', 1, struct __fat_dirent[2])`).
 */
export type IoctlArgument = RecordArgument | ScalarArgument | ScalarsArgument | RecordsArgument;

export interface RecordArgument {
  readonly kind: 'record';
  readonly record: RecordDef;
}

export interface ScalarArgument {
  readonly kind: 'scalar';
  readonly scalar: ScalarType;
}

export interface ScalarsArgument {
  readonly kind: 'scalars';
  readonly scalar: ScalarType;
  readonly count: number;
}

export interface RecordsArgument {
  readonly kind: 'records';
  readonly record: RecordDef;
  readonly count: number;
}

export interface Ioctl {
  readonly kind: 'ioctl';
  readonly name: string;
  readonly request: bigint;
  readonly dir: IoctlDir;
  readonly type: number;
  readonly nr: number;
  readonly size: number;
  /** The argument the macro names, or null (`_IO`, `_IOC`, an array of arrays); other sources are conventions (conventions/). */
  readonly argument: IoctlArgument | null;
  /** The comment at the `#define` (the line above it, or its own), '' if none: some headers name the argument there. */
  readonly comment: string;
  readonly loc: Loc;
}

export interface DocSection {
  readonly kind: 'doc-section';
  readonly title: string;
  readonly doc: Doc;
  readonly loc: Loc;
}

export interface Model {
  readonly kind: 'model';
  /** Path of the primary header as given (relative to the working directory). */
  readonly header: string;
  /** The ABI every size, offset, enum size, constant and ioctl number here is for. */
  readonly target: Target;
  /** Declarations of the primary header only, in source order; included headers are context. */
  readonly records: readonly RecordDef[];
  readonly enums: readonly EnumType[];
  readonly constants: readonly Constant[];
  readonly ioctls: readonly Ioctl[];
  readonly docs: readonly DocSection[];
  /** The errno meanings every ioctl shares (a DOC section's list). */
  readonly errnos: readonly ErrnoDoc[];
  readonly warnings: readonly { readonly loc: Loc; readonly message: string }[];
}
