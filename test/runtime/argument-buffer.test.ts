// Every ioctl a generated device class makes on its argument buffer fits in it: the kernel reads and writes the
// size its request number encodes (checked against gcc by the conformance tests), so a buffer smaller than that
// would let the kernel write past it. Read from the generated classes (src/ioctl.ts, asm-generic encoding: the
// size is bits 16-29 of the request), for the checked-in packages and the golden ones.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const roots = ['generated', 'test/golden/expected'];
const files = roots.flatMap((root) => readdirSync(root).map((p) => join(root, p, 'src/ioctl.ts')).filter((f) => existsSync(f)));

/** Each class's buffer size and the requests it issues on that buffer (`this.call(REQ)`, `this.callValue(REQ)`). */
function classes(text: string): { name: string; buffer: number; requests: number[] }[] {
  return text.split(/^export class /m).slice(1).map((body) => {
    const name = /^\w+/.exec(body)![0];
    const buffer = /super\(fd, owned, (\d+)\)/.exec(body);
    const requests = [...body.matchAll(/this\.call(?:Value)?\((0x[0-9a-f]+)\)/g)].map((m) => Number(m[1]));
    return { name, buffer: buffer ? Number(buffer[1]) : -1, requests };
  });
}

describe('argument buffers hold every argument the kernel reads or writes', () => {
  it('finds the generated classes', () => {
    expect(files.length).toBeGreaterThan(5);
  });
  for (const file of files) {
    it(file, () => {
      const found = classes(readFileSync(file, 'utf8')).filter((c) => c.buffer >= 0);
      expect(found.length, 'device classes with an argument buffer').toBeGreaterThan(0);
      for (const c of found) {
        for (const request of c.requests) {
          const size = (request >>> 16) & 0x3fff;
          expect(c.buffer, `${c.name}: request 0x${request.toString(16)} moves ${size} bytes`).toBeGreaterThanOrEqual(size);
        }
      }
    });
  }
});
