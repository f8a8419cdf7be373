// The intermediate model: a readonly description of a header's ABI with exact x86-64 (LP64) layout.
// Every union of node kinds is discriminated by `kind`; every declaration carries its source location.
import type { Loc } from '../diagnostics.js';
import type { KernelDoc } from '../parse/syntax.js';
import type { ErrnoDoc } from './errnos.js';
import type { PointerField } from './pointers.js';

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
  readonly to: string; // C spelling of the pointee, for docs only: pointers in UAPI structs are opaque 8-byte values
}

export type CType = ScalarType | RecordRefType | EnumRefType | ArrayType | PointerType;

export interface Field {
  readonly kind: 'field';
  /** null for an anonymous struct/union member (its fields are reached through the parent) or unnamed bit-field. */
  readonly name: string | null;
  readonly type: CType;
  /** The C type as the header spells it: `__u32`, `__u32[6]`, `struct iommu_iova_range`, `union <anonymous>`. */
  readonly spelling: string;
  /** Offset in bytes from the start of the record that directly contains this field. */
  readonly offset: number;
  readonly size: number; // sizeof the member (for a bit-field: the storage unit's type size)
  readonly align: number;
  readonly bitField: { readonly bitOffset: number; readonly bitWidth: number } | null; // bitOffset from `offset`*8
  readonly doc: string | null; // from the enclosing record's kernel-doc @member
  readonly loc: Loc;
}

export interface RecordDef {
  readonly kind: 'struct' | 'union';
  readonly name: string | null; // tag; null when anonymous
  /** For anonymous records: the dotted path of the member that holds it, e.g. `iommu_test_cmd.add_reserved`. */
  readonly path: string;
  readonly fields: readonly Field[];
  readonly size: number;
  readonly align: number;
  readonly packed: boolean;
  readonly doc: KernelDoc | null;
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
  readonly doc: KernelDoc | null;
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

export interface Ioctl {
  readonly kind: 'ioctl';
  readonly name: string;
  readonly request: bigint;
  readonly dir: IoctlDir;
  readonly type: number;
  readonly nr: number;
  readonly size: number;
  /** The argument record, from the macro (`_IOW(.., struct x)`), the kernel-doc `ioctl(NAME)` reference, or a hint. */
  readonly arg: RecordDef | null;
  readonly argSource: 'macro' | 'kernel-doc' | 'hint' | null;
  /** What the argument struct's kernel-doc says about specific errnos. */
  readonly errors: readonly ErrnoDoc[];
  readonly loc: Loc;
}

export interface DocSection {
  readonly kind: 'doc-section';
  readonly title: string;
  readonly doc: KernelDoc;
  readonly loc: Loc;
}

export interface Model {
  readonly kind: 'model';
  /** Path of the primary header as given (relative to the working directory). */
  readonly header: string;
  /** Declarations of the primary header only, in source order; included headers are context. */
  readonly records: readonly RecordDef[];
  readonly enums: readonly EnumType[];
  readonly constants: readonly Constant[];
  readonly ioctls: readonly Ioctl[];
  readonly docs: readonly DocSection[];
  /** The errno meanings every ioctl shares (a DOC section's list). */
  readonly errnos: readonly ErrnoDoc[];
  /** 64-bit fields that carry user-space addresses. */
  readonly pointers: readonly PointerField[];
  /** The device node the ioctls are for, from the hints; null when unknown. */
  readonly device: string | null;
  readonly warnings: readonly { readonly loc: Loc; readonly message: string }[];
}
