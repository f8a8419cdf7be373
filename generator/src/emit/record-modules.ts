// Which file of src/records/ each record goes in, and what each file imports from the others.
//
// One module per ioctl argument struct, named after its C tag (records/foo_get_info.ts), holding the
// struct, the records only it uses (its anonymous members, the structs it embeds) and the records no argument
// uses that are declared after the argument before it: headers declare the payloads, entries and events an
// ioctl carries through a pointer just before its argument struct. A record that the records of several
// modules use goes in records/shared.ts; one that no argument uses and that follows the last argument, in
// records/other.ts.
import type { IoctlView, RecordView } from './views.js';

export interface RecordImport {
  readonly from: string; // a module's file name, without extension
  readonly names: readonly { readonly name: string; readonly type: boolean }[]; // type: imported as a type only; sorted
}

export interface RecordModule {
  readonly file: string; // without extension: records/<file>.ts
  readonly kind: 'ioctl' | 'shared' | 'other';
  readonly cName: string | null; // the argument struct (kind 'ioctl')
  readonly ioctls: readonly string[]; // the ioctls taking it
  readonly records: readonly RecordView[];
  readonly imports: readonly RecordImport[];
}

const SHARED = 'shared';
const OTHER = 'other';

/** The records other records use: `fn` of each record-typed field or array of records. */
function usedBy(r: RecordView): string[] {
  const out: string[] = [];
  for (const d of r.decode) {
    const fn = 'fn' in d.step ? d.step.fn : null;
    if (fn) out.push(fn);
  }
  return out;
}

/** `records`: in view order (a record after the records it uses), as ViewBuilder.build lists them. */
export function recordModules(records: readonly RecordView[], ioctls: readonly IoctlView[]): RecordModule[] {
  const argumentOf = new Map<string, string[]>();
  for (const io of ioctls) if (io.arg) argumentOf.set(io.arg, [...(argumentOf.get(io.arg) ?? []), io.name]);
  const byName = new Map(records.map((r) => [r.tsName, r]));
  const files = new Map<string, string>(); // an argument record's module file
  for (const r of records) {
    if (!argumentOf.has(r.tsName)) continue;
    files.set(r.tsName, r.path === SHARED || r.path === OTHER ? `${r.path}_struct` : r.path);
  }
  // Users come after what they use: walking backwards, every user of a record has its module already.
  const users = new Map<string, Set<string>>(); // record → modules of the records using it
  const home = new Map<string, string>();
  let next = OTHER; // the module of the nearest argument declared after the record
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    const own = files.get(r.tsName);
    if (own) next = own;
    const modules = users.get(r.tsName);
    const file = own ?? (modules === undefined ? next : modules.size === 1 ? [...modules][0]! : SHARED);
    home.set(r.tsName, file);
    for (const fn of usedBy(r)) {
      if (!users.has(fn)) users.set(fn, new Set());
      users.get(fn)!.add(file);
    }
  }
  const order: string[] = [];
  const members = new Map<string, RecordView[]>();
  for (const r of records) {
    const file = home.get(r.tsName)!;
    if (!members.has(file)) {
      members.set(file, []);
      order.push(file);
    }
    members.get(file)!.push(r);
  }
  return order.map((file) => {
    const list = members.get(file)!;
    const head = list.find((r) => files.get(r.tsName) === file);
    return {
      file,
      kind: head ? 'ioctl' : file === SHARED ? 'shared' : 'other',
      cName: head?.cName ?? null,
      ioctls: head ? argumentOf.get(head.tsName)! : [],
      records: list,
      imports: importsOf(file, list, home, byName),
    };
  });
}

/** What the records of `file` use from other modules: the types, encoders and decoders of those records. */
function importsOf(file: string, list: readonly RecordView[], home: ReadonlyMap<string, string>, byName: ReadonlyMap<string, RecordView>): RecordImport[] {
  const wanted = new Map<string, Map<string, boolean>>(); // module → name → a type only
  for (const r of list) {
    const init = new Set(r.props.filter((p) => p.init).map((p) => p.name));
    for (const d of r.decode) {
      const fn = 'fn' in d.step ? d.step.fn : null;
      if (!fn || !byName.has(fn)) continue;
      const from = home.get(fn)!;
      if (from === file) continue;
      if (!wanted.has(from)) wanted.set(from, new Map());
      const names = wanted.get(from)!;
      // A field written inline is checked on the slow path by its record's codec (the value), not its encoder.
      const inline = r.encoder.slow.some((s) => s.check?.kind === 'inline' && s.prop === d.prop);
      names.set(fn, !inline && names.get(fn) !== false).set(`decode${fn}`, false);
      if (init.has(d.prop)) names.set(`${fn}Init`, true);
      if (init.has(d.prop) && !inline) names.set(`encode${fn}`, false);
    }
  }
  const byText = <T>(key: (x: T) => string) => (x: T, y: T) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);
  return [...wanted]
    .sort(byText(([from]) => from))
    .map(([from, names]) => ({ from, names: [...names].map(([name, type]) => ({ name, type })).sort(byText((n) => n.name)) }));
}
