// Annotated model → view objects for the templates. Everything a template prints is decided here; templates lay it out.
import { HeaderError } from '../diagnostics.js';
import { argumentRecord, extensionOf, isReserved, type AnnotatedIoctl, type AnnotatedModel, type Related } from '../conventions/annotations.js';
import type { CType, EnumType, Field, RecordDef, ScalarType } from '../model/types.js';
import { storedScalar } from '../model/scalars.js';
import { directMembers, walkMembers } from '../model/walk.js';
import { ERRNO_NAMES } from '../model/errno-table.js';
import { deviceView, type DeviceView } from './device-view.js';
import { handleKindsView, type HandleKindsView } from './handle-kinds-view.js';
import { publicHeaderPath } from './header-path.js';
import { encoderView, type EncoderView } from './encoder-view.js';
import { decodeLoop, type LoopLevel } from './loop-view.js';
import { recordGridStep, type RecordGridStep } from './record-grid-view.js';
import { recordModules, type RecordModule } from './record-modules.js';
import { readmeView, type ReadmeView } from './readme-view.js';
import { pascalCase } from './names.js';
import { MAX_LINE } from './helpers.js';
import { kernelDocToMarkdown } from './tsdoc.js';

export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly kernel: string | null;
}

/** How one scalar is stored: DataView accessor, check helper, byte order. */
export interface Access {
  readonly setter: string;
  readonly getter: string;
  /** A runtime reader used instead of the DataView getter (little-endian 64-bit: a cheaper path for small values). */
  readonly reader: string | null;
  /** A runtime writer used instead of the DataView setter (little-endian 64-bit: setBig*64 is the slow path). */
  readonly writer: string | null;
  readonly check: string;
  readonly le: boolean;
  readonly tsType: string;
  readonly initType: string;
  readonly bool: boolean;
}

/** Where a field's bytes are: `offset` and `size` within the outermost record; `member`: inside a union. */
interface Place {
  readonly prop: string;
  readonly offset: number;
  readonly size: number;
  readonly member: boolean;
}

export type EncodeStep =
  | (Place & { readonly kind: 'scalar'; readonly a: Access })
  | (Place & { readonly kind: 'bits'; readonly bitOffset: number; readonly bitWidth: number; readonly signed: boolean; readonly big: boolean })
  | (Place & { readonly kind: 'record'; readonly fn: string })
  | (Place & { readonly kind: 'array'; readonly length: number; readonly stride: number; readonly a: Access | null; readonly fn: string | null })
  /** A multi-dimensional scalar array: `dims` the C lengths, `length` their product, `stride` the scalar's size. */
  | (Place & { readonly kind: 'grid'; readonly dims: readonly number[]; readonly tsType: string; readonly length: number; readonly stride: number; readonly a: Access })
  | RecordGridStep;

export interface DecodeProp {
  readonly prop: string;
  readonly kind: EncodeStep['kind'];
  readonly step: EncodeStep;
  readonly indices: readonly { readonly index: number; readonly offset: number }[]; // small arrays, unrolled
  /** Long and multi-dimensional arrays: read in loops into a local before the object literal (loop-view.ts). */
  readonly loop: LoopLevel | null;
  readonly loopType: string | null;
}

/** What a field's TSDoc says: its kernel-doc, then its C declaration and place. */
export interface FieldDoc {
  readonly lines: readonly string[];
  readonly spelling: string; // the C type as written
  readonly offset: number;
  readonly size: number;
  readonly bits: { readonly first: number; readonly last: number } | null;
}

export interface PropView {
  readonly name: string;
  readonly tsType: string;
  readonly initType: string;
  readonly doc: FieldDoc;
  readonly init: boolean; // part of the input type (reserved fields and flexible arrays are not)
}

export interface RecordView {
  readonly tsName: string;
  readonly initName: string;
  readonly cName: string;
  /** The record's path in error messages: its tag, or `outer.member` for an anonymous record. */
  readonly path: string;
  readonly named: boolean;
  readonly hasReserved: boolean;
  readonly size: number;
  readonly align: number;
  readonly source: string;
  readonly doc: readonly string[];
  readonly props: readonly PropView[];
  /** The encoder's statements: every field checked, then every byte written (encoder-view.ts). */
  readonly encoder: EncoderView;
  readonly decode: readonly DecodeProp[];
  /**
   * The offset of the record's last byte when no decoded field ends there (tail padding, a reserved field, bit-fields),
   * else null. A decoder's read past the end of the buffer throws, which it turns into the record's own RangeError;
   * one that would not read the last byte reads it first, so that a short buffer is refused all the same.
   */
  readonly unreadLastByte: number | null;
  /** Anonymous unions: at most one member may be given. Each entry: the fields of each member, and their names. */
  readonly exclusive: readonly { readonly members: readonly (readonly string[])[]; readonly names: readonly string[] }[];
  readonly layout: readonly { readonly name: string; readonly offset: number; readonly size: number; readonly type: string; readonly bits: string | null }[];
}

/** A number as the templates write it (templates/partials/literal.hbs): 59, 0xdeadbeef, 123n. */
export interface LiteralView {
  readonly decimal: string;
  readonly hex: string;
  readonly inHex: boolean; // above 255: written in hex
  readonly big: boolean; // not a safe integer: a bigint
}

export interface ValueView {
  readonly name: string;
  readonly literal: LiteralView;
  readonly hex: string;
  readonly doc: readonly string[];
}

export interface EnumView {
  readonly tsName: string | null;
  readonly cName: string;
  readonly source: string;
  readonly doc: readonly string[];
  /** `ioctl`: an ioctl number (gpib_ioctl.h's `IBRD = _IOWR(...)`), exported by its name from ioctls.ts instead. */
  readonly values: readonly (ValueView & { readonly ioctl: boolean })[];
}

export interface IoctlView {
  readonly name: string;
  readonly literal: LiteralView;
  readonly dir: string;
  readonly type: number;
  readonly nr: number;
  readonly size: number;
  readonly arg: string | null; // TS name of the argument record
  readonly argC: string | null;
  readonly argSource: string | null;
  readonly source: string;
  readonly summary: string;
}

export interface PackageView {
  readonly name: string;
  readonly version: string;
  readonly header: string;
  readonly kernel: string | null;
  readonly fromLine: string; // "headers/v7.3/linux/foo.h (Linux 7.3)"
  readonly records: readonly RecordView[];
  /** The files of src/records/, each with its records (record-modules.ts). */
  readonly recordModules: readonly RecordModule[];
  readonly enums: readonly EnumView[];
  readonly constants: readonly (ValueView & { readonly source: string; readonly ctype: string })[];
  readonly ioctls: readonly IoctlView[];
  readonly docs: readonly { readonly title: string; readonly lines: readonly string[] }[];
  readonly device: DeviceView & HandleKindsView & { readonly classNames: string };
  readonly errnos: readonly { readonly num: number; readonly name: string }[];
  readonly counts: { readonly records: number; readonly enums: number; readonly constants: number; readonly ioctls: number };
  readonly readme: ReadmeView;
}

const SMALL_ARRAY = 16;

/**
 * How a scalar of a layout in byte order `order` (its ABI's) is stored: `__le*`/`__be*` keep their own. `wide`: a
 * field that is 64-bit on another of the package's targets (a `size_t` on i386), a bigint here too.
 */
export function access(t: ScalarType, loc: RecordDef['loc'], order: 'little' | 'big', wide = false): Access {
  const le = t.size > 1 && (t.endian === 'little' || (t.endian === 'native' && order === 'little')); // 8-bit accessors take no byte order
  if (t.name === '_Bool') return { setter: 'setUint8', getter: 'getUint8', reader: null, writer: null, check: 'bool', le, tsType: 'boolean', initType: 'boolean', bool: true };
  if (t.float) {
    const bits = t.size * 8;
    return { setter: `setFloat${bits}`, getter: `getFloat${bits}`, reader: null, writer: null, check: `f${bits}`, le, tsType: 'number', initType: 'number', bool: false };
  }
  const bits = t.size * 8;
  if (bits === 64) {
    const s = t.signed ? 'BigInt64' : 'BigUint64';
    const reader = le ? (t.signed ? 'getS64' : 'getU64') : null;
    const writer = le ? 'put64' : null;
    return { setter: `set${s}`, getter: `get${s}`, reader, writer, check: t.signed ? 's64' : 'u64', le, tsType: 'bigint', initType: 'bigint | number', bool: false };
  }
  if (![8, 16, 32].includes(bits)) throw new HeaderError(loc, `no codec for a ${bits}-bit integer`);
  const s = `${t.signed ? 'Int' : 'Uint'}${bits}`;
  // A long or pointer of a 32-bit ABI (i386, arm: both little-endian) is a bigint, as on the 64-bit ABIs, so that
  // every layout of a package has the same types; so is any field another of its layouts has 64-bit (`wide`).
  if (bits === 32 && le && (wide || t.cType === 'long' || t.cType === 'unsigned long' || t.name === 'pointer')) {
    const reader = t.signed ? 'getLong32' : 'getULong32';
    return { setter: `set${s}`, getter: `get${s}`, reader, writer: 'putLong32', check: t.signed ? 'slong32' : 'ulong32', le, tsType: 'bigint', initType: 'bigint | number', bool: false };
  }
  return { setter: `set${s}`, getter: `get${s}`, reader: null, writer: null, check: `${t.signed ? 's' : 'u'}${bits}`, le, tsType: 'number', initType: 'number', bool: false };
}


function literal(v: bigint): LiteralView {
  const safe = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER);
  return { decimal: v.toString(), hex: hex(v), inHex: v > 255n, big: !safe };
}

function hex(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

export class ViewBuilder {
  private readonly records: RecordView[] = [];
  private readonly tsNames = new Map<RecordDef, string>();
  /** The encodable steps of each record that another record's encoder may write inline (inline-records.ts). */
  private readonly inlineSteps = new Map<string, readonly EncodeStep[]>();
  private readonly pointerFields: ReadonlySet<Field>;

  /** The byte order of the ABI the model was laid out for. */
  private readonly order: 'little' | 'big';

  /**
   * `wide`: the fields (`Record.field`, by TS names) that are 64-bit in another layout of the package, given
   * bigint types here too (emit/targets-types.ts).
   */
  constructor(private readonly model: AnnotatedModel, private readonly wide: ReadonlySet<string> = new Set()) {
    this.order = model.target.endian;
    this.pointerFields = new Set(model.pointers.map((p) => p.field));
  }

  /** The TS name given to a record (after build()). */
  tsNameOf(r: RecordDef): string | undefined {
    return this.tsNames.get(r);
  }

  private source(loc: { file: string; line: number }): string {
    return `${publicHeaderPath(loc.file)}:${loc.line}`;
  }

  build(info: PackageInfo): PackageView {
    for (const r of this.model.records) this.record(r, pascalCase(r.name!));
    const m = this.model;
    const single = deviceView(m, (r) => this.tsNames.get(r), this.wide);
    const kinds = handleKindsView(m, single, (r) => this.tsNames.get(r));
    const device = { ...single, ...kinds, classNames: kinds.classes.map((c) => c.className).join(', ') };
    const header = publicHeaderPath(m.header);
    const ioctls = m.ioctls.map((i) => this.ioctlView(i));
    return {
      name: info.name,
      version: info.version,
      header,
      kernel: info.kernel,
      fromLine: info.kernel ? `${header} (Linux ${info.kernel})` : header,
      records: this.records,
      recordModules: recordModules(this.records, ioctls),
      enums: m.enums.map((e) => this.enumView(e)),
      constants: m.constants.map((c) => ({ name: c.name, literal: literal(c.value), hex: hex(c.value), doc: [], source: this.source(c.loc), ctype: c.ctype })),
      ioctls,
      docs: m.docs.map((d) => ({ title: d.title, lines: kernelDocToMarkdown(d.doc.description) })),
      device,
      errnos: [...ERRNO_NAMES].map(([num, name]) => ({ num, name })),
      counts: { records: m.records.length, enums: m.enums.length, constants: m.constants.length, ioctls: m.ioctls.length },
      readme: readmeView(this.records, device, this.sizeFields()),
    };
  }

  private enumView(e: EnumType): EnumView {
    const doc = e.doc ? docLines(e.doc.summary, e.doc.description) : [];
    return {
      tsName: e.name ? pascalCase(e.name) : null,
      cName: e.name ? `enum ${e.name}` : 'anonymous enum',
      source: this.source(e.loc),
      doc,
      values: e.values.map((v) => ({
        name: v.name, literal: literal(v.value), hex: hex(v.value), doc: v.doc ? kernelDocToMarkdown(v.doc) : [],
        ioctl: this.model.ioctls.some((i) => i.name === v.name),
      })),
    };
  }

  /** TS name → the field each named record's extension fills with its size (for the README's example). */
  private sizeFields(): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const r of this.model.records) {
      const e = extensionOf(this.model, r);
      const ts = this.tsNames.get(r);
      if (e && ts && !isReserved(this.model, e.field)) out.set(ts, e.field.name!);
    }
    return out;
  }

  private ioctlView(i: AnnotatedIoctl): IoctlView {
    const arg = argumentRecord(i);
    return {
      name: i.name,
      literal: literal(i.request),
      dir: i.dir,
      type: i.type,
      nr: i.nr,
      size: i.size,
      arg: arg ? this.tsNames.get(arg) ?? null : null,
      argC: arg ? `${arg.kind} ${arg.name}` : null,
      argSource: i.argument?.kind === 'record' ? i.argument.source : null,
      source: this.source(i.loc),
      summary: arg?.doc ? kernelDocToMarkdown(arg.doc.description.split('\n\n')[0] ?? '').join(' ') : '',
    };
  }

  /** Views for a record and, first, for the anonymous records its members use. */
  private record(r: RecordDef, tsName: string): string {
    const known = this.tsNames.get(r);
    if (known) return known;
    this.tsNames.set(r, tsName);
    const props: PropView[] = [];
    const steps: EncodeStep[] = [];
    const layout: RecordView['layout'][number][] = [];
    const exclusive: RecordView['exclusive'][number][] = [];
    if (r.kind === 'union') exclusive.push(unionGroup(r, (f) => isReserved(this.model, f)));
    this.flatten(r, 0, tsName, props, steps, layout, exclusive, r.kind === 'union');
    // a union of which at most one member can be given needs no check (flexible arrays are not in the input)
    for (let k = exclusive.length - 1; k >= 0; k--) if (exclusive[k]!.members.length < 2) exclusive.splice(k, 1);
    const reserved = new Set(props.filter((p) => !p.init).map((p) => p.name));
    const cName = r.name ? `${r.kind} ${r.name}` : `${r.kind} <anonymous> (${r.path})`;
    const encodable = steps.filter((step) => !reserved.has(step.prop));
    const encoder = encoderView(r.size, encodable, (fn) => this.inlineSteps.get(fn) ?? null);
    // Inline where every field (nested ones inlined) is an integer or a short array of them, outside any union, one at
    // least an integer: what the holder's one test checks (no bit-field, boolean, float, long array, encoder call).
    const plain = encoder.checks.every((c) => c.kind === 'scalar' || (c.kind === 'array' && c.zeros !== null));
    const stores = encoder.writes.every((w) => w.kind === 'scalar' || w.kind === 'array' || w.kind === 'zero');
    if (encoder.checks.some((c) => c.kind === 'scalar') && plain && stores && exclusive.length === 0 && encodable.every((step) => !step.member)) {
      this.inlineSteps.set(tsName, encodable);
    }
    this.records.push({
      tsName,
      initName: `${tsName}Init`,
      cName,
      path: r.name ?? r.path,
      named: r.name !== null,
      hasReserved: props.some((p) => !p.init && p.doc.size > 0),
      size: r.size,
      align: r.align,
      source: this.source(r.loc),
      doc: r.doc ? docLines(r.doc.summary, r.doc.description) : [],
      props,
      encoder,
      decode: steps.map((step) => {
        const loop = decodeLoop(step, SMALL_ARRAY);
        return {
          prop: step.prop,
          kind: step.kind,
          step,
          indices: step.kind === 'array' && step.length <= SMALL_ARRAY ? Array.from({ length: step.length }, (_, k) => ({ index: k, offset: step.offset + k * step.stride })) : [],
          loop: loop?.loop ?? null,
          loopType: loop?.type ?? null,
        };
      }),
      unreadLastByte: steps.some((step) => step.kind !== 'bits' && step.size > 0 && step.offset + step.size === r.size) ? null : r.size - 1,
      exclusive,
      layout,
    });
    return tsName;
  }

  /** Adds `r`'s fields at `base`; members of anonymous members are hoisted, as C lets code reach them. */
  private flatten(
    r: RecordDef, base: number, owner: string, props: PropView[], encode: EncodeStep[],
    layout: RecordView['layout'][number][], exclusive: RecordView['exclusive'][number][], member: boolean,
  ): void {
    for (const v of walkMembers(r)) {
      const f = v.field;
      if (f.name === null) {
        // an unnamed member of anonymous record type is hoisted (an unnamed bit-field is padding)
        if (v.path.length === 0 && f.type.kind === 'record' && f.type.record.kind === 'union') exclusive.push(unionGroup(f.type.record, (g) => isReserved(this.model, g)));
        continue;
      }
      if (v.path.length === 1) this.field(f, base + v.offset, owner, props, encode, layout, member || v.inUnion);
    }
  }

  private field(f: Field, offset: number, owner: string, props: PropView[], encode: EncodeStep[], layout: RecordView['layout'][number][], member: boolean): void {
    const name = f.name!;
    const place = { prop: name, offset, size: f.size, member };
    const bits = f.bitField ? { first: f.bitField.bitOffset, last: f.bitField.bitOffset + f.bitField.bitWidth - 1 } : null;
    const own = f.doc ? kernelDocToMarkdown(f.doc) : [];
    const related = this.model.related.get(f);
    const lines = related ? [...own, ...(own.length ? [''] : []), relatedSentence(related)] : own;
    const doc: FieldDoc = { lines, spelling: f.spelling, offset, size: f.size, bits };
    layout.push({ name, offset, size: f.size, type: f.spelling, bits: f.bitField ? `${f.bitField.bitOffset}:${f.bitField.bitWidth}` : null });
    // A zero-size member (`__DECLARE_FLEX_ARRAY`'s empty struct, a `[0]` array) has no bytes to give or read: it is
    // in the layout above only, not in the TS types, so a decoder makes no empty object or array for it.
    if (f.size === 0 && !f.bitField) return;
    const reserved = isReserved(this.model, f);
    const t = f.type;
    if (f.bitField) {
      const s = storedScalar(t, this.model.target.longSize)!;
      const big = s.size === 8 && f.bitField.bitWidth > 32;
      props.push({ name, tsType: big ? 'bigint' : 'number', initType: big ? 'bigint | number' : 'number', doc, init: !reserved });
      encode.push({ ...place, kind: 'bits', bitOffset: f.bitField.bitOffset, bitWidth: f.bitField.bitWidth, signed: s.signed, big });
      return;
    }
    if (t.kind === 'array') {
      if (t.length === null) {
        return; // a flexible array member has no bytes in the struct; its layout entry above records where it starts
      }
      if (t.element.kind === 'array') {
        this.grid(t, f, place, doc, !reserved, props, encode, owner);
        return;
      }
      const stride = t.length > 0 ? f.size / t.length : 0;
      const s = storedScalar(t.element, this.model.target.longSize);
      if (s) {
        const a = access(s, f.loc, this.order, this.wide.has(`${owner}.${name}`));
        // A tuple when short (not for a zero-length array: the decoded array is no `[]`), and when its input
        // type fits one line of the record's Init interface.
        const small = t.length > 0 && t.length <= SMALL_ARRAY && `  ${name}?: readonly [${Array(t.length).fill(a.initType).join(', ')}];`.length <= MAX_LINE;
        const tuple = small ? `[${Array(t.length).fill(a.tsType).join(', ')}]` : `${a.tsType}[]`;
        const initTuple = small ? `readonly [${Array(t.length).fill(a.initType).join(', ')}]` : `readonly (${a.initType})[]`;
        props.push({ name, tsType: tuple, initType: initTuple, doc, init: !reserved });
        encode.push({ ...place, kind: 'array', length: t.length, stride, a, fn: null });
      } else if (t.element.kind === 'record') {
        const el = this.record(t.element.record, t.element.record.name ? pascalCase(t.element.record.name) : `${owner}${pascalCase(name)}`);
        props.push({ name, tsType: `${el}[]`, initType: `readonly ${el}Init[]`, doc, init: !reserved });
        encode.push({ ...place, kind: 'array', length: t.length, stride, a: null, fn: el });
      }
      return;
    }
    if (t.kind === 'record') {
      const nested = this.record(t.record, t.record.name ? pascalCase(t.record.name) : `${owner}${pascalCase(name)}`);
      props.push({ name, tsType: nested, initType: `${nested}Init`, doc, init: !reserved });
      encode.push({ ...place, kind: 'record', fn: nested });
      return;
    }
    let a = access(storedScalar(t, this.model.target.longSize)!, f.loc, this.order, this.wide.has(`${owner}.${name}`));
    if (this.pointerFields.has(f)) a = { ...a, check: a.check === 'ulong32' ? 'ptr32' : 'ptr', initType: 'bigint | number | rt.Pointer' };
    props.push({ name, tsType: a.tsType, initType: a.initType, doc, init: !reserved });
    encode.push({ ...place, kind: 'scalar', a });
  }

  /** A multi-dimensional array (`__u8 fpr[8][16]`): nested arrays in TS, written and read flat. */
  private grid(t: CType, f: Field, place: Place, doc: FieldDoc, init: boolean, props: PropView[], encode: EncodeStep[], owner: string): void {
    const { dims, element } = dimsOf(t);
    if (element.kind === 'record') {
      const el = this.record(element.record, element.record.name ? pascalCase(element.record.name) : `${owner}${pascalCase(place.prop)}`);
      const { step, tsType, initType } = recordGridStep(place, dims, element.record.size, el);
      props.push({ name: place.prop, tsType, initType, doc, init });
      encode.push(step);
      return;
    }
    const s = storedScalar(element, this.model.target.longSize)!;
    const a = access(s, f.loc, this.order);
    const nest = (inner: string, outer: (x: string) => string): string => dims.reduce((x) => outer(x), inner);
    const tsType = nest(a.tsType, (x) => `${x}[]`);
    const initType = nest(a.initType.includes('|') ? `(${a.initType})` : a.initType, (x) => `(readonly ${x}[])`).slice(1, -1);
    props.push({ name: place.prop, tsType, initType, doc, init });
    const length = dims.reduce((n, d) => n * d, 1);
    encode.push({ ...place, kind: 'grid', dims, tsType, length, stride: s.size, a });
  }
}

/** The C lengths of a multi-dimensional array and its innermost element type. */
function dimsOf(t: CType): { dims: number[]; element: CType } {
  const dims: number[] = [];
  let e = t;
  while (e.kind === 'array') {
    dims.push(e.length ?? 0);
    e = e.element;
  }
  return { dims, element: e };
}

/** The members of a union share storage: an encoder accepts at most one of them (a reserved one is no input). */
function unionGroup(u: RecordDef, reserved: (f: Field) => boolean): RecordView['exclusive'][number] {
  const props = (f: Field): string[] => propsOf(f).filter((name) => !reserved(fieldNamed(f, name)));
  return {
    members: u.fields.map(props).filter((names) => names.length > 0),
    names: u.fields.flatMap(props),
  };
}

/** The input-type fields a union member gives: none for a zero-size member or a flexible array, which have no bytes. */
function propsOf(f: Field): string[] {
  if (f.size === 0 || (f.type.kind === 'array' && f.type.length === null)) return [];
  if (f.name !== null) return [f.name];
  return f.type.kind === 'record' ? directMembers(f.type.record).filter((v) => v.field.size > 0).map((v) => v.field.name!) : [];
}

/** The field a union member's input-type field `name` stands for: the member, or one of its anonymous record's. */
function fieldNamed(f: Field, name: string): Field {
  if (f.name !== null || f.type.kind !== 'record') return f;
  return directMembers(f.type.record).find((v) => v.field.name === name)?.field ?? f;
}

/** A related field's TSDoc: what it holds of another package, and that package's ioctls (profile `related`). */
export function relatedSentence(r: Related): string {
  const packages = [...new Set(r.see.map((s) => s.package))];
  const see = packages.map((p) => `${r.see.filter((s) => s.package === p).map((s) => `\`${s.ioctl}\``).join(', ')} (${p})`);
  return `${r.says} See ${see.join('; ')}.`;
}

function docLines(summary: string, description: string): string[] {
  // concat, not push(...): a spread of a long list (a comment of 100000 lines) overflows the stack.
  let lines: string[] = summary ? kernelDocToMarkdown(summary) : [];
  if (description) lines = lines.concat(lines.length > 0 ? [''] : [], kernelDocToMarkdown(description));
  return lines;
}
