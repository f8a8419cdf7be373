// Mapping guest RAM (issue 18): IOMMU_IOAS_MAP + IOMMU_IOAS_UNMAP of 256 MiB, each in one call, from the generated
// @uapi-ts/iommufd package on a @uapi-ts/runtime Memory, against the same calls from C (bench/guest/map-loop.c,
// compiled on the host against headers/v7.3) in the same guest boot. Pages of 4 KiB (anonymous memory) and of
// 2 MiB (hugetlb, MAP_HUGETLB), with and without a selftest mock device attached to the IOAS: with one, a map pins
// every page and maps it into the mock domain (what a VMM pays to give a device its guest's RAM, the target row);
// without, the IOAS only records the range and the pair is two cheap ioctls (the call overhead, for reference).
// Not a test file (no `tests`): the runner calls it in the bench guest (run.mjs, bench-guests.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import * as iommufd from '../../../generated/iommufd/dist/index.js';
import * as test73 from '../../../generated/iommufd-test-v7.3/dist/index.js';
import { BaselineProcess } from './bench-child.js';
import { median, pairedRatio, type Round } from './bench-stats.js';

const MIB = 1024 * 1024;
const LENGTH_MIB = 256;
const HUGE_PAGE = 2 * MIB;

export interface MapCase {
  readonly pageKiB: 4 | 2048;
  readonly mock: boolean;
  /** Rounds of the C loop (one process for all), each followed (or preceded, alternately) by a TypeScript round. */
  readonly roundCount: number;
  /** Timed pairs per round, after one untimed pair that faults the buffer in (and, once, an untimed round of the
   * TypeScript side: the JIT's warm-up). */
  readonly pairs: number;
}

export interface MapFigures extends MapCase {
  /** Median ns per MAP + UNMAP pair over every timed pair of every round. */
  readonly ts: number;
  readonly c: number;
  /** TypeScript over C, the median of the rounds' ratios (bench-stats.ts). */
  readonly ratio: number;
  /** Every timed pair (ns), round by round. */
  readonly rounds: readonly Round[];
}

export interface MapBench {
  readonly lengthMiB: number;
  readonly cases: readonly MapFigures[];
  /** Huge pages reserved for the run (HugePages_Total of /proc/meminfo). */
  readonly hugePages: number;
}

// A pair that pins 256 MiB took 30-120 ms under TCG, in spells as the host's load came and went: many short rounds,
// so that both sides see the same spells. One without a device is two cheap calls: many more, as the JIT needs
// thousands of calls under TCG before it is steady.
export const MAP_CASES: readonly MapCase[] = [
  { pageKiB: 4, mock: true, roundCount: 30, pairs: 2 },
  { pageKiB: 2048, mock: true, roundCount: 30, pairs: 2 },
  { pageKiB: 4, mock: false, roundCount: 10, pairs: 1000 },
  { pageKiB: 2048, mock: false, roundCount: 10, pairs: 1000 },
];

function meminfo(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'));
  if (!m) throw new Error(`/proc/meminfo has no ${field}`);
  return Number(m[1]);
}

/**
 * Reserves `pages` huge pages of the default size (2 MiB on x86-64) unless as many are there already: the buffer
 * of the TypeScript rounds (kept for all of them) and one C process's at a time.
 */
function reserveHugePages(pages: number): number {
  if (meminfo('Hugepagesize') * 1024 !== HUGE_PAGE) throw new Error(`the default huge page is ${meminfo('Hugepagesize')} kB, not 2048`);
  if (meminfo('HugePages_Total') < pages) writeFileSync('/proc/sys/vm/nr_hugepages', String(pages));
  const total = meminfo('HugePages_Total');
  if (total < pages) throw new Error(`only ${total} of ${pages} huge pages could be reserved`);
  return total;
}

/** The TypeScript side of a case, as map-loop.c is the C side: a descriptor, an IOAS (and mock device), `mem`. */
class TsSide implements Disposable {
  readonly #dev = iommufd.Iommufd.open();
  readonly #ioas: number;
  readonly #mem: iommufd.Memory;
  readonly #flags = iommufd.IOMMU_IOAS_MAP_READABLE | iommufd.IOMMU_IOAS_MAP_WRITEABLE;

  constructor(mem: iommufd.Memory, mock: boolean) {
    this.#mem = mem;
    this.#ioas = this.#dev.ioasAlloc().out_ioas_id;
    if (mock) test73.IommufdTest.fromFd(this.#dev.fd).testCmd({ op: test73.IOMMU_TEST_OP_MOCK_DOMAIN, id: this.#ioas, mock_domain: {} });
    this.pair(); // not timed: faults the buffer in
  }

  /** One MAP + UNMAP pair; returns its ns. */
  pair(): number {
    const length = BigInt(this.#mem.length);
    const t = process.hrtime.bigint();
    const { iova } = this.#dev.ioasMap({ ioas_id: this.#ioas, flags: this.#flags, user_va: this.#mem });
    const unmapped = this.#dev.ioasUnmap({ ioas_id: this.#ioas, iova, length }).length;
    const ns = Number(process.hrtime.bigint() - t);
    if (unmapped !== length) throw new Error(`IOMMU_IOAS_UNMAP unmapped ${unmapped} bytes, not ${length}`);
    return ns;
  }

  round(pairs: number): number[] {
    const ns: number[] = [];
    for (let i = 0; i < pairs; i++) ns.push(this.pair());
    return ns;
  }

  [Symbol.dispose](): void {
    this.#dev.close(); // destroys the IOAS and the mock device with it
  }
}

async function cRound(c: BaselineProcess, pairs: number): Promise<number[]> {
  const out = await c.ask(String(pairs));
  const ns = out.trim().split(/\s+/).map(Number);
  if (ns.length !== pairs || ns.some((x) => !Number.isFinite(x))) throw new Error(`map-loop printed '${out.trim()}'`);
  return ns;
}

export async function measureMapping(cBinary: string, cases: readonly MapCase[] = MAP_CASES): Promise<MapBench> {
  const length = LENGTH_MIB * MIB;
  const hugePages = cases.some((c) => c.pageKiB === 2048) ? reserveHugePages((2 * length) / HUGE_PAGE) : meminfo('HugePages_Total');
  // One buffer per page size for all TypeScript rounds: a hugetlb mapping keeps its pages reserved until it is
  // unmapped, which for a Memory happens only when it is garbage collected.
  const buffers = new Map<number, iommufd.Memory>();
  const bufferOf = (pageKiB: number): iommufd.Memory => {
    let m = buffers.get(pageKiB);
    if (!m) buffers.set(pageKiB, (m = iommufd.Memory.map(length, pageKiB === 2048 ? { hugePageSize: HUGE_PAGE } : {})));
    return m;
  };
  try {
    const figures: MapFigures[] = [];
    for (const c of cases) {
      const rounds: Round[] = [];
      const baseline = new BaselineProcess(cBinary, [String(LENGTH_MIB), String(c.pageKiB), c.mock ? '1' : '0']);
      try {
        using ts = new TsSide(bufferOf(c.pageKiB), c.mock);
        ts.round(c.pairs); // not timed: the JIT's warm-up
        for (let r = 0; r < c.roundCount; r++) {
          // Alternating which goes first, so that neither always runs on a guest the other has just warmed or cooled.
          const first = r % 2 === 0 ? await cRound(baseline, c.pairs) : null;
          const tsNs = ts.round(c.pairs);
          rounds.push({ ts: tsNs, c: first ?? (await cRound(baseline, c.pairs)) });
        }
      } finally {
        await baseline.close();
      }
      figures.push({
        ...c,
        ts: Math.round(median(rounds.flatMap((r) => r.ts))),
        c: Math.round(median(rounds.flatMap((r) => r.c))),
        ratio: pairedRatio(rounds),
        rounds,
      });
    }
    return { lengthMiB: LENGTH_MIB, cases: figures, hugePages };
  } finally {
    for (const m of buffers.values()) m.close();
  }
}
