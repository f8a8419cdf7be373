// Kernel-doc text → TSDoc/Markdown lines: literal blocks (`::`) become code fences, `@` and `*/` are escaped.

/** Escapes what would end the comment or start a TSDoc tag. */
function escapeLine(line: string): string {
  return line.replace(/\*\//g, '*\\/').replace(/@/g, '\\@');
}

/**
 * Converts kernel-doc prose to Markdown lines. A paragraph ending in `::` introduces a literal block: the
 * following more-indented lines, shown as code.
 */
export function kernelDocToMarkdown(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/::\s*$/.test(line)) {
      out.push(escapeLine(line.replace(/::\s*$/, /\s::\s*$/.test(line) || /^\s*::\s*$/.test(line) ? '' : ':')));
      const baseIndent = indentOf(line);
      let j = i + 1;
      while (j < lines.length && lines[j]!.trim() === '') j++;
      const block: string[] = [];
      while (j < lines.length && (lines[j]!.trim() === '' || indentOf(lines[j]!) > baseIndent)) block.push(lines[j++]!);
      while (block.length > 0 && block[block.length - 1]!.trim() === '') block.pop();
      if (block.length > 0) {
        const strip = block.filter((b) => b.trim() !== '').map(indentOf).reduce((a, b) => Math.min(a, b), Infinity); // no spread: blocks may be long
        for (const l of ['', '```text', ...block.map((b) => b.slice(strip).replace(/\*\//g, '*\\/')), '```']) out.push(l); // no spread into push: may be long
        if (j < lines.length) out.push('');
        i = j - 1;
      }
      continue;
    }
    out.push(escapeLine(line));
  }
  while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  return out;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
