// Fuzz cases: a case is (header, seed, mutation list). The list is drawn from the seed unless given, and the
// mutations draw their choices from a second stream of the same seed, so (header, seed, mutations) always
// reproduces the same text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MUTATIONS, NEUTRAL, mutationNamed, type Mutation } from './mutations.js';
import { makeRng } from './rng.js';

/** A header of headers/ with what it needs to load: its version folder as include directory, and its hints. */
export interface Subject {
  readonly header: string; // headers/v7.3/linux/iommufd.h
  readonly inside: string; // linux/iommufd.h: where the mutated copy goes inside its own include folder
  readonly includeDirs: readonly string[];
  readonly hints: string | undefined;
  /** The targets its package is generated for (config `targets`; kvm's asm/ is x86's), or undefined for the default. */
  readonly targets: readonly string[] | undefined;
  readonly text: string;
}

export interface FuzzCase {
  readonly header: string;
  readonly seed: number;
  readonly mutations: readonly string[];
}

/**
 * Every header in headers/<version>/ that a configured package is generated from, with the hints the config
 * gives it. The headers they include (asm/kvm.h, linux/stddef.h ...) are read through them; a header held for a
 * package not generated yet (kvm.h: multi-dimensional arrays) is not a subject until it is.
 */
export function subjects(root = '.'): Subject[] {
  const config = JSON.parse(readFileSync(join(root, 'uapi-ts.config.json'), 'utf8')) as { packages: { header: string; profile?: string; targets?: string[] }[] };
  const packageOf = (header: string) => config.packages.find((p) => p.header === header || header.endsWith(`/${p.header}`));
  const hintsFor = (header: string): string | undefined => packageOf(header)?.profile;
  const out: Subject[] = [];
  for (const version of readdirSync(join(root, 'headers')).sort()) {
    const folder = join('headers', version);
    if (!statSync(join(root, folder)).isDirectory()) continue;
    for (const file of walk(join(root, folder))) {
      if (!file.endsWith('.h')) continue;
      const header = relative(root, file).split(sep).join('/');
      if (!config.packages.some((p) => p.header === header || header.endsWith(`/${p.header}`))) continue;
      out.push({ header, inside: relative(join(root, folder), file).split(sep).join('/'), includeDirs: [folder], hints: hintsFor(header), targets: packageOf(header)?.targets, text: readFileSync(file, 'utf8') });
    }
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * The case for `seed`: one to three mutations, or (one case in eight) only neutral ones, whose result must
 * model exactly like the original.
 */
export function makeCase(header: string, seed: number): FuzzCase {
  const rng = makeRng(seed ^ 0x5bd1e995);
  const pool = rng.chance(1 / 8) ? NEUTRAL : MUTATIONS;
  const count = rng.range(1, 3);
  return { header, seed, mutations: Array.from({ length: count }, () => rng.pick(pool).name) };
}

export function applyCase(text: string, c: FuzzCase): string {
  const rng = makeRng(c.seed);
  return c.mutations.map(mutationNamed).reduce((t: string, m: Mutation) => m.apply(t, rng), text);
}

export function isNeutral(c: FuzzCase): boolean {
  return c.mutations.every((name) => mutationNamed(name).neutral);
}

/** How a failure is reproduced: `npm run fuzz -- --header H --seed S --mutations a,b`. */
export function describeCase(c: FuzzCase): string {
  return `--header ${c.header} --seed ${c.seed} --mutations ${c.mutations.join(',')}`;
}
