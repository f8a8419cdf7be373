// Conformance on every other ABI: the model laid out for each target (model/target.ts) against that target's
// Debian cross-compiler, fact by fact (sizes, alignments, offsets, bit-field placement, enumerators, constants
// and their C types, ioctl numbers), for every held header and the golden fixtures. The facts are read from an
// object file (cross.ts): nothing runs on the target. x86_64 is layout.test.ts's (gcc's program runs here).
// A held header whose own folder holds its asm/ (kvm.h's asm/kvm.h is x86's) is checked with the target's asm/
// from a UAPI tree that has every arch's ($UAPI_TS_ASM_TREE, a Debian usr/include: `<tree>/<multiarch>/asm`),
// and skipped with a message where there is none.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../generator/src/load.js';
import { modelJson } from '../../generator/src/model/json.js';
import { TARGETS, type Target } from '../../generator/src/model/target.js';
import { formatMismatches, ROOT, type ConformanceResult, type ModelJsonLike } from './cprogram.js';
import { checkModelOnTarget, crossPackage, hasCrossCompiler, limited } from './cross.js';
import { goldenFixtures, heldPackages, type PackageEntry } from './held.js';

const ASM_TREE = process.env.UAPI_TS_ASM_TREE ?? '/tmp/deb/root/usr/include';
const packages = [...heldPackages(), ...goldenFixtures()];
// UAPI_TS_TARGETS=s390x,i386 checks only those.
const only = process.env.UAPI_TS_TARGETS?.split(',');
const cross = TARGETS.filter((t) => t.name !== 'x86_64' && (!only || only.includes(t.name)));

/** The asm/ headers the header reaches in its own include folders (which hold one arch's asm/). */
function heldAsm(pkg: PackageEntry): string[] {
  const dirs = (pkg.includeDirs ?? []).map((d) => join(ROOT, d));
  const queue = [join(ROOT, pkg.header)];
  const seen = new Set<string>();
  const asm: string[] = [];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^[ \t]*#[ \t]*include[ \t]*[<"]([^>"\n]+)[>"]/gm)) {
      const found = dirs.map((d) => join(d, m[1]!)).find((f) => existsSync(f));
      if (!found || seen.has(found)) continue;
      seen.add(found);
      if (m[1]!.startsWith('asm/')) asm.push(m[1]!);
      else queue.push(found);
    }
  }
  return asm;
}

const limit = limited(2);
const tally = new Map<string, { checked: number; matched: number; headers: number }>();

function check(pkg: PackageEntry, target: Target, asmDir: string | null): Promise<ConformanceResult> {
  return limit(async () => {
    // The tree's own folder last: the target's asm/ headers include linux/ ones the held folder lacks (psci.h).
    const includeDirs = [...(asmDir ? [asmDir] : []), ...(pkg.includeDirs ?? []).map((d) => join(ROOT, d)), ...(asmDir ? [ASM_TREE] : [])];
    // No profile: the facts are the C layout's, and a family's profile may name what only x86's asm/ declares.
    const model = loadModel(join(ROOT, pkg.header), { includeDirs, target });
    const json = modelJson(model) as ModelJsonLike & { target: { name: string } };
    expect(json.target.name).toBe(target.name);
    const short = pkg.name.replace(/^@uapi-ts\//, '').replace(/[^\w.-]/g, '_');
    return checkModelOnTarget(json, [join(ROOT, pkg.header)], target, { includeDirs, name: short });
  });
}

for (const target of cross) {
  const present = hasCrossCompiler(target);
  describe.runIf(present)(`layout conformance on ${target.name} (${target.triplet}-gcc)`, () => {
    const asmDir = join(ASM_TREE, target.multiarch);
    const jobs = new Map<PackageEntry, Promise<ConformanceResult> | string>();
    for (const pkg of packages) {
      const asm = heldAsm(pkg);
      const missing = asm.filter((h) => !existsSync(join(asmDir, h)));
      if (missing.length > 0) jobs.set(pkg, `${target.name} has no ${missing.join(', ')} in ${ASM_TREE}/${target.multiarch} (UAPI_TS_ASM_TREE: a Debian usr/include with every arch's asm/)`);
      else {
        const job = check(pkg, target, asm.length > 0 ? asmDir : null);
        job.catch(() => {}); // awaited by its own test
        jobs.set(pkg, job);
      }
    }
    for (const [pkg, job] of jobs) {
      const short = pkg.name.replace(/^@uapi-ts\//, '');
      if (typeof job === 'string') {
        it.skip(`${short}: skipped, ${job}`, () => {});
        continue;
      }
      it(`${short}: every record, field, enumerator, constant and ioctl matches ${target.triplet}-gcc`, async () => {
        const result = await job;
        const t = tally.get(target.name) ?? { checked: 0, matched: 0, headers: 0 };
        tally.set(target.name, { checked: t.checked + result.checked, matched: t.matched + result.checked - result.mismatches.length, headers: t.headers + 1 });
        expect(result.lines, `facts read from ${result.cFile}`).toBe(result.checked);
        expect(result.checked).toBeGreaterThan(0);
        if (result.mismatches.length > 0) {
          expect.fail(`${short} on ${target.name}: ${result.mismatches.length} of ${result.checked} facts differ from ${target.triplet}-gcc (${result.cFile}):\n${formatMismatches(result.mismatches)}`);
        }
      }, 120_000);
    }
  });
  if (!present) it.skip(`layout conformance on ${target.name} skipped: no ${target.triplet}-gcc (Debian package ${crossPackage(target)})`, () => {});
}

afterAll(() => {
  for (const [name, t] of tally) console.log(`cross conformance ${name}: ${t.matched} of ${t.checked} facts match over ${t.headers} headers`);
});
