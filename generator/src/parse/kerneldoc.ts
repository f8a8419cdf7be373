// Splits one kernel-doc comment into title, summary, @members and free description, keeping the text's
// line breaks and indentation (they carry meaning: `::` literal blocks, bullet continuations).
// Follows the rules of the kernel's own scripts/kernel-doc where the headers depend on them.
import { HeaderError, type Loc } from '../diagnostics.js';
import type { DocMember, KernelDoc } from './syntax.js';

/** One line of the comment with its decoration (` * `) stripped; `col` is the 1-based file column of text[0]. */
interface Line {
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

interface OpenMember {
  readonly name: string;
  readonly loc: Loc;
  readonly indent: number; // indentation of the `@` line: later lines must be deeper to continue after a blank
  readonly first: string;
  readonly rest: string[];
}

type Target = KernelDoc['target'];

// `@name:` or `@name :`; the name is checked separately so that `@: x` or `@a[0]: x` is reported, not
// silently read as text. `(?!:)` keeps `@a::b` (C++-style scope text) from counting as a member.
const MEMBER_LINE = /^([ \t]*)@([^\s:]*)[ \t]*:(?!:)(.*)$/;
const MEMBER_NAME = /^(?:\.\.\.|[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)$/;
// Section headings kernel-doc recognises; they end the summary or a member, and stay in the description.
const SECTION_LINE = /^[ \t]*(?:description|context|returns?|notes?|examples?)[ \t]*:/i;

/**
 * Parses `comment` (the whole comment text, `/*` to `*\/` inclusive, starting at `loc`) as kernel-doc.
 * Returns null when it is not kernel-doc: not a `/**` comment, or a `/**` comment whose first text line
 * names nothing. A plain `/*` comment counts only when its first line is exactly `struct|union|enum|typedef
 * NAME [- summary]` (some headers forgot the second star). The KernelDoc's loc is its title word's; a
 * member's loc is its `@`. Throws HeaderError for a comment that is kernel-doc but cannot be read exactly.
 */
export function parseKernelDoc(comment: string, loc: Loc): KernelDoc | null {
  const starred = /^\/\*\*(?![*/])/.test(comment);
  if (!starred && !comment.startsWith('/*')) return null;
  const lines = splitLines(comment, starred ? 3 : 2, loc);
  const head = lines.findIndex((l) => !isBlank(l.text));
  const titleLine = lines[head];
  if (titleLine === undefined) return null;
  const title = parseTitle(titleLine, starred, loc.file);
  if (title === null) return null;
  const { target } = title;
  const titleLoc = at(loc.file, titleLine, leading(titleLine.text).length);

  let i = head + 1;
  const summary = [title.summary];
  // A DOC: block has no summary; elsewhere the summary runs on until a blank line, a member or a section
  // heading (kernel-doc appends such lines to the "purpose" whatever their indentation).
  if (target.kind !== 'doc') {
    for (; i < lines.length; i++) {
      const t = lines[i]!.text;
      if (isBlank(t) || MEMBER_LINE.test(t) || SECTION_LINE.test(t)) break;
      summary.push(t.trim());
    }
  }

  const members: DocMember[] = [];
  const description: string[] = [];
  let open: OpenMember | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.text;
    // DOC: blocks are free text; an `@x:` line there is prose (kernel-doc does not look for members in them).
    const m = target.kind === 'doc' ? null : MEMBER_LINE.exec(t);
    if (m) {
      if (open) members.push(closeMember(open));
      trimBlankEnd(description);
      const name = m[2]!;
      const memberLoc = at(loc.file, line, m[1]!.length);
      if (name === '') throw new HeaderError(memberLoc, `kernel-doc member line has no name between '@' and ':'`);
      if (!MEMBER_NAME.test(name)) {
        throw new HeaderError(memberLoc, `kernel-doc member name '${name}' is not an identifier or a dotted path of identifiers`);
      }
      open = { name, loc: memberLoc, indent: indentOf(t), first: m[3]!.trim(), rest: [] };
      continue;
    }
    if (open) {
      const afterBlank = open.rest.length > 0 && open.rest[open.rest.length - 1] === '';
      if (isBlank(t)) {
        open.rest.push('');
        continue;
      }
      // kernel-doc: after a blank line only deeper-indented text still belongs to the member.
      const ends = indentOf(t) <= open.indent && (afterBlank || SECTION_LINE.test(t));
      if (!ends) {
        open.rest.push(t.trimEnd());
        continue;
      }
      members.push(closeMember(open));
      open = null;
      if (description.length > 0) description.push(''); // keep paragraphs from both sides of the members apart
    }
    description.push(isBlank(t) ? '' : t.trimEnd());
  }
  if (open) members.push(closeMember(open));

  return {
    kind: 'kernel-doc',
    target,
    summary: summary.filter((s) => s !== '').join(' '),
    members,
    description: dedentBlock(description).join('\n'),
    loc: titleLoc,
  };
}

/** Comment lines without `/*`, `*\/` and the leading ` * ` (the `*` and at most one space). */
function splitLines(comment: string, openerLength: number, loc: Loc): Line[] {
  const body = comment.slice(openerLength).replace(/\*\/$/, '');
  return body.split(/\r?\n/).map((raw, k) => {
    if (k === 0) return { text: raw, line: loc.line, col: loc.col + openerLength };
    const deco = /^[ \t]*\* ?/.exec(raw)?.[0] ?? '';
    return { text: raw.slice(deco.length), line: loc.line + k, col: 1 + deco.length };
  });
}

function parseTitle(line: Line, starred: boolean, file: string): { target: Target; summary: string } | null {
  const text = line.text.trim();
  const titleLoc = at(file, line, leading(line.text).length);
  if (!starred) {
    // Plain `/*`: only the exact shape, so that ordinary comments are never mistaken for documentation.
    const m = /^(struct|union|enum|typedef)[ \t]+([A-Za-z_]\w*)(?:[ \t]+-[ \t]+(.*))?$/.exec(text);
    return m ? { target: { kind: m[1] as Target['kind'], name: m[2]! }, summary: (m[3] ?? '').trim() } : null;
  }
  const doc = /^DOC:(.*)$/.exec(text);
  if (doc) {
    // An untitled `DOC:` block is kernel-doc's introduction section (scripts/kernel-doc titles it so).
    const name = doc[1]!.trim() || 'Introduction';
    return { target: { kind: 'doc', name }, summary: '' };
  }
  const tagged = /^(struct|union|enum|typedef)\b(.*)$/.exec(text);
  if (tagged) {
    const rest = /^[ \t]+([A-Za-z_]\w*)[ \t]*(?:(?:-|:)[ \t]*(.*))?$/.exec(tagged[2]!);
    if (!rest) {
      throw new HeaderError(titleLoc, `kernel-doc title '${text}' should read '${tagged[1]} NAME - summary'`);
    }
    return { target: { kind: tagged[1] as Target['kind'], name: rest[1]! }, summary: (rest[2] ?? '').trim() };
  }
  const fn = /^([A-Za-z_]\w*)[ \t]*\(\w*\)[ \t]*(?:(?:-|:)[ \t]*(.*))?$/.exec(text);
  if (fn) return { target: { kind: 'function', name: fn[1]! }, summary: (fn[2] ?? '').trim() };
  return null; // a `/**` comment that is not kernel-doc (kernel-doc itself only warns)
}

/** Member text: first line, then the continuation lines dedented as a block; outer blank lines dropped. */
function closeMember(open: OpenMember): DocMember {
  const lines = withoutBlankStart([open.first, ...dedentBlock(open.rest)]);
  trimBlankEnd(lines);
  return { name: open.name, text: lines.join('\n'), loc: open.loc };
}

/** Drops outer blank lines and the indentation common to all non-blank lines. */
function dedentBlock(lines: readonly string[]): string[] {
  const out = withoutBlankStart(lines);
  trimBlankEnd(out);
  const widths = out.filter((l) => l !== '').map(indentOf);
  const common = widths.length > 0 ? widths.reduce((a, b) => Math.min(a, b)) : 0; // no spread: comments may be long
  return out.map((l) => (l === '' ? '' : ' '.repeat(indentOf(l) - common) + l.slice(leading(l).length)));
}

/** A copy without the leading blank lines (one slice: shifting them off one by one is quadratic). */
function withoutBlankStart(lines: readonly string[]): string[] {
  let k = 0;
  while (k < lines.length && lines[k] === '') k++;
  return lines.slice(k);
}

function trimBlankEnd(lines: string[]): void {
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

function leading(text: string): string {
  return /^[ \t]*/.exec(text)![0];
}

/** Indentation width; a tab advances to the next multiple of 8, as the kernel's editors do. */
function indentOf(text: string): number {
  let width = 0;
  for (const ch of leading(text)) width = ch === '\t' ? width - (width % 8) + 8 : width + 1;
  return width;
}

function at(file: string, line: Line, offset: number): Loc {
  return { file, line: line.line, col: line.col + offset };
}
