// `uapi-ts generate --tree DIR --out OUT`: a package for every linux/*.h of a UAPI tree (a headers_install folder
// or a distribution's usr/include), in one process. Each header is its own package, OUT/<name>, with a layout for
// each target (`--target`; x86_64 alone by default); -I is the tree, and each target's asm/ comes from the tree's
// folder for it (`<multiarch>/`, Debian's x86_64-linux-gnu/asm ...) when there. A header that stops at a located
// error fails the run and nothing is written, unless --skip-failing: then the others are written and each failure
// is reported.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type { PackageConfig } from './config.js';
import { DEFAULT_TARGET, type Target } from './model/target.js';
import { HeaderError, HeaderErrors, UsageError, type Warning } from './diagnostics.js';
import { renderOne } from './generate.js';
import { StagedOutput } from './emit/write.js';
import { hubPackage, stageHub, type HubPackage } from './emit/hub.js';

export interface TreeOptions {
  readonly tree: string;
  readonly out: string;
  readonly version: string;
  readonly systemIncludes: boolean;
  readonly skipFailing: boolean;
  /** The targets every package carries a layout for; x86_64 alone when not given. */
  readonly targets?: readonly Target[] | undefined;
  readonly progress: (line: string) => void;
}

export interface TreeResult {
  readonly generated: number;
  /** The first error of each header that could not be generated (only with skipFailing). */
  readonly failed: readonly HeaderError[];
  readonly warnings: readonly Warning[];
}

/**
 * The targets of a tree's packages. An installed usr/include keeps each architecture's asm/ in its multiarch folder
 * (the parser searches `TREE/<multiarch>/` before TREE for the target it lays out for); a headers_install folder
 * has one architecture's asm/ in TREE itself, so it serves one target: the one named (x86_64 by default).
 */
function treeTargets(tree: string, targets: readonly Target[] | undefined): readonly Target[] {
  const list = targets ?? [DEFAULT_TARGET];
  if (list.length === 1) return list;
  const missing = list.filter((t) => !existsSync(join(tree, t.multiarch)));
  if (missing.length > 0) {
    throw new UsageError(
      `--tree ${tree}: no ${missing.map((t) => `${t.multiarch}/`).join(', ')} folder for --target ${missing.map((t) => t.name).join(', ')}: a tree holds several targets' asm/ only in their multiarch folders (an installed usr/include); a headers_install folder holds one architecture's: generate it for that one --target`,
    );
  }
  return list;
}

/** One package config per linux/*.h of the tree, sorted by name. */
export function treePackages(tree: string, out: string, version: string, systemIncludes: boolean, targets?: readonly Target[]): PackageConfig[] {
  const linux = join(tree, 'linux');
  if (!existsSync(linux) || !statSync(linux).isDirectory()) throw new UsageError(`--tree ${tree}: no linux/ folder in it (give a headers_install folder or a usr/include)`);
  const packageTargets = treeTargets(tree, targets);
  const includeDirs = [tree];
  return readdirSync(linux)
    .filter((f) => f.endsWith('.h'))
    .sort()
    .map((f): PackageConfig => {
      const base = f.replace(/\.h$/, '');
      return { name: `@uapi-ts/${base.replace(/_/g, '-').toLowerCase()}`, header: join(linux, f), includeDirs, out: join(out, base), version, kernel: null, systemIncludes, targets: packageTargets };
    });
}

/**
 * Async only to let the event loop turn after each header: tree-sitter's binding frees a syntax tree (native
 * memory, which V8's heap does not count) in a finalizer that Node runs from the event loop, never inside a
 * synchronous run. Over Debian's 7.3 tree one synchronous loop held every header's trees to the end: 467 MiB peak
 * RSS, and still 384 MiB with a full GC after each header (live heap 17-28 MiB throughout); 256 MiB now.
 */
export async function generateTree(options: TreeOptions): Promise<TreeResult> {
  const packages = treePackages(options.tree, options.out, options.version, options.systemIncludes, options.targets);
  const output = new StagedOutput();
  const failed: HeaderError[] = [];
  const warnings: Warning[] = [];
  const hub: HubPackage[] = [];
  try {
    for (const [i, config] of packages.entries()) {
      if (i > 0) await setImmediate(); // the previous header's trees are freed here (see above)
      const at = `[${i + 1}/${packages.length}] linux/${config.header.split('/').pop()}`;
      try {
        const { files, counts, warnings: w, ...rendered } = renderOne(config);
        warnings.push(...w);
        hub.push(hubPackage(config, { ...rendered, counts }));
        output.stage(config.out, files);
        options.progress(`${at}: ${counts.records} records, ${counts.enums} enums, ${counts.constants} constants, ${counts.ioctls} ioctls`);
      } catch (e) {
        if (!options.skipFailing || !(e instanceof HeaderError || e instanceof HeaderErrors)) throw e;
        const first = e instanceof HeaderErrors ? e.errors[0]! : e;
        failed.push(first);
        options.progress(`${at}: not generated: ${first.message}`);
      }
    }
    // One documentation site over the tree's packages (OUT/docs/), with one search across them.
    stageHub(output, hub);
  } catch (e) {
    output.discard();
    throw e;
  }
  output.commit(() => {});
  options.progress(`${packages.length - failed.length} of ${packages.length} headers generated into ${options.out}/`);
  return { generated: packages.length - failed.length, failed, warnings };
}
