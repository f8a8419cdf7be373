// bench/lib/targets.ts judges a benchmark run against issue 6's targets. Table-driven over made-up figures on
// both sides of each bound: the verdicts must follow the issues' numbers (worst codec 1.5x, 10x, 1.15x, 1.3x, 0.5x, < 1x).
import { describe, expect, it } from 'vitest';
import { FLAT_TOLERANCE, targetRows, type CodecFigures, type Figures } from '../bench/lib/targets.js';

const cost = (ms: number, rssMiB: number) => ({ ms, rssMiB });
const codec = (record: string, encGen: number, encHand: number, decGen: number, decHand: number, koffi = 1000): CodecFigures => ({
  record,
  encode: { generated: encGen, hand: encHand, koffi },
  decode: { generated: decGen, hand: decHand, koffi },
});
const metOf = (f: Figures, target: string): boolean | null => {
  const row = targetRows(f).find((r) => r.target.startsWith(target));
  if (!row) throw new Error(`no row for ${target}`);
  return row.met;
};

describe('issue 6 targets', () => {
  const generate = (uapiMs: number, uapiRss: number, marginal: number[], everyTarget?: ReturnType<typeof cost>): Figures => ({
    generate: {
      single: { uapiTs: cost(uapiMs, uapiRss), bindgen: cost(100, 80), ...(everyTarget ? { everyTarget } : {}) },
      many: [{ headers: 1, marginalMs: null }, ...marginal.map((m, i) => ({ headers: 2 ** (i + 1), marginalMs: m }))],
    },
  });
  const WALL = 'generation (one target, as bindgen): wall';
  const RSS = 'generation (one target, as bindgen): peak RSS';
  it.each([
    [WALL, generate(50, 70, [10, 10]), true],
    [WALL, generate(51, 70, [10, 10]), false],
    [RSS, generate(50, 79.9, [10, 10]), true],
    [RSS, generate(50, 80, [10, 10]), false],
    // The default's layout for every target is shown, not judged: bindgen makes one layout.
    [WALL, generate(50, 70, [10, 10], cost(300, 120)), true],
    [RSS, generate(50, 70, [10, 10], cost(300, 120)), true],
    ['generation: ms per header', generate(50, 70, [100, 80, FLAT_TOLERANCE * 100]), true],
    ['generation: ms per header', generate(50, 70, [100, 80, FLAT_TOLERANCE * 100 + 1]), false],
  ] as const)('%s: %#', (target, figures, met) => {
    expect(metOf(figures, target)).toBe(met);
  });

  const tree = (sample: number[]): Figures => ({ treeFlat: { rows: sample.map((ms, i) => ({ headers: 50 * 2 ** i, sampleMsPerHeader: ms, rssMiB: 100 })) } });
  it.each([
    ['generation over a tree', tree([20, 25, FLAT_TOLERANCE * 20]), true],
    ['generation over a tree', tree([20, 25, FLAT_TOLERANCE * 20 + 0.1]), false],
    ['generation over a tree', { treeFlat: { skipped: 'no UAPI tree' } }, null],
  ] as const)('%s: %#', (target, figures, met) => {
    expect(metOf(figures, target)).toBe(met);
  });

  it.each([
    // Issue 18: the worst record decides, not the median.
    ['codecs: encode, worst', [codec('a', 1, 1, 1, 1), codec('b', 15, 10, 1, 1), codec('c', 1, 10, 1, 1)], true],
    ['codecs: encode, worst', [codec('a', 1, 1, 1, 1), codec('b', 15.1, 10, 1, 1), codec('c', 1, 10, 1, 1)], false],
    ['codecs: decode, worst', [codec('a', 1, 1, 15, 10)], true],
    ['codecs: decode, worst', [codec('a', 1, 1, 15.1, 10)], false],
    // Without a hand-written codec (vfio, kvm), the generated baseline is the reference.
    ['codecs: encode, worst', [{ record: 'k', encode: { generated: 15, baseline: 10 }, decode: { generated: 1, baseline: 1 } }], true],
    ['codecs: encode, worst', [{ record: 'k', encode: { generated: 15.1, baseline: 10 }, decode: { generated: 1, baseline: 1 } }], false],
    // koffi: the least ratio over all records decides.
    ['codecs: encode, times faster than koffi', [codec('a', 10, 10, 1, 1, 100), codec('b', 1, 1, 1, 1, 1000)], true],
    ['codecs: encode, times faster than koffi', [codec('a', 10.1, 10, 1, 1, 100), codec('b', 1, 1, 1, 1, 1000)], false],
  ] as const)('%s: %#', (target, codecs, met) => {
    expect(metOf({ codecs }, target)).toBe(met);
  });

  it.each([
    ['host call: tryIoasAlloc vs raw', { cNs: 100, raw: 100, generated: 115 }, true],
    ['host call: tryIoasAlloc vs raw', { cNs: 100, raw: 100, generated: 116 }, false],
    ['host call: tryIoasAlloc vs C', { cNs: 100, raw: 100, generated: 130 }, true],
    ['host call: tryIoasAlloc vs C', { cNs: 100, raw: 100, generated: 131 }, false],
    ['host call: prepared', { cNs: 100, raw: 100, generated: 100, prepared: 116 }, false],
  ] as const)('%s: %#', (target, host, met) => {
    expect(metOf({ host }, target)).toBe(met);
  });

  it('judges the guest calls against raw koffi and only reports raw vs C', () => {
    const call = (generated: number, prepared: number | null) => ({ generated, prepared, hand: 140, raw: 100, c: 40 });
    const rows = targetRows({ guest: { option: call(116, 115), allocDestroy: call(114, null) } });
    expect(rows.find((r) => r.target.startsWith('guest call: option()'))!.met).toBe(false);
    expect(rows.find((r) => r.target.startsWith('guest call: prepared'))!.met).toBe(true);
    expect(rows.find((r) => r.target.startsWith('guest call: IOAS_ALLOC'))!.met).toBe(true);
    const reports = rows.filter((r) => r.target.startsWith('guest: raw koffi vs C'));
    expect(reports.map((r) => [r.result, r.met])).toEqual([['2.50x', null], ['2.50x', null]]);
  });

  it('says which benchmarks did not run instead of judging them', () => {
    const rows = targetRows({});
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(r.met).toBeNull();
      expect(r.result).toMatch(/^not run \(npm run bench -- (generate|codecs|calls|guest|tree|vmm)\)$/);
    }
  });

  it.each([
    [9_000, 90_000, 299, [true, true]],
    [9_001, 90_000, 301, [false, false]],
  ] as const)('judges the whole tree at 0.1x bindgen summed and 300 MiB: %s ms vs %s ms, %s MiB', (ms, bindgenMs, rssMiB, met) => {
    const rows = targetRows({ tree: { tree: '/t', headers: 554, uapiTs: { ms, rssMiB }, bindgen: { ms: bindgenMs, rssMiB: 80, failed: 0 } } });
    expect(rows.filter((r) => r.target.startsWith('whole tree')).map((r) => r.met)).toEqual(met);
  });

  const mapCase = (pageKiB: number, mock: boolean, ratio: number) => ({ pageKiB, mock, ratio });
  it.each([
    [1.05, true],
    [1.051, false],
  ] as const)('guest RAM map with a device is judged at 1.05x C: %s', (ratio, met) => {
    const rows = targetRows({ guestBenches: { map: { cases: [mapCase(4, true, ratio), mapCase(2048, true, 1), mapCase(4, false, 3)] } } });
    const judged = rows.filter((r) => r.target.startsWith('guest RAM map'));
    expect(judged.map((r) => r.met)).toEqual([met, true, null]); // without a device: reported only
  });

  const vmm = (ratio: number, gcs: number, growth: number, exits = 1e6) => ({ ratio, heap: { exits, gcs, growth } });
  const GUEST = 'VMM hot loop (bench guest, nested KVM on TCG)';
  const HOST = "VMM hot loop (this host's /dev/kvm)";
  const onGuest = (v: object) => ({ guestBenches: { vmm: v } }) as Figures;
  const onHost = (v: object) => ({ hostVmm: v }) as Figures;
  describe.each([
    [GUEST, onGuest],
    [HOST, onHost],
  ] as const)('%s', (where, figures) => {
    it.each([
      [': KVM_RUN', vmm(1.3, 0, 0), true],
      [': KVM_RUN', vmm(1.31, 0, 0), false],
      [': heap', vmm(1, 0, 999_999), true],
      [': heap', vmm(1, 0, 1e6), false], // a byte per exit
      [': heap', vmm(1, 1, 0), false], // a GC while the loop ran
    ] as const)('%s: %#', (target, v, met) => {
      expect(metOf(figures(v), where + target)).toBe(met);
    });

    it('says when the heap was watched over fewer exits than issue 15 asks, when there was no /dev/kvm, and when the loop failed', () => {
      expect(targetRows(figures(vmm(1, 0, 0, 200_000))).some((r) => r.target === `${where}: heap over 200000 exits (fewer than 1e+6)`)).toBe(true);
      const skipped = targetRows(figures({ skipped: 'no /dev/kvm' })).find((r) => r.target === where)!;
      expect([skipped.result, skipped.met]).toEqual(['skipped: no /dev/kvm', null]);
      const failed = targetRows(figures({ error: 'KVM_RUN: EINTR' })).find((r) => r.target === where)!;
      expect([failed.result, failed.met]).toEqual(['not measured: KVM_RUN: EINTR', false]);
    });
  });

  it('judges each machine on its own figures: a missing host run is not run, not the guest figure', () => {
    const rows = targetRows(onGuest(vmm(1.1, 0, 0)));
    expect(rows.find((r) => r.target === HOST)?.result).toBe('not run (npm run bench -- vmm)');
    expect(rows.find((r) => r.target === `${GUEST}: KVM_RUN port-I/O exit vs C`)?.met).toBe(true);
  });
});
