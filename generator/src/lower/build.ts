// Lowers parsed syntax to the model: resolves types, evaluates constants, lays out records (via model/layout.ts),
// decodes ioctl numbers (via ioctl.ts) and attaches kernel-doc. Declarations are taken in source order, as C does.
// What the header means beyond its C (argument structs named in text, user pointers) is conventions/' job.
import { HeaderError, oneLine, type Loc, type Warning } from '../diagnostics.js';
import { COMPILER_TYPEDEFS, ENDIAN_TYPEDEFS, MEMBER_ALIGNED_TYPEDEFS, STDDEF_TYPEDEFS } from '../parse/builtins.js';
import type {
  Attribute, Declarator, EnumSyntax, Expr, KernelDoc, MacroSyntax, MemberSyntax, ParsedUnit, RecordSyntax, TypeName,
  TypeSpec, TypedefSyntax,
} from '../parse/syntax.js';
import { convert, evaluate, fits, UndefinedName, type EvalContext, type IntValue } from './evaluate.js';
import { generalErrnoDocs } from './errnos.js';
import { ioctlOf, type IoctlContext } from './ioctl.js';
import { layoutRecord, MAX_RECORD_SIZE, type MemberInput } from '../model/layout.js';
import { intScalar, primitiveType } from '../model/scalars.js';
import type { Target } from '../model/target.js';
import type {
  CType, Constant, Doc, DocSection, EnumType, Enumerator, Field, IntType, Ioctl, Model, RecordDef, ScalarType,
} from '../model/types.js';

type Tag = { readonly kind: 'record'; readonly record: RecordDef } | { readonly kind: 'enum'; readonly enumType: EnumType };

interface Resolved {
  readonly type: CType;
  readonly spelling: string;
}

// gcc's largest alignment on ELF.
const MAX_ALIGNMENT = 2n ** 28n;

export function buildModel(unit: ParsedUnit, parseWarnings: readonly Warning[], target: Target): Model {
  return new ModelBuilder(unit, target).build(parseWarnings);
}

/** The model's own documentation type: what the emitters read of a kernel-doc comment. */
function lowerDoc(doc: KernelDoc): Doc;
function lowerDoc(doc: KernelDoc | null): Doc | null;
function lowerDoc(doc: KernelDoc | null): Doc | null {
  if (!doc) return null;
  return { name: doc.target.name, summary: doc.summary, members: doc.members.map((m) => ({ name: m.name, text: m.text })), description: doc.description };
}

class ModelBuilder {
  private readonly typedefs = new Map<string, Resolved>();
  private readonly tags = new Map<string, Tag>();
  // Declarations of included files (libc's through --system-includes) that cannot be modelled, by `struct foo` /
  // `enum foo` / typedef name: an error only where the header uses one, naming it.
  private readonly unmodelled = new Map<string, HeaderError>();
  private readonly enumerators = new Map<string, IntValue>();
  private readonly enumValueLists: Enumerator[][] = []; // each enum's values, for shadowEnumerator
  private readonly voidTypedefs = new Map<string, string>(); // opaque typedef name -> what it is
  private readonly recordsBySyntax = new Map<RecordSyntax, RecordDef>();
  private readonly enumsBySyntax = new Map<EnumSyntax, EnumType>();
  private readonly records: RecordDef[] = [];
  private readonly enums: EnumType[] = [];
  private readonly constants: Constant[] = [];
  private readonly ioctls: Ioctl[] = [];
  private readonly docs: DocSection[] = [];
  private readonly warnings: Warning[] = [];
  private readonly evalContext: EvalContext;
  /**
   * The architecture half of the header, when it includes one: a header's ABI may be split between it and the
   * asm/foo.h it includes (the architecture's register and CPU structs), so both files' declarations are the
   * package's. Found once: isMain asks for every declaration of the unit.
   */
  private readonly archHalf: string | null;

  constructor(
    private readonly unit: ParsedUnit,
    private readonly target: Target,
  ) {
    this.evalContext = {
      identifier: (name) => this.enumerators.get(name),
      typeOf: (t) => this.typeName(t).type,
      sizeOf: (t, loc) => sizeOf(t, loc, target),
      alignOf: (t, _loc, preferred) => (preferred ? preferredAlignOf(t, target) : alignOf(t, target)),
      target,
    };
    const base = unit.main.split('/').pop()!;
    this.archHalf = unit.files.find((f) => !f.builtin && (f.path === `asm/${base}` || f.path.endsWith(`/asm/${base}`)))?.path ?? null;
  }

  /** An enumerator's type inside its enum's braces: int when it fits, else the first 64-bit type that holds it. */
  private enumeratorType(value: bigint): IntType {
    if (fits(value, 'int', this.target)) return 'int';
    if (fits(value, 'unsigned int', this.target)) return 'unsigned int';
    const wide = this.target.longSize === 8 ? 'long' : 'long long';
    return value < 0n ? wide : `unsigned ${wide}`;
  }

  private isMain(loc: Loc): boolean {
    return loc.file === this.unit.main || loc.file === this.archHalf;
  }

  build(parseWarnings: readonly Warning[]): Model {
    const macros: MacroSyntax[] = [];
    for (const d of this.unit.declarations) {
      switch (d.kind) {
        case 'record':
          this.included(d.loc, d.name === null ? null : `${d.tag} ${d.name}`, () => this.recordDeclaration(d));
          break;
        case 'enum':
          this.included(d.loc, d.name === null ? null : `enum ${d.name}`, () => this.enumDeclaration(d));
          break;
        case 'typedef':
          this.included(d.loc, d.declarator.name, () => this.typedef(d));
          break;
        case 'macro':
          macros.push(d);
          break;
        case 'doc-section':
          if (this.isMain(d.loc)) this.docs.push({ kind: 'doc-section', title: d.doc.target.name, doc: lowerDoc(d.doc), loc: d.loc });
          break;
      }
    }
    for (const m of macros) if (this.isMain(m.loc)) this.macro(m);
    return {
      kind: 'model',
      header: this.unit.main,
      target: this.target,
      records: this.records,
      enums: this.enums,
      constants: this.constants,
      ioctls: this.ioctls,
      docs: this.docs,
      errnos: generalErrnoDocs(this.docs.map((d) => d.doc)),
      warnings: [...parseWarnings.filter((w) => !w.loc.file.startsWith('<builtin>')), ...this.warnings].map((w) => ({ ...w, message: oneLine(w.message) })),
    };
  }

  /** Lowers a declaration; one of an included file that fails is kept as unmodelled under `key`, not an error yet. */
  private included(loc: Loc, key: string | null, lower: () => void): void {
    if (this.isMain(loc) || key === null) return lower();
    try {
      lower();
    } catch (e) {
      if (!(e instanceof HeaderError)) throw e;
      this.unmodelled.set(key, e);
    }
  }

  /** The error for a use of a declaration kept as unmodelled (the use located, the declaration's file and reason named). */
  private unmodelledUse(key: string, loc: Loc): HeaderError | null {
    const e = this.unmodelled.get(key);
    return e ? new HeaderError(loc, `'${key}' (${e.loc.file}) cannot be modelled: ${e.reason}`) : null;
  }

  // ---- types

  private resolveSpec(spec: TypeSpec, path: string, docPrefix: DocLookup | null, allowIncomplete = false): Resolved {
    switch (spec.kind) {
      case 'primitive': {
        if (allowIncomplete && spec.words.includes('void')) return { type: { kind: 'pointer', to: 'void' }, spelling: 'void' };
        const t = primitiveType(spec.words, spec.loc, this.target);
        return { type: t, spelling: t.name };
      }
      case 'typedef-name': {
        // Keywords tree-sitter reads as type names when they stand alone.
        if (spec.name === '_Bool' || spec.name === '__int128') return this.resolveSpec({ kind: 'primitive', words: [spec.name], loc: spec.loc }, path, docPrefix, allowIncomplete);
        const t = this.typedefs.get(spec.name);
        const compiler = COMPILER_TYPEDEFS.get(spec.name);
        if (!t && compiler) return this.resolveSpec({ kind: 'primitive', words: compiler, loc: spec.loc }, path, docPrefix, allowIncomplete);
        if (!t && this.voidTypedefs.has(spec.name)) {
          if (allowIncomplete) return { type: { kind: 'pointer', to: spec.name }, spelling: spec.name };
          throw new HeaderError(spec.loc, `'${spec.name}' is ${this.voidTypedefs.get(spec.name)}: it has no size`);
        }
        if (!t) throw this.unmodelledUse(spec.name, spec.loc) ?? new UndefinedName(spec.loc, `unknown type name '${spec.name}'`);
        return t;
      }
      case 'record-ref': {
        const tag = this.tags.get(spec.name);
        if (!tag) {
          const bad = this.unmodelledUse(`${spec.tag} ${spec.name}`, spec.loc);
          if (bad) throw bad;
          if (allowIncomplete) return { type: { kind: 'pointer', to: `${spec.tag} ${spec.name}` }, spelling: `${spec.tag} ${spec.name}` };
          throw new UndefinedName(spec.loc, `${spec.tag} ${spec.name} is not defined (an incomplete type has no size)`);
        }
        if (tag.kind !== 'record' || tag.record.kind !== spec.tag) throw new HeaderError(spec.loc, `'${spec.name}' is not a ${spec.tag}`);
        return { type: { kind: 'record', record: tag.record }, spelling: `${spec.tag} ${spec.name}` };
      }
      case 'record-def': {
        const known = this.recordsBySyntax.get(spec.def);
        if (known) return { type: { kind: 'record', record: known }, spelling: `${spec.def.tag} ${spec.def.name}` };
        const record = this.record(spec.def, path, docPrefix);
        return { type: { kind: 'record', record }, spelling: `${spec.def.tag} <anonymous>` };
      }
      case 'enum-ref': {
        const tag = this.tags.get(spec.name);
        if (!tag || tag.kind !== 'enum') throw this.unmodelledUse(`enum ${spec.name}`, spec.loc) ?? new UndefinedName(spec.loc, `enum ${spec.name} is not defined`);
        return { type: { kind: 'enum', enumType: tag.enumType }, spelling: `enum ${spec.name}` };
      }
      case 'enum-def': {
        const e = this.enumsBySyntax.get(spec.def) ?? this.enumDeclaration(spec.def);
        return { type: { kind: 'enum', enumType: e }, spelling: spec.def.name ? `enum ${spec.def.name}` : 'enum <anonymous>' };
      }
    }
  }

  /** An ioctl macro's argument type: also stddef's size_t and ptrdiff_t when the header does not declare them. */
  private ioctlArgType(t: TypeName): CType {
    const words = t.spec.kind === 'typedef-name' && !this.typedefs.has(t.spec.name) ? STDDEF_TYPEDEFS.get(t.spec.name) : undefined;
    if (words && t.pointer === 0 && t.arrays.length === 0) return primitiveType(words, t.loc, this.target);
    return this.typeName(t).type;
  }

  private typeName(t: TypeName): Resolved {
    const base = this.resolveSpec(t.spec, '<type-name>', null, t.pointer > 0);
    if (t.arrays.length === 0) return t.pointer > 0 ? pointerTo(base, t.pointer) : base;
    // `int [2]`, `__u16[KEY_MAX - BTN_MISC + 1]`: the dimensions as a declarator's, with no name.
    const declarator: Declarator = { kind: 'declarator', name: '', pointer: t.pointer, arrays: t.arrays, bitWidth: null, attributes: [], loc: t.loc };
    return this.withDeclarator(base, declarator).resolved;
  }

  private withDeclarator(base: Resolved, d: Declarator): { resolved: Resolved; flexible: boolean } {
    let r = d.pointer > 0 ? pointerTo(base, d.pointer) : base;
    let flexible = false;
    let dims = ''; // spelled in declaration order: `__u8[8][16]`
    const base0 = r.spelling;
    // Build from the innermost dimension out: int a[2][3] is an array of 2 arrays of 3 ints.
    for (let i = d.arrays.length - 1; i >= 0; i--) {
      const dim = d.arrays[i]!;
      let length: number | null = null;
      if (dim === null) {
        if (i !== 0) throw new HeaderError(d.loc, 'only the first array dimension may be empty');
        flexible = true;
      } else {
        const v = this.constant(dim);
        if (v.value < 0n) throw new HeaderError(dim.loc, `array size ${v.value} is negative`);
        if (v.value * BigInt(Math.max(1, sizeOf(r.type, d.loc, this.target))) > BigInt(MAX_RECORD_SIZE)) throw new HeaderError(dim.loc, `array size ${v.value} is too large (over 1 MiB)`);
        length = Number(v.value);
      }
      dims = `[${length ?? ''}]${dims}`;
      r = { type: { kind: 'array', element: r.type, length }, spelling: `${base0}${dims}` };
    }
    return { resolved: r, flexible };
  }

  private typedef(t: TypedefSyntax): void {
    const name = t.declarator.name;
    if (t.declarator.function) {
      // `typedef void __signalfn_t(int);`: a function type is not data; like `typedef void`, usable behind a pointer.
      this.voidTypedefs.set(name, 'a function type');
      return;
    }
    if (t.type.kind === 'primitive' && t.type.words.length === 1 && t.type.words[0] === 'void' && t.declarator.pointer === 0 && t.declarator.arrays.length === 0) {
      // `typedef void dlm_lockspace_t;`: an opaque type, usable only behind a pointer, like an incomplete struct.
      this.voidTypedefs.set(name, 'void (typedef void)');
      return;
    }
    const base = this.resolveSpec(t.type, name, null, t.declarator.pointer > 0);
    let { resolved } = this.withDeclarator(base, t.declarator);
    this.checkAttributes([...t.attributes, ...t.declarator.attributes], ['aligned']);
    const alignAttr = this.alignedAttribute([...t.attributes, ...t.declarator.attributes]);
    if (resolved.type.kind === 'scalar') {
      const endian = ENDIAN_TYPEDEFS.get(name) ?? resolved.type.endian;
      // On a typedef, aligned(N) sets the alignment (gcc lets a typedef lower it, too).
      const s: ScalarType = { ...resolved.type, name, endian, align: alignAttr ?? resolved.type.align };
      resolved = { type: s, spelling: name };
    } else {
      if (alignAttr !== null) throw new HeaderError(t.loc, `aligned attribute on typedef '${name}' of a non-scalar type is not supported`);
      resolved = { type: resolved.type, spelling: name };
    }
    const previous = this.typedefs.get(name);
    if (previous && previous.spelling !== resolved.spelling) throw new HeaderError(t.loc, `typedef '${name}' redefined`);
    this.typedefs.set(name, resolved);
  }

  private alignedAttribute(attrs: readonly Attribute[]): number | null {
    let align: number | null = null;
    for (const a of attrs) {
      if (a.name !== 'aligned') continue;
      let v = BigInt(this.target.biggestAlign); // `aligned` without a value: the largest alignment of any type
      if (a.args.length === 1) v = this.constant(a.args[0]!).value;
      else if (a.args.length > 1) throw new HeaderError(a.loc, 'aligned takes one argument');
      // BigInt: 32-bit bitwise operators would take 2^40 for 0, a power of 2.
      if (v <= 0n || (v & (v - 1n)) !== 0n) throw new HeaderError(a.loc, `requested alignment ${v} is not a positive power of 2`);
      if (v > MAX_ALIGNMENT) throw new HeaderError(a.loc, `requested alignment ${v} exceeds maximum ${MAX_ALIGNMENT}`); // as gcc says
      const n = Number(v);
      align = Math.max(align ?? 0, n);
    }
    return align;
  }

  private checkAttributes(attrs: readonly Attribute[], allowed: readonly string[]): void {
    for (const a of attrs) {
      // may_alias tells the optimizer the type may alias others (btrfs.h's search header); it changes no layout.
      if (a.name === 'may_alias' && a.args.length === 0) continue;
      if (!allowed.includes(a.name)) throw new HeaderError(a.loc, `unsupported attribute '${a.name}' (it may change layout)`);
    }
  }

  // ---- records

  private recordDeclaration(def: RecordSyntax): void {
    if (this.recordsBySyntax.has(def)) return;
    if (def.name !== null && this.tags.has(def.name)) throw new HeaderError(def.loc, `redefinition of '${def.tag} ${def.name}'`);
    const record = this.record(def, def.name ?? '<anonymous>', null);
    if (def.name !== null) {
      this.tags.set(def.name, { kind: 'record', record });
      if (this.isMain(def.loc)) this.records.push(record);
    }
  }

  private record(def: RecordSyntax, path: string, docs: DocLookup | null): RecordDef {
    this.checkAttributes(def.attributes, ['packed', 'aligned']);
    const lookup = def.doc ? new DocLookup(def.doc) : docs;
    const inputs: MemberInput[] = [];
    const extra: { spelling: string; doc: string | null }[] = [];
    for (const m of def.members) {
      const r = this.member(m, path, lookup);
      inputs.push(r.input);
      extra.push({ spelling: r.spelling, doc: r.doc });
    }
    const packed = def.attributes.some((a) => a.name === 'packed');
    const layout = layoutRecord({ kind: def.tag, packed, alignAttr: this.alignedAttribute(def.attributes), pack: def.pack, members: inputs, loc: def.loc }, this.target);
    const fields: Field[] = layout.members.map((p): Field => {
      const i = inputs.indexOf(p.member);
      return {
        kind: 'field',
        name: p.member.name,
        type: p.member.type,
        spelling: extra[i]!.spelling,
        offset: p.offset,
        size: p.member.size,
        align: p.member.align,
        bitField: p.bitField,
        doc: extra[i]!.doc,
        ...(p.member.flexible ? countedBy(this.unit, p.member.loc) : {}),
        loc: p.member.loc,
      };
    });
    const record: RecordDef = {
      kind: def.tag, name: def.name, path, fields, size: layout.size, align: layout.align, packed, doc: lowerDoc(def.doc), loc: def.loc,
    };
    this.recordsBySyntax.set(def, record);
    return record;
  }

  private member(m: MemberSyntax, path: string, docs: DocLookup | null): { input: MemberInput; spelling: string; doc: string | null } {
    const name = m.declarator?.name ?? null;
    if (m.declarator?.function) throw new HeaderError(m.declarator.loc, `member '${name}' is a function, not data (a pointer to one would be)`);
    const attrs = [...m.attributes, ...(m.declarator?.attributes ?? [])];
    this.checkAttributes(attrs, ['packed', 'aligned']);
    const childPath = name === null ? path : `${path}.${name}`;
    const childDocs = name === null ? docs : (docs?.nested(name) ?? null);
    const base = this.resolveSpec(m.type, childPath, childDocs, (m.declarator?.pointer ?? 0) > 0);
    const { resolved, flexible } = m.declarator ? this.withDeclarator(base, m.declarator) : { resolved: base, flexible: false };
    if (m.declarator === null && m.bitWidth === null && resolved.type.kind !== 'record') {
      throw new HeaderError(m.loc, 'declaration does not declare a member');
    }
    const widthExpr = m.declarator?.bitWidth ?? m.bitWidth;
    const bitWidth = widthExpr ? Number(this.constant(widthExpr).value) : null;
    const loc = m.declarator?.loc ?? m.loc;
    return {
      input: {
        name,
        type: resolved.type,
        size: flexible ? 0 : sizeOf(resolved.type, loc, this.target),
        align: alignOf(resolved.type, this.target),
        alignAttr: maxOrNull(this.alignedAttribute(attrs), m.type.kind === 'typedef-name' ? (MEMBER_ALIGNED_TYPEDEFS.get(m.type.name) ?? null) : null),
        packed: attrs.some((a) => a.name === 'packed'),
        bitWidth,
        flexible,
        loc,
      },
      spelling: resolved.spelling,
      doc: name === null ? null : (docs?.text(name) ?? null),
    };
  }

  // ---- enums

  private enumDeclaration(def: EnumSyntax): EnumType {
    const known = this.enumsBySyntax.get(def);
    if (known) return known;
    this.checkAttributes(def.attributes, []);
    if (def.name !== null && this.tags.has(def.name)) throw new HeaderError(def.loc, `redefinition of 'enum ${def.name}'`);
    const docs = def.doc ? new DocLookup(def.doc) : null;
    const values: Enumerator[] = [];
    this.enumValueLists.push(values);
    let next: IntValue = { value: 0n, type: 'int' };
    for (const v of def.values) {
      const value = v.value ? this.enumeratorValue(v.name, v.value, v.loc) : next;
      if (this.enumerators.has(v.name)) throw new HeaderError(v.loc, `redeclaration of enumerator '${v.name}'`);
      if (value.value < -(2n ** 63n) || value.value >= 2n ** 64n) throw new HeaderError(v.loc, `enumerator value ${value.value} is out of range`);
      // C: an enumerator is an int; gcc gives wider values a wider type.
      this.enumerators.set(v.name, { value: value.value, type: this.enumeratorType(value.value) });
      values.push({ kind: 'enumerator', name: v.name, value: value.value, doc: docs?.text(v.name) ?? null, loc: v.loc });
      next = { value: value.value + 1n, type: value.type };
    }
    const enumType: EnumType = { kind: 'enum', name: def.name, values, underlying: enumUnderlying(values, this.target), doc: lowerDoc(def.doc), loc: def.loc };
    // gcc: once the enum is complete, an enumerator whose value does not fit int has the enum's type
    for (const v of values) {
      if (!fits(v.value, 'int', this.target)) this.enumerators.set(v.name, { value: v.value, type: enumType.underlying.cType as IntValue['type'] });
    }
    this.enumsBySyntax.set(def, enumType);
    if (def.name !== null) this.tags.set(def.name, { kind: 'enum', enumType });
    if (this.isMain(def.loc)) this.enums.push(enumType);
    return enumType;
  }

  /**
   * A `#define` of an enumerator's name with another value: after it, C code reading the name gets the macro's
   * value, so the name is the macro's. The enum keeps the enumerator's value (its type counted it), but no name
   * reaches it any more.
   */
  private shadowed(m: MacroSyntax, value: bigint, enumerator: bigint): void {
    this.shadowEnumerator(m.name);
    this.warnings.push({ loc: m.loc, message: `#define ${m.name} (${value}) hides the enumerator ${m.name} (${enumerator}): the name is the macro's` });
  }

  /** Takes a hidden enumerator out of its enum's named values (and out of the ioctls, when it was one). */
  private shadowEnumerator(name: string): void {
    for (const values of this.enumValueLists) {
      const at = values.findIndex((v) => v.name === name);
      if (at >= 0) values.splice(at, 1);
    }
    const ioctl = this.ioctls.findIndex((i) => i.name === name);
    if (ioctl >= 0) this.ioctls.splice(ioctl, 1); // an enumerator's ioctl: the name is the macro's now
  }

  /** What an _IO* macro needs of the unit: constants, the argument type and its size, the target's encoding. */
  private ioctlContext(): IoctlContext {
    return {
      constant: (e) => this.constant(e),
      typeName: (t) => this.ioctlArgType(t),
      sizeOf: (t, loc) => sizeOf(t, loc, this.target),
      encoding: this.target.ioctl,
    };
  }

  /**
   * An enumerator's value: a constant expression, or an ioctl number (gpib_ioctl.h's `IBRD = _IOWR(...)`), which
   * is then also one of the header's ioctls, as a `#define` of it would be.
   */
  private enumeratorValue(name: string, e: Expr, loc: Loc): IntValue {
    const ioctl = ioctlOf(name, e, '', loc, this.ioctlContext());
    if (ioctl && this.isMain(loc)) this.ioctls.push(ioctl);
    // The _IOC expansion is unsigned int in C (its direction is `1U`/`2U`), so the number is too.
    return ioctl ? { value: ioctl.request, type: 'unsigned int' } : this.constant(e);
  }

  // ---- constants and ioctls

  private constant(e: Expr): IntValue {
    return evaluate(e, this.evalContext);
  }

  private macro(m: MacroSyntax): void {
    switch (m.value.kind) {
      case 'empty':
        return; // a flag such as an include guard: nothing to model
      case 'function-like':
        this.warnings.push({ loc: m.loc, message: `function-like macro ${m.name} is not modelled` });
        return;
      case 'unparsable':
        this.warnings.push({ loc: m.loc, message: `#define ${m.name} is not an integer constant or ioctl; not modelled (${m.value.reason})` });
        return;
      case 'expr': {
        const expr = m.value.expr;
        // `#define FOO FOO` after an enumerator FOO (an enum that also defines each enumerator as a macro) lets #ifdef see the enumerator;
        // it is the enumerator itself, not a second constant.
        if (expr.kind === 'ident' && expr.name === m.name && this.enumerators.has(m.name)) return;
        if (expr.kind === 'string') {
          this.warnings.push({ loc: m.loc, message: `#define ${m.name} is a string; not modelled` });
          return;
        }
        if (expr.kind === 'binary' && expr.op === ',') {
          // atmdev.h's `#define ATM_VS2TXT_MAP "IDLE", "CONNECTED", ...`: a list for an initializer, not a constant.
          this.warnings.push({ loc: m.loc, message: `#define ${m.name} is a comma-separated list, not a constant; not modelled` });
          return;
        }
        try {
          const ioctl = ioctlOf(m.name, expr, m.comment, m.loc, this.ioctlContext());
          const enumerator = this.enumerators.get(m.name);
          if (ioctl) {
            if (enumerator !== undefined && enumerator.value === ioctl.request) return; // the enumerator's ioctl itself
            if (enumerator !== undefined) this.shadowed(m, ioctl.request, enumerator.value);
            this.ioctls.push(ioctl);
            return;
          }
          const v = this.constant(expr);
          if (enumerator !== undefined && enumerator.value === v.value) return; // the enumerator itself, as `#define FOO FOO`
          if (enumerator !== undefined) this.shadowed(m, v.value, enumerator.value);
          this.constants.push({ kind: 'constant', name: m.name, value: convert(v.value, v.type, this.target), ctype: v.type, loc: m.loc });
        } catch (e) {
          if (!(e instanceof UndefinedName)) throw e;
          // At the undefined name itself: a location inside the message would move with every line above it.
          this.warnings.push({ loc: e.loc, message: `#define ${m.name} is not modelled: ${e.reason}` });
        }
      }
    }
  }
}

/** Resolves `@member` kernel-doc text for a record and its nested members (`@a.b`). */
class DocLookup {
  constructor(
    private readonly doc: KernelDoc,
    private readonly prefix = '',
  ) {}

  text(name: string): string | null {
    const full = this.prefix + name;
    const m = this.doc.members.find((x) => x.name === full);
    return m ? m.text : null;
  }

  nested(name: string): DocLookup {
    return new DocLookup(this.doc, `${this.prefix}${name}.`);
  }
}

function maxOrNull(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

function pointerTo(base: Resolved, depth: number): Resolved {
  const stars = '*'.repeat(depth);
  return { type: { kind: 'pointer', to: base.spelling + '*'.repeat(depth - 1) }, spelling: `${base.spelling} ${stars}` };
}

export function sizeOf(t: CType, loc: Loc, target: Target): number {
  switch (t.kind) {
    case 'scalar': return t.size;
    case 'record': return t.record.size;
    case 'enum': return t.enumType.underlying.size;
    case 'pointer': return target.longSize;
    case 'array':
      if (t.length === null) throw new HeaderError(loc, 'a flexible array has no size');
      return t.length * sizeOf(t.element, loc, target);
  }
}

/** The alignment of a type inside a record. */
export function alignOf(t: CType, target: Target): number {
  switch (t.kind) {
    case 'scalar': return t.align;
    case 'record': return t.record.align;
    case 'enum': return t.enumType.underlying.align;
    case 'pointer': return target.longSize;
    case 'array': return alignOf(t.element, target);
  }
}

/** GNU __alignof__: as alignOf, but a scalar (and an array of one) aligned to at least its size, as gcc's type is. */
function preferredAlignOf(t: CType, target: Target): number {
  switch (t.kind) {
    case 'scalar': return Math.max(t.align, t.size);
    case 'enum': return preferredAlignOf(t.enumType.underlying, target);
    case 'array': return preferredAlignOf(t.element, target);
    default: return alignOf(t, target);
  }
}

/**
 * gcc's choice (without -fshort-enums, which no Linux ABI here uses): unsigned int if every value is non-negative
 * and fits, else int, else the first 64-bit type (long on LP64, long long on ILP32).
 */
function enumUnderlying(values: readonly Enumerator[], target: Target): ScalarType {
  const negative = values.some((v) => v.value < 0n);
  const all = (t: IntType): boolean => values.every((v) => fits(v.value, t, target));
  const wide = target.longSize === 8 ? 'long' : 'long long';
  if (!negative) return intScalar(all('unsigned int') ? 'unsigned int' : `unsigned ${wide}`, target);
  return intScalar(all('int') ? 'int' : wide, target);
}

/**
 * A flexible array's `__counted_by(n)`, read in the header's own text between the member's name and its `;`:
 * stddef.h defines the macro away (it only informs the compiler), so the expanded text no longer has it.
 */
function countedBy(unit: ParsedUnit, loc: Loc): { countedBy: string } | Record<string, never> {
  const file = unit.files.find((f) => f.path === loc.file);
  if (!file) return {};
  let at = 0;
  for (let line = 1; line < loc.line && at >= 0; line++) at = file.text.indexOf('\n', at) + 1;
  if (at <= 0 && loc.line > 1) return {};
  const start = at + loc.col - 1;
  const end = file.text.indexOf(';', start);
  const m = /\b__counted_by(?:_le|_be)?\s*\(\s*([A-Za-z_]\w*)\s*\)/.exec(file.text.slice(start, end < 0 ? undefined : end));
  return m ? { countedBy: m[1]! } : {};
}
