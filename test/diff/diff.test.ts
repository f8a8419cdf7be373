// `uapi-ts diff`: synthetic pairs for every kind of change (test/diff/fixtures/: base.h and one variant per kind),
// the real history of iommufd.h checked against gcc's own sizeof/offsetof of each version, and the command line
// (exit statuses, --json shape, --markdown, version resolution, usage errors).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffModels, versionBump, type Change } from '../../generator/src/diff/diff.js';
import { changesJson, formatMarkdown, formatText } from '../../generator/src/diff/format.js';
import { loadModel } from '../../generator/src/load.js';
import { modelJson } from '../../generator/src/model/json.js';
import { compileAndRun, modelFacts, parseOutput, removeRun, renderProgram, ROOT, type ModelJsonLike } from '../conformance/cprogram.js';

const FIX = join(ROOT, 'test/diff/fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-diff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['generator/bin/uapi-ts.js', ...args], { encoding: 'utf8', cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const load = (header: string, includeDirs: string[] = [], hints?: string) => loadModel(header, { includeDirs, profileFile: hints });
const short = (c: Change) => `${c.change} ${c.what} ${c.name}${c.change === 'changed' ? ` ${c.aspect}` : ''}${c.change === 'renamed' ? ` from ${c.from}` : ''}: ${c.breaking ? 'breaking' : 'compatible'}`;

// Every variant of base.h, and exactly the changes the diff must report.
const synthetic: Record<string, readonly string[]> = {
  // breaking
  'removed-ioctl': ['removed ioctl WIDGET_STAT: breaking'],
  'removed-record': ['removed record widget_event: breaking'],
  'removed-field': ['removed field widget_event.data: breaking', 'changed record widget_event size: breaking'],
  'removed-enumerator': ['removed enumerator WIDGET_MODE_AUTO: breaking'],
  'removed-constant': ['removed constant WIDGET_MAX: breaking'],
  'field-moved': ['changed field widget_range.start offset: breaking', 'changed field widget_range.last offset: breaking'],
  'resized-middle': ['changed field widget_stat.count size: breaking', 'changed field widget_stat.count type: breaking'],
  'enumerator-revalued': ['changed enumerator WIDGET_MODE_AUTO value: breaking'],
  'constant-revalued': ['changed constant WIDGET_MAX value: breaking'],
  'request-changed': ['changed ioctl WIDGET_RANGE request: breaking'],
  'grown-without-size': ['changed record widget_event size: breaking', 'added field widget_event.extra: breaking'],
  'added-in-padding': ['added field widget_stat.extra: breaking'],
  'retired-to-reserved': ['renamed field widget_config.__reserved2 from widget_config.mode: breaking'],
  // compatible
  'new-ioctl': ['added ioctl WIDGET_RESET: compatible'],
  'tail-growth': [
    'changed record widget_config size: compatible',
    'added field widget_config.count: compatible',
    'added field widget_config.__reserved2: compatible',
  ],
  'new-enumerator-constant': ['added enumerator WIDGET_MODE_EXTRA: compatible', 'added constant WIDGET_MIN: compatible'],
  'renamed-field': ['renamed field widget_range.end from widget_range.last: compatible'],
  'reserved-named': ['renamed field widget_config.timeout from widget_config.__reserved: compatible'],
  'reserved-split': [
    'changed field widget_config.__reserved offset: compatible',
    'changed field widget_config.__reserved size: compatible',
    'changed field widget_config.__reserved type: compatible',
    'added field widget_config.timeout: compatible',
  ],
  'union-member': ['added field widget_config.out_mode: compatible'],
};

describe('diff: synthetic pairs (test/diff/fixtures/base.h → <kind>.h)', () => {
  const base = load(join(FIX, 'base.h'));

  it('has a fixture for every kind and a kind for every fixture', () => {
    const files = readdirSync(FIX).filter((f) => f.endsWith('.h') && f !== 'base.h').map((f) => f.replace(/\.h$/, '')).sort();
    expect(files).toEqual(Object.keys(synthetic).sort());
  });

  it('base.h against itself: no changes, exit 0', () => {
    expect(diffModels(base, base)).toEqual([]);
    const r = run('diff', 'test/diff/fixtures/base.h', 'test/diff/fixtures/base.h');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no ABI changes');
  });

  it.each(Object.entries(synthetic))('%s', (kind, expected) => {
    const changes = diffModels(base, load(join(FIX, `${kind}.h`)));
    expect(changes.map(short).sort()).toEqual([...expected].sort());
    const breaking = expected.some((e) => e.endsWith(': breaking'));
    const r = run('diff', 'test/diff/fixtures/base.h', `test/diff/fixtures/${kind}.h`, '--json');
    expect(r.status).toBe(breaking ? 1 : 0);
    expect(JSON.parse(r.stdout)).toEqual(changesJson(changes));
    if (breaking) expect(r.stderr).toMatch(/^uapi-ts: \d+ breaking changes?\n$/);
    else expect(r.stderr).toBe('');
  });

  it('gives from/to values: sizes, offsets, values, request numbers, names', () => {
    const get = (kind: string) => changesJson(diffModels(base, load(join(FIX, `${kind}.h`))));
    expect(get('tail-growth')[0]).toMatchObject({ change: 'changed', what: 'record', name: 'widget_config', aspect: 'size', from: '24', to: '32', breaking: false });
    expect(get('field-moved')).toContainEqual(expect.objectContaining({ name: 'widget_range.start', aspect: 'offset', from: '0', to: '8' }));
    expect(get('enumerator-revalued')[0]).toMatchObject({ from: '2', to: '3' });
    // _IOR(0x77, 2, 16 bytes) → _IOWR: direction bits 2 → 3
    expect(get('request-changed')[0]).toMatchObject({ from: '0x80107702', to: '0xc0107702' });
    expect(get('renamed-field')[0]).toEqual({
      change: 'renamed', what: 'field', name: 'widget_range.end', from: 'widget_range.last', to: 'widget_range.end',
      breaking: false, sourceBreaking: true, reason: expect.any(String),
    });
    expect(get('removed-ioctl')[0]).toMatchObject({ change: 'removed', from: '0x7703' });
    expect(get('new-ioctl')[0]).toMatchObject({ change: 'added', to: '0x7704' });
  });

  it('versionBump: breaking or source-breaking → major, other changes → minor, none → none', () => {
    const bump = (kind: string) => versionBump(diffModels(base, load(join(FIX, `${kind}.h`))));
    expect(bump('removed-ioctl')).toBe('major');
    expect(bump('renamed-field')).toBe('major'); // ABI-compatible, but TypeScript code using .last breaks
    expect(bump('new-ioctl')).toBe('minor');
    expect(bump('tail-growth')).toBe('minor');
    expect(versionBump([])).toBe('none');
  });
});

// ---- real history, checked against gcc

const VERSIONS = ['6.6-rc1', '6.12', '7.3'] as const;
type Version = (typeof VERSIONS)[number];
const HINTS = join(ROOT, 'headers/iommufd.profile.json');
const headerOf = (v: string) => join(ROOT, `headers/v${v}/linux/iommufd.h`);
const modelOf = (v: string) => load(headerOf(v), [join(ROOT, `headers/v${v}`)], HINTS);

/** gcc's numbers for one version: every record's sizeof/alignof, every field's offsetof/sizeof, values. */
function gccFacts(v: string): Map<string, string> {
  const { facts } = modelFacts(modelJson(modelOf(v)) as ModelJsonLike);
  const r = compileAndRun(renderProgram([headerOf(v)], facts), { includeDirs: [join(ROOT, `headers/v${v}`)], name: `diff-${v}`, outDir: join(ROOT, 'test/.out/diff') });
  removeRun(r);
  return parseOutput(r.stdout);
}

interface Expected {
  grew: Map<string, [string, string]>; // record → [old sizeof, new sizeof]
  align: Map<string, [string, string]>;
  newRecords: Set<string>;
  goneRecords: Set<string>;
  newFields: Set<string>; // record.path, in records both versions have
  goneFields: Set<string>;
  moved: Map<string, [string, string]>; // offsetof changed
  resized: Map<string, [string, string]>; // sizeof changed
  values: Record<'ioctl' | 'enumerator' | 'constant', { added: Set<string>; removed: Set<string>; changed: Map<string, [string, string]> }>;
}

/** What changed between two versions, from gcc's output alone. */
function expectedFromGcc(a: Map<string, string>, b: Map<string, string>): Expected {
  const parse = (m: Map<string, string>) => {
    const out = new Map<string, Map<string, string>>(); // group → name → value
    for (const [key, value] of m) {
      const k = /^(struct|union) (\w+): (sizeof|alignof)$/.exec(key);
      const f = /^(?:struct|union) (\w+)\.([\w.]+): (offsetof|sizeof)$/.exec(key);
      const v = /^(ioctl|enumerator|#define) (\w+): (request|value)$/.exec(key);
      const [group, name] = k ? [`record ${k[3]}`, k[2]!] : f ? [`field ${f[3]}`, `${f[1]}.${f[2]}`] : v ? [v[1] === '#define' ? 'constant' : v[1]!, v[2]!] : [null, null];
      if (group === null) continue;
      if (!out.has(group)) out.set(group, new Map());
      out.get(group)!.set(name!, value);
    }
    return (g: string) => out.get(g) ?? new Map<string, string>();
  };
  const A = parse(a);
  const B = parse(b);
  const changed = (g: string, keep: (name: string) => boolean = () => true) => {
    const out = new Map<string, [string, string]>();
    for (const [n, x] of A(g)) {
      const y = B(g).get(n);
      if (y !== undefined && y !== x && keep(n)) out.set(n, [x, y]);
    }
    return out;
  };
  const only = (x: Map<string, string>, y: Map<string, string>, keep: (name: string) => boolean = () => true) => new Set([...x.keys()].filter((n) => !y.has(n) && keep(n)));
  const inBoth = (field: string) => A('record sizeof').has(field.split('.')[0]!) && B('record sizeof').has(field.split('.')[0]!);
  const values = (g: string) => ({ added: only(B(g), A(g)), removed: only(A(g), B(g)), changed: changed(g) });
  return {
    grew: changed('record sizeof'),
    align: changed('record alignof'),
    newRecords: only(B('record sizeof'), A('record sizeof')),
    goneRecords: only(A('record sizeof'), B('record sizeof')),
    newFields: only(B('field offsetof'), A('field offsetof'), inBoth),
    goneFields: only(A('field offsetof'), B('field offsetof'), inBoth),
    moved: changed('field offsetof'),
    resized: changed('field sizeof'),
    values: { ioctl: values('ioctl'), enumerator: values('enumerator'), constant: values('constant') },
  };
}

describe('diff: the real history of iommufd.h, checked against gcc', () => {
  const gcc = new Map(VERSIONS.map((v) => [v, gccFacts(v)]));

  it.each<[Version, Version]>([
    ['6.6-rc1', '6.12'],
    ['6.12', '7.3'],
    ['6.6-rc1', '7.3'],
  ])('%s → %s reports exactly what gcc sees change', (from, to) => {
    const e = expectedFromGcc(gcc.get(from)!, gcc.get(to)!);
    const changes = diffModels(modelOf(from), modelOf(to));
    const pick = (p: (c: Change) => boolean) => changes.filter(p);
    const names = (p: (c: Change) => boolean) => new Set(pick(p).map((c) => c.name));
    const fromTo = (p: (c: Change) => boolean) => new Map(pick(p).map((c) => [c.name, [(c as { from: string }).from, (c as { to: string }).to]]));

    expect(fromTo((c) => c.what === 'record' && c.change === 'changed' && c.aspect === 'size')).toEqual(e.grew);
    expect(fromTo((c) => c.what === 'record' && c.change === 'changed' && c.aspect === 'align')).toEqual(e.align);
    expect(names((c) => c.what === 'record' && c.change === 'added')).toEqual(e.newRecords);
    expect(names((c) => c.what === 'record' && c.change === 'removed')).toEqual(e.goneRecords);
    // a renamed field is gone under its old name and new under its new one, as gcc sees it
    expect(new Set(pick((c) => c.what === 'field' && (c.change === 'added' || c.change === 'renamed')).map((c) => c.name))).toEqual(e.newFields);
    expect(new Set(pick((c) => c.what === 'field' && (c.change === 'removed' || c.change === 'renamed')).map((c) => (c.change === 'renamed' ? c.from : c.name)))).toEqual(e.goneFields);
    expect(fromTo((c) => c.what === 'field' && c.change === 'changed' && c.aspect === 'offset')).toEqual(e.moved);
    expect(fromTo((c) => c.what === 'field' && c.change === 'changed' && c.aspect === 'size')).toEqual(e.resized);
    for (const what of ['ioctl', 'enumerator', 'constant'] as const) {
      expect(names((c) => c.what === what && c.change === 'added')).toEqual(e.values[what].added);
      expect(names((c) => c.what === what && c.change === 'removed')).toEqual(e.values[what].removed);
      const hex = (s: string) => (what === 'ioctl' ? `0x${BigInt(s).toString(16)}` : s);
      const want = new Map([...e.values[what].changed].map(([n, [x, y]]) => [n, [hex(x), hex(y)]]));
      expect(fromTo((c) => c.what === what && c.change === 'changed' && (c.aspect === 'value' || c.aspect === 'request'))).toEqual(want);
    }
    // iommufd grows only compatibly: nothing in its history breaks old binaries
    expect(pick((c) => c.breaking).map(short)).toEqual([]);
  });

  it('6.6-rc1 → 6.12: gcc sees iommu_hwpt_alloc and iommu_hw_info grow, and the diff says why that is compatible', () => {
    const e = expectedFromGcc(gcc.get('6.6-rc1')!, gcc.get('6.12')!);
    expect([...e.grew.keys()].sort()).toEqual(['iommu_hw_info', 'iommu_hwpt_alloc']);
    expect([...e.newFields].sort()).toEqual([
      'iommu_hw_info.out_capabilities', 'iommu_hw_info.out_max_pasid_log2',
      'iommu_hwpt_alloc.data_len', 'iommu_hwpt_alloc.data_type', 'iommu_hwpt_alloc.data_uptr', 'iommu_hwpt_alloc.fault_id', 'iommu_hwpt_alloc.__reserved2',
    ].sort());
    const changes = diffModels(modelOf('6.6-rc1'), modelOf('6.12'));
    const pasid = changes.find((c) => c.name === 'iommu_hw_info.out_max_pasid_log2')!;
    expect(pasid).toMatchObject({ change: 'added', breaking: false, reason: expect.stringMatching(/reserved/) });
    // __reserved (__u32 at 28) became __u8[3] at 29: gcc's numbers, the reserved space put to use
    expect(e.moved.get('iommu_hw_info.__reserved')).toEqual(['28', '29']);
    expect(changes.filter((c) => c.name === 'iommu_hw_info.__reserved').every((c) => !c.breaking)).toBe(true);
  });

  it('6.12 → 7.3: no record grew; iommu_hw_info gained in_data_type as a union member over out_data_type', () => {
    const e = expectedFromGcc(gcc.get('6.12')!, gcc.get('7.3')!);
    expect(e.grew.size).toBe(0);
    expect([...e.newFields]).toEqual(['iommu_hw_info.in_data_type']);
    expect(e.values.ioctl.added.size).toBe(7);
  });
});

// ---- the command line

describe('uapi-ts diff (command line)', () => {
  it('diff 6.12 7.3 finds linux/iommufd.h in both version folders and exits 0', () => {
    const r = run('diff', '6.12', 'v7.3');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('linux/iommufd.h 6.12 → 7.3: 52 changes, none breaking');
    expect(r.stdout).toContain('+ ioctl IOMMU_VIOMMU_ALLOC: 0x3b90');
    expect(r.stderr).toBe('');
  });

  it('--json: an array of {change, what, name, from/to, breaking}', () => {
    const r = run('diff', 'v6.6-rc1', 'v6.12', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Array.isArray(out)).toBe(true);
    for (const c of out) {
      expect(['added', 'removed', 'changed', 'renamed']).toContain(c.change);
      expect(['ioctl', 'record', 'field', 'enumerator', 'constant']).toContain(c.what);
      expect(typeof c.name).toBe('string');
      expect(typeof c.breaking).toBe('boolean');
      if (c.change !== 'removed') expect(typeof c.to).toBe('string');
      if (c.change !== 'added') expect(typeof c.from).toBe('string');
      expect(Object.keys(c).every((k) => ['change', 'what', 'name', 'aspect', 'from', 'to', 'breaking', 'sourceBreaking', 'reason'].includes(k))).toBe(true);
    }
    expect(out).toContainEqual(expect.objectContaining({ change: 'changed', what: 'record', name: 'iommu_hwpt_alloc', aspect: 'size', from: '24', to: '48', breaking: false }));
  });

  it('--markdown: a changelog section', () => {
    const r = run('diff', 'test/diff/fixtures/base.h', 'test/diff/fixtures/removed-ioctl.h', '--markdown');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('### test/diff/fixtures/base.h → test/diff/fixtures/removed-ioctl.h\n\n#### Breaking changes\n\n- ioctl `WIDGET_STAT` removed (was 0x7703)\n');
  });

  it('text and markdown formatters group breaking changes first', () => {
    const base = load(join(FIX, 'base.h'));
    const changes = [...diffModels(base, load(join(FIX, 'new-ioctl.h'))), ...diffModels(base, load(join(FIX, 'removed-constant.h')))];
    const labels = { header: 'widget.h', from: '1', to: '2' };
    const text = formatText(changes, labels);
    expect(text.indexOf('Breaking (1):')).toBeLessThan(text.indexOf('Compatible (1):'));
    expect(text.split('\n')[0]).toBe('widget.h 1 → 2: 2 changes, 1 breaking');
    expect(formatMarkdown(changes, labels)).toContain('#### Added\n\n- ioctl `WIDGET_RESET` added (0x7704)');
  });

  it('a header error exits 1 with a located message and nothing on stdout (unlike a breaking change)', () => {
    const bad = join(tmp, 'bad.h');
    writeFileSync(bad, 'struct s { int a[-1]; };\n');
    const r = run('diff', 'test/diff/fixtures/base.h', bad);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bad\.h:\d+:\d+: /);
    expect(r.stderr).not.toMatch(/breaking/);
  });

  it('several headers in both version folders: --header chooses, without it a usage error', () => {
    const dir = join(tmp, 'hdrs');
    for (const v of ['v1.0', 'v1.1']) {
      mkdirSync(join(dir, v, 'linux'), { recursive: true });
      writeFileSync(join(dir, v, 'linux', 'a.h'), `#define A_${v.replace('.', '_').slice(1)} 1\n`);
      writeFileSync(join(dir, v, 'b.h'), 'struct b { int x; };\n');
    }
    const r = run('diff', '1.0', '1.1', '--headers-dir', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/several headers \(b\.h, linux\/a\.h\); choose one with --header/);
    const ok = run('diff', '1.0', '1.1', '--headers-dir', dir, '--header', 'linux/a.h', '--json');
    expect(ok.status).toBe(1);
    expect(JSON.parse(ok.stdout).map((c: { change: string; name: string }) => `${c.change} ${c.name}`)).toEqual(['removed A_1_0', 'added A_1_1']);
  });

  it.each([
    [['diff'], /diff takes OLD and NEW/],
    [['diff', '6.12'], /diff takes OLD and NEW/],
    [['diff', '6.12', '9.9'], /NEW '9\.9' is neither a header file nor a version in headers\/ \(have: 6\.6-rc1, 6\.12, 7\.3\)/],
    [['diff', '6.12', '7.3', '--json', '--markdown'], /--json and --markdown exclude each other/],
    [['diff', '6.12', '7.3', '--header', 'linux/nope.h'], /headers\/v6\.12 has no linux\/nope\.h/],
    [['diff', '6.12', '7.3', '--out', 'x'], /diff takes no --out/],
  ])('usage error %j exits 2', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
