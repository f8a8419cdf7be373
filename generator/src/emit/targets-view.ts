// A package's layouts for its targets: which group of targets each codec module serves, and the index that picks
// the host's at load. One group: the package's modules are as they always were, and its index refuses a host
// that is none of the group's targets. Several: the first group's modules stay where they are (its index becomes
// src/layout.ts), every other group's go under src/abi/<group>/, and src/index.ts picks one and re-exports it.
import { posix } from 'node:path';
import type { LayoutGroup } from '../plan/targets.js';
import { HeaderError } from '../diagnostics.js';
import type { RenderedFile } from './render.js';
import { MAX_LINE } from './helpers.js';

/** What a single-layout package's index says: the targets it serves (rendered by partials/layout_check). */
export interface LayoutCheckView {
  readonly packageName: string;
  readonly targets: readonly string[];
}

/** The index of a package with several layouts (partials/layout_index). */
export interface LayoutIndexView {
  readonly packageName: string;
  readonly groups: readonly { readonly name: string; readonly module: string; readonly targets: string }[];
  /** Every target and the module it uses (`aarch64: x86_64`). */
  readonly choices: readonly string[];
  readonly first: string;
  /** The names exported as values (and maybe types too), as lines of a destructuring. */
  readonly valueLines: readonly string[];
  /**
   * Names that are types and values both (a record's interface and codec, an enum, a class), re-declared as type
   * aliases: the first layout's, or for an enum whose values differ per target, the union of every layout's.
   */
  readonly dual: readonly string[];
  /** The other packages' names (the runtime's) the layouts re-export, re-exported from there as they are. */
  readonly reexports: readonly string[];
  /** Names that are only types, as lines of an `export type { ... }`. */
  readonly typeLines: readonly string[];
}

/** The records modules' line on their layout: `x86-64 layout, checked against gcc.` as before for x86_64 alone. */
export function abiNote(group: LayoutGroup): string {
  const names = group.targets.map((t) => t.name);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `The layout of ${list} (${group.targets[0]!.endian}-endian), checked against gcc.`;
}

/** A group's folder under src/ (the first group's modules stay in src/ itself). */
export function groupFolder(group: LayoutGroup, index: number): string {
  return index === 0 ? 'src' : `src/abi/${group.name}`;
}

export function layoutCheckView(pkg: string, groups: readonly LayoutGroup[]): LayoutCheckView | null {
  return groups.length === 1 ? { packageName: pkg, targets: groups[0]!.targets.map((t) => t.name) } : null;
}

/** What a module set exports, found from its index through `export * from` (values, types, classes apart). */
export interface ExportedNames {
  readonly values: Set<string>;
  readonly types: Set<string>;
  /** Classes: values and types both, like a record's interface and codec. */
  readonly classes: Set<string>;
  /** `export { ... } from 'package'` statements of another package (the runtime), as written. */
  readonly reexports: string[];
}

export function exportedNames(files: readonly RenderedFile[], folder: string): ExportedNames {
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  const names: ExportedNames = { values: new Set(), types: new Set(), classes: new Set(), reexports: [] };
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = byPath.get(path);
    if (text === undefined) throw new Error(`emit: ${path} is re-exported but not rendered`);
    for (const m of text.matchAll(/^export \* from '\.\/(.+)\.js';$/gm)) visit(`${path.slice(0, path.lastIndexOf('/'))}/${m[1]}.ts`);
    for (const m of text.matchAll(/^export (?:abstract )?(const|let|function|class|interface|type|enum) (\w+)/gm)) {
      if (m[1] === 'class') names.classes.add(m[2]!);
      (m[1] === 'interface' || m[1] === 'type' ? names.types : names.values).add(m[2]!);
    }
    for (const m of text.matchAll(/^export \{([^}]*)\} from '([^']+)';$/gm)) {
      if (!m[2]!.startsWith('.')) {
        names.reexports.push(m[0]);
        continue;
      }
      for (const item of m[1]!.split(',').map((x) => x.trim()).filter(Boolean)) {
        if (item.startsWith('type ')) names.types.add(item.slice(5).trim());
        else names.values.add(item);
      }
    }
  };
  visit(`${folder}/index.ts`);
  return names;
}

/** `names` as lines of at most MAX_LINE characters at `indent` spaces, each name followed by a comma. */
function nameLines(names: readonly string[], indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const n of names) {
    const next = line ? `${line} ${n},` : `${n},`;
    if (indent + next.length > MAX_LINE && line) {
      lines.push(line);
      line = `${n},`;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * The picking index of a package with several layouts. Every group must export the same names (the first
 * group's types are the package's); a group that lacks one, or has another, is an error naming the names.
 */
export function layoutIndexView(
  pkg: string, groups: readonly LayoutGroup[], rendered: readonly (readonly RenderedFile[])[], differingEnums: ReadonlySet<string> = new Set(),
): LayoutIndexView {
  const names = groups.map((_, i) => exportedNames(rendered[i]!, 'src'));
  const first = names[0]!;
  const all = (s: ExportedNames) => [...[...s.values].map((v) => `value ${v}`), ...[...s.types].map((t) => `type ${t}`)].sort();
  for (const [i, other] of names.entries()) {
    const a = all(first);
    const b = all(other);
    const missing = a.filter((x) => !b.includes(x));
    const extra = b.filter((x) => !a.includes(x));
    if (missing.length + extra.length > 0) {
      const where = { file: groups[0]!.model.header, line: 1, col: 1 };
      throw new HeaderError(
        where,
        `the header declares different names for ${groups[0]!.name} and ${groups[i]!.name}${missing.length ? ` (only on ${groups[0]!.name}: ${missing.slice(0, 5).join(', ')})` : ''}${extra.length ? ` (only on ${groups[i]!.name}: ${extra.slice(0, 5).join(', ')})` : ''}: one package cannot serve both; generate them as separate packages (config "targets")`,
      );
    }
  }
  const values = [...first.values].sort();
  const dual = values.filter((v) => first.types.has(v) || first.classes.has(v)).map((v) => typeAlias(v, differingEnums.has(v) ? groups.map((g) => g.name) : [groups[0]!.name]));
  const typeOnly = [...first.types].filter((t) => !first.values.has(t)).sort();
  return {
    packageName: pkg,
    groups: groups.map((g, i) => ({ name: g.name, module: i === 0 ? './layout.js' : `./abi/${g.name}/layout.js`, targets: g.targets.map((t) => t.name).join(', ') })),
    choices: groups.flatMap((g) => g.targets.map((t) => (t.name === g.name ? t.name : `${t.name}: ${g.name}`))),
    first: groups[0]!.name,
    valueLines: nameLines(values, 2),
    dual,
    reexports: first.reexports,
    typeLines: nameLines(typeOnly, 2),
  };
}

/** `export type NAME = a.NAME | b.NAME;`, over lines when it is long. */
function typeAlias(name: string, modules: readonly string[]): string {
  const line = `export type ${name} = ${modules.map((m) => `${m}.${name}`).join(' | ')};`;
  return line.length <= MAX_LINE ? line : `export type ${name} =\n${modules.map((m) => `  | ${m}.${name}`).join('\n')};`;
}

/**
 * The files of a package with several layouts: the first group's as rendered, but its index moved to
 * src/layout.ts; every other group's src/ files under src/abi/<group>/ (index as layout.ts); the picking `index`.
 * A module a later group renders as an earlier group did (ppc64le's records: only its ioctl numbers differ) is
 * not written again: its file re-exports the earlier one.
 */
export function layoutFiles(rendered: readonly (readonly RenderedFile[])[], groups: readonly LayoutGroup[], index: string): RenderedFile[] {
  const files: RenderedFile[] = [];
  const written: Written[] = []; // what each group's modules say, by final path
  for (const [i, group] of groups.entries()) {
    const folder = groupFolder(group, i);
    const placed = rendered[i]!
      .filter((f) => i === 0 || f.path.startsWith('src/'))
      .map((f) => {
        const path = f.path === 'src/index.ts' ? 'src/layout.ts' : f.path;
        const at = i === 0 ? path : `${folder}/${path.slice('src/'.length)}`;
        const same = i === 0 || path === 'src/layout.ts' ? undefined : sameModule(written, f.path, f.text, groups, i);
        return { at, text: f.text, same };
      });
    // A module is shared only with all it imports of its own group: else it would reach the other group's modules.
    const byPath = new Map(placed.map((p) => [p.at, p]));
    for (let changed = true; changed; ) {
      changed = false;
      for (const p of placed) {
        if (p.same && localImports(p.at, p.text).some((dep) => byPath.has(dep) && !byPath.get(dep)!.same)) {
          p.same = undefined;
          changed = true;
        }
      }
    }
    for (const p of placed) {
      files.push({ path: p.at, text: p.same ? reexport(p.at, p.same.path, groups[p.same.group]!, group) : p.text });
      if (!p.same) written.push({ group: i, path: p.at, text: p.text });
    }
  }
  files.push({ path: 'src/index.ts', text: index });
  return files;
}

interface Written {
  readonly group: number;
  readonly path: string;
  readonly text: string;
}

/** The package paths a module imports relatively (`from './records/foo.js'` → `src/records/foo.ts`). */
function localImports(path: string, text: string): string[] {
  return [...text.matchAll(/ from '(\.{1,2}\/[^']+)\.js';$/gm)].map((m) => posix.join(posix.dirname(path), `${m[1]}.ts`));
}

/** The module an earlier group wrote from the same template path with the same text but for its layout note. */
function sameModule(written: readonly Written[], path: string, text: string, groups: readonly LayoutGroup[], i: number) {
  const rest = path.slice('src/'.length);
  return written.find((w) => w.path === `${groupFolder(groups[w.group]!, w.group)}/${rest}` &&
    w.text === text.replace(abiNote(groups[i]!), abiNote(groups[w.group]!)));
}

/** A module that is another group's: the same code, re-exported. */
function reexport(from: string, to: string, owner: LayoutGroup, group: LayoutGroup): string {
  let target = posix.relative(posix.dirname(from), to).replace(/\.ts$/, '.js');
  if (!target.startsWith('.')) target = `./${target}`;
  return `// ${group.name} lays this module out as ${owner.name} does: the same code (${target}).\nexport * from '${target}';\n`;
}
