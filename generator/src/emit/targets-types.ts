// One TypeScript type per name across a package's layouts: the package's types are its first layout's, and the
// index assigns every other layout to them (tsc checks it), so every layout must give each field, constant and
// enumerator the same type whatever its size there. A field that is 64-bit on any target the package holds (a
// `size_t`, a `__kernel_long_t`) is a bigint on all of them, read and written from 4 bytes on a 32-bit ABI; a
// constant whose value is a bigint on one target (`~0UL` on LP64) is a bigint on all.
import { HeaderError, type Loc } from '../diagnostics.js';
import type { RecordDef } from '../model/types.js';
import type { LayoutGroup } from '../plan/targets.js';
import { pascalCase } from './names.js';
import { checkSameDeclarations, checkSameFields } from './targets-names.js';
import type { LiteralView, PackageView } from './views.js';

/** `Record.field` (TS names) or `ioctl NAME` → its type in each view, for the fields and arguments whose types differ. */
function differingFields(views: readonly PackageView[]): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const v of views) {
    for (const r of v.records) for (const p of r.props) {
      const key = `${r.tsName}.${p.name}`;
      types.set(key, [...(types.get(key) ?? []), `${p.tsType} / ${p.initType}`]);
    }
    // An ioctl's scalar argument (`_IOW(.., size_t)`) is widened as a field is: `ioctl NAME` (no record key has a space).
    for (const m of v.device.methods) if (m.scalar) {
      const key = `ioctl ${m.name}`;
      types.set(key, [...(types.get(key) ?? []), `${m.scalar.a.tsType} / ${m.scalar.a.initType}`]);
    }
  }
  return new Map([...types].filter(([, t]) => new Set(t).size > 1));
}

/**
 * Where each field is declared, by `Record.field` as the views name them (an anonymous record member is
 * `OwnerMember`, an anonymous member's fields are its owner's): for an error about one.
 */
function fieldLocs(group: LayoutGroup): Map<string, Loc> {
  const out = new Map<string, Loc>();
  const seen = new Set<RecordDef>();
  const visit = (r: RecordDef, tsName: string): void => {
    if (seen.has(r)) return;
    seen.add(r);
    for (const f of r.fields) {
      let t = f.type;
      while (t.kind === 'array') t = t.element;
      if (f.name !== null) out.set(`${tsName}.${f.name}`, f.loc);
      if (t.kind !== 'record') continue;
      if (f.name === null) visit(t.record, tsName);
      else visit(t.record, t.record.name ? pascalCase(t.record.name) : `${tsName}${pascalCase(f.name)}`);
    }
  };
  for (const r of group.model.records) if (r.name !== null) visit(r, pascalCase(r.name));
  return out;
}

/** The names (constants, enumerators) whose value is a bigint in some view. */
function bigNames(views: readonly PackageView[]): Set<string> {
  const names = new Set<string>();
  for (const v of views) {
    for (const c of v.constants) if (c.literal.big) names.add(c.name);
    for (const e of v.enums) for (const x of e.values) if (x.literal.big) names.add(x.name);
  }
  return names;
}

function widenValues(view: PackageView, big: ReadonlySet<string>): PackageView {
  const lit = (name: string, l: LiteralView): LiteralView => (big.has(name) && !l.big ? { ...l, big: true } : l);
  return {
    ...view,
    constants: view.constants.map((c) => ({ ...c, literal: lit(c.name, c.literal) })),
    enums: view.enums.map((e) => ({ ...e, values: e.values.map((x) => ({ ...x, literal: lit(x.name, x.literal) })) })),
  };
}

/**
 * The views of a package's layouts, with one type per name: `build(group, wide)` makes a group's view, `wide` the
 * fields to give bigint types. Layouts that declare other names or fields are an error (targets-names.ts), and so
 * is a field whose types still differ (a shape no codec widens: 16 bits on one target, 64 on another), naming it
 * and its types per target.
 */
export function sameTypedViews(groups: readonly LayoutGroup[], build: (group: LayoutGroup, wide: ReadonlySet<string>) => PackageView): PackageView[] {
  if (groups.length > 1) checkSameDeclarations(groups);
  let views = groups.map((g) => build(g, new Set()));
  if (groups.length === 1) return views;
  checkSameFields(groups, views);
  const differing = differingFields(views);
  if (differing.size > 0) {
    const wide = new Set([...differing].filter(([, t]) => t.some((x) => x.includes('bigint'))).map(([k]) => k));
    views = groups.map((g) => build(g, wide));
    const left = [...differingFields(views)];
    if (left.length > 0) {
      const [key, types] = left[0]!;
      // Each type once, with every target that has it (`bigint / bigint | number on x86_64, aarch64; ...`).
      const on = new Map<string, string[]>();
      types.forEach((t, i) => on.set(t, [...(on.get(t) ?? []), ...groups[i]!.targets.map((x) => x.name)]));
      const per = [...on].map(([t, names]) => `${t} on ${names.join(', ')}`).join('; ');
      throw new HeaderError(fieldLocs(groups[0]!).get(key) ?? { file: groups[0]!.model.header, line: 1, col: 1 }, `${key} has a different TypeScript type per target (${per}): one package cannot give it one type`);
    }
  }
  const big = bigNames(views);
  return big.size === 0 ? views : views.map((v) => widenValues(v, big));
}

/** The TS names of the enums whose values differ between views (their type is the union of every layout's). */
export function differingEnums(views: readonly PackageView[]): Set<string> {
  const values = new Map<string, Set<string>>();
  for (const v of views) {
    for (const e of v.enums) {
      if (!e.tsName) continue;
      const set = values.get(e.tsName) ?? new Set();
      set.add(e.values.map((x) => `${x.name}=${x.literal.decimal}`).join(','));
      values.set(e.tsName, set);
    }
  }
  return new Set([...values].filter(([, s]) => s.size > 1).map(([name]) => name));
}
