// Kernel-doc comparison of two models of a header: which documentation texts changed between two versions. The
// ABI diff (diff.ts) ignores comments; this finds the releases whose only change is documentation (a patch).
// Compared, by name: the kernel-doc summary, description and @member texts of records and enums present in
// both, the doc text of enumerators present in both, and DOC sections (added, removed or changed). Things
// that were added or removed are ABI changes and are reported by diffModels, not here.
import type { Doc, Model } from '../model/types.js';

/** One documentation text that differs: `struct foo_map: description`, `DOC: FOO: added`. */
export interface DocChange {
  readonly name: string; // `struct foo_map`, `enum foo_info_type`, `FOO_INFO_TYPE_NONE`, `DOC: General ioctl format`
  readonly part: string; // `summary`, `description`, `@member`, `doc`, `added`, `removed`
}

function docParts(doc: Doc | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!doc) return out;
  out.set('summary', doc.summary);
  out.set('description', doc.description);
  for (const m of doc.members) out.set(`@${m.name}`, m.text);
  return out;
}

function compareParts(name: string, a: Map<string, string>, b: Map<string, string>, out: DocChange[]): void {
  const keys = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
  for (const k of keys) if ((a.get(k) ?? '') !== (b.get(k) ?? '')) out.push({ name, part: k });
}

function named<T>(xs: readonly T[], key: (x: T) => string | null): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of xs) {
    const k = key(x);
    if (k !== null && !m.has(k)) m.set(k, x);
  }
  return m;
}

export function diffDocs(oldModel: Model, newModel: Model): readonly DocChange[] {
  const out: DocChange[] = [];
  const recordsA = named(oldModel.records, (r) => (r.name === null ? null : `${r.kind} ${r.name}`));
  const recordsB = named(newModel.records, (r) => (r.name === null ? null : `${r.kind} ${r.name}`));
  for (const [k, r] of recordsA) {
    const n = recordsB.get(k);
    if (n) compareParts(k, docParts(r.doc), docParts(n.doc), out);
  }
  // Enums by tag, or by the name their kernel-doc gives an anonymous enum.
  const enumKey = (e: Model['enums'][number]) => (e.name !== null ? `enum ${e.name}` : e.doc ? `enum ${e.doc.name}` : null);
  const enumsA = named(oldModel.enums, enumKey);
  const enumsB = named(newModel.enums, enumKey);
  for (const [k, e] of enumsA) {
    const n = enumsB.get(k);
    if (n) compareParts(k, docParts(e.doc), docParts(n.doc), out);
  }
  const valuesA = named(oldModel.enums.flatMap((e) => e.values), (v) => v.name);
  const valuesB = named(newModel.enums.flatMap((e) => e.values), (v) => v.name);
  for (const [k, v] of valuesA) {
    const n = valuesB.get(k);
    // (an enumerator's doc usually is its enum's @member text, already reported above)
    if (n && (v.doc ?? '') !== (n.doc ?? '') && !out.some((d) => d.part === `@${k}`)) out.push({ name: k, part: 'doc' });
  }
  const sectionsA = named(oldModel.docs, (d) => `DOC: ${d.title}`);
  const sectionsB = named(newModel.docs, (d) => `DOC: ${d.title}`);
  for (const [k, d] of sectionsA) {
    const n = sectionsB.get(k);
    if (!n) out.push({ name: k, part: 'removed' });
    else compareParts(k, docParts(d.doc), docParts(n.doc), out);
  }
  for (const k of sectionsB.keys()) if (!sectionsA.has(k)) out.push({ name: k, part: 'added' });
  return out;
}
