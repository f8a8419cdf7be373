// The device view split into the classes of the profile's handle kinds (a system node, the objects its ioctls
// create): each class has only its own ioctls' methods; an ioctl that creates a kind returns that class; `_IO`
// ioctls taking an integer get its name; a kind may map a record the kernel shares with it. Without handle kinds
// there is one class with every method, as before.
import type { AnnotatedModel, HandleKind } from '../conventions/annotations.js';
import type { RecordDef } from '../model/types.js';
import { walkMembers } from '../model/walk.js';
import type { DeviceView, MethodView } from './device-view.js';

export interface ClassMethodView extends MethodView {
  /** The parameter of an `_IO` ioctl that takes an integer by value, by name; null: `arg`. */
  readonly valueArg: string | null;
  /** The class of the handle a `returns: fd` ioctl creates; null: an FdHandle. */
  readonly handleClass: string | null;
}

export interface RegionView {
  readonly method: string;
  readonly recordTs: string;
  readonly cName: string;
  /** The module-level const holding the codecs of its record-typed members (viewed in place, nested). */
  readonly membersConst: string;
  readonly members: readonly { readonly name: string; readonly ts: string }[];
}

export interface ClassView {
  readonly className: string;
  /** The device node it is opened from (the first kind), or null. */
  readonly defaultPath: string | null;
  /** Opened from a path (the first kind, or the only class); otherwise created by `createdBy`. */
  readonly opened: boolean;
  readonly createdBy: { readonly ioctl: string; readonly className: string; readonly method: string } | null;
  readonly argSize: number;
  readonly methods: readonly ClassMethodView[];
  readonly naming: { readonly prefix: string | null; readonly example: ClassMethodView | null };
  readonly region: RegionView | null;
}

export interface HandleKindsView {
  readonly classes: readonly ClassView[];
  /** Some method returns a plain FdHandle (its type is imported). */
  readonly returnsFd: boolean;
  /** Some class maps a region (its runtime types are imported). */
  readonly mapsRegion: boolean;
  /** ioctl name → the lines of an example that end with `dev`, a handle that has the ioctl's method. */
  readonly obtain: ReadonlyMap<string, readonly string[]>;
}

export function handleKindsView(model: AnnotatedModel, device: DeviceView, tsNameOf: (r: RecordDef) => string | undefined): HandleKindsView {
  const byName = new Map(model.ioctls.map((io) => [io.name, io]));
  const created = new Map(model.handles.filter((k) => k.createdBy !== null).map((k) => [k.createdBy!, k.className]));
  const methods = device.methods.map((m): ClassMethodView => ({
    ...m,
    valueArg: byName.get(m.name)!.valueArg,
    handleClass: m.returns === 'fd' && m.argTs === null ? (created.get(m.name) ?? null) : null,
  }));
  const methodOf = new Map(methods.map((m) => [m.name, m]));
  const kinds: readonly (HandleKind | null)[] = model.handles.length > 0 ? model.handles : [null];
  const classes = kinds.map((k, i): ClassView => {
    const own = k ? k.ioctls.map((n) => methodOf.get(n)!) : methods;
    const creator = k?.createdBy ? model.handles.find((o) => o.ioctls.includes(k.createdBy!)) : undefined;
    return {
      className: k?.className ?? device.className,
      defaultPath: i === 0 ? device.defaultPath : null,
      opened: i === 0,
      createdBy: k?.createdBy && creator ? { ioctl: k.createdBy, className: creator.className, method: methodOf.get(k.createdBy)!.method } : null,
      argSize: Math.max(8, ...own.map((m) => m.argSize)),
      methods: own,
      naming: { prefix: device.naming.prefix, example: own.find((m) => m.prepareMethod !== null) ?? own[0] ?? null },
      region: k?.region ? regionView(k.region, tsNameOf) : null,
    };
  });
  return {
    classes,
    returnsFd: methods.some((m) => m.returns === 'fd' && m.handleClass === null),
    mapsRegion: classes.some((c) => c.region !== null),
    obtain: obtainLines(classes),
  };
}

function regionView(region: NonNullable<HandleKind['region']>, tsNameOf: (r: RecordDef) => string | undefined): RegionView {
  const recordTs = tsNameOf(region.record)!;
  const members = walkMembers(region.record)
    .filter((v) => v.path.length === 1 && v.field.type.kind === 'record')
    .flatMap((v) => {
      const ts = v.field.type.kind === 'record' ? tsNameOf(v.field.type.record) : undefined;
      return ts ? [{ name: v.path[0]!, ts }] : [];
    });
  return { method: region.method, recordTs, cName: `struct ${region.record.name!}`, membersConst: `${recordTs[0]!.toLowerCase()}${recordTs.slice(1)}Members`, members };
}

/** How an example gets a handle of each class: open the first, then create each from the one that has its ioctl. */
function obtainLines(classes: readonly ClassView[]): Map<string, string[]> {
  const lines = new Map<string, string[]>();
  const variable = (c: ClassView): string => c.className[0]!.toLowerCase() + c.className.slice(1);
  const path = (c: ClassView, seen: ReadonlySet<string>): string[] => {
    if (c.opened || !c.createdBy || seen.has(c.className)) return [`using ${variable(c)} = ${c.className}.open();${c.defaultPath ? ` // ${c.defaultPath}` : ''}`];
    const parent = classes.find((p) => p.className === c.createdBy!.className)!;
    return [...path(parent, new Set([...seen, c.className])), `using ${variable(c)} = ${variable(parent)}.${c.createdBy.method}();`];
  };
  for (const c of classes) {
    const own = path(c, new Set());
    const last = own[own.length - 1]!.replace(/^using \w+ =/, 'using dev =');
    const example = [...own.slice(0, -1), last];
    for (const m of c.methods) if (!lines.has(m.name)) lines.set(m.name, example);
  }
  return lines;
}
