// ioctl request numbers: _IO/_IOR/_IOW/_IOWR/_IOC with the asm-generic encoding (used by x86). The argument
// struct of an `_IO` ioctl is named only by text, which conventions/ reads.
import { HeaderError, type Loc } from '../diagnostics.js';
import type { Expr, TypeName } from '../parse/syntax.js';
import { UndefinedName, type IntValue } from './evaluate.js';
import type { CType, Ioctl, IoctlDir, RecordDef } from '../model/types.js';

// include/uapi/asm-generic/ioctl.h
const NRBITS = 8;
const TYPEBITS = 8;
const SIZEBITS = 14;
const NRSHIFT = 0;
const TYPESHIFT = NRSHIFT + NRBITS;
const SIZESHIFT = TYPESHIFT + TYPEBITS;
const DIRSHIFT = SIZESHIFT + SIZEBITS;
const DIRS: readonly IoctlDir[] = ['none', 'write', 'read', 'read-write'];

const MACROS: { readonly [macro: string]: { readonly dir: number | null; readonly arity: number } } = {
  _IO: { dir: 0, arity: 2 },
  _IOW: { dir: 1, arity: 3 },
  _IOR: { dir: 2, arity: 3 },
  _IOWR: { dir: 3, arity: 3 },
  _IOC: { dir: null, arity: 4 },
};

export interface IoctlContext {
  constant(e: Expr): IntValue;
  typeName(t: TypeName): CType;
  sizeOf(t: CType, loc: Loc): number;
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
  let dir: number;
  let size = 0;
  let arg: RecordDef | null = null;
  if (spec.dir === null) {
    dir = num(expr.args[0]!, 'direction', 2);
    size = num(expr.args[3]!, 'size', SIZEBITS);
  } else {
    dir = spec.dir;
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
      if (size >= 1 << SIZEBITS) throw new HeaderError(t.loc, `the argument of ${name} is ${size} bytes; an ioctl size field holds at most ${(1 << SIZEBITS) - 1}`);
      if (type.kind === 'record') arg = type.record;
    }
  }
  const argIndex = spec.dir === null ? 1 : 0;
  const type = num(expr.args[argIndex]!, 'type', TYPEBITS);
  const nr = num(expr.args[argIndex + 1]!, 'number', NRBITS);
  const request = (BigInt(dir) << BigInt(DIRSHIFT)) | (BigInt(size) << BigInt(SIZESHIFT)) | (BigInt(type) << BigInt(TYPESHIFT)) | BigInt(nr);
  return {
    kind: 'ioctl',
    name,
    request,
    dir: DIRS[dir]!,
    type,
    nr,
    size,
    arg,
    comment,
    loc,
  };
}

