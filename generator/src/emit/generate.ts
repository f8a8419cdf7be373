// A package plan → the package's files, in memory: views built from the plan, rendered through the templates.
import type { Warning } from '../diagnostics.js';
import type { PackagePlan } from '../plan/plan.js';
import { buildDocsView, type SearchEntry } from './docs-view.js';
import { renderDocs, renderPackage, renderPartial, type RenderedFile } from './render.js';
import { withTargetNotes } from './targets-docs.js';
import { differingEnums, sameTypedViews } from './targets-types.js';
import { abiNote, layoutCheckView, layoutFiles, layoutIndexView } from './targets-view.js';
import type { LayoutGroup } from '../plan/targets.js';
import type { PackageView } from './views.js';
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
  const { config, model, layouts } = plan;
  const info = { name: config.name, version: plan.version, kernel: config.kernel };
  const views = sameTypedViews(layouts, (g, wide) => new ViewBuilder(g.model, wide).build(info));
  const view = views[0]!;
  const docs = withTargetNotes(buildDocsView(model, view, plan.history), layouts);
  const files = [...renderLayouts(config.name, layouts, views, plan.changelog), ...renderDocs(docs)];
  return { files, counts: view.counts, warnings: model.warnings, search: docs.searchEntries, header: docs.pkg.header };
}

/** The package's files: with one layout, as rendered (its index checks the host); else each layout's and an index. */
function renderLayouts(name: string, layouts: readonly LayoutGroup[], views: readonly PackageView[], changelog: PackagePlan['changelog']): RenderedFile[] {
  const abi = (g: LayoutGroup, check: boolean) => ({ note: abiNote(g), bigEndian: g.targets[0]!.endian === 'big', check: check ? layoutCheckView(name, layouts) : null });
  if (layouts.length === 1) return renderPackage(views[0]!, changelog, abi(layouts[0]!, true));
  const rendered = layouts.map((g, i) => renderPackage(views[i]!, changelog, abi(g, false)));
  const index = renderPartial('layout_index', { ...layoutIndexView(name, layouts, rendered, differingEnums(views)), pkg: views[0]! });
  return layoutFiles(rendered, layouts, index);
}
