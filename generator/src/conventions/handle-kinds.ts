// The kinds of handle a family's ioctls are made on (a system node, the objects its ioctls create), from the
// profile's `handles`: each kind's class, the ioctl that returns it and its own ioctls. An ioctl may belong to
// several kinds (one that works on both); one that belongs to none is reported, and put on the first kind's class.
import { HeaderError, type Warning } from '../diagnostics.js';
import type { Ioctl, RecordDef } from '../model/types.js';
import type { Profile } from './profile.js';

export interface HandleKind {
  readonly className: string;
  /** The ioctl that returns a handle of this kind (a new file descriptor); null: opened from the device node. */
  readonly createdBy: string | null;
  /** The names of its ioctls, in the header's order. */
  readonly ioctls: readonly string[];
  /** A record the kernel shares through mmap of the handle at offset 0, and the method that maps it. */
  readonly region: { readonly record: RecordDef; readonly method: string } | null;
}

export function handleKinds(records: readonly RecordDef[], ioctls: readonly Ioctl[], profile: Profile, warnings: Warning[]): HandleKind[] {
  const hints = profile.data.handles;
  if (hints.length === 0) return [];
  const order = new Map(ioctls.map((io, i) => [io.name, i]));
  const assigned = new Set<string>();
  const kinds = hints.map((h, k): HandleKind => {
    const at = (...path: string[]) => profile.at(['handles', String(k), ...path]);
    // A profile serves every held version of its header: an ioctl an older version does not have yet is skipped.
    // (A misspelt name leaves the real ioctl in no kind, which is warned below.)
    for (const name of h.ioctls) if (order.has(name)) assigned.add(name);
    if (h.createdBy !== undefined) {
      if (!order.has(h.createdBy)) throw new HeaderError(at('createdBy'), `handles: ${h.class} is created by ${h.createdBy}, which this header does not define`);
      if (profile.data.returns[h.createdBy] !== 'fd') throw new HeaderError(at('createdBy'), `handles: ${h.createdBy} must return "fd" (profile returns) to create ${h.class}`);
    }
    let region: HandleKind['region'] = null;
    if (h.region) {
      const record = records.find((r) => r.name === h.region!.record && r.kind === 'struct');
      if (!record) throw new HeaderError(at('region', 'record'), `handles: ${h.class}'s region names struct ${h.region.record}, which this header does not define`);
      region = { record, method: h.region.method };
    }
    const own = [...new Set(h.ioctls.filter((name) => order.has(name)))].sort((a, b) => order.get(a)! - order.get(b)!);
    return { className: h.class, createdBy: h.createdBy ?? null, ioctls: own, region };
  });
  // An ioctl in no kind stays callable: on the first kind's class, the one opened from the device.
  const stray = ioctls.filter((io) => !assigned.has(io.name));
  for (const io of stray) {
    warnings.push({ loc: io.loc, message: `${io.name} belongs to no handle kind of the profile; it is put on the first, ${kinds[0]!.className}` });
  }
  if (stray.length === 0) return kinds;
  const first = kinds[0]!;
  const all = [...first.ioctls, ...stray.map((io) => io.name)].sort((a, b) => order.get(a)! - order.get(b)!);
  return [{ ...first, ioctls: all }, ...kinds.slice(1)];
}
