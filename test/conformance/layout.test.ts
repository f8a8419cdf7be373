// Conformance against gcc: every fact the model states about every configured header (record sizes and
// alignments, field offsets and sizes, bit-field positions, enumerator values, constants' values and C types,
// ioctl request numbers) is printed by a C program that includes the real header and compared one by one.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../generator/src/load.js';
import { MODEL_HEADERS } from '../../generator/src/parse/builtins.js';
import type { FieldJson } from '../../generator/src/model/json.js';
import { modelJson } from '../../generator/src/model/json.js';
import { checkModelWithGcc, formatMismatches, ROOT, type ModelJsonLike } from './cprogram.js';
import { goldenFixtures, heldPackages, type PackageEntry } from './held.js';

const config = { packages: heldPackages() };
const fixtures: PackageEntry[] = goldenFixtures();

// Held headers modelled (and checked here) before their package can be generated: none at present (kvm.h, the
// last one, is @uapi-ts/kvm now).
const modelOnly: PackageEntry[] = [];

/** How many output lines the model's facts must produce, counted straight from the JSON. */
function expectedLines(m: ModelJsonLike): number {
  const fieldLines = (fs: readonly FieldJson[]): number =>
    fs.reduce((n, f) => {
      const own = f.name === null ? 0 : f.bitWidth !== undefined ? 2 : f.type.endsWith('[]') ? 1 : 2;
      return n + own + (f.fields ? fieldLines(f.fields) : 0);
    }, 0);
  return (
    m.records.reduce((n, r) => n + 2 + fieldLines(r.fields), 0) +
    m.enums.reduce((n, e) => n + (e.name !== null ? 1 : 0) + e.values.length, 0) +
    m.constants.length * 2 +
    m.ioctls.reduce((n, io) => n + 1 + (io.dir !== 'none' && io.arg && m.records.some((r) => r.name === io.arg) ? 1 : 0), 0)
  );
}

describe('layout conformance with gcc', () => {
  it('has packages to check', () => {
    expect(config.packages.length).toBeGreaterThan(0);
  });

  it('checks every header held in headers/ (every version folder, every .h)', () => {
    const held = (dir: string): string[] =>
      readdirSync(dir).sort().flatMap((n) => {
        const full = join(dir, n);
        return statSync(full).isDirectory() ? held(full) : n.endsWith('.h') ? [full] : [];
      });
    const headers = held(join(ROOT, 'headers')).map((f) => relative(ROOT, f));
    expect(headers.length).toBeGreaterThan(0);
    // A header a package's header includes, directly or through the system's linux/types.h (kvm.h's asm/kvm.h,
    // linux/stddef.h, asm/bitsperlong.h), is checked as gcc reads it there.
    const checked = new Set([...config.packages, ...modelOnly].map((p) => p.header));
    for (const p of [...config.packages, ...modelOnly]) {
      const dirs = (p.includeDirs ?? []).map((d) => join(ROOT, d));
      const queue = [join(ROOT, p.header)];
      for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
        for (const m of readFileSync(file, 'utf8').matchAll(/^[ \t]*#[ \t]*include[ \t]*[<"]([^>"\n]+)[>"]/gm)) {
          const found = dirs.map((d) => join(d, m[1]!)).find((f) => existsSync(f));
          const system = ['/usr/include', '/usr/include/x86_64-linux-gnu'].map((d) => join(d, m[1]!)).find((f) => existsSync(f));
          if (found && !checked.has(relative(ROOT, found))) {
            checked.add(relative(ROOT, found));
            queue.push(found);
          } else if (!found && system && MODEL_HEADERS.has(m[1]!)) queue.push(system);
        }
      }
    }
    expect(headers.filter((h) => !checked.has(h)), 'held headers no configured package or series version checks').toEqual([]);
  });

  for (const pkg of [...config.packages, ...modelOnly, ...fixtures]) {
    const short = pkg.name.replace(/^@uapi-ts\//, '').replace(/ .*/, '');
    it(`${short}: every record, field, enumerator, constant and ioctl matches gcc`, () => {
      const includeDirs = (pkg.includeDirs ?? []).map((d) => join(ROOT, d));
      const model = loadModel(join(ROOT, pkg.header), {
        includeDirs,
        profileFile: pkg.profile ? join(ROOT, pkg.profile) : undefined,
      });
      const json = modelJson(model) as ModelJsonLike;
      expect(json.records.length, 'records in the model').toBeGreaterThan(0);
      expect(json.ioctls.length + json.constants.length, 'constants and ioctls in the model').toBeGreaterThan(0);

      const result = checkModelWithGcc(json, join(ROOT, pkg.header), { includeDirs, name: `layout-${short}` });
      const wrong = result.mismatches.length;
      console.log(`conformance ${short}: ${result.checked} checked, ${wrong} wrong`);

      const expected = expectedLines(json);
      expect(result.checked, 'facts derived from the model').toBe(expected);
      expect(result.lines, `lines printed by ${result.cFile}`).toBe(expected);
      expect(expected).toBeGreaterThan(json.records.length * 2);
      if (wrong > 0) {
        expect.fail(`${short}: ${wrong} of ${result.checked} facts differ from gcc (${result.cFile}):\n${formatMismatches(result.mismatches)}`);
      }
    });
  }
});
