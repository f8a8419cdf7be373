#!/bin/sh
':' //; case " $* " in *" --tree "*) exec node --max-semi-space-size=8 "$0" "$@" ;; esac; exec node --max-semi-space-size=2 "$0" "$@"
// Entry point for `npx uapi-ts`: runs the compiled generator (built by `npm ci` through the prepare script).
// The two lines above are shell for the kernel and a no-op string and comment for Node: the shell starts Node
// with a small young generation, which V8 only takes as a start-up flag. A run of `generate` is short and
// allocates mostly short-lived objects, so it peaks ~9 MiB lower at about the same time (BENCHMARKS.md). A run
// over a whole tree (`--tree`) is long: with 2 MiB it spent a fifth of its time in GC, so it gets 8 MiB (about
// 12% less CPU for ~10 MiB more peak RSS; Node's default 16 MiB came within 20 MiB of the tree's 300 MiB target).
// `node generator/bin/uapi-ts.js` also works, without the flag.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('uapi-ts: the generator is not built; run `npm run build` (npm ci does it)\n');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
