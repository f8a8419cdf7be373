// diffDocs: which kernel-doc texts changed between two models of a header (the documentation-only releases).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffModels } from '../../generator/src/diff/diff.js';
import { diffDocs } from '../../generator/src/diff/docs.js';
import { loadModel } from '../../generator/src/load.js';
import { ROOT } from '../conformance/cprogram.js';
import { widgetHeader, type WidgetOptions } from '../release/widget.js';

const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-docs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const model = (o: WidgetOptions = {}) => {
  const file = join(tmp, `w${n++}.h`);
  writeFileSync(file, widgetHeader(o));
  return loadModel(file, { includeDirs: [] });
};
const base = model();

describe('diffDocs', () => {
  it('finds nothing between identical headers', () => {
    expect(diffDocs(base, model())).toEqual([]);
    expect(diffModels(base, model())).toEqual([]);
  });

  it.each([
    ['a record summary', { summary: 'Set up a widget' }, [{ name: 'struct widget_config', part: 'summary' }]],
    ['a member text', { flagsDoc: 'Must be zero' }, [{ name: 'struct widget_config', part: '@flags' }]],
    ['an enumerator text', { modeDoc: 'Running fast' }, [{ name: 'enum widget_mode', part: '@WIDGET_MODE_ON' }]],
    ['a DOC section text', { docSection: 'Widgets are set up with WIDGET_CONFIG.' }, [{ name: 'DOC: Widgets', part: 'description' }]],
    ['a DOC section removed', { docSection: null }, [{ name: 'DOC: Widgets', part: 'removed' }]],
  ] as const)('finds %s changed, and the ABI diff sees no change', (_, options, expected) => {
    const other = model(options);
    expect(diffDocs(base, other)).toEqual(expected);
    expect(diffModels(base, other)).toEqual([]);
  });

  it('finds a DOC section added', () => {
    expect(diffDocs(model({ docSection: null }), base)).toEqual([{ name: 'DOC: Widgets', part: 'added' }]);
  });

  it('ignores the documentation of things added or removed (the ABI diff reports those)', () => {
    expect(diffDocs(base, model({ reset: true }))).toEqual([]);
  });

  it('finds the real iommufd.h documentation changes between 6.12 and 7.3, and none against itself', () => {
    const real = (v: string) =>
      loadModel(join(ROOT, `headers/v${v}/linux/iommufd.h`), { includeDirs: [join(ROOT, `headers/v${v}`)], profileFile: join(ROOT, 'headers/iommufd.profile.json') });
    const a = real('6.12');
    expect(diffDocs(a, a)).toEqual([]);
    const changes = diffDocs(a, real('7.3'));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => /^(struct|union|enum) \w+$|^DOC: |^\w+$/.test(c.name))).toBe(true);
  });
});
