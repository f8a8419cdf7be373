// Release of a series package (config `"version": "auto"`): its version and CHANGELOG follow the diffs between
// the held versions of its header. The oldest held version is `firstVersion`; each next one bumps it as the diff
// says (versionBump: breaking → major, additions → minor, documentation only → patch, nothing → unchanged).
// Derived from the headers alone: no state is kept between runs.
import { diffModels, versionBump, type Bump, type Change } from '../diff/diff.js';
import { diffDocs, type DocChange } from '../diff/docs.js';
import { formatMarkdown } from '../diff/format.js';
import type { AnnotatedModel } from '../conventions/annotations.js';

export interface ReleaseStep {
  readonly kernel: string; // '6.12'
  readonly version: string; // the package version built from that kernel's header
  readonly bump: Bump | 'initial';
  readonly changes: readonly Change[]; // ABI changes from the previous held version
  readonly docs: readonly DocChange[]; // documentation changes from the previous held version
}

/** `1.2.3` bumped: major → 2.0.0, minor → 1.3.0, patch → 1.2.4, none → 1.2.3. */
export function bumpVersion(version: string, bump: Bump): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new Error(`not a version: ${version}`);
  const [x, y, z] = [Number(m[1]), Number(m[2]), Number(m[3])];
  switch (bump) {
    case 'major':
      return `${x + 1}.0.0`;
    case 'minor':
      return `${x}.${y + 1}.0`;
    case 'patch':
      return `${x}.${y}.${z + 1}`;
    case 'none':
      return version;
  }
}

/** One step per held version, oldest first; the last step's version is the package's. */
export function releaseSteps(history: readonly { readonly version: string; readonly model: AnnotatedModel }[], firstVersion: string): ReleaseStep[] {
  const steps: ReleaseStep[] = [];
  history.forEach((h, i) => {
    if (i === 0) {
      steps.push({ kernel: h.version, version: firstVersion, bump: 'initial', changes: [], docs: [] });
      return;
    }
    const prev = history[i - 1]!;
    const changes = diffModels(prev.model, h.model);
    const docs = diffDocs(prev.model, h.model);
    const bump = versionBump(changes, docs.length > 0);
    steps.push({ kernel: h.version, version: bumpVersion(steps[i - 1]!.version, bump), bump, changes, docs });
  });
  return steps;
}

export interface ChangelogSection {
  readonly version: string;
  readonly kernel: string;
  readonly bump: string; // 'initial', 'major', 'minor', 'patch', 'none'
  readonly body: string; // Markdown
}

/** CHANGELOG sections, newest first: the diff from the previous held version as Markdown. */
export function changelogSections(steps: readonly ReleaseStep[], header: string): ChangelogSection[] {
  return steps
    .map((s, i): ChangelogSection => {
      if (i === 0) return { version: s.version, kernel: s.kernel, bump: s.bump, body: `Initial version from Linux ${s.kernel}.\n` };
      let body = formatMarkdown(s.changes, { header, from: steps[i - 1]!.kernel, to: s.kernel });
      if (s.docs.length > 0) {
        body += ['', '#### Documentation changed', '', ...s.docs.map((d) => `- \`${d.name}\`: ${d.part}`), ''].join('\n');
      }
      return { version: s.version, kernel: s.kernel, bump: s.bump, body };
    })
    .reverse();
}
