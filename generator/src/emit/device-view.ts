// Annotated model → the view of the generated device class: one method per ioctl, with what each method must do
// around the generic encode/call/decode (fill the size field, fill lengths and counts from buffers, check bounds).
// Names, size fields, pointers and retries are the annotations' (conventions/); nothing here re-derives them.
import { DEVICE_MEMBERS } from '../conventions/annotate.js';
import { basename } from 'node:path';
import { HeaderError } from '../diagnostics.js';
import { argumentRecord, extensionOf, type AnnotatedIoctl, type AnnotatedModel, type PointerField, type Returns, type SizeExpr, type SizeField } from '../conventions/annotations.js';
import type { RecordDef } from '../model/types.js';
import { capsView, type CapsView } from './capability-view.js';
import { access as scalarAccess, type Access } from './views.js';
import { flexView, type FlexView } from './flex-view.js';
import { methodWords } from './in-memory-words.js';
import { pascalCase } from './names.js';
import { kernelDocToMarkdown } from './tsdoc.js';

/** A length or count field filled from (and checked against) the buffer given for a pointer. */
export interface SizeFill {
  readonly ptrExpr: string; // `args.buf`, `args.request?.buf`
  readonly sizeExpr: string; // `args.length`
  readonly ptrName: string;
  readonly sizeName: string;
  readonly offset: number;
  readonly big: boolean; // a 64-bit field (bigint accessors)
  readonly unit: number; // bytes per counted thing: 1 for a length, the element size for a count
  readonly counts: boolean; // unit > 1: the byte length is divided by it (a length, unit 1, is not)
}

/** A bounds check for a buffer whose size the kernel computes from other fields (a bitmap of pages). */
export interface MinBytesCheck {
  readonly ptrExpr: string;
  readonly ptrName: string;
  readonly text: string; // the profile's expression, for the message
  readonly js: string; // the same over bigint locals f_<name>
  readonly divides: boolean; // it has a `/` or `%`: a zero divisor throws, and the check is left to the kernel
  readonly fields: readonly MinBytesField[];
}

/** A field a minBytes expression reads, into a bigint local. */
export interface MinBytesField {
  readonly local: string; // f_<name>
  readonly offset: number;
  readonly size: number; // bytes: 1, 2, 4 or 8
  readonly bits: number; // size * 8, as the DataView getter is named
}

export interface ArrayIn {
  readonly field: string;
  readonly elementTs: string;
}

export interface MethodView {
  readonly name: string; // FOO_GET_INFO
  readonly method: string; // getInfo
  readonly tryMethod: string; // tryGetInfo: returns the errno instead of throwing
  /** prepareGetInfo: encodes once, for a call made again and again (an ioctl with a struct that returns 0). */
  readonly prepareMethod: string | null;
  /** What a successful call returns (the annotation's): 0, a value (a count), or a new file descriptor (a handle). */
  readonly returns: Returns;
  readonly request: string;
  readonly doc: readonly string[];
  readonly argTs: string | null;
  readonly argSize: number;
  /** The struct fields the arguments leave out: the size field, and arrays taken as `arraysIn` instead. */
  readonly omit: readonly string[];
  readonly fillSize: boolean;
  /** The field filled with the struct's size (`size`, `argsz`), or null. */
  readonly sizeField: string | null;
  readonly arraysIn: readonly ArrayIn[];
  readonly fills: readonly SizeFill[];
  readonly minBytes: readonly MinBytesCheck[];
  /** The argument ends in a flexible array: the method takes and returns its elements (flex-view.ts), or null. */
  readonly flex: FlexView | null;
  /** The capability chain the kernel writes after the struct: a method that decodes it (capability-view.ts), or null. */
  readonly caps: CapsView | null;
  /** The scalar the macro names as its argument (`_IOW(.., __u64)`), passed through the argument buffer, or null. */
  readonly scalar: ScalarArgView | null;
  /** The array of records the macro names as its argument (`struct __fat_dirent[2]`), or null. */
  readonly records: RecordArrayArgView | null;
  /** Which method partial writes it: the return form, `flex`, `scalar` or `records`. */
  readonly form: Returns | 'flex' | 'scalar' | 'records';
  readonly all: {
    readonly method: string;
    readonly errno: string; // the errno on which the call is made again with a larger array
    readonly field: string;
    readonly elementTs: string;
    readonly elementSize: number;
    readonly countName: string;
    readonly countOffset: number;
  } | null;
}

/** An ioctl's scalar argument: written before the call (`in`), read back after it (`out`), or both. */
export interface ScalarArgView {
  readonly a: Access;
  /** An array of `count` scalars (`_IOR(.., char[16])`), or null for one. */
  readonly count: number | null;
  readonly size: number; // one scalar's bytes
  readonly param: string; // the TS type the method takes: `bigint | number`, `readonly number[]`
  readonly result: string; // and returns: `bigint`, `number[]`
  readonly cType: string; // `__u64`, as the macro spells it
  readonly in: boolean;
  readonly out: boolean;
}

/** An ioctl's array of records: encoded before the call (`in`), decoded after it (`out`), or both. */
export interface RecordArrayArgView {
  readonly tsName: string;
  readonly count: number;
  readonly param: string; // the TS type the method takes: `readonly R.FatDirentInit[]`
  readonly result: string; // and returns: `R.FatDirent[]`
  readonly stride: number;
  readonly cType: string; // `struct __fat_dirent[2]`
  readonly in: boolean;
  readonly out: boolean;
}

export interface DeviceView {
  readonly className: string;
  readonly defaultPath: string | null;
  readonly argSize: number;
  readonly methods: readonly MethodView[];
  /** The methods with an argument struct, each with an encoder of its arguments. */
  readonly encoders: readonly MethodView[];
  /** Some encoder takes an array for a pointer field (and returns the arguments with its buffer instead). */
  readonly takesArrays: boolean;
  /** How method names are made: the prefix dropped (null: the first word), shown on the first method. */
  readonly naming: { readonly prefix: string | null; readonly example: MethodView | null };
  /** What the flexible-array methods import from the runtime, sorted; empty when there are none. */
  readonly flexImports: readonly string[];
  /** Some method returns a new file descriptor (its handle type is imported). */
  readonly returnsFd: boolean;
  /** The errno list every ioctl shares, then what each ioctl's own text adds. */
  readonly general: readonly { readonly code: string; readonly text: string }[];
  readonly meanings: readonly { readonly name: string; readonly entries: readonly { readonly code: string; readonly text: string }[] }[];
}

function access(path: readonly string[]): string {
  return 'args' + path.map((p, i) => (i === 0 ? `.${p}` : `?.${p}`)).join('');
}

function sizeFill(p: PointerField, size: SizeField, unit: number): SizeFill {
  const sizePath = [...p.path.slice(0, -1), size.name];
  return {
    ptrExpr: access(p.path),
    sizeExpr: access(sizePath),
    ptrName: p.path.join('.'),
    sizeName: sizePath.join('.'),
    offset: size.offset,
    big: size.field.size === 8,
    unit,
    counts: unit !== 1,
  };
}

/** The header's name (`if_tun.h` → `IfTun`), or with `Device` after it where a struct or enum has that name (fiemap.h). */
function deviceClassName(model: AnnotatedModel, tsNameOf: (r: RecordDef) => string | undefined): string {
  const name = pascalCase(basename(model.header).replace(/\.h$/, ''));
  const taken = model.records.some((r) => tsNameOf(r) === name) || model.enums.some((e) => e.name !== null && pascalCase(e.name) === name);
  return taken ? `${name}Device` : name;
}

/** `wide`: as ViewBuilder's, with `ioctl NAME` for a scalar argument that is 64-bit on another of the package's targets. */
export function deviceView(model: AnnotatedModel, tsNameOf: (r: RecordDef) => string | undefined, wide: ReadonlySet<string> = new Set()): DeviceView {
  const methods = model.ioctls.map((io) => methodView(io, model, tsNameOf, wide));
  checkNames(model.ioctls, methods);
  return {
    className: deviceClassName(model, tsNameOf),
    defaultPath: model.device,
    argSize: Math.max(8, ...methods.map((m) => m.argSize)), // the kernel reads and writes the whole argument in it
    methods,
    encoders: methods.filter((m) => m.argTs !== null && m.flex === null),
    flexImports: flexImports(methods),
    takesArrays: methods.some((m) => m.arraysIn.length > 0),
    naming: { prefix: model.methodPrefix, example: methods.find((m) => m.prepareMethod !== null) ?? methods[0] ?? null },
    returnsFd: methods.some((m) => m.returns === 'fd'),
    general: model.errnos.map((e) => ({ code: e.name, text: e.text })),
    meanings: model.ioctls.map((io) => ({
      name: io.name,
      entries: io.errors.map((e) => ({ code: e.name, text: e.text })),
    })),
  };
}


/** Two ioctls whose names map to one method (FOO_TRY_MAP and FOO_MAP's `tryMap`) cannot both be generated. */
function checkNames(ioctls: readonly AnnotatedIoctl[], methods: readonly MethodView[]): void {
  const owner = new Map<string, string>(DEVICE_MEMBERS.map((m) => [m, 'the device class itself']));
  methods.forEach((m, i) => {
    for (const name of [m.method, m.tryMethod, ...(m.prepareMethod ? [m.prepareMethod] : []), ...(m.all ? [m.all.method] : []), ...(m.flex?.grow ? [m.flex.grow.method] : []), ...(m.caps ? [m.caps.method] : [])]) {
      const other = owner.get(name);
      if (other !== undefined) throw new HeaderError(ioctls[i]!.loc, `${m.name}: its method name '${name}' is already taken by ${other}`);
      owner.set(name, m.name);
    }
  });
}

/** What each return form adds to a method's doc comment. */
const RETURNS_DOC: Readonly<Record<Returns, string>> = {
  zero: '',
  value: ' Returns what the kernel returned (a count or a value).',
  fd: ' Returns the new file descriptor in an FdHandle: `close()` or `using` closes it.',
};

function methodView(io: AnnotatedIoctl, model: AnnotatedModel, tsNameOf: (r: RecordDef) => string | undefined, wide: ReadonlySet<string>): MethodView {
  const returns = io.returns;
  const arg = argumentRecord(io);
  const argTs = arg ? (tsNameOf(arg) ?? null) : null;
  const pointers = arg ? model.pointers.filter((p) => p.record === arg) : [];
  const fills: SizeFill[] = [];
  const arraysIn: ArrayIn[] = [];
  const minBytes: MinBytesCheck[] = [];
  const retry = io.retry;
  const all: MethodView['all'] = retry === null || returns !== 'zero' ? null : {
    method: retry.method,
    errno: retry.errno,
    field: retry.field,
    elementTs: tsNameOf(retry.element)!,
    elementSize: retry.element.size,
    countName: retry.count.name,
    countOffset: retry.count.offset,
  };
  for (const p of pointers) {
    const to = p.info.to;
    if (p.info.minBytes) {
      const m = p.info.minBytes;
      minBytes.push({
        ptrExpr: access(p.path),
        ptrName: p.path.join('.'),
        text: m.text,
        js: bigintJs(m.expr),
        divides: divides(m.expr),
        fields: m.fields.map((f) => ({
          local: `f_${f.name}`,
          offset: f.offset,
          size: f.field.size,
          bits: f.field.size * 8,
        })),
      });
    }
    if (p.info.length) fills.push(sizeFill(p, p.info.length, 1));
    if (to.kind === 'array') {
      const elementTs = tsNameOf(to.element)!;
      if (p.info.count) fills.push(sizeFill(p, p.info.count, to.element.size));
      if (p.path.length === 1 && p.info.dir === 'in') arraysIn.push({ field: p.path[0]!, elementTs });
    }
  }
  const sizeField = arg ? (extensionOf(model, arg)?.field.name ?? null) : null;
  const fillSize = sizeField !== null;
  const flex = flexView(io, sizeField, tsNameOf);
  if (flex) arraysIn.length = 0; // the flexible array is the one array these methods take
  const omit = [...(sizeField !== null ? [sizeField] : []), ...arraysIn.map((a) => a.field)];
  const doc: string[] = [];
  if (arg?.doc) {
    doc.push(`\`${io.name}\`: ${kernelDocToMarkdown(arg.doc.summary).join(' ')}`);
    if (arg.doc.description) for (const l of ['', ...kernelDocToMarkdown(arg.doc.description)]) doc.push(l); // no spread into push: may be long
  } else doc.push(`\`${io.name}\``);
  const method = io.method;
  const pascal = pascalCase(method);
  const tryMethod = `try${pascal}`;
  const scalar = scalarArgView(io, model, wide.has(`ioctl ${io.name}`));
  const records = recordArrayArgView(io, tsNameOf);
  const inMemory = scalar ?? records;
  const argument = arg ? `\`${arg.kind} ${arg.name}\`` : inMemory ? methodWords(inMemory) : returns === 'zero' ? '`none`' : 'an integer passed by value (0 when omitted)';
  const filled = sizeField !== null ? `; \`${sizeField}\` is filled in` : '';
  doc.push('', `Argument: ${argument}${filled}.${RETURNS_DOC[returns]} Throws IoctlError on failure; \`${tryMethod}\` returns the errno instead.`);
  if (flex) doc.push('', `Its flexible array ${flex.countDoc}.`);
  return {
    name: io.name,
    method,
    tryMethod,
    prepareMethod: arg && returns === 'zero' && !flex ? `prepare${pascal}` : null,
    returns,
    request: `0x${io.request.toString(16)}`,
    doc,
    argTs,
    argSize: arg?.size ?? (inMemory ? io.size : 0), // a scalar array's bytes too (joystick.h's __u16[KEY_MAX - BTN_MISC + 1])
    omit,
    fillSize,
    sizeField,
    arraysIn,
    fills,
    minBytes,
    flex,
    caps: capsView(io, sizeField, tsNameOf),
    scalar,
    records,
    form: flex ? 'flex' : scalar ? 'scalar' : records ? 'records' : returns,
    all,
  };
}

/** Whether the kernel reads an in-memory argument (`_IOW`), writes it (`_IOR`), or both (`_IOWR`). */
function inOut(io: AnnotatedIoctl): { readonly in: boolean; readonly out: boolean } {
  return { in: io.dir === 'write' || io.dir === 'read-write', out: io.dir === 'read' || io.dir === 'read-write' };
}

/**
 * The scalar argument, or array of scalars, of an ioctl whose macro names one, when the method passes it in memory
 * (the conventions leave no such argument where the profile names another, or an integer by value); not when the
 * profile reads the kernel's return value (that keeps its form).
 */
function scalarArgView(io: AnnotatedIoctl, model: AnnotatedModel, wide: boolean): ScalarArgView | null {
  const t = io.argument;
  if ((t?.kind !== 'scalar' && t?.kind !== 'scalars') || io.returns !== 'zero') return null;
  const a = scalarAccess(t.scalar, io.loc, model.target.endian, wide);
  const count = t.kind === 'scalars' ? t.count : null;
  return {
    a,
    count,
    param: count === null ? a.initType : a.initType.includes('|') ? `readonly (${a.initType})[]` : `readonly ${a.initType}[]`,
    result: count === null ? a.tsType : `${a.tsType}[]`,
    size: t.scalar.size,
    cType: (t.scalar.name === 'pointer' ? 'void *' : t.scalar.name) + (count === null ? '' : `[${count}]`),
    ...inOut(io),
  };
}

/** The array of records an ioctl's macro names, as scalarArgView's scalars are passed. */
function recordArrayArgView(io: AnnotatedIoctl, tsNameOf: (r: RecordDef) => string | undefined): RecordArrayArgView | null {
  const a = io.argument;
  if (a?.kind !== 'records' || io.returns !== 'zero') return null;
  const tsName = tsNameOf(a.record);
  if (tsName === undefined) return null;
  return {
    tsName,
    count: a.count,
    param: `readonly R.${tsName}Init[]`,
    result: `R.${tsName}[]`,
    stride: a.record.size,
    cType: `${a.record.kind} ${a.record.name ?? '<anonymous>'}[${a.count}]`,
    ...inOut(io),
  };
}

/** The runtime names the flexible-array and capability methods use. */
function flexImports(methods: readonly MethodView[]): string[] {
  const flex = methods.flatMap((m) => (m.flex ? [m.flex] : []));
  const caps = methods.flatMap((m) => (m.caps ? [m.caps] : []));
  const values: string[] = [];
  const types: string[] = [];
  if (flex.some((f) => !f.returnsValue)) values.push('flexCall', 'flexCallOrThrow');
  if (flex.some((f) => f.returnsValue)) values.push('flexCallValue', 'flexCallValueOrThrow');
  if (flex.length > 0) types.push('type FlexArgument');
  if (flex.some((f) => f.grow)) values.push('flexCallGrowing');
  const scalarCaps = caps.some((c) => c.kinds.some((k) => k.flex?.element.startsWith('flexScalars.')));
  if (flex.some((f) => f.scalar) || scalarCaps) values.push('flexScalars');
  if (caps.length > 0) {
    values.push('capabilityCallOrThrow');
    types.push('type CapabilityArgument', 'type TypedCapability');
  }
  return [...values.sort(), ...types.sort()]; // values, then types
}

/**
 * A profile's minBytes expression as JavaScript over bigint locals (`f_length`), evaluated as C does on the unsigned
 * fields it names: `-` and `~` wrap to 64 bits (a length of 0 minus 1 is 2^64 - 1, as the kernel computes it); `+`,
 * `*` and `<<` do not wrap, so an overflow asks for more bytes, never fewer. Bigint division truncates like C's.
 * Parenthesized as a writer would: where precedence needs it, and around bitwise operations mixed with others.
 */
export function bigintJs(e: SizeExpr): string {
  switch (e.kind) {
    case 'number':
      return `${e.value}n`;
    case 'field':
      return `f_${e.name}`;
    case 'unary':
      return `BigInt.asUintN(64, ${e.op}${isCall(e.operand) ? bigintJs(e.operand) : `(${bigintJs(e.operand)})`})`;
    case 'binary': {
      const text = `${operand(e.left, e.op, false)} ${e.op} ${operand(e.right, e.op, true)}`;
      return e.op === '-' ? `BigInt.asUintN(64, ${text})` : text;
    }
  }
}

function divides(e: SizeExpr): boolean {
  if (e.kind === 'unary') return divides(e.operand);
  if (e.kind !== 'binary') return false;
  return e.op === '/' || e.op === '%' || divides(e.left) || divides(e.right);
}

type SizeOp = Extract<SizeExpr, { kind: 'binary' }>['op'];

// JavaScript's precedence of the operators a SizeExpr has (the same order as C's).
const PRECEDENCE: Readonly<Record<SizeOp, number>> = {
  '*': 12, '/': 12, '%': 12, '+': 11, '-': 11, '<<': 10, '>>': 10, '&': 7, '^': 6, '|': 5,
};
const ARITHMETIC: ReadonlySet<SizeOp> = new Set<SizeOp>(['+', '-', '*', '/', '%']);

/** An operand that is a single term in JavaScript: a literal, a local, or a call (a wrapped `-` or a unary). */
function isCall(e: SizeExpr): boolean {
  return e.kind !== 'binary' || e.op === '-';
}

/** `e` as the left or right operand of `op`: in parentheses when precedence, or clarity, asks for them. */
function operand(e: SizeExpr, op: SizeOp, right: boolean): string {
  if (e.kind !== 'binary' || e.op === '-') return bigintJs(e);
  const mixed = ARITHMETIC.has(e.op) !== ARITHMETIC.has(op) || (!ARITHMETIC.has(op) && e.op !== op);
  const needs = PRECEDENCE[e.op] < PRECEDENCE[op] || (right && PRECEDENCE[e.op] === PRECEDENCE[op]) || mixed;
  return needs ? `(${bigintJs(e)})` : bigintJs(e);
}
