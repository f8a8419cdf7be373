// examples/vfio-edu.ts, the README's program, run as a user would run it: compiled by test/kernel/run.mjs against
// the generated packages and imported here by its compiled path (its own imports are package names).
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Tests } from './lib.js';
import { eduAddress } from './vfio-util.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export const tests: Tests = {
  async 'examples/vfio-edu.ts: open by PCI address, bind, IOAS, attach, map, DMA: the bytes match'() {
    const example = (await import(pathToFileURL(path.join(here, 'examples', 'vfio-edu.js')).href)) as {
      eduDma(address: string): Promise<boolean>;
    };
    assert.equal(await example.eduDma(eduAddress()), true);
  },
};
