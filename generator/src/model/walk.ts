// The one walk over a record's members. C lets code name the members of an anonymous struct or union member as
// if they were the parent's own, so every consumer (codecs, docs, diff, pointers, JSON) sees them through here.
import type { Field, RecordDef } from './types.js';

export interface MemberVisit {
  readonly field: Field;
  /** Member names from the root record: anonymous members add none (`['timing', 'start']`, `['flags']`). */
  readonly path: readonly string[];
  /** Bytes from the start of the root record. */
  readonly offset: number;
  /** The record that directly holds the field. */
  readonly parent: RecordDef;
  /** The member of anonymous record type this field is reached through, or null for the root's own fields. */
  readonly holder: Field | null;
  /** The field shares storage with others: its parent or a record between it and the root is a union. */
  readonly inUnion: boolean;
}

/** Anonymous struct/union types are reached only through their holder; named ones are records of their own. */
export function anonymousRecord(f: Field): RecordDef | null {
  return f.type.kind === 'record' && f.type.record.name === null ? f.type.record : null;
}

/**
 * Every field of `record` in declaration order, each before the members of its anonymous record type, if any
 * (named or unnamed member). Named record types are not entered: they have their own walk.
 */
export function walkMembers(record: RecordDef): MemberVisit[] {
  const out: MemberVisit[] = [];
  const visit = (r: RecordDef, base: number, path: readonly string[], holder: Field | null, inUnion: boolean): void => {
    const union = inUnion || r.kind === 'union';
    for (const field of r.fields) {
      const own = field.name === null ? path : [...path, field.name];
      out.push({ field, path: own, offset: base + field.offset, parent: r, holder, inUnion: union });
      const inner = anonymousRecord(field);
      if (inner) visit(inner, base + field.offset, own, field, union);
    }
  };
  visit(record, 0, [], null, false);
  return out;
}

/** The members a record's users name directly: its own named fields and those of its unnamed members, hoisted. */
export function directMembers(record: RecordDef): MemberVisit[] {
  return walkMembers(record).filter((v) => v.field.name !== null && v.path.length === 1);
}

/** Named fields that are not themselves anonymous records: what holds a value (`timing.start`, not `timing`). */
export function leafMembers(record: RecordDef): MemberVisit[] {
  return walkMembers(record).filter((v) => v.field.name !== null && anonymousRecord(v.field) === null);
}
