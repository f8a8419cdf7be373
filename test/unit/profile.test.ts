// Profiles: a family's conventions as data. Bad profile files are refused at the key's own line and column; the
// old `hints` names are usage errors that name the new ones; each convention changes what the annotations say.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../generator/src/config.js';
import { loadModel } from '../../generator/src/load.js';

const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// The argument struct is named only in the comment before the _IO define, as vfio.h does.
const HEADER = `#include <linux/types.h>
#include <linux/ioctl.h>
struct box_info {
\t__u32 argsz;
\t__u32 flags;
\t__u32 __reserved;
};
/* BOX_GET_INFO - _IOR('b', 1, struct box_info) */
#define BOX_GET_INFO _IO('b', 1)
#define BOX_OPEN_LID _IO('b', 2)
`;

function load(profile: object | null) {
  const header = file('box.h', HEADER);
  return loadModel(header, { includeDirs: [], profileFile: profile ? file('box.profile.json', JSON.stringify(profile, null, 2)) : undefined });
}

describe('profile files', () => {
  it.each([
    ['an unknown key', '{\n  "device": "/dev/box",\n  "colour": "red"\n}\n', /box\.profile\.json:3:3: colour: unknown key/],
    ['a bad return kind', '{\n  "returns": {\n    "BOX_GET_INFO": "maybe"\n  }\n}\n', /box\.profile\.json:3:5: returns\.BOX_GET_INFO: must be zero, value or fd/],
    ['a bad extension', '{ "extension": "length" }', /box\.profile\.json:1:3: extension: must be "size", "argsz" or null/],
    ['a relative device', '{\n\n    "device": "dev/box" }', /box\.profile\.json:3:5: device: must be an absolute path/],
    ['unknown hooks', '{ "hooks": "nope" }', /hooks: must name typed hooks: kernel-doc, iommufd/],
    ['a hints file', '{ "hints": {} }', /hints: unknown key \(hints files are now profiles/],
    ['a related field with no sentence', '{ "related": {\n  "box_info.flags": { "see": [] } } }', /box\.profile\.json:2:3: related\.box_info\.flags: needs says, a sentence/],
    ['a related entry that is not package + ioctl', '{ "related": { "box_info.flags": {\n "says": "x",\n "see": [\n  { "package": "iommufd", "ioctl": "A" }] } } }',
      /box\.profile\.json:4:3: related\.box_info\.flags\.see\.0: must be \{ "package": "@scope\/name", "ioctl": "IOCTL_NAME" \}/],
    ['a related path that is not a field of the header', '{ "related": {\n  "box_info.colour": { "says": "x", "see": [{ "package": "@a/b", "ioctl": "A" }] } } }',
      /box\.profile\.json:2:3: related: box_info\.colour is not a field of a struct or union of this header/],
  ])('refuse %s, located at the key', (_what, json, message) => {
    const header = file('box.h', HEADER);
    expect(() => loadModel(header, { includeDirs: [], profileFile: file('box.profile.json', json) })).toThrow(message);
  });

  it('the old config key and option are usage errors that name the new ones', () => {
    const config = file('config.json', JSON.stringify({ packages: [{ name: 'b', header: 'box.h', hints: 'box.hints.json', out: 'o', version: '1.0.0' }] }));
    expect(() => readConfig(config)).toThrow(/'hints' is now 'profile'/);
    const r = spawnSync(process.execPath, ['generator/bin/uapi-ts.js', 'ir', file('box.h', HEADER), '--hints', 'x.json'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--hints is now --profile FILE/);
  });
});

describe('conventions from the profile', () => {
  it('generic: size extension (none here), __reserved, first word dropped, no argument from comments', () => {
    const m = load(null);
    const info = m.records.find((r) => r.name === 'box_info')!;
    expect(m.recordNotes.get(info)!.extension).toBeNull();
    expect(m.recordNotes.get(info)!.reserved.map((f) => f.name)).toEqual(['__reserved']);
    expect(m.ioctls.map((i) => [i.name, i.method, i.arg?.name ?? null, i.returns])).toEqual([
      ['BOX_GET_INFO', 'getInfo', null, 'zero'],
      ['BOX_OPEN_LID', 'openLid', null, 'zero'],
    ]);
    expect(m.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/BOX_GET_INFO has no argument type/));
  });

  it('a vfio-style profile: argsz, the struct the comment names, returns, a method prefix, a reserved pattern', () => {
    const m = load({ extension: 'argsz', argFromComment: true, methodPrefix: 'BOX_OPEN_', returns: { BOX_OPEN_LID: 'fd' }, reserved: '^flags$', ioctlArgs: { BOX_OPEN_LID: null } });
    const info = m.records.find((r) => r.name === 'box_info')!;
    expect(m.recordNotes.get(info)!.extension).toMatchObject({ kind: 'argsz', field: { name: 'argsz', offset: 0 } });
    expect(m.recordNotes.get(info)!.reserved.map((f) => f.name)).toEqual(['flags']);
    expect(m.ioctls.map((i) => [i.name, i.method, i.arg?.name ?? null, i.argSource, i.returns])).toEqual([
      ['BOX_GET_INFO', 'boxGetInfo', 'box_info', 'comment', 'zero'], // no prefix to drop: the whole name
      ['BOX_OPEN_LID', 'lid', null, null, 'fd'],
    ]);
    expect(m.warnings).toEqual([]);
  });
});

describe('diff reads the annotations', () => {
  const v1 = '#include <linux/types.h>\nstruct box_info {\n\t__u32 argsz;\n\t__u32 flags;\n};\n';
  const v2 = '#include <linux/types.h>\nstruct box_info {\n\t__u32 argsz;\n\t__u32 flags;\n\t__u64 serial;\n};\n';
  const growth = async (profile: object | null) => {
    const { diffModels } = await import('../../generator/src/diff/diff.js');
    const profileFile = profile ? file('grow.profile.json', JSON.stringify(profile)) : undefined;
    const [a, b] = [v1, v2].map((text, i) => loadModel(file(`grow${i}.h`, text), { includeDirs: [], profileFile }));
    return diffModels(a!, b!).find((c) => c.name === 'box_info' && c.change === 'changed')!;
  };

  it('growth at the tail is compatible only when the profile says the leading argsz holds the size', async () => {
    expect((await growth(null)).breaking).toBe(true); // the generic extension field is `size`
    expect((await growth({ extension: 'argsz' })).breaking).toBe(false);
  });
});

describe('related fields across packages', () => {
  const config = (seeIoctl: string) => {
    file('box.h', HEADER);
    file('lid.h', '#include <linux/ioctl.h>\n#define LID_LIFT _IO(\'l\', 1)\n');
    file('box.related.json', `{\n  "related": {\n    "box_info.flags": {\n      "says": "A lid's flags.",\n      "see": [\n        { "package": "@t/lid", "ioctl": "${seeIoctl}" }\n      ]\n    }\n  }\n}\n`);
    return file('related.config.json', JSON.stringify({
      packages: [
        { name: '@t/box', header: join(dir, 'box.h'), profile: join(dir, 'box.related.json'), out: join(dir, 'out/box'), version: '1.0.0' },
        { name: '@t/lid', header: join(dir, 'lid.h'), out: join(dir, 'out/lid'), version: '1.0.0' },
      ],
    }));
  };

  it('a field links to the other package ioctl page, in its TSDoc and on the docs site', async () => {
    const { generatePackages } = await import('../../generator/src/generate.js');
    generatePackages(readConfig(config('LID_LIFT')), () => {});
    const { readFileSync } = await import('node:fs');
    const { readdirSync } = await import('node:fs');
    const sources = readdirSync(join(dir, 'out/box/src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const record = sources.map((f) => readFileSync(join(dir, 'out/box/src', f), 'utf8')).join('\n');
    expect(record).toContain("A lid's flags. See `LID_LIFT` (@t/lid).");
    const structs = readFileSync(join(dir, 'out/box/docs/structs.html'), 'utf8');
    const href = /<a class="package" href="([^"]+)">LID_LIFT \(@t\/lid\)<\/a>/.exec(structs)?.[1];
    expect(href).toBe('../../lid/docs/ioctl-lid_lift.html');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'out/box/docs', href!))).toBe(true); // the sibling package's page, as installed
  });

  it('an ioctl the other package of the run does not have is an error at the profile entry, and nothing is written', async () => {
    const { generatePackages } = await import('../../generator/src/generate.js');
    rmSync(join(dir, 'out'), { recursive: true, force: true });
    expect(() => generatePackages(readConfig(config('LID_SHUT')), () => {})).toThrow(/box\.related\.json:6:9: related: @t\/lid has no ioctl LID_SHUT/);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(dir, 'out'))).toEqual([]); // the staging folder's parent, left empty
  });
});
