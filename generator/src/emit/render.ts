// Handlebars set-up: the templates in templates/package render a PackageView into files.
import Handlebars from 'handlebars';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChangelogSection } from '../release.js';
import type { DocsView } from './docs-view.js';
import type { PackageView } from './views.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));

export interface RenderedFile {
  readonly path: string; // relative to the package folder
  readonly text: string;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? listFiles(full) : [full];
    });
}

function createEngine(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('pascal', (s: unknown) => String(s).charAt(0).toUpperCase() + String(s).slice(1));
  hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  // Doc comment lines followed by one more paragraph; an empty list gives just the paragraph.
  hb.registerHelper('lines', (doc: unknown, last: unknown) => {
    const lines = Array.isArray(doc) ? (doc as string[]) : [];
    return lines.length > 0 ? [...lines, '', String(last)] : [String(last)];
  });
  hb.registerHelper('comment', (lines: unknown, indent: unknown) => {
    const pad = ' '.repeat(typeof indent === 'number' ? indent : 0);
    const list = Array.isArray(lines) ? (lines as string[]) : [];
    if (list.length === 0) return '';
    return [`${pad}/**`, ...list.map((l) => (l === '' ? `${pad} *` : `${pad} * ${l}`)), `${pad} */`].join('\n');
  });
  for (const file of listFiles(join(TEMPLATES, 'partials'))) {
    const name = relative(join(TEMPLATES, 'partials'), file).replace(/\.hbs$/, '');
    hb.registerPartial(name, readFileSync(file, 'utf8'));
  }
  return hb;
}

let compiled: { hb: typeof Handlebars; files: { path: string; render: HandlebarsTemplateDelegate | null; text: string }[] } | undefined;

/**
 * Renders every file of templates/package: `*.hbs` through Handlebars, anything else copied as it is.
 * `changelog`: the CHANGELOG sections of a series package, newest first (empty for a pinned package).
 */
export function renderPackage(view: PackageView, changelog: readonly ChangelogSection[] = []): RenderedFile[] {
  if (!compiled) {
    const hb = createEngine();
    const root = join(TEMPLATES, 'package');
    compiled = {
      hb,
      files: listFiles(root).map((file) => {
        const text = readFileSync(file, 'utf8');
        const path = relative(root, file);
        return path.endsWith('.hbs')
          ? { path: path.slice(0, -4), render: hb.compile(text, { noEscape: true, strict: true }), text }
          : { path, render: null, text };
      }),
    };
  }
  const context = { ...view, pkg: view, changelog };
  return compiled.files.map((f) => ({ path: f.path, text: tidy(f.render ? f.render(context) : f.text) }));
}

let docsCompiled: { hb: typeof Handlebars; pages: Map<string, HandlebarsTemplateDelegate>; statics: { path: string; text: string }[] } | undefined;

/**
 * Renders the documentation site from templates/docs: `index`, `structs`, `enums`, `sections` and one `ioctl`
 * page per ioctl (`*.html.hbs`, HTML-escaped by Handlebars), the search index script, and the static files
 * (`static/`: CSS and JS) copied as they are. Paths are relative to the package folder (docs/...).
 */
export function renderDocs(view: DocsView): RenderedFile[] {
  if (!docsCompiled) {
    const hb = createEngine();
    const root = join(TEMPLATES, 'docs');
    const pages = new Map<string, HandlebarsTemplateDelegate>();
    for (const file of readdirSync(root).filter((f) => f.endsWith('.html.hbs')).sort()) {
      pages.set(file.slice(0, -'.html.hbs'.length), hb.compile(readFileSync(join(root, file), 'utf8'), { strict: true }));
    }
    const statics = listFiles(join(root, 'static')).map((file) => ({ path: relative(join(root, 'static'), file), text: readFileSync(file, 'utf8') }));
    docsCompiled = { hb, pages, statics };
  }
  const { pages, statics } = docsCompiled;
  const page = (name: string) => {
    const t = pages.get(name);
    if (!t) throw new Error(`no template templates/docs/${name}.html.hbs`);
    return t;
  };
  const files: RenderedFile[] = [];
  const site = { ...view, site: view };
  for (const name of ['index', 'structs', 'enums', 'sections']) files.push({ path: `docs/${name}.html`, text: page(name)({ ...site, page: name }) });
  for (const io of view.ioctls) files.push({ path: `docs/${io.file}`, text: page('ioctl')({ ...site, page: 'ioctl', io }) });
  files.push({ path: 'docs/search-index.js', text: view.searchIndex });
  for (const s of statics) files.push({ path: `docs/${s.path}`, text: s.text });
  return files.map((f) => ({ path: f.path, text: tidy(f.text) })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Deterministic text: \n line ends, no trailing spaces, no runs of blank lines, one final newline. */
function tidy(text: string): string {
  return (
    text
      .replace(/\r\n/g, '\n')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/\n*$/, '\n')
  );
}
