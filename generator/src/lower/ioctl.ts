// ioctl request numbers: _IO/_IOR/_IOW/_IOWR/_IOC with the target's encoding (asm-generic's, or powerpc's, mips',
// sparc's and alpha's: 13 size bits, 3 direction bits, _IOC_NONE = 1). The argument struct of an `_IO` ioctl is
// named only by text, which conventions/ reads.
import { HeaderError, type Loc } from '../diagnostics.js';
import type { Expr, TypeName } from '../parse/syntax.js';
import { UndefinedName, type IntValue } from './evaluate.js';
import type { IoctlEncoding } from '../model/target.js';
import { storedScalar } from '../model/scalars.js';
import type { CType, Ioctl, IoctlArgument, IoctlDir } from '../model/types.js';

const MACROS: { readonly [macro: string]: { readonly dir: IoctlDir | null; readonly arity: number } } = {
  _IO: { dir: 'none', arity: 2 },
  _IOW: { dir: 'write', arity: 3 },
  _IOR: { dir: 'read', arity: 3 },
  _IOWR: { dir: 'read-write', arity: 3 },
  _IOC: { dir: null, arity: 4 },
};

/** The direction field's value for a direction: _IOWR is _IOC_READ|_IOC_WRITE (3, or 6 with the 3-bit field). */
function dirValue(dir: IoctlDir, e: IoctlEncoding): number {
  return dir === 'none' ? e.none : dir === 'write' ? e.write : dir === 'read' ? e.read : e.read | e.write;
}

/** The direction a field value means (an `_IOC` with a number): the read and write bits; neither is none. */
function dirOf(value: number, e: IoctlEncoding): IoctlDir {
  const read = (value & e.read) !== 0;
  const write = (value & e.write) !== 0;
  return read && write ? 'read-write' : read ? 'read' : write ? 'write' : 'none';
}

export interface IoctlContext {
  constant(e: Expr): IntValue;
  typeName(t: TypeName): CType;
  sizeOf(t: CType, loc: Loc): number;
  readonly encoding: IoctlEncoding;
}

/** The ioctl a macro defines, or null when its value is not an _IO-family call. */
export function ioctlOf(name: string, expr: Expr, comment: string, loc: Loc, ctx: IoctlContext): Ioctl | null {
  if (expr.kind !== 'call' || !(expr.callee in MACROS)) return null;
  const spec = MACROS[expr.callee]!;
  if (expr.args.length !== spec.arity) {
    throw new HeaderError(expr.loc, `${expr.callee} takes ${spec.arity} arguments, ${name} gives ${expr.args.length}`);
  }
  const num = (a: Expr | TypeName, what: string, bits: number): number => {
    if (a.kind === 'type-name') throw new HeaderError(a.loc, `the ${what} of ${name} must be a number, not a type`);
    const v = ctx.constant(a).value;
    if (v < 0n || v >= 1n << BigInt(bits)) throw new HeaderError(a.loc, `the ${what} of ${name} (${v}) does not fit in ${bits} bits`);
    return Number(v);
  };
  const e = ctx.encoding;
  let dir: number;
  let size = 0;
  let argument: IoctlArgument | null = null;
  if (spec.dir === null) {
    dir = num(expr.args[0]!, 'direction', e.dirBits);
    size = num(expr.args[3]!, 'size', e.sizeBits);
  } else {
    dir = dirValue(spec.dir, e);
    if (spec.arity === 3) {
      // The size argument arrives as `sizeof(T)` (parse/builtins.ts): a type inside a call is not C, and the
      // header's text, where an ioctl may stand as an enumerator's value, must parse as C.
      const given = expr.args[2]!;
      const t = given.kind === 'sizeof' ? given.of : given;
      // A name no header declares (auto_fs.h's compat_ulong_t, the kernel's own): gcc takes the macro as long as
      // nothing uses it; not modelled, a warning at the name.
      if (t.kind === 'ident') throw new UndefinedName(t.loc, `unknown type name '${t.name}' in the argument of ${expr.callee}`);
      if (t.kind !== 'type-name') throw new HeaderError(t.loc, `the third argument of ${expr.callee} must be a type`);
      const type = ctx.typeName(t);
      size = ctx.sizeOf(type, t.loc);
      if (size >= 1 << e.sizeBits) throw new HeaderError(t.loc, `the argument of ${name} is ${size} bytes; an ioctl size field holds at most ${(1 << e.sizeBits) - 1}`);
      argument = argumentOf(type, size);
    }
  }
  const argIndex = spec.dir === null ? 1 : 0;
  const type = num(expr.args[argIndex]!, 'type', e.typeBits);
  const nr = num(expr.args[argIndex + 1]!, 'number', e.nrBits);
  const typeShift = e.nrBits;
  const sizeShift = typeShift + e.typeBits;
  const dirShift = sizeShift + e.sizeBits;
  const request = (BigInt(dir) << BigInt(dirShift)) | (BigInt(size) << BigInt(sizeShift)) | (BigInt(type) << BigInt(typeShift)) | BigInt(nr);
  return {
    kind: 'ioctl',
    name,
    request,
    dir: dirOf(dir, e),
    type,
    nr,
    size,
    argument,
    comment,
    loc,
  };
}

/** The argument a macro's type names, `size` bytes; null for a type with no stored form (an array of arrays). */
function argumentOf(type: CType, size: number): IoctlArgument | null {
  if (type.kind === 'record') return { kind: 'record', record: type.record };
  if (type.kind === 'array' && type.length !== null) {
    const count = type.length;
    if (type.element.kind === 'record') return { kind: 'records', record: type.element.record, count };
    // A one-dimensional array of scalars (`int [2]`); a pointer's size is the element's (sizeof(void *)).
    const scalar = storedScalar(type.element, size / count);
    return scalar && { kind: 'scalars', scalar, count };
  }
  const scalar = storedScalar(type, size);
  return scalar && { kind: 'scalar', scalar };
}
