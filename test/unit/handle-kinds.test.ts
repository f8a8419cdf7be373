// Handle kinds as profile data: each kind a class with only the ioctls the profile gives it, the ioctl that creates
// one returning it typed, `_IO` integers named; bad `handles` refused at the profile key; an ioctl in no kind warned.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../generator/src/load.js';
import { renderOne } from '../../generator/src/generate.js';

const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-handles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const HEADER = `#include <linux/types.h>
#include <linux/ioctl.h>
struct box_state {
\t__u32 spins;
\t__u32 flags;
\tunion {
\t\tstruct { __u16 port; __u8 data[6]; } io;
\t\t__u64 raw;
\t};
};
#define BOX_OPEN_LID _IO('b', 1)
#define BOX_LID_SPIN _IO('b', 2)
#define BOX_PEEK _IOR('b', 3, struct box_state)
#define BOX_STRAY _IO('b', 4)
`;

const PROFILE = {
  device: '/dev/box',
  returns: { BOX_OPEN_LID: 'fd' },
  valueArgs: { BOX_OPEN_LID: 'slot' },
  ioctlArgs: { BOX_LID_SPIN: null, BOX_STRAY: null },
  values: ['box_state.raw'],
  handles: [
    { class: 'Box', ioctls: ['BOX_OPEN_LID', 'BOX_PEEK'] },
    { class: 'BoxLid', createdBy: 'BOX_OPEN_LID', ioctls: ['BOX_PEEK', 'BOX_LID_SPIN'], region: { record: 'box_state', method: 'mapState' } },
  ],
};

function load(profile: object) {
  return loadModel(file('box.h', HEADER), { includeDirs: [], profileFile: file('box.profile.json', JSON.stringify(profile, null, 2)) });
}

describe('handle kinds', () => {
  it('annotations: each kind with its ioctls in header order, the creating ioctl, the region; an ioctl in none warned, on the first', () => {
    const m = load(PROFILE);
    expect(m.handles.map((h) => [h.className, h.createdBy, h.ioctls, h.region?.record.name ?? null])).toEqual([
      ['Box', null, ['BOX_OPEN_LID', 'BOX_PEEK', 'BOX_STRAY'], null],
      ['BoxLid', 'BOX_OPEN_LID', ['BOX_LID_SPIN', 'BOX_PEEK'], 'box_state'],
    ]);
    expect(m.ioctls.find((i) => i.name === 'BOX_OPEN_LID')!.valueArg).toBe('slot');
    expect(m.warnings.map((w) => `${w.loc.line}: ${w.message}`)).toEqual(['14: BOX_STRAY belongs to no handle kind of the profile; it is put on the first, Box']);
  });

  it('the package: one class per kind, only its own methods, the created kind returned typed, the integer named', () => {
    const header = file('box.h', HEADER);
    const profile = file('box.profile.json', JSON.stringify(PROFILE));
    const { files } = renderOne({ name: '@t/box', header, includeDirs: [], profile, out: join(dir, 'out'), version: '1.0.0', kernel: null });
    const ioctl = files.find((f) => f.path === 'src/ioctl.ts')!.text;
    const classBody = (name: string) => ioctl.slice(ioctl.indexOf(`export class ${name} `), ioctl.indexOf('\n}\n', ioctl.indexOf(`export class ${name} `)));
    const box = classBody('Box');
    const lid = classBody('BoxLid');
    expect(box).toMatch(/openLid\(slot: number \| bigint = 0\): BoxLid \{/);
    expect(box).toMatch(/return r >= 0 \? BoxLid\.adopt\(r\) : -r;/);
    expect(box).toMatch(/static open\(path = '\/dev\/box'\): Box/);
    expect(box).toMatch(/ peek\(/);
    expect(box).toMatch(/ stray\(\): void/);
    expect(box).not.toMatch(/lidSpin|mapState/);
    expect(lid).toMatch(/static adopt\(fd: number\): BoxLid/);
    expect(lid).not.toMatch(/static open\(/);
    expect(lid).toMatch(/ lidSpin\(\): void/);
    expect(lid).toMatch(/ peek\(/);
    expect(lid).toMatch(/mapState\(length: number\): SharedRecord<typeof R\.BoxState, typeof boxStateMembers>/);
    expect(lid).not.toMatch(/openLid/);
    expect(ioctl).toMatch(/const boxStateMembers = \{\n {2}io: R\.BoxStateIo,\n\};/);
  });

  it('an ioctl the header lacks (a newer version\'s) is skipped; a misspelt one leaves the real one warned about', () => {
    const lid = { ...PROFILE.handles[1], ioctls: ['BOX_LID_SPIN'] };
    const m = load({ ...PROFILE, handles: [{ class: 'Box', ioctls: ['BOX_OPEN_LID', 'BOX_PEK', 'BOX_SHUT'] }, lid] });
    expect(m.warnings.map((w) => w.message)).toContain('BOX_PEEK belongs to no handle kind of the profile; it is put on the first, Box');
    expect(m.handles.find((k) => k.className === 'Box')!.ioctls).toEqual(['BOX_OPEN_LID', 'BOX_PEEK', 'BOX_STRAY']);
  });

  it.each([
    ['a creating ioctl that does not return fd', { ...PROFILE, returns: {} }, /handles: BOX_OPEN_LID must return "fd"/],
    ['a second kind nothing creates', { ...PROFILE, handles: [PROFILE.handles[0], { class: 'BoxLid', ioctls: [] }] }, /handles\.1: needs createdBy/],
    ['a class name that is not PascalCase', { ...PROFILE, handles: [{ class: 'box', ioctls: [] }] }, /handles\.0\.class: must be a class name in PascalCase/],
    ['a value argument that is not a name', { ...PROFILE, valueArgs: { BOX_OPEN_LID: 'the slot' } }, /valueArgs\.BOX_OPEN_LID: must be a parameter name/],
  ])('refuse %s, located', (_what, profile, message) => {
    expect(() => load(profile)).toThrow(message);
  });
});
