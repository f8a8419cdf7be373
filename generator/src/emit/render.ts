// Renders a PackageView into the package's files and a DocsView into its documentation site, through the
// compiled templates of templates/ (templates.ts).
import { readFileSync } from 'node:fs';
import type { ChangelogSection } from '../plan/release.js';
import type { DocsView } from './docs-view.js';
import { engine, templateFiles, readTemplate } from './templates.js';
import { tidy } from './tidy.js';
import type { LayoutCheckView } from './targets-view.js';
import type { PackageView } from './views.js';

export interface RenderedFile {
  readonly path: string; // relative to the package folder
  readonly text: string;
}

// A template named with this placeholder is rendered once per module of src/records/ (record-modules.ts), as
// `module`, into the file named after it.
const PER_MODULE = '[module]';

/** What the templates say of the ABI a package's modules are laid out for (emit/targets-view.ts). */
export interface AbiContext {
  /** The records modules' line on their layout: whose it is, and what checks it. */
  readonly note: string;
  /** The layout is big-endian: its records, flexible-array and capability specs say `endian: 'big'`. */
  readonly bigEndian: boolean;
  /** A package with one layout: the targets its index accepts (null: no check, or an index of its own). */
  readonly check: LayoutCheckView | null;
}

export const X86_64_ABI: AbiContext = { note: 'The layout of x86_64 (little-endian), checked against gcc.', bigEndian: false, check: null };

/**
 * Renders every file of templates/package: `*.hbs` through Handlebars, anything else copied as it is.
 * `changelog`: the CHANGELOG sections of a series package, newest first (empty for a pinned package).
 */
export function renderPackage(view: PackageView, changelog: readonly ChangelogSection[] = [], abi: AbiContext = X86_64_ABI): RenderedFile[] {
  const hb = engine('package');
  const context = { ...view, pkg: view, changelog, abi, runtime: runtimePackage(), tarball: tarballName(view.name, view.version) };
  return templateFiles()
    .filter((f) => f.startsWith('package/'))
    .flatMap((f) => {
      const path = f.slice('package/'.length);
      if (!f.endsWith('.hbs')) return [{ path, text: tidy(readTemplate(f)) }];
      const template = hb.template(f);
      if (!path.includes(PER_MODULE)) return [{ path: path.slice(0, -4), text: tidy(template(context)) }];
      return view.recordModules.map((module) => ({
        path: path.slice(0, -4).replace(PER_MODULE, module.file),
        text: tidy(template({ ...context, module })),
      }));
    });
}

/** A partial of the package engine rendered on its own into a file's text (a package index of targets-view.ts). */
export function renderPartial(name: string, context: object): string {
  return tidy(engine('package').template(`partials/${name}.hbs`)(context));
}

/** The runtime every generated package depends on, and the TypeScript that builds both (packages/runtime). */
interface RuntimePackage {
  readonly name: string;
  readonly version: string;
  readonly typescript: string;
}

let runtime: RuntimePackage | undefined;

function runtimePackage(): RuntimePackage {
  if (!runtime) {
    const json = JSON.parse(readFileSync(new URL('../../../packages/runtime/package.json', import.meta.url), 'utf8')) as {
      name: string;
      version: string;
      devDependencies: { typescript: string };
    };
    runtime = { name: json.name, version: json.version, typescript: json.devDependencies.typescript };
  }
  return runtime;
}

/** The file `npm pack` makes of a package: `@uapi-ts/foo` 1.2.0 → uapi-ts-foo-1.2.0.tgz. */
function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace(/\//g, '-')}-${version}.tgz`;
}

/**
 * Renders the documentation site from templates/docs: `index`, `structs`, `enums`, `sections` and one `ioctl`
 * page per ioctl (`*.html.hbs`, HTML-escaped by Handlebars), the search index script, and the static files
 * (`static/`: CSS and JS) copied as they are. Paths are relative to the package folder (docs/...).
 */
export function renderDocs(view: DocsView): RenderedFile[] {
  const hb = engine('docs');
  const page = (name: string) => hb.template(`docs/${name}.html.hbs`);
  const files: RenderedFile[] = [];
  const site = { ...view, site: view };
  for (const name of ['index', 'structs', 'enums', 'sections']) files.push({ path: `docs/${name}.html`, text: page(name)({ ...site, page: name }) });
  for (const io of view.ioctls) files.push({ path: `docs/${io.file}`, text: page('ioctl')({ ...site, page: 'ioctl', io }) });
  files.push({ path: 'docs/search-index.js', text: view.searchIndex });
  for (const f of templateFiles().filter((x) => x.startsWith('docs/static/'))) files.push({ path: `docs/${f.slice('docs/static/'.length)}`, text: readTemplate(f) });
  return files.map((f) => ({ path: f.path, text: tidy(f.text) })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
