// The argument struct of an ioctl whose macro names none (`_IO`): the profile names it, or the header's text
// does, as kernel-doc (`struct foo_bar - ioctl(FOO_BAR)`) or, when the profile says the family does so, in the
// comment at its `#define` (`FOO_GET - _IOR(FOO_TYPE, 1, struct foo_info)`).
import { HeaderError, type Warning } from '../diagnostics.js';
import type { Ioctl, RecordDef } from '../model/types.js';
import type { AnnotatedArgument } from './annotations.js';
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

/** Each ioctl's argument (AnnotatedArgument): the macro's, the profile's, or one the header's text names. */
export function ioctlArgs(records: readonly RecordDef[], ioctls: readonly Ioctl[], profile: Profile, warnings: Warning[]): (AnnotatedArgument | null)[] {
  const byName = new Map(records.map((r) => [r.name!, r]));
  const fromDocs = ioctlArgsFromDocs(records);
  const names = new Set(ioctls.map((i) => i.name));
  for (const [ioctlName, record] of fromDocs) {
    if (!names.has(ioctlName) && !profile.data.ignoreDocRefs.includes(ioctlName)) {
      warnings.push({ loc: record.loc, message: `kernel-doc of ${record.kind} ${record.name} names ioctl(${ioctlName}), which this header does not define` });
    }
  }
  const hinted = profile.data.ioctlArgs;
  return ioctls.map((io): AnnotatedArgument | null => {
    const macro = io.argument;
    if (macro?.kind === 'record') return { ...macro, source: 'macro' };
    if (Object.hasOwn(hinted, io.name)) {
      const name = hinted[io.name];
      if (name === null || name === undefined) return null;
      const arg = byName.get(name);
      if (!arg) throw new HeaderError(profile.at(['ioctlArgs', io.name]), `the profile names struct ${name} as the argument of ${io.name}, but this header defines no such struct`);
      return { kind: 'record', record: arg, source: 'hint' };
    }
    if (Object.hasOwn(profile.data.valueArgs, io.name)) return null; // an integer by value
    // The macro names a scalar (`_IOW(.., __u64)`) or an array: passed in memory, unless the profile said otherwise above.
    if (macro) return macro;
    const fromDoc = fromDocs.get(io.name);
    if (fromDoc) return { kind: 'record', record: fromDoc, source: 'kernel-doc' };
    const named = profile.data.argFromComment ? argFromComment(io) : null;
    if (named !== null) {
      const arg = byName.get(named);
      if (arg) return { kind: 'record', record: arg, source: 'comment' };
      warnings.push({ loc: io.loc, message: `the comment at ${io.name} names struct ${named} as its argument, which this header does not define` });
      return null;
    }
    warnings.push({ loc: io.loc, message: `${io.name} has no argument type: no kernel-doc 'ioctl(${io.name})' reference and no hint` });
    return null;
  });
}
