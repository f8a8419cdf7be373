// The mutation kinds: each takes a header's text and a seeded generator and returns the mutated text.
// "Neutral" mutations change only whitespace outside comments, literals and continuation lines, so they
// cannot change the header's C meaning: the model must come out the same.
import { classify, CODE, codeTokens, COMMENT, commentSpans, lineStarts, splice } from './ctext.js';
import type { Rng } from './rng.js';
import {
  ARRAY_SIZES, BIT_TYPES, BIT_WIDTHS, DOC_TITLES, INCLUDES, NUMBERS, RUN_LENGTHS, RUN_UNITS, UNSUPPORTED, deepNesting,
  kernelDocLine, selfMacro, selfRecord,
} from './snippets.js';

export interface Mutation {
  readonly name: string;
  readonly neutral: boolean;
  apply(text: string, rng: Rng): string;
}

// ---- where to put things

/** Line starts outside comments that do not continue a previous line (a place for a new line of C). */
function freshLineStarts(text: string, cls: Uint8Array): number[] {
  return lineStarts(text).filter((p) => p === 0 || (cls[p - 1] === CODE && !/\\\r?\n$/.test(text.slice(Math.max(0, p - 3), p))));
}

/** Inserts `line` (one or more lines of C) at a fresh line start. */
function insertLines(text: string, rng: Rng, line: string): string {
  const starts = freshLineStarts(text, classify(text));
  const p = starts.length > 0 ? rng.pick(starts) : 0;
  return splice(text, p, p, `${line}\n`);
}

/** Named struct/union bodies: the offset just after `{` and the tag name. */
function recordBodies(text: string): { at: number; name: string }[] {
  const cls = classify(text);
  const out: { at: number; name: string }[] = [];
  for (const m of text.matchAll(/\b(?:struct|union)\s+(\w+)\s*\{/g)) if (cls[m.index] === CODE) out.push({ at: m.index + m[0].length, name: m[1]! });
  return out;
}

/** Inserts `member` as the first member of a random record, or a new record holding it when there is none. */
function insertMember(text: string, rng: Rng, member: string): string {
  const bodies = recordBodies(text);
  if (bodies.length === 0) return insertLines(text, rng, `struct fuzz_holder { ${member} };`);
  const { at } = rng.pick(bodies);
  return splice(text, at, at, `\n\t${member}`);
}

function lines(text: string): string[] {
  return text.split('\n');
}

function randomLine(text: string, rng: Rng): { ls: string[]; i: number; k: number } {
  const ls = lines(text);
  return { ls, i: rng.int(ls.length), k: rng.range(1, 5) };
}

// ---- the kinds

const structural: Mutation[] = [
  { name: 'truncate', neutral: false, apply: (t, rng) => t.slice(0, rng.int(t.length + 1)) },
  {
    name: 'delete-lines',
    neutral: false,
    apply: (t, rng) => {
      const { ls, i, k } = randomLine(t, rng);
      ls.splice(i, k);
      return ls.join('\n');
    },
  },
  {
    name: 'duplicate-lines',
    neutral: false,
    apply: (t, rng) => {
      const { ls, i, k } = randomLine(t, rng);
      ls.splice(i + k, 0, ...ls.slice(i, i + k));
      return ls.join('\n');
    },
  },
  {
    name: 'move-lines',
    neutral: false,
    apply: (t, rng) => {
      const { ls, i, k } = randomLine(t, rng);
      const moved = ls.splice(i, k);
      ls.splice(rng.int(ls.length + 1), 0, ...moved);
      return ls.join('\n');
    },
  },
  {
    name: 'swap-tokens',
    neutral: false,
    apply: (t, rng) => {
      const toks = codeTokens(t, classify(t));
      if (toks.length < 2) return t;
      const i = rng.int(toks.length - 1);
      const j = rng.chance(0.7) ? i + 1 : rng.int(toks.length);
      const [a, b] = i < j ? [toks[i]!, toks[j]!] : [toks[j]!, toks[i]!];
      if (a === b) return t;
      return t.slice(0, a.start) + t.slice(b.start, b.end) + t.slice(a.end, b.start) + t.slice(a.start, a.end) + t.slice(b.end);
    },
  },
  {
    name: 'delete-token',
    neutral: false,
    apply: (t, rng) => {
      const toks = codeTokens(t, classify(t));
      if (toks.length === 0) return t;
      const s = rng.pick(toks);
      return splice(t, s.start, s.end, '');
    },
  },
  {
    name: 'copy-token',
    neutral: false,
    apply: (t, rng) => {
      const toks = codeTokens(t, classify(t));
      if (toks.length === 0) return t;
      const from = rng.pick(toks);
      const to = rng.pick(toks);
      return splice(t, to.start, to.start, `${t.slice(from.start, from.end)} `);
    },
  },
  {
    name: 'random-bytes',
    neutral: false,
    apply: (t, rng) => {
      let out = t;
      for (let n = rng.range(1, 8); n > 0; n--) {
        const c = rng.chance(0.8) ? String.fromCharCode(rng.int(256)) : rng.pick(['\uFFFD', '\uFEFF', '\u2028', '\u00e9', '\u{1F600}', '\\', '\0']);
        const p = rng.int(out.length + 1);
        out = splice(out, p, rng.chance(0.5) ? p : Math.min(out.length, p + 1), c);
      }
      return out;
    },
  },
  {
    name: 'unbalance',
    neutral: false,
    apply: (t, rng) => {
      const brackets = [...t.matchAll(/[{}()[\]]/g)].map((m) => m.index);
      if (brackets.length > 0 && rng.chance(0.5)) {
        const p = rng.pick(brackets);
        return splice(t, p, p + 1, '');
      }
      const p = rng.int(t.length + 1);
      return splice(t, p, p, rng.pick(['{', '}', '(', ')', '[', ']', ';', '};', '{{']));
    },
  },
  {
    name: 'comment-break',
    neutral: false,
    apply: (t, rng) => {
      const closes = [...t.matchAll(/\*\//g)].map((m) => m.index);
      if (closes.length > 0 && rng.chance(0.4)) {
        const p = rng.pick(closes);
        return splice(t, p, p + 2, '');
      }
      const p = rng.int(t.length + 1);
      return splice(t, p, p, rng.pick(['/*', '*/', '/**', '//', '"', "'", '/**/', '\\']));
    },
  },
];

const semantic: Mutation[] = [
  {
    name: 'array-size',
    neutral: false,
    apply: (t, rng) => {
      const size = rng.pick(ARRAY_SIZES);
      const cls = classify(t);
      const arrays = [...t.matchAll(/\[([^\]\n]*)\]/g)].filter((m) => cls[m.index] === CODE);
      if (arrays.length > 0 && rng.chance(0.5)) {
        const m = rng.pick(arrays);
        return splice(t, m.index + 1, m.index + m[0].length - 1, size);
      }
      return insertMember(t, rng, `__u8 fuzz_array[${size}];`);
    },
  },
  {
    name: 'bit-width',
    neutral: false,
    apply: (t, rng) => insertMember(t, rng, `${rng.pick(BIT_TYPES)} ${rng.chance(0.7) ? 'fuzz_bits ' : ''}: ${rng.pick(BIT_WIDTHS)};`),
  },
  {
    name: 'number-literal',
    neutral: false,
    apply: (t, rng) => {
      const cls = classify(t);
      const nums = codeTokens(t, cls).filter((s) => /^\d/.test(t[s.start]!));
      if (nums.length === 0) return t;
      const s = rng.pick(nums);
      return splice(t, s.start, s.end, rng.pick(NUMBERS));
    },
  },
  {
    name: 'self-macro',
    neutral: false,
    apply: (t, rng) => {
      const defines = [...t.matchAll(/^#define[ \t]+(\w+)[ \t]+(.*)$/gm)];
      if (defines.length > 0 && rng.chance(0.4)) {
        // Make an existing macro refer to itself, or to another one that refers back.
        const m = rng.pick(defines);
        const other = rng.pick(defines)[1]!;
        const body = rng.pick([`(${m[1]})`, `${m[1]} + 1`, `${other} + ${m[1]}`, `${other}`]);
        const start = m.index + m[0].length - m[2]!.length;
        return splice(t, start, m.index + m[0].length, body);
      }
      return insertLines(t, rng, selfMacro(rng));
    },
  },
  {
    name: 'self-record',
    neutral: false,
    apply: (t, rng) => {
      const bodies = recordBodies(t);
      const target = bodies.length > 0 ? rng.pick(bodies) : null;
      const { member, topLevel } = selfRecord(rng, target?.name ?? null);
      if (target && member && rng.chance(0.5)) return splice(t, target.at, target.at, `\n\t${member}`);
      return insertLines(t, rng, topLevel);
    },
  },
  { name: 'unsupported', neutral: false, apply: (t, rng) => insertLines(t, rng, rng.pick(UNSUPPORTED)) },
  { name: 'include', neutral: false, apply: (t, rng) => insertLines(t, rng, rng.pick(INCLUDES)) },
  {
    name: 'long-run',
    neutral: false,
    apply: (t, rng) => {
      const run = (): string => {
        const unit = rng.pick(RUN_UNITS);
        return unit.repeat(Math.ceil(rng.pick(RUN_LENGTHS) / unit.length));
      };
      // Two runs side by side and a closing character catch regexes that backtrack from one run into the other.
      const text = rng.chance(0.3) ? `${run()}${run()}x` : run();
      // Half the runs go into kernel-doc, whose text travels on into the rendered files.
      const docs = commentSpans(classify(t)).filter((s) => t.startsWith('/**', s.start));
      const doc = docs.length > 0 && rng.chance(0.5) ? rng.pick(docs) : null;
      const p = doc ? rng.range(doc.start + 3, doc.end - 2) : rng.int(t.length + 1);
      return splice(t, p, p, text);
    },
  },
  { name: 'deep-nesting', neutral: false, apply: (t, rng) => insertLines(t, rng, deepNesting(rng)) },
  {
    name: 'kernel-doc',
    neutral: false,
    apply: (t, rng) => {
      const cls = classify(t);
      const docs = commentSpans(cls).filter((s) => t.startsWith('/**', s.start));
      if (docs.length === 0) return insertLines(t, rng, `/**\n${kernelDocLine(rng)}\n */`);
      const doc = rng.pick(docs);
      const text = t.slice(doc.start, doc.end);
      const action = rng.int(4);
      if (action === 0) {
        // a hostile line somewhere inside the comment
        const breaks = [...text.matchAll(/\n/g)].map((m) => m.index);
        const at = doc.start + (breaks.length > 0 ? rng.pick(breaks) + 1 : 3);
        return splice(t, at, at, `${kernelDocLine(rng)}\n`);
      }
      if (action === 1) return splice(t, doc.start, doc.end, text.replace(/^\/\*\*[ \t]*\n?[ \t]*\*?[ \t]*[^\n]*/, `/**\n * ${rng.pick(DOC_TITLES)}`));
      if (action === 2) return splice(t, doc.start, doc.end, text.replace(/\n[ \t]*\* ?/g, '\n')); // decoration dropped
      // the same comment once more, elsewhere (a second comment for one declaration)
      return insertLines(t, rng, text);
    },
  },
];

const neutral: Mutation[] = [
  {
    name: 'blank-line',
    neutral: true,
    apply: (t, rng) => {
      const starts = freshLineStarts(t, classify(t));
      const p = rng.pick(starts);
      return splice(t, p, p, '\n');
    },
  },
  {
    name: 'trailing-space',
    neutral: true,
    apply: (t, rng) => {
      const cls = classify(t);
      const ends = [...t.matchAll(/\n/g)].map((m) => m.index).filter((p) => cls[p] === CODE && (p === 0 || (cls[p - 1] !== COMMENT && t[p - 1] !== '\\' && t[p - 1] !== '\r')));
      if (ends.length === 0) return t;
      const p = rng.pick(ends);
      return splice(t, p, p, rng.pick([' ', '\t', '  \t ']));
    },
  },
  {
    name: 'widen-space',
    neutral: true,
    apply: (t, rng) => {
      const cls = classify(t);
      const spaces = [...t.matchAll(/[ \t]/g)].map((m) => m.index).filter((p) => cls[p] === CODE);
      if (spaces.length === 0) return t;
      const p = rng.pick(spaces);
      return splice(t, p, p + 1, rng.pick(['  ', '\t', ' \t ']));
    },
  },
  { name: 'crlf', neutral: true, apply: (t) => t.replace(/\r?\n/g, '\r\n') },
];

export const MUTATIONS: readonly Mutation[] = [...structural, ...semantic, ...neutral];
export const NEUTRAL: readonly Mutation[] = neutral;

export function mutationNamed(name: string): Mutation {
  const m = MUTATIONS.find((x) => x.name === name);
  if (!m) throw new Error(`unknown mutation '${name}' (known: ${MUTATIONS.map((x) => x.name).join(', ')})`);
  return m;
}
