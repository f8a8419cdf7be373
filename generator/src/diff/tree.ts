// `uapi-ts diff --tree OLD NEW`: one verdict per linux/*.h of two UAPI trees (headers_install folders or a
// distribution's usr/include). Each header present on both sides is loaded with -I its own tree and compared with
// diffModels; a header that either side cannot load is "not modelled", with the first located error.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { HeaderError, HeaderErrors, UsageError } from '../diagnostics.js';
import { loadModel } from '../load.js';
import { diffModels, hasBreaking, type Change } from './diff.js';
import { defaultProfile } from './inputs.js';

export type TreeVerdict =
  | { readonly header: string; readonly verdict: 'added' | 'removed' | 'unchanged' }
  | { readonly header: string; readonly verdict: 'compatible' | 'breaking'; readonly changes: readonly Change[] }
  | { readonly header: string; readonly verdict: 'not modelled'; readonly error: string };

export interface TreeDiffOptions {
  readonly systemIncludes: boolean;
  /** Where headers/NAME.profile.json live (the family's conventions, as `diff` uses them). */
  readonly headersDir: string;
  readonly progress: (line: string) => void;
}

interface TreeDirs {
  readonly includeDirs: readonly string[];
  readonly headers: ReadonlySet<string>;
}

function readTree(tree: string, which: string): TreeDirs {
  const linux = join(tree, 'linux');
  if (!existsSync(linux) || !statSync(linux).isDirectory()) throw new UsageError(`diff --tree ${which} ${tree}: no linux/ folder in it (give a headers_install folder or a usr/include)`);
  // Debian keeps the x86-64 asm/ in x86_64-linux-gnu/.
  const includeDirs = [tree, join(tree, 'x86_64-linux-gnu')].filter((d) => existsSync(d));
  return { includeDirs, headers: new Set(readdirSync(linux).filter((f) => f.endsWith('.h'))) };
}

function firstError(e: unknown): string {
  if (e instanceof HeaderErrors) return e.errors[0]!.message;
  if (e instanceof HeaderError) return e.message;
  throw e;
}

/** Async only to let the event loop turn after each header: tree-sitter frees syntax trees from there (generate-tree.ts). */
export async function diffTrees(oldTree: string, newTree: string, options: TreeDiffOptions): Promise<TreeVerdict[]> {
  const a = readTree(oldTree, 'OLD');
  const b = readTree(newTree, 'NEW');
  const names = [...new Set([...a.headers, ...b.headers])].sort();
  const verdicts: TreeVerdict[] = [];
  for (const [i, f] of names.entries()) {
    if (i > 0) await setImmediate();
    const header = `linux/${f}`;
    let v: TreeVerdict;
    if (!b.headers.has(f)) v = { header, verdict: 'removed' };
    else if (!a.headers.has(f)) v = { header, verdict: 'added' };
    else {
      const load = (tree: string, dirs: TreeDirs) => {
        const path = join(tree, 'linux', f);
        return loadModel(path, { includeDirs: dirs.includeDirs, profileFile: defaultProfile(path, options.headersDir, undefined), systemIncludes: options.systemIncludes });
      };
      try {
        const changes = diffModels(load(oldTree, a), load(newTree, b));
        v = changes.length === 0 ? { header, verdict: 'unchanged' } : { header, verdict: hasBreaking(changes) ? 'breaking' : 'compatible', changes };
      } catch (e) {
        v = { header, verdict: 'not modelled', error: firstError(e) };
      }
    }
    options.progress(`[${i + 1}/${names.length}] ${verdictLine(v)}`);
    verdicts.push(v);
  }
  return verdicts;
}

export function verdictLine(v: TreeVerdict): string {
  switch (v.verdict) {
    case 'compatible':
      return `${v.header}: compatible (${v.changes.length} change${v.changes.length === 1 ? '' : 's'})`;
    case 'breaking': {
      const n = v.changes.filter((c) => c.breaking).length;
      return `${v.header}: breaking (${n} breaking of ${v.changes.length} change${v.changes.length === 1 ? '' : 's'})`;
    }
    case 'not modelled':
      return `${v.header}: not modelled: ${v.error}`;
    default:
      return `${v.header}: ${v.verdict}`;
  }
}

/** `added 12, removed 1, unchanged 300, ...`: the count of each verdict that occurs, in a fixed order. */
export function verdictSummary(verdicts: readonly TreeVerdict[]): string {
  const order = ['added', 'removed', 'unchanged', 'compatible', 'breaking', 'not modelled'] as const;
  return order.map((k) => [k, verdicts.filter((v) => v.verdict === k).length] as const).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
}

