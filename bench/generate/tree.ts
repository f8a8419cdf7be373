// Whole-tree generation (issue 18): `uapi-ts generate --tree` over every include/linux/*.h of a UAPI tree in one
// process, as a user runs it (the bin file itself), its wall time and peak RSS measured by rusage.c. Target: peak
// RSS <= 300 MiB. The tree is $UAPI_TS_TREE or Debian's 7.3 linux-libc-dev unpacked at /tmp/deb/root/usr/include
// (see test/tree); without it the row says it is skipped and why.
//
//   node test/.out/bench-build/bench/generate/tree.js RUSAGE_BINARY [--json FILE]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { option } from '../lib/args.js';
import { table } from '../lib/measure.js';

const rusage = process.argv[2];
if (!rusage || rusage.startsWith('-')) throw new Error('usage: tree.js RUSAGE_BINARY [--json FILE]');
const tree = process.env.UAPI_TS_TREE ?? '/tmp/deb/root/usr/include';
const jsonAt = option('--json');

function report(figures: object): void {
  if (jsonAt) writeFileSync(jsonAt, JSON.stringify(figures, null, 2) + '\n');
}

if (!existsSync(join(tree, 'linux'))) {
  const skipped = `no UAPI tree at ${tree} (set UAPI_TS_TREE, or unpack Debian's linux-libc-dev there: see test/tree)`;
  console.log(`generate --tree: skipped, ${skipped}`);
  report({ skipped });
} else {
  const work = mkdtempSync(join(tmpdir(), 'uapi-ts-bench-tree-'));
  try {
    const log = join(work, 'log.txt');
    const cmd = [resolve('generator/bin/uapi-ts.js'), 'generate', '--tree', tree, '--out', join(work, 'out'), '--system-includes', '--skip-failing', '--quiet'];
    const [ns, kib, status] = execFileSync(rusage, [log, ...cmd], { encoding: 'utf8' }).trim().split(' ').map(Number);
    if (status !== 0) throw new Error(`${cmd.join(' ')} exited with ${status}:\n${readFileSync(log, 'utf8')}`);
    const headers = readdirSync(join(tree, 'linux')).filter((f) => f.endsWith('.h')).length;
    const generated = readdirSync(join(work, 'out')).filter((f) => f !== 'docs').length;
    const figures = { headers, generated, ms: ns! / 1e6, rssMiB: kib! / 1024 };
    console.log(`uapi-ts generate --tree ${tree} --system-includes --skip-failing (one process, one run)`);
    console.log(table(['linux/*.h', 'generated', 'wall s', 'peak RSS MiB'], [[
      String(headers), String(generated), (figures.ms / 1000).toFixed(1), figures.rssMiB.toFixed(1),
    ]]));
    report(figures);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
