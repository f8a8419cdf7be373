// The bench guest's work (npm run bench; booted by test/kernel/run.mjs as bench-guests.mjs describes): mapping
// guest RAM (bench-map.ts) and the VMM hot loop (bench-vmm.ts), each against its C baseline, compiled on the host
// into the suite's folder (beside this file) as bench-map-loop and bench-kvm-loop. Not a test file (no `tests`).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { measureMapping, type MapBench } from './bench-map.js';
import { measureVmm, type VmmBench } from './bench-vmm.js';

export interface GuestBenches {
  readonly map?: MapBench | { readonly error: string };
  readonly vmm?: VmmBench | { readonly error: string };
}

/** Runs the benchmarks named in `parts` (all when empty); a failure is reported in place of that one's figures. */
export async function runGuestBenches(dir: string, parts: readonly string[]): Promise<GuestBenches> {
  const wanted = (name: string): boolean => parts.length === 0 || parts.includes(name);
  const binary = (name: string): string => {
    const file = path.join(dir, name);
    if (!existsSync(file)) throw new Error(`no C baseline at ${file} (run.mjs compiles it with gcc)`);
    return file;
  };
  const attempt = async <T>(what: string, run: () => T | Promise<T>): Promise<T | { error: string }> => {
    const t = performance.now();
    try {
      return await run();
    } catch (e) {
      return { error: String((e as Error)?.message ?? e) };
    } finally {
      console.log(`bench: ${what} took ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  };
  return {
    ...(wanted('map') ? { map: await attempt('mapping guest RAM', () => measureMapping(binary('bench-map-loop'))) } : {}),
    ...(wanted('vmm') ? { vmm: await attempt('VMM hot loop', () => measureVmm(binary('bench-kvm-loop'), 'guest')) } : {}),
  };
}
