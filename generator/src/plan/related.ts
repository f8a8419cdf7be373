// The profile's `related` entries name ioctls of other packages: when the package named is generated in the same
// run, the ioctl must be one of its own, so that every link the docs make lands on a page. Only names are kept of
// each package, so that a run over many headers does not hold their models.
import { HeaderError } from '../diagnostics.js';
import type { RelatedIoctl } from '../conventions/annotations.js';
import type { PackagePlan } from './plan.js';

export interface RelatedSummary {
  readonly name: string;
  readonly ioctls: ReadonlySet<string>;
  readonly see: readonly RelatedIoctl[];
}

export function relatedSummary(plan: PackagePlan): RelatedSummary {
  return {
    name: plan.config.name,
    ioctls: new Set(plan.model.ioctls.map((i) => i.name)),
    see: [...plan.model.related.values()].flatMap((r) => r.see),
  };
}

export function checkRelated(packages: readonly RelatedSummary[]): void {
  const ioctls = new Map(packages.map((p) => [p.name, p.ioctls]));
  for (const s of packages.flatMap((p) => p.see)) {
    const known = ioctls.get(s.package);
    if (known && !known.has(s.ioctl)) throw new HeaderError(s.loc, `related: ${s.package} has no ioctl ${s.ioctl}`);
  }
}
