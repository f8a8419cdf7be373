// The Handlebars templates of templates/, compiled. `npm run build` precompiles them into generator/dist/templates.cjs
// (precompile.ts), which needs only Handlebars' small runtime: compiling them on every run took ~100 ms of a
// ~0.5 s generate (bench/generate/). The precompiled set is used only while it matches templates/ byte for
// byte; after an edit (no rebuild yet) they are compiled here, with the full compiler, as before.
import type HandlebarsFull from 'handlebars';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
export const PRECOMPILED = fileURLToPath(new URL('../templates.cjs', import.meta.url));

// CommonJS, loaded synchronously: rendering is synchronous, and both Handlebars builds are CommonJS.
const require = createRequire(import.meta.url);
type Runtime = typeof HandlebarsFull;
export type Template = (context: unknown) => string;

/**
 * The two engines: `package` renders TypeScript and other text (no HTML escaping), `docs` renders HTML (escaped).
 * Partials are compiled with the options of the engine that uses them, as Handlebars does for string partials.
 */
export type EngineKind = 'package' | 'docs';
export const COMPILE_OPTIONS: Readonly<Record<EngineKind, { noEscape?: boolean; strict: boolean }>> = {
  package: { noEscape: true, strict: true },
  docs: { strict: true },
};

/** Which template files each engine compiles (paths relative to templates/, with '/'). */
export function engineFiles(kind: EngineKind, path: string): boolean {
  if (!path.endsWith('.hbs')) return false;
  if (path.startsWith('partials/')) return kind === 'docs' ? path.startsWith('partials/docs/') : !path.startsWith('partials/docs/');
  return kind === 'package' ? path.startsWith('package/') : path.startsWith('docs/');
}

/** Every file under templates/, as '/'-separated relative paths, sorted. */
export function listTemplateFiles(dir = TEMPLATES): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(TEMPLATES, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

// Templates do not change during a run: the listing and each file are read once per process.
let listing: string[] | undefined;
const texts = new Map<string, string>();

/** listTemplateFiles(), once per process. */
export function templateFiles(): readonly string[] {
  listing ??= listTemplateFiles();
  return listing;
}

export function readTemplate(path: string): string {
  let text = texts.get(path);
  if (text === undefined) {
    text = readFileSync(join(TEMPLATES, path), 'utf8');
    texts.set(path, text);
  }
  return text;
}

/** The shape of generator/dist/templates.cjs. */
export interface Precompiled {
  /** Source text of every .hbs file the specs were made from. */
  readonly sources: Readonly<Record<string, string>>;
  /** Handlebars template specs per engine and path. */
  readonly specs: Readonly<Record<EngineKind, Readonly<Record<string, unknown>>>>;
}

export interface Engine {
  /** The compiled template at `path` (relative to templates/). */
  template(path: string): Template;
}

/** The longest line of generated code: longer statements are wrapped, as a formatter would (the `fits` helper). */
export const MAX_LINE = 120;

interface BlockOptions {
  fn(context: unknown): string;
  inverse(context: unknown): string;
}

function registerHelpers(hb: Runtime): void {
  hb.registerHelper('pascal', (s: unknown) => String(s).charAt(0).toUpperCase() + String(s).slice(1));
  hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('list', (...args: unknown[]) => args.slice(0, -1));
  // Comment lines wrapped to fit a `// ` or ` * ` comment line indented by `indent` (a number; 0 when omitted).
  hb.registerHelper('wrap', (lines: unknown, ...rest: unknown[]) => {
    const indent = typeof rest[0] === 'number' ? rest[0] : 0;
    return wrapProse(Array.isArray(lines) ? (lines as string[]) : [], MAX_LINE - indent - 3);
  });
  // `{{#fits}}one line{{else}}the same, wrapped{{/fits}}`: the first form when none of its lines is longer than
  // MAX_LINE, else the second. Templates write both forms; this only measures. `{{#fits n}}`: in a partial whose
  // output the includer indents by n more columns.
  hb.registerHelper('fits', function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as BlockOptions;
    const room = MAX_LINE - (typeof args[0] === 'number' ? args[0] : 0);
    const text = options.fn(this);
    return text.split('\n').every((line) => line.length <= room) ? text : options.inverse(this);
  });
  // Doc comment lines followed by one more paragraph; an empty list gives just the paragraph.
  hb.registerHelper('lines', (doc: unknown, last: unknown) => {
    const lines = Array.isArray(doc) ? (doc as string[]) : [];
    return lines.length > 0 ? [...lines, '', String(last)] : [String(last)];
  });
  // A single-quoted TypeScript string literal of `s`.
  hb.registerHelper('quote', (s: unknown) => quote(String(s)));
  // `s` as string literals to be joined with ` +`, each line (indented by `indent`, then ` +` or `,`) within
  // MAX_LINE; split after a space. One literal when it fits.
  hb.registerHelper('quotePieces', (s: unknown, indent: unknown) =>
    quotePieces(String(s), MAX_LINE - (typeof indent === 'number' ? indent : 0) - 2),
  );
  // `{{#tsdoc 2}}prose{{/tsdoc}}`: the prose (paragraphs separated by a blank line; the template's line breaks are
  // spaces) as a TSDoc comment indented by the number given: on one line when it fits, else wrapped at MAX_LINE.
  hb.registerHelper('tsdoc', function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as BlockOptions;
    const pad = ' '.repeat(typeof args[0] === 'number' ? args[0] : 0);
    const lines = paragraphsOf(options.fn(this));
    const one = `${pad}/** ${lines[0] ?? ''} */`;
    if (lines.length === 1 && one.length <= MAX_LINE) return `${one}\n`;
    const body = wrapProse(lines, MAX_LINE - pad.length - 3);
    return [`${pad}/**`, ...body.map((l) => (l === '' ? `${pad} *` : `${pad} * ${l}`)), `${pad} */`, ''].join('\n');
  });
  // `{{#linecomment}}prose{{/linecomment}}`: the prose as `// ` lines wrapped at MAX_LINE, paragraphs kept.
  hb.registerHelper('linecomment', function (this: unknown, options: BlockOptions) {
    const body = wrapProse(paragraphsOf(options.fn(this)), MAX_LINE - 3);
    return body.map((l) => (l === '' ? '//\n' : `// ${l}\n`)).join('');
  });
  hb.registerHelper('comment', (lines: unknown, indent: unknown) => {
    const pad = ' '.repeat(typeof indent === 'number' ? indent : 0);
    const list = Array.isArray(lines) ? (lines as string[]) : [];
    if (list.length === 0) return '';
    const body = wrapProse(list, MAX_LINE - pad.length - 3);
    return [`${pad}/**`, ...body.map((l) => (l === '' ? `${pad} *` : `${pad} * ${l}`)), `${pad} */`].join('\n');
  });
}

/** Prose as written in a template: one line per paragraph, '' between paragraphs (a blank line in the template). */
function paragraphsOf(text: string): string[] {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' '))
    .filter((p) => p !== '');
  return paragraphs.flatMap((p, i) => (i === 0 ? [p] : ['', p]));
}

/** A single-quoted TypeScript string literal: `\`, `'`, and control and line-separator characters escaped. */
export function quote(s: string): string {
  const escaped = s.replace(/[\\'\u0000-\u001f\u2028\u2029]/g, (c) => {
    if (c === '\\' || c === "'") return `\\${c}`;
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `'${escaped}'`;
}

/**
 * `s` as string literals (quoted) whose concatenation is `s`, each at most `width` characters: cut after the last
 * space that keeps the literal within `width` (a word longer than that stays whole).
 */
export function quotePieces(s: string, width: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (quote(rest).length > width) {
    let cut = -1;
    for (let i = rest.indexOf(' '); i >= 0; i = rest.indexOf(' ', i + 1)) {
      if (quote(rest.slice(0, i + 1)).length > width) break;
      cut = i + 1;
    }
    if (cut <= 0) cut = rest.indexOf(' ') + 1; // a word longer than the width: cut after it
    if (cut <= 0 || cut === rest.length) break;
    out.push(quote(rest.slice(0, cut)));
    rest = rest.slice(cut);
  }
  out.push(quote(rest));
  return out;
}

/**
 * Comment lines wrapped at spaces to at most `width` characters, as a writer would; lines of a code fence
 * (```) are kept as they are, and so is a word longer than `width`.
 */
export function wrapProse(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of lines) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced || line.startsWith('```') || line.length <= width) {
      out.push(line);
      continue;
    }
    const indent = /^\s*(?:[-*] |\d+\. )?/.exec(line)![0].length;
    let rest = line;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(' ', width);
      if (cut <= indent) break;
      out.push(rest.slice(0, cut).trimEnd());
      rest = ' '.repeat(indent) + rest.slice(cut + 1).trimStart();
    }
    out.push(rest);
  }
  return out;
}

let precompiled: Precompiled | null | undefined;

/** The precompiled set if it was made from exactly the templates now in templates/, else null. Checked once. */
function precompiledIfCurrent(files: readonly string[]): Precompiled | null {
  if (precompiled === undefined) precompiled = currentPrecompiled(files); // not ??=: null (stale) is an answer too
  return precompiled;
}

function currentPrecompiled(files: readonly string[]): Precompiled | null {
  if (!existsSync(PRECOMPILED)) return null;
  const pre = require(PRECOMPILED) as Precompiled;
  const hbs = files.filter((f) => f.endsWith('.hbs'));
  if (hbs.length !== Object.keys(pre.sources).length) return null;
  for (const f of hbs) if (pre.sources[f] !== readTemplate(f)) return null;
  return pre;
}

const engines = new Map<EngineKind, Engine>();

/** The engine of `kind`, with every partial registered. Built once per process. */
export function engine(kind: EngineKind): Engine {
  let e = engines.get(kind);
  if (!e) {
    e = makeEngine(kind);
    engines.set(kind, e);
  }
  return e;
}

function makeEngine(kind: EngineKind): Engine {
  const all = templateFiles();
  const files = all.filter((f) => engineFiles(kind, f));
  const pre = precompiledIfCurrent(all);
  let hb: Runtime;
  let compile: (path: string) => Template;
  if (pre) {
    hb = (require('handlebars/runtime') as Runtime).create();
    const specs = pre.specs[kind];
    compile = (path) => {
      const spec = specs[path];
      if (!spec) throw new Error(`no precompiled template ${path}`);
      return hb.template(spec as never) as Template;
    };
  } else {
    const full = (require('handlebars') as Runtime).create();
    hb = full;
    compile = (path) => full.compile(readTemplate(path), COMPILE_OPTIONS[kind]) as Template;
  }
  registerHelpers(hb);
  const compiled = new Map<string, Template>();
  for (const f of files) {
    const t = compile(f);
    compiled.set(f, t);
    if (f.startsWith('partials/')) hb.registerPartial(f.slice('partials/'.length, -'.hbs'.length), t as never);
  }
  return {
    template(path: string): Template {
      const t = compiled.get(path);
      if (!t) throw new Error(`no template templates/${path}`);
      return t;
    },
  };
}
