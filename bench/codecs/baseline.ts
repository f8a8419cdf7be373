// A stand-in for a hand-written codec, for records too many to write by hand (kvm, vfio): from a record's layout
// in the model (`uapi-ts ir`, the parser's offsets and sizes, not the emitter), the source text of a plain
// straight-line DataView encoder and decoder, compiled with `new Function`. It is what bench/codecs/handwritten.ts
// does by hand: no checks, omitted fields as 0 (`v.x ?? 0`), 64-bit fields with setBigUint64/getBigUint64,
// arrays unrolled, every padding byte written as 0. The benchmark checks it against the hand-written iommufd
// codecs (same ratio) and its bytes against the generated encoder's before timing it.
import type { HandCodec } from './handwritten.js';
import type { IrField, IrRecord } from './ir.js';

/** Why a record has no generated baseline (its layout has a shape this generator does not write). */
export class Unsupported extends Error {}

interface Scalar {
  readonly get: string;
  readonly set: string;
  readonly size: number;
  readonly zero: string;
}

const S = (get: string, size: number, zero = '0'): Scalar => ({ get: `get${get}`, set: `set${get}`, size, zero });
const SCALARS: Readonly<Record<string, Scalar>> = {
  __u8: S('Uint8', 1), __s8: S('Int8', 1), __u16: S('Uint16', 2), __s16: S('Int16', 2), __le16: S('Uint16', 2),
  __u32: S('Uint32', 4), __s32: S('Int32', 4), __le32: S('Uint32', 4), int: S('Int32', 4), 'unsigned int': S('Uint32', 4),
  __u64: S('BigUint64', 8, '0n'), __aligned_u64: S('BigUint64', 8, '0n'), __aligned_le64: S('BigUint64', 8, '0n'),
  __le64: S('BigUint64', 8, '0n'), __s64: S('BigInt64', 8, '0n'), 'unsigned long': S('BigUint64', 8, '0n'),
  char: S('Int8', 1),
};
/** A pointer member is a 64-bit address. */
const scalarOf = (type: string): Scalar | undefined => (type.endsWith('*') ? SCALARS.__u64 : SCALARS[type]);

/** `__u8[8][16]` → { element: '__u8', dims: [8, 16] }. */
export function dimsOf(type: string): { element: string; dims: number[] } {
  const at = type.indexOf('[');
  if (at < 0) return { element: type, dims: [] };
  const dims = [...type.slice(at).matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  return { element: type.slice(0, at), dims };
}

const le = (s: Scalar) => (s.size > 1 ? ', true' : '');

/** Zero writes for the bytes [from, to), in the widest stores that fit, as a careful writer does for padding. */
function zeros(from: number, to: number, out: string[]): void {
  let at = from;
  while (at < to) {
    const w = to - at >= 4 ? 4 : to - at >= 2 ? 2 : 1;
    out.push(`d.setUint${w * 8}(o + ${at}, 0${w > 1 ? ', true' : ''});`);
    at += w;
  }
}

/** Arrays of more elements than this are written and read in loops, as one would by hand (unrolled, a 1024-byte
 * array makes a function too big for V8 to optimise at all). */
const LONG = 16;

class Writer {
  private n = 0;
  /** Statements the decoder runs before its object literal (the loops reading long arrays). */
  readonly pre: string[] = [];
  constructor(private readonly records: ReadonlyMap<string, IrRecord>, private readonly zeroArrays: unknown[][]) {}

  fresh(): string {
    return `t${this.n++}`;
  }

  /** The fields of a named struct/union type, rebased to `base`. */
  private named(type: string, base: number): { kind: 'struct' | 'union'; fields: IrField[] } {
    const m = /^(struct|union) (\w+)$/.exec(type);
    const r = m ? this.records.get(m[2]!) : undefined;
    if (!r) throw new Unsupported(`${type}: the model has no members for it here`);
    return { kind: r.kind, fields: r.fields.map((f) => rebase(f, base)) };
  }

  aggregate(f: IrField): { kind: 'struct' | 'union'; fields: readonly IrField[] } | null {
    if (f.fields) return { kind: f.type.startsWith('union') ? 'union' : 'struct', fields: f.fields };
    if (/^(struct|union) \w+$/.test(f.type)) return this.named(f.type, f.offset);
    return null;
  }

  /** Statements writing `fields` (of a struct or union spanning [start, end)) from the object expression `v`. */
  encode(fields: readonly IrField[], kind: 'struct' | 'union', v: string, start: number, end: number, out: string[]): void {
    if (kind === 'union') {
      zeros(start, end, out); // then whichever member is given, as one would for a union
      const members = fields.filter((f) => f.name !== null || f.fields);
      members.forEach((f, i) => {
        const body: string[] = [];
        this.field(f, v, body);
        const test = f.name === null ? 'true' : `${v}.${f.name} !== undefined`;
        out.push(`${i ? 'else ' : ''}if (${test}) {`, ...body, '}');
      });
      return;
    }
    let at = start;
    for (const f of fields) {
      if (f.offset > at) zeros(at, f.offset, out);
      this.field(f, v, out);
      at = Math.max(at, f.offset + f.size);
    }
    if (end > at) zeros(at, end, out);
  }

  private field(f: IrField, v: string, out: string[]): void {
    if (f.bitWidth !== undefined) throw new Unsupported(`bit-field ${f.name}`);
    if (f.size === 0) return; // a flexible array: not part of the record's bytes
    if (f.fields) {
      const agg = this.aggregate(f)!;
      if (f.name === null) return this.encode(agg.fields, agg.kind, v, f.offset, f.offset + f.size, out);
      const t = this.fresh();
      out.push(`const ${t} = ${v}.${f.name} ?? EMPTY;`);
      return this.encode(agg.fields, agg.kind, t, f.offset, f.offset + f.size, out);
    }
    if (f.name !== null && f.name.startsWith('__reserved')) return zeros(f.offset, f.offset + f.size, out);
    const { element, dims } = dimsOf(f.type);
    this.item(element, dims, `${v}.${f.name}`, f.offset, f.size, true, out);
  }

  /** Writes `expr`, of C type `element` with array `dims`, at `offset`; `omittable`: it may be undefined. */
  private item(element: string, dims: readonly number[], expr: string, offset: number, size: number, omittable: boolean, out: string[]): void {
    if (dims.length > 0) {
      const n = dims[0]!;
      const stride = size / n;
      const t = this.fresh();
      out.push(omittable ? `const ${t} = ${expr} ?? Z[${this.zeroArrays.length}];` : `const ${t} = ${expr};`);
      if (omittable) this.zeroArrays.push(this.zeroOf(element, dims));
      const s = scalarOf(element);
      if (s && dims.length === 1 && n > LONG) {
        out.push(`for (let k = 0; k < ${n}; k++) d.${s.set}(o + ${offset} + k * ${s.size}, ${t}[k]${le(s)});`);
        return;
      }
      if (s && dims.length === 2 && n * dims[1]! > LONG) {
        const m = dims[1]!;
        out.push(`for (let j = 0; j < ${n}; j++) {`, `  const r = ${t}[j];`,
          `  for (let k = 0; k < ${m}; k++) d.${s.set}(o + ${offset} + j * ${stride} + k * ${s.size}, r[k]${le(s)});`, '}');
        return;
      }
      for (let k = 0; k < n; k++) this.item(element, dims.slice(1), `${t}[${k}]`, offset + k * stride, stride, false, out);
      return;
    }
    const s = scalarOf(element);
    if (s) {
      if (s.size !== size) throw new Unsupported(`type ${element} of ${size} bytes`);
      out.push(`d.${s.set}(o + ${offset}, ${expr}${omittable ? ` ?? ${s.zero}` : ''}${le(s)});`);
      return;
    }
    const agg = this.named(element, offset);
    const t = this.fresh();
    out.push(`const ${t} = ${expr}${omittable ? ' ?? EMPTY' : ''};`);
    this.encode(agg.fields, agg.kind, t, offset, offset + size, out);
  }

  /** What an omitted array stands for: zeros, or empty objects, of its shape. */
  private zeroOf(element: string, dims: readonly number[]): unknown[] {
    const s = scalarOf(element);
    const leaf = s ? (s.size === 8 ? 0n : 0) : Object.freeze({});
    const make = (ds: readonly number[]): unknown[] => Array.from({ length: ds[0]! }, () => (ds.length > 1 ? make(ds.slice(1)) : leaf));
    return make(dims);
  }

  /** The expression reading `element` with array `dims` at `offset`. */
  private read(element: string, dims: readonly number[], offset: number, size: number): string {
    if (dims.length > 0) {
      const stride = size / dims[0]!;
      const s = scalarOf(element);
      if (s && dims.length === 1 && dims[0]! > LONG) {
        const t = this.fresh();
        this.pre.push(`const ${t} = new Array(${dims[0]});`, `for (let k = 0; k < ${dims[0]}; k++) ${t}[k] = d.${s.get}(o + ${offset} + k * ${s.size}${le(s)});`);
        return t;
      }
      if (s && dims.length === 2 && dims[0]! * dims[1]! > LONG) {
        const t = this.fresh();
        const m = dims[1]!;
        this.pre.push(`const ${t} = new Array(${dims[0]});`, `for (let j = 0; j < ${dims[0]}; j++) {`, `  const r = new Array(${m});`,
          `  for (let k = 0; k < ${m}; k++) r[k] = d.${s.get}(o + ${offset} + j * ${stride} + k * ${s.size}${le(s)});`, `  ${t}[j] = r;`, '}');
        return t;
      }
      return `[${Array.from({ length: dims[0]! }, (_, k) => this.read(element, dims.slice(1), offset + k * stride, stride)).join(', ')}]`;
    }
    const s = scalarOf(element);
    if (s) return `d.${s.get}(o + ${offset}${le(s)})`;
    const agg = this.named(element, offset);
    const inner: string[] = [];
    this.decode(agg.fields, inner);
    return `{ ${inner.join(' ')} }`;
  }

  /** Object-literal entries reading `fields`, the decoded shape of the generated codecs. */
  decode(fields: readonly IrField[], out: string[]): void {
    for (const f of fields) {
      if (f.bitWidth !== undefined) throw new Unsupported(`bit-field ${f.name}`);
      if (f.size === 0) continue;
      if (f.fields) {
        if (f.name === null) this.decode(f.fields, out);
        else {
          const inner: string[] = [];
          this.decode(f.fields, inner);
          out.push(`${f.name}: { ${inner.join(' ')} },`);
        }
        continue;
      }
      const { element, dims } = dimsOf(f.type);
      out.push(`${f.name}: ${this.read(element, dims, f.offset, f.size)},`);
    }
  }
}

function rebase(f: IrField, base: number): IrField {
  return { ...f, offset: f.offset + base, ...(f.fields ? { fields: f.fields.map((g) => rebase(g, base)) } : {}) };
}

/** The source text of the baseline codec of `record` (for reading), and the codec itself. */
export function baselineCodec(record: IrRecord, records: ReadonlyMap<string, IrRecord>): { codec: HandCodec; source: string } {
  const zeroArrays: unknown[][] = [];
  const w = new Writer(records, zeroArrays);
  const enc: string[] = [];
  w.encode(record.fields, record.kind, 'v', 0, record.size, enc);
  const dec: string[] = [];
  if (record.kind === 'union') throw new Unsupported('a union at the top');
  w.decode(record.fields, dec);
  const source = `"use strict"; // baseline of ${record.kind} ${record.name}
return {
  size: ${record.size},
  encode(v, d, o) {
    ${enc.join('\n    ')}
  },
  decode(d, o) {
    ${w.pre.join('\n    ')}
    return { ${dec.join('\n      ')} };
  },
};`;
  const make = new Function('EMPTY', 'Z', source);
  return { codec: make(Object.freeze({}), zeroArrays) as HandCodec, source };
}
