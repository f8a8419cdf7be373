// The headers an imported header includes, transitively, found in the same source (a package's usr/include and
// its multiarch folder, a kernel tree's uapi folders), so that the version folder compiles on its own as gcc
// sees it. The model's own built-in headers (types, ioctl) are never brought (what they include is); neither is
// a header the source does not hold (the compiler's or libc's), which the load check then names if it is needed.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { MODEL_HEADERS } from '../parse/builtins.js';

export interface IncludeRoot {
  readonly dir: string; // a folder on this machine
  readonly label: string; // how SOURCES.md names it: usr/include, usr/include/x86_64-linux-gnu
}

export interface Dependency {
  readonly header: string; // the path inside the version folder: asm/foo.h
  readonly text: string;
  /** Where it came from, inside the source: `usr/include/x86_64-linux-gnu/asm/foo.h (-> usr/lib/...)`. */
  readonly from: string;
}

const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]/gm;

const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();

/**
 * Every header `text` (at `header`) includes, directly or not, that one of `roots` holds, in the order first met.
 * Conditionals are not evaluated: an include in any branch is brought if the source has it (a branch gcc skips
 * costs a file, not a wrong model). `prepare` turns a file's raw text into the installed form.
 */
export function dependencies(
  header: string,
  text: string,
  roots: readonly IncludeRoot[],
  sourceRoot: string,
  prepare: (raw: string, path: string) => string = (raw) => raw,
): Dependency[] {
  const out: Dependency[] = [];
  const seen = new Set<string>([header]);
  const queue: { header: string; text: string }[] = [{ header, text }];
  while (queue.length > 0) {
    const cur = queue.shift()!;
    for (const m of cur.text.matchAll(INCLUDE)) {
      const name = m[1] === '"' ? normalize(join(dirname(cur.header), m[2]!)) : m[2]!;
      const candidates = m[1] === '"' ? [name, m[2]!] : [name];
      const found = candidates.flatMap((n) => roots.map((r) => ({ n, r, path: join(r.dir, n) }))).find((c) => isFile(c.path));
      if (!found || seen.has(found.n)) continue;
      seen.add(found.n);
      const real = realpathSync(found.path);
      const at = `${found.r.label}/${found.n}`;
      const target = relative(sourceRoot, real);
      const from = target === at || target.startsWith('..') ? at : `${at} (a link to ${target})`;
      const depText = prepare(readFileSync(real, 'utf8'), real);
      // A model header is not brought, but what it includes is: gcc reads the system's linux/types.h, and the
      // version's asm/bitsperlong.h, posix_types.h ... then come from the version folder as they should.
      if (!MODEL_HEADERS.has(found.n)) out.push({ header: found.n, text: depText, from });
      queue.push({ header: found.n, text: depText });
    }
  }
  return out;
}
