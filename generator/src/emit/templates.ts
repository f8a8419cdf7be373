// The Handlebars templates of templates/, compiled. `npm run build` precompiles them into generator/dist/templates.cjs
// (precompile.ts), which needs only Handlebars' small runtime: compiling them on every run took ~100 ms of a
// ~0.5 s generate (bench/generate/). The precompiled set is used only while it matches templates/ byte for
// byte; after an edit (no rebuild yet) they are compiled here, with the full compiler, as before.
import type HandlebarsFull from 'handlebars';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELPERS } from './helpers.js';

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
// Handlebars' own block helpers (if, each, unless, with) are known without being listed.
const ONLY_OUR_HELPERS = { knownHelpersOnly: true, knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true])) };
export const COMPILE_OPTIONS: Readonly<Record<EngineKind, NonNullable<Parameters<Runtime['precompile']>[1]>>> = {
  package: { noEscape: true, strict: true, ...ONLY_OUR_HELPERS },
  docs: { strict: true, ...ONLY_OUR_HELPERS },
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
  for (const [name, helper] of Object.entries(HELPERS)) hb.registerHelper(name, helper as never);
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
