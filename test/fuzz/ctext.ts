// A rough lexical view of C text for the mutator: which characters are code, comment or literal, where tokens
// and lines are. It only has to be good enough to aim mutations (and to keep "neutral" ones out of comments).

export const CODE = 0;
export const COMMENT = 1;
export const LITERAL = 2;

/** The class of every character of `text` (CODE, COMMENT or LITERAL). Newlines ending `//` comments are CODE. */
export function classify(text: string): Uint8Array {
  const cls = new Uint8Array(text.length);
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      cls.fill(COMMENT, i, end);
      i = end;
    } else if (c === '/' && text[i + 1] === '/') {
      let j = i + 2;
      while (j < text.length && !(text[j] === '\n' && text[j - 1] !== '\\')) j++;
      cls.fill(COMMENT, i, j);
      i = j;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      const end = Math.min(text.length, j + 1);
      cls.fill(LITERAL, i, end);
      i = end;
    } else {
      i++;
    }
  }
  return cls;
}

export interface Span {
  readonly start: number;
  readonly end: number; // exclusive
}

/** Tokens outside comments: identifiers and numbers, whole literals, single punctuation characters. */
export function codeTokens(text: string, cls: Uint8Array): Span[] {
  const out: Span[] = [];
  let i = 0;
  while (i < text.length) {
    if (cls[i] === COMMENT || /\s/.test(text[i]!)) {
      i++;
      continue;
    }
    let j = i + 1;
    if (cls[i] === LITERAL) while (j < text.length && cls[j] === LITERAL) j++; // adjacent literals merge: fine here
    else if (/\w/.test(text[i]!)) while (j < text.length && /\w/.test(text[j]!)) j++;
    out.push({ start: i, end: j });
    i = j;
  }
  return out;
}

/** Comment spans (`/* ... *\/` and `// ...`). */
export function commentSpans(cls: Uint8Array): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < cls.length; ) {
    if (cls[i] !== COMMENT) {
      i++;
      continue;
    }
    let j = i;
    while (j < cls.length && cls[j] === COMMENT) j++;
    out.push({ start: i, end: j });
    i = j;
  }
  return out;
}

/** Offsets where lines start (0 and after every '\n'). */
export function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') out.push(i + 1);
  return out;
}

/** `text` with `from..to` replaced by `insert`. */
export function splice(text: string, from: number, to: number, insert: string): string {
  return text.slice(0, from) + insert + text.slice(to);
}
