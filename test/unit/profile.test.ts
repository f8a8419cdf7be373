// Profiles: a family's conventions as data. Bad profile files are refused at the key's own line and column; the
// old `hints` names are usage errors that name the new ones; each convention changes what the annotations say.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../generator/src/config.js';
import { argumentRecord } from '../../generator/src/conventions/annotations.js';
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
    expect(m.ioctls.map((i) => [i.name, i.method, argumentRecord(i)?.name ?? null, i.returns])).toEqual([
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
    expect(m.ioctls.map((i) => [i.name, i.method, argumentRecord(i)?.name ?? null, i.argument?.kind === 'record' ? i.argument.source : null, i.returns])).toEqual([
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
    await generatePackages(readConfig(config('LID_LIFT')), () => {});
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
    await expect(generatePackages(readConfig(config('LID_SHUT')), () => {})).rejects.toThrow(/box\.related\.json:6:9: related: @t\/lid has no ioctl LID_SHUT/);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(dir, 'out'))).toEqual([]); // the staging folder's parent, left empty
  });
});

// Flexible arrays and capability chains (conventions/flex.ts, capabilities.ts): their keys, and what they say.
const FLEX_HEADER = `#include <linux/types.h>
#include <linux/ioctl.h>
#ifndef __counted_by
#define __counted_by(m)
#endif
struct jar_cap_header {
\t__u16 id;
\t__u16 version;
\t__u32 next;
};
#define JAR_CAP_LID 1
struct jar_cap_lid {
\tstruct jar_cap_header header;
\t__u32 turns;
};
#define JAR_CAP_LABEL 2
#define JAR_INFO_FLAG_CAPS (1 << 0)
struct jar_info {
\t__u32 argsz;
\t__u32 flags;
\t__u32 cap_offset;
};
struct jar_beans {
\t__u32 argsz;
\t__u32 nbeans;
\t__u64 beans[] __counted_by(nbeans);
};
struct jar_lids {
\t__u32 argsz;
\t__u32 nlids;
\t__u32 lids[];
};
#define JAR_GET_INFO _IOR('j', 1, struct jar_info)
#define JAR_SET_BEANS _IOW('j', 2, struct jar_beans)
#define JAR_GET_LIDS _IOWR('j', 3, struct jar_lids)
`;

function loadJar(profile: string) {
  return loadModel(file('jar.h', FLEX_HEADER), { includeDirs: [], profileFile: file('jar.profile.json', profile) });
}

describe('flexible arrays and capability chains from the profile', () => {
  const CHAIN = '"capabilityChains": { "JAR_GET_INFO": { "offset": "cap_offset", "flag": "JAR_INFO_FLAG_CAPS", "header": "jar_cap_header", "ids": "^JAR_CAP_" } }';

  it('__counted_by gives the count; the profile gives one the header does not; grow makes ...All()', () => {
    const m = loadJar(`{ "extension": "argsz", "flexArrays": { "jar_lids.lids": { "count": "nlids" } }, "grow": { "JAR_GET_LIDS": "E2BIG" } }`);
    const beans = m.ioctls.find((i) => i.name === 'JAR_SET_BEANS')!.flex!;
    expect([beans.tail.name, beans.tail.offset, beans.tail.count?.name, beans.tail.countSource, beans.tail.element]).toEqual(['beans', 8, 'nbeans', 'counted_by', { kind: 'scalar', name: '__u64' }]);
    const lids = m.ioctls.find((i) => i.name === 'JAR_GET_LIDS')!.flex!;
    expect([lids.tail.count?.name, lids.tail.countSource, lids.grow]).toEqual(['nlids', 'profile', { errno: 'E2BIG', value: 7, method: 'getLidsAll' }]);
  });

  it('an array whose count is not known is a located warning, never a guess', () => {
    const m = loadJar('{ "extension": "argsz" }');
    const w = m.warnings.filter((x) => /jar_lids\.lids: no member is known to hold/.test(x.message));
    expect(w).toHaveLength(1);
    expect(w[0]!.loc).toMatchObject({ file: expect.stringMatching(/jar\.h$/), line: 31 });
    expect(m.ioctls.find((i) => i.name === 'JAR_GET_LIDS')!.flex!.tail.count).toBeNull();
  });

  it('each capability id gets the struct after its #define that starts with the header; one with none is reported', () => {
    const m = loadJar(`{ "extension": "argsz", "flexArrays": { "jar_lids.lids": { "count": "nlids" } }, ${CHAIN} }`);
    const chain = m.ioctls.find((i) => i.name === 'JAR_GET_INFO')!.caps!;
    expect(chain.kinds.map((k) => [k.id, k.constant, k.record.name, k.source])).toEqual([[1, 'JAR_CAP_LID', 'jar_cap_lid', 'header']]);
    expect(chain.method).toBe('getInfoCaps');
    expect(m.warnings.some((x) => /JAR_CAP_LABEL: no struct starting with struct jar_cap_header follows it/.test(x.message))).toBe(true);
  });

  it.each([
    ['a count that is no member', '{ "flexArrays": { "jar_lids.lids": { "count": "nope" } } }', /jar\.profile\.json:1:38: jar_lids\.lids: its count 'nope' is not an unsigned integer member/],
    ['a count the header contradicts', '{ "flexArrays": { "jar_beans.beans": { "count": "argsz" } } }', /jar_beans\.beans: the header counts it by 'nbeans' \(__counted_by\), the profile says 'argsz'/],
    ['an array that is not one', '{ "flexArrays": { "jar_info.flags": {} } }', /jar\.profile\.json:1:19: jar_info\.flags: not a flexible array/],
    ['grow without an array', '{ "grow": { "JAR_GET_INFO": "E2BIG" } }', /jar\.profile\.json:1:13: JAR_GET_INFO: not an ioctl whose argument ends in a flexible array/],
    ['grow with no count', '{ "grow": { "JAR_GET_LIDS": "E2BIG" } }', /JAR_GET_LIDS: its array jar_lids\.lids has no known count/],
    ['a chain on an unknown member', CHAIN.replace('"cap_offset"', '"cap"').replace(/^/, '{ ').replace(/$/, ' }'), /JAR_GET_INFO: struct jar_info has no unsigned member 'cap'/],
    ['a chain header without next', CHAIN.replace('"jar_cap_header"', '"jar_info"').replace(/^/, '{ ').replace(/$/, ' }'), /struct jar_info has no unsigned member 'id'/],
    ['a chain key unknown', '{ "capabilityChains": { "JAR_GET_INFO": { "offset": "a", "flag": "b", "header": "c", "ids": "d", "colour": "e" } } }', /capabilityChains\.JAR_GET_INFO\.colour: unknown key/],
  ])('refuse %s, located at the key', (_what, json, message) => {
    expect(() => loadJar(json)).toThrow(message);
  });
});
