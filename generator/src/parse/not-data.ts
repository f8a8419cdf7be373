// Code in a header that is not data: the bodies of (static inline) functions and the initializers of variable
// definitions (`static const struct {...} names[] = {...};`). Neither is modelled (parse/unit.ts warns at each
// function and variable), and their text may be anything a compiler accepts there (`__builtin_offsetof(struct x, m)`,
// a GNU attribute between a declarator and its `=`) that the C grammar used here does not know. So before the
// text is parsed, each is blanked: every character but newlines becomes a space, which keeps every offset, and so
// every location, as it was. What stays is `T f(void) { }` and `T name[];`. Stray semicolons (an empty
// declaration in a struct body or at file scope: nfc.h's `char name[N]; /* ... */;`), which gcc accepts and
// tree-sitter's C grammar does not, are blanked too.

/** `text` (a preprocessed file) with function bodies, file-scope initializers and stray semicolons blanked. */
export function blankNonData(text: string): string {
  const spans = nonDataSpans(text);
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    parts.push(text.slice(at, start), end - start === 1 ? ' ' : text.slice(start, end).replace(/[^\n]/g, ' '));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** The [start, end) spans to blank, in order: the inside of each function body, each initializer with its `=`, each stray `;`. */
function nonDataSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const openOf = new Map<number, number>(); // offset of a `)` at file scope -> offset of its `(`
  const parens: number[] = [];
  let braces = 0;
  let brackets = 0;
  let lastSignificant = -1; // offset of the last character outside comments and white space
  let blankFrom = -1; // an initializer (or function body) being skipped: where its blanking starts
  let blankUntil: ';' | '}' | null = null;
  let blankDepth = 0; // the brace depth at which the skipped span ends
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
      continue;
    }
    if (c === '"' || c === "'") {
      i = endOfLiteral(text, i);
      lastSignificant = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') continue;
    if (blankUntil !== null) {
      if (c === '{') braces++;
      else if (c === '}') {
        if (blankUntil === '}' && braces === blankDepth) {
          spans.push([blankFrom, i]);
          blankUntil = null;
        }
        braces--;
      } else if (c === ';' && blankUntil === ';' && braces === blankDepth) {
        spans.push([blankFrom, i]);
        blankUntil = null;
      }
      lastSignificant = i;
      continue;
    }
    if (c === ';' && (lastSignificant < 0 || text[lastSignificant] === ';' || (text[lastSignificant] === '{' && braces > 0))) {
      spans.push([i, i + 1]); // an empty declaration: `;` after `;`, or first in a body or the file
      continue;
    }
    if (c === '{') {
      if (braces === 0 && parens.length === 0 && text[lastSignificant] === ')' && !isAttribute(text, openOf.get(lastSignificant))) {
        // `f(params) {`: a function definition (a `)` before a record's `{` closes an `__attribute__`)
        blankFrom = i + 1;
        blankUntil = '}';
        blankDepth = braces + 1;
      }
      braces++;
    } else if (c === '}') braces--;
    else if (c === '(') parens.push(i);
    else if (c === ')') {
      const open = parens.pop();
      if (open !== undefined && braces === 0 && parens.length === 0) openOf.set(i, open);
    } else if (c === '[') brackets++;
    else if (c === ']') brackets--;
    else if (c === '=' && braces === 0 && parens.length === 0 && brackets === 0 && text[i + 1] !== '=' && !'=!<>'.includes(text[lastSignificant] ?? '')) {
      // A file-scope initializer; GNU attributes right before it go too (the grammar has none there).
      let start = i;
      for (let close = lastSignificant; text[close] === ')'; ) {
        const open = openOf.get(close);
        const name = open === undefined ? -1 : attributeStart(text, open);
        if (name < 0) break;
        start = name;
        close = previousSignificant(text, name - 1);
      }
      blankFrom = start;
      blankUntil = ';';
      blankDepth = 0;
    }
    lastSignificant = i;
  }
  return spans;
}

/** The offset of the closing quote of the string or character literal opening at `i`. */
function endOfLiteral(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote || text[j] === '\n') return j;
  }
  return text.length;
}

/** Whether the `(` at `open` (of `__attribute__((...))`'s outer pair) follows `__attribute__`. */
function isAttribute(text: string, open: number | undefined): boolean {
  return open !== undefined && attributeStart(text, open) >= 0;
}

/** Where `__attribute__` (or `__attribute`) starts, when it is the word just before the `(` at `open`; else -1. */
function attributeStart(text: string, open: number): number {
  const end = previousSignificant(text, open - 1) + 1;
  const m = /(?:^|[^\w])(__attribute__|__attribute)$/.exec(text.slice(Math.max(0, end - 20), end));
  return m ? end - m[1]!.length : -1;
}

/** The offset of the last non-blank character at or before `i` (comments between are not expected here). */
function previousSignificant(text: string, i: number): number {
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i;
}
