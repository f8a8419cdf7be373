// Release of a series package: the package version follows the diff between consecutive held versions of its
// header (breaking or source-breaking → major, other ABI changes → minor, documentation only → patch, nothing →
// unchanged), and its CHANGELOG has one section per held version, newest first. Checked on the real history of
// iommufd.h (the bump kinds derived from diffModels' classification, verified against gcc in test/diff) and on
// synthetic series in a temporary headers/ folder, through the command line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../generator/src/config.js';
import { diffModels, versionBump } from '../../generator/src/diff/diff.js';
import { diffDocs } from '../../generator/src/diff/docs.js';
import { formatMarkdown } from '../../generator/src/diff/format.js';
import { loadModel } from '../../generator/src/load.js';
import { bumpVersion, releaseSteps } from '../../generator/src/plan/release.js';
import { ROOT } from '../conformance/cprogram.js';
import { widgetHeader, type WidgetOptions } from './widget.js';

const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-release-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `## 1.2.0: Linux 6.12` headings of a CHANGELOG, in order. */
const headings = (md: string) => md.split('\n').filter((l) => l.startsWith('## '));

describe('bumpVersion and versionBump', () => {
  it.each([
    ['major', '2.0.0'], ['minor', '1.3.0'], ['patch', '1.2.4'], ['none', '1.2.3'],
  ] as const)('1.2.3 + %s → %s', (bump, to) => {
    expect(bumpVersion('1.2.3', bump)).toBe(to);
  });

  it('documentation changes alone make a patch; ABI changes outrank them', () => {
    expect(versionBump([], true)).toBe('patch');
    expect(versionBump([], false)).toBe('none');
  });
});

describe('release: the real history of iommufd.h', () => {
  const config = readConfig(join(ROOT, 'uapi-ts.config.json'));
  const pkg = config.find((p) => p.name === '@uapi-ts/iommufd')!;
  const models = pkg.series!.versions.map((v) => ({
    version: v.version,
    model: loadModel(join(ROOT, v.header), { includeDirs: [join(ROOT, v.folder)], profileFile: join(ROOT, pkg.profile!) }),
  }));

  it('the series holds every version in headers/ and is built from the newest', () => {
    expect(pkg.series!.versions.map((v) => v.version)).toEqual(['6.6-rc1', '6.12', '7.3']);
    expect(pkg.header).toBe('headers/v7.3/linux/iommufd.h');
    expect(pkg.includeDirs).toEqual(['headers/v7.3']);
    expect(pkg.kernel).toBe('7.3');
  });

  // The expected version, stepped by hand from what diffModels says about each pair of versions.
  const expected: { kernel: string; version: string; kind: string }[] = [];
  for (const [i, { version, model }] of models.entries()) {
    if (i === 0) {
      expected.push({ kernel: version, version: pkg.series!.firstVersion, kind: 'initial' });
      continue;
    }
    const changes = diffModels(models[i - 1]!.model, model);
    const kind = changes.some((c) => c.breaking || c.sourceBreaking) ? 'major'
      : changes.length > 0 ? 'minor'
        : diffDocs(models[i - 1]!.model, model).length > 0 ? 'patch' : 'none';
    const [x, y, z] = expected[i - 1]!.version.split('.').map(Number) as [number, number, number];
    const next = kind === 'major' ? `${x + 1}.0.0` : kind === 'minor' ? `${x}.${y + 1}.0` : kind === 'patch' ? `${x}.${y}.${z + 1}` : `${x}.${y}.${z}`;
    expected.push({ kernel: version, version: next, kind });
  }

  it('steps the version as the diffs say', () => {
    expect(releaseSteps(models, pkg.series!.firstVersion).map((s) => ({ kernel: s.kernel, version: s.version, kind: s.bump }))).toEqual(expected);
    // 6.6-rc1 → 6.12 adds much; it breaks no binary, but __reserved's type changes in the decoded interface
    const first = diffModels(models[0]!.model, models[1]!.model);
    expect(first.some((c) => c.breaking)).toBe(false);
    expect(first.some((c) => c.sourceBreaking)).toBe(expected[1]!.kind === 'major');
  });

  it('the generated package carries the derived version and a CHANGELOG section per held version, newest first', () => {
    const json = JSON.parse(readFileSync(join(ROOT, pkg.out, 'package.json'), 'utf8'));
    expect(json.version).toBe(expected.at(-1)!.version);
    expect(json['uapi-ts']).toEqual({ header: 'headers/v7.3/linux/iommufd.h', kernel: '7.3' });
    const changelog = readFileSync(join(ROOT, pkg.out, 'CHANGELOG.md'), 'utf8');
    expect(headings(changelog)).toEqual([...expected].reverse().map((e) => `## ${e.version}: Linux ${e.kernel}`));
    expect(changelog).toContain('Initial version from Linux 6.6-rc1.');
    for (let i = 1; i < models.length; i++) {
      const md = formatMarkdown(diffModels(models[i - 1]!.model, models[i]!.model), { header: 'linux/iommufd.h', from: models[i - 1]!.version, to: models[i]!.version });
      expect(changelog).toContain(md.trim());
    }
  });

  it('pinned packages keep their configured version and get a CHANGELOG that says so', () => {
    for (const p of config.filter((c) => !c.series)) {
      expect(JSON.parse(readFileSync(join(ROOT, p.out, 'package.json'), 'utf8')).version).toBe(p.version);
      expect(readFileSync(join(ROOT, p.out, 'CHANGELOG.md'), 'utf8')).toContain('uapi-ts keeps no history for it');
    }
  });
});

describe('release: synthetic series through `uapi-ts generate`', () => {
  let n = 0;
  /** A repository folder holding headers/v<k>/linux/widget.h for each version, and a config with one series. */
  function series(versions: Record<string, WidgetOptions>, firstVersion?: string): string {
    const dir = join(tmp, `repo${n++}`);
    for (const [v, o] of Object.entries(versions)) {
      mkdirSync(join(dir, 'headers', `v${v}`, 'linux'), { recursive: true });
      writeFileSync(join(dir, 'headers', `v${v}`, 'linux', 'widget.h'), widgetHeader(o));
    }
    const entry = { name: '@test/widget', header: 'linux/widget.h', out: 'out/widget', version: 'auto', ...(firstVersion ? { firstVersion } : {}) };
    writeFileSync(join(dir, 'uapi-ts.config.json'), JSON.stringify({ packages: [entry] }));
    const r = spawnSync(process.execPath, [join(ROOT, 'generator/bin/uapi-ts.js'), 'generate', '--quiet'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return dir;
  }
  const version = (dir: string) => JSON.parse(readFileSync(join(dir, 'out/widget/package.json'), 'utf8')).version as string;
  const changelog = (dir: string) => readFileSync(join(dir, 'out/widget/CHANGELOG.md'), 'utf8');

  it.each([
    ['identical → unchanged', { stat: true }, '1.0.0'],
    ['documentation only → patch', { summary: 'Set up a widget' }, '1.0.1'],
    ['an addition → minor', { reset: true }, '1.1.0'],
    ['a breaking change → major', { stat: false }, '2.0.0'],
  ] as const)('%s', (_, next, want) => {
    const dir = series({ '1.0': {}, '1.1': next });
    expect(version(dir)).toBe(want);
    expect(headings(changelog(dir))).toEqual([`## ${want}: Linux 1.1`, '## 1.0.0: Linux 1.0']);
  });

  it('steps through a longer series, from firstVersion, and writes what changed', () => {
    const dir = series({
      '1.0': {},
      '1.1': {},
      '1.2': { flagsDoc: 'Must be zero' },
      '1.3': { flagsDoc: 'Must be zero', reset: true },
      '1.10': { flagsDoc: 'Must be zero', reset: true, stat: false },
    }, '0.3.0');
    expect(version(dir)).toBe('1.0.0');
    const md = changelog(dir);
    expect(headings(md)).toEqual(['## 1.0.0: Linux 1.10', '## 0.4.0: Linux 1.3', '## 0.3.1: Linux 1.2', '## 0.3.0: Linux 1.1', '## 0.3.0: Linux 1.0']);
    expect(md).toContain('ioctl `WIDGET_STAT` removed');
    expect(md).toContain('ioctl `WIDGET_RESET` added');
    expect(md).toContain('- `struct widget_config`: @flags');
    expect(md).toContain('### linux/widget.h: 1.0 → 1.1\n\nNo ABI changes.');
    expect(md).toContain('Initial version from Linux 1.0.');
    // the package is built from the newest version and says so
    const pkg = JSON.parse(readFileSync(join(dir, 'out/widget/package.json'), 'utf8'));
    expect(pkg['uapi-ts']).toEqual({ header: 'headers/v1.10/linux/widget.h', kernel: '1.10' });
    // deterministic: a second run writes the same files
    const again = series({ '1.0': {}, '1.1': {}, '1.2': { flagsDoc: 'Must be zero' }, '1.3': { flagsDoc: 'Must be zero', reset: true }, '1.10': { flagsDoc: 'Must be zero', reset: true, stat: false } }, '0.3.0');
    expect(changelog(again)).toBe(md);
  });

  it('refuses bad series entries', () => {
    const dir = join(tmp, 'bad');
    mkdirSync(join(dir, 'headers/v1.0/linux'), { recursive: true });
    writeFileSync(join(dir, 'headers/v1.0/linux/widget.h'), widgetHeader());
    const generate = (entry: object) => {
      writeFileSync(join(dir, 'uapi-ts.config.json'), JSON.stringify({ packages: [{ name: 'w', out: 'o', version: 'auto', ...entry }] }));
      const r = spawnSync(process.execPath, [join(ROOT, 'generator/bin/uapi-ts.js'), 'generate', '--quiet'], { cwd: dir, encoding: 'utf8' });
      return { status: r.status, stderr: r.stderr };
    };
    expect(generate({ header: 'headers/v1.0/linux/widget.h' })).toMatchObject({ status: 2, stderr: expect.stringMatching(/path inside the version folders/) });
    expect(generate({ header: 'linux/nothing.h' })).toMatchObject({ status: 2, stderr: expect.stringMatching(/no version folder/) });
    expect(generate({ header: 'linux/widget.h', kernel: '1.0' })).toMatchObject({ status: 2, stderr: expect.stringMatching(/drop 'kernel'/) });
    expect(generate({ header: 'linux/widget.h', firstVersion: 'one' })).toMatchObject({ status: 2, stderr: expect.stringMatching(/firstVersion/) });
    expect(generate({ header: 'linux/widget.h' })).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(readFileSync(join(dir, 'o/package.json'), 'utf8'))['uapi-ts']).toEqual({ header: 'headers/v1.0/linux/widget.h', kernel: '1.0' });
  });
});
