// What the kernel does with an argument passed in memory, in words: the method's TSDoc (device-view.ts) and the
// ioctl's docs page (docs-view.ts) say it in one sentence each, phrased here, in one place, per direction.

/** An argument the macro names as a scalar or an array (ScalarArgView, RecordArrayArgView). */
export interface InMemory {
  readonly cType: string;
  readonly in: boolean; // the kernel reads it (`_IOW`, `_IOWR`)
  readonly out: boolean; // the kernel writes it (`_IOR`, `_IOWR`)
}

const READS_AND_WRITES = 'the kernel reads it and writes it back';

/** The docs page's words after the argument's size: `the kernel reads it`. */
export function pageWords(a: InMemory): string {
  return a.in && a.out ? READS_AND_WRITES : a.in ? 'the kernel reads it' : 'the kernel writes it';
}

/** The method's `Argument:` text: `` `__u64` in memory, which the kernel reads ``. */
export function methodWords(a: InMemory): string {
  const t = `\`${a.cType}\` in memory`;
  if (a.in && a.out) return `${t}: ${READS_AND_WRITES}, and the method returns the new value`;
  if (a.in) return `${t}, which the kernel reads`;
  return `${t}, which the kernel writes and the method returns`;
}
