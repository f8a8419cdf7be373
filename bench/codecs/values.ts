// Deterministic values for every field of a record, in the generated Init shape (members of anonymous members on
// the record itself, one member per union, no __reserved fields): what the codecs are timed on.
import { dimsOf } from './baseline.js';
import { arrayOf, type IrField } from './ir.js';

const WIDE = new Set(['unsigned long', '__u64', '__s64', '__aligned_u64', '__aligned_le64', '__aligned_be64', '__le64', '__be64']);

function scalar(type: string, seed: number): number | bigint {
  if (WIDE.has(type)) return (BigInt(seed) << 33n) | 0x1234n; // above 2^32, so 64-bit paths are taken
  if (type.includes('8')) return seed & 0x7f;
  if (type.includes('16')) return (seed * 257) & 0x7fff;
  return (seed * 65537) & 0x7fffffff;
}

export function initValue(fields: readonly IrField[], kind: 'struct' | 'union', out: Record<string, unknown> = {}, seed = { n: 1 }): Record<string, unknown> {
  for (const f of fields) {
    if (f.fields) initValue(f.fields, f.type.startsWith('union') ? 'union' : 'struct', out, seed);
    else if (f.name !== null && !f.name.startsWith('__reserved')) {
      const { element, length } = arrayOf(f.type);
      out[f.name] = length === null ? scalar(element, seed.n++) : Array.from({ length }, () => scalar(element, seed.n++));
    }
    if (kind === 'union') break; // one member of a union
  }
  return out;
}

/**
 * A value in the generated Init shape for any record of the model: named members (anonymous or of a named
 * struct/union type) as nested objects, unnamed ones on their parent, the first member of a union, arrays of
 * records as arrays of objects; `__reserved*` and flexible arrays left out.
 */
export function initShaped(fields: readonly IrField[], kind: 'struct' | 'union', records: ReadonlyMap<string, { readonly kind: 'struct' | 'union'; readonly fields: readonly IrField[] }>, seed = { n: 1 }, out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const f of fields) {
    if (f.name !== null && f.name.startsWith('__reserved')) continue;
    if (f.size === 0) continue;
    const { element, dims } = dimsOf(f.type);
    const named = /^(struct|union) (\w+)$/.exec(element);
    const inner = f.fields ? { kind: f.type.startsWith('union') ? 'union' as const : 'struct' as const, fields: f.fields } : named ? records.get(named[2]!) : undefined;
    if (inner && f.name === null) initShaped(inner.fields, inner.kind, records, seed, out);
    else if (f.name !== null) {
      const el = element === 'unsigned long' || element.endsWith('*') ? '__u64' : element === 'char' ? '__s8' : element;
      const leaf = () => (inner ? initShaped(inner.fields, inner.kind, records, seed, {}) : scalar(el, seed.n++));
      const make = (ds: readonly number[]): unknown => (ds.length === 0 ? leaf() : Array.from({ length: ds[0]! }, () => make(ds.slice(1))));
      out[f.name] = make(dims);
    }
    if (kind === 'union') break;
  }
  return out;
}
