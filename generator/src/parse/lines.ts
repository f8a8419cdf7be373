// Splits a header's text into preprocessing directives and the text between them (C11 5.1.1.2 phases 2-4 as far
// as a line's extent goes): a directive runs to the end of its logical line; a block comment may carry a line of
// text or a directive over several physical lines.

export interface Directive {
  readonly start: number; // offset of the '#'
  readonly end: number; // offset of the newline that ends it (or the text's end)
}

/** Calls `text` for each run of non-directive text and `directive` for each directive, in order. */
export function scanLines(src: string, onText: (start: number, end: number) => void, onDirective: (d: Directive) => void): void {
  let textStart = 0;
  let i = 0;
  while (i < src.length) {
    let j = i;
    while (src[j] === ' ' || src[j] === '\t' || src[j] === '\f' || src[j] === '\v') j++;
    if (src[j] === '#') {
      if (textStart < i) onText(textStart, i);
      const end = lineEnd(src, j + 1, true);
      onDirective({ start: j, end });
      i = end < src.length ? end + 1 : end;
      textStart = end; // the newline belongs to the text that follows
      continue;
    }
    const end = lineEnd(src, j, false);
    i = end < src.length ? end + 1 : end;
  }
  if (textStart < src.length) onText(textStart, src.length);
}

/**
 * The offset of the newline that ends the line starting at `i` (comments spanning lines included; in a
 * directive, backslash-newline splices too), or src.length.
 */
function lineEnd(src: string, i: number, directive: boolean): number {
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') return i;
    if (c === '\\' && directive) {
      let k = i + 1;
      while (src[k] === ' ' || src[k] === '\t') k++;
      if (src[k] === '\r') k++;
      if (src[k] === '\n') {
        i = k + 1;
        continue;
      }
      i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      i = close < 0 ? src.length : close + 2;
    } else if (c === '/' && src[i + 1] === '/') {
      const nl = src.indexOf('\n', i);
      return nl < 0 ? src.length : nl;
    } else if (c === '"' || c === "'") {
      // A literal ends at its closing quote or, unterminated (tokenize reports it), at the line's end; in a
      // directive a backslash-newline splices the literal's lines (alpha's asm/compiler.h).
      let k = i + 1;
      while (k < src.length && src[k] !== c && src[k] !== '\n') {
        const splice = directive && src[k] === '\\' ? /^\\\r?\n/.exec(src.slice(k, k + 3)) : null;
        k += splice ? splice[0].length : src[k] === '\\' && src[k + 1] !== '\n' ? 2 : 1;
      }
      i = src[k] === c ? k + 1 : k;
    } else i++;
  }
  return src.length;
}

/** The comments in src[start, end): their offsets and texts with markers. */
export function commentsIn(src: string, start: number, end: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = start;
  while (i < end) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      const e = close < 0 || close + 2 > end ? end : close + 2;
      out.push({ start: i, end: e });
      i = e;
    } else if (c === '/' && src[i + 1] === '/') {
      const nl = src.indexOf('\n', i);
      const e = nl < 0 || nl > end ? end : nl;
      out.push({ start: i, end: e });
      i = e;
    } else if (c === '"' || c === "'") {
      let k = i + 1;
      while (k < end && src[k] !== c && src[k] !== '\n') k += src[k] === '\\' ? 2 : 1;
      i = k + 1;
    } else i++;
  }
  return out;
}
