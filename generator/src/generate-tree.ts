// `uapi-ts generate --tree DIR --out OUT`: a package for every linux/*.h of a UAPI tree (a headers_install folder
// or a distribution's usr/include), in one process. Each header is its own package, OUT/<name>; -I is the tree and,
// when there, its x86_64-linux-gnu/ (Debian keeps asm/ there). A header that stops at a located error fails the run
// and nothing is written, unless --skip-failing: then the others are written and each failure is reported.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type { PackageConfig } from './config.js';
import { DEFAULT_TARGET } from './model/target.js';
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
  readonly progress: (line: string) => void;
}

export interface TreeResult {
  readonly generated: number;
  /** The first error of each header that could not be generated (only with skipFailing). */
  readonly failed: readonly HeaderError[];
  readonly warnings: readonly Warning[];
}

// A tree's asm/ headers are those of one architecture (Debian's usr/include: x86_64-linux-gnu/asm), so its packages
// are laid out for that one.
const TREE_TARGETS = [DEFAULT_TARGET];

/** One package config per linux/*.h of the tree, sorted by name. */
export function treePackages(tree: string, out: string, version: string, systemIncludes: boolean): PackageConfig[] {
  const linux = join(tree, 'linux');
  if (!existsSync(linux) || !statSync(linux).isDirectory()) throw new UsageError(`--tree ${tree}: no linux/ folder in it (give a headers_install folder or a usr/include)`);
  const includeDirs = [tree, join(tree, 'x86_64-linux-gnu')].filter((d) => existsSync(d));
  return readdirSync(linux)
    .filter((f) => f.endsWith('.h'))
    .sort()
    .map((f): PackageConfig => {
      const base = f.replace(/\.h$/, '');
      return { name: `@uapi-ts/${base.replace(/_/g, '-').toLowerCase()}`, header: join(linux, f), includeDirs, out: join(out, base), version, kernel: null, systemIncludes, targets: TREE_TARGETS };
    });
}

/**
 * Async only to let the event loop turn after each header: tree-sitter's binding frees a syntax tree (native
 * memory, which V8's heap does not count) in a finalizer that Node runs from the event loop, never inside a
 * synchronous run. Over Debian's 7.3 tree one synchronous loop held every header's trees to the end: 467 MiB peak
 * RSS, and still 384 MiB with a full GC after each header (live heap 17-28 MiB throughout); 256 MiB now.
 */
export async function generateTree(options: TreeOptions): Promise<TreeResult> {
  const packages = treePackages(options.tree, options.out, options.version, options.systemIncludes);
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
