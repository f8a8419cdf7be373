// Model → the view of the generated device class: one method per ioctl, with what each method must do
// around the generic encode/call/decode (fill `size`, fill lengths and counts from buffers, check bounds).
import { basename } from 'node:path';
import { HeaderError } from '../diagnostics.js';
import type { Expr } from '../parse/syntax.js';
import type { Ioctl, Model, RecordDef } from '../model/types.js';
import type { PointerField, SizeField } from '../model/pointers.js';
import { pascalCase } from './names.js';
import { kernelDocToMarkdown } from './tsdoc.js';

/** A length or count field filled from (and checked against) the buffer given for a pointer. */
export interface SizeFill {
  readonly ptrExpr: string; // `args.user_va`, `args.check_map?.uptr`
  readonly sizeExpr: string; // `args.length`
  readonly ptrName: string;
  readonly sizeName: string;
  readonly offset: number;
  readonly big: boolean; // a 64-bit field (bigint accessors)
  readonly unit: number; // bytes per counted thing: 1 for a length, the element size for a count
}

/** A bounds check for a buffer whose size the kernel computes from other fields (a dirty bitmap). */
export interface MinBytesCheck {
  readonly ptrExpr: string;
  readonly ptrName: string;
  readonly text: string; // the hint's expression, for the message
  readonly js: string; // the same over bigint locals f_<name>
  readonly fields: readonly { readonly local: string; readonly read: string }[];
}

export interface ArrayIn {
  readonly field: string;
  readonly elementTs: string;
}

export interface MethodView {
  readonly name: string; // IOMMU_IOAS_MAP
  readonly method: string; // ioasMap
  readonly tryMethod: string; // tryIoasMap: returns the errno instead of throwing
  /** prepareIoasMap: encodes once, for a call made again and again (an ioctl with a struct that returns 0). */
  readonly prepareMethod: string | null;
  /** What a successful call returns: 0, a value (a count), or a new file descriptor (the method returns a handle). */
  readonly returns: 'zero' | 'value' | 'fd';
  readonly request: string;
  readonly doc: readonly string[];
  readonly argTs: string | null;
  readonly argSize: number;
  readonly argsType: string;
  readonly fillSize: boolean;
  readonly arraysIn: readonly ArrayIn[];
  readonly fills: readonly SizeFill[];
  readonly minBytes: readonly MinBytesCheck[];
  readonly all: {
    readonly method: string;
    readonly field: string;
    readonly elementTs: string;
    readonly elementSize: number;
    readonly countName: string;
    readonly countOffset: number;
  } | null;
}

export interface DeviceView {
  readonly className: string;
  readonly defaultPath: string | null;
  readonly argSize: number;
  readonly methods: readonly MethodView[];
  /** Some method returns a new file descriptor (its handle type is imported). */
  readonly returnsFd: boolean;
  /** The errno list every ioctl shares, then what each ioctl's own text adds. */
  readonly general: readonly { readonly code: string; readonly text: string }[];
  readonly meanings: readonly { readonly name: string; readonly entries: readonly { readonly code: string; readonly text: string }[] }[];
}

/** IOMMU_IOAS_ALLOC → ioasAlloc: the ioctl name without its first word, in camelCase (README, "Names"). */
export function methodName(ioctl: string): string {
  const words = ioctl.toLowerCase().split('_').filter((w) => w !== '');
  const rest = words.length > 1 ? words.slice(1) : words;
  return rest.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
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
  };
}

export function deviceView(model: Model, tsNameOf: (r: RecordDef) => string | undefined): DeviceView {
  const methods = model.ioctls.map((io) => methodView(io, model, tsNameOf));
  checkNames(model.ioctls, methods);
  return {
    className: pascalCase(basename(model.header).replace(/\.h$/, '')),
    defaultPath: model.device,
    argSize: Math.max(8, ...model.ioctls.map((i) => i.arg?.size ?? 0)),
    methods,
    returnsFd: methods.some((m) => m.returns === 'fd'),
    general: model.errnos.map((e) => ({ code: e.name, text: JSON.stringify(e.text) })),
    meanings: model.ioctls.map((io) => ({ name: io.name, entries: io.errors.map((e) => ({ code: e.name, text: JSON.stringify(e.text) })) })),
  };
}

/** What IoctlDevice itself defines: a method of the same name would replace it. */
const BASE_MEMBERS = [
  'open', 'fromFd', 'openPath', 'fd', 'closed', 'close', 'args', 'encodeArgs', 'call', 'callValue', 'callWith', 'wrapFd', 'failure',
  'prepare', 'ioctlRaw', 'ioctlFd', 'constructor',
];

/** Two ioctls whose names map to one method (IOMMU_TRY_MAP and IOMMU_MAP's `tryMap`) cannot both be generated. */
function checkNames(ioctls: readonly Ioctl[], methods: readonly MethodView[]): void {
  const owner = new Map<string, string>(BASE_MEMBERS.map((m) => [m, 'the device class itself']));
  methods.forEach((m, i) => {
    for (const name of [m.method, m.tryMethod, ...(m.prepareMethod ? [m.prepareMethod] : []), ...(m.all ? [m.all.method] : [])]) {
      const other = owner.get(name);
      if (other !== undefined) throw new HeaderError(ioctls[i]!.loc, `${m.name}: its method name '${name}' is already taken by ${other}`);
      owner.set(name, m.name);
    }
  });
}

/** What each return form adds to a method's doc comment. */
const RETURNS_DOC: Readonly<Record<MethodView['returns'], string>> = {
  zero: '',
  value: ' Returns what the kernel returned (a count or a value).',
  fd: ' Returns the new file descriptor in an FdHandle: `close()` or `using` closes it.',
};

function methodView(io: Ioctl, model: Model, tsNameOf: (r: RecordDef) => string | undefined): MethodView {
  const returns: MethodView['returns'] = 'zero'; // the profile supplies it (per-ioctl `returns`) when the layers merge
  const arg = io.arg;
  const argTs = arg ? (tsNameOf(arg) ?? null) : null;
  const pointers = arg ? model.pointers.filter((p) => p.record === arg) : [];
  const fills: SizeFill[] = [];
  const arraysIn: ArrayIn[] = [];
  const minBytes: MinBytesCheck[] = [];
  let all: MethodView['all'] = null;
  for (const p of pointers) {
    const to = p.info.to;
    if (p.info.minBytes) {
      const m = p.info.minBytes;
      minBytes.push({
        ptrExpr: access(p.path),
        ptrName: p.path.join('.'),
        text: m.text,
        js: bigintJs(m.expr),
        fields: m.fields.map((f) => ({
          local: `f_${f.name}`,
          read: f.field.size === 8 ? `d.getBigUint64(${f.offset}, true)` : `BigInt(d.getUint${f.field.size * 8}(${f.offset}${f.field.size > 1 ? ', true' : ''}))`,
        })),
      });
    }
    if (p.info.length) fills.push(sizeFill(p, p.info.length, 1));
    if (to.kind === 'array') {
      const elementTs = tsNameOf(to.element)!;
      if (p.info.count) fills.push(sizeFill(p, p.info.count, to.element.size));
      if (p.path.length === 1 && p.info.dir === 'in') arraysIn.push({ field: p.path[0]!, elementTs });
      if (returns === 'zero' && p.path.length === 1 && p.info.dir !== 'in' && p.info.count && io.errors.some((e) => e.name === 'EMSGSIZE')) {
        all = {
          method: `${methodName(io.name)}All`,
          field: p.path[0]!,
          elementTs,
          elementSize: to.element.size,
          countName: p.info.count.name,
          countOffset: p.info.count.offset,
        };
      }
    }
  }
  const fillSize = arg !== null && arg.fields[0]?.name === 'size' && arg.fields[0].size === 4 && arg.fields[0].offset === 0;
  const omit = [...(fillSize ? ['size'] : []), ...arraysIn.map((a) => a.field)];
  let argsType = argTs ? (omit.length > 0 ? `Omit<R.${argTs}Init, ${omit.map((o) => `'${o}'`).join(' | ')}>` : `R.${argTs}Init`) : 'Record<string, never>';
  for (const a of arraysIn) argsType += ` & { ${a.field}?: readonly R.${a.elementTs}Init[] | rt.Pointer | bigint | number }`;
  const doc: string[] = [];
  if (arg?.doc) {
    doc.push(`\`${io.name}\`: ${kernelDocToMarkdown(arg.doc.summary).join(' ')}`);
    if (arg.doc.description) for (const l of ['', ...kernelDocToMarkdown(arg.doc.description)]) doc.push(l); // no spread into push: may be long
  } else doc.push(`\`${io.name}\``);
  const method = methodName(io.name);
  const pascal = pascalCase(method);
  const tryMethod = `try${pascal}`;
  const argument = arg ? `\`${arg.kind} ${arg.name}\`` : returns === 'zero' ? '`none`' : 'an integer passed by value (0 when omitted)';
  doc.push('', `Argument: ${argument}${fillSize ? '; `size` is filled in' : ''}.${RETURNS_DOC[returns]} Throws IoctlError on failure; \`${tryMethod}\` returns the errno instead.`);
  return {
    name: io.name,
    method,
    tryMethod,
    prepareMethod: arg && returns === 'zero' ? `prepare${pascal}` : null,
    returns,
    request: `0x${io.request.toString(16)}`,
    doc,
    argTs,
    argSize: arg?.size ?? 0,
    argsType,
    fillSize,
    arraysIn,
    fills,
    minBytes,
    all,
  };
}

/**
 * A hint's size expression as JavaScript over bigint locals (`f_length`), evaluated as C does on the unsigned fields
 * the hints name: `-` and `~` wrap to 64 bits (a length of 0 minus 1 is 2^64 - 1, as the kernel computes it); `+`,
 * `*` and `<<` do not wrap, so an overflow asks for more bytes, never fewer. Bigint division truncates like C's.
 */
function bigintJs(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return `${BigInt(e.text.replace(/[uUlL]+$/, ''))}n`;
    case 'ident':
      return `f_${e.name}`;
    case 'unary':
      if (e.op === '-' || e.op === '~') return `BigInt.asUintN(64, ${e.op}${bigintJs(e.operand)})`;
      break;
    case 'binary':
      if (e.op === '-') return `BigInt.asUintN(64, ${bigintJs(e.left)} - ${bigintJs(e.right)})`;
      if (['+', '*', '/', '%', '<<', '>>', '&', '|', '^'].includes(e.op)) return `(${bigintJs(e.left)} ${e.op} ${bigintJs(e.right)})`;
      break;
    default:
      break;
  }
  throw new HeaderError(e.loc, `unsupported operation in a minBytes hint (${e.kind})`);
}
