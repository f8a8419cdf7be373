// The one place that loads tree-sitter; the rest of parse/ sees plain syntax nodes.
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';

export type SyntaxNode = Parser.SyntaxNode;

let parser: Parser | undefined;

// tree-sitter's error recovery can take minutes on long runs of stray tokens (20000 in a struct body: 5 s,
// growing quadratically). Valid text parses in linear time, so a parse that has met an error is stopped after
// RECOVERY_MS: such a header is refused either way, only where the error is reported could differ. The error
// flag comes per progress report and is not set on every report of a slow recovery (10000 '<' then 58000 ':' in
// a field: 40 s with the flag mostly clear), so once seen it counts for the rest of the parse; and any parse
// stops at MAX_PARSE_MS, far above what a valid header of the largest size we model needs.
const RECOVERY_MS = 2000;
const MAX_PARSE_MS = 5000;

/**
 * The syntax tree of `text`; or, when the parse ran past its bound, `gaveUpAt`: the character offset where
 * tree-sitter had first met an error (`sawError`: the first error lies at or before it), or else had got to.
 */
export function parseC(text: string): Parser.Tree | { readonly gaveUpAt: number; readonly sawError: boolean } {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(C as unknown as Parser.Language);
  }
  const start = performance.now();
  let errorAt = -1;
  let reached = 0;
  const tree = parser.parse(text, undefined, {
    // The default buffer size truncates large inputs; give tree-sitter room for the whole file.
    bufferSize: Math.max(32 * 1024, text.length * 2 + 1024),
    progressCallback: (offset, hasError) => {
      reached = offset / 2; // offsets count UTF-16 bytes
      if (hasError && errorAt < 0) errorAt = reached;
      const elapsed = performance.now() - start;
      return (errorAt >= 0 && elapsed > RECOVERY_MS) || elapsed > MAX_PARSE_MS;
    },
  }) as Parser.Tree | null;
  if (tree) return tree;
  parser.reset(); // a stopped parse would otherwise resume on the next call
  return { gaveUpAt: Math.max(0, errorAt >= 0 ? errorAt : reached), sawError: errorAt >= 0 };
}

/** The first syntax error or missing token under `node`, if any. */
export function findSyntaxError(node: SyntaxNode): SyntaxNode | null {
  if (isUnnamedBitField(node)) return null;
  if (!node.hasError && !node.isMissing) return null;
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const child of node.children) {
    const found = findSyntaxError(child);
    if (found) return found;
  }
  return null; // the only problems below were unnamed bit-fields
}

/** `unsigned int : 0;` is valid C; tree-sitter reads it as a field whose identifier is missing. */
export function isUnnamedBitField(node: SyntaxNode): boolean {
  return node.isMissing && node.type === 'field_identifier' && node.nextNamedSibling?.type === 'bitfield_clause';
}

let commentType: number | undefined;

/** The grammar's number for a comment node: compared instead of the type's name, which is a new string per node. */
export function commentTypeId(): number {
  if (commentType === undefined) {
    const tree = parseC('/* */');
    const node = 'rootNode' in tree ? tree.rootNode.firstChild : null;
    if (node?.type !== 'comment') throw new Error('tree-sitter-c: no comment node in the parse of a comment');
    commentType = node.typeId;
  }
  return commentType;
}
