// Model → the view of a package's static documentation site (generated/<name>/docs/): one page per ioctl, a page
// of structs, of enums and constants, of DOC sections, an index with a client-side search. Everything the
// templates print is decided (and HTML-escaped) here; kernel-doc prose goes through markdown-it.
import type MarkdownItType from 'markdown-it';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { argumentRecord, type AnnotatedIoctl, type AnnotatedModel, type Related } from '../conventions/annotations.js';
import type { CType, EnumType, Field, RecordDef } from '../model/types.js';
import { directMembers } from '../model/walk.js';
import { compareVersions } from '../versions.js';
import type { VersionedModel } from '../plan/history.js';
import type { PackageView, PropView } from './views.js';
import { kernelDocToMarkdown } from './tsdoc.js';
import type { TargetsNote } from './targets-docs.js';
import { publicHeaderPath } from './header-path.js';
import type { MethodView } from './device-view.js';
import { pageWords } from './in-memory-words.js';

export interface MemberRow {
  readonly name: string; // flattened member name, '' for padding
  readonly id: string;
  readonly offset: number;
  readonly size: number;
  readonly bits: string | null;
  readonly cType: string;
  readonly tsType: string;
  readonly html: string; // description
  readonly since: string | null;
  readonly padding: boolean;
  readonly note: string | null; // 'union member' etc.
  /** What the field holds of another package's API, with links to that package's pages (profile `related`). */
  readonly related: { readonly html: string; readonly see: readonly { readonly text: string; readonly href: string }[] } | null;
}

export interface StructSection {
  readonly cName: string; // struct foo_map
  readonly anchor: string; // c.foo_map
  readonly tsName: string;
  readonly size: number;
  readonly align: number;
  readonly since: string | null;
  readonly summaryHtml: string;
  readonly descriptionHtml: string;
  readonly definition: string; // C text
  readonly members: readonly MemberRow[];
  readonly svg: string;
  readonly kernelUrl: string | null;
  readonly ioctls: readonly { readonly name: string; readonly href: string }[];
  readonly source: string;
  /** How its layouts differ across the package's targets (targets-docs.ts); null with one layout. */
  readonly targets: TargetsNote | null;
}

export interface IoctlPage {
  readonly name: string;
  readonly file: string; // ioctl-foo_map.html
  readonly anchor: string;
  readonly since: string | null;
  readonly summaryHtml: string;
  readonly request: string;
  /** Where the request number differs between the package's layouts: each layout's targets and number (targets-docs.ts). */
  readonly requests: readonly { readonly targets: string; readonly request: string }[] | null;
  readonly dir: string;
  readonly type: string;
  readonly nr: number;
  readonly size: number;
  readonly method: string;
  readonly tryMethod: string;
  readonly prepareMethod: string | null; // no argument, nothing to prepare
  /** What the method does with a flexible array or a capability chain (flex-view.ts, capability-view.ts), or null. */
  readonly extraHtml: string | null;
  readonly struct: StructSection | null;
  /** The scalar or array the macro names as the argument, passed in memory (`_IOW(.., __u64)`), or null. */
  readonly memoryArg: { readonly cType: string; readonly size: number; readonly how: string } | null;
  readonly errors: readonly { readonly code: string; readonly html: string }[];
  readonly general: readonly { readonly code: string; readonly html: string }[];
  readonly example: string;
  readonly source: string;
  readonly prev: { readonly name: string; readonly href: string } | null;
  readonly next: { readonly name: string; readonly href: string } | null;
}

export interface EnumSection {
  readonly cName: string;
  readonly anchor: string;
  readonly tsName: string | null;
  readonly since: string | null;
  readonly summaryHtml: string;
  readonly descriptionHtml: string;
  readonly kernelUrl: string | null;
  readonly flags: boolean;
  readonly values: readonly { readonly name: string; readonly anchor: string; readonly dec: string; readonly hex: string; readonly bit: string; readonly html: string; readonly since: string | null }[];
  readonly source: string;
}

export interface DocsView {
  readonly pkg: { readonly name: string; readonly version: string; readonly header: string; readonly kernel: string | null; readonly fromLine: string };
  readonly title: string; // foo.h
  readonly kernelPage: string | null;
  readonly versions: readonly string[]; // the kernel versions "since" marks count from
  readonly ioctls: readonly IoctlPage[];
  readonly structs: readonly StructSection[];
  readonly enums: readonly EnumSection[];
  readonly constants: readonly { readonly name: string; readonly anchor: string; readonly dec: string; readonly hex: string; readonly ctype: string; readonly since: string | null }[];
  readonly sections: readonly { readonly title: string; readonly anchor: string; readonly html: string }[];
  readonly searchIndex: string; // JavaScript
  /** The same entries as data, for the site over every package of a run (hub.ts). */
  readonly searchEntries: readonly SearchEntry[];
}

/** One search hit: name, kind, page (relative to the docs folder), summary, and the words searched. */
export interface SearchEntry {
  readonly n: string;
  readonly k: string;
  readonly u: string;
  readonly s: string;
  readonly t: string;
}

// markdown-it's CommonJS build is one file; its ES module build is ~60, and loading those took ~90 ms of a ~0.5 s
// generate (bench/generate.mjs). Same code, same output.
const MarkdownIt = createRequire(import.meta.url)('markdown-it') as typeof MarkdownItType;
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Site-relative links for the names kernel-doc refers to. */
type Linker = (kind: 'struct' | 'union' | 'enum' | 'ioctl', name: string) => string | null;

function markdownHtml(text: string, link: Linker): string {
  if (!text.trim()) return '';
  const lines = kernelDocToMarkdown(text);
  let inCode = false;
  const linked = lines.map((l) => {
    if (l.startsWith('```')) inCode = !inCode;
    if (inCode) return l;
    // kernel-doc cross references: &struct name, &enum name, ioctl(NAME); %CONST and @param as code.
    return l
      .replace(/&(struct|union|enum)\s+([A-Za-z_]\w*)/g, (m, kind: 'struct' | 'union' | 'enum', name: string) => {
        const href = link(kind, name);
        return href ? `[${kind} ${name}](${href})` : `\`${kind} ${name}\``;
      })
      .replace(/\bioctl\(([A-Z_][A-Z0-9_]*)\)/g, (m, name: string) => {
        const href = link('ioctl', name);
        return href ? `[${name}](${href})` : `\`${name}\``;
      })
      .replace(/%([A-Za-z_]\w*)/g, '`$1`');
  });
  return md.render(linked.join('\n')).trim();
}

function hex(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

/** First version each key appears in: versions oldest first. */
function firstSeen(models: readonly VersionedModel[], keys: (m: AnnotatedModel) => Iterable<string>): Map<string, string> {
  const since = new Map<string, string>();
  for (const { version, model } of models) for (const k of keys(model)) if (!since.has(k)) since.set(k, version);
  return since;
}

/** Leaf members of a record, anonymous members hoisted: `struct.field` keys for "since". */
function leafFields(r: RecordDef): { f: Field; offset: number; inUnion: boolean }[] {
  return directMembers(r).map((v) => ({ f: v.field, offset: v.offset, inUnion: v.inUnion }));
}

function cDefinition(r: RecordDef, indent = ''): string {
  const lines = [`${indent}${r.kind}${r.name ? ` ${r.name}` : ''} {`];
  for (const f of r.fields) {
    const inner = `${indent}    `;
    if (f.type.kind === 'record' && f.type.record.name === null) {
      const body = cDefinition(f.type.record, inner);
      lines.push(`${body.slice(0, -1)}${f.name ? ` ${f.name}` : ''};`);
      continue;
    }
    const bits = f.bitField ? ` : ${f.bitField.bitWidth}` : '';
    const m = /^(.*?)((?:\[\d*\])+)$/.exec(f.spelling);
    const decl = m ? `${m[1]} ${f.name ?? ''}${m[2]}` : `${f.spelling} ${f.name ?? ''}`;
    lines.push(`${inner}${decl.trimEnd()}${bits};`);
  }
  lines.push(`${indent}}${r.packed ? ' __attribute__((packed))' : ''};`);
  return lines.join('\n');
}

function typeNote(t: CType): string {
  return t.kind === 'pointer' ? `pointer to ${t.to}` : '';
}

const ROW = 8;
const CELL = 84;
const LABEL = 44;
const HEIGHT = 34;

/** One row per 8 bytes; each member a box, padding hatched. Built from the model's offsets and sizes. */
function layoutSvg(r: RecordDef, title: string): string {
  const hatch = `hatch-${(r.name ?? r.path).replace(/[^A-Za-z0-9_]/g, '_')}`; // ids are unique within a page
  const leaves = leafFields(r)
    .filter((l) => l.f.size > 0)
    .map((l) => ({ start: l.offset, end: l.offset + l.f.size, name: l.f.name! + (l.f.bitField ? `:${l.f.bitField.bitWidth}` : '') }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const blocks: { start: number; end: number; names: string[]; pad: boolean }[] = [];
  for (const l of leaves) {
    const last = blocks[blocks.length - 1];
    if (last && l.start < last.end) {
      last.end = Math.max(last.end, l.end);
      if (!last.names.includes(l.name)) last.names.push(l.name);
    } else blocks.push({ start: l.start, end: l.end, names: [l.name], pad: false });
  }
  const all: typeof blocks = [];
  let at = 0;
  for (const b of blocks) {
    if (b.start > at) all.push({ start: at, end: b.start, names: ['padding'], pad: true });
    all.push(b);
    at = b.end;
  }
  if (r.size > at) all.push({ start: at, end: r.size, names: ['padding'], pad: true });
  const rows = Math.max(1, Math.ceil(r.size / ROW));
  const width = LABEL + ROW * CELL + 2;
  const height = 20 + rows * HEIGHT + 2;
  const out: string[] = [];
  out.push(`<svg class="layout" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`);
  out.push(`<title>${escapeHtml(title)}</title>`);
  out.push(`<defs><pattern id="${hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eee"/><line x1="0" y1="0" x2="0" y2="6" stroke="#bbb" stroke-width="2"/></pattern></defs>`);
  for (let c = 0; c < ROW; c++) out.push(`<text class="byte" x="${LABEL + c * CELL + CELL / 2}" y="13" text-anchor="middle">+${c}</text>`);
  for (let row = 0; row < rows; row++) out.push(`<text class="off" x="${LABEL - 6}" y="${20 + row * HEIGHT + HEIGHT / 2 + 4}" text-anchor="end">${row * ROW}</text>`);
  const palette = ['#cfe2ff', '#d1f0d8', '#ffe5b4', '#f3d1f0', '#d7f0f7', '#fbe0d0'];
  let colour = 0;
  for (const b of all) {
    const fill = b.pad ? `url(#${hatch})` : palette[colour++ % palette.length]!;
    const label = b.names.join(' | ');
    const tip = `${b.pad ? 'padding' : label}: offset ${b.start}, ${b.end - b.start} byte${b.end - b.start === 1 ? '' : 's'}`;
    for (let s = b.start; s < b.end; ) {
      const row = Math.floor(s / ROW);
      const e = Math.min(b.end, (row + 1) * ROW);
      const x = LABEL + (s % ROW) * CELL;
      const y = 20 + row * HEIGHT;
      const w = (e - s) * CELL;
      const max = Math.floor((w - 8) / 6.6);
      const text = label.length <= max ? label : max > 1 ? `${label.slice(0, max - 1)}…` : '';
      out.push(`<g class="${b.pad ? 'pad' : 'field'}"><title>${escapeHtml(tip)}</title><rect x="${x + 1}" y="${y + 1}" width="${w - 2}" height="${HEIGHT - 2}" rx="3" fill="${fill}" stroke="#667"/>` +
        (text ? `<text x="${x + w / 2}" y="${y + HEIGHT / 2 + 4}" text-anchor="middle">${escapeHtml(text)}</text>` : '') + '</g>');
      s = e;
    }
  }
  out.push('</svg>');
  return out.join('\n');
}

function exampleValue(p: PropView): string {
  if (p.tsType === 'boolean') return 'false';
  if (p.initType.includes('rt.Pointer')) return 'mem';
  if (p.tsType === 'bigint') return '0n';
  // a tuple takes exactly its length: zeros of its element type
  if (p.tsType.startsWith('[')) return `[${p.tsType.slice(1, -1).split(', ').map((e) => (e === 'bigint' ? '0n' : e === 'boolean' ? 'false' : '0')).join(', ')}]`;
  if (p.tsType.endsWith('[]')) return '[]';
  if (p.tsType === 'number') return '0';
  return '{}';
}

export function buildDocsView(model: AnnotatedModel, view: PackageView, history: readonly VersionedModel[]): DocsView {
  // Only versions up to the package's own count; the package's own model is the last one.
  const own = view.kernel;
  const older = own ? history.filter((h) => compareVersions(h.version, own) <= 0) : [];
  const models: VersionedModel[] = older.length > 0 ? older : [];
  const versions = models.map((m) => m.version);
  const sinceIoctl = firstSeen(models, (m) => m.ioctls.map((i) => i.name));
  const sinceRecord = firstSeen(models, (m) => m.records.map((r) => `${r.kind} ${r.name}`));
  const sinceField = firstSeen(models, (m) => m.records.flatMap((r) => leafFields(r).map((l) => `${r.name}.${l.f.name}`)));
  const sinceEnum = firstSeen(models, (m) => m.enums.filter((e) => e.name).map((e) => `enum ${e.name}`));
  const sinceValue = firstSeen(models, (m) => [...m.enums.flatMap((e) => e.values.map((v) => v.name)), ...m.constants.map((c) => c.name)]);
  const since = (map: Map<string, string>, key: string) => (versions.length > 0 ? map.get(key) ?? null : null);

  const kernelPage = model.docsUrl;
  const ioctlFile = (name: string) => `ioctl-${name.toLowerCase()}.html`;
  const ioctlNames = new Set(model.ioctls.map((i) => i.name));
  const recordNames = new Set(model.records.map((r) => r.name));
  const enumNames = new Set(model.enums.map((e) => e.name).filter((n): n is string => n !== null));
  const link: Linker = (kind, name) => {
    if (kind === 'ioctl') return ioctlNames.has(name) ? ioctlFile(name) : null;
    if (kind === 'enum') return enumNames.has(name) ? `enums.html#c.${name}` : null;
    return recordNames.has(name) ? `structs.html#c.${name}` : null;
  };
  const render = (t: string) => markdownHtml(t, link);

  const recordViews = new Map(view.records.map((r) => [r.cName, r]));
  const usedBy = (r: RecordDef) => model.ioctls.filter((i) => argumentRecord(i) === r).map((i) => ({ name: i.name, href: ioctlFile(i.name) }));

  const structSection = (r: RecordDef): StructSection => {
    const cName = `${r.kind} ${r.name}`;
    const rv = recordViews.get(cName);
    const props = new Map((rv?.props ?? []).map((p) => [p.name, p]));
    const rows: MemberRow[] = [];
    let at = 0;
    const leaves = leafFields(r).sort((a, b) => a.offset - b.offset);
    for (const { f, offset, inUnion } of leaves) {
      if (offset > at) rows.push(padRow(at, offset - at));
      const name = f.name!;
      const t = f.type;
      const refName = t.kind === 'record' ? t.record.name : t.kind === 'array' && t.element.kind === 'record' ? t.element.record.name : null;
      const note = [inUnion ? 'union member' : '', f.type.kind === 'array' && f.type.length === null ? 'flexible array: elements follow the struct' : '', typeNote(t),
        refName && recordNames.has(refName) ? '' : ''].filter((s) => s !== '').join('; ');
      rows.push({
        name,
        id: `c.${r.name}.${name}`,
        offset,
        size: f.size,
        bits: f.bitField ? `bits ${f.bitField.bitOffset}..${f.bitField.bitOffset + f.bitField.bitWidth - 1}` : null,
        cType: f.spelling,
        tsType: props.get(name)?.tsType ?? '',
        html: render(f.doc ?? ''),
        since: since(sinceField, `${r.name}.${name}`),
        padding: false,
        note: note || null,
        related: relatedRow(model.related.get(f), render),
      });
      at = Math.max(at, offset + f.size);
    }
    if (r.size > at) rows.push(padRow(at, r.size - at));
    return {
      cName,
      anchor: `c.${r.name}`,
      tsName: rv?.tsName ?? '',
      size: r.size,
      align: r.align,
      since: since(sinceRecord, cName),
      summaryHtml: render(/^\s*ioctl\(\w+\)\s*$/.test(r.doc?.summary ?? '') ? '' : r.doc?.summary ?? ''), // `ioctl(NAME)`: said by 'Argument of'
      descriptionHtml: render(r.doc?.description ?? ''),
      definition: cDefinition(r),
      members: rows,
      svg: layoutSvg(r, `Byte layout of ${cName} (${r.size} bytes)`),
      kernelUrl: kernelPage && r.doc ? `${kernelPage}#c.${r.name}` : null,
      ioctls: usedBy(r),
      source: `${publicHeaderPath(r.loc.file)}:${r.loc.line}`,
      targets: null,
    };
  };

  const structs = model.records.filter((r) => r.name !== null).map(structSection);
  const structByName = new Map(structs.map((s) => [s.cName, s]));
  const methods = new Map(view.device.methods.map((m) => [m.name, m]));
  const general = model.errnos.map((e) => ({ code: e.name, html: render(e.text) }));

  const ioctls: IoctlPage[] = model.ioctls.map((io: AnnotatedIoctl, i, list) => {
    const m = methods.get(io.name)!;
    const record = argumentRecord(io);
    const arg = record && record.name ? structByName.get(`${record.kind} ${record.name}`) ?? null : null;
    const rv = arg ? recordViews.get(arg.cName) : undefined;
    const all = (rv?.props ?? []).filter((p) => p.init && p.name !== m.sizeField);
    // Lengths and counts of a buffer given as `mem` are filled from it by the runtime: leave them out.
    const filled = new Set(m.fills.filter((f) => all.some((p) => p.name === f.ptrName && exampleValue(p) === 'mem')).map((f) => f.sizeName));
    const inputs = all.filter((p) => !filled.has(p.name));
    const usesMem = inputs.some((p) => exampleValue(p) === 'mem');
    const cls = view.device.classes[0]!.className; // the one opened: the handles an ioctl needs come from it
    const example = [
      `import { ${cls}${usesMem ? ', Memory' : ''}, IoctlError } from '${view.name}';`,
      '',
      ...view.device.obtain.get(io.name)!,
      ...(usesMem ? ['using mem = Memory.map(4096); // memory the kernel may read, write or pin'] : []),
      'try {',
      inputs.length > 0
        ? `  const out = dev.${m.method}({\n${inputs.map((p) => `    ${p.name}: ${exampleValue(p)}, // ${p.initType.replace('rt.Pointer', 'Uint8Array | Memory')}`).join('\n')}\n  });${filled.size > 0 ? ` // ${[...filled].join(', ')}: filled from mem` : ''}`
        : `  const out = dev.${m.method}(${m.argTs ? '{}' : exampleArgument(m)});`,
      '  console.log(out);',
      '} catch (e) {',
      '  if (e instanceof IoctlError) console.error(e.code, e.meaning);',
      '  else throw e;',
      '}',
    ].join('\n');
    return {
      name: io.name,
      file: ioctlFile(io.name),
      anchor: `c.${io.name}`,
      since: since(sinceIoctl, io.name),
      summaryHtml: render(ioctlSummary(io)),
      request: hex(io.request),
      requests: null,
      dir: io.dir,
      type: `0x${io.type.toString(16)}`,
      nr: io.nr,
      size: io.size,
      method: m.method,
      tryMethod: m.tryMethod,
      prepareMethod: m.argTs ? m.prepareMethod : null,
      extraHtml: flexOrCapsHtml(m, render),
      struct: arg,
      memoryArg: inMemoryArg(m, io.size),
      errors: io.errors.map((e) => ({ code: e.name, html: render(e.text) })),
      general,
      example,
      source: `${publicHeaderPath(io.loc.file)}:${io.loc.line}`,
      prev: i > 0 ? { name: list[i - 1]!.name, href: ioctlFile(list[i - 1]!.name) } : null,
      next: i < list.length - 1 ? { name: list[i + 1]!.name, href: ioctlFile(list[i + 1]!.name) } : null,
    };
  });

  let anon = 0;
  const enums: EnumSection[] = model.enums.map((e: EnumType) => {
    const values = e.values;
    const flags = values.length > 0 && values.every((v) => v.value > 0n && (v.value & (v.value - 1n)) === 0n);
    const cName = e.name ? `enum ${e.name}` : 'anonymous enum';
    return {
      cName,
      anchor: e.name ? `c.${e.name}` : `enum-anonymous-${++anon}`,
      tsName: view.enums.find((v) => v.cName === cName)?.tsName ?? null,
      since: e.name ? since(sinceEnum, cName) : null,
      summaryHtml: render(e.doc?.summary ?? ''),
      descriptionHtml: render(e.doc?.description ?? ''),
      kernelUrl: kernelPage && e.name && e.doc ? `${kernelPage}#c.${e.name}` : null,
      flags,
      values: values.map((v) => ({
        name: v.name,
        anchor: `c.${v.name}`,
        dec: v.value.toString(),
        hex: hex(v.value),
        bit: v.value > 0n && (v.value & (v.value - 1n)) === 0n ? `bit ${v.value.toString(2).length - 1}` : '',
        html: render(v.doc ?? ''),
        since: since(sinceValue, v.name),
      })),
      source: `${publicHeaderPath(e.loc.file)}:${e.loc.line}`,
    };
  });

  const constants = model.constants.map((c) => ({ name: c.name, anchor: `c.${c.name}`, dec: c.value.toString(), hex: hex(c.value), ctype: c.ctype, since: since(sinceValue, c.name) }));
  const usedSlugs = new Set<string>();
  const sections = model.docs.map((d) => {
    let slug = `doc-${d.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
    while (usedSlugs.has(slug)) slug += '-x';
    usedSlugs.add(slug);
    return { title: d.title, anchor: slug, html: render(d.doc.description) };
  });

  // The search index: names and the words of each entry's text, as a script (fetch() of JSON fails under file://).
  const plain = (t: string) => t.replace(/\s+/g, ' ').trim();
  const entries: SearchEntry[] = [
    ...model.ioctls.map((io) => {
      const arg = argumentRecord(io);
      return { n: io.name, k: 'ioctl', u: ioctlFile(io.name), s: plain(ioctlSummary(io)), t: plain(`${arg?.doc?.description ?? ''} ${arg ? `${arg.kind} ${arg.name}` : ''}`) };
    }),
    ...model.records.filter((r) => r.name).map((r) => ({ n: `${r.kind} ${r.name}`, k: r.kind, u: `structs.html#c.${r.name}`, s: plain(r.doc?.summary ?? ''), t: plain([r.doc?.description ?? '', ...leafFields(r).map((l) => `${l.f.name} ${l.f.doc ?? ''}`)].join(' ')) })),
    ...enums.map((e, i) => ({ n: e.cName, k: 'enum', u: `enums.html#${e.anchor}`, s: plain(model.enums[i]!.doc?.summary ?? ''), t: plain(model.enums[i]!.values.map((v) => `${v.name} ${v.doc ?? ''}`).join(' ')) })),
    ...model.enums.flatMap((e) => e.values.map((v) => ({ n: v.name, k: 'enumerator', u: `enums.html#c.${v.name}`, s: plain(v.doc ?? ''), t: '' }))),
    ...model.constants.map((c) => ({ n: c.name, k: 'constant', u: `enums.html#c.${c.name}`, s: `${hex(c.value)}`, t: '' })),
    ...sections.map((s, i) => ({ n: s.title, k: 'doc', u: `sections.html#${s.anchor}`, s: '', t: plain(model.docs[i]!.doc.description) })),
  ];
  const searchIndex = `// Generated by uapi-ts: the search index of this site.\nwindow.UAPI_DOCS_INDEX = ${JSON.stringify(entries).replace(/</g, '\\u003c')};\n`;

  return {
    pkg: { name: view.name, version: view.version, header: view.header, kernel: view.kernel, fromLine: view.fromLine },
    title: basename(model.header),
    kernelPage,
    versions,
    ioctls,
    structs,
    enums,
    constants,
    sections,
    searchIndex,
    searchEntries: entries,
  };
}

/** The struct's summary, or (kernel style `ioctl(NAME)` summaries say nothing more) its description's first paragraph. */
function ioctlSummary(io: AnnotatedIoctl): string {
  const doc = argumentRecord(io)?.doc;
  if (!doc) return '';
  if (doc.summary && !/^\s*ioctl\(\w+\)\s*$/.test(doc.summary)) return doc.summary;
  return doc.description.split(/\n\s*\n/)[0] ?? '';
}

function padRow(offset: number, size: number): MemberRow {
  return { name: '', id: '', offset, size, bits: null, cType: '', tsType: '', html: '', since: null, padding: true, note: null, related: null };
}

/**
 * A related field's links: to the ioctl pages of the other package's docs, installed beside this one (packages of
 * one scope are sibling folders, in node_modules/@scope/ as in generated/).
 */
function relatedRow(r: Related | undefined, render: (markdown: string) => string): MemberRow['related'] {
  if (!r) return null;
  return {
    html: render(r.says),
    see: r.see.map((s) => ({ text: `${s.ioctl} (${s.package})`, href: `../../${s.package.split('/')[1]}/docs/ioctl-${s.ioctl.toLowerCase()}.html` })),
  };
}

/** What a method does with a flexible array or a capability chain, as HTML, or null when it has neither. */
function flexOrCapsHtml(m: MethodView, render: (markdown: string) => string): string | null {
  const text = [
    m.flex ? `Its flexible array ${m.flex.countDoc}.` : '',
    m.flex?.grow ? `\`${m.flex.grow.method}\` calls again with more room while the kernel answers ${m.flex.grow.errno}.` : '',
    m.caps ? `\`${m.caps.method}\` gives room for the capability chain after the struct and returns the capabilities decoded.` : '',
  ].filter((x) => x !== '').join(' ');
  return text === '' ? null : render(text);
}

/** What an example passes for an argument that is a scalar or an array (in memory), or '' for none. */
function exampleArgument(m: MethodView): string {
  const a = m.scalar ?? m.records;
  if (!a?.in) return '';
  const one = m.scalar ? (m.scalar.a.tsType === 'bigint' ? '0n' : m.scalar.a.bool ? 'false' : '0') : '{}';
  const count = a.count;
  if (count === null) return one;
  return count <= 4 ? `[${Array.from({ length: count }, () => one).join(', ')}]` : `Array.from({ length: ${count} }, () => ${one === '{}' ? '({})' : one})`;
}

/** The docs' line for an argument the macro names as a scalar or an array, passed in memory, or null. */
function inMemoryArg(m: MethodView, size: number): IoctlPage['memoryArg'] {
  const a = m.scalar ?? m.records;
  if (!a) return null;
  return { cType: a.cType, size, how: pageWords(a) };
}
