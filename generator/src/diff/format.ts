// The three outputs of `uapi-ts diff`: text for people, JSON for tools, Markdown for a changelog.
import type { Change } from './diff.js';

export interface DiffLabels {
  readonly header: string | null; // linux/foo.h; null when two files were compared
  readonly from: string; // 6.12, or a path
  readonly to: string;
}

/** `+ ioctl FOO_X 0x3b90`, `~ record foo_info size 32 → 40`: one line, no classification. */
export function describeChange(c: Change): string {
  switch (c.change) {
    case 'added':
      return `+ ${c.what} ${c.name}: ${c.to}`;
    case 'removed':
      return `- ${c.what} ${c.name}: was ${c.from}`;
    case 'changed':
      return `~ ${c.what} ${c.name}: ${c.aspect} ${c.from} → ${c.to}`;
    case 'renamed':
      return `= ${c.what} ${c.from} → ${c.to}`;
  }
}

export function summaryLine(changes: readonly Change[], labels: DiffLabels): string {
  const breaking = changes.filter((c) => c.breaking).length;
  const n = changes.length;
  const what = n === 0 ? 'no ABI changes' : `${n} change${n === 1 ? '' : 's'}, ${breaking === 0 ? 'none' : breaking} breaking`;
  return `${labels.header ? `${labels.header} ` : ''}${labels.from} → ${labels.to}: ${what}`;
}

export function formatText(changes: readonly Change[], labels: DiffLabels): string {
  const lines = [summaryLine(changes, labels)];
  const section = (title: string, cs: readonly Change[]) => {
    if (cs.length === 0) return;
    lines.push('', `${title} (${cs.length}):`);
    for (const c of cs) lines.push(`  ${describeChange(c)}${c.sourceBreaking && !c.breaking ? ' [TypeScript source change]' : ''}  (${c.reason})`);
  };
  section('Breaking', changes.filter((c) => c.breaking));
  section('Compatible', changes.filter((c) => !c.breaking));
  return lines.join('\n') + '\n';
}

/** The `--json` form: one object per change, keys in a fixed order, absent keys left out. */
export function changesJson(changes: readonly Change[]): object[] {
  return changes.map((c) => ({
    change: c.change,
    what: c.what,
    name: c.name,
    ...(c.change === 'changed' ? { aspect: c.aspect } : {}),
    ...('from' in c ? { from: c.from } : {}),
    ...('to' in c ? { to: c.to } : {}),
    breaking: c.breaking,
    sourceBreaking: c.sourceBreaking,
    reason: c.reason,
  }));
}

export function formatJson(changes: readonly Change[]): string {
  return JSON.stringify(changesJson(changes), null, 2) + '\n';
}

function mdChange(c: Change): string {
  const code = (s: string) => `\`${s}\``;
  switch (c.change) {
    case 'added':
      return `${c.what} ${code(c.name)} added (${c.to})`;
    case 'removed':
      return `${c.what} ${code(c.name)} removed (was ${c.from})`;
    case 'changed':
      return `${c.what} ${code(c.name)}: ${c.aspect} ${c.from} → ${c.to}: ${c.reason}`;
    case 'renamed':
      return `${c.what} ${code(c.from)} renamed to ${code(c.to)}: ${c.reason}`;
  }
}

/** A changelog section: breaking changes, additions, other compatible changes. */
export function formatMarkdown(changes: readonly Change[], labels: DiffLabels): string {
  const lines = [`### ${labels.header ? `${labels.header}: ` : ''}${labels.from} → ${labels.to}`, ''];
  if (changes.length === 0) lines.push('No ABI changes.', '');
  const section = (title: string, cs: readonly Change[]) => {
    if (cs.length === 0) return;
    lines.push(`#### ${title}`, '', ...cs.map((c) => `- ${mdChange(c)}`), '');
  };
  section('Breaking changes', changes.filter((c) => c.breaking));
  section('Added', changes.filter((c) => !c.breaking && c.change === 'added'));
  section('Changed (compatible)', changes.filter((c) => !c.breaking && c.change !== 'added'));
  return lines.join('\n');
}
