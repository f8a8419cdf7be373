// A package serves all its targets with one set of names: a header that declares other things per target (a
// struct only where `__SIZEOF_INT128__` is defined, an asm/ header's registers per architecture) cannot be one
// package, and is refused at the first declaration that differs, naming the targets and the declarations on each
// side. Generate a package per set of targets instead (`--target`, or "targets" in the config).
import { HeaderError, type Loc } from '../diagnostics.js';
import type { LayoutGroup } from '../plan/targets.js';
import type { PackageView } from './views.js';

const ADVICE = 'one package cannot serve both: generate a package per set of targets (--target, or "targets" in the config)';

function targetList(g: LayoutGroup): string {
  return g.targets.map((t) => t.name).join(', ');
}

function where(loc: Loc): string {
  return `${loc.file.split('/').pop()}:${loc.line}`;
}

/** What a package exports for the header, by C name (`struct foo`, `enum foo`, `FOO`), with where each is declared. */
function declarations(g: LayoutGroup): Map<string, Loc> {
  const m = g.model;
  const out = new Map<string, Loc>();
  for (const r of m.records) if (r.name !== null) out.set(`${r.kind} ${r.name}`, r.loc);
  for (const e of m.enums) {
    if (e.name) out.set(`enum ${e.name}`, e.loc);
    for (const v of e.values) out.set(v.name, e.loc);
  }
  for (const c of m.constants) out.set(c.name, c.loc);
  for (const i of m.ioctls) out.set(i.name, i.loc);
  return out;
}

/** `struct a (foo.h:3), B (foo.h:9)`, the first five, and how many more. */
function listed(names: readonly string[], locs: ReadonlyMap<string, Loc>): string {
  const shown = names.slice(0, 5).map((n) => `${n} (${where(locs.get(n)!)})`);
  return names.length > 5 ? `${shown.join(', ')} and ${names.length - 5} more` : shown.join(', ') || 'nothing';
}

/** Throws, located, when a group declares other names than the first. */
export function checkSameDeclarations(groups: readonly LayoutGroup[]): void {
  const first = declarations(groups[0]!);
  for (const g of groups.slice(1)) {
    const other = declarations(g);
    const onlyFirst = [...first.keys()].filter((n) => !other.has(n)).sort();
    const onlyOther = [...other.keys()].filter((n) => !first.has(n)).sort();
    if (onlyFirst.length + onlyOther.length === 0) continue;
    // Located at the earliest of them in the header's text.
    const locs = [...onlyFirst.map((n) => first.get(n)!), ...onlyOther.map((n) => other.get(n)!)];
    const loc = locs.reduce((a, b) => (b.file === a.file && (b.line < a.line || (b.line === a.line && b.col < a.col)) ? b : a));
    throw new HeaderError(
      loc,
      `the header declares other names for ${targetList(g)} than for ${targetList(groups[0]!)}: only for ${targetList(groups[0]!)}: ${listed(onlyFirst, first)}; only for ${targetList(g)}: ${listed(onlyOther, other)}; ${ADVICE}`,
    );
  }
}

/** Throws, located at the record, when a record of the same name has other fields in a group than in the first. */
export function checkSameFields(groups: readonly LayoutGroup[], views: readonly PackageView[]): void {
  const fieldsOf = (v: PackageView) => new Map(v.records.map((r) => [r.tsName, { cName: r.cName, props: r.props.map((p) => p.name) }]));
  const first = fieldsOf(views[0]!);
  for (const [i, view] of views.entries()) {
    if (i === 0) continue;
    for (const [tsName, r] of fieldsOf(view)) {
      const f = first.get(tsName);
      if (!f) continue;
      const onlyFirst = f.props.filter((p) => !r.props.includes(p));
      const onlyOther = r.props.filter((p) => !f.props.includes(p));
      if (onlyFirst.length + onlyOther.length === 0) continue;
      const g = groups[i]!;
      const record = g.model.records.find((x) => x.name !== null && `${x.kind} ${x.name}` === r.cName);
      const show = (names: string[]) => (names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ') || 'none');
      throw new HeaderError(
        record?.loc ?? { file: g.model.header, line: 1, col: 1 },
        `${r.cName} has other fields for ${targetList(g)} than for ${targetList(groups[0]!)} (only for ${targetList(groups[0]!)}: ${show(onlyFirst)}; only for ${targetList(g)}: ${show(onlyOther)}); ${ADVICE}`,
      );
    }
  }
}
