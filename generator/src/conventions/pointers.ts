// Which 64-bit fields carry user-space addresses, and of what. The field's own text may say it (the profile's
// hooks read it); the profile's `pointers` add what the text does not (the field that holds the count or byte
// length, or a pointer the text does not call one). A 64-bit unsigned field that neither classifies is reported.
import { HeaderError, type Warning } from '../diagnostics.js';
import type { Field, RecordDef } from '../model/types.js';
import { leafMembers } from '../model/walk.js';
import { parseExpr } from '../parse/expr.js';
import type { Expr } from '../parse/syntax.js';
import { tokenize } from '../parse/tokens.js';
import type { Direction, Profile } from './profile.js';

/** A field beside the pointer that holds its element count or byte length. */
export interface SizeField {
  readonly name: string;
  readonly field: Field;
  readonly offset: number; // from the start of the named record
}

export interface PointerInfo {
  /** `buffer`: plain memory; `array`: elements of `element`. */
  readonly to: { readonly kind: 'buffer' } | { readonly kind: 'array'; readonly element: RecordDef };
  readonly dir: Direction;
  readonly count: SizeField | null;
  readonly length: SizeField | null;
  /** The bytes the kernel uses, computed from other fields (a bitmap's size), for a bounds check. */
  readonly minBytes: { readonly text: string; readonly expr: SizeExpr; readonly fields: readonly SizeField[] } | null;
  /** `kernel-doc`: the field's text says it is a pointer; `hint`: only the profile does. */
  readonly source: 'kernel-doc' | 'hint';
}

export interface PointerField {
  readonly record: RecordDef; // the named record the path starts from
  readonly path: readonly string[]; // member names from that record, e.g. ['request', 'buf']
  readonly field: Field;
  readonly offset: number; // from the start of `record`
  readonly info: PointerInfo;
}

/** A field that may hold a user pointer: an unsigned 64-bit integer, or an unsigned long (4 bytes on i386 and arm). */
function isU64(f: Field): boolean {
  const t = f.type;
  return t.kind === 'scalar' && (t.size === 8 || t.cType === 'unsigned long') && !t.signed && !t.float && f.bitField === null;
}

export function classifyPointers(records: readonly RecordDef[], profile: Profile, warnings: Warning[]): PointerField[] {
  const byName = new Map(records.map((r) => [r.name!, r]));
  const { pointers: hints, values } = profile.data;
  const out: PointerField[] = [];
  for (const record of records) {
    for (const leaf of leafMembers(record)) {
      if (!isU64(leaf.field)) continue;
      const key = `${record.name}.${leaf.path.join('.')}`;
      const hint = Object.hasOwn(hints, key) ? hints[key] : undefined;
      const hintAt = ['pointers', key];
      if (values.includes(key)) continue;
      const doc = leaf.field.doc ?? '';
      const reading = profile.hooks.pointerFromDoc(doc);
      if (!hint && !reading) {
        if (!leaf.field.doc) warnings.push({ loc: leaf.field.loc, message: `cannot tell whether ${key} is a user pointer: it has no kernel-doc; add it to "pointers" or "values" in the profile` });
        continue;
      }
      const elementSpelling = hint?.to ?? reading?.element ?? 'buffer';
      const element = elementSpelling.startsWith('struct ') ? elementSpelling.slice(7) : null;
      let to: PointerInfo['to'] = { kind: 'buffer' };
      if (element) {
        const r = byName.get(element);
        if (!r) throw new HeaderError(hint?.to ? profile.at([...hintAt, 'to']) : leaf.field.loc, `${key} points to struct ${element}, which this header does not define`);
        to = { kind: 'array', element: r };
      }
      const dir = hint?.dir ?? reading?.dir ?? 'in';
      const sibling = (name: string | undefined, what: string): SizeField | null => {
        if (name === undefined) return null;
        const f = leaf.parent.fields.find((s) => s.name === name);
        if (!f || f.type.kind !== 'scalar' || f.type.float) throw new HeaderError(profile.at([...hintAt, what]), `pointers for ${key} in the profile name field '${name}', which is not an integer field beside it`);
        return { name, field: f, offset: leaf.offset - leaf.field.offset + f.offset };
      };
      let minBytes: PointerInfo['minBytes'] = null;
      if (hint?.minBytes !== undefined) {
        const at = profile.at([...hintAt, 'minBytes']);
        const expr = parseExpr(tokenize(hint.minBytes, at), () => false, at);
        const names = new Set<string>();
        collectIdents(expr, names);
        minBytes = { text: hint.minBytes, expr: sizeExpr(expr), fields: [...names].map((n) => sibling(n, 'minBytes')!) };
      }
      out.push({
        record,
        path: leaf.path,
        field: leaf.field,
        offset: leaf.offset,
        info: { to, dir, count: sibling(hint?.count, 'count'), length: sibling(hint?.length, 'length'), minBytes, source: reading ? 'kernel-doc' : 'hint' },
      });
    }
  }
  return out;
}

function collectIdents(e: Expr, out: Set<string>): void {
  switch (e.kind) {
    case 'ident':
      out.add(e.name);
      return;
    case 'unary':
      collectIdents(e.operand, out);
      return;
    case 'binary':
      collectIdents(e.left, out);
      collectIdents(e.right, out);
      return;
    case 'ternary':
      collectIdents(e.cond, out);
      collectIdents(e.then, out);
      collectIdents(e.else, out);
      return;
    default:
      return;
  }
}

/** A minBytes expression, checked: integer literals, sibling fields and the operators the runtime computes. */
export type SizeExpr =
  | { readonly kind: 'number'; readonly value: bigint }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: '-' | '~'; readonly operand: SizeExpr }
  | { readonly kind: 'binary'; readonly op: SizeOp; readonly left: SizeExpr; readonly right: SizeExpr };

export type SizeOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^';
const SIZE_OPS: readonly string[] = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^'];

function sizeExpr(e: Expr): SizeExpr {
  switch (e.kind) {
    case 'number':
      return { kind: 'number', value: BigInt(e.text.replace(/[uUlL]+$/, '')) };
    case 'ident':
      return { kind: 'field', name: e.name };
    case 'unary':
      if (e.op === '-' || e.op === '~') return { kind: 'unary', op: e.op, operand: sizeExpr(e.operand) };
      break;
    case 'binary':
      if (SIZE_OPS.includes(e.op)) return { kind: 'binary', op: e.op as SizeOp, left: sizeExpr(e.left), right: sizeExpr(e.right) };
      break;
    default:
      break;
  }
  throw new HeaderError(e.loc, `unsupported operation in a minBytes expression (${e.kind === 'unary' || e.kind === 'binary' ? e.op : e.kind})`);
}
