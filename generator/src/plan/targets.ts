// The layouts a package carries: its header's model for each target it is generated for, grouped so that targets
// that lay the header out alike (every size, offset, enumerator, constant and ioctl number, and the byte order)
// share one codec module. All LP64 little-endian targets with the generic ioctl encoding are typically one group.
import type { AnnotatedModel } from '../conventions/annotations.js';
import { irJson } from '../conventions/ir.js';
import type { Target } from '../model/target.js';

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

/**
 * The groups of `targets` (in their order; the first group holds the first target), each target's model made by
 * `load`. `first` is the first target's model when the caller has it already.
 */
export function layoutGroups(targets: readonly Target[], load: (t: Target) => AnnotatedModel, first?: AnnotatedModel): LayoutGroup[] {
  const groups: { key: string; targets: Target[]; model: AnnotatedModel }[] = [];
  for (const [i, target] of targets.entries()) {
    const model = i === 0 && first ? first : load(target);
    const key = fingerprint(model, target);
    const same = groups.find((g) => g.key === key);
    if (same) same.targets.push(target);
    else groups.push({ key, targets: [target], model });
  }
  return groups.map((g) => ({ name: g.targets[0]!.name, targets: g.targets, model: g.model }));
}
