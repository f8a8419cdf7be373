// What reading an included file's syntax adds to its unit, kept for the next unit of the same run that includes
// the very same file: over a whole tree, linux/types.h and what it includes are read 400-870 times each, and
// walking their syntax again each time was ~1.1 s of a ~13 s run. A walk's steps (declarations, typedef names,
// warnings, named comments, and where its includes are walked, in order) are replayed when the file comes again
// with the same text, from the same source, mapped the same way and under the same #pragma pack. A walk that asked
// whether a name is a typedef is not kept: that answer depends on the unit. The included files themselves are
// walked afresh at their step, each through its own memo, since what they hold can differ from unit to unit.
import type { Warning } from '../diagnostics.js';
import type { PreprocessedFile } from './preprocess.js';
import type { Declaration } from './syntax.js';

export type WalkStep =
  | { readonly kind: 'declaration'; readonly declaration: Declaration }
  | { readonly kind: 'typedef-name'; readonly name: string }
  | { readonly kind: 'warning'; readonly warning: Warning }
  /** A comment that starts `NAME - `, kept for NAME's macro unless one is kept already. */
  | { readonly kind: 'named-comment'; readonly path: string; readonly name: string; readonly text: string }
  /** The file the `#include` at this offset of the text names, walked here (when it was not skipped). */
  | { readonly kind: 'include'; readonly at: number };

/** What a walk's steps depend on; not the file's includes, which would keep its whole unit's files alive. */
type WalkedFile = Pick<PreprocessedFile, 'path' | 'abs' | 'source' | 'map' | 'packs'>;

export interface WalkMemo {
  readonly file: WalkedFile;
  readonly packAtStart: number | null;
  readonly steps: readonly WalkStep[];
}

// Bounds on what is kept: the files read again and again are small; each memo holds its text and its steps.
const KEPT_TEXT = 16 * 1024;
const KEPT_MEMOS = 256;
const memos = new Map<string, WalkMemo[]>(); // by preprocessed text
let count = 0;

/** The memo of a walk of `file` that began in the same state, if one is kept. */
export function recallWalk(file: PreprocessedFile, packAtStart: number | null): WalkMemo | undefined {
  if (file.text.length > KEPT_TEXT) return undefined; // never kept: no need to hash a long text to find that out
  return memos.get(file.text)?.find((m) => m.packAtStart === packAtStart && sameFile(m.file, file));
}

/** Keeps the steps of a walk of `file` that asked no typedef question; small texts only. */
export function keepWalk(file: PreprocessedFile, packAtStart: number | null, steps: readonly WalkStep[]): WalkMemo | undefined {
  if (file.text.length > KEPT_TEXT) return undefined;
  if (count >= KEPT_MEMOS) {
    const [oldest, list] = memos.entries().next().value!; // the text kept first, all its variants
    memos.delete(oldest);
    count -= list.length;
  }
  const { path, abs, source, map, packs } = file;
  const memo: WalkMemo = { file: { path, abs, source, map, packs }, packAtStart, steps };
  const list = memos.get(file.text);
  if (list) list.push(memo);
  else memos.set(file.text, [memo]);
  count++;
  return memo;
}

function sameFile(a: WalkedFile, b: WalkedFile): boolean {
  return a.path === b.path && a.abs === b.abs && a.source === b.source && a.map.sameAs(b.map) && samePacks(a.packs, b.packs);
}

function samePacks(a: PreprocessedFile['packs'], b: PreprocessedFile['packs']): boolean {
  return a.length === b.length && a.every((p, i) => p.offset === b[i]!.offset && p.pack === b[i]!.pack);
}
