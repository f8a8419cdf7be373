// What scripts/headers_install.sh does to a header of a kernel source tree (include/uapi/...) before user space
// sees it, so that a header imported from a tree is the header `make headers_install` would have installed:
//  1. its sed rules, in order, line by line (POSIX ERE; [[:space:]] is a blank within the line):
//       s/([[:space:](])(__user|__force|__iomem)[[:space:]]/\1/g
//       s/__attribute_const__([[:space:]]|$)/\1/g
//       s@^#include <linux/compiler(|_types).h>@@
//       s/(^|[^a-zA-Z0-9])__packed([^a-zA-Z0-9_]|$)/\1__attribute__((packed))\2/g
//       s/(^|[[:space:](])(inline|asm|volatile)([[:space:](]|$)/\1__\2__\3/g
//       s@#(ifndef|define|endif[[:space:]]*/[*])[[:space:]]*_UAPI@#\1 @
//  2. `unifdef -U__KERNEL__ -D__EXPORTED_HEADERS__`: here the forms kernel headers use (`#ifdef`, `#ifndef`,
//     `#if defined(X)`, `#if !defined(X)` with `#else`/`#endif`); any other condition naming those macros is
//     refused, so nothing is silently kept or dropped.
import { UsageError } from '../diagnostics.js';

const S = '[ \\t\\f\\v\\r]';

interface Rule {
  readonly what: string; // for the provenance note
  readonly re: RegExp;
  readonly to: string;
}

const RULES: readonly Rule[] = [
  { what: '__user/__force/__iomem removed', re: new RegExp(`([ \\t\\f\\v\\r(])(__user|__force|__iomem)${S}`, 'g'), to: '$1' },
  { what: '__attribute_const__ removed', re: new RegExp(`__attribute_const__(${S}|$)`, 'g'), to: '$1' },
  { what: '#include <linux/compiler.h> removed', re: /^#include <linux\/compiler(|_types).h>/, to: '' },
  { what: '__packed spelled __attribute__((packed))', re: /(^|[^a-zA-Z0-9])__packed([^a-zA-Z0-9_]|$)/g, to: '$1__attribute__((packed))$2' },
  { what: 'inline/asm/volatile spelled __inline__/__asm__/__volatile__', re: new RegExp(`(^|[ \\t\\f\\v\\r(])(inline|asm|volatile)([ \\t\\f\\v\\r(]|$)`, 'g'), to: '$1__$2__$3' },
  { what: '_UAPI include guard renamed', re: new RegExp(`#(ifndef|define|endif${S}*/[*])${S}*_UAPI`), to: '#$1 ' },
];

export interface InstallResult {
  readonly text: string;
  /** What changed, e.g. `__user/__force/__iomem removed (2 lines)`; empty when the header came through as it was. */
  readonly notes: readonly string[];
}

export function headersInstall(text: string, file: string): InstallResult {
  const counts = new Map<string, number>();
  const lines = text.split('\n').map((line) => {
    let l = line;
    for (const r of RULES) {
      const next = l.replace(r.re, r.to);
      if (next !== l) counts.set(r.what, (counts.get(r.what) ?? 0) + 1);
      l = next;
    }
    return l;
  });
  const { kept, dropped } = unifdefKernel(lines, file);
  const notes = RULES.filter((r) => counts.has(r.what)).map((r) => [r.what, counts.get(r.what)!] as const).map(([what, n]) => `${what} (${n} line${n === 1 ? '' : 's'})`);
  if (dropped > 0) notes.push(`#ifdef __KERNEL__ sections removed (${dropped} lines)`);
  return { text: kept.join('\n'), notes };
}

const DIRECTIVE = /^\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)$/;
const MACROS = /\b(__KERNEL__|__EXPORTED_HEADERS__)\b/;

/** The truth of a condition on __KERNEL__ (undefined) / __EXPORTED_HEADERS__ (defined), or null for others. */
function knownCondition(kind: string, rest: string, at: string): boolean | null {
  const expr = rest.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '').trim();
  if (!MACROS.test(expr)) return null;
  const defined = (name: string) => name === '__EXPORTED_HEADERS__';
  let m: RegExpExecArray | null;
  if (kind === 'ifdef' && (m = /^(\w+)$/.exec(expr))) return defined(m[1]!);
  if (kind === 'ifndef' && (m = /^(\w+)$/.exec(expr))) return !defined(m[1]!);
  if (kind === 'if' && (m = /^(!?)\s*defined\s*(?:\(\s*(\w+)\s*\)|(\w+))$/.exec(expr))) return defined((m[2] ?? m[3])!) !== (m[1] === '!');
  throw new UsageError(`${at}: '#${kind} ${expr}' is a condition on __KERNEL__ this importer does not evaluate; import the output of 'make headers_install' instead`);
}

interface Frame {
  readonly known: boolean; // a __KERNEL__ condition: its directives are removed
  active: boolean; // this branch's lines are kept (before considering outer frames)
}

function unifdefKernel(lines: readonly string[], file: string): { kept: string[]; dropped: number } {
  const stack: Frame[] = [];
  const kept: string[] = [];
  let dropped = 0;
  const on = () => stack.every((f) => f.active);
  lines.forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    const d = DIRECTIVE.exec(line);
    if (d) {
      const kind = d[1]!;
      if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') {
        const truth = knownCondition(kind, d[2]!, at);
        if (truth !== null) {
          if (on()) dropped++;
          stack.push({ known: true, active: truth });
          return;
        }
        stack.push({ known: false, active: true });
      } else {
        const top = stack[stack.length - 1];
        if (!top) throw new UsageError(`${at}: #${kind} without #if`);
        if (kind === 'elif' && (top.known || MACROS.test(d[2]!))) throw new UsageError(`${at}: #elif in a __KERNEL__ condition; import the output of 'make headers_install' instead`);
        if (top.known) {
          if (kind === 'else') top.active = !top.active;
          else stack.pop();
          if (on()) dropped++;
          return;
        }
        if (kind === 'endif') {
          stack.pop();
          if (on()) kept.push(line);
          else dropped++;
          return;
        }
      }
    }
    if (on()) kept.push(line);
    else dropped++;
  });
  return { kept, dropped };
}
