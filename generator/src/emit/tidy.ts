// The last step of every rendered file: templates indent and space freely, the files come out tidy.

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;

/**
 * Deterministic text: \n line ends, no trailing blanks (space, tab, CR), no runs of blank lines (one at most
 * between lines, two at most before the first), no blank lines at the end, one final newline.
 *
 * The whole tree renders ~100 MB through here, nearly all of it already tidy: lines are not split and joined but
 * copied in runs, one slice per stretch of text that needs no change.
 */
export function tidy(text: string): string {
  let out = '';
  let runStart = 0; // text[runStart, runEnd) is output still to be copied
  let runEnd = 0;
  let blank = 0; // blank lines since the last line kept
  let first = true;
  for (let pos = 0; pos <= text.length; ) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let end = nl;
    for (let c = text.charCodeAt(end - 1); end > pos && (c === SPACE || c === TAB || c === CR); c = text.charCodeAt(end - 1)) end--;
    if (end === pos) {
      blank++;
    } else {
      const breaks = first ? Math.min(blank, 2) : blank > 0 ? 2 : 1;
      // What stands in the text before this line is only newlines exactly when it is as long as the breaks wanted.
      if (pos - runEnd === breaks) {
        runEnd = end;
      } else {
        out += text.slice(runStart, runEnd) + (breaks === 2 ? '\n\n' : breaks === 1 ? '\n' : '');
        runStart = pos;
        runEnd = end;
      }
      blank = 0;
      first = false;
    }
    pos = nl + 1;
  }
  return out + text.slice(runStart, runEnd) + '\n';
}
