// Capability chains: an info struct the kernel answers with a list of variable-size records after it (a
// `cap_offset` member, each record starting with a header struct such as `struct foo_cap_header { id, version, next }`).
// The profile's `capabilityChains` names, per ioctl, the offset member, the flag saying a chain is there, the
// header struct and which constants are capability ids; each id's struct is read from the header: the first struct
// after the id's `#define`, and before the next id's, that starts with the header struct. Where the header does
// not say (a capability that is only the header, one defined in another header), the profile's `structs` does;
// an id with neither is reported and decoded as bytes only.
import { HeaderError, type Warning } from '../diagnostics.js';
import type { Constant, Field, Model, RecordDef } from '../model/types.js';
import { directMembers } from '../model/walk.js';
import { argumentRecord, type AnnotatedIoctl } from './annotations.js';
import type { FlexTail } from './flex.js';
import type { Profile } from './profile.js';

/** A member the chain reads: its name, offset and size. */
export interface ChainField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

export interface CapabilityKind {
  readonly id: number;
  readonly constant: string; // FOO_REGION_INFO_CAP_SPARSE_MMAP
  readonly record: RecordDef;
  /** `header`: found after the id's #define; `profile`: named by the profile's structs. */
  readonly source: 'header' | 'profile';
  /** The flexible array the struct ends in (sparse mmap's areas), when it has one with a known count. */
  readonly flex: FlexTail | null;
}

export interface CapabilityChain {
  readonly method: string; // the helper: the ioctl's method + `Caps`
  readonly offset: ChainField; // where the first capability is (0: none)
  readonly flags: ChainField;
  readonly flag: { readonly constant: string; readonly value: bigint };
  readonly header: RecordDef;
  readonly kinds: readonly CapabilityKind[];
}

function memberOf(record: RecordDef, name: string): Field | null {
  const v = directMembers(record).find((m) => m.path[0] === name);
  return v && v.field.type.kind === 'scalar' && !v.field.type.signed && v.field.bitField === null ? v.field : null;
}

function startsWith(record: RecordDef, header: RecordDef): boolean {
  const first = record.fields[0];
  return record.kind === 'struct' && first !== undefined && first.offset === 0 && first.type.kind === 'record' && first.type.record === header;
}

/** The chains of the ioctls the profile names, by ioctl name; located errors for names the header does not have. */
export function capabilityChains(model: Model, ioctls: readonly Pick<AnnotatedIoctl, 'name' | 'argument' | 'method'>[], profile: Profile, warnings: Warning[]): Map<string, CapabilityChain> {
  const out = new Map<string, CapabilityChain>();
  const records = new Map(model.records.filter((r) => r.name !== null).map((r) => [r.name!, r]));
  const constants = new Map(model.constants.map((c) => [c.name, c]));
  for (const [ioctl, hint] of Object.entries(profile.data.capabilityChains)) {
    const at = (k: string): readonly string[] => ['capabilityChains', ioctl, k];
    const fail = (k: string, message: string): never => {
      throw new HeaderError(profile.at(at(k)), `${ioctl}: ${message}`);
    };
    const io = ioctls.find((i) => i.name === ioctl);
    if (!io) throw new HeaderError(profile.at(['capabilityChains', ioctl]), `${ioctl}: not an ioctl of this header`);
    const arg = argumentRecord(io);
    if (!arg) throw new HeaderError(profile.at(['capabilityChains', ioctl]), `${ioctl}: has no argument struct`);
    const field = (k: string, name: string): ChainField => {
      const f = memberOf(arg, name) ?? fail(k, `struct ${arg.name} has no unsigned member '${name}'`);
      return { name, offset: f.offset, size: f.size };
    };
    const offset = field('offset', hint.offset);
    const flags = field('flagsField', hint.flagsField ?? 'flags');
    const flagConstant = constants.get(hint.flag) ?? fail('flag', `no constant ${hint.flag} in the header`);
    const header = records.get(hint.header) ?? fail('header', `no struct ${hint.header} in the header`);
    for (const name of ['id', 'version', 'next']) if (!memberOf(header, name)) fail('header', `struct ${hint.header} has no unsigned member '${name}'`);
    const ids = new RegExp(hint.ids);
    const idConstants = model.constants.filter((c) => ids.test(c.name)).sort((a, b) => a.loc.line - b.loc.line);
    if (idConstants.length === 0) fail('ids', `no constant matches ${hint.ids}`);
    const structs = hint.structs ?? {};
    for (const name of Object.keys(structs)) {
      if (!idConstants.some((c) => c.name === name)) throw new HeaderError(profile.at([...at('structs'), name]), `${ioctl}: ${name} is not one of its capability ids`);
    }
    const kinds: CapabilityKind[] = [];
    idConstants.forEach((c, i) => {
      const named = Object.hasOwn(structs, c.name) ? structs[c.name]! : undefined;
      if (named !== undefined) {
        const record = records.get(named) ?? fail('structs', `no struct ${named} in the header (for ${c.name})`);
        if (record !== header && !startsWith(record, header)) fail('structs', `struct ${named} does not start with struct ${hint.header}`);
        kinds.push({ id: Number(c.value), constant: c.name, record, source: 'profile', flex: null });
        return;
      }
      const found = followingStruct(c, idConstants[i + 1] ?? null, model.records, header);
      if (found) kinds.push({ id: Number(c.value), constant: c.name, record: found, source: 'header', flex: null });
      else warnings.push({ loc: c.loc, message: `${c.name}: no struct starting with struct ${hint.header} follows it in this header; its capabilities are decoded as bytes only (name its struct in the profile's capabilityChains.${ioctl}.structs)` });
    });
    out.set(ioctl, {
      method: `${io.method}Caps`,
      offset,
      flags,
      flag: { constant: flagConstant.name, value: flagConstant.value },
      header,
      kinds: kinds.sort((a, b) => a.id - b.id),
    });
  }
  return out;
}

/** The first struct after `id`'s #define (and before the next id's) whose first member is the chain's header. */
function followingStruct(id: Constant, next: Constant | null, records: readonly RecordDef[], header: RecordDef): RecordDef | null {
  const after = (r: RecordDef, c: Constant): boolean => r.loc.file === c.loc.file && r.loc.line > c.loc.line;
  return records.find((r) => r.name !== null && after(r, id) && !(next && after(r, next)) && startsWith(r, header)) ?? null;
}
