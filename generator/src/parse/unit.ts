// Reads a header and everything it includes, in order, the way a compiler would: #include through -I folders,
// #define/#undef, #if/#ifdef conditionals and macro expansion (preprocess.ts), then each declaration. The result is syntax only (syntax.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { HeaderError, type Loc, type Warning } from '../diagnostics.js';
import { checkedSyntax } from './checked-syntax.js';
import { builtinHeader, COMPILER_TYPEDEFS, GNUC_MACROS, predefinedMacros, STDDEF_TYPEDEFS } from './builtins.js';
import type { Target } from '../model/target.js';
import { DeclarationReader } from './declarations.js';
import { parseExpr } from './expr.js';
import { parseKernelDoc } from './kerneldoc.js';
import { MacroTable, parseMacroDefinition, type MacroDef } from './macros.js';
import { preprocessFile, type PreprocessedFile, type PreprocessHost } from './preprocess.js';
import type { Declaration, Expr, KernelDoc, MacroSyntax, ParsedUnit, SourceFile } from './syntax.js';
import { tokenize } from './tokens.js';
import type { SyntaxNode } from './treesitter.js';
import { keepWalk, recallWalk, type WalkMemo, type WalkStep } from './walk-memo.js';

export interface ParseOptions {
  readonly includeDirs: readonly string[];
  /** Folders searched after -I and the built-in headers (the system's: parse/system-includes.ts). */
  readonly systemIncludeDirs?: readonly string[] | undefined;
  /** The ABI read for: its predefined macros, its built-in types.h and ioctl.h, its multiarch asm/ folder. */
  readonly target: Target;
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
  readonly file: PreprocessedFile;
  readonly path: string; // display path
  readonly docs: Map<string, { doc: KernelDoc; used: boolean }>;
}

class UnitReader implements PreprocessHost {
  readonly macros = new MacroTable();
  readonly warnings: Warning[] = [];
  private readonly typedefNames = new Set<string>();
  private readonly declarations: Declaration[] = [];
  private readonly files: SourceFile[] = [];
  private readonly onceFiles = new Set<string>();
  private readonly builtinsRead = new Set<string>();
  // The comment at each #define (commentBefore), and by file the comments that start `NAME - `, by NAME.
  private readonly defineComments = new Map<MacroDef, string>();
  private readonly namedComments = new Map<string, Map<string, string>>();
  private depth = 0;
  // Files read from the system's folders (libc's): their functions and declarations are not the header's, so
  // what they say is not warned about.
  private readonly systemFiles = new Set<string>();
  readonly packStack: (number | null)[] = [];
  pack: number | null = null;

  get charSigned(): boolean {
    return this.options.target.charSigned;
  }
  // The pack value in effect where each file's text starts (gcc's state lasts across #include).
  private readonly packAtStart = new Map<PreprocessedFile, number | null>();

  // The steps of the file walk in progress, and how many typedef questions it asked itself (walk-memo.ts).
  private steps: WalkStep[] = [];
  private typedefQuestions = 0;
  // The memos this unit has used: a file walked twice in one unit (no include guard) is read afresh the second
  // time, so that its declarations are distinct objects as a fresh read's are.
  private readonly memosUsed = new Set<WalkMemo>();

  // The -I folders; an installed tree keeps each target's asm/ in its multiarch folder, searched first, as gcc does.
  private readonly userDirs: string[];

  constructor(private readonly options: ParseOptions) {
    const multiarch = options.target.multiarch;
    this.userDirs = options.includeDirs.map((d) => resolve(d)).flatMap((d) => (isDir(join(d, multiarch)) ? [join(d, multiarch), d] : [d]));
    const at = { file: '<builtin>/predefined', line: 1, col: 1 };
    const predefined = [...predefinedMacros(options.target), ...(options.systemIncludeDirs ? GNUC_MACROS : [])];
    for (const [name, value] of predefined) this.macros.define(parseMacroDefinition(name, null, value, at, at));
  }

  run(headerPath: string): ParseResult {
    const abs = resolve(headerPath);
    const at = { file: headerPath, line: 1, col: 1 };
    if (!isFile(abs)) throw new HeaderError(at, existsSync(abs) ? 'is a folder, not a header file' : 'no such header file');
    const main = displayPath(abs);
    // First the whole unit is preprocessed (macros take effect in text order, across #includes), then each
    // file's text is parsed and read, included files where their #include stands.
    this.walkFile(this.preprocess(abs, readText(abs, at)), false);
    const macroDecls = this.macros.all().map((m): MacroSyntax => ({
      kind: 'macro',
      name: m.name,
      params: m.params,
      body: m.body,
      value: this.macroValue(m.name, m.params, m.body, m.loc),
      comment: this.macroComment(m),
      loc: m.loc,
    }));
    return {
      unit: { kind: 'unit', main, files: this.files, declarations: [...this.declarations, ...macroDecls] },
      warnings: this.systemFiles.size === 0 ? this.warnings : this.warnings.filter((w) => !this.systemFiles.has(w.loc.file)),
    };
  }

  /**
   * The comment that documents a macro: one of its file's that starts with the macro's name and ` - `
   * (`/* FOO_GET - _IOR(FOO_TYPE, 1, struct foo_info) *\/`, wherever it is), else the one at its `#define`.
   */
  private macroComment(m: MacroDef): string {
    return this.namedComments.get(m.loc.file)?.get(m.name) ?? this.defineComments.get(m) ?? '';
  }

  private macroValue(name: string, params: readonly string[] | null, body: MacroSyntax['body'], loc: Loc): MacroSyntax['value'] {
    if (params !== null) return { kind: 'function-like' };
    if (body.length === 0) return { kind: 'empty' };
    try {
      const expanded = this.macros.expand(body, name);
      const last = body[body.length - 1]!;
      return { kind: 'expr', expr: parseExpr(expanded, (n) => this.isTypeName(n), endOf(last)) };
    } catch (e) {
      if (e instanceof HeaderError) return { kind: 'unparsable', reason: e.reason, loc: e.loc };
      throw e;
    }
  }

  private isTypeName(name: string): boolean {
    this.typedefQuestions++;
    return this.typedefNames.has(name) || STDDEF_TYPEDEFS.has(name) || COMPILER_TYPEDEFS.has(name);
  }

  // ---- PreprocessHost ----

  once(abs: string): void {
    this.onceFiles.add(abs);
  }

  defineComment(def: MacroDef, comment: string): void {
    this.defineComments.set(def, commentText(comment));
  }

  include(from: { path: string; abs: string | null }, name: string, quoted: boolean, loc: Loc, next = false): PreprocessedFile | null {
    const userDirs = this.userDirs;
    const systemDirs = (this.options.systemIncludeDirs ?? []).map((d) => resolve(d));
    // #include_next (gcc's stddef.h, stdint.h): the search starts after the folder the including file was found in.
    const after = next && from.abs ? [...userDirs, ...systemDirs].findIndex((d) => from.abs!.startsWith(d + sep)) + 1 : 0;
    const skip = (dirs: string[], offset: number) => dirs.filter((_, i) => i + offset >= after);
    const dirs = [...(quoted && from.abs && !next ? [dirname(from.abs)] : []), ...skip(userDirs, 0)];
    const found = dirs.map((d) => join(d, name)).find(isFile);
    const spelled = quoted ? `"${name}"` : `<${name}>`;
    if (this.depth >= MAX_INCLUDE_DEPTH) throw new HeaderError(loc, `#include nested more than ${MAX_INCLUDE_DEPTH} deep (a header including itself?)`);
    this.depth++;
    try {
      if (found) {
        if (this.onceFiles.has(found)) return null;
        return this.preprocess(found, readText(found, loc));
      }
      const builtin = after <= userDirs.length ? builtinHeader(name, this.options.target) : undefined;
      if (!builtin) {
        const system = skip(systemDirs, userDirs.length).map((d) => join(d, name)).find(isFile);
        if (system) {
          this.systemFiles.add(displayPath(system));
          return this.onceFiles.has(system) ? null : this.preprocess(system, readText(system, loc));
        }
        const hint = this.options.systemIncludeDirs ? '' : ' (or --system-includes, for a libc header)';
        throw new HeaderError(loc, `cannot find ${spelled}: add the folder that holds it with -I${hint}`);
      }
      if (this.builtinsRead.has(builtin.path)) return null;
      this.builtinsRead.add(builtin.path);
      return this.preprocess(null, builtin.text, builtin.path);
    } finally {
      this.depth--;
    }
  }

  private preprocess(abs: string | null, text: string, builtinPath?: string): PreprocessedFile {
    const path = builtinPath ?? displayPath(abs!);
    this.files.push({ path, text, builtin: builtinPath !== undefined });
    if (text.includes('\0')) throw new HeaderError({ file: path, line: 1, col: 1 }, 'file contains a NUL byte: not a C header');
    const packAtStart = this.pack;
    const file = preprocessFile(path, abs, text, this);
    this.packAtStart.set(file, packAtStart);
    return file;
  }

  /** The `#pragma pack` value at an offset of a file's preprocessed text. */
  private packAt(file: PreprocessedFile, offset: number): number | null {
    let pack = this.packAtStart.get(file) ?? null;
    for (const p of file.packs) {
      if (p.offset > offset) break;
      pack = p.pack;
    }
    return pack;
  }

  // ---- Reading the preprocessed text ----

  /** Reads a file's declarations into the unit; an included one's steps are replayed when kept (walk-memo.ts). */
  private walkFile(file: PreprocessedFile, included: boolean): void {
    const packAtStart = this.packAtStart.get(file) ?? null;
    const memo = included ? recallWalk(file, packAtStart) : undefined;
    if (memo && !this.memosUsed.has(memo)) {
      this.memosUsed.add(memo);
      for (const step of memo.steps) this.perform(file, step);
      return;
    }
    const outerSteps = this.steps;
    const outerQuestions = this.typedefQuestions;
    this.steps = [];
    this.typedefQuestions = 0;
    try {
      this.readFile(file);
      if (included && !memo && this.typedefQuestions === 0) {
        const kept = keepWalk(file, packAtStart, this.steps);
        if (kept) this.memosUsed.add(kept);
      }
    } finally {
      this.steps = outerSteps;
      this.typedefQuestions = outerQuestions;
    }
  }

  /** Notes a step in the walk in progress, and does it. */
  private apply(file: PreprocessedFile, step: WalkStep): void {
    this.steps.push(step);
    this.perform(file, step);
  }

  /** Does what a step of a file's walk says (a replayed step is not noted again: its walk is kept already). */
  private perform(file: PreprocessedFile, step: WalkStep): void {
    switch (step.kind) {
      case 'declaration':
        this.declarations.push(step.declaration);
        return;
      case 'typedef-name':
        this.typedefNames.add(step.name);
        return;
      case 'warning':
        this.warnings.push(step.warning);
        return;
      case 'named-comment': {
        let byName = this.namedComments.get(step.path);
        if (!byName) this.namedComments.set(step.path, (byName = new Map()));
        if (!byName.has(step.name)) byName.set(step.name, step.text);
        return;
      }
      case 'include': {
        const included = file.includes.get(step.at);
        if (included) this.walkFile(included, true);
        return;
      }
    }
  }

  private readFile(file: PreprocessedFile): void {
    const { path, map } = file;
    const syntax = checkedSyntax(file.text, map);
    const state: FileState = { file, path, docs: new Map() };
    this.collectDocs(state, syntax.comments);
    const reader = this.declarationReader(state);
    for (const node of syntax.topLevel) this.topLevel(state, reader, node);
    for (const [key, entry] of state.docs) {
      if (!entry.used && entry.doc.target.kind !== 'doc' && entry.doc.target.kind !== 'function') {
        this.apply(file, { kind: 'warning', warning: { loc: entry.doc.loc, message: `kernel-doc for '${key}' documents no declaration in this file` } });
      }
    }
  }

  private collectDocs(state: FileState, comments: readonly SyntaxNode[]): void {
    for (const c of comments) {
      const text = commentText(c.text);
      const named = /^([A-Za-z_]\w*)\s+-\s/.exec(text)?.[1];
      if (named !== undefined) this.apply(state.file, { kind: 'named-comment', path: state.path, name: named, text });
      const doc = parseKernelDoc(c.text, state.file.map.locate(c.startIndex));
      if (!doc || doc.target.kind === 'doc' || doc.target.kind === 'function') continue;
      const key = `${doc.target.kind} ${doc.target.name}`;
      if (state.docs.has(key)) {
        this.apply(state.file, { kind: 'warning', warning: { loc: doc.loc, message: `second kernel-doc comment for '${key}' ignored` } });
        continue;
      }
      state.docs.set(key, { doc, used: false });
    }
  }

  private declarationReader(state: FileState): DeclarationReader {
    return new DeclarationReader({
      loc: (node) => state.file.map.locate(node.startIndex),
      expr: (node) => this.exprOf(state.file, node),
      docFor: (kind, name) => {
        const entry = state.docs.get(`${kind} ${name}`) ?? (kind === 'union' ? state.docs.get(`struct ${name}`) : undefined);
        if (!entry) return null;
        entry.used = true;
        return entry.doc;
      },
      defined: (decl) => {
        if (decl.name !== null || decl.kind === 'enum') this.apply(state.file, { kind: 'declaration', declaration: decl });
      },
      packAt: (offset) => this.packAt(state.file, offset),
    });
  }

  /** A constant expression of the preprocessed text (its macros are expanded already), located in the header. */
  private exprOf(file: PreprocessedFile, node: SyntaxNode): Expr {
    const tokens = tokenize(node.text, { file: file.path, line: 1, col: 1 });
    const lineStarts = [0];
    for (let i = node.text.indexOf('\n'); i >= 0; i = node.text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const located = tokens.map((t) => ({ ...t, loc: file.map.locate(node.startIndex + lineStarts[t.loc.line - 1]! + t.loc.col - 1) }));
    return parseExpr(located, (n) => this.isTypeName(n), endLoc(file, node));
  }

  private topLevel(state: FileState, reader: DeclarationReader, node: SyntaxNode): void {
    const loc = state.file.map.locate(node.startIndex);
    switch (node.type) {
      case 'preproc_call': // tree-sitter's name for `#include_next <name>`
        if (!/^#\s*include_next\b/.test(node.text)) throw new HeaderError(loc, `unsupported top-level construct (${node.type}): '${node.text.slice(0, 40).split('\n')[0]}'`);
      // falls through
      case 'preproc_include': {
        const included = state.file.includes.get(node.startIndex);
        if (included === undefined) throw new HeaderError(loc, 'unsupported #include form (only <file> and "file")');
        this.apply(state.file, { kind: 'include', at: node.startIndex });
        return;
      }
      case 'comment': {
        const doc = parseKernelDoc(node.text, loc);
        if (doc?.target.kind === 'doc') this.apply(state.file, { kind: 'declaration', declaration: { kind: 'doc-section', doc, loc } });
        return;
      }
      case 'struct_specifier':
      case 'union_specifier':
      case 'enum_specifier':
        reader.typeSpec(node);
        return;
      case 'type_definition':
        for (const t of reader.typedef(node)) {
          this.apply(state.file, { kind: 'typedef-name', name: t.declarator.name });
          this.apply(state.file, { kind: 'declaration', declaration: t });
        }
        return;
      case 'declaration': {
        const type = node.childForFieldName('type');
        if (type) reader.typeSpec(type);
        const names = node.childrenForFieldName('declarator').map((d) => d.text.split(/[\s([=]/)[0]);
        if (names.length > 0) {
          this.apply(state.file, { kind: 'warning', warning: { loc, message: `declaration of ${names.join(', ')} is not a type, constant or ioctl; not modelled` } });
        }
        return;
      }
      case 'function_definition': {
        const name = node.childForFieldName('declarator')?.text.split('(')[0] ?? '?';
        this.apply(state.file, { kind: 'warning', warning: { loc, message: `function ${name} is not modelled` } });
        return;
      }
      default:
        throw new HeaderError(loc, `unsupported top-level construct (${node.type}): '${node.text.slice(0, 40).split('\n')[0]}'`);
    }
  }
}

/** Where a node of the preprocessed text ends, in the header: just after its last character. */
function endLoc(file: PreprocessedFile, node: SyntaxNode): Loc {
  const last = file.map.locate(Math.max(node.startIndex, node.endIndex - 1));
  return { ...last, col: last.col + 1 };
}

// A missing path is the common case of an include search (each -I folder in turn): `throwIfNoEntry` answers it
// without making an Error; other failures (a path through something that is not a folder) still throw.
function isDir(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** Only regular files are headers: reading a folder fails, and a device or pipe (/dev/stdin) may never end. */
function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false; // a path through something that is not a folder
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

/** A comment's text without the comment markers and the leading `*` of its lines. */
function commentText(comment: string): string {
  // Markers stripped by index, not by a regular expression: a run of `*` would make `\*+\/$` backtrack quadratically.
  let text = comment;
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
