// Output folders for benchmarks that generate a whole tree again and again: each run writes into a folder of its
// own inside the benchmark's work folder, and none is removed between runs: they go with the work folder, which
// the benchmark removes when it exits.
//
// Why not remove the last run's output before the next: ext4 without a journal (this project's machine's disk:
// /proc/fs/jbd2/ is empty) does not hand out an inode freed in the last ~30 s, and reads each free
// inode's table block to learn when it was freed (`recently_deleted`, kernel fs/ext4/ialloc.c), for every file
// created. A tree run makes 12,429 files; right after the previous run's 12,429 were removed, one script writing
// them spent 2.1–3.6 s of system time instead of 0.3–0.4 s (`perf record`: ~29% of the samples under
// `recently_deleted`), and `generate --tree` took 16.6–21.2 s instead of 12.5–12.9 s. A user's run removes
// nothing before it writes (the old output goes only after the new one is in place), so that cost was the
// benchmark loop's, not the tool's.
import { readdirSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export class OutputFolders {
  private count = 0;

  /** `work`: the benchmark's own folder, removed when it exits. */
  constructor(private readonly work: string) {}

  /** A folder no run has written to yet (not created: the generator makes it). */
  next(): string {
    return join(this.work, `output-${++this.count}`);
  }

  /**
   * Fails before any timing when the disk cannot hold `runs` more outputs of the size of `sample` (a folder a run
   * wrote): a full disk mid-run would end the benchmark after most of its time was spent.
   */
  checkRoom(sample: string, runs: number): void {
    const bytes = folderBytes(sample);
    const fs = statfsSync(this.work);
    const free = fs.bavail * fs.bsize;
    const need = bytes * runs * 1.2; // a margin for blocks and folders
    if (free < need) {
      const mib = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MiB`;
      throw new Error(`${this.work}: ${mib(free)} free, ${runs} runs of ${mib(bytes)} each need about ${mib(need)} (each run keeps its output until the benchmark ends: see bench/lib/output-folders.ts); set TMPDIR to a roomier disk`);
    }
  }
}

/** The bytes of every file under `dir`. */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}
