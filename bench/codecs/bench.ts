// Codec benchmark: encode and decode, ns per operation, of the generated DataView codecs against a straight-line
// DataView codec of the same record with no input checks (the limit), and against koffi.encode/koffi.decode
// (what a user would otherwise reach for). Records:
// - iommufd: every struct and union of headers/v7.3/linux/iommufd.h, against its hand-written codec
//   (bench/codecs/handwritten.ts) and koffi; the generated baseline (bench/codecs/baseline.ts) is timed too, to
//   show that it is a fair stand-in for the hand-written one;
// - vfio and kvm: every record used as an ioctl argument (the packages' `ioctls[...].arg`), against the
//   generated baseline (written from the model's layout, not by the emitter).
// Ratios are of medians measured in the same interleaved rounds, each record in a process of its own (--shared: all
// in one). Target (issue 18): the worst record within 1.5x
// of its straight-line codec, encode and decode. Prints a table and, with --json FILE, writes the figures.
import koffi from 'koffi';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as iommufd from '../../generated/iommufd-v7.3/src/records.js';
import * as kvm from '../../generated/kvm/src/records.js';
import { ioctls as kvmIoctls } from '../../generated/kvm/src/ioctls.js';
import * as vfio from '../../generated/vfio/src/records.js';
import { ioctls as vfioIoctls } from '../../generated/vfio/src/ioctls.js';
import { option } from '../lib/args.js';
import { compare, fmt, median, ratio, table, type Loop } from '../lib/measure.js';
import { baselineCodec, Unsupported } from './baseline.js';
import { handwritten, type HandCodec } from './handwritten.js';
import { readIr, type Ir, type IrRecord } from './ir.js';
import { koffiTypes, koffiValue } from './koffi-types.js';
import { initShaped } from './values.js';

interface GeneratedCodec {
  readonly cName: string;
  readonly size: number;
  encodeInto(v: unknown, d: DataView, o: number): void;
  decodeFrom(d: DataView, o: number): unknown;
}

function codecsOf(module: object): Map<string, GeneratedCodec> {
  const out = new Map<string, GeneratedCodec>();
  for (const x of Object.values(module)) {
    if (typeof x === 'object' && x !== null && 'cName' in x && 'encodeInto' in x) {
      const c = x as GeneratedCodec;
      out.set(c.cName.replace(/^(struct|union) /, ''), c);
    }
  }
  return out;
}

const argumentsOf = (ioctls: Readonly<Record<string, { readonly arg: string | null }>>): Set<string> =>
  new Set(Object.values(ioctls).flatMap((i) => (i.arg ? [i.arg.replace(/^(struct|union) /, '')] : [])));

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

// CPU time, not wall time: on the shared hosts this runs on, a record's 2-20 ns were as much other processes as
// code when timed by the wall clock (the same build's worst records moved 2-5x between runs). --wall for wall time.
const CLOCK = process.argv.includes('--wall') ? 'wall' : 'cpu';
const VALUED = new Set(['--json', '--ir', '--child', '--record']); // options followed by a value
const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith('-') && !VALUED.has(all[i - 1]!));
// --exact: the names given are whole record names (`kvm_msi`, not every record whose name holds it).
const exact = process.argv.includes('--exact');
const chosenBy = (name: string) => only.length === 0 || only.some((o) => (exact ? name === o : name.includes(o)));
const jsonAt = option('--json');
// Each record is timed in a process of its own (this script again, with --child SUITE --record NAME --ir FILE), so
// that its figures do not depend on the records timed before it: in one process for all, two iommufd decoders
// timed 1.1x alone were 2.0x after a hundred others (V8's shared state, not their code). The host's own noise
// remains (BENCHMARKS.md, section 2). --shared times them all in this process, as before.
const SHARED = process.argv.includes('--shared');
const childSuite = option('--child');
const childRecord = option('--record');
const irAt = option('--ir');

interface Suite {
  readonly name: string;
  readonly header: string;
  readonly generated: Map<string, GeneratedCodec>;
  /** Records to time; all of the header when undefined. */
  readonly records?: Set<string>;
  readonly hand?: Readonly<Record<string, HandCodec>>;
  readonly koffi: boolean;
}
const suites: Suite[] = [
  { name: 'iommufd', header: 'headers/v7.3/linux/iommufd.h', generated: codecsOf(iommufd), hand: handwritten, koffi: true },
  { name: 'vfio', header: 'headers/v7.3/linux/vfio.h', generated: codecsOf(vfio), records: argumentsOf(vfioIoctls), koffi: false },
  { name: 'kvm', header: 'headers/v7.3/linux/kvm.h', generated: codecsOf(kvm), records: argumentsOf(kvmIoctls), koffi: false },
];

type Times = Record<string, number>;
const rows: string[][] = [];
const results: { package: string; record: string; size: number; encode: Times; decode: Times }[] = [];
const skipped: string[] = [];

/** What a child process reports for its one record. */
interface ChildReport {
  readonly result?: (typeof results)[number];
  readonly row?: string[];
  readonly skipped?: string;
}

if (childSuite !== undefined) {
  // A child: one record, its figures as JSON on stdout.
  const suite = suites.find((x) => x.name === childSuite);
  if (!suite || !childRecord || !irAt) throw new Error('bench/codecs: --child needs a suite, --record and --ir');
  const ir = JSON.parse(readFileSync(irAt, 'utf8')) as Ir;
  const byName = new Map(ir.records.map((r) => [r.name, r]));
  const rec = byName.get(childRecord);
  if (!rec) throw new Error(`${suite.name}: no record ${childRecord}`);
  const r = measure(suite, rec, byName, suite.koffi ? koffiTypes([rec]) : new Map<string, unknown>());
  const report: ChildReport = typeof r === 'string' ? { skipped: r } : { result: results[0]!, row: rows[0]! };
  process.stdout.write(JSON.stringify(report));
  process.exit(0);
}

const irDir = SHARED ? null : mkdtempSync(path.join(tmpdir(), 'uapi-ts-codecs-'));
try {
  for (const suite of suites) {
    const ir = readIr(suite.header, 'headers/v7.3');
    const byName = new Map(ir.records.map((r) => [r.name, r]));
    const chosen = ir.records.filter((r) => (!suite.records || suite.records.has(r.name)) && chosenBy(r.name));
    if (suite.records) {
      for (const name of suite.records) if (!byName.has(name)) throw new Error(`${suite.name}: argument record ${name} is not in the model`);
    }
    const irFile = irDir ? path.join(irDir, `${suite.name}.json`) : null;
    if (irFile) writeFileSync(irFile, JSON.stringify(ir));
    const ktypes = suite.koffi && SHARED ? koffiTypes(chosen) : new Map<string, unknown>();
    for (const rec of chosen) {
      const r = irFile ? inChild(suite, rec, irFile) : measure(suite, rec, byName, ktypes);
      if (typeof r === 'string') skipped.push(`${suite.name} ${rec.name}: ${r}`);
      process.stderr.write(typeof r === 'string' ? 's' : '.');
    }
  }
} finally {
  if (irDir) rmSync(irDir, { recursive: true, force: true });
}
process.stderr.write('\n');

/** Times `rec` in a process of its own; its figures join this process's tables. */
function inChild(suite: Suite, rec: IrRecord, irFile: string): string | undefined {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--child', suite.name, '--record', rec.name, '--ir', irFile];
  if (CLOCK === 'wall') args.push('--wall');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`bench/codecs: timing ${suite.name} ${rec.name} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${r.stderr}`);
  const report = JSON.parse(r.stdout) as ChildReport;
  if (report.skipped !== undefined) return report.skipped;
  results.push(report.result!);
  rows.push(report.row!);
  return undefined;
}

function measure(suite: Suite, rec: IrRecord, byName: ReadonlyMap<string, IrRecord>, ktypes: Map<string, unknown>): string | undefined {
  const g = suite.generated.get(rec.name);
  if (!g) throw new Error(`${suite.name}: no generated codec for ${rec.name}`);
  if (g.size !== rec.size) throw new Error(`${suite.name}: ${rec.name} is ${g.size} bytes in the package, ${rec.size} in the model`);
  const h = suite.hand?.[rec.name];
  if (suite.hand && !h) throw new Error(`no hand-written codec for ${rec.name}`);
  let base: HandCodec;
  try {
    base = baselineCodec(rec, byName).codec;
  } catch (e) {
    if (e instanceof Unsupported) return `no baseline (${e.message})`;
    throw e;
  }
  const values = Array.from({ length: 8 }, (_, k) => initShaped(rec.fields, rec.kind, byName, { n: 1 + 100 * k }));
  const value = values[0]!;
  const S = rec.size;
  const slots = Buffer.alloc(8 * S);
  const sd = new DataView(slots.buffer, slots.byteOffset, slots.byteLength);
  const buf = Buffer.alloc(rec.size);
  const d = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);

  // They must agree on the bytes, every byte written, before their speed means anything.
  const bytesOf = (write: () => void) => {
    buf.fill(0xa5);
    write();
    return Buffer.from(buf);
  };
  const gb = bytesOf(() => g.encodeInto(value, d, 0));
  const bb = bytesOf(() => base.encode(value, d, 0));
  if (!gb.equals(bb)) throw new Error(`${rec.name}: generated and baseline encoders disagree:\n${gb.toString('hex')}\n${bb.toString('hex')}`);
  if (h) {
    const hb = bytesOf(() => h.encode(value, d, 0));
    if (!gb.equals(hb)) throw new Error(`${rec.name}: generated and hand-written encoders disagree:\n${gb.toString('hex')}\n${hb.toString('hex')}`);
  }
  const t = ktypes.get(rec.name);
  const kvalues = t ? values.map((v) => koffiValue(rec.fields, rec.kind, v)) : [];
  if (t) {
    buf.fill(0);
    koffi.encode(buf, t as never, kvalues[0]);
    for (const [k, byte] of buf.entries()) {
      if (byte !== gb[k] && !(gb[k] === 0)) throw new Error(`${rec.name}: koffi's encoding differs at byte ${k}`);
    }
  }

  const encodeLoops: Record<string, Loop> = {
    generated: loop('f(v[i & 7], d, (i & 7) * S);', g.encodeInto, values, sd, null, null, null, S),
    baseline: loop('f(v[i & 7], d, (i & 7) * S);', base.encode, values, sd, null, null, null, S),
  };
  if (h) encodeLoops.hand = loop('f(v[i & 7], d, (i & 7) * S);', h.encode, values, sd, null, null, null, S);
  if (t) encodeLoops.koffi = loop('koffi.encode(b, (i & 7) * S, t, v[i & 7]);', null, kvalues, null, slots, t, koffi, S);
  const enc = compare(encodeLoops, { clock: CLOCK });
  values.forEach((v, k) => g.encodeInto(v, sd, k * S));
  const decodeLoops: Record<string, Loop> = {
    generated: loop('s = f(d, (i & 7) * S);', g.decodeFrom, null, sd, null, null, null, S),
    baseline: loop('s = f(d, (i & 7) * S);', base.decode, null, sd, null, null, null, S),
  };
  if (h) decodeLoops.hand = loop('s = f(d, (i & 7) * S);', h.decode, null, sd, null, null, null, S);
  if (t) decodeLoops.koffi = loop('s = koffi.decode(b, (i & 7) * S, t);', null, null, null, slots, t, koffi, S);
  const dec = compare(decodeLoops, { clock: CLOCK });
  results.push({ package: suite.name, record: rec.name, size: rec.size, encode: enc, decode: dec });
  const ref = h ? 'hand' : 'baseline';
  const opt = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? ratio(a, b) : '');
  rows.push([
    `${suite.name} ${rec.name}`, String(rec.size),
    fmt(enc.generated!), fmt(enc[ref]!), ratio(enc.generated!, enc[ref]!), opt(enc.baseline, enc.hand), opt(enc.koffi, enc.generated),
    fmt(dec.generated!), fmt(dec[ref]!), ratio(dec.generated!, dec[ref]!), opt(dec.baseline, dec.hand), opt(dec.koffi, dec.generated),
  ]);
  return undefined;
}

/** generated over the record's straight-line codec: the hand-written one where there is one, else the baseline. */
const reference = (t: Times) => t.hand ?? t.baseline!;
const worstOf = (op: 'encode' | 'decode') => {
  const rs = results.map((r) => ({ name: `${r.package} ${r.record}`, x: r[op].generated! / reference(r[op]) }));
  return rs.reduce((a, b) => (b.x > a.x ? b : a));
};
const encRatios = results.map((r) => r.encode.generated! / reference(r.encode));
const decRatios = results.map((r) => r.decode.generated! / reference(r.decode));
const hand = results.filter((r) => r.encode.hand !== undefined);
rows.push([
  `median of ${results.length}`, '', '', '', `${median(encRatios).toFixed(2)}x`,
  hand.length ? `${median(hand.map((r) => r.encode.baseline! / r.encode.hand!)).toFixed(2)}x` : '', '', '', '',
  `${median(decRatios).toFixed(2)}x`, hand.length ? `${median(hand.map((r) => r.decode.baseline! / r.decode.hand!)).toFixed(2)}x` : '', '',
]);
console.log(table(['record', 'bytes', 'enc gen ns', 'enc ref ns', 'gen/ref', 'base/hand', 'koffi/gen', 'dec gen ns', 'dec ref ns', 'gen/ref', 'base/hand', 'koffi/gen'], rows));
console.log('(ref: the hand-written codec for iommufd, the generated baseline for vfio and kvm)');
console.log(`(ns: ${CLOCK === 'cpu' ? "this process's CPU time" : 'wall time'} per operation, median of 9 interleaved rounds)`);
if (hand.length) {
  const q = (op: 'encode' | 'decode') => hand.map((r) => r[op].generated! / r[op].baseline!);
  console.log(`iommufd against the generated baseline instead of the hand-written one: encode median ${median(q('encode')).toFixed(2)}x ` +
    `(worst ${Math.max(...q('encode')).toFixed(2)}x), decode median ${median(q('decode')).toFixed(2)}x (worst ${Math.max(...q('decode')).toFixed(2)}x)`);
}
for (const op of ['encode', 'decode'] as const) {
  const w = worstOf(op);
  console.log(`worst ${op}: ${w.name} ${w.x.toFixed(2)}x (target <= 1.5x)`);
}
if (skipped.length) console.log(`not timed (${skipped.length}):\n  ${skipped.join('\n  ')}`);
if (jsonAt) writeFileSync(jsonAt, JSON.stringify(results, null, 2) + '\n');
