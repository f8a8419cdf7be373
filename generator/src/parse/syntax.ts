// Syntax-level view of a header: what the text says, before any type is resolved or any layout computed.
// Produced by parse/, consumed by model/. Every node has a `kind` and a source location.
import type { Loc } from '../diagnostics.js';

export type TokenKind = 'ident' | 'number' | 'char' | 'string' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly loc: Loc;
}

/** A C type name as it appears in a cast, sizeof, _Alignof or an _IOR/_IOW argument. */
export interface TypeName {
  readonly kind: 'type-name';
  readonly spec: TypeSpec;
  readonly pointer: number; // number of '*'
  /** Abstract array dimensions after the '*'s, outermost first: `int [2]`, `__u8[ABS_CNT]` (sizeof, ioctl macros). */
  readonly arrays: readonly Expr[];
  readonly loc: Loc;
}

/** Constant expressions, after macro expansion. */
export type Expr =
  | { readonly kind: 'number'; readonly text: string; readonly loc: Loc } // literal text as written, e.g. 0x80, 1UL
  | { readonly kind: 'char'; readonly text: string; readonly loc: Loc } // with quotes, e.g. ';' or '\n'
  | { readonly kind: 'string'; readonly text: string; readonly loc: Loc } // with quotes
  | { readonly kind: 'ident'; readonly name: string; readonly loc: Loc }
  | { readonly kind: 'unary'; readonly op: '-' | '+' | '~' | '!'; readonly operand: Expr; readonly loc: Loc }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly loc: Loc }
  | { readonly kind: 'ternary'; readonly cond: Expr; readonly then: Expr; readonly else: Expr; readonly loc: Loc }
  | { readonly kind: 'cast'; readonly type: TypeName; readonly operand: Expr; readonly loc: Loc }
  | { readonly kind: 'sizeof'; readonly of: TypeName | Expr; readonly loc: Loc }
  | { readonly kind: 'alignof'; readonly of: TypeName; readonly loc: Loc; readonly preferred?: true }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly (Expr | TypeName)[]; readonly loc: Loc }
  | { readonly kind: 'defined'; readonly name: string; readonly loc: Loc }; // only in #if conditions

export type BinaryOp =
  | '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '<' | '>' | '<=' | '>=' | '==' | '!='
  | '&' | '^' | '|' | '&&' | '||' | ',';

/** A type specifier: what comes before the declarator. */
export type TypeSpec =
  | { readonly kind: 'primitive'; readonly words: readonly string[]; readonly loc: Loc } // e.g. ['unsigned', 'long']
  | { readonly kind: 'typedef-name'; readonly name: string; readonly loc: Loc } // __u32, a header's typedef
  | { readonly kind: 'record-ref'; readonly tag: 'struct' | 'union'; readonly name: string; readonly loc: Loc }
  | { readonly kind: 'record-def'; readonly def: RecordSyntax }
  | { readonly kind: 'enum-ref'; readonly name: string; readonly loc: Loc }
  | { readonly kind: 'enum-def'; readonly def: EnumSyntax };

export interface Attribute {
  readonly kind: 'attribute';
  readonly name: string; // without surrounding underscores: 'packed', 'aligned', ...
  readonly args: readonly Expr[];
  readonly loc: Loc;
}

export interface Declarator {
  readonly kind: 'declarator';
  readonly name: string;
  readonly pointer: number;
  /** Array dimensions, outermost first; null is an empty `[]` (flexible array member). */
  readonly arrays: readonly (Expr | null)[];
  readonly bitWidth: Expr | null;
  readonly attributes: readonly Attribute[];
  /** `name(params)`: the name is a function (a typedef of a function type: `typedef void fn_t(int);`). */
  readonly function?: true;
  readonly loc: Loc;
}

export interface MemberSyntax {
  readonly kind: 'member';
  readonly type: TypeSpec;
  /** null for an anonymous struct/union member, or an unnamed bit-field (then `bitWidth` is set). */
  readonly declarator: Declarator | null;
  readonly bitWidth: Expr | null; // only for unnamed bit-fields (`int : 3;`)
  readonly attributes: readonly Attribute[];
  readonly loc: Loc;
}

export interface RecordSyntax {
  readonly kind: 'record';
  readonly tag: 'struct' | 'union';
  readonly name: string | null;
  readonly members: readonly MemberSyntax[];
  readonly attributes: readonly Attribute[];
  /** `#pragma pack(N)` in effect where the definition ends: its members' alignment is at most N (null: none). */
  readonly pack: number | null;
  readonly doc: KernelDoc | null;
  readonly loc: Loc;
}

export interface EnumeratorSyntax {
  readonly kind: 'enumerator';
  readonly name: string;
  readonly value: Expr | null;
  readonly loc: Loc;
}

export interface EnumSyntax {
  readonly kind: 'enum';
  readonly name: string | null;
  readonly values: readonly EnumeratorSyntax[];
  readonly attributes: readonly Attribute[];
  readonly doc: KernelDoc | null;
  readonly loc: Loc;
}

export interface TypedefSyntax {
  readonly kind: 'typedef';
  readonly type: TypeSpec;
  readonly declarator: Declarator;
  readonly attributes: readonly Attribute[];
  readonly doc: KernelDoc | null;
  readonly loc: Loc;
}

/** An object-like or function-like #define, with its body expanded at the end of the translation unit. */
export interface MacroSyntax {
  readonly kind: 'macro';
  readonly name: string;
  readonly params: readonly string[] | null; // null for object-like
  readonly body: readonly Token[];
  /** For object-like macros: the body, fully expanded and parsed. */
  readonly value: MacroValue;
  /** The comment that ends on the line before the `#define` (or on its line), without its markers; '' if none. */
  readonly comment: string;
  readonly loc: Loc;
}

export type MacroValue =
  | { readonly kind: 'empty' } // `#define GUARD`
  | { readonly kind: 'expr'; readonly expr: Expr }
  | { readonly kind: 'function-like' }
  | { readonly kind: 'unparsable'; readonly reason: string; readonly loc: Loc };

export interface DocSectionSyntax {
  readonly kind: 'doc-section';
  readonly doc: KernelDoc;
  readonly loc: Loc;
}

export type Declaration = RecordSyntax | EnumSyntax | TypedefSyntax | MacroSyntax | DocSectionSyntax;

/** One kernel-doc comment (`/** ... *\/`), split into its parts; text keeps its line breaks and indentation. */
export interface KernelDoc {
  readonly kind: 'kernel-doc';
  /** What the first line names: `struct foo - summary`, `enum bar`, `DOC: Title`, `typedef baz`, `func()`. */
  readonly target: { readonly kind: 'struct' | 'union' | 'enum' | 'typedef' | 'doc' | 'function'; readonly name: string };
  readonly summary: string; // text after ' - ' on the first line(s), '' if none
  readonly members: readonly DocMember[];
  /** Free text after the members (the "Description"), paragraphs separated by blank lines; '' if none. */
  readonly description: string;
  readonly loc: Loc;
}

export interface DocMember {
  readonly name: string; // as written after '@', e.g. 'flags', 'a.b', 'FOO_MAP_FIXED'
  readonly text: string;
  readonly loc: Loc;
}

/** A source file read by the parser, with the path used in locations. */
export interface SourceFile {
  readonly path: string; // relative or as given; '<builtin>/linux/types.h' for built-in headers
  readonly text: string;
  readonly builtin: boolean;
}

/** Everything parse/ hands to model/. */
export interface ParsedUnit {
  readonly kind: 'unit';
  readonly main: string; // path of the primary header
  readonly files: readonly SourceFile[];
  /** Declarations in source order, across included files. Macros are the final #define table, in definition order. */
  readonly declarations: readonly Declaration[];
}
