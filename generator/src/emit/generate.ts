// `uapi-ts generate`: models every configured header, renders its package, and replaces the output folders only
// when every package rendered: a failed run leaves the previous output as it was.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PackageConfig } from '../config.js';
import type { Warning } from '../diagnostics.js';
import { loadModel } from '../load.js';
import type { AnnotatedModel } from '../conventions/annotations.js';
import { changelogSections, releaseSteps, type ReleaseStep } from '../release.js';
import { headerVersions } from '../versions.js';
import { buildDocsView, type VersionedModel } from './docs-view.js';
import { renderDocs, renderPackage, type RenderedFile } from './render.js';
import { ViewBuilder } from './views.js';

export interface GenerateResult {
  readonly config: PackageConfig;
  readonly files: readonly RenderedFile[];
  readonly counts: { readonly records: number; readonly enums: number; readonly constants: number; readonly ioctls: number };
  readonly warnings: readonly Warning[];
  /** The package version written (derived from the held versions for a series). */
  readonly version: string;
  /** For a series: one step per held version, oldest first; empty otherwise. */
  readonly release: readonly ReleaseStep[];
}

/**
 * Model and render one package, in memory. A series package is built from its newest held version; its version
 * and CHANGELOG come from the diffs between consecutive held versions (release.ts).
 */
export function renderOne(config: PackageConfig): GenerateResult {
  const model = loadModel(config.header, { includeDirs: config.includeDirs, profileFile: config.profile });
  const versions = history(config, model);
  const release = config.series ? releaseSteps(versions, config.series.firstVersion) : [];
  const version = release.at(-1)?.version ?? config.version;
  const view = new ViewBuilder(model).build({ name: config.name, version, kernel: config.kernel });
  const docs = buildDocsView(model, view, versions);
  const changelog = config.series ? changelogSections(release, config.series.header) : [];
  return { config, files: [...renderPackage(view, changelog), ...renderDocs(docs)], counts: view.counts, warnings: model.warnings, version, release };
}

// Models of older versions of a header, loaded once per run (several packages share them).
const historyCache = new Map<string, AnnotatedModel>();

/**
 * Every version of the package's header held in headers/ (headers/<version>/...), each modelled with that
 * version's folder as include directory and the package's profile, for the documentation's "since" marks. The
 * package's own version uses its own model. A header outside headers/ has no history.
 */
function history(config: PackageConfig, own: AnnotatedModel): VersionedModel[] {
  const versions = config.series?.versions ?? headerVersions(config.header);
  if (!versions.some((v) => v.header === config.header)) return [];
  return versions.map((v) => {
    if (v.header === config.header) return { version: v.version, model: own };
    const key = `${v.header}\0${config.profile ?? ''}`;
    let model = historyCache.get(key);
    if (!model) {
      model = loadModel(v.header, { includeDirs: [v.folder], profileFile: config.profile });
      historyCache.set(key, model);
    }
    return { version: v.version, model };
  });
}

// Folders inside a package that are not ours to replace (build output of the package itself).
const KEEP = ['dist', 'node_modules'];

/** What generatePackages reports per package: the rendered files are on disk, not kept in memory. */
export type Generated = Omit<GenerateResult, 'files'> & { readonly fileCount: number };

export function generatePackages(configs: readonly PackageConfig[], progress: (line: string) => void): Generated[] {
  const results: Generated[] = [];
  const staged: { out: string; tmp: string }[] = [];
  try {
    // Each package is written to a staging folder as soon as it is rendered, so memory stays flat however many
    // packages one run makes; the folders are swapped in only once every package has rendered.
    for (const config of configs) {
      const start = performance.now();
      const { files, ...r } = renderOne(config);
      const c = r.counts;
      progress(`${config.name}${config.series ? ` ${r.version}` : ''}: ${c.records} records, ${c.enums} enums, ${c.constants} constants, ${c.ioctls} ioctls from ${config.header} (${Math.round(performance.now() - start)} ms)`);
      const tmp = `${config.out}.uapi-ts-new`;
      rmSync(tmp, { recursive: true, force: true });
      staged.push({ out: config.out, tmp });
      for (const f of files) {
        const path = join(tmp, f.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.text);
      }
      results.push({ ...r, fileCount: files.length });
    }
  } catch (e) {
    for (const { tmp } of staged) rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  for (const { out, tmp } of staged) {
    const old = `${out}.uapi-ts-old`;
    rmSync(old, { recursive: true, force: true });
    if (existsSync(out)) {
      for (const keep of KEEP) if (existsSync(join(out, keep))) renameSync(join(out, keep), join(tmp, keep));
      renameSync(out, old);
    }
    mkdirSync(dirname(out), { recursive: true });
    renameSync(tmp, out);
    rmSync(old, { recursive: true, force: true });
    progress(`wrote ${out}/`);
  }
  return results;
}
