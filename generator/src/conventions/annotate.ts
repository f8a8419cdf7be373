// The conventions step: the model and a profile → the annotated model (annotations.ts), once per header.
import { HeaderError, oneLine, type Warning } from '../diagnostics.js';
import { specificErrnoDocs } from '../lower/errnos.js';
import { ERRNO_NAMES } from '../model/errno-table.js';
import type { CType, Field, Model, RecordDef } from '../model/types.js';
import { walkMembers } from '../model/walk.js';
import { argumentRecord, type AnnotatedIoctl, type AnnotatedModel, type FieldNote, type FlexCall, type RecordNote, type Retry } from './annotations.js';
import { capabilityChains, type CapabilityChain } from './capabilities.js';
import { flexTails, type FlexTail } from './flex.js';
import { handleKinds } from './handle-kinds.js';
import { ioctlArgs } from './ioctl-args.js';
import { classifyPointers, type PointerField } from './pointers.js';
import type { Profile, ProfileData } from './profile.js';
import { relatedFields } from './related.js';

export function annotate(model: Model, profile: Profile): AnnotatedModel {
  const warnings: Warning[] = [];
  const data = profile.data;
  const reserved = new RegExp(data.reserved);
  const recordNotes = new Map<RecordDef, RecordNote>();
  const fieldNotes = new Map<Field, FieldNote>();
  const note = (r: RecordDef): void => {
    if (recordNotes.has(r)) return;
    const visits = walkMembers(r);
    const reservedFields = visits.map((v) => v.field).filter((f) => f.name !== null && reserved.test(f.name));
    recordNotes.set(r, { extension: extension(r, data), reserved: reservedFields });
    for (const f of r.fields) fieldNotes.set(f, f.name !== null && reserved.test(f.name) ? { kind: 'reserved' } : { kind: 'plain' });
    // Anonymous members, and records of other headers used here, are noted too: the views ask about every record.
    for (const v of visits) {
      const used = recordOf(v.field.type);
      if (used) note(used);
    }
  };
  for (const r of model.records) note(r);

  const args = ioctlArgs(model.records, model.ioctls, profile, warnings);
  const pointers = classifyPointers(model.records, profile, warnings);
  const chains = capabilityChains(model, model.ioctls.map((io, i) => ({ name: io.name, argument: args[i]!, method: methodName(io.name, data.methodPrefix) })), profile, warnings);
  const capRecords = [...chains.values()].flatMap((c) => c.kinds.map((k) => k.record));
  const argStructs = args.flatMap((argument) => argumentRecord({ argument }) ?? []);
  const tails = flexTails([...argStructs, ...capRecords], profile, warnings);
  const grown = new Set<string>();
  for (const p of pointers) fieldNotes.set(p.field, { kind: 'pointer', pointer: p });

  const methods = methodNames(model.ioctls.map((io) => io.name), data.methodPrefix);
  const ioctls = model.ioctls.map((io, i): AnnotatedIoctl => {
    const argument = args[i]!;
    const arg = argumentRecord({ argument });
    const errors = specificErrnoDocs(arg?.doc ?? null);
    const method = methods[i]!;
    return {
      ...io,
      argument,
      returns: Object.hasOwn(data.returns, io.name) ? data.returns[io.name]! : 'zero',
      method,
      retry: retry(io.name, method, errors, arg ? pointers.filter((p) => p.record === arg) : [], profile),
      valueArg: Object.hasOwn(data.valueArgs, io.name) ? data.valueArgs[io.name]! : null,
      flex: flexCall(io.name, method, arg ? tails.get(arg) : undefined, profile, grown),
      caps: withFlex(chains.get(io.name), tails),
      errors,
    };
  });
  for (const name of Object.keys(data.grow)) {
    if (!grown.has(name)) throw new HeaderError(profile.at(['grow', name]), `${name}: not an ioctl whose argument ends in a flexible array`);
  }
  return {
    ...model,
    ioctls,
    profile: profile.file,
    device: data.device,
    docsUrl: data.docs,
    methodPrefix: data.methodPrefix,
    handles: handleKinds(model.records, model.ioctls, profile, warnings),
    pointers,
    recordNotes,
    fieldNotes,
    related: relatedFields(model.records, profile),
    warnings: [...model.warnings, ...warnings.map((w) => ({ ...w, message: oneLine(w.message) }))],
  };
}

/** The record a field of this type holds: itself, or its elements'. */
function recordOf(t: CType): RecordDef | null {
  if (t.kind === 'record') return t.record;
  return t.kind === 'array' ? recordOf(t.element) : null;
}

/** The struct's leading size field, when the family extends structs that way: a `__u32` at offset 0. */
function extension(r: RecordDef, data: ProfileData): RecordNote['extension'] {
  const first = r.fields[0];
  if (data.extension === null || r.kind !== 'struct' || !first) return null;
  const ok = first.name === data.extension && first.offset === 0 && first.type.kind === 'scalar' && first.size === 4 && first.bitField === null;
  return ok ? { kind: data.extension, field: first } : null;
}

/**
 * The method for an ioctl, in camelCase: without the profile's prefix (`FOO_GET_INFO` → `getInfo` for `FOO_`), or by
 * default without the name's first word (README, "Names").
 */
export function methodName(ioctl: string, prefix: string | null): string {
  const rest = prefix !== null && ioctl.startsWith(prefix) && ioctl.length > prefix.length ? ioctl.slice(prefix.length) : ioctl;
  const words = rest.toLowerCase().split('_').filter((w) => w !== '');
  const kept = prefix !== null ? words : words.length > 1 ? words.slice(1) : words;
  return kept.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

/** What the runtime's IoctlDevice defines itself: a method of the same name would replace it. */
export const DEVICE_MEMBERS: readonly string[] = [
  'open', 'fromFd', 'openPath', 'fd', 'closed', 'close', 'args', 'encodeArgs', 'call', 'callValue', 'callWith', 'wrapFd', 'failure',
  'prepare', 'ioctlRaw', 'ioctlFd', 'constructor',
];

/**
 * Every ioctl's method (methodName). One whose name would be another's (EVIOCGKEYCODE_V2 and EVIOCSKEYCODE_V2 both
 * `v2`), another's `try` form (VIDIOC_TRY_ENCODER_CMD's `tryEncoderCmd` is VIDIOC_ENCODER_CMD's) or the device
 * class's own (NSM_IOCTL_RAW's `ioctlRaw`) keeps its whole name instead (`eviocgkeycodeV2`, `vidiocTryEncoderCmd`).
 */
export function methodNames(ioctls: readonly string[], prefix: string | null): string[] {
  const short = ioctls.map((n) => methodName(n, prefix));
  const taken = (i: number): boolean =>
    DEVICE_MEMBERS.includes(short[i]!) ||
    short.some((m, j) => j !== i && (m === short[i] || `try${m[0]!.toUpperCase()}${m.slice(1)}` === short[i]));
  const full = (n: string): string =>
    n.toLowerCase().split('_').filter((w) => w !== '').map((w, k) => (k === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  return short.map((m, i) => (taken(i) ? full(ioctls[i]!) : m));
}

function retry(ioctl: string, method: string, errors: AnnotatedIoctl['errors'], pointers: readonly PointerField[], profile: Profile): Retry | null {
  const direct = pointers.filter((p) => p.path.length === 1);
  const candidates = direct.map((p) => ({
    field: p.path[0]!,
    dir: p.info.dir,
    count: p.info.count?.name ?? null,
    element: p.info.to.kind === 'array' ? p.info.to.element : null,
  }));
  const chosen = profile.hooks.retry(ioctl, errors, candidates);
  if (!chosen) return null;
  const p = direct.find((x) => x.path[0] === chosen.field);
  if (!p || p.info.to.kind !== 'array' || !p.info.count) return null;
  return { errno: chosen.errno, method: `${method}All`, field: chosen.field, element: p.info.to.element, count: p.info.count };
}

/** The flexible-array call of an ioctl whose argument ends in one, and its growing helper when the profile asks. */
function flexCall(ioctl: string, method: string, tail: FlexTail | undefined, profile: Profile, grown: Set<string>): FlexCall | null {
  if (!tail) return null;
  if (!Object.hasOwn(profile.data.grow, ioctl)) return { tail, grow: null };
  grown.add(ioctl);
  const errno = profile.data.grow[ioctl]!;
  const value = [...ERRNO_NAMES].find(([, name]) => name === errno)?.[0];
  if (value === undefined) throw new HeaderError(profile.at(['grow', ioctl]), `${ioctl}: ${errno} is not an errno name`);
  if (tail.count === null) throw new HeaderError(profile.at(['grow', ioctl]), `${ioctl}: its array ${tail.record.name}.${tail.name} has no known count, so it cannot grow`);
  return { tail, grow: { errno, value, method: `${method}All` } };
}

/** A chain with each capability struct's flexible array (with a known count) attached. */
function withFlex(chain: CapabilityChain | undefined, tails: ReadonlyMap<RecordDef, FlexTail>): CapabilityChain | null {
  if (!chain) return null;
  return { ...chain, kinds: chain.kinds.map((k) => ({ ...k, flex: tails.get(k.record)?.count ? tails.get(k.record)! : null })) };
}
