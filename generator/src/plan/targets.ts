// The layouts a package carries: its header's model for each target it is generated for, grouped so that targets
// that lay the header out alike (every size, offset, enumerator, constant and ioctl number, and the byte order)
// share one codec module. All LP64 little-endian targets with the generic ioctl encoding are typically one group.
import type { AnnotatedModel } from '../conventions/annotations.js';
import { irJson } from '../conventions/ir.js';
import { HeaderError, type Loc } from '../diagnostics.js';
import { targetNamed, type Target } from '../model/target.js';
import type { CType, RecordDef } from '../model/types.js';

export interface LayoutGroup {
  /** The group's name: its first target's (`x86_64`, `s390x`), the folder of its modules under src/abi/. */
  readonly name: string;
  readonly targets: readonly Target[];
  /** The header's model for the group's targets (loaded for the first of them). */
  readonly model: AnnotatedModel;
}

/** What decides a layout: the model as `uapi-ts ir` prints it (less the target's name) and the byte order. */
function fingerprint(model: AnnotatedModel, target: Target): string {
  const { target: _name, ...ir } = irJson(model) as { target?: unknown };
  return JSON.stringify({ endian: target.endian, ir });
}

/** The records and the records their fields use, at any depth (a nested record may be another file's: asm/'s). */
function reachableRecords(records: readonly RecordDef[]): RecordDef[] {
  const seen = new Set<RecordDef>();
  const visit = (t: CType): void => {
    if (t.kind === 'array') visit(t.element);
    else if (t.kind === 'record' && !seen.has(t.record)) {
      seen.add(t.record);
      for (const f of t.record.fields) visit(f.type);
    }
  };
  for (const r of records) visit({ kind: 'record', record: r });
  return [...seen];
}

/**
 * A package of several targets must not lay two of them out from one asm/ file: an installed tree keeps each
 * architecture's asm/ in its `<multiarch>/` folder (a cross libc in `/usr/<triplet>/include`), while a folder with
 * asm/ right in it (a headers_install folder, headers/v7.3: x86's) holds one architecture's, which another target
 * would lay out as if it were its own. An error at the first declaration such a file gives two targets.
 */
function checkSharedAsm(models: readonly { target: Target; model: AnnotatedModel }[]): void {
  const readers = new Map<string, { loc: Loc; targets: string[] }>();
  for (const { target, model } of models) {
    const files = new Map<string, Loc>();
    for (const d of [...reachableRecords(model.records), ...model.enums, ...model.constants, ...model.ioctls]) {
      const parts = d.loc.file.split(/[\\/]/);
      const own = parts.includes(target.multiarch) || parts.includes(target.triplet);
      if (!d.loc.file.startsWith('<') && parts.at(-2) === 'asm' && !own && !files.has(d.loc.file)) files.set(d.loc.file, d.loc);
    }
    for (const [file, loc] of files) {
      const r = readers.get(file) ?? { loc, targets: [] };
      r.targets.push(target.name);
      readers.set(file, r);
    }
  }
  for (const [file, { loc, targets }] of readers) {
    if (targets.length < 2) continue;
    const at = file.lastIndexOf('/asm/');
    throw new HeaderError(
      loc,
      `${file.slice(at + 1)} is read from ${file.slice(0, at)}/asm for ${targets.join(', ')}: that folder holds one architecture's asm/, and a package of several targets needs each target's own (-I a tree with <multiarch>/asm folders, such as Debian's usr/include: ${targets.map((t) => `${targetNamed(t)!.multiarch}/asm`).join(', ')}), or to be generated for the one target that asm/ is for`,
    );
  }
}

/**
 * The groups of `targets` (in their order; the first group holds the first target), each target's model made by
 * `load`. `first` is the first target's model when the caller has it already.
 */
export function layoutGroups(targets: readonly Target[], load: (t: Target) => AnnotatedModel, first?: AnnotatedModel): LayoutGroup[] {
  const groups: { key: string; targets: Target[]; model: AnnotatedModel }[] = [];
  const loaded: { target: Target; model: AnnotatedModel }[] = [];
  for (const [i, target] of targets.entries()) {
    const model = i === 0 && first ? first : load(target);
    loaded.push({ target, model });
    const key = fingerprint(model, target);
    const same = groups.find((g) => g.key === key);
    if (same) same.targets.push(target);
    else groups.push({ key, targets: [target], model });
  }
  checkSharedAsm(loaded);
  return groups.map((g) => ({ name: g.targets[0]!.name, targets: g.targets, model: g.model }));
}
