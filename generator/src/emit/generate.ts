// A package plan → the package's files, in memory: views built from the plan, rendered through the templates.
import type { Warning } from '../diagnostics.js';
import type { PackagePlan } from '../plan/plan.js';
import { buildDocsView, type SearchEntry } from './docs-view.js';
import { renderDocs, renderPackage, type RenderedFile } from './render.js';
import { ViewBuilder } from './views.js';

export interface RenderedPackage {
  readonly files: readonly RenderedFile[];
  readonly counts: { readonly records: number; readonly enums: number; readonly constants: number; readonly ioctls: number };
  readonly warnings: readonly Warning[];
  /** The docs site's search entries, for the site over every package of the run. */
  readonly search: readonly SearchEntry[];
  /** The header as the package names it (its path inside its include folder). */
  readonly header: string;
}

export function renderPlan(plan: PackagePlan): RenderedPackage {
  const { config, model } = plan;
  const view = new ViewBuilder(model).build({ name: config.name, version: plan.version, kernel: config.kernel });
  const docs = buildDocsView(model, view, plan.history);
  const files = [...renderPackage(view, plan.changelog), ...renderDocs(docs)];
  return { files, counts: view.counts, warnings: model.warnings, search: docs.searchEntries, header: docs.pkg.header };
}
