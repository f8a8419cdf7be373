// `uapi-ts generate`, stage by stage: config → plan (models, release) → render → staged output, swapped in only
// when every package rendered, so a failed run leaves the previous output as it was.
import { setImmediate } from 'node:timers/promises';
import type { PackageConfig } from './config.js';
import { renderPlan, type RenderedPackage } from './emit/generate.js';
import { StagedOutput } from './emit/write.js';
import { hubPackage, stageHub, type HubPackage } from './emit/hub.js';
import { planPackage, type PackagePlan } from './plan/plan.js';
import { checkRelated, relatedSummary, type RelatedSummary } from './plan/related.js';
import type { ReleaseStep } from './plan/release.js';

export interface GenerateResult extends RenderedPackage {
  readonly config: PackageConfig;
  /** The package version written (derived from the held versions for a series). */
  readonly version: string;
  /** For a series: one step per held version, oldest first; empty otherwise. */
  readonly release: readonly ReleaseStep[];
}

/** Plan and render one package, in memory. */
export function renderOne(config: PackageConfig): GenerateResult {
  return renderPlanned(planPackage(config));
}

function renderPlanned(plan: PackagePlan): GenerateResult {
  return { config: plan.config, version: plan.version, release: plan.release, ...renderPlan(plan) };
}

/** What generatePackages reports per package: the rendered files are on disk, not kept in memory. */
export type Generated = Omit<GenerateResult, 'files' | 'search'> & { readonly fileCount: number };

/**
 * Async only to let the event loop turn after each package, as generateTree does (its comment says why):
 * tree-sitter's syntax trees are freed from the event loop, and a synchronous run over many headers held all of
 * them to the end (563 headers: 369 MiB peak, 235 MiB with the turn).
 */
export async function generatePackages(configs: readonly PackageConfig[], progress: (line: string) => void): Promise<Generated[]> {
  const results: Generated[] = [];
  const output = new StagedOutput();
  try {
    const seen: RelatedSummary[] = [];
    const hub: HubPackage[] = [];
    for (const [i, config] of configs.entries()) {
      if (i > 0) await setImmediate(); // the previous package's trees are freed here
      const start = performance.now();
      const plan = planPackage(config);
      seen.push(relatedSummary(plan));
      const { files, search, ...r } = renderPlanned(plan);
      hub.push(hubPackage(config, { ...r, search }));
      const c = r.counts;
      const ms = Math.round(performance.now() - start);
      progress(`${config.name}${config.series ? ` ${r.version}` : ''}: ${c.records} records, ${c.enums} enums, ${c.constants} constants, ${c.ioctls} ioctls from ${config.header} (${ms} ms)`);
      output.stage(config.out, files);
      results.push({ ...r, fileCount: files.length });
    }
    // Cross-references between the packages of this run, checked before anything is written.
    checkRelated(seen);
    // One documentation site over the run's packages, beside them (generated/docs/), with one search.
    stageHub(output, hub);
  } catch (e) {
    output.discard();
    throw e;
  }
  output.commit(progress);
  return results;
}
