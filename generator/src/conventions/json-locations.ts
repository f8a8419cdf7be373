// Where each key of a JSON text is, so a bad profile entry is reported at its own line and column. JSON.parse
// has already accepted the text: this scanner only needs to follow valid JSON.
import type { Loc } from '../diagnostics.js';

/** Path of keys (array indices as strings) → the location of that key (or of the array element). */
export type JsonLocations = ReadonlyMap<string, Loc>;

export const pathKey = (path: readonly string[]): string => path.join('\u0000');

export function jsonLocations(file: string, text: string): JsonLocations {
  const out = new Map<string, Loc>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): Loc => ({ file, line, col: i - lineStart + 1 });
  const space = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) {
      if (text[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: readonly string[]): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      while (text[i] !== '}') {
        const at = here();
        const key = string();
        out.set(pathKey([...path, key]), at);
        space();
        i++; // ':'
        value([...path, key]);
        space();
        if (text[i] === ',') i++;
        space();
      }
      i++;
    } else if (c === '[') {
      i++;
      space();
      for (let n = 0; text[i] !== ']'; n++) {
        space();
        out.set(pathKey([...path, String(n)]), here());
        value([...path, String(n)]);
        space();
        if (text[i] === ',') i++;
        space();
      }
      i++;
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && /[^\s,\]}]/.test(text[i]!)) i++;
    }
  };
  value([]);
  return out;
}
