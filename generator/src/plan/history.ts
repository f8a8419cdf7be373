// The held versions of a package's header, each modelled: what the release plan diffs and the documentation's
// "since" marks read. Older versions are loaded once per run (several packages share them).
import type { PackageConfig } from '../config.js';
import type { AnnotatedModel } from '../conventions/annotations.js';
import { loadModel } from '../load.js';
import { headerVersions } from '../versions.js';

/** One held version of a header and its model. */
export interface VersionedModel {
  readonly version: string; // '6.12'
  readonly model: AnnotatedModel;
}

const cache = new Map<string, AnnotatedModel>();

/**
 * Every version of the package's header held in headers/ (headers/<version>/...), oldest first, each modelled with
 * that version's folder as include directory and the package's profile. The package's own version uses `own`.
 * A header outside headers/ has no history.
 */
export function headerHistory(config: PackageConfig, own: AnnotatedModel): VersionedModel[] {
  const versions = config.series?.versions ?? headerVersions(config.header);
  if (!versions.some((v) => v.header === config.header)) return [];
  return versions.map((v) => {
    if (v.header === config.header) return { version: v.version, model: own };
    const key = `${v.header}\0${config.profile ?? ''}`;
    let model = cache.get(key);
    if (!model) {
      model = loadModel(v.header, { includeDirs: [v.folder], profileFile: config.profile });
      cache.set(key, model);
    }
    return { version: v.version, model };
  });
}
