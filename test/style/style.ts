// Style rules for generated TypeScript, each returning the offending lines as `line N: text` (empty when clean).

const at = (n: number, line: string): string => `line ${n + 1}: ${line.trim()}`;

/** Lines longer than `max` characters. */
export function longLines(text: string, max: number): string[] {
  return text.split('\n').flatMap((l, n) => (l.length > max ? [`${at(n, l)} (${l.length} characters)`] : []));
}

/** The code of a line: comments and the contents of string and template literals blanked out. */
function codeOf(line: string, inBlock: boolean): { code: string; inBlock: boolean } {
  let code = '';
  for (let i = 0; i < line.length; i++) {
    if (inBlock) {
      if (line.startsWith('*/', i)) {
        inBlock = false;
        i++;
      }
      continue;
    }
    const c = line[i]!;
    if (line.startsWith('/*', i)) {
      inBlock = true;
      i++;
      continue;
    }
    if (line.startsWith('//', i)) break;
    if (c === "'" || c === '"' || c === '`') {
      const end = line.indexOf(c, i + 1);
      code += `${c}${c}`;
      if (end < 0) break;
      i = end;
      continue;
    }
    code += c;
  }
  return { code, inBlock };
}

/**
 * Arithmetic a generator should have done itself: `x + 0`, `x - 0`, `x * 1`, and an operator between two number
 * literals (`o + 8 - 1`, `4 * 2`). Comments and strings are not code, and are not looked at.
 */
export function foldedArithmetic(text: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  text.split('\n').forEach((line, n) => {
    const r = codeOf(line, inBlock);
    inBlock = r.inBlock;
    const number = String.raw`(?:0x[0-9a-fA-F]+|\d+)n?`;
    const identity = new RegExp(String.raw`[-+]\s*0n?(?![\w.])|\*\s*1n?(?![\w.])|(?<![\w.])1n?\s*\*`);
    const constants = new RegExp(String.raw`(?<![\w.\[])${number}\s*[-+*/]\s*${number}(?![\w.])`);
    if (identity.test(r.code) || constants.test(r.code)) out.push(at(n, line));
  });
  return out;
}

// What may follow a TSDoc block: a declaration, a class or interface member, an object literal's property.
const DECLARATION = new RegExp(
  String.raw`^\s*(?:export\s|declare\s|default\s|async\s|function[\s*]|const\s|let\s|var\s|class\s|abstract\s|` +
    String.raw`interface\s|type\s|enum\s|namespace\s|readonly\s|static\s|private\s|protected\s|public\s|` +
    String.raw`get\s|set\s|constructor\s*\(|#?[\w$]+\??\s*[:=;]|'[^']*'\??\s*:|\[[^\]]+\]\??\s*[:(]|` +
    // a method: `name(...) {`, `name(...): T`, or its parameters on the lines below
    String.raw`#?[\w$]+\??(?:<[^>]*>)?\((?:.*\)\s*(?::.*)?\{|.*\)\s*:.*|\s*)$)`,
);

/** TSDoc blocks (`/** ... *\/`) not directly followed, on the next line, by a declaration. */
export function orphanDocBlocks(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let n = 0; n < lines.length; n++) {
    if (!/^\s*\/\*\*(?!\/)/.test(lines[n]!)) continue;
    const start = n;
    while (n < lines.length && !lines[n]!.includes('*/')) n++;
    const next = lines[n + 1] ?? '';
    if (!DECLARATION.test(next)) out.push(`${at(start, lines[start]!)} (followed by ${JSON.stringify(next.trim())})`);
  }
  return out;
}

/**
 * Explanations (runs of two or more `//` lines) that occur more than once in the file, each reported at its second
 * occurrence: what every declaration shares is said once. TSDoc blocks are not looked at: two declarations may
 * well be documented alike (a field of the same name and type in two structs).
 */
export function repeatedComments(text: string): string[] {
  const lines = text.split('\n');
  const seen = new Set<string>();
  const out: string[] = [];
  for (let n = 0; n < lines.length; n++) {
    const start = n;
    if (!/^\s*\/\//.test(lines[n]!)) continue;
    while (n + 1 < lines.length && /^\s*\/\//.test(lines[n + 1]!)) n++;
    if (n === start) continue;
    const block = lines.slice(start, n + 1).map((l) => l.trim()).join('\n');
    if (seen.has(block)) out.push(at(start, lines[start]!));
    seen.add(block);
  }
  return out;
}
