// Parser for C constant expressions (enumerator values, array sizes, bit widths, macro bodies, #if conditions).
//
// Locations: every node carries the location of its first token, except `binary` and `ternary` nodes, which
// carry the location of their operator (`+`, `?`): an error found while evaluating them (division by zero,
// overflow) is about the operator. A parenthesized expression is its inner node; parentheses leave no node.
import { HeaderError, type Loc } from '../diagnostics.js';
import type { BinaryOp, Expr, Token, TypeName, TypeSpec } from './syntax.js';

// C precedence levels, higher binds tighter. All binary operators are left-associative.
const COMMA = 1;
const CONDITIONAL = 3; // `?:`; 2 would be assignment, which constant expressions do not have
const BINARY: ReadonlyMap<string, number> = new Map([
  [',', COMMA],
  ['||', 4],
  ['&&', 5],
  ['|', 6],
  ['^', 7],
  ['&', 8],
  ['==', 9], ['!=', 9],
  ['<', 10], ['>', 10], ['<=', 10], ['>=', 10],
  ['<<', 11], ['>>', 11],
  ['+', 12], ['-', 12],
  ['*', 13], ['/', 13], ['%', 13],
]);

// Deeper expressions are refused, located, rather than overflowing the stack: MAX_NESTING bounds the recursion
// of this parser (two calls per parenthesis, up to a dozen per operator chain), MAX_HEIGHT the trees that the
// evaluators walk recursively (a chain of `|` is built in a loop). C11 5.2.4.1 asks for 63 levels of parentheses.
const MAX_NESTING = 1000;
const MAX_HEIGHT = 256;

const PRIMITIVES = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', '_Bool', 'float', 'double']);
// GCC's alternate spellings of keywords, as used by headers that must also compile with -ansi.
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['__signed__', 'signed'],
  ['__signed', 'signed'],
]);
const QUALIFIERS = new Set(['const', 'volatile', '__const', '__const__', '__volatile', '__volatile__']);
const TAGS: ReadonlySet<string> = new Set(['struct', 'union', 'enum']);
const ALIGNOF = new Set(['_Alignof', '__alignof__', '__alignof', 'alignof']);

/**
 * Parses `tokens` (already macro-expanded) as one C expression. `isTypeName` says which identifiers are
 * typedef names, so that `(__u32)x` is a cast and `(x)` is not; `end` locates errors at the end of input.
 */
export function parseExpr(tokens: readonly Token[], isTypeName: (name: string) => boolean, end: Loc): Expr {
  return new Parser(tokens, isTypeName, end).parseAll();
}

class Parser {
  private pos = 0;
  private nesting = 0; // parseBinary and parseUnary calls in progress
  private readonly heights = new WeakMap<object, number>(); // height of each node built

  constructor(
    private readonly tokens: readonly Token[],
    private readonly isTypeName: (name: string) => boolean,
    private readonly end: Loc,
  ) {}

  parseAll(): Expr {
    const expr = this.parseBinary(COMMA);
    if (this.peek() !== undefined) this.fail('end of expression');
    return expr;
  }

  // Every path of recursion passes through parseBinary or parseUnary, so counting there bounds it.
  private nested(parse: () => Expr): Expr {
    if (this.nesting >= MAX_NESTING) this.tooDeep(this.peek()?.loc ?? this.end, MAX_NESTING);
    this.nesting++;
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  private parseBinary(minPrec: number): Expr {
    return this.nested(() => this.binary(minPrec));
  }

  // Precedence climbing: parses operators binding at least as tightly as `minPrec`.
  private binary(minPrec: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const op = this.peek();
      if (op === undefined || op.kind !== 'punct') return left;
      if (op.text === '?') {
        if (CONDITIONAL < minPrec) return left;
        this.pos++;
        const then = this.parseBinary(COMMA); // C allows a comma expression between '?' and ':'
        this.expect(':');
        const otherwise = this.parseBinary(CONDITIONAL); // same level again: right-associative
        left = this.built({ kind: 'ternary', cond: left, then, else: otherwise, loc: op.loc }, left, then, otherwise);
        continue;
      }
      const prec = BINARY.get(op.text);
      if (prec === undefined || prec < minPrec) return left;
      this.pos++;
      const right = this.parseBinary(prec + 1);
      left = this.built({ kind: 'binary', op: op.text as BinaryOp, left, right, loc: op.loc }, left, right);
    }
  }

  private parseUnary(): Expr {
    return this.nested(() => this.unary());
  }

  private unary(): Expr {
    const t = this.peek();
    if (t === undefined) return this.fail('an expression');
    if (t.kind === 'punct') {
      if (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!') {
        this.pos++;
        const operand = this.parseUnary();
        return this.built({ kind: 'unary', op: t.text, operand, loc: t.loc }, operand);
      }
      if (t.text === '(') {
        this.pos++;
        if (this.startsTypeName(this.peek())) {
          const type = this.parseTypeName();
          this.expect(')');
          const operand = this.parseUnary();
          return this.built({ kind: 'cast', type, operand, loc: t.loc }, operand);
        }
        const inner = this.parseBinary(COMMA);
        this.expect(')');
        return inner;
      }
      return this.fail('an expression');
    }
    if (t.kind === 'number' || t.kind === 'char' || t.kind === 'string') {
      this.pos++;
      return { kind: t.kind, text: t.text, loc: t.loc };
    }
    // An identifier.
    if (t.text === 'sizeof') {
      this.pos++;
      if (this.peek()?.text === '(' && this.startsTypeName(this.tokens[this.pos + 1])) {
        this.pos++;
        const type = this.parseTypeName();
        this.expect(')');
        return { kind: 'sizeof', of: type, loc: t.loc };
      }
      const of = this.parseUnary();
      return this.built({ kind: 'sizeof', of, loc: t.loc }, of);
    }
    if (ALIGNOF.has(t.text)) {
      this.pos++;
      this.expect('(');
      if (!this.startsTypeName(this.peek())) return this.fail('a type name');
      const type = this.parseTypeName();
      this.expect(')');
      // GNU __alignof__ is the type's preferred alignment (8 for long long on i386), C11 _Alignof its minimum.
      return { kind: 'alignof', of: type, loc: t.loc, ...(t.text.startsWith('__') ? { preferred: true as const } : {}) };
    }
    if (t.text === 'defined') {
      this.pos++;
      const paren = this.peek()?.text === '(';
      if (paren) this.pos++;
      const name = this.peek();
      if (name?.kind !== 'ident') return this.fail('a macro name');
      this.pos++;
      if (paren) this.expect(')');
      return { kind: 'defined', name: name.text, loc: t.loc };
    }
    if (this.startsTypeName(t) && !this.isTypeName(t.text)) return this.fail('an expression'); // a keyword
    this.pos++;
    if (this.peek()?.text === '(') return this.parseCall(t);
    return { kind: 'ident', name: t.text, loc: t.loc };
  }

  // `name(arg, ...)`: each argument is a type name if it starts like one (`_IOR('x', 1, struct foo)`).
  private parseCall(callee: Token): Expr {
    this.pos++; // '('
    const args: (Expr | TypeName)[] = [];
    if (this.peek()?.text === ')') {
      this.pos++;
    } else {
      for (;;) {
        args.push(this.startsTypeName(this.peek()) ? this.parseTypeName() : this.parseBinary(CONDITIONAL));
        const sep = this.peek();
        if (sep?.text === ')') break;
        if (sep?.text !== ',') return this.fail("',' or ')'");
        this.pos++;
      }
      this.pos++;
    }
    return this.built({ kind: 'call', callee: callee.text, args, loc: callee.loc }, ...args);
  }

  // Records a node's height; a tree too tall (a chain of 10000 `+` is built in a loop, not by recursion)
  // fails here.
  private built<E extends Expr>(e: E, ...parts: readonly (Expr | TypeName)[]): E {
    let h = 0;
    for (const p of parts) h = Math.max(h, this.heights.get(p) ?? 0);
    if (h + 1 > MAX_HEIGHT) this.tooDeep(e.loc, MAX_HEIGHT);
    this.heights.set(e, h + 1);
    return e;
  }

  private tooDeep(loc: Loc, limit: number): never {
    throw new HeaderError(loc, `expression nested too deeply (over ${limit} levels)`);
  }

  private startsTypeName(t: Token | undefined): boolean {
    if (t?.kind !== 'ident') return false;
    const w = t.text;
    return TAGS.has(w) || PRIMITIVES.has(w) || ALIASES.has(w) || QUALIFIERS.has(w) || this.isTypeName(w);
  }

  // specifier-qualifier-list followed by '*'s; qualifiers are accepted anywhere and ignored.
  private parseTypeName(): TypeName {
    const first = this.peek()!;
    const words: string[] = [];
    let spec: TypeSpec | null = null;
    let specLoc: Loc | null = null;
    for (;;) {
      const t = this.peek();
      if (t?.kind !== 'ident') break;
      if (QUALIFIERS.has(t.text)) {
        this.pos++;
      } else if ((PRIMITIVES.has(t.text) || ALIASES.has(t.text)) && spec === null) {
        this.pos++;
        words.push(ALIASES.get(t.text) ?? t.text);
        specLoc ??= t.loc;
      } else if (TAGS.has(t.text) && spec === null && words.length === 0) {
        this.pos++;
        const tag = this.peek();
        if (tag?.kind !== 'ident') return this.fail(`a ${t.text} tag`);
        this.pos++;
        spec =
          t.text === 'enum'
            ? { kind: 'enum-ref', name: tag.text, loc: t.loc }
            : { kind: 'record-ref', tag: t.text as 'struct' | 'union', name: tag.text, loc: t.loc };
      } else if (spec === null && words.length === 0 && this.isTypeName(t.text)) {
        this.pos++;
        spec = { kind: 'typedef-name', name: t.text, loc: t.loc };
      } else {
        break; // not part of this type name (`unsigned __u32`): the caller reports what it expected instead
      }
    }
    if (spec === null) {
      if (words.length === 0) return this.fail('a type name'); // only qualifiers
      spec = { kind: 'primitive', words, loc: specLoc! };
    }
    let pointer = 0;
    while (this.peek()?.text === '*') {
      this.pos++;
      pointer++;
      while (this.peek() !== undefined && QUALIFIERS.has(this.peek()!.text)) this.pos++;
    }
    const arrays: Expr[] = [];
    while (this.peek()?.text === '[') {
      this.pos++;
      if (this.peek()?.text === ']') return this.fail('an array length (a type name has no flexible array)');
      arrays.push(this.parseBinary(CONDITIONAL));
      this.expect(']');
    }
    return { kind: 'type-name', spec, pointer, arrays, loc: first.loc };
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private expect(text: string): void {
    const t = this.peek();
    if (t?.kind !== 'punct' || t.text !== text) this.fail(`'${text}'`);
    this.pos++;
  }

  // Reports what was expected at the current token, or at the end of input.
  private fail(expected: string): never {
    const t = this.peek();
    if (t === undefined) throw new HeaderError(this.end, `expected ${expected} but found end of input`);
    throw new HeaderError(t.loc, `expected ${expected} but found ${quote(t)}`);
  }
}

function quote(t: Token): string {
  return t.kind === 'char' ? t.text : `'${t.text}'`;
}
