// The docs site's note on a struct's layouts across the targets a package is generated for: a table of what
// differs (size, alignment, each member's offset and size) with a column per layout, or a line saying the layout is
// the same everywhere (and which targets store it big-endian). Nothing for a package of one layout.
import type { AnnotatedModel } from '../conventions/annotations.js';
import { fieldsJson, type FieldJson } from '../model/json.js';
import type { RecordDef } from '../model/types.js';
import type { LayoutGroup } from '../plan/targets.js';
import type { DocsView, StructSection } from './docs-view.js';

export interface TargetsNote {
  readonly summary: string;
  /** One column per layout: its targets. */
  readonly columns: readonly string[];
  /** What differs between the layouts: `size`, `align`, or a member (`offset, size`), one cell per layout. */
  readonly rows: readonly { readonly what: string; readonly cells: readonly string[] }[];
}

function list(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

function recordNamed(model: AnnotatedModel, cName: string): RecordDef | undefined {
  return model.records.find((r) => r.name !== null && `${r.kind} ${r.name}` === cName);
}

/** Every member, nested anonymous ones by their own names, as `name → "offset o, n bytes"`. */
function memberPlaces(fields: readonly FieldJson[], out = new Map<string, string>()): Map<string, string> {
  for (const f of fields) {
    if (f.name !== null) out.set(f.name, `offset ${f.offset}, ${f.size} byte${f.size === 1 ? '' : 's'}${f.bitWidth !== undefined ? ` (bits ${f.bitOffset}:${f.bitWidth})` : ''}`);
    if (f.fields) memberPlaces(f.fields, out);
  }
  return out;
}

export function targetsNote(cName: string, layouts: readonly LayoutGroup[]): TargetsNote | null {
  if (layouts.length < 2) return null;
  const records = layouts.map((g) => recordNamed(g.model, cName));
  const columns = layouts.map((g) => list(g.targets.map((t) => t.name)));
  const rows: { what: string; cells: string[] }[] = [];
  const row = (what: string, cells: string[]) => {
    if (new Set(cells).size > 1) rows.push({ what, cells });
  };
  row('size', records.map((r) => (r ? `${r.size}` : 'not declared')));
  row('align', records.map((r) => (r ? `${r.align}` : '')));
  const places = records.map((r) => (r ? memberPlaces(fieldsJson(r)) : new Map<string, string>()));
  const names = [...new Set(places.flatMap((p) => [...p.keys()]))];
  for (const n of names) row(n, places.map((p) => p.get(n) ?? 'none'));
  const big = layouts.flatMap((g) => g.targets.filter((t) => t.endian === 'big').map((t) => t.name));
  const order = big.length ? ` ${list(big)} store${big.length === 1 ? 's' : ''} it big-endian.` : '';
  const all = list(layouts.flatMap((g) => g.targets.map((t) => t.name)));
  const summary = rows.length
    ? `Laid out differently across the targets this package is generated for: what differs, per layout.${order}`
    : `The same size and offsets on every target this package is generated for (${all}).${order}`;
  return { summary, columns: rows.length ? columns : [], rows };
}

/** An ioctl's request number per layout, where the layouts' numbers differ (ppc64le's encoding, a 32-bit size). */
function requestsOf(name: string, layouts: readonly LayoutGroup[]): { targets: string; request: string }[] | null {
  const numbers = layouts.map((g) => g.model.ioctls.find((io) => io.name === name)?.request);
  if (new Set(numbers.map(String)).size < 2) return null;
  return layouts.map((g, i) => ({ targets: list(g.targets.map((t) => t.name)), request: numbers[i] === undefined ? 'none' : `0x${numbers[i]!.toString(16)}` }));
}

/** The docs view with each struct's note (every struct section, also those on ioctl pages). */
export function withTargetNotes(docs: DocsView, layouts: readonly LayoutGroup[]): DocsView {
  const noted = new Map<StructSection, StructSection>();
  const note = (s: StructSection): StructSection => {
    let n = noted.get(s);
    if (!n) noted.set(s, (n = { ...s, targets: targetsNote(s.cName, layouts) }));
    return n;
  };
  return { ...docs, structs: docs.structs.map(note), ioctls: docs.ioctls.map((io) => ({ ...io, struct: io.struct && note(io.struct), requests: requestsOf(io.name, layouts) })) };
}
