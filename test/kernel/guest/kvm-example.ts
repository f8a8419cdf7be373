// examples/kvm-hello.ts, the README's program, run as a user would run it: compiled by test/kernel/run.mjs against
// the generated packages and imported here by its compiled path (its own imports are package names).
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fact, type Tests } from './lib.js';
import { openKvm } from './kvm-util.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export const tests: Tests = {
  async 'examples/kvm-hello.ts: a real-mode guest prints through port I/O'() {
    openKvm().close(); // skips, saying why, where there is no /dev/kvm
    const example = (await import(pathToFileURL(path.join(here, 'examples', 'kvm-hello.js')).href)) as { hello(): string };
    const out = example.hello();
    assert.equal(out, 'Hi!\n', 'the four bytes its code writes to port 0x3f8');
    fact(`kvm example: ${JSON.stringify(out)}`);
  },
};
