// A bound on how deep a header's syntax tree may nest, checked before anything walks it. The walks over the
// tree (syntax errors, kernel-doc comments, declarations, conditionals) and the model and views built from it
// recurse once per level, so a header nested thousands deep would overflow the stack. Compilers bound this
// too; C11 5.2.4.1 asks for 63 levels of each kind, real headers use a few dozen tree levels.
import { HeaderError } from '../diagnostics.js';
import type { Loc } from '../diagnostics.js';
import type { SyntaxNode } from './treesitter.js';

export const MAX_NESTING = 256;

/**
 * Throws a located error at the first node nested deeper than MAX_NESTING levels, and returns every node of the
 * grammar's type number `collect` (the comments), in text order. One cursor walk does both: no node objects are
 * made but the ones returned, and a whole tree's generation walked each file's tree twice when they were apart.
 */
export function checkNestingAndFind(locate: (node: SyntaxNode) => Loc, root: SyntaxNode, collect: number): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const cursor = root.walk();
  let depth = 0;
  for (;;) {
    if (cursor.nodeTypeId === collect) found.push(cursor.currentNode);
    if (cursor.gotoFirstChild()) {
      if (++depth > MAX_NESTING) {
        throw new HeaderError(locate(cursor.currentNode), `nested too deeply: more than ${MAX_NESTING} levels of brackets, records, conditionals or operators`);
      }
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return found;
      depth--;
    }
  }
}
