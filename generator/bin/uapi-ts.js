#!/usr/bin/env node
// Entry point for `npx uapi-ts`: runs the compiled generator (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('uapi-ts: the generator is not built; run `npm run build` (npm ci does it)\n');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
