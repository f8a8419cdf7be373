// Small text helpers shared by the parser and the emitter.

/**
 * `line` without the characters of `blanks` at its end, up to `end` (default: the whole line); what follows
 * `end` is kept. A loop, not /[ \t]+$/: that regex backtracks quadratically over a long run of blanks inside a
 * line (a kernel-doc line with 50000 tabs took 13 s).
 */
export function trimEndOf(line: string, blanks: string, end = line.length): string {
  let k = end;
  while (k > 0 && blanks.includes(line[k - 1]!)) k--;
  return k === end ? line : line.slice(0, k) + line.slice(end);
}
