// `uapi-ts diff --target A --target B HEADER`: what a program built for B sees differently from one built for A in
// one header (a 32-bit process beside a 64-bit one, a big-endian host): the ABI diff between the header's two
// layouts, reported as differences, not as changes that break (neither target is older).
import type { Change } from './diff.js';
import { describeChange } from './format.js';

export interface TargetLabels {
  readonly header: string;
  readonly a: string; // x86_64
  readonly b: string; // s390x
  /** The two targets' byte orders: every multi-byte field of no fixed order (not `__le*`/`__be*`) differs when they do. */
  readonly endian: { readonly a: 'little' | 'big'; readonly b: 'little' | 'big' };
}

/** How many differences: each change, and the byte order when it differs. */
export function differenceCount(changes: readonly Change[], labels: TargetLabels): number {
  return changes.length + (labels.endian.a === labels.endian.b ? 0 : 1);
}

function byteOrderLine(labels: TargetLabels): string | null {
  return labels.endian.a === labels.endian.b ? null : `byte order ${labels.endian.a}-endian → ${labels.endian.b}-endian (every multi-byte field but __le*/__be* ones)`;
}

export function formatTargetsText(changes: readonly Change[], labels: TargetLabels): string {
  const n = differenceCount(changes, labels);
  const lines = [`${labels.header}: ${labels.a} → ${labels.b}: ${n === 0 ? 'the same layout' : `${n} difference${n === 1 ? '' : 's'}`}`];
  const order = byteOrderLine(labels);
  if (order) lines.push(`  ~ ${order}`);
  for (const c of changes) lines.push(`  ${describeChange(c)}`);
  return lines.join('\n') + '\n';
}

/** The `--json` form: one object per difference, keys in a fixed order (no verdicts: targets are not versions). */
export function formatTargetsJson(changes: readonly Change[], labels: TargetLabels): string {
  const differences = changes.map((c) => ({
    change: c.change,
    what: c.what,
    name: c.name,
    ...(c.change === 'changed' ? { aspect: c.aspect } : {}),
    ...('from' in c ? { [labels.a]: c.from } : {}),
    ...('to' in c ? { [labels.b]: c.to } : {}),
  }));
  const endian = { [labels.a]: labels.endian.a, [labels.b]: labels.endian.b };
  return JSON.stringify({ header: labels.header, targets: [labels.a, labels.b], endian, differences }, null, 2) + '\n';
}

export function formatTargetsMarkdown(changes: readonly Change[], labels: TargetLabels): string {
  const lines = [`### ${labels.header}: ${labels.a} → ${labels.b}`, ''];
  const order = byteOrderLine(labels);
  if (differenceCount(changes, labels) === 0) lines.push('The same layout.', '');
  else lines.push(...(order ? [`- ${order}`] : []), ...changes.map((c) => `- ${describeChange(c).replace(/^[-+~=] /, '')}`), '');
  return lines.join('\n');
}
