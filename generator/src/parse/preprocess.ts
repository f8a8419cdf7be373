// The preprocessor pass over one file, before tree-sitter sees it: directives are run (#define, #undef, #include,
// conditionals, #pragma once, #error), inactive conditional branches are dropped, and every macro in the active
// text is expanded, so that the text tree-sitter parses is what gcc compiles. Comments and spacing between tokens
// that come through unchanged are kept (kernel-doc lives there); a SourceMap leads every offset of the output back
// to the header. `#include` lines stay in the output, at top level, where the walk reads the included file.
import { HeaderError, type Loc, type Warning } from '../diagnostics.js';
import { evaluateCondition } from './condition.js';
import { commentsIn, scanLines, type Directive } from './lines.js';
import { MacroTable, parseMacroDefinition, type MacroDef } from './macros.js';
import { SourceMap } from './source-map.js';
import type { Token } from './syntax.js';
import { tokenize } from './tokens.js';

export interface PreprocessedFile {
  readonly path: string; // display path
  readonly abs: string | null; // null for a built-in header
  readonly source: string;
  /** The text tree-sitter parses. */
  readonly text: string;
  readonly map: SourceMap;
  /** The files the kept `#include` lines name, by the output offset of the line's '#' (null: read before). */
  readonly includes: ReadonlyMap<number, PreprocessedFile | null>;
  /** Each `#pragma pack` met, in order: from this output offset on, members align to at most `pack` (null: none). */
  readonly packs: readonly { readonly offset: number; readonly pack: number | null }[];
}

export interface PreprocessHost {
  readonly macros: MacroTable;
  readonly warnings: Warning[];
  /** Whether plain char is signed on the target: a character constant's value in #if. */
  readonly charSigned: boolean;
  /**
   * Preprocesses the file an #include names (null when #pragma once or a built-in already read says skip); with
   * `next` (#include_next), searching only the folders after the one that holds the including file.
   */
  include(from: { path: string; abs: string | null }, name: string, quoted: boolean, loc: Loc, next?: boolean): PreprocessedFile | null;
  /** Marks the file as #pragma once. */
  once(abs: string): void;
  /** The comment that documents a #define (one inside it, or one ending on the line before or its own line). */
  defineComment(def: MacroDef, comment: string): void;
  /** gcc's `#pragma pack` state, which lasts across files: the current value and the pushed ones. */
  readonly packStack: (number | null)[];
  pack: number | null;
}

interface Branch {
  readonly active: boolean; // this branch's text is read
  readonly taken: boolean; // some branch of this conditional was (or is) active
  readonly parentActive: boolean;
  readonly sawElse: boolean;
  readonly loc: Loc;
}

// `#`, blanks and comments, then the directive's name (none: the null directive, or not a directive we know)
const DIRECTIVE_NAME = /^(?:[ \t\f\v]|\/\*[\s\S]*?\*\/|\\[ \t]*\r?\n)*([A-Za-z_]\w*)?/;
const GNU_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['__signed__', 'signed'], ['__signed', 'signed'], ['__const__', 'const'], ['__const', 'const'],
  ['__volatile__', 'volatile'], ['__volatile', 'volatile'], ['__inline__', 'inline'], ['__inline', 'inline'],
  ['__restrict__', 'restrict'], ['__restrict', 'restrict'], ['__attribute', '__attribute__'], ['__extension__', ''],
]);
// Blanks, comments and splices, then the macro's name.
const DEFINE_NAME = /^(?:[ \t\f\v]|\/\*[\s\S]*?\*\/|\\[ \t]*\r?\n)*([A-Za-z_]\w*)/;
const IOCTL_INTRINSICS: ReadonlySet<string> = new Set(['_IO', '_IOR', '_IOW', '_IOWR', '_IOC']);
const CONDITIONALS = new Set(['if', 'ifdef', 'ifndef', 'elif', 'elifdef', 'elifndef', 'else', 'endif']);

export function preprocessFile(path: string, abs: string | null, source: string, host: PreprocessHost): PreprocessedFile {
  const map = new SourceMap(path, source);
  const includes = new Map<number, PreprocessedFile | null>();
  const packs: { offset: number; pack: number | null }[] = [];
  let out = '';
  const stack: Branch[] = [];
  const active = (): boolean => stack.length === 0 || stack[stack.length - 1]!.active;
  // The comment that ends the text right before a directive, and the line it ends on.
  let trailingComment: { text: string; endLine: number } | null = null;

  const emitNewlines = (start: number, end: number): void => {
    let n = 0;
    for (let i = source.indexOf('\n', start); i >= 0 && i < end; i = source.indexOf('\n', i + 1)) n++;
    if (n > 0) {
      map.add(out.length, end, false);
      out += '\n'.repeat(n);
    }
  };
  const copy = (start: number, end: number): void => {
    if (end <= start) return;
    map.add(out.length, start, true);
    out += source.slice(start, end);
  };

  const onText = (start: number, end: number): void => {
    trailingComment = null;
    if (!active()) return emitNewlines(start, end);
    const comments = commentsIn(source, start, end);
    const last = comments[comments.length - 1];
    if (last && source.slice(last.end, end).trim() === '') {
      trailingComment = { text: source.slice(last.start, last.end), endLine: map.sourceLoc(last.end).line };
    }
    expandText(start, end);
  };

  const expandText = (start: number, end: number): void => {
    const input = tokenize(source.slice(start, end), map.sourceLoc(start));
    // Text naming no macro and no GNU keyword comes out as it went in (most of an included types header).
    if (!input.some((t) => t.kind === 'ident' && (host.macros.has(t.text) || GNU_KEYWORDS.has(t.text)))) return copy(start, end);
    const index = new Map<Token, number>(input.map((t, i) => [t, i]));
    const output = host.macros.expand(input);
    const offsetOf = (t: Token): number => map.offsetOf(t.loc);
    const endOf = (t: Token): number => offsetOf(t) + t.text.length;
    copy(start, offsetOf(input[0]!)); // leading comments and blanks
    let prev = -1; // input index of the previous output token, if it was copied from the input
    for (const t of output) {
      const k = index.get(t);
      const alias = t.kind === 'ident' ? GNU_KEYWORDS.get(t.text) : undefined;
      if (alias !== undefined) {
        // GNU's alternate keywords, in the spelling tree-sitter knows (`__extension__` means nothing here).
        map.add(out.length, offsetOf(t), false);
        out += ` ${alias}`;
      } else if (k !== undefined && k === prev + 1 && prev >= 0) {
        copy(endOf(input[prev]!), endOf(t)); // what stood between them, and the token
      } else if (k === 0 && prev === -1) {
        copy(offsetOf(t), endOf(t)); // the text's own first token, right after what came before it
      } else {
        map.add(out.length, out.length === 0 ? 0 : offsetOf(t), false);
        out += ' ';
        map.add(out.length, offsetOf(t), k !== undefined);
        out += t.text;
      }
      prev = alias === undefined ? (k ?? -2) : -2;
    }
    copy(endOf(input[input.length - 1]!), end); // trailing comments and blanks
  };

  const onDirective = (d: Directive): void => {
    const commentBefore = trailingComment;
    trailingComment = null;
    const loc = map.sourceLoc(d.start);
    const head = DIRECTIVE_NAME.exec(source.slice(d.start + 1, d.end))!;
    const word = head[1];
    if (word === undefined) {
      if (source.slice(d.start + 1 + head[0].length, d.end).trim() === '') return emitNewlines(d.start, d.end); // the null directive
      throw new HeaderError(loc, `unsupported preprocessor directive '${source.slice(d.start, d.end).split('\n')[0]!.slice(0, 30)}'`);
    }
    const nameAt = d.start + 1 + head[0].length - word.length;
    const name: Token = { kind: 'ident', text: word, loc: map.sourceLoc(nameAt) };
    // The rest is tokenized only where it is C (#error text may hold a lone apostrophe).
    const rest = (): Token[] => tokenize(source.slice(nameAt + word.length, d.end), map.sourceLoc(nameAt + word.length));
    if (CONDITIONALS.has(word)) {
      conditional(word, rest, loc, d);
      return emitNewlines(d.start, d.end);
    }
    if (!active()) return emitNewlines(d.start, d.end);
    switch (name.text) {
      case 'define': {
        const def = define(name, nameAt + word.length, d);
        // The _IO family stays the model's intrinsic (lower/ioctl.ts) when a header defines it as the kernel's
        // asm-generic/ioctl.h does, so that an ioctl is still seen as one (the number is the same: the gcc tests say so).
        // It is defined as its own call, which expansion never expands again: `#ifdef _IOR` holds (soundcard.h), and
        // arguments are expanded as in any call.
        if (IOCTL_INTRINSICS.has(def.name) && def.params !== null) {
          const params = def.params.join(', ');
          // The size argument as sizeof(T), as in parse/builtins.ts.
          const args = def.params.length === 3 ? `${def.params[0]}, ${def.params[1]}, sizeof(${def.params[2]})` : params;
          host.macros.define(parseMacroDefinition(def.name, `(${params})`, ` ${def.name}(${args})`, def.loc, def.loc));
          return emitNewlines(d.start, d.end);
        }
        host.macros.define(def);
        const inside = commentsIn(source, d.start, d.end)[0];
        const comment = inside
          ? source.slice(inside.start, inside.end)
          : commentBefore && loc.line - commentBefore.endLine <= 1
            ? commentBefore.text
            : null;
        if (comment !== null && host.macros.get(def.name) === def) host.defineComment(def, comment);
        return emitNewlines(d.start, d.end);
      }
      case 'undef': {
        const [target] = rest();
        if (target?.kind !== 'ident') throw new HeaderError(name.loc, '#undef needs a macro name');
        host.macros.undef(target.text);
        return emitNewlines(d.start, d.end);
      }
      case 'include':
      case 'include_next': {
        const target = includeTarget(rest(), name, source, map);
        const packBefore = host.pack;
        const file = host.include({ path, abs }, target.name, target.quoted, loc, name.text === 'include_next');
        includes.set(out.length, file);
        if (host.pack !== packBefore) packs.push({ offset: out.length, pack: host.pack }); // the included file changed it
        copy(d.start, d.end); // the walk reads the included file where this line stands
        return;
      }
      case 'pragma': {
        const arg = source.slice(nameAt + word.length, d.end).trim();
        if (arg === 'once') {
          if (abs) host.once(abs);
          return emitNewlines(d.start, d.end);
        }
        const pack = /^pack\s*\(\s*(?:(push|pop)\s*)?(?:,?\s*(\d+)\s*)?\)$/.exec(arg);
        if (pack && !(pack[1] === 'pop' && pack[2] !== undefined)) {
          // gcc: pack(N) sets, pack() resets, pack(push[, N]) saves then sets, pack(pop) restores.
          const n = pack[2] === undefined ? null : Number(pack[2]);
          if (n !== null && ![1, 2, 4, 8, 16].includes(n)) throw new HeaderError(loc, `#pragma pack(${n}): the value must be 1, 2, 4, 8 or 16`);
          if (pack[1] === 'push') host.packStack.push(host.pack);
          if (pack[1] === 'pop') host.pack = host.packStack.pop() ?? null;
          else if (pack[1] !== 'push' || n !== null) host.pack = n;
          packs.push({ offset: out.length, pack: host.pack });
          return emitNewlines(d.start, d.end);
        }
        throw new HeaderError(loc, `unsupported #pragma '${arg}' (it may change layout, so it cannot be ignored)`);
      }
      case 'error':
      case 'warning': {
        const text = source.slice(nameAt + word.length, d.end).replace(/\\[ \t]*\r?\n/g, '').trim();
        if (name.text === 'error') throw new HeaderError(loc, `#error ${text}`);
        host.warnings.push({ loc, message: `#warning ${text}` });
        return emitNewlines(d.start, d.end);
      }
      default:
        throw new HeaderError(loc, `unsupported preprocessor directive '#${name.text}'`);
    }
  };

  // Only the name is read here: the body is tokenized once, by parseMacroDefinition (it may be very long).
  const define = (directiveName: Token, after: number, d: Directive): MacroDef => {
    const m = DEFINE_NAME.exec(source.slice(after, Math.min(d.end, after + 4096)));
    if (!m) throw new HeaderError(directiveName.loc, '#define needs a macro name');
    const nameAt = after + m[0].length - m[1]!.length;
    const nameTok: Token = { kind: 'ident', text: m[1]!, loc: map.sourceLoc(nameAt) };
    const nameEnd = nameAt + nameTok.text.length;
    let paramsText: string | null = null;
    let bodyStart = nameEnd;
    if (source[nameEnd] === '(') {
      const close = source.indexOf(')', nameEnd);
      if (close < 0 || close > d.end) throw new HeaderError(nameTok.loc, `unterminated parameter list of macro '${nameTok.text}'`);
      paramsText = source.slice(nameEnd, close + 1);
      bodyStart = close + 1;
    }
    const bodyText = source.slice(bodyStart, d.end);
    return parseMacroDefinition(nameTok.text, paramsText, bodyText, map.sourceLoc(bodyStart), nameTok.loc);
  };

  const conditional = (kind: string, tokens: () => Token[], loc: Loc, d: Directive): void => {
    const top = stack[stack.length - 1];
    const evaluate = (): boolean => {
      const rest = tokens();
      if (kind.endsWith('def')) {
        if (rest[0]?.kind !== 'ident') throw new HeaderError(loc, 'conditional without a macro name');
        return host.macros.has(rest[0].text) !== kind.endsWith('ndef');
      }
      if (rest.length === 0) throw new HeaderError(loc, 'conditional without a condition');
      return evaluateCondition(rest, host.macros, map.sourceLoc(d.end), host.charSigned);
    };
    switch (kind) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const parentActive = active();
        const on = parentActive && evaluate();
        stack.push({ active: on, taken: on, parentActive, sawElse: false, loc });
        return;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef': {
        if (!top) throw new HeaderError(loc, `#${kind} without #if`);
        if (top.sawElse) throw new HeaderError(loc, `#${kind} after #else`);
        const on = top.parentActive && !top.taken && evaluate();
        stack[stack.length - 1] = { ...top, active: on, taken: top.taken || on };
        return;
      }
      case 'else':
        if (!top) throw new HeaderError(loc, '#else without #if');
        if (top.sawElse) throw new HeaderError(loc, '#else after #else');
        stack[stack.length - 1] = { ...top, active: top.parentActive && !top.taken, taken: true, sawElse: true };
        return;
      default: // endif
        if (!top) throw new HeaderError(loc, '#endif without #if');
        stack.pop();
    }
  };

  scanLines(source, onText, onDirective);
  const open = stack[stack.length - 1];
  if (open) throw new HeaderError(open.loc, 'unterminated conditional: no #endif');
  return { path, abs, source, text: out, map, includes, packs };
}

function includeTarget(rest: Token[], directive: Token, source: string, map: SourceMap): { name: string; quoted: boolean } {
  const first = rest[0];
  if (first?.kind === 'string' && rest.length === 1) return { name: first.text.slice(1, -1), quoted: true };
  if (first?.text === '<') {
    // The name is the raw text up to '>': it is not made of C tokens (`<linux/if-x.h>`).
    const from = map.offsetOf(first.loc) + 1;
    const close = source.indexOf('>', from);
    const nl = source.indexOf('\n', from);
    if (close > 0 && (nl < 0 || close < nl)) return { name: source.slice(from, close), quoted: false };
  }
  throw new HeaderError(directive.loc, 'unsupported #include form (only <file> and "file")');
}
