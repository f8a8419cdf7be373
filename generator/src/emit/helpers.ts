// The helpers templates call, and the text functions behind them: quoting, wrapping prose to MAX_LINE.

/** The longest line of generated code: longer statements are wrapped, as a formatter would (the `fits` helper). */
export const MAX_LINE = 120;

/** What Handlebars passes a block helper: its block, and its {{else}} block. */
interface BlockOptions {
  fn(context: unknown): string;
  inverse(context: unknown): string;
}

/**
 * The helpers templates call, by name. Both engines register them, and the compiler is told that they are the only
 * ones (templates.ts): `{{name}}` is then a plain property read, not a helper lookup first, and `{{name arg}}` with
 * a name not listed here fails to compile.
 */
export const HELPERS: Readonly<Record<string, (...args: never[]) => unknown>> = {
  pascal: (s: unknown) => String(s).charAt(0).toUpperCase() + String(s).slice(1),
  concat: (...args: unknown[]) => args.slice(0, -1).join(''),
  eq: (a: unknown, b: unknown) => a === b,
  list: (...args: unknown[]) => args.slice(0, -1),
  // Comment lines wrapped to fit a `// ` or ` * ` comment line indented by `indent` (a number; 0 when omitted).
  wrap: (lines: unknown, ...rest: unknown[]) => {
    const indent = typeof rest[0] === 'number' ? rest[0] : 0;
    return wrapProse(Array.isArray(lines) ? (lines as string[]) : [], MAX_LINE - indent - 3);
  },
  // `{{#fits}}one line{{else}}the same, wrapped{{/fits}}`: the first form when none of its lines is longer than
  // MAX_LINE, else the second. Templates write both forms; this only measures. `{{#fits n}}`: in a partial whose
  // output the includer indents by n more columns.
  fits: function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as BlockOptions;
    const room = MAX_LINE - (typeof args[0] === 'number' ? args[0] : 0);
    const text = options.fn(this);
    return longestLine(text) <= room ? text : options.inverse(this);
  },
  // Doc comment lines followed by one more paragraph; an empty list gives just the paragraph.
  lines: (doc: unknown, last: unknown) => {
    const lines = Array.isArray(doc) ? (doc as string[]) : [];
    return lines.length > 0 ? [...lines, '', String(last)] : [String(last)];
  },
  // A single-quoted TypeScript string literal of `s`.
  quote: (s: unknown) => quote(String(s)),
  // `s` as string literals to be joined with ` +`, each line (indented by `indent`, then ` +` or `,`) within
  // MAX_LINE; split after a space. One literal when it fits.
  quotePieces: (s: unknown, indent: unknown) => quotePieces(String(s), MAX_LINE - (typeof indent === 'number' ? indent : 0) - 2),
  // `{{#tsdoc 2}}prose{{/tsdoc}}`: the prose (paragraphs separated by a blank line; the template's line breaks are
  // spaces) as a TSDoc comment indented by the number given: on one line when it fits, else wrapped at MAX_LINE.
  tsdoc: function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as BlockOptions;
    const pad = ' '.repeat(typeof args[0] === 'number' ? args[0] : 0);
    const lines = paragraphsOf(options.fn(this));
    const one = `${pad}/** ${lines[0] ?? ''} */`;
    if (lines.length === 1 && one.length <= MAX_LINE) return `${one}\n`;
    const body = wrapProse(lines, MAX_LINE - pad.length - 3);
    return [`${pad}/**`, ...body.map((l) => (l === '' ? `${pad} *` : `${pad} * ${l}`)), `${pad} */`, ''].join('\n');
  },
  // `{{#linecomment}}prose{{/linecomment}}`: the prose as `// ` lines wrapped at MAX_LINE, paragraphs kept.
  linecomment: function (this: unknown, options: BlockOptions) {
    const body = wrapProse(paragraphsOf(options.fn(this)), MAX_LINE - 3);
    return body.map((l) => (l === '' ? '//\n' : `// ${l}\n`)).join('');
  },
  comment: (lines: unknown, indent: unknown) => {
    const pad = ' '.repeat(typeof indent === 'number' ? indent : 0);
    const list = Array.isArray(lines) ? (lines as string[]) : [];
    if (list.length === 0) return '';
    const body = wrapProse(list, MAX_LINE - pad.length - 3);
    return [`${pad}/**`, ...body.map((l) => (l === '' ? `${pad} *` : `${pad} * ${l}`)), `${pad} */`].join('\n');
  },
};

/** The length of the longest line of `text`, measured in place (`fits` runs ~116,000 times over a whole tree). */
function longestLine(text: string): number {
  let longest = 0;
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    longest = Math.max(longest, end - start);
    start = end + 1;
  }
  return Math.max(longest, text.length - start);
}

/** Prose as written in a template: one line per paragraph, '' between paragraphs (a blank line in the template). */
function paragraphsOf(text: string): string[] {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' '))
    .filter((p) => p !== '');
  return paragraphs.flatMap((p, i) => (i === 0 ? [p] : ['', p]));
}

/** A single-quoted TypeScript string literal: `\`, `'`, and control and line-separator characters escaped. */
export function quote(s: string): string {
  const escaped = s.replace(/[\\'\u0000-\u001f\u2028\u2029]/g, (c) => {
    if (c === '\\' || c === "'") return `\\${c}`;
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `'${escaped}'`;
}

/**
 * `s` as string literals (quoted) whose concatenation is `s`, each at most `width` characters: cut after the last
 * space that keeps the literal within `width` (a word longer than that stays whole).
 */
export function quotePieces(s: string, width: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (quote(rest).length > width) {
    let cut = -1;
    for (let i = rest.indexOf(' '); i >= 0; i = rest.indexOf(' ', i + 1)) {
      if (quote(rest.slice(0, i + 1)).length > width) break;
      cut = i + 1;
    }
    if (cut <= 0) cut = rest.indexOf(' ') + 1; // a word longer than the width: cut after it
    if (cut <= 0 || cut === rest.length) break;
    out.push(quote(rest.slice(0, cut)));
    rest = rest.slice(cut);
  }
  out.push(quote(rest));
  return out;
}

/**
 * Comment lines wrapped at spaces to at most `width` characters, as a writer would; lines of a code fence
 * (```) are kept as they are, and so is a word longer than `width`.
 */
export function wrapProse(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of lines) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced || line.startsWith('```') || line.length <= width) {
      out.push(line);
      continue;
    }
    const indent = /^\s*(?:[-*] |\d+\. )?/.exec(line)![0].length;
    let rest = line;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(' ', width);
      if (cut <= indent) break;
      out.push(rest.slice(0, cut).trimEnd());
      rest = ' '.repeat(indent) + rest.slice(cut + 1).trimStart();
    }
    out.push(rest);
  }
  return out;
}
