// Fields whose value belongs to another package's API: a descriptor of another family's device node, or an id
// that another package's ioctls return. The profile's `related` key says so; the docs and the TSDoc
// link there (generate.ts checks the ioctls named, when that package is generated in the same run).
import { HeaderError, type Loc } from '../diagnostics.js';
import type { Field, RecordDef } from '../model/types.js';
import type { Profile } from './profile.js';

export interface RelatedIoctl {
  readonly package: string; // @scope/name
  readonly ioctl: string;
  readonly loc: Loc; // the profile's `see` entry, for errors
}

export interface Related {
  readonly says: string; // markdown: what the field holds, in the other package's words
  readonly see: readonly RelatedIoctl[];
}

/** The profile's `related` entries, by field: `struct.field` must name a direct member of a record of the header. */
export function relatedFields(records: readonly RecordDef[], profile: Profile): Map<Field, Related> {
  const out = new Map<Field, Related>();
  for (const [key, entry] of Object.entries(profile.data.related)) {
    const [struct, member, ...rest] = key.split('.');
    const record = records.find((r) => r.name === struct);
    const field = rest.length === 0 ? record?.fields.find((f) => f.name === member) : undefined;
    if (!field) throw new HeaderError(profile.at(['related', key]), `related: ${key} is not a field of a struct or union of this header`);
    out.set(field, {
      says: entry.says,
      see: entry.see.map((s, i) => ({ package: s.package, ioctl: s.ioctl, loc: profile.at(['related', key, 'see', String(i)]) })),
    });
  }
  return out;
}
