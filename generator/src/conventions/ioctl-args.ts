// The argument struct of an ioctl whose macro names none (`_IO`): the profile names it, or the header's text
// does, as kernel-doc (`struct foo_bar - ioctl(FOO_BAR)`) or, when the profile says the family does so, in the
// comment at its `#define` (`FOO_GET - _IOR(FOO_TYPE, 1, struct foo_info)`).
import { HeaderError, type Warning } from '../diagnostics.js';
import type { Ioctl, RecordDef, ScalarType } from '../model/types.js';
import type { ArgSource } from './annotations.js';
import type { Profile } from './profile.js';

/** The kernel-doc summary names the ioctl a struct is for. */
export function ioctlArgsFromDocs(records: readonly RecordDef[]): Map<string, RecordDef> {
  const out = new Map<string, RecordDef>();
  for (const r of records) {
    const summary = r.doc?.summary ?? '';
    for (const m of summary.matchAll(/\bioctl\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)/g)) {
      if (!out.has(m[1]!)) out.set(m[1]!, r);
    }
  }
  return out;
}

/**
 * `FOO_GET_INFO - _IOR(FOO_TYPE, FOO_BASE + 7, struct foo_info)` at the start of the comment at the `#define`:
 * the struct that comment names, or null when it does not have that form.
 */
export function argFromComment(ioctl: Ioctl): string | null {
  const m = /^([A-Za-z_]\w*)\s*-\s*_IO(?:R|W|WR)?\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/.exec(ioctl.comment);
  if (!m || m[1] !== ioctl.name) return null;
  return /,\s*struct\s+([A-Za-z_]\w*)\s*$/.exec(m[2]!)?.[1] ?? null;
}

export interface ArgChoice {
  readonly arg: RecordDef | null;
  readonly argSource: ArgSource | null;
  /** The macro's scalar argument, passed in memory; null where the profile says the argument is something else. */
  readonly argScalar: ScalarType | null;
  /** The macro's array of records, passed in memory; null where the profile says the argument is something else. */
  readonly argRecords: Ioctl['argRecords'];
}

/** An ioctl that passes nothing the model describes (an `_IO` with no named struct, an integer by value). */
const NO_ARG: ArgChoice = { arg: null, argSource: null, argScalar: null, argRecords: null };

export function ioctlArgs(records: readonly RecordDef[], ioctls: readonly Ioctl[], profile: Profile, warnings: Warning[]): ArgChoice[] {
  const byName = new Map(records.map((r) => [r.name!, r]));
  const fromDocs = ioctlArgsFromDocs(records);
  const names = new Set(ioctls.map((i) => i.name));
  for (const [ioctlName, record] of fromDocs) {
    if (!names.has(ioctlName) && !profile.data.ignoreDocRefs.includes(ioctlName)) {
      warnings.push({ loc: record.loc, message: `kernel-doc of ${record.kind} ${record.name} names ioctl(${ioctlName}), which this header does not define` });
    }
  }
  const hinted = profile.data.ioctlArgs;
  return ioctls.map((io): ArgChoice => {
    if (io.arg) return { ...NO_ARG, arg: io.arg, argSource: 'macro' };
    if (Object.hasOwn(hinted, io.name)) {
      const name = hinted[io.name];
      if (name === null || name === undefined) return NO_ARG;
      const arg = byName.get(name);
      if (!arg) throw new HeaderError(profile.at(['ioctlArgs', io.name]), `the profile names struct ${name} as the argument of ${io.name}, but this header defines no such struct`);
      return { ...NO_ARG, arg, argSource: 'hint' };
    }
    if (Object.hasOwn(profile.data.valueArgs, io.name)) return NO_ARG; // an integer by value
    // The macro names a scalar (`_IOW(.., __u64)`) or an array of records: passed in memory, unless the profile said otherwise above.
    if (io.argScalar) return { ...NO_ARG, argScalar: io.argScalar };
    if (io.argRecords) return { ...NO_ARG, argRecords: io.argRecords };
    const fromDoc = fromDocs.get(io.name);
    if (fromDoc) return { ...NO_ARG, arg: fromDoc, argSource: 'kernel-doc' };
    const named = profile.data.argFromComment ? argFromComment(io) : null;
    if (named !== null) {
      const arg = byName.get(named);
      if (arg) return { ...NO_ARG, arg, argSource: 'comment' };
      warnings.push({ loc: io.loc, message: `the comment at ${io.name} names struct ${named} as its argument, which this header does not define` });
      return NO_ARG;
    }
    warnings.push({ loc: io.loc, message: `${io.name} has no argument type: no kernel-doc 'ioctl(${io.name})' reference and no hint` });
    return NO_ARG;
  });
}
