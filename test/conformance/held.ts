// The headers the layout conformance checks (layout.test.ts against gcc run here, cross.test.ts against the
// cross-compilers): every configured package (a series as its newest version), every other held version of a
// series, each header once, and the fixtures (constructs the kernel headers lack: bit-fields, __be32, nested
// arrays of structs, and what differs between ABIs).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../../generator/src/config.js';
import { ROOT } from './cprogram.js';

export interface PackageEntry {
  readonly name: string;
  readonly header: string;
  readonly includeDirs?: readonly string[];
  readonly profile?: string;
}

export function heldPackages(): PackageEntry[] {
  const configured = readConfig(join(ROOT, 'uapi-ts.config.json'));
  const out: PackageEntry[] = [];
  const seen = new Set<string>();
  const add = (e: PackageEntry) => {
    const key = JSON.stringify([e.header, e.includeDirs ?? [], e.profile ?? null]);
    if (!seen.has(key)) out.push(e);
    seen.add(key);
  };
  for (const p of configured) add(p);
  for (const p of configured) {
    for (const v of p.series?.versions ?? []) {
      add({ name: `${p.name}@${v.version}`, header: v.header, includeDirs: [v.folder, ...p.includeDirs.slice(1)], profile: p.profile });
    }
  }
  return out;
}

/** The golden fixtures, and the conformance's own (fixtures/abi.h: what differs between ABIs). */
export function goldenFixtures(): PackageEntry[] {
  const fixtures = (dir: string, prefix: string): PackageEntry[] =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.h'))
      .sort()
      .map((f) => ({ name: `${prefix}-${f.replace(/\.h$/, '')}`, header: `${dir}/${f}` }));
  return [...fixtures('test/golden/fixtures', 'golden'), ...fixtures('test/conformance/fixtures', 'fixture')];
}
