// ABI diff of two annotated models of a header (two kernel versions): what was added, removed, changed or renamed,
// and whether each change breaks binaries built against the old header. Pure: models in, readonly changes out.
// Which fields are reserved and which structs may grow come from the annotations (the family's profile).
//
// Rules (README, "Comparing versions"):
//  - ioctls, records, enumerators and constants are matched by name; fields by their C member path inside the
//    record (members of anonymous structs/unions sit on the parent, as in C), with offsets from the record's start.
//  - added ioctl / record / enumerator / constant: compatible. Anything removed: breaking (except a reserved
//    field, which callers had to leave zero). A changed request number, value, record kind or alignment: breaking.
//  - a record that grew: compatible only when both layouts lead with the field that holds the struct's size (the
//    record's extension annotation: the caller says which layout it passes, the kernel zero-extends a shorter
//    one) and every old field kept its offset, size and type. Without one, or when it shrank: breaking.
//  - an added field: compatible when it lies past the old end of a record that grew compatibly, when it takes
//    bytes that were reserved (which had to be zero, so zero must keep meaning what it meant), or when it is
//    a new member of a union over bytes an unchanged field still covers. Added where there was implicit padding
//    (which old callers need not zero) or over a removed field: breaking.
//  - a changed alignment: breaking, unless it comes with a compatible tail growth (a 64-bit aligned field added
//    at the tail of an ioctl argument raises it; such a struct is passed by pointer with its size).
//  - a field that changed offset or size: breaking (moved / resized); a reserved field that shrank inside its
//    old bytes is the reserved space being put to use: compatible. A changed type of the same size and
//    representation (`__u64` → `__aligned_u64`, `__u32` → an unsigned enum) is compatible; otherwise breaking.
//  - a removed field and an added field of the same record at the same offset with the same size and type (and
//    no other field taking those bytes) are a rename: the ABI is unchanged, but TypeScript code using the old
//    property name breaks (`sourceBreaking`). A reserved field given a name is compatible; a named field
//    retired to a reserved one is breaking (callers that set it would now be refused). Retyping or removing a
//    reserved field breaks no TypeScript source: it is not in the input types and means nothing decoded.
import { argumentRecord, extensionOf, isReserved, type AnnotatedModel } from '../conventions/annotations.js';
import type { CType, EnumType, Field, RecordDef } from '../model/types.js';
import { walkMembers } from '../model/walk.js';

export type ChangeWhat = 'ioctl' | 'record' | 'field' | 'enumerator' | 'constant';

/** What about a changed thing changed. */
export type ChangeAspect = 'size' | 'offset' | 'type' | 'bits' | 'value' | 'request' | 'kind' | 'align' | 'arg';

interface ChangeBase {
  readonly what: ChangeWhat;
  /** `FOO_MAP`, `foo_map`, `foo_info.out_type` (record.member path), an enumerator. */
  readonly name: string;
  /** Binaries built against the old header may misbehave with the new one. */
  readonly breaking: boolean;
  /** Code using the old generated TypeScript package may no longer compile (removals, renames, type changes). */
  readonly sourceBreaking: boolean;
  /** One sentence: why the change is (or is not) breaking. */
  readonly reason: string;
}

export interface Added extends ChangeBase {
  readonly change: 'added';
  readonly to: string; // a short description of the new thing: `__u32 at 24 (4 bytes)`, `0x3b8a`, `3`
}

export interface Removed extends ChangeBase {
  readonly change: 'removed';
  readonly from: string;
}

export interface Changed extends ChangeBase {
  readonly change: 'changed';
  readonly aspect: ChangeAspect;
  readonly from: string;
  readonly to: string;
}

export interface Renamed extends ChangeBase {
  readonly change: 'renamed';
  readonly from: string; // the old name (same form as `name`)
  readonly to: string; // the new name, also in `name`
}

export type Change = Added | Removed | Changed | Renamed;

/** One named member of a record, flattened: its C member path and absolute offset. */
interface FlatField {
  readonly path: string; // `out_type`, `timing.start`
  readonly leaf: string; // last component: `out_type`, `start`
  readonly offset: number; // from the start of the outermost record
  readonly size: number;
  readonly spelling: string;
  readonly type: CType;
  readonly bits: string | null; // `bit 3, 5 bits` for bit-fields
  readonly inUnion: boolean; // directly or indirectly a member of a union
  readonly reserved: boolean; // a reserved field (the profile's annotation): always 0, not in the input types
}

function flatten(model: AnnotatedModel, record: RecordDef): FlatField[] {
  return walkMembers(record)
    .filter((v) => v.field.name !== null)
    .map((v) => flat(v.field, v.path.join('.'), v.offset, v.inUnion, isReserved(model, v.field)));
}

function flat(f: Field, path: string, offset: number, inUnion: boolean, reserved: boolean): FlatField {
  return {
    path,
    leaf: f.name!,
    offset,
    size: f.size,
    spelling: f.spelling,
    type: f.type,
    bits: f.bitField ? `bit ${f.bitField.bitOffset}, ${f.bitField.bitWidth} bits` : null,
    inUnion,
    reserved,
  };
}

function describeField(f: FlatField): string {
  return `${f.spelling} at ${f.offset}${f.bits ? ` (${f.bits})` : ''}, ${f.size} byte${f.size === 1 ? '' : 's'}`;
}

/** Representation of a type for the same-size-type-change rule: scalars and enums by signedness/float/endian. */
function representation(t: CType): string | null {
  if (t.kind === 'scalar') return `${t.size}:${t.signed}:${t.float}:${t.endian}`;
  if (t.kind === 'enum') return representation(t.enumType.underlying);
  if (t.kind === 'pointer') return 'pointer';
  return null;
}

const hex = (n: bigint): string => `0x${n.toString(16)}`;

export function diffModels(oldModel: AnnotatedModel, newModel: AnnotatedModel): readonly Change[] {
  const changes: Change[] = [];
  diffIoctls(oldModel, newModel, changes);
  diffRecords(oldModel, newModel, changes);
  diffEnumerators(oldModel, newModel, changes);
  diffConstants(oldModel, newModel, changes);
  return changes;
}

function byName<T extends { readonly name: string | null }>(xs: readonly T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of xs) if (x.name !== null && !m.has(x.name)) m.set(x.name, x);
  return m;
}

function diffIoctls(a: AnnotatedModel, b: AnnotatedModel, out: Change[]): void {
  const olds = byName(a.ioctls);
  const news = byName(b.ioctls);
  for (const [name, o] of olds) {
    const n = news.get(name);
    if (!n) {
      out.push({ change: 'removed', what: 'ioctl', name, from: hex(o.request), breaking: true, sourceBreaking: true, reason: 'the ioctl is gone' });
      continue;
    }
    if (o.request !== n.request) {
      out.push({
        change: 'changed', what: 'ioctl', name, aspect: 'request', from: hex(o.request), to: hex(n.request), breaking: true, sourceBreaking: false,
        reason: 'old binaries pass the old request number',
      });
    }
    const oa = argumentRecord(o)?.name ?? null;
    const na = argumentRecord(n)?.name ?? null;
    if (oa !== na && oa !== null && na !== null) {
      out.push({
        change: 'changed', what: 'ioctl', name, aspect: 'arg', from: `struct ${oa}`, to: `struct ${na}`, breaking: true, sourceBreaking: true,
        reason: 'the ioctl takes a different argument struct',
      });
    }
  }
  for (const [name, n] of news) {
    if (!olds.has(name)) out.push({ change: 'added', what: 'ioctl', name, to: hex(n.request), breaking: false, sourceBreaking: false, reason: 'a new ioctl' });
  }
}

function diffRecords(a: AnnotatedModel, b: AnnotatedModel, out: Change[]): void {
  const olds = byName(a.records);
  const news = byName(b.records);
  for (const [name, o] of olds) {
    const n = news.get(name);
    if (!n) {
      out.push({ change: 'removed', what: 'record', name, from: `${o.kind}, ${o.size} bytes`, breaking: true, sourceBreaking: true, reason: `the ${o.kind} is gone` });
      continue;
    }
    diffRecord(name, { model: a, record: o }, { model: b, record: n }, out);
  }
  for (const [name, n] of news) {
    if (!olds.has(name)) out.push({ change: 'added', what: 'record', name, to: `${n.kind}, ${n.size} bytes`, breaking: false, sourceBreaking: false, reason: `a new ${n.kind}` });
  }
}

/** A record and the annotated model it belongs to (whose profile says which fields are reserved). */
interface Side {
  readonly model: AnnotatedModel;
  readonly record: RecordDef;
}

function diffRecord(name: string, oldSide: Side, newSide: Side, out: Change[]): void {
  const o = oldSide.record;
  const n = newSide.record;
  const fieldChanges: Change[] = [];
  if (o.kind !== n.kind) {
    out.push({ change: 'changed', what: 'record', name, aspect: 'kind', from: o.kind, to: n.kind, breaking: true, sourceBreaking: true, reason: 'a struct became a union or the reverse' });
  }
  const of = flatten(oldSide.model, o);
  const nf = flatten(newSide.model, n);
  const oldBy = new Map(of.map((f) => [f.path, f]));
  const newBy = new Map(nf.map((f) => [f.path, f]));
  const grew = n.size > o.size;
  // Growth at the tail is compatible when both layouts lead with the field that holds the struct's size.
  const oldExt = extensionOf(oldSide.model, o);
  const newExt = extensionOf(newSide.model, n);
  const sizeRule = oldExt !== null && newExt !== null && oldExt.kind === newExt.kind;

  // Bytes of the old record that were reserved (had to be zero), and bytes an unchanged field still covers.
  const reservedBytes = new Set<number>();
  for (const f of of) if (f.reserved) for (let i = f.offset; i < f.offset + f.size; i++) reservedBytes.add(i);
  const keptBytes = new Set<number>();
  for (const f of of) {
    const g = newBy.get(f.path);
    if (g && g.offset === f.offset && g.size === f.size) for (let i = f.offset; i < f.offset + f.size; i++) keptBytes.add(i);
  }

  // Renames: removed and added fields with the same offset, size, type and bits, paired one to one.
  const removed = of.filter((f) => !newBy.has(f.path));
  const added = nf.filter((f) => !oldBy.has(f.path));
  const renamedOld = new Set<string>();
  const renamedNew = new Set<string>();
  for (const r of removed) {
    const same = (f: FlatField) => f.offset === r.offset && f.size === r.size && f.spelling === r.spelling && f.bits === r.bits;
    const candidates = added.filter((f) => same(f) && !renamedNew.has(f.path));
    const rivals = removed.filter((f) => same(f));
    if (candidates.length !== 1 || rivals.length !== 1) continue;
    const to = candidates[0]!;
    // no other added field overlaps the renamed field's bytes
    const others = added.filter((f) => f !== to && f.offset < r.offset + r.size && r.offset < f.offset + f.size && !f.inUnion);
    if (others.length > 0) continue;
    renamedOld.add(r.path);
    renamedNew.add(to.path);
    const fromReserved = r.reserved;
    const toReserved = to.reserved;
    fieldChanges.push({
      change: 'renamed', what: 'field', name: `${name}.${to.path}`, from: `${name}.${r.path}`, to: `${name}.${to.path}`,
      breaking: toReserved && !fromReserved,
      sourceBreaking: !fromReserved,
      reason: toReserved && !fromReserved
        ? 'a field retired to reserved: callers that set it will be refused'
        : fromReserved
          ? 'reserved bytes put to use at the same place: zero keeps its old meaning'
          : 'same offset, size and type: the ABI is unchanged, the TypeScript property is renamed',
    });
  }

  for (const f of of) {
    const g = newBy.get(f.path);
    const full = `${name}.${f.path}`;
    if (!g) {
      if (renamedOld.has(f.path)) continue;
      const reserved = f.reserved;
      fieldChanges.push({
        change: 'removed', what: 'field', name: full, from: describeField(f), breaking: !reserved, sourceBreaking: !reserved,
        reason: reserved ? 'a reserved field, which had to be zero' : 'the field is gone',
      });
      continue;
    }
    const reservedShrink = f.reserved && g.offset >= f.offset && g.offset + g.size <= f.offset + f.size;
    const why = (what: string) => (reservedShrink ? 'reserved space put to use: the rest stays reserved' : what);
    if (f.offset !== g.offset) {
      fieldChanges.push({ change: 'changed', what: 'field', name: full, aspect: 'offset', from: String(f.offset), to: String(g.offset), breaking: !reservedShrink, sourceBreaking: false, reason: why('the field moved') });
    }
    if (f.size !== g.size) {
      fieldChanges.push({ change: 'changed', what: 'field', name: full, aspect: 'size', from: String(f.size), to: String(g.size), breaking: !reservedShrink, sourceBreaking: false, reason: why('the field was resized') });
    }
    if (f.spelling !== g.spelling) {
      const same = f.size === g.size && representation(f.type) !== null && representation(f.type) === representation(g.type);
      fieldChanges.push({
        change: 'changed', what: 'field', name: full, aspect: 'type', from: f.spelling, to: g.spelling, breaking: !same && !reservedShrink,
        // reserved fields are not in the input types (always 0) and mean nothing when decoded
        sourceBreaking: !same && !f.reserved,
        reason: same ? 'same size and representation' : why('the field holds a different type'),
      });
    }
    if (f.bits !== g.bits) {
      fieldChanges.push({ change: 'changed', what: 'field', name: full, aspect: 'bits', from: f.bits ?? 'not a bit-field', to: g.bits ?? 'not a bit-field', breaking: true, sourceBreaking: false, reason: 'the bit-field moved or was resized' });
    }
  }

  for (const g of nf) {
    if (oldBy.has(g.path) || renamedNew.has(g.path)) continue;
    const full = `${name}.${g.path}`;
    let breaking: boolean;
    let reason: string;
    if (g.offset >= o.size) {
      breaking = !(grew && sizeRule);
      reason = breaking ? 'added past the old end of a record with no leading size field' : 'added at the tail; the size field tells the kernel which layout the caller passes';
    } else {
      let inReserved = true;
      let inKept = true;
      for (let i = g.offset; i < Math.min(g.offset + g.size, o.size); i++) {
        if (!reservedBytes.has(i)) inReserved = false;
        if (!keptBytes.has(i) || !g.inUnion) inKept = false;
      }
      const tailOk = g.offset + g.size <= o.size || (grew && sizeRule);
      if (inReserved && tailOk) {
        breaking = false;
        reason = 'takes bytes that were reserved, which had to be zero';
      } else if (inKept && tailOk) {
        breaking = false;
        reason = 'a new union member over bytes an unchanged field still covers';
      } else {
        breaking = true;
        reason = 'added inside the old layout, over bytes that were padding (which callers need not zero) or another field';
      }
    }
    fieldChanges.push({ change: 'added', what: 'field', name: full, to: describeField(g), breaking, sourceBreaking: false, reason });
  }

  if (o.size !== n.size) {
    const fieldsBreak = fieldChanges.some((c) => c.breaking);
    const breaking = !grew || !sizeRule || fieldsBreak;
    out.push({
      change: 'changed', what: 'record', name, aspect: 'size', from: String(o.size), to: String(n.size), breaking, sourceBreaking: false,
      reason: !grew
        ? 'the record shrank'
        : !sizeRule
          ? 'the record grew but has no leading size field to say which layout the caller passes'
          : fieldsBreak
            ? 'the record grew, but not only at its tail'
            : 'grew at the tail; the leading size field keeps old callers working',
    });
  }
  if (o.align !== n.align) {
    // A compatible tail growth may raise the alignment (an __aligned_u64 at the new tail): the struct is passed
    // by pointer with its size, and where it is embedded or in an array, the enclosing record's diff shows it.
    const withGrowth = grew && sizeRule && !fieldChanges.some((c) => c.breaking);
    out.push({
      change: 'changed', what: 'record', name, aspect: 'align', from: String(o.align), to: String(n.align), breaking: !withGrowth, sourceBreaking: false,
      reason: withGrowth ? 'raised by the fields added at the tail of a record passed with its size' : 'the alignment changed',
    });
  }
  for (const c of fieldChanges) out.push(c);
}

function enumerators(m: AnnotatedModel): Map<string, { value: bigint; enumType: EnumType }> {
  const out = new Map<string, { value: bigint; enumType: EnumType }>();
  for (const e of m.enums) for (const v of e.values) if (!out.has(v.name)) out.set(v.name, { value: v.value, enumType: e });
  return out;
}

function diffEnumerators(a: AnnotatedModel, b: AnnotatedModel, out: Change[]): void {
  const olds = enumerators(a);
  const news = enumerators(b);
  for (const [name, o] of olds) {
    const n = news.get(name);
    if (!n) out.push({ change: 'removed', what: 'enumerator', name, from: o.value.toString(), breaking: true, sourceBreaking: true, reason: 'the enumerator is gone' });
    else if (n.value !== o.value) {
      out.push({ change: 'changed', what: 'enumerator', name, aspect: 'value', from: o.value.toString(), to: n.value.toString(), breaking: true, sourceBreaking: false, reason: 'old binaries use the old value' });
    }
  }
  for (const [name, n] of news) {
    if (!olds.has(name)) out.push({ change: 'added', what: 'enumerator', name, to: n.value.toString(), breaking: false, sourceBreaking: false, reason: 'a new enumerator' });
  }
}

function diffConstants(a: AnnotatedModel, b: AnnotatedModel, out: Change[]): void {
  const olds = byName(a.constants);
  const news = byName(b.constants);
  for (const [name, o] of olds) {
    const n = news.get(name);
    if (!n) out.push({ change: 'removed', what: 'constant', name, from: o.value.toString(), breaking: true, sourceBreaking: true, reason: 'the constant is gone' });
    else {
      if (n.value !== o.value) {
        out.push({ change: 'changed', what: 'constant', name, aspect: 'value', from: o.value.toString(), to: n.value.toString(), breaking: true, sourceBreaking: false, reason: 'old binaries use the old value' });
      }
      if (n.ctype !== o.ctype) {
        out.push({ change: 'changed', what: 'constant', name, aspect: 'type', from: o.ctype, to: n.ctype, breaking: false, sourceBreaking: false, reason: 'same value, different C type' });
      }
    }
  }
  for (const [name, n] of news) {
    if (!olds.has(name)) out.push({ change: 'added', what: 'constant', name, to: n.value.toString(), breaking: false, sourceBreaking: false, reason: 'a new constant' });
  }
}

/** The semantic-version step a package generated from the new header needs (part 3, release). */
export type Bump = 'major' | 'minor' | 'patch' | 'none';

/**
 * Breaking or source-breaking → major, any other ABI change → minor, no ABI change but the documentation
 * changed (`docsChanged`, from diffDocs in docs.ts) → patch, nothing → none.
 */
export function versionBump(changes: readonly Change[], docsChanged = false): Bump {
  if (changes.some((c) => c.breaking || c.sourceBreaking)) return 'major';
  return changes.length > 0 ? 'minor' : docsChanged ? 'patch' : 'none';
}

export function hasBreaking(changes: readonly Change[]): boolean {
  return changes.some((c) => c.breaking);
}
