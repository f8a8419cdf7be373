// generated/ must be exactly what the generator makes from headers/ now (the CI diff check).
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('generated/ matches a fresh regeneration', () => {
  const r = spawnSync(process.execPath, ['test/check-generated.js'], { encoding: 'utf8' });
  expect(r.stdout + r.stderr).toContain('generated/ is up to date');
  expect(r.status).toBe(0);
});
