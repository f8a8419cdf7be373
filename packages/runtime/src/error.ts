// Errors of failed system calls, named by errno and explained by what the header documents.
import { ERRNO_NAMES } from './errno.js';

/** What an ioctl's documentation says an errno means, by errno name. */
export type ErrnoMeanings = Readonly<Record<string, string>>;

/** A failed system call: the errno, its name, the call, and what the header documents for that errno. */
export class IoctlError extends Error {
  /** The errno name, e.g. 'ENOENT'. */
  readonly code: string;

  constructor(
    /** The ioctl (or system call) that failed, e.g. 'IOMMU_IOAS_ALLOC'. */
    readonly ioctl: string,
    readonly errno: number,
    /** The header's text for this errno, if it documents one. */
    readonly meaning: string | null,
    /**
     * A copy of the argument struct as the kernel left it, for errors that return data (IOAS_IOVA_RANGES writes
     * the count it needs before failing with EMSGSIZE): decode it with the struct's codec.
     */
    readonly argument: Uint8Array | null = null,
  ) {
    const code = ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
    super(`${ioctl} failed: ${code} (${errno})${meaning ? `: ${meaning}` : ''}`);
    this.code = code;
  }
}
// On the prototype, not set per instance: an error is built on every failed call.
IoctlError.prototype.name = 'IoctlError';

export function ioctlError(errno: number, name: string, meanings: ErrnoMeanings, argument: Uint8Array | null): IoctlError {
  const code = ERRNO_NAMES.get(errno);
  return new IoctlError(name, errno, (code && meanings[code]) || null, argument);
}

/** Throws for a failed system call that no header documents (open, close, mmap, a raw ioctl). */
export function fail(what: string, errno: number): never {
  throw ioctlError(errno, what, {}, null);
}
