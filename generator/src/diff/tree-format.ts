// The --json and --markdown forms of `uapi-ts diff --tree` (the text form is verdictLine/verdictSummary in
// tree.ts): the same verdicts, each header's changes in the shape `uapi-ts diff` gives them for one header.
import { changesJson, formatMarkdown } from './format.js';
import { verdictLine, type TreeVerdict } from './tree.js';

const ORDER = ['added', 'removed', 'unchanged', 'compatible', 'breaking', 'not modelled'] as const;

function counts(verdicts: readonly TreeVerdict[]): Record<(typeof ORDER)[number], number> {
  return Object.fromEntries(ORDER.map((k) => [k, verdicts.filter((v) => v.verdict === k).length])) as Record<(typeof ORDER)[number], number>;
}

/** `{ summary: { added: N, ... }, headers: [{ header, verdict, changes? | error? }] }`, headers sorted. */
export function formatTreeJson(verdicts: readonly TreeVerdict[]): string {
  const headers = verdicts.map((v) => ({
    header: v.header,
    verdict: v.verdict,
    ...('changes' in v ? { breaking: v.changes.filter((c) => c.breaking).length, changes: changesJson(v.changes) } : {}),
    ...('error' in v ? { error: v.error } : {}),
  }));
  return JSON.stringify({ summary: counts(verdicts), headers }, null, 2) + '\n';
}

/** A report: the counts, a table of every header that is not unchanged, then each changed header's changelog section. */
export function formatTreeMarkdown(verdicts: readonly TreeVerdict[], labels: { readonly from: string; readonly to: string }): string {
  const c = counts(verdicts);
  const lines = [`## UAPI headers: ${labels.from} → ${labels.to}`, ''];
  lines.push(ORDER.map((k) => `${c[k]} ${k}`).join(', ') + ` (of ${verdicts.length} headers).`, '');
  const listed = verdicts.filter((v) => v.verdict !== 'unchanged');
  if (listed.length > 0) {
    lines.push('| header | verdict |', '| --- | --- |');
    for (const v of listed) lines.push(`| \`${v.header}\` | ${verdictLine(v).slice(v.header.length + 2).replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  for (const v of verdicts) {
    if ('changes' in v) lines.push(formatMarkdown(v.changes, { header: v.header, from: labels.from, to: labels.to }));
  }
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}
