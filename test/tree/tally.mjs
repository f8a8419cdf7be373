#!/usr/bin/env node
// Runs the generator over every include/linux/*.h of a UAPI tree (a headers_install folder or Debian's
// linux-libc-dev usr/include), in one process, and tallies the outcomes: generated, or failed by the class of the
// first error (its message with the quoted names and numbers blanked). Reads generator/dist (npm run build first).
//
//   node test/tree/tally.mjs [TREE] [--gcc] [--list] [--only CLASS-SUBSTRING] [--system-includes]
//
// TREE defaults to $UAPI_TS_TREE or /tmp/deb/root/usr/include. -I is TREE and, when there, TREE/x86_64-linux-gnu
// (where Debian keeps asm/). --gcc also asks gcc whether each header compiles on its own (the headers in scope);
// --list prints every failing header with its first error.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const tree = resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--only') ?? process.env.UAPI_TS_TREE ?? '/tmp/deb/root/usr/include');
if (!existsSync(join(tree, 'linux'))) {
  process.stderr.write(`tally: ${tree} holds no linux/ folder\n`);
  process.exit(2);
}
const includeDirs = [tree, join(tree, 'x86_64-linux-gnu')].filter((d) => existsSync(d));
const { renderOne } = await import(join(root, 'generator/dist/generate.js'));
// The packages `generate --tree` makes (names, -I, the tree's one target: x86_64), each rendered in memory.
const { treePackages } = await import(join(root, 'generator/dist/generate-tree.js'));
const configs = new Map(treePackages(tree, join(root, 'test/.out/tree'), '0.0.0', flag('--system-includes')).map((c) => [c.header, c]));

/** A message's class: quoted text, numbers and paths blanked, so one cause counts once. */
function classOf(message) {
  return message
    .replace(/^[^:]*:\d+:\d+: /, '')
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/<[^>]*>/g, '<…>')
    .replace(/\b(struct|union|enum) [A-Za-z_]\w*/g, '$1 …')
    .replace(/\b\d+\b/g, 'N')
    .replace(/ at [^ ]*:N:N/g, ' at …');
}

function gccCompiles(header) {
  try {
    execFileSync('gcc', ['-std=gnu11', '-fsyntax-only', ...includeDirs.flatMap((d) => ['-I', d]), '-x', 'c', '-'], {
      input: `#include <linux/${header}>\n`,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    return true;
  } catch {
    return false;
  }
}

const headers = readdirSync(join(tree, 'linux')).filter((f) => f.endsWith('.h')).sort();
const classes = new Map(); // class -> [header, message][]
const failures = [];
let generated = 0;
let inScope = 0;
let generatedInScope = 0;
const start = performance.now();
for (const h of headers) {
  await new Promise((resolve) => setImmediate(resolve)); // tree-sitter frees syntax trees from the event loop
  const compiles = flag('--gcc') ? gccCompiles(h) : true;
  if (compiles) inScope++;
  try {
    renderOne(configs.get(join(tree, 'linux', h)));
    generated++;
    if (compiles) generatedInScope++;
  } catch (e) {
    const message = String(e?.message ?? e).split('\n')[0];
    const located = e?.name === 'HeaderError' || e?.name === 'HeaderErrors';
    const cls = (located ? '' : `[${e?.name ?? 'thrown'}] `) + classOf(message);
    if (!classes.has(cls)) classes.set(cls, []);
    classes.get(cls).push([h, message, compiles]);
    failures.push([h, message, compiles]);
  }
}
const ms = Math.round(performance.now() - start);

const rows = [...classes].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
const out = [];
out.push(`tree ${tree}: ${headers.length} headers, ${generated} generated, ${headers.length - generated} failed (${ms} ms)`);
if (flag('--gcc')) out.push(`gcc compiles ${inScope} on their own; of those, ${generatedInScope} generated, ${inScope - generatedInScope} failed`);
out.push('');
out.push('| count | first error (class) | example |');
out.push('| ---: | --- | --- |');
for (const [cls, list] of rows) {
  if (only && !cls.includes(only)) continue;
  const ex = list[0][1].replace(/^[^:]*?\/(?=(linux|asm|asm-generic|x86_64-linux-gnu)\/)/, '');
  out.push(`| ${list.length} | ${cls.replace(/\|/g, '\\|')} | ${list[0][0]}: ${ex.replace(/\|/g, '\\|').slice(0, 140)} |`);
}
if (flag('--list')) {
  out.push('');
  for (const [h, m, c] of failures) {
    const cls = classOf(m);
    if (only && !cls.includes(only)) continue;
    out.push(`${h}${c ? '' : ' (gcc fails too)'}: ${m}`);
  }
}
process.stdout.write(out.join('\n') + '\n');
