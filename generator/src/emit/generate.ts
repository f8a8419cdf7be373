// A package plan → the package's files, in memory: views built from the plan, rendered through the templates.
import type { Warning } from '../diagnostics.js';
import type { PackagePlan } from '../plan/plan.js';
import { buildDocsView } from './docs-view.js';
import { renderDocs, renderPackage, type RenderedFile } from './render.js';
import { ViewBuilder } from './views.js';

export interface RenderedPackage {
  readonly files: readonly RenderedFile[];
  readonly counts: { readonly records: number; readonly enums: number; readonly constants: number; readonly ioctls: number };
  readonly warnings: readonly Warning[];
}

export function renderPlan(plan: PackagePlan): RenderedPackage {
  const { config, model } = plan;
  const view = new ViewBuilder(model).build({ name: config.name, version: plan.version, kernel: config.kernel });
  const docs = buildDocsView(model, view, plan.history);
  return { files: [...renderPackage(view, plan.changelog), ...renderDocs(docs)], counts: view.counts, warnings: model.warnings };
}
