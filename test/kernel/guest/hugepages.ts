// Memory.map with huge pages (MAP_HUGETLB), checked against what the kernel reports: the pages come out of the
// hugetlb pool (/proc/meminfo's HugePages_Free) and the mapping's pages are 2 MiB (/proc/self/smaps).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { skip, v73, type Tests } from './lib.js';

const HUGE = 2 * 1024 * 1024;
const POOL = '/proc/sys/vm/nr_hugepages';

function meminfo(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'));
  assert.ok(m, `/proc/meminfo has no ${field}`);
  return Number(m[1]);
}

/** The smaps block of the mapping that starts at `address`. */
function smapsOf(address: bigint): string {
  const blocks = readFileSync('/proc/self/smaps', 'utf8').split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/);
  const block = blocks.find((b) => BigInt(`0x${b.slice(0, b.indexOf('-'))}`) === address);
  assert.ok(block, `no mapping at 0x${address.toString(16)} in /proc/self/smaps`);
  return block;
}

export const tests: Tests = {
  'Memory.map with hugePageSize takes whole 2 MiB pages from the hugetlb pool'() {
    if (!existsSync(POOL) || meminfo('Hugepagesize') !== 2048) skip('no hugetlb pool of 2 MiB pages in this kernel');
    const before = Number(readFileSync(POOL, 'utf8'));
    writeFileSync(POOL, String(before + 2));
    try {
      assert.equal(meminfo('HugePages_Total'), before + 2, 'the pool did not grow');
      const free = meminfo('HugePages_Free');
      using mem = v73.Memory.map(HUGE + 1, { hugePageSize: HUGE });
      assert.equal(mem.length, 2 * HUGE); // rounded up to whole huge pages
      assert.equal(mem.address % BigInt(HUGE), 0n);
      mem.bytes[0] = 1;
      mem.bytes[HUGE] = 2; // touching a byte of each page faults in the whole page
      assert.equal(meminfo('HugePages_Free'), free - 2);
      assert.match(smapsOf(mem.address), /^KernelPageSize:\s+2048 kB$/m);
      assert.throws(() => v73.Memory.map(HUGE, { hugePageSize: 3 * HUGE }), RangeError);
    } finally {
      writeFileSync(POOL, String(before));
    }
  },
};
