// The byte-level checks of one codec against gcc's bytes for one case (bytes-cprogram.ts plans the cases and
// prints gcc's bytes): encode byte-exact (also with 64-bit values as numbers, and into a dirty buffer at an odd
// offset), decode back every assigned value, and every field as the bytes hold it. Used by bytes.test.ts (the
// configured packages) and test/tree (every package of a UAPI tree).
import { fieldsAt, getPath, hex, readLeaf, show, type Case, type Leaf, type LeafValue, type RecordPlan } from './bytes-cprogram.js';

export interface Codec {
  readonly size: number;
  encode(value: unknown, into?: Uint8Array, offset?: number): Uint8Array;
  decode(from: Uint8Array): unknown;
}

/** Counts over the cases checked. */
export interface CaseStats {
  leaves: number;
  decoded: number;
  numbered: number;
}

/** What differs from gcc's bytes `gcc` for case `c` of `plan` (empty: nothing). */
export function caseProblems(codec: Codec, plan: RecordPlan, c: Case, gcc: Uint8Array, stats: CaseStats): string[] {
  const problems: string[] = [];
  const where = `${c.id}${c.picks.length ? ` [${c.picks.join(', ')}]` : ''}`;
  // encode: byte-exact
  let enc: Uint8Array | undefined;
  try {
    enc = codec.encode(c.init);
  } catch (e) {
    problems.push(`${where}: encode threw ${(e as Error).message}`);
  }
  if (enc && hex(enc) !== hex(gcc)) {
    let i = 0;
    while (i < enc.length && i < gcc.length && enc[i] === gcc[i]) i++;
    const at = i < Math.min(enc.length, gcc.length)
      ? `first differing byte at offset ${i} (${fieldsAt(plan.all, i)}): ts 0x${enc[i]!.toString(16)}, gcc 0x${gcc[i]!.toString(16)}`
      : `lengths differ: ts ${enc.length}, gcc ${gcc.length}`;
    problems.push(`${where}: encode differs from gcc, ${at}\n    ts  ${hex(enc)}\n    gcc ${hex(gcc)}`);
  }

  // encode with every 64-bit value that fits a safe integer given as a number (the README says encoding
  // takes one): the slow path converts it, and must give gcc's bytes just the same
  const numbered = asNumbers(c.init);
  if (numbered.changed > 0) {
    stats.numbered += numbered.changed;
    try {
      const viaNumbers = codec.encode(numbered.value);
      if (hex(viaNumbers) !== hex(gcc)) problems.push(`${where}: encode with 64-bit values as numbers differs from gcc\n    ts  ${hex(viaNumbers)}\n    gcc ${hex(gcc)}`);
    } catch (e) {
      problems.push(`${where}: encode with 64-bit values as numbers threw ${(e as Error).message}`);
    }
  }

  // encode into a dirty buffer at an odd offset: every byte of the record written (padding, `__reserved*`,
  // the other union members zeroed), none outside it
  if (enc) {
    const into = new Uint8Array(gcc.length + 8).fill(0xa5);
    try {
      codec.encode(c.init, into, 3);
      const inside = into.subarray(3, 3 + gcc.length);
      const outside = [...into.subarray(0, 3), ...into.subarray(3 + gcc.length)];
      if (hex(inside) !== hex(gcc)) {
        let i = 0;
        while (inside[i] === gcc[i]) i++;
        problems.push(`${where}: encode into a 0xa5-filled buffer at offset 3 differs from gcc at byte ${i} (${fieldsAt(plan.all, i)}): ts 0x${inside[i]!.toString(16)}, gcc 0x${gcc[i]!.toString(16)}`);
      }
      if (outside.some((b) => b !== 0xa5)) problems.push(`${where}: encode at offset 3 wrote outside the record's ${gcc.length} bytes`);
    } catch (e) {
      problems.push(`${where}: encode into a buffer at offset 3 threw ${(e as Error).message}`);
    }
  }

  // decode: every assigned leaf comes back with its value, `__reserved*` as 0
  const dec = codec.decode(gcc);
  const assigned = c.leaves.filter((l) => !l.reserved);
  for (const l of c.leaves) {
    const got = getPath(dec, l.path);
    const big = typeof readLeaf(gcc, l) === 'bigint';
    const shared = l.reserved && assigned.some((a) => overlaps(a, l)); // a reserved member of a union
    const want = l.reserved ? (shared ? readLeaf(gcc, l) : zeroOf(l, big)) : l.value;
    if (!l.reserved) stats.leaves++;
    if (!same(got, want)) {
      const inBytes = readLeaf(gcc, l);
      problems.push(
        `${where}: decode ${l.display} (${l.type.name} at ${l.offset}) gave ${show(got)}, expected ${show(want)}` +
          (same(inBytes, want) ? '' : `; gcc's bytes at the model's offset hold ${show(inBytes)}`),
      );
    }
  }
  // decode: every field, every union member included, is what gcc's bytes hold at the model's offset
  for (const l of plan.all) {
    const got = getPath(dec, l.path);
    const want = readLeaf(gcc, l);
    stats.decoded++;
    if (!same(got, want)) problems.push(`${where}: decode ${l.display} (${l.type.name} at ${l.offset}) gave ${show(got)}, the bytes hold ${show(want)}`);
  }
  return problems;
}

function zeroOf(l: Leaf, big: boolean): LeafValue {
  if (l.type.bool) return false;
  return big ? 0n : 0;
}

/** A copy of an init value with every bigint that is a safe integer turned into a number, and how many were. */
function asNumbers(x: unknown): { value: unknown; changed: number } {
  if (typeof x === 'bigint' && x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER)) return { value: Number(x), changed: 1 };
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x)) return { value: x, changed: 0 };
  let changed = 0;
  if (Array.isArray(x)) {
    const value = x.map((e) => {
      const r = asNumbers(e);
      changed += r.changed;
      return r.value;
    });
    return { value, changed };
  }
  const value = Object.fromEntries(Object.entries(x).map(([k, v]) => {
    const r = asNumbers(v);
    changed += r.changed;
    return [k, r.value];
  }));
  return { value, changed };
}

/** Same JS type and same value (bigint stays bigint, number stays number). */
function same(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && (a === b || (typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b as number)));
}

function overlaps(a: Leaf, b: Leaf): boolean {
  return a.offset < b.offset + b.type.size && b.offset < a.offset + a.type.size;
}
