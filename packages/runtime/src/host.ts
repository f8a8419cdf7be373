// The host a package runs on, as the Linux ABI (target) its layouts are named by, and the choice of a package's
// layout for it. A generated package holds one codec module per group of targets that lay its header out the
// same way; its index calls `layoutFor` once, at load, and refuses a host it has no layout for.
import { endianness } from 'node:os';

/** What decides the ABI: Node's `process.arch` and the host's byte order. */
export interface Host {
  readonly arch: string;
  readonly endianness: 'LE' | 'BE';
}

/**
 * The Linux targets Node runs on, by `process.arch` and byte order (the generator's model/target.ts names them the
 * same way). ppc64 is both a little-endian (ppc64le) and a big-endian ABI under one `process.arch`.
 */
const TARGETS: readonly { readonly target: string; readonly arch: string; readonly endianness: 'LE' | 'BE'; readonly wordBytes: 4 | 8 }[] = [
  { target: 'x86_64', arch: 'x64', endianness: 'LE', wordBytes: 8 },
  { target: 'aarch64', arch: 'arm64', endianness: 'LE', wordBytes: 8 },
  { target: 'riscv64', arch: 'riscv64', endianness: 'LE', wordBytes: 8 },
  { target: 'ppc64le', arch: 'ppc64', endianness: 'LE', wordBytes: 8 },
  { target: 's390x', arch: 's390x', endianness: 'BE', wordBytes: 8 },
  { target: 'i386', arch: 'ia32', endianness: 'LE', wordBytes: 4 },
  { target: 'arm', arch: 'arm', endianness: 'LE', wordBytes: 4 },
];

/** This process's host, read when asked (not cached, so a test can stand in another host before a package loads). */
export function currentHost(): Host {
  return { arch: process.arch, endianness: endianness() };
}

/** The target name of `host` (`x86_64`, `aarch64`, ...), or null for a host no target describes. */
export function hostTarget(host: Host = currentHost()): string | null {
  return TARGETS.find((t) => t.arch === host.arch && t.endianness === host.endianness)?.target ?? null;
}

/** sizeof(long) and sizeof(void *) on `host`: 8 on the 64-bit targets, 4 on i386 and arm (and any unknown 32-bit arch). */
export function hostWordBytes(host: Host = currentHost()): 4 | 8 {
  const known = TARGETS.find((t) => t.arch === host.arch);
  if (known) return known.wordBytes;
  return /64|s390x/.test(host.arch) ? 8 : 4;
}

function describeHost(host: Host): string {
  return `${host.arch}, ${host.endianness === 'LE' ? 'little' : 'big'}-endian`;
}

/**
 * The layout of package `pkg` for `host`: `layouts` maps each target the package was generated for to its codec
 * module. Throws, naming the host and the targets held, when the host is none of them: a layout for another ABI
 * would write wrong bytes without a word.
 */
export function layoutFor<T>(pkg: string, layouts: Readonly<Record<string, T>>, host: Host = currentHost()): T {
  const target = hostTarget(host);
  const layout = target === null ? undefined : Object.hasOwn(layouts, target) ? layouts[target] : undefined;
  if (layout !== undefined) return layout;
  const held = Object.keys(layouts).join(', ');
  const which = target === null ? `this host (${describeHost(host)}), which is no Linux target uapi-ts knows` : `this host (${describeHost(host)}: ${target})`;
  throw new Error(`${pkg} has no layout for ${which}; it holds layouts for ${held}. Generate it with the target in its config's "targets" (or uapi-ts generate --target).`);
}

/**
 * The type of a package's layout module as its index exports it: every number, bigint and string literal in it
 * widened, at any depth (a record codec's `size`, its fields' offsets and C types), since the package's other
 * layouts give the same names other values (an ioctl number on ppc64le, a size on i386, an asm/ field's type).
 * Functions and classes are kept as they are, so another layout is assignable to it only if its records, codecs
 * and classes have the same types: the index assigns every layout to it without a cast, and tsc proves the
 * package's types hold on every target it holds.
 */
export type LayoutOf<T> = { readonly [K in keyof T]: Widened<T[K]> };

/** `T` with its number, bigint and string literal types widened, through plain objects and tuples. */
export type Widened<T> = T extends number
  ? number
  : T extends bigint
    ? bigint
    : T extends string
      ? string
      : T extends boolean | symbol | null | undefined
        ? T
        : T extends (...args: never[]) => unknown
          ? T
          : T extends abstract new (...args: never[]) => unknown
            ? T
            : { readonly [K in keyof T]: Widened<T[K]> };
