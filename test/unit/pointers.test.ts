// Which 64-bit fields are user pointers: from the kernel-doc's words, from hints, and what is reported.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../generator/src/load.js';

const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-pointers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(c: string, hints?: object) {
  const header = join(dir, 'p.h');
  writeFileSync(header, `#include <linux/types.h>\n${c}`);
  let profileFile: string | undefined;
  if (hints) {
    profileFile = join(dir, 'p.profile.json');
    writeFileSync(profileFile, JSON.stringify(hints));
  }
  return loadModel(header, { includeDirs: [], profileFile });
}

const RANGE = 'struct r { __aligned_u64 start; __aligned_u64 last; };\n';

describe('pointer classification', () => {
  it.each([
    ['an output array of struct', '@ptr: Pointer to the output array of struct r', { to: 'struct r', dir: 'out' }],
    ['an input array of struct', '@ptr: Pointer to array of struct r', { to: 'struct r', dir: 'in' }],
    ['a buffer the kernel fills', '@ptr: User pointer to a buffer used by the kernel to fill the data', { to: 'buffer', dir: 'out' }],
    ['a plain user pointer', '@ptr: Userspace pointer to start mapping from', { to: 'buffer', dir: 'in' }],
  ])('reads %s from the kernel-doc', (_what, line, expected) => {
    const m = model(`${RANGE}/**\n * struct s - x\n * ${line}\n * @n: Count\n */\nstruct s { __aligned_u64 ptr; __u32 n; };\n`);
    const p = m.pointers.find((x) => x.record.name === 's')!;
    expect(p).toBeDefined();
    expect(p.info.dir).toBe(expected.dir);
    expect(p.info.to.kind === 'array' ? `struct ${p.info.to.element.name}` : 'buffer').toBe(expected.to);
    expect(p.info.source).toBe('kernel-doc');
  });

  it('a documented value is not a pointer, and is not reported', () => {
    const m = model('/**\n * struct s - x\n * @length: Number of bytes\n */\nstruct s { __aligned_u64 length; };\n');
    expect(m.pointers).toEqual([]);
    expect(m.warnings).toEqual([]);
  });

  it('an undocumented 64-bit field is reported with its location', () => {
    const m = model('struct s {\n  __u32 a;\n  __aligned_u64 mystery;\n};\n');
    expect(m.warnings).toEqual([{ loc: { file: expect.stringMatching(/p\.h$/), line: 4, col: 17 }, message: expect.stringMatching(/cannot tell whether s\.mystery is a user pointer/) }]);
  });

  it('hints classify undocumented fields, give counts and lengths, and reach nested members', () => {
    const m = model(
      'struct s {\n  __u32 n;\n  union {\n    struct { __aligned_u64 uptr; __aligned_u64 length; } inner;\n  };\n  __aligned_u64 val;\n};\n',
      { pointers: { 's.inner.uptr': { to: 'buffer', length: 'length', dir: 'inout' } }, values: ['s.inner.length', 's.val'] },
    );
    expect(m.warnings).toEqual([]);
    expect(m.pointers).toHaveLength(1);
    const p = m.pointers[0]!;
    expect(p.path).toEqual(['inner', 'uptr']);
    expect(p.offset).toBe(8);
    expect(p.info).toMatchObject({ dir: 'inout', source: 'hint', length: { name: 'length', offset: 16 } });
  });

  it.each([
    ['a count field that is not beside the pointer', { pointers: { 's.ptr': { count: 'nope' } } }, /name field 'nope', which is not an integer field beside it/],
    ['an element struct the header lacks', { pointers: { 's.ptr': { to: 'struct missing' } } }, /points to struct missing, which this header does not define/],
    ['a bad direction', { pointers: { 's.ptr': { dir: 'sideways' } } }, /pointers\.s\.ptr\.dir/],
  ])('rejects hints with %s', (_what, hints, message) => {
    expect(() => model('/**\n * struct s - x\n * @ptr: Pointer to data\n * @n: Count\n */\nstruct s { __aligned_u64 ptr; __u32 n; };\n', hints)).toThrow(message);
  });

  it('every 64-bit field of the 7.3 headers is classified, with no warning', () => {
    const main = loadModel('headers/v7.3/linux/iommufd.h', { includeDirs: [], profileFile: 'headers/iommufd.profile.json' });
    const test = loadModel('headers/v7.3/iommufd_test.h', { includeDirs: ['headers/v7.3'], profileFile: 'headers/iommufd_test.profile.json' });
    expect([...main.warnings, ...test.warnings]).toEqual([]);
    const names = (ps: typeof main.pointers) => ps.map((p) => `${p.record.name}.${p.path.join('.')}`).sort();
    // The user-pointer fields the 7.3 header's text describes (plus the dirty bitmap, from the hints).
    expect(names(main.pointers)).toEqual([
      'iommu_hw_info.data_uptr', 'iommu_hwpt_alloc.data_uptr', 'iommu_hwpt_get_dirty_bitmap.data', 'iommu_hwpt_invalidate.data_uptr',
      'iommu_ioas_allow_iovas.allowed_iovas', 'iommu_ioas_iova_ranges.allowed_iovas', 'iommu_ioas_map.user_va', 'iommu_viommu_alloc.data_uptr',
    ]);
    expect(names(test.pointers)).toEqual([
      'iommu_test_cmd.access_pages.uptr', 'iommu_test_cmd.access_rw.uptr', 'iommu_test_cmd.check_map.uptr', 'iommu_test_cmd.check_refs.uptr', 'iommu_test_cmd.dirty.uptr',
    ]);
  });
});
