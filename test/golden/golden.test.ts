// Golden tests: each fixture header in fixtures/ (with fixtures/<name>.profile.json when there is one) renders to
// exactly the files in expected/<name>/.
// After an intended change to the output, run `npm run test:golden:update` and review the diff.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderOne } from '../../generator/src/generate.js';
import { DEFAULT_TARGET } from '../../generator/src/model/target.js';

const here = 'test/golden';
const update = process.env.UPDATE_GOLDEN === '1';
/** The fixtures generated for every default target (test/conformance/bytes-targets.test.ts checks their bytes). */
const MULTI_TARGET: readonly string[] = ['widget', 'wordsize'];
const fixtures = readdirSync(join(here, 'fixtures')).filter((f) => f.endsWith('.h')).sort();

describe.each(fixtures)('golden %s', (fixture) => {
  const name = fixture.replace(/\.h$/, '');
  const profile = join(here, 'fixtures', `${name}.profile.json`);
  const result = renderOne({
    name: `@golden/${name}`,
    header: join(here, 'fixtures', fixture),
    includeDirs: [],
    profile: existsSync(profile) ? profile : undefined,
    out: `unused/${name}`,
    version: '1.0.0',
    kernel: null,
    // widget and wordsize are generated for every default target (one layout per group, an index that picks); the
    // others for x86_64 alone, whose output is one layout and an index that checks the host.
    targets: MULTI_TARGET.includes(name) ? undefined : [DEFAULT_TARGET],
  });
  const expectedDir = join(here, 'expected', name);
  if (update) {
    rmSync(expectedDir, { recursive: true, force: true });
    for (const f of result.files) {
      mkdirSync(dirname(join(expectedDir, f.path)), { recursive: true });
      writeFileSync(join(expectedDir, f.path), f.text);
    }
  }
  it('renders the same set of files', () => {
    const list = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(dir, e.name)).map((p) => `${e.name}/${p}`) : [e.name]));
    expect(existsSync(expectedDir), `${expectedDir} missing: run npm run test:golden:update`).toBe(true);
    expect(result.files.map((f) => f.path).sort()).toEqual(list(expectedDir).sort());
  });
  it.each(result.files.map((f) => [f.path, f.text] as const))('%s', (path, text) => {
    expect(text).toBe(readFileSync(join(expectedDir, path), 'utf8'));
  });
});
