// The one place that loads tree-sitter; the rest of parse/ sees plain syntax nodes.
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import type { Loc } from '../diagnostics.js';

export type SyntaxNode = Parser.SyntaxNode;

let parser: Parser | undefined;

export function parseC(text: string): Parser.Tree {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(C as unknown as Parser.Language);
  }
  // The default buffer size truncates large inputs; give tree-sitter room for the whole file.
  return parser.parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) });
}

export function nodeLoc(file: string, node: SyntaxNode): Loc {
  return { file, line: node.startPosition.row + 1, col: node.startPosition.column + 1 };
}

export function nodeEndLoc(file: string, node: SyntaxNode): Loc {
  return { file, line: node.endPosition.row + 1, col: node.endPosition.column + 1 };
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
