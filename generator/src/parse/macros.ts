// The #define table and C preprocessor macro expansion (C11 6.10.3), for macro bodies and #if conditions.
//
// Expansion follows Prosser's algorithm (the reference model behind the C standard's wording): every token
// carries a "hide set" of the macros whose expansion produced it, and a name in its own hide set is never
// expanded again. That is what stops `#define A A` or `#define A B` + `#define B A`, and what makes
// `#define f(a) a*g` + `#define g(a) f(a)` turn `f(2)(9)` into `2*9*g` as GCC does.
//
// Locations: a token that comes out of a macro body gets the location of the macro name at the invocation,
// since that is the place in the user's header an error must point at; nested expansions inherit it, so every
// token ends up located in the text that was expanded. Tokens of an argument keep their own location (they
// already stand at the invocation); a pasted token gets its left operand's, a stringized one the invocation's.
//
// Supported: object-like and function-like macros, rescanning, argument pre-expansion, `#`, `##` with
// placemarkers, `...`/`__VA_ARGS__`, GNU named variadics (`args...`) and GNU `, ## __VA_ARGS__` comma
// deletion. Not supported: `__VA_OPT__` (an ordinary identifier here) and predefined macros (`__LINE__`...).
import { formatLoc, HeaderError, type Loc } from '../diagnostics.js';
import type { Token } from './syntax.js';
import { tokenize } from './tokens.js';

export interface MacroDef {
  readonly name: string;
  /**
   * null for an object-like macro. For a variadic macro the last parameter takes the variable arguments:
   * `(fmt, ...)` gives ['fmt', '__VA_ARGS__'], GNU `(fmt, args...)` gives ['fmt', 'args'].
   */
  readonly params: readonly string[] | null;
  readonly variadic: boolean;
  readonly body: readonly Token[];
  readonly loc: Loc; // of the macro name in the #define
}

const MAX_TOKENS = 100_000;
const MAX_DEPTH = 200;
const MAX_SCANNED = 1_000_000;

export class MacroTable {
  // A Map iterates in insertion order: that is the definition order all() promises (after #undef, a new
  // definition goes to the end; an identical redefinition keeps its place).
  private readonly defs = new Map<string, MacroDef>();

  /**
   * Adds a definition. A redefinition with the same parameters and the same token spellings is allowed and
   * keeps the first; anything else is an error. (C11 6.10.3p2 also compares whitespace; we do not, so
   * `(1-1)` and `(1 - 1)` count as the same.)
   */
  define(def: MacroDef): void {
    const old = this.defs.get(def.name);
    if (old !== undefined) {
      if (sameDefinition(old, def)) return;
      throw new HeaderError(
        def.loc,
        `macro '${def.name}' redefined differently; the previous definition is at ${formatLoc(old.loc)}`,
      );
    }
    this.defs.set(def.name, def);
  }

  undef(name: string): void {
    this.defs.delete(name);
  }

  get(name: string): MacroDef | undefined {
    return this.defs.get(name);
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  all(): MacroDef[] {
    return [...this.defs.values()];
  }

  /**
   * Fully expands `tokens`, as the preprocessor does for a line of text. The operand of `defined` is left
   * alone, so #if conditions can be expanded here too. Throws HeaderError on a bad invocation, or when one
   * call produces more than 100000 tokens or nests expansions deeper than 200.
   */
  expand(tokens: readonly Token[], hidden?: string): Token[] {
    const input = withSpacing(tokens);
    // An object-like macro's own body is expanded as its invocation would be: its own name stays unexpanded
    // (`#define __M (__M - 1)` after an enumerator __M is that enumerator minus one, as gcc has it).
    const start = hidden === undefined ? input : input.map((t) => ({ ...t, hide: new Set([hidden]) }));
    return new Expansion(this.defs).run(start, 0).map((t) => t.tok);
  }
}

/** Builds a MacroDef from the parts tree-sitter gives for `#define NAME(params) body`. */
export function parseMacroDefinition(
  name: string,
  paramsText: string | null,
  bodyText: string,
  bodyLoc: Loc,
  nameLoc: Loc,
): MacroDef {
  if (name === 'defined' || name === '__VA_ARGS__') {
    throw new HeaderError(nameLoc, `'${name}' cannot be used as a macro name`);
  }
  // The parameter list must follow the name without a space, so its location follows from the name's.
  const parsed =
    paramsText === null
      ? null
      : parseParams(tokenize(paramsText, { ...nameLoc, col: nameLoc.col + name.length }), nameLoc);
  const params = parsed?.params ?? null;
  const variadic = parsed?.variadic ?? false;
  const body = tokenize(bodyText, bodyLoc);

  const first = body[0];
  const last = body[body.length - 1];
  if (first !== undefined && isPunct(first, '##')) throw new HeaderError(first.loc, HASH_HASH_AT_END);
  if (last !== undefined && isPunct(last, '##')) throw new HeaderError(last.loc, HASH_HASH_AT_END);
  body.forEach((t, i) => {
    if (params !== null && isPunct(t, '#')) {
      const operand = body[i + 1];
      if (operand === undefined || !params.includes(operand.text) || operand.kind !== 'ident') {
        throw new HeaderError(t.loc, "'#' is not followed by a macro parameter");
      }
    }
    if (t.kind === 'ident' && t.text === '__VA_ARGS__' && !params?.includes('__VA_ARGS__')) {
      throw new HeaderError(t.loc, '__VA_ARGS__ can only appear in the expansion of a variadic macro');
    }
  });
  return { name, params, variadic, body, loc: nameLoc };
}

const HASH_HASH_AT_END = "'##' cannot appear at either end of a macro expansion";

function parseParams(tokens: Token[], nameLoc: Loc): { params: string[]; variadic: boolean } {
  const params: string[] = [];
  let i = 0;
  const fail = (expected: string): never => {
    const t = tokens[i];
    const found = t === undefined ? 'end of input' : `'${t.text}'`;
    throw new HeaderError(t?.loc ?? nameLoc, `expected ${expected} in macro parameter list but found ${found}`);
  };
  const take = (text: string): boolean => {
    if (tokens[i] !== undefined && isPunct(tokens[i]!, text)) {
      i++;
      return true;
    }
    return false;
  };
  if (!take('(')) fail("'('");
  let variadic = false;
  if (!take(')')) {
    for (;;) {
      const t = tokens[i];
      if (t !== undefined && isPunct(t, '...')) {
        i++;
        params.push('__VA_ARGS__');
        variadic = true;
      } else {
        if (t?.kind !== 'ident') fail('a parameter name');
        if (t!.text === '__VA_ARGS__') throw new HeaderError(t!.loc, "'__VA_ARGS__' cannot be a parameter name");
        if (params.includes(t!.text)) throw new HeaderError(t!.loc, `duplicate macro parameter '${t!.text}'`);
        params.push(t!.text);
        i++;
        variadic = take('...'); // GNU named variadic parameter: `args...`
      }
      if (take(')')) break;
      if (variadic) fail("')'");
      if (!take(',')) fail("',' or ')'");
    }
  }
  if (i < tokens.length) fail('nothing');
  return { params, variadic };
}

function sameDefinition(a: MacroDef, b: MacroDef): boolean {
  const same = <T>(x: readonly T[], y: readonly T[]): boolean =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.variadic === b.variadic &&
    (a.params === null ? b.params === null : b.params !== null && same(a.params, b.params)) &&
    same(
      a.body.map((t) => t.text),
      b.body.map((t) => t.text),
    )
  );
}

// ---- Expansion ----

/** A token during expansion: whether whitespace preceded it (for `#`) and its hide set. */
interface PPToken {
  readonly tok: Token;
  readonly space: boolean;
  readonly hide: ReadonlySet<string>;
}

const NO_NAMES: ReadonlySet<string> = new Set();
// Stands for an empty argument next to `##` (C11 6.10.3.3p2); removed once pasting is done.
// No real token has empty text.
const PLACEMARKER: PPToken = {
  tok: { kind: 'punct', text: '', loc: { file: '', line: 0, col: 0 } },
  space: false,
  hide: NO_NAMES,
};
const isPlacemarker = (t: PPToken): boolean => t.tok.text === '';

function isPunct(t: Token, text: string): boolean {
  return t.kind === 'punct' && t.text === text;
}

// Token has no whitespace flag, but tokens straight from tokenize() have exact locations: whitespace (or a
// comment) preceded a token unless it starts right where the previous one ends.
function spaceBetween(prev: Token | undefined, t: Token): boolean {
  return (
    prev !== undefined &&
    !(prev.loc.file === t.loc.file && prev.loc.line === t.loc.line && prev.loc.col + prev.text.length === t.loc.col)
  );
}

function withSpacing(tokens: readonly Token[]): PPToken[] {
  return tokens.map((tok, i) => ({ tok, space: spaceBetween(tokens[i - 1], tok), hide: NO_NAMES }));
}

class Expansion {
  private produced = 0;
  private scanned = 0;

  constructor(private readonly defs: ReadonlyMap<string, MacroDef>) {}

  /** Expands a token list completely; `depth` counts the nesting of argument pre-expansion. */
  run(input: readonly PPToken[], depth: number): PPToken[] {
    const out: PPToken[] = [];
    const pending = input.slice().reverse(); // a stack: the next token is on top
    while (pending.length > 0) {
      const t = pending.pop()!;
      const name = t.tok.text;
      if (name === 'defined' && t.tok.kind === 'ident') {
        out.push(t, ...takeDefinedOperand(pending));
        continue;
      }
      const def = t.tok.kind === 'ident' && !t.hide.has(name) ? this.defs.get(name) : undefined;
      if (def === undefined) {
        out.push(t);
        continue;
      }
      let replacement: PPToken[];
      if (def.params === null) {
        replacement = this.substitute(def, [], union(t.hide, name), t, depth, false);
      } else {
        const open = pending[pending.length - 1];
        if (open === undefined || !isPunct(open.tok, '(')) {
          out.push(t); // a function-like macro name without arguments is an ordinary identifier
          continue;
        }
        const { args, close, omitted } = collectArgs(pending, def, t.tok);
        // Arguments are pre-expanded, so nested invocations rescan their tokens once per level: bound the
        // tokens taken as arguments too, or a 100000-deep `F(F(F(...)))` costs seconds before the depth check.
        this.scanned += args.reduce((n, a) => n + a.length, 0);
        if (this.scanned > MAX_SCANNED) {
          throw new HeaderError(t.tok.loc, `macro expansion too large: more than ${MAX_SCANNED} argument tokens expanding '${def.name}'`);
        }
        // Prosser: the name's and the closing parenthesis' hide sets both apply, plus the macro itself.
        const hide = union(new Set([...t.hide].filter((n) => close.hide.has(n))), name);
        replacement = this.substitute(def, args, hide, t, depth, omitted);
      }
      for (let i = replacement.length - 1; i >= 0; i--) pending.push(replacement[i]!);
    }
    return out;
  }

  // Builds the replacement list of one invocation: parameters replaced, `#` and `##` applied, hide set added.
  // `omitted`: the invocation left out the variable arguments entirely (see the GNU comma rule below).
  private substitute(
    def: MacroDef,
    args: PPToken[][],
    hide: ReadonlySet<string>,
    site: PPToken,
    depth: number,
    omitted: boolean,
  ): PPToken[] {
    if (hide.size > MAX_DEPTH || depth > MAX_DEPTH) {
      const why = `'${def.name}' is nested more than ${MAX_DEPTH} deep`;
      throw new HeaderError(site.tok.loc, `macro expansion too large: ${why}`);
    }
    const body = def.body;
    const params = def.params ?? [];
    const paramIndex = (t: Token | undefined): number => (t?.kind === 'ident' ? params.indexOf(t.text) : -1);
    const isVariadicParam = (j: number): boolean => def.variadic && j === params.length - 1;
    // Whitespace before body token i; the first token takes the invocation's, as in GCC.
    const spaceAt = (i: number): boolean => (i === 0 ? site.space : spaceBetween(body[i - 1], body[i]!));
    const fromBody = (i: number): PPToken => {
      const t = body[i]!;
      return { tok: { kind: t.kind, text: t.text, loc: site.tok.loc }, space: spaceAt(i), hide: NO_NAMES };
    };
    const respace = (ts: readonly PPToken[], space: boolean): PPToken[] =>
      ts.map((t, k) => (k === 0 ? { ...t, space } : t));
    const expanded = new Map<number, PPToken[]>(); // each argument is pre-expanded at most once

    const os: PPToken[] = [];
    for (let i = 0; i < body.length; ) {
      const t = body[i]!;
      if (def.params !== null && isPunct(t, '#')) {
        // Checked at definition: a parameter follows.
        os.push({ tok: stringize(args[paramIndex(body[i + 1])]!, site.tok.loc), space: spaceAt(i), hide: NO_NAMES });
        i += 2;
        continue;
      }
      if (isPunct(t, '##')) {
        // Checked at definition: not first, not last, so os has a left operand (maybe a placemarker).
        const j = paramIndex(body[i + 1]);
        const left = os[os.length - 1];
        if (j >= 0 && isVariadicParam(j) && left !== undefined && isPunct(left.tok, ',')) {
          // GNU: `, ## __VA_ARGS__` drops the comma when the variable arguments are left out (not when they
          // are given but empty: GCC 12 turns `F(a,)` into `f(a,)`), and otherwise pastes nothing.
          if (omitted) os.pop();
          else for (const x of respace(args[j]!, spaceAt(i + 1))) os.push(x);
          i += 2;
          continue;
        }
        const right = j >= 0 ? args[j]! : [fromBody(i + 1)];
        os.push(paste(os.pop()!, right[0] ?? PLACEMARKER), ...right.slice(1));
        i += 2;
        continue;
      }
      const j = paramIndex(t);
      if (j >= 0) {
        const operandOfPaste = body[i + 1] !== undefined && isPunct(body[i + 1]!, '##');
        let arg: PPToken[];
        if (operandOfPaste) {
          arg = args[j]!.length > 0 ? args[j]! : [PLACEMARKER];
        } else {
          arg = expanded.get(j) ?? this.run(args[j]!, depth + 1);
          expanded.set(j, arg);
        }
        for (const x of respace(arg, spaceAt(i))) os.push(x); // a loop: an argument may be too long to spread
        i++;
        continue;
      }
      os.push(fromBody(i));
      i++;
    }

    this.produced += os.length;
    if (this.produced > MAX_TOKENS) {
      const why = `more than ${MAX_TOKENS} tokens expanding '${def.name}'`;
      throw new HeaderError(site.tok.loc, `macro expansion too large: ${why}`);
    }
    const result: PPToken[] = [];
    for (const t of os) {
      if (!isPlacemarker(t)) result.push({ ...t, hide: t.hide.size === 0 ? hide : new Set([...t.hide, ...hide]) });
    }
    return result;
  }
}

function union(names: ReadonlySet<string>, name: string): ReadonlySet<string> {
  return new Set([...names, name]);
}

// Pops `( a, b )` from the pending stack (its top is the '('); returns the raw arguments and the ')'.
function collectArgs(
  pending: PPToken[],
  def: MacroDef,
  site: Token,
): { args: PPToken[][]; close: PPToken; omitted: boolean } {
  const params = def.params!;
  pending.pop(); // '('
  const args: PPToken[][] = [[]];
  let nesting = 0;
  for (;;) {
    const t = pending.pop();
    if (t === undefined) {
      throw new HeaderError(site.loc, `unterminated argument list invoking macro '${def.name}'`);
    }
    if (isPunct(t.tok, ')') && nesting === 0) {
      const omitted = checkArgCount(args, def, site);
      return { args, close: t, omitted };
    }
    if (isPunct(t.tok, '(')) nesting++;
    if (isPunct(t.tok, ')')) nesting--;
    // Commas split arguments, except inside parentheses and among the variable arguments.
    if (isPunct(t.tok, ',') && nesting === 0 && !(def.variadic && args.length === params.length)) {
      args.push([]);
    } else {
      args[args.length - 1]!.push(t);
    }
  }
}

// Pads left-out variable arguments and returns whether they were left out; throws on a wrong count.
function checkArgCount(args: PPToken[][], def: MacroDef, site: Token): boolean {
  const n = def.params!.length;
  // `f()` passes one empty argument, which is what a one-parameter macro wants and a zero-parameter one allows.
  if (n === 0 && args.length === 1 && args[0]!.length === 0) args.pop();
  // The variable arguments may be left out entirely (C23, and GCC before it); `v()` leaves them out too
  // when they are all `v` takes.
  if (def.variadic && (args.length === n - 1 || (n === 1 && args[0]!.length === 0))) {
    if (args.length === n - 1) args.push([]);
    return true;
  }
  if (args.length === n) return false;
  const plural = (k: number): string => `${k} argument${k === 1 ? '' : 's'}`;
  const wanted = def.variadic ? `at least ${plural(n - 1)}` : plural(n);
  throw new HeaderError(
    site.loc,
    `macro '${def.name}' takes ${wanted} but ${args.length} given (defined at ${formatLoc(def.loc)})`,
  );
}

// `defined X` and `defined ( X )`: X must not be expanded.
function takeDefinedOperand(pending: PPToken[]): PPToken[] {
  const top = (k: number): Token | undefined => pending[pending.length - 1 - k]?.tok;
  const is = (k: number, text: string): boolean => top(k) !== undefined && isPunct(top(k)!, text);
  let count = 0;
  if (top(0)?.kind === 'ident') count = 1;
  else if (is(0, '(') && top(1)?.kind === 'ident' && is(2, ')')) count = 3;
  return pending.splice(pending.length - count, count).reverse();
}

// `#x`: the argument's spelling, one space where whitespace separated tokens, `"` and `\` escaped in literals.
function stringize(arg: readonly PPToken[], loc: Loc): Token {
  let text = '';
  arg.forEach((t, k) => {
    if (k > 0 && t.space) text += ' ';
    text += t.tok.kind === 'string' || t.tok.kind === 'char' ? t.tok.text.replace(/[\\"]/g, '\\$&') : t.tok.text;
  });
  return { kind: 'string', text: `"${text}"`, loc };
}

// `a ## b`: the two spellings joined must form exactly one token.
function paste(left: PPToken, right: PPToken): PPToken {
  if (isPlacemarker(left)) return right;
  if (isPlacemarker(right)) return left;
  const text = left.tok.text + right.tok.text;
  let tokens: Token[] = [];
  try {
    tokens = tokenize(text, left.tok.loc);
  } catch {
    // reported below
  }
  if (tokens.length !== 1 || tokens[0]!.text !== text) {
    throw new HeaderError(
      left.tok.loc,
      `pasting '${left.tok.text}' and '${right.tok.text}' does not give a valid preprocessing token`,
    );
  }
  const hide = new Set([...left.hide].filter((n) => right.hide.has(n)));
  return { tok: tokens[0]!, space: left.space, hide };
}
