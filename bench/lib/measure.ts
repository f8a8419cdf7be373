// Timing for the benchmarks: ns per operation, median of interleaved rounds. Machines here are noisy, so every
// figure is reported next to a baseline measured in the same rounds, and compared as a ratio.

/** Runs an operation `n` times. */
export type Loop = (n: number) => void;

/** How a run is timed: wall time, or the process's own CPU time (user + system, in µs), which leaves out the time
 * another process had the CPU: on a shared, loaded host, wall time of a 2 ns loop is mostly other processes. */
export type Clock = 'wall' | 'cpu';

function timeOnce(loop: Loop, n: number, clock: Clock = 'wall'): number {
  if (clock === 'cpu') {
    const t0 = process.cpuUsage();
    loop(n);
    const t = process.cpuUsage(t0);
    return ((t.user + t.system) * 1000) / n;
  }
  const t0 = process.hrtime.bigint();
  loop(n);
  return Number(process.hrtime.bigint() - t0) / n;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface CompareOptions {
  /** Interleaved rounds; the median of each variant is reported. */
  readonly rounds?: number;
  /** Wall time one variant's run should take in a round, for the iteration count. */
  readonly targetMs?: number;
  /** What is timed (default: wall time). */
  readonly clock?: Clock;
  /** Wall time each variant runs before anything is timed (default 200 ms). */
  readonly warmupMs?: number;
}

/**
 * ns/op of each variant: warm-up, an iteration count calibrated on the first (slowest-to-warm) variant, then
 * `rounds` rounds in which every variant runs once, in rotating order so that none always runs first.
 */
export function compare(variants: Readonly<Record<string, Loop>>, options: CompareOptions = {}): Record<string, number> {
  const rounds = options.rounds ?? 9;
  const targetMs = options.targetMs ?? 5;
  const clock = options.clock ?? 'wall';
  const names = Object.keys(variants);
  // JIT warm-up: each variant runs for `warmupMs` of wall time first. A fixed 4,000 calls was not enough for some
  // encoders of nested records, whose first rounds in a fresh process ran 7-12x slower than later ones (V8 still
  // deoptimising and recompiling them), which a record timed alone in its process then reported as its figure.
  const warmupMs = options.warmupMs ?? 200;
  for (const name of names) {
    const until = performance.now() + warmupMs;
    do variants[name]!(2000);
    while (performance.now() < until);
  }
  let n = 1000;
  for (const name of names) {
    while (timeOnce(variants[name]!, n, clock) * n < targetMs * 1e6 && n < 1e8) n *= 2;
  }
  const samples: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length]!;
      samples[name]!.push(timeOnce(variants[name]!, n, clock));
    }
  }
  return Object.fromEntries(names.map((k) => [k, median(samples[k]!)]));
}

export function fmt(ns: number): string {
  return ns >= 100 ? ns.toFixed(0) : ns >= 10 ? ns.toFixed(1) : ns.toFixed(2);
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

/** A plain-text table: columns padded to their widest cell, numbers right-aligned. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
