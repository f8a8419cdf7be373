// Where a value can go in an encoder's input, from the model: every field a caller may set (members of anonymous
// members sit on their parent, nested structs and array elements are reached through them), with what the
// generated checks must call it in messages and which union members must be left out when it is set.
import type { AnnotatedModel as Model } from '../../generator/src/conventions/annotations.js';
import type { CType, Field, RecordDef } from '../../generator/src/model/types.js';
import { reserved } from './arbitraries.js';

export type Key = string | number;

/** One step into the input object: the key, and the container to create there when the input has none. */
export interface Step {
  readonly key: Key;
  readonly make: () => unknown;
}

export interface Leaf {
  readonly steps: readonly Step[];
  /** How messages name it after the record path: `.flags`, `.check_map.uptr`, `.pins[1].number`. */
  readonly label: string;
  readonly field: Field;
  /** The element type for an array element, else the field's type. */
  readonly type: CType;
  /** A user-pointer field (the codec takes buffers and Memory as well as addresses). */
  readonly pointer: boolean;
  /** Union members that share storage with this leaf: keys to delete from the object `depth` steps down. */
  readonly clear: readonly { readonly depth: number; readonly keys: readonly string[] }[];
  /**
   * The named record fields (records, arrays of records) the leaf is reached through, outermost first: their types,
   * and whether each is a union member of the record holding it.
   */
  readonly within: readonly Within[];
  /** A member of a union (named or anonymous) of the record holding it. */
  readonly member: boolean;
}

export interface Within {
  readonly type: CType;
  readonly member: boolean;
}

/** A union and where its members sit: the object `depth` steps down holds the keys. */
export interface UnionAt {
  readonly steps: readonly Step[];
  readonly label: string;
  /** Each member's keys in that object (an anonymous struct member has several). */
  readonly members: readonly (readonly string[])[];
  /** A key of each member, with the field it sets. */
  readonly firsts: readonly Field[];
  /** Members of enclosing unions that share storage with this one (as for a leaf): left out of the input. */
  readonly clear: Leaf['clear'];
}

/** The keys a member puts on the object that holds it (an anonymous member's own fields). */
export function keysOf(f: Field): string[] {
  if (f.name !== null) return [f.name];
  return f.type.kind === 'record' ? f.type.record.fields.filter(settable).flatMap(keysOf) : [];
}

/** The first named field a member puts on its holder. */
function firstNamed(f: Field): Field {
  if (f.name !== null) return f;
  return firstNamed((f.type as { record: RecordDef }).record.fields.filter(settable)[0]!);
}

// A zero-size member (`__DECLARE_FLEX_ARRAY`'s empty struct) and a flexible array have no bytes: not in the input.
const settable = (f: Field): boolean =>
  !reserved(f) && f.size > 0 && !(f.type.kind === 'array' && f.type.length === null) && (f.name !== null || f.type.kind === 'record');

interface Walk {
  readonly pointers: ReadonlySet<Field>;
  readonly leaves: Leaf[];
  readonly unions: UnionAt[];
}

function walk(r: RecordDef, steps: readonly Step[], label: string, clear: Leaf['clear'], within: readonly Within[], inUnion: boolean, w: Walk): void {
  const fields = r.fields.filter(settable);
  const member = inUnion || r.kind === 'union'; // of an anonymous union, too
  if (r.kind === 'union' && fields.length > 1) w.unions.push({ steps, label, members: fields.map(keysOf), firsts: fields.map(firstNamed), clear });
  for (const f of fields) {
    const others = r.kind === 'union' ? fields.filter((g) => g !== f).flatMap(keysOf) : [];
    const here = others.length > 0 ? [...clear, { depth: steps.length, keys: others }] : clear;
    if (f.name === null) {
      walk((f.type as { record: RecordDef }).record, steps, label, here, within, member, w); // anonymous: on the same object
      continue;
    }
    const at = [...steps, { key: f.name, make: () => containerFor(f.type) }];
    const name = `${label}.${f.name}`;
    w.leaves.push({ steps: at, label: name, field: f, type: f.type, pointer: w.pointers.has(f), clear: here, within, member });
    const t = f.type;
    if (t.kind === 'record') walk(t.record, at, name, here, [...within, { type: t, member }], false, w);
    // an array of records, of any number of dimensions: its first and last element's fields
    const grid = gridOf(t);
    if (grid) {
      for (const last of [false, true]) {
        const indices = grid.dims.map((n) => (last ? n - 1 : 0));
        const steps = indices.map((i, depth) => ({ key: i, make: () => (depth === indices.length - 1 ? {} : containerFor(grid.rows[depth + 1]!)) }));
        walk(grid.element, [...at, ...steps], `${name}${indices.map((i) => `[${i}]`).join('')}`, here, [...within, { type: t, member }], false, w);
        if (indices.every((i) => i === 0)) break; // a single element
      }
    }
  }
}

/** An array of records (of one or more dimensions, none of length 0): its lengths, each level's type and the record. */
function gridOf(t: CType): { dims: number[]; rows: CType[]; element: RecordDef } | null {
  const dims: number[] = [];
  const rows: CType[] = [];
  let e = t;
  for (; e.kind === 'array'; e = e.element) {
    if (!e.length) return null;
    dims.push(e.length);
    rows.push(e);
  }
  return dims.length > 0 && e.kind === 'record' ? { dims, rows, element: e.record } : null;
}

/** An empty but valid value to hold nested input: `{}`, or an array of empty elements. */
function containerFor(t: CType): unknown {
  if (t.kind === 'array') {
    const e = t.element;
    return Array.from({ length: t.length ?? 0 }, () => (e.kind === 'record' ? {} : e.kind === 'array' ? containerFor(e) : 0));
  }
  return {};
}

export function leavesOf(r: RecordDef, model: Model): { leaves: Leaf[]; unions: UnionAt[] } {
  const w: Walk = { pointers: new Set(model.pointers.map((p) => p.field)), leaves: [], unions: [] };
  walk(r, [], '', [], [], false, w);
  return { leaves: w.leaves, unions: w.unions };
}

/** `base` with none of the union's members set, or (`two`) its first two set to valid values. */
export function unionInput(base: Record<string, unknown>, u: UnionAt, two: boolean, valid: (t: CType) => unknown): Record<string, unknown> {
  const root = copy(base);
  let at = root as Record<Key, unknown>;
  u.steps.forEach((st, depth) => {
    for (const c of u.clear) if (c.depth === depth) for (const k of c.keys) delete at[k];
    if (typeof at[st.key] !== 'object' || at[st.key] === null) at[st.key] = st.make();
    at = at[st.key] as Record<Key, unknown>;
  });
  for (const c of u.clear) if (c.depth === u.steps.length) for (const k of c.keys) delete at[k];
  for (const k of u.members.flat()) delete at[k];
  if (two) for (const f of u.firsts.slice(0, 2)) at[f.name!] = valid(f.type);
  return root;
}

/** A deep copy of plain input (objects, arrays, primitives; buffers are shared). */
export function copy<T>(x: T): T {
  if (Array.isArray(x)) return x.map(copy) as T;
  if (typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copy(v)])) as T;
  }
  return x;
}

/**
 * `base` with `value` at the leaf (containers created as needed, the leaf's union siblings removed); `undefined`
 * removes the leaf instead, which gives what the encoder may have written before it refused the leaf's value.
 */
export function put(base: Record<string, unknown>, leaf: { steps: readonly Step[]; clear: Leaf['clear'] }, value: unknown): Record<string, unknown> {
  const root = copy(base);
  let cur = root as Record<Key, unknown>;
  leaf.steps.forEach((step, depth) => {
    for (const c of leaf.clear) if (c.depth === depth) for (const k of c.keys) delete cur[k];
    if (depth === leaf.steps.length - 1) {
      if (value === undefined && !Array.isArray(cur)) delete cur[step.key];
      else cur[step.key] = value;
      return;
    }
    const next = cur[step.key];
    if (typeof next !== 'object' || next === null) cur[step.key] = step.make();
    cur = cur[step.key] as Record<Key, unknown>;
  });
  return root;
}

/**
 * A nested record its holder's encoder checks with its own fields, before any byte is written (the records banner:
 * "a nested record of integers only"): a struct whose every field is an integer (not a bit-field, boolean or float),
 * an array of up to 16 of them or such a record (also in arrays of up to 16), one at least an integer; no union.
 */
export function checkedWithHolder({ type: t, member }: Within): boolean {
  if (member) return false;
  const record = t.kind === 'record' ? t.record : t.kind === 'array' && t.length && t.length <= 16 && t.element.kind === 'record' ? t.element.record : null;
  return record !== null && integersOnly(record) && integerCount(record) > 0;
}

const integer = (t: CType): boolean => t.kind === 'enum' || t.kind === 'pointer' || (t.kind === 'scalar' && !t.float && t.name !== '_Bool');

function integersOnly(r: RecordDef): boolean {
  if (r.kind !== 'struct') return false;
  return r.fields.filter(settable).every((f) => {
    if (f.bitField) return false;
    if (f.name === null) return integersOnly((f.type as { record: RecordDef }).record);
    const t = f.type;
    if (integer(t)) return true;
    if (t.kind === 'array' && t.length && t.length <= 16 && integer(t.element)) return true;
    return checkedWithHolder({ type: t, member: false });
  });
}

function integerCount(r: RecordDef): number {
  let n = 0;
  for (const f of r.fields.filter(settable)) {
    if (f.name === null || f.type.kind === 'record') n += integerCount((f.type as { record: RecordDef }).record);
    else if (integer(f.type)) n++;
    else if (f.type.kind === 'array' && f.type.element.kind === 'record') n += integerCount(f.type.element.record);
  }
  return n;
}
