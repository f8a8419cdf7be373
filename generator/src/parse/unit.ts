// Reads a header and everything it includes, in order, the way a compiler would: #include through -I folders,
// #define/#undef, #if/#ifdef conditionals, then each declaration. The result is syntax only (syntax.ts).
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { HeaderError, type Loc, type Warning } from '../diagnostics.js';
import { builtinHeader } from './builtins.js';
import { trimEndOf } from '../text.js';
import { DeclarationReader } from './declarations.js';
import { parseExpr } from './expr.js';
import { parseKernelDoc } from './kerneldoc.js';
import { MacroTable, parseMacroDefinition, type MacroDef } from './macros.js';
import { checkNesting } from './nesting.js';
import { evaluateCondition } from './condition.js';
import type { Declaration, Expr, KernelDoc, MacroSyntax, ParsedUnit, SourceFile } from './syntax.js';
import { tokenize } from './tokens.js';
import { findSyntaxError, nodeEndLoc, nodeLoc, parseC, type SyntaxNode } from './treesitter.js';

export interface ParseOptions {
  readonly includeDirs: readonly string[];
}

export interface ParseResult {
  readonly unit: ParsedUnit;
  readonly warnings: readonly Warning[];
}

const MAX_INCLUDE_DEPTH = 40;

export function parseHeader(headerPath: string, options: ParseOptions): ParseResult {
  return new UnitReader(options).run(headerPath);
}

/** Paths in locations and output are relative to the working directory: no absolute paths leak into output. */
function displayPath(abs: string): string {
  return relative(process.cwd(), abs) || abs;
}

interface FileState {
  readonly path: string; // display path
  readonly abs: string | null; // null for built-in headers
  readonly docs: Map<string, { doc: KernelDoc; used: boolean }>;
}

class UnitReader {
  private readonly macros = new MacroTable();
  private readonly typedefNames = new Set<string>();
  private readonly declarations: Declaration[] = [];
  private readonly files: SourceFile[] = [];
  private readonly warnings: Warning[] = [];
  private readonly onceFiles = new Set<string>();
  private readonly builtinsRead = new Set<string>();
  // The comment at each #define (commentBefore), and by file the comments that start `NAME - `, by NAME.
  private readonly defineComments = new Map<MacroDef, string>();
  private readonly namedComments = new Map<string, Map<string, string>>();
  private depth = 0;

  constructor(private readonly options: ParseOptions) {}

  run(headerPath: string): ParseResult {
    const abs = resolve(headerPath);
    const at = { file: headerPath, line: 1, col: 1 };
    if (!isFile(abs)) throw new HeaderError(at, 'no such header file');
    const main = displayPath(abs);
    this.readFile(abs, readText(abs, at), false);
    const macroDecls = this.macros.all().map((m): MacroSyntax => ({
      kind: 'macro',
      name: m.name,
      params: m.params,
      body: m.body,
      value: this.macroValue(m.params, m.body, m.loc),
      comment: this.macroComment(m),
      loc: m.loc,
    }));
    return {
      unit: { kind: 'unit', main, files: this.files, declarations: [...this.declarations, ...macroDecls] },
      warnings: this.warnings,
    };
  }

  /**
   * The comment that documents a macro: one of its file's that starts with the macro's name and ` - `
   * (`/* FOO_GET - _IOR(FOO_TYPE, 1, struct foo_info) *\/`, wherever it is), else the one at its `#define`.
   */
  private macroComment(m: MacroDef): string {
    return this.namedComments.get(m.loc.file)?.get(m.name) ?? this.defineComments.get(m) ?? '';
  }

  private macroValue(params: readonly string[] | null, body: MacroSyntax['body'], loc: Loc): MacroSyntax['value'] {
    if (params !== null) return { kind: 'function-like' };
    if (body.length === 0) return { kind: 'empty' };
    try {
      const expanded = this.macros.expand(body);
      const last = body[body.length - 1]!;
      return { kind: 'expr', expr: parseExpr(expanded, (n) => this.typedefNames.has(n), endOf(last)) };
    } catch (e) {
      if (e instanceof HeaderError) return { kind: 'unparsable', reason: e.reason, loc: e.loc };
      throw e;
    }
  }

  private readFile(abs: string | null, text: string, builtin: boolean, builtinPath?: string): void {
    const path = builtinPath ?? displayPath(abs!);
    this.files.push({ path, text, builtin });
    if (text.includes('\0')) throw new HeaderError({ file: path, line: 1, col: 1 }, 'file contains a NUL byte: not a C header');
    const parseText = withoutLineEndBlanks(text);
    const tree = parseC(parseText);
    if ('gaveUpAt' in tree) throw tree.sawError ? firstSyntaxError(path, parseText, tree.gaveUpAt) : tooSlow(path, parseText, tree.gaveUpAt);
    checkNesting(path, tree.rootNode);
    const bad = findSyntaxError(tree.rootNode);
    if (bad) {
      const what = bad.isMissing ? `missing '${bad.type}'` : `syntax error near '${bad.text.slice(0, 30).split('\n')[0]}'`;
      throw new HeaderError(nodeLoc(path, bad), what);
    }
    const state: FileState = { path, abs, docs: new Map() };
    this.collectDocs(state, tree.rootNode);
    const reader = this.declarationReader(state);
    this.walk(state, reader, tree.rootNode.namedChildren);
    for (const [key, entry] of state.docs) {
      if (!entry.used && entry.doc.target.kind !== 'doc' && entry.doc.target.kind !== 'function') {
        this.warnings.push({ loc: entry.doc.loc, message: `kernel-doc for '${key}' documents no declaration in this file` });
      }
    }
  }

  private collectDocs(state: FileState, root: SyntaxNode): void {
    const visit = (node: SyntaxNode): void => {
      for (const c of node.namedChildren) {
        if (c.type === 'comment') {
          const text = commentText(c);
          const named = /^([A-Za-z_]\w*)\s+-\s/.exec(text)?.[1];
          if (named !== undefined) {
            let byName = this.namedComments.get(state.path);
            if (!byName) this.namedComments.set(state.path, (byName = new Map()));
            if (!byName.has(named)) byName.set(named, text);
          }
          const doc = parseKernelDoc(c.text, nodeLoc(state.path, c));
          if (!doc || doc.target.kind === 'doc' || doc.target.kind === 'function') continue;
          const key = `${doc.target.kind} ${doc.target.name}`;
          if (state.docs.has(key)) {
            this.warnings.push({ loc: doc.loc, message: `second kernel-doc comment for '${key}' ignored` });
            continue;
          }
          state.docs.set(key, { doc, used: false });
        } else if (c.namedChildCount > 0) visit(c);
      }
    };
    visit(root);
  }

  private declarationReader(state: FileState): DeclarationReader {
    return new DeclarationReader({
      file: state.path,
      expr: (node) => this.exprOf(state.path, node),
      docFor: (kind, name) => {
        const entry = state.docs.get(`${kind} ${name}`) ?? (kind === 'union' ? state.docs.get(`struct ${name}`) : undefined);
        if (!entry) return null;
        entry.used = true;
        return entry.doc;
      },
      defined: (decl) => {
        if (decl.name !== null || decl.kind === 'enum') this.declarations.push(decl);
      },
      preprocessor: (node) => this.preprocessor(state, node) ?? [],
    });
  }

  private exprOf(file: string, node: SyntaxNode): Expr {
    const tokens = this.macros.expand(tokenize(node.text, nodeLoc(file, node)));
    return parseExpr(tokens, (n) => this.typedefNames.has(n), nodeEndLoc(file, node));
  }

  private walk(state: FileState, reader: DeclarationReader, nodes: readonly SyntaxNode[]): void {
    for (const node of nodes) {
      const selected = this.preprocessor(state, node);
      if (selected) {
        this.walk(state, reader, selected);
        continue;
      }
      this.topLevel(state, reader, node);
    }
  }

  private topLevel(state: FileState, reader: DeclarationReader, node: SyntaxNode): void {
    const loc = nodeLoc(state.path, node);
    switch (node.type) {
      case 'comment': {
        const doc = parseKernelDoc(node.text, loc);
        if (doc?.target.kind === 'doc') this.declarations.push({ kind: 'doc-section', doc, loc });
        return;
      }
      case 'struct_specifier':
      case 'union_specifier':
      case 'enum_specifier':
        reader.typeSpec(node);
        return;
      case 'type_definition':
        for (const t of reader.typedef(node)) {
          this.typedefNames.add(t.declarator.name);
          this.declarations.push(t);
        }
        return;
      case 'declaration': {
        const type = node.childForFieldName('type');
        if (type) reader.typeSpec(type);
        const names = node.childrenForFieldName('declarator').map((d) => d.text.split(/[\s([=]/)[0]);
        if (names.length > 0) {
          this.warnings.push({ loc, message: `declaration of ${names.join(', ')} is not a type, constant or ioctl; not modelled` });
        }
        return;
      }
      case 'function_definition': {
        const name = node.childForFieldName('declarator')?.text.split('(')[0] ?? '?';
        this.warnings.push({ loc, message: `function ${name} is not modelled` });
        return;
      }
      default:
        throw new HeaderError(loc, `unsupported top-level construct (${node.type}): '${node.text.slice(0, 40).split('\n')[0]}'`);
    }
  }

  /**
   * Runs a preprocessor node. Returns the nodes a conditional selects, [] for other directives,
   * or undefined when `node` is not a preprocessor node.
   */
  private preprocessor(state: FileState, node: SyntaxNode): readonly SyntaxNode[] | undefined {
    const loc = nodeLoc(state.path, node);
    switch (node.type) {
      case 'preproc_def':
      case 'preproc_function_def': {
        const nameNode = node.childForFieldName('name')!;
        const params = node.childForFieldName('parameters');
        const value = node.childForFieldName('value');
        if (value) checkBodyLine(state.path, node, params ?? nameNode, value);
        const def = parseMacroDefinition(
          nameNode.text,
          params ? params.text : null,
          value ? value.text : '',
          value ? nodeLoc(state.path, value) : nodeEndLoc(state.path, nameNode),
          nodeLoc(state.path, nameNode),
        );
        this.macros.define(def);
        const comment = commentBefore(node);
        if (comment !== null && this.macros.get(def.name) === def) this.defineComments.set(def, comment);
        return [];
      }
      case 'preproc_include':
        this.include(state, node);
        return [];
      case 'preproc_call':
        this.directive(state, node);
        return [];
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef':
      case 'preproc_else':
        return this.conditional(state, node);
      default:
        if (node.type.startsWith('preproc_')) {
          // tree-sitter names conditionals inside struct bodies and enums e.g. preproc_if_in_field_declaration_list
          const base = node.type.replace(/_in_\w+$/, '');
          if (base !== node.type && ['preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_elifdef', 'preproc_else'].includes(base)) {
            return this.conditional(state, node, base);
          }
          throw new HeaderError(loc, `unsupported preprocessor construct (${node.type})`);
        }
        return undefined;
    }
  }

  private conditional(state: FileState, node: SyntaxNode, type = node.type): readonly SyntaxNode[] {
    const alternative = node.childForFieldName('alternative');
    const body = node.namedChildren.filter(
      (c) => c.id !== alternative?.id && c.id !== node.childForFieldName('condition')?.id && c.id !== node.childForFieldName('name')?.id,
    );
    let taken: boolean;
    if (type === 'preproc_else') taken = true;
    else if (type === 'preproc_ifdef' || type === 'preproc_elifdef') {
      const name = node.childForFieldName('name');
      if (!name) throw new HeaderError(nodeLoc(state.path, node), 'conditional without a macro name');
      const negate = node.child(0)!.text.endsWith('ndef');
      taken = this.macros.has(name.text) !== negate;
    } else {
      const cond = node.childForFieldName('condition');
      if (!cond) throw new HeaderError(nodeLoc(state.path, node), 'conditional without a condition');
      taken = evaluateCondition(tokenize(cond.text, nodeLoc(state.path, cond)), this.macros, nodeEndLoc(state.path, cond));
    }
    if (taken) return body;
    return alternative ? (this.preprocessor(state, alternative) ?? []) : [];
  }

  private directive(state: FileState, node: SyntaxNode): void {
    const loc = nodeLoc(state.path, node);
    const directive = node.childForFieldName('directive')?.text ?? '';
    const arg = (node.childForFieldName('argument')?.text ?? '').trim();
    switch (directive) {
      case '#undef':
        this.macros.undef(arg);
        return;
      case '#pragma':
        if (arg === 'once') {
          if (state.abs) this.onceFiles.add(state.abs);
          return;
        }
        throw new HeaderError(loc, `unsupported #pragma '${arg}' (it may change layout, so it cannot be ignored)`);
      case '#error':
        throw new HeaderError(loc, `#error ${arg}`);
      case '#warning':
        this.warnings.push({ loc, message: `#warning ${arg}` });
        return;
      default:
        throw new HeaderError(loc, `unsupported preprocessor directive '${directive}'`);
    }
  }

  private include(state: FileState, node: SyntaxNode): void {
    const loc = nodeLoc(state.path, node);
    const pathNode = node.childForFieldName('path');
    if (!pathNode || (pathNode.type !== 'system_lib_string' && pathNode.type !== 'string_literal')) {
      throw new HeaderError(loc, 'unsupported #include form (only <file> and "file")');
    }
    const name = pathNode.text.slice(1, -1);
    const quoted = pathNode.type === 'string_literal';
    const dirs = [...(quoted && state.abs ? [dirname(state.abs)] : []), ...this.options.includeDirs.map((d) => resolve(d))];
    const found = dirs.map((d) => join(d, name)).find(isFile);
    if (this.depth >= MAX_INCLUDE_DEPTH) throw new HeaderError(loc, `#include nested more than ${MAX_INCLUDE_DEPTH} deep (a header including itself?)`);
    this.depth++;
    try {
      if (found) {
        if (this.onceFiles.has(found)) return;
        this.readFile(found, readText(found, loc), false);
        return;
      }
      const builtin = builtinHeader(name);
      if (!builtin) {
        throw new HeaderError(loc, `cannot find ${pathNode.text}: add the folder that holds it with -I`);
      }
      if (this.builtinsRead.has(builtin.path)) return;
      this.builtinsRead.add(builtin.path);
      this.readFile(null, builtin.text, true, builtin.path);
    } finally {
      this.depth--;
    }
  }
}

/**
 * The text tree-sitter reads: blanks at line ends dropped, every other character where it was. C ignores them,
 * but tree-sitter-c reads `#define NAME` followed by blanks as a #define whose body is the next line.
 */
function withoutLineEndBlanks(text: string): string {
  return text.split('\n').map(withoutEndBlanks).join('\n');
}

function withoutEndBlanks(line: string): string {
  return trimEndOf(line, ' \t\f\v', line.endsWith('\r') ? line.length - 1 : line.length); // the CR of a CRLF stays
}

/**
 * tree-sitter-c also reads `#define NAME \` continued onto a blank line as a #define of the line after it; that
 * line would vanish. A body must lie on the #define's own logical line (comments and continuations aside).
 */
function checkBodyLine(file: string, def: SyntaxNode, head: SyntaxNode, value: SyntaxNode): void {
  const text = def.text.slice(head.endIndex - def.startIndex, value.endIndex - def.startIndex);
  if (text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\\[ \t]*\r?\n/g, '').includes('\n')) {
    throw new HeaderError(nodeLoc(file, head), 'cannot read this #define exactly: its line continues (\\) onto a blank line');
  }
}

/**
 * The error to report when tree-sitter gave up recovering from syntax errors: the first one, found again in the
 * text up to where the parse had met it (that much parses quickly; cutting it there can only add errors after).
 */
function firstSyntaxError(file: string, text: string, at: number): HeaderError {
  const prefix = parseC(text.slice(0, at));
  const bad = 'rootNode' in prefix ? findSyntaxError(prefix.rootNode) : null;
  const loc = bad ? nodeLoc(file, bad) : locAt(file, text, at);
  const near = bad ? ` near '${bad.text.slice(0, 30).split('\n')[0]}'` : '';
  return new HeaderError(loc, `syntax error${near} (and so many after it that the parser gave up)`);
}

/** The location of character offset `at` of `text`. */
function locAt(file: string, text: string, at: number): Loc {
  const before = text.slice(0, at).split('\n');
  return { file, line: before.length, col: before.at(-1)!.length + 1 };
}

/** The error for a parse stopped by its time bound before any syntax error showed: where it had got to. */
function tooSlow(file: string, text: string, at: number): HeaderError {
  return new HeaderError(locAt(file, text, at), 'cannot parse this header in reasonable time: the parser was stopped here (a long run of stray tokens?)');
}

/** Only regular files are headers: reading a folder fails, and a device or pipe (/dev/stdin) may never end. */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // missing, or a path through something that is not a folder
  }
}

function readText(path: string, loc: Loc): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new HeaderError(loc, `cannot read ${displayPath(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function endOf(token: { text: string; loc: Loc }): Loc {
  return { ...token.loc, col: token.loc.col + token.text.length };
}

/**
 * The text of the comment right before a `#define` (ending on the line above it or on its own line), or of one
 * inside it, without the comment markers and leading `*`s: some headers say there what the macro's value does not.
 */
function commentBefore(node: SyntaxNode): string | null {
  const inside = node.namedChildren.find((c) => c.type === 'comment');
  const before = node.previousNamedSibling;
  const c = inside ?? (before?.type === 'comment' && node.startPosition.row - before.endPosition.row <= 1 ? before : null);
  return c ? commentText(c) : null;
}

/** A comment's text without the comment markers and the leading `*` of its lines. */
function commentText(c: SyntaxNode): string {
  // Markers stripped by index, not by a regular expression: a run of `*` would make `\*+\/$` backtrack quadratically.
  let text = c.text;
  if (text.startsWith('/*')) {
    let start = 2;
    while (text[start] === '*') start++;
    let end = text.endsWith('*/') && text.length >= start + 2 ? text.length - 2 : text.length;
    while (end > start && text[end - 1] === '*') end--;
    text = text.slice(start, end);
  } else {
    let start = 0;
    while (text[start] === '/') start++;
    text = text.slice(start);
  }
  return text
    .split('\n')
    .map((l) => l.replace(/^\s*\*(?!\/)\s?/, '').trim())
    .join('\n')
    .trim();
}
