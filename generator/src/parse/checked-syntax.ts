// A file's preprocessed text as a syntax tree that has passed the checks every walk relies on: parsed within its
// time bound, nested no deeper than MAX_NESTING, no syntax error. Small texts' trees are kept across units: a
// whole tree's headers read linux/types.h and what it includes 400-870 times each, 246 distinct texts in 8,771
// parses (Debian's 7.3 tree), and parsing is a pure function of the text.
import { HeaderError } from '../diagnostics.js';
import { checkNestingAndFind } from './nesting.js';
import { blankNonData } from './not-data.js';
import type { SourceMap } from './source-map.js';
import { commentTypeId, findSyntaxError, parseC, type SyntaxNode } from './treesitter.js';

export interface CheckedSyntax {
  /** The root's named children: the file's top-level declarations, directives and comments. */
  readonly topLevel: readonly SyntaxNode[];
  /** Every comment of the text, in order. */
  readonly comments: readonly SyntaxNode[];
}

// Bounds on what is kept: tree-sitter's trees are native memory, some tens of bytes per character of text.
const KEPT_TEXT = 8 * 1024;
const KEPT_TREES = 64;
const kept = new Map<string, CheckedSyntax>();

/** The checked syntax of `text` (a file's preprocessed text); errors are located through the file's `map`. */
export function checkedSyntax(text: string, map: SourceMap): CheckedSyntax {
  const hit = text.length <= KEPT_TEXT ? kept.get(text) : undefined;
  if (hit) return hit;
  const code = blankNonData(text);
  const tree = parseC(code);
  if ('gaveUpAt' in tree) throw tree.sawError ? firstSyntaxError(map, code, tree.gaveUpAt) : tooSlow(map, tree.gaveUpAt);
  const comments = checkNestingAndFind((n) => map.locate(n.startIndex), tree.rootNode, commentTypeId());
  const bad = findSyntaxError(tree.rootNode);
  if (bad) {
    const what = bad.isMissing ? `missing '${bad.type}'` : `syntax error near '${bad.text.slice(0, 30).split('\n')[0]}'`;
    throw new HeaderError(map.locate(bad.startIndex), what);
  }
  const syntax: CheckedSyntax = { topLevel: tree.rootNode.namedChildren, comments };
  if (text.length <= KEPT_TEXT) {
    if (kept.size >= KEPT_TREES) kept.delete(kept.keys().next().value!); // the oldest
    kept.set(text, syntax);
  }
  return syntax;
}

/**
 * The error to report when tree-sitter gave up recovering from syntax errors: the first one, found again in the
 * text up to where the parse had met it (that much parses quickly; cutting it there can only add errors after).
 */
function firstSyntaxError(map: SourceMap, text: string, at: number): HeaderError {
  const prefix = parseC(text.slice(0, at));
  const bad = 'rootNode' in prefix ? findSyntaxError(prefix.rootNode) : null;
  const loc = map.locate(bad ? bad.startIndex : at);
  const near = bad ? ` near '${bad.text.slice(0, 30).split('\n')[0]}'` : '';
  return new HeaderError(loc, `syntax error${near} (and so many after it that the parser gave up)`);
}

/** The error for a parse stopped by its time bound before any syntax error showed: where it had got to. */
function tooSlow(map: SourceMap, at: number): HeaderError {
  return new HeaderError(map.locate(at), 'cannot parse this header in reasonable time: the parser was stopped here (a long run of stray tokens?)');
}
