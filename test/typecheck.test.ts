// vitest runs the tests without type-checking them; this does, for every TypeScript file of the repository
// outside the generated packages' own builds: the generator, the tests, the benchmarks (tsconfig.json, --strict).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the repository type-checks', () => {
  it('tsc --noEmit -p tsconfig.json', () => {
    const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);
});
