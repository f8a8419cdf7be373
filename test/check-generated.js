// `npm run check:generated`: regenerates every configured package into a temporary folder and fails, printing
// the diff, when the checked-in generated/ differs. Package build output (dist/, node_modules/) is not compared.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const config = JSON.parse(readFileSync('uapi-ts.config.json', 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-check-'));
try {
  const moved = { ...config, packages: config.packages.map((p) => ({ ...p, out: join(tmp, p.out) })) };
  const tmpConfig = join(tmp, 'config.json');
  writeFileSync(tmpConfig, JSON.stringify(moved));
  execFileSync(process.execPath, ['generator/bin/uapi-ts.js', 'generate', '--quiet', '--config', tmpConfig], { stdio: 'inherit' });
  let differs = false;
  for (const p of config.packages) {
    const r = spawnSync('diff', ['-ruN', '--exclude=dist', '--exclude=node_modules', p.out, join(tmp, p.out)], { encoding: 'utf8' });
    if (r.status !== 0) {
      differs = true;
      process.stdout.write(r.stdout.split(tmp + '/').join('(regenerated) '));
      process.stderr.write(r.stderr);
    }
  }
  if (differs) {
    process.stderr.write('\ngenerated/ is not what the generator makes from headers/ now: run `npm run generate` and commit.\n');
    process.exitCode = 1;
  } else {
    process.stdout.write(`generated/ is up to date (${config.packages.length} packages)\n`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
