// Which 64-bit fields carry user-space addresses, and of what. The kernel-doc says it ("Pointer to the output
// array of struct iommu_iova_range"); a header's hints file adds what the text does not (the field that holds
// the count or byte length, or a pointer the text does not call one). A 64-bit unsigned field that neither the
// text nor a hint classifies is reported.
import { HeaderError, type Loc, type Warning } from '../diagnostics.js';
import { parseExpr } from '../parse/expr.js';
import type { Expr } from '../parse/syntax.js';
import { tokenize } from '../parse/tokens.js';
import type { Field, RecordDef } from './types.js';

export interface PointerHint {
  readonly to?: string; // 'buffer' or 'struct NAME' (array elements)
  readonly dir?: 'in' | 'out' | 'inout';
  readonly count?: string; // sibling field holding the number of elements
  readonly length?: string; // sibling field holding the length in bytes
  readonly minBytes?: string; // C expression over sibling fields: the bytes the kernel reads or writes
}

/** A field beside the pointer that holds its element count or byte length. */
export interface SizeField {
  readonly name: string;
  readonly field: Field;
  readonly offset: number; // from the start of the named record
}

export interface PointerInfo {
  /** `buffer`: plain memory; `array`: elements of `element`. */
  readonly to: { readonly kind: 'buffer' } | { readonly kind: 'array'; readonly element: RecordDef };
  readonly dir: 'in' | 'out' | 'inout';
  readonly count: SizeField | null;
  readonly length: SizeField | null;
  /** The bytes the kernel uses, computed from other fields (a bitmap's size), for a bounds check. */
  readonly minBytes: { readonly text: string; readonly expr: Expr; readonly fields: readonly SizeField[] } | null;
  readonly source: 'kernel-doc' | 'hint';
}

export interface PointerField {
  readonly record: RecordDef; // the named record the path starts from
  readonly path: readonly string[]; // member names from that record, e.g. ['check_map', 'uptr']
  readonly field: Field;
  readonly offset: number; // from the start of `record`
  readonly info: PointerInfo;
}

interface Leaf {
  readonly path: readonly string[];
  readonly field: Field;
  readonly offset: number;
  readonly siblings: readonly Field[];
}

function leaves(r: RecordDef, base: number, path: readonly string[], out: Leaf[]): void {
  for (const f of r.fields) {
    if (f.type.kind === 'record' && f.type.record.name === null) {
      leaves(f.type.record, base + f.offset, f.name === null ? path : [...path, f.name], out);
    } else if (f.name !== null) {
      out.push({ path: [...path, f.name], field: f, offset: base + f.offset, siblings: r.fields });
    }
  }
}

function isU64(f: Field): boolean {
  return f.type.kind === 'scalar' && f.type.size === 8 && !f.type.signed && !f.type.float && f.bitField === null;
}

export function classifyPointers(
  records: readonly RecordDef[],
  hints: { readonly pointers?: { readonly [path: string]: PointerHint }; readonly values?: readonly string[] },
  hintsLoc: Loc,
  warnings: Warning[],
): PointerField[] {
  const byName = new Map(records.map((r) => [r.name!, r]));
  const used = new Set<string>();
  const out: PointerField[] = [];
  for (const record of records) {
    const all: Leaf[] = [];
    leaves(record, 0, [], all);
    for (const leaf of all) {
      if (!isU64(leaf.field)) continue;
      const key = `${record.name}.${leaf.path.join('.')}`;
      const hint = hints.pointers?.[key];
      if (hint) used.add(key);
      if (hints.values?.includes(key)) {
        used.add(key);
        continue;
      }
      const doc = leaf.field.doc ?? '';
      const saysPointer = /\bpointer\b/i.test(doc);
      if (!hint && !saysPointer) {
        if (!leaf.field.doc) warnings.push({ loc: leaf.field.loc, message: `cannot tell whether ${key} is a user pointer: it has no kernel-doc; add it to "pointers" or "values" in the hints` });
        continue;
      }
      const element = hint?.to?.startsWith('struct ') ? hint.to.slice(7) : /array of struct (\w+)/.exec(doc)?.[1];
      let to: PointerInfo['to'] = { kind: 'buffer' };
      if (element) {
        const r = byName.get(element);
        if (!r) throw new HeaderError(hint ? hintsLoc : leaf.field.loc, `${key} points to struct ${element}, which this header does not define`);
        to = { kind: 'array', element: r };
      }
      const dir = hint?.dir ?? (/\boutput\b|\bfill\b/i.test(doc) ? 'out' : 'in');
      const sibling = (name: string | undefined): SizeField | null => {
        if (name === undefined) return null;
        const f = leaf.siblings.find((s) => s.name === name);
        if (!f || f.type.kind !== 'scalar' || f.type.float) throw new HeaderError(hintsLoc, `hints for ${key} name field '${name}', which is not an integer field beside it`);
        return { name, field: f, offset: leaf.offset - leaf.field.offset + f.offset };
      };
      let minBytes: PointerInfo['minBytes'] = null;
      if (hint?.minBytes !== undefined) {
        const expr = parseExpr(tokenize(hint.minBytes, hintsLoc), () => false, hintsLoc);
        const names = new Set<string>();
        collectIdents(expr, names);
        minBytes = { text: hint.minBytes, expr, fields: [...names].map((n) => sibling(n)!) };
      }
      out.push({
        record,
        path: leaf.path,
        field: leaf.field,
        offset: leaf.offset,
        info: { to, dir, count: sibling(hint?.count), length: sibling(hint?.length), minBytes, source: saysPointer ? 'kernel-doc' : 'hint' },
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
