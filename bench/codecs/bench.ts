// Codec benchmark: encode and decode of every struct and union of headers/v7.3/linux/iommufd.h, ns per operation,
// for the generated DataView codecs, a hand-written straight-line DataView codec of the same struct (the limit:
// no input checks) and koffi.encode/koffi.decode (what a user would otherwise reach for). Ratios are of medians
// measured in the same interleaved rounds. Targets: generated within 1.2x of hand-written, and at least 10x
// faster than koffi. Prints a table and, with --json FILE, writes the figures.
import koffi from 'koffi';
import { writeFileSync } from 'node:fs';
import * as R from '../../generated/iommufd-v7.3/src/records.js';
import { option } from '../lib/args.js';
import { compare, fmt, median, ratio, table, type Loop } from '../lib/measure.js';
import { handwritten } from './handwritten.js';
import { readIr } from './ir.js';
import { koffiTypes, koffiValue } from './koffi-types.js';
import { initValue } from './values.js';

interface GeneratedCodec {
  readonly cName: string;
  readonly size: number;
  encodeInto(v: unknown, d: DataView, o: number): void;
  decodeFrom(d: DataView, o: number): unknown;
}

const generated = new Map<string, GeneratedCodec>();
for (const x of Object.values(R)) {
  if (typeof x === 'object' && x !== null && 'cName' in x && 'encodeInto' in x) {
    const c = x as GeneratedCodec;
    generated.set(c.cName.replace(/^(struct|union) /, ''), c);
  }
}

// A loop per (record, variant) from its own source text, so every call site sees one callee, as in a program
// that encodes one struct in one place. Each iteration takes the next of 8 values and 8 slots of a buffer, so that
// the compiler cannot hoist the work out of the loop (it did, for the smallest hand-written codecs, which then
// cost under 1 ns). The text must differ: V8 shares the compiled code (and the type feedback)
// of identical sources, which made the loops megamorphic and skewed every figure.
let loops = 0;
function loop(body: string, ...args: unknown[]): Loop {
  const make = new Function('f', 'v', 'd', 'b', 't', 'koffi', 'S', `"use strict"; // loop ${loops++}
return function loop(n) { let s; for (let i = 0; i < n; i++) { ${body} } globalThis.__benchSink = s; };`);
  return make(...args) as Loop;
}

const only = process.argv.slice(2).filter((a) => !a.startsWith('-') && !a.endsWith('.json'));
const jsonAt = option('--json');
const ir = readIr('headers/v7.3/linux/iommufd.h', 'headers/v7.3');
const ktypes = koffiTypes(ir.records);
const rows: string[][] = [];
const results: { record: string; size: number; encode: Record<string, number>; decode: Record<string, number> }[] = [];

for (const rec of ir.records) {
  if (only.length > 0 && !only.some((o) => rec.name.includes(o))) continue;
  const g = generated.get(rec.name);
  const h = handwritten[rec.name];
  if (!g) throw new Error(`no generated codec for ${rec.name}`);
  if (!h) throw new Error(`no hand-written codec for ${rec.name}`);
  const values = Array.from({ length: 8 }, (_, k) => initValue(rec.fields, rec.kind, {}, { n: 1 + 100 * k }));
  const kvalues = values.map((v) => koffiValue(rec.fields, rec.kind, v));
  const value = values[0]!;
  const kvalue = kvalues[0]!;
  const S = rec.size;
  const slots = Buffer.alloc(8 * S);
  const sd = new DataView(slots.buffer, slots.byteOffset, slots.byteLength);
  const t = ktypes.get(rec.name);
  const buf = Buffer.alloc(rec.size);
  const d = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);

  // The three must agree on the bytes before their speed means anything.
  const bytesOf = (write: () => void) => {
    buf.fill(0xa5);
    write();
    return Buffer.from(buf);
  };
  const gb = bytesOf(() => g.encodeInto(value, d, 0));
  const hb = bytesOf(() => h.encode(value, d, 0));
  if (!gb.equals(hb)) throw new Error(`${rec.name}: generated and hand-written encoders disagree:\n${gb.toString('hex')}\n${hb.toString('hex')}`);
  buf.fill(0);
  koffi.encode(buf, t as never, kvalue);
  for (const [k, byte] of buf.entries()) {
    if (byte !== gb[k] && !(gb[k] === 0)) throw new Error(`${rec.name}: koffi's encoding differs at byte ${k}`);
  }

  const enc = compare({
    generated: loop('f(v[i & 7], d, (i & 7) * S);', g.encodeInto, values, sd, null, null, null, S),
    hand: loop('f(v[i & 7], d, (i & 7) * S);', h.encode, values, sd, null, null, null, S),
    koffi: loop('koffi.encode(b, (i & 7) * S, t, v[i & 7]);', null, kvalues, null, slots, t, koffi, S),
  });
  values.forEach((v, k) => g.encodeInto(v, sd, k * S));
  const dec = compare({
    generated: loop('s = f(d, (i & 7) * S);', g.decodeFrom, null, sd, null, null, null, S),
    hand: loop('s = f(d, (i & 7) * S);', h.decode, null, sd, null, null, null, S),
    koffi: loop('s = koffi.decode(b, (i & 7) * S, t);', null, null, null, slots, t, koffi, S),
  });
  results.push({ record: rec.name, size: rec.size, encode: enc, decode: dec });
  rows.push([
    rec.name, String(rec.size),
    fmt(enc.generated!), fmt(enc.hand!), ratio(enc.generated!, enc.hand!), ratio(enc.koffi!, enc.generated!),
    fmt(dec.generated!), fmt(dec.hand!), ratio(dec.generated!, dec.hand!), ratio(dec.koffi!, dec.generated!),
  ]);
  process.stderr.write('.');
}
process.stderr.write('\n');

const encRatios = results.map((r) => r.encode.generated! / r.encode.hand!);
const decRatios = results.map((r) => r.decode.generated! / r.decode.hand!);
const encK = results.map((r) => r.encode.koffi! / r.encode.generated!);
const decK = results.map((r) => r.decode.koffi! / r.decode.generated!);
rows.push([
  `median of ${results.length}`, '', '', '', `${median(encRatios).toFixed(2)}x`, `${median(encK).toFixed(1)}x`, '', '',
  `${median(decRatios).toFixed(2)}x`, `${median(decK).toFixed(1)}x`,
]);
console.log(table(['record', 'bytes', 'enc gen ns', 'enc hand ns', 'gen/hand', 'koffi/gen', 'dec gen ns', 'dec hand ns', 'gen/hand', 'koffi/gen'], rows));
const worst = (xs: number[]) => Math.max(...xs).toFixed(2);
console.log(`worst gen/hand: encode ${worst(encRatios)}x, decode ${worst(decRatios)}x (target <= 1.2x); ` +
  `least koffi/gen: encode ${Math.min(...encK).toFixed(1)}x, decode ${Math.min(...decK).toFixed(1)}x (target >= 10x)`);
if (jsonAt) writeFileSync(jsonAt, JSON.stringify(results, null, 2) + '\n');
