// The plan of one package: everything emit needs, decided before anything is rendered. Config → the annotated
// model of the package's header and of every held version → the release (version, CHANGELOG sections, the
// versions "since" marks are taken from). Emit reads a plan and calls nothing below it.
import { PACKAGE_TARGETS, type PackageConfig } from '../config.js';
import type { Target } from '../model/target.js';
import type { AnnotatedModel } from '../conventions/annotations.js';
import { loadModel } from '../load.js';
import { layoutGroups, type LayoutGroup } from './targets.js';
import { headerHistory, type VersionedModel } from './history.js';
import { changelogSections, releaseSteps, type ChangelogSection, type ReleaseStep } from './release.js';

export interface PackagePlan {
  readonly config: PackageConfig;
  /** The model of the package's first target: what its documentation and history are made from. */
  readonly model: AnnotatedModel;
  /** The layouts the package carries: one per group of its targets that lay the header out alike, `model`'s first. */
  readonly layouts: readonly LayoutGroup[];
  /** Every held version of the header, oldest first (empty for a header outside headers/). */
  readonly history: readonly VersionedModel[];
  /** The package version to write: derived from the held versions for a series, else the configured one. */
  readonly version: string;
  /** For a series: one step per held version, oldest first; empty otherwise. */
  readonly release: readonly ReleaseStep[];
  /** For a series: the CHANGELOG sections, newest first; empty otherwise. */
  readonly changelog: readonly ChangelogSection[];
}

export function planPackage(config: PackageConfig): PackagePlan {
  const targets = config.targets ?? PACKAGE_TARGETS;
  const load = (target: Target) => loadModel(config.header, { includeDirs: config.includeDirs, profileFile: config.profile, systemIncludes: config.systemIncludes, target });
  const model = load(targets[0]!);
  const history = headerHistory(config, model);
  const release = config.series ? releaseSteps(history, config.series.firstVersion) : [];
  return {
    config,
    model,
    layouts: layoutGroups(targets, load, model),
    history,
    version: release.at(-1)?.version ?? config.version,
    release,
    changelog: config.series ? changelogSections(release, config.series.header) : [],
  };
}
