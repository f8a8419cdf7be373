// A header family's conventions: what its text and C do not say, or say in its own way. A profile is data (one
// JSON file per family, read by read-profile.ts) plus typed hooks for what data cannot say (profiles/). Every
// setting has a default, so a header with no profile gets the generic conventions of profiles/generic.ts.
import type { Loc } from '../diagnostics.js';
import type { ErrnoDoc, RecordDef } from '../model/types.js';

export type Direction = 'in' | 'out' | 'inout';

/** What a successful call returns: 0, a value (a count, an offset), or a new file descriptor. */
export type Returns = 'zero' | 'value' | 'fd';

/** How a struct grows compatibly: its first field (a `__u32` at offset 0, named like the kind) holds its size. */
export type ExtensionKind = 'size' | 'argsz';

export interface PointerHint {
  readonly to?: string; // 'buffer' or 'struct NAME' (array elements)
  readonly dir?: Direction;
  readonly count?: string; // sibling field holding the number of elements
  readonly length?: string; // sibling field holding the length in bytes
  readonly minBytes?: string; // C expression over sibling fields: the bytes the kernel reads or writes
}

/** A flexible array at the end of an argument struct, where the header does not say all (conventions/flex.ts). */
export interface FlexHint {
  /** The member holding the element count; null: none does (the size field covers the array). */
  readonly count?: string | null;
  /** The element type, for a byte array whose elements the text gives another type (`__s32` eventfds). */
  readonly element?: string;
}

/** An ioctl whose info struct is followed by a capability chain (conventions/capabilities.ts). */
export interface ChainHint {
  readonly offset: string; // the member holding the first capability's offset (`cap_offset`)
  readonly flag: string; // the constant of the flag saying a chain is there (`FOO_INFO_FLAG_CAPS`)
  readonly flagsField?: string; // the member holding that flag (default `flags`)
  readonly header: string; // the struct each capability starts with (`foo_info_cap_header`: id, version, next)
  readonly ids: string; // a regular expression over constant names: the capability ids
  readonly structs?: { readonly [id: string]: string }; // id constant → its struct, where the header cannot say
}

/** The data of a profile file, every key filled (defaults from profiles/generic.ts). */
export interface ProfileData {
  /** The typed hooks this family uses, by name (profiles/index.ts). */
  readonly hooks: string;
  /** The device node the ioctls are for; null when unknown. */
  readonly device: string | null;
  /** The page documenting the header (docs.kernel.org): its kernel-doc anchors are linked. */
  readonly docs: string | null;
  /** How the family's structs are extended; null: they are not. */
  readonly extension: ExtensionKind | null;
  /** Field names that are reserved (always 0, not part of the input types), as a regular expression. */
  readonly reserved: string;
  /** The prefix a method name drops from the ioctl name; null: the ioctl name's first word. */
  readonly methodPrefix: string | null;
  /** The header names an `_IO` ioctl's argument struct in the comment before its `#define`. */
  readonly argFromComment: boolean;
  /** ioctl name → what a successful call returns (default `zero`). */
  readonly returns: { readonly [ioctl: string]: Returns };
  /** ioctl name → argument struct tag (or null: the ioctl takes no argument struct). */
  readonly ioctlArgs: { readonly [ioctl: string]: string | null };
  /** ioctl names that the text mentions but the header does not define, known and not worth a warning. */
  readonly ignoreDocRefs: readonly string[];
  /** `struct.member.path` → what a user-pointer field points to. */
  readonly pointers: { readonly [path: string]: PointerHint };
  /** `struct.member` of a flexible array ending an argument struct → its count member and element type. */
  readonly flexArrays: { readonly [path: string]: FlexHint };
  /** ioctl name → the capability chain after its info struct. */
  readonly capabilityChains: { readonly [ioctl: string]: ChainHint };
  /** ioctl name → the errno (E2BIG) the kernel answers while its flexible array is too small: a growing method. */
  readonly grow: { readonly [ioctl: string]: string };
  /** `struct.member.path` of 64-bit fields that hold values, not addresses, where the text does not say. */
  readonly values: readonly string[];
  /** `struct.field` → what it holds of another package's API, and that package's ioctls to read about it. */
  readonly related: { readonly [path: string]: RelatedHint };
  /** The kinds of handle the ioctls are made on, each a class (handle-kinds.ts); empty: one class for every ioctl. */
  readonly handles: readonly HandleKindHint[];
  /** `_IO` ioctl name → the name of the integer it takes by value (`FOO_CREATE_UNIT` → `id`). */
  readonly valueArgs: { readonly [ioctl: string]: string };
}

export interface RelatedHint {
  readonly says: string;
  readonly see: readonly { readonly package: string; readonly ioctl: string }[];
}

/** One kind of handle: its class, the ioctl that returns it (none: opened from `device`), and its ioctls. */
export interface HandleKindHint {
  readonly class: string;
  readonly createdBy?: string;
  readonly ioctls: readonly string[];
  /** A record the kernel shares with this handle through mmap at offset 0 (a run-state struct), mapped by `method`. */
  readonly region?: { readonly record: string; readonly method: string };
}

/** What a field's own text says about it as a user pointer. */
export interface PointerReading {
  readonly element: string | null; // `struct NAME` elements, or null for plain memory
  readonly dir: Direction;
}

/** One user-pointer array whose size the kernel reports back when it was too small (see Retry). */
export interface RetryCandidate {
  readonly field: string; // the pointer's member name (a direct member of the argument struct)
  readonly dir: Direction;
  readonly count: string | null; // the member holding its element count
  readonly element: RecordDef | null;
}

/** What data cannot say: functions over the model, chosen by the profile's `hooks`. */
export interface ProfileHooks {
  /** Reads a 64-bit field's documentation: null when it does not say the field is a user pointer. */
  pointerFromDoc(doc: string): PointerReading | null;
  /**
   * The errno on which a call is retried with a larger output array, and which array, or null. `errors` is what the
   * header's text says about this ioctl's errnos.
   */
  retry(ioctl: string, errors: readonly ErrnoDoc[], arrays: readonly RetryCandidate[]): { readonly errno: string; readonly field: string } | null;
}

export interface Profile {
  readonly file: string | null; // the JSON file, or null for the generic default
  readonly data: ProfileData;
  readonly hooks: ProfileHooks;
  /** Where a key of the file is (`['pointers', 'x.y', 'dir']`), for errors; the file's start when unknown. */
  at(path: readonly string[]): Loc;
}
