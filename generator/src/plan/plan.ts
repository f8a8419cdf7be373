// The plan of one package: everything emit needs, decided before anything is rendered. Config → the annotated
// model of the package's header and of every held version → the release (version, CHANGELOG sections, the
// versions "since" marks are taken from). Emit reads a plan and calls nothing below it.
import type { PackageConfig } from '../config.js';
import type { AnnotatedModel } from '../conventions/annotations.js';
import { loadModel } from '../load.js';
import { headerHistory, type VersionedModel } from './history.js';
import { changelogSections, releaseSteps, type ChangelogSection, type ReleaseStep } from './release.js';

export interface PackagePlan {
  readonly config: PackageConfig;
  readonly model: AnnotatedModel;
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
  const model = loadModel(config.header, { includeDirs: config.includeDirs, profileFile: config.profile, systemIncludes: config.systemIncludes });
  const history = headerHistory(config, model);
  const release = config.series ? releaseSteps(history, config.series.firstVersion) : [];
  return {
    config,
    model,
    history,
    version: release.at(-1)?.version ?? config.version,
    release,
    changelog: config.series ? changelogSections(release, config.series.header) : [],
  };
}
