// The benchmark's hand-written codecs (bench/codecs/handwritten.ts), and the baseline codecs generated from the
// model for kvm and vfio (bench/codecs/baseline.ts), against gcc, for every named struct and union of
// headers/v7.3/linux/iommufd.h:
//   - encode: gcc assigns deterministic values to every field of a zeroed object and prints its bytes (the plan
//     and C program of conformance/bytes-cprogram.ts, one case per union member); the hand-written encoder fed
//     the same values, into a 0xa5-filled buffer at an odd offset, must write exactly those bytes and no others.
//     Encoding `{}` must give all zeros (omitted fields are 0).
//   - decode: gcc fills an object with a byte pattern (all bytes distinct) and prints every field read through
//     C member access (`__reserved*` fields and every union member included); the hand-written decoder of the
//     same bytes must give those values, as bigint for 64-bit fields and number otherwise. It must also read
//     back the values of the encode cases.
//   - shape: the decoded object has the generated decoder's shape (keys and their order, array lengths, number
//     vs bigint), compared structurally, not by value.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCodec } from '../bench/codecs/baseline.js';
import { handwritten, type HandCodec } from '../bench/codecs/handwritten.js';
import { readIr } from '../bench/codecs/ir.js';
import { readConfig } from '../generator/src/config.js';
import { loadModel } from '../generator/src/load.js';
import {
  compileAndRunBytes, GCC_FLAGS, getPath, hex, isBigLeaf, planRecord, removeRun, renderBytesProgram, show,
  type GccRun, type Leaf, type RecordPlan,
} from './conformance/bytes-cprogram.js';

const ROOT = resolve(fileURLToPath(new URL('../', import.meta.url)));
const PACKAGE = '@uapi-ts/iommufd-v7.3';

// The model from the same inputs as `uapi-ts ir headers/v7.3/linux/iommufd.h -I headers/v7.3` (the package's hints too).
const pkg = readConfig(join(ROOT, 'uapi-ts.config.json')).find((p) => p.name === PACKAGE);
if (!pkg) throw new Error(`${PACKAGE} is not in uapi-ts.config.json`);
const header = join(ROOT, pkg.header);
const includeDirs = (pkg.includeDirs ?? []).map((d) => join(ROOT, d));
const model = loadModel(header, { includeDirs, profileFile: pkg.profile ? join(ROOT, pkg.profile) : undefined });
const plans: RecordPlan[] = model.records.filter((r) => r.name !== null).map(planRecord);
const ir = new Map(readIr(pkg.header, 'headers/v7.3', ROOT).records.map((r) => [r.name, r]));

/** The codecs checked: the hand-written ones, and the generated baseline of the same records. */
const sources: readonly (readonly [string, (name: string) => HandCodec | undefined])[] = [
  ['hand-written', (name) => handwritten[name]],
  ['baseline', (name) => {
    const r = ir.get(name);
    return r ? baselineCodec(r, ir).codec : undefined;
  }],
];

interface GeneratedCodec {
  decode(from: Uint8Array | DataView, offset?: number): unknown;
}

// ---- the pattern-decode program: gcc's reading of every field of a pattern-filled object

/** Byte `i` of the pattern: 37 is odd, so the bytes of any record (< 256 bytes) are all distinct. */
function patternByte(i: number): number {
  return (i * 37 + 11) & 0xff;
}

function patternProgram(): string {
  const blocks: string[] = [];
  for (const p of plans) {
    const lines = [`  { /* ${p.cType} */`, `    ${p.cType} s;`, '    fill(&s, sizeof s);'];
    lines.push(`    printf("SIZE ${p.record.name} %zu\\n", sizeof s);`);
    for (const l of p.all) {
      if (l.type.float || l.type.bool) throw new Error(`${p.cType}.${l.display}: float/bool leaves are not handled here`);
      // __be* fields hold the value byte-swapped: the value a decoder gives is the swapped storage.
      const bits = l.type.size * 8;
      const raw = l.type.pointer ? `(uintptr_t)s${l.c}` : `s${l.c}`;
      const value = l.type.endian === 'big' && l.type.size > 1 && !l.bitField ? `__builtin_bswap${bits}((uint${bits}_t)${raw})` : raw;
      const signed = l.type.signed && !(l.type.endian === 'big' && l.type.size > 1);
      lines.push(signed
        ? `    printf("LEAF ${p.record.name} ${l.display} %lld\\n", (long long)(${value}));`
        : `    printf("LEAF ${p.record.name} ${l.display} %llu\\n", (unsigned long long)(${value}));`);
    }
    lines.push('  }');
    blocks.push(lines.join('\n'));
  }
  return `#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include ${JSON.stringify(resolve(header))}

static void fill(void *p, size_t n) {
  unsigned char *b = (unsigned char *)p;
  for (size_t i = 0; i < n; i++) b[i] = (unsigned char)(i * 37 + 11);
}

int main(void) {
${blocks.join('\n')}
  return 0;
}
`;
}

interface PatternRun {
  readonly dir: string;
  readonly sizes: Map<string, number>;
  /** `record display` → gcc's value, as a bigint. */
  readonly leaves: Map<string, bigint>;
}

function runPatternProgram(): PatternRun {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-bench-handwritten-'));
  const cFile = join(dir, 'pattern.c');
  const exe = join(dir, 'pattern');
  writeFileSync(cFile, patternProgram());
  try {
    execFileSync('gcc', [...GCC_FLAGS, ...includeDirs.flatMap((d) => ['-I', d]), '-o', exe, cFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`gcc failed on ${cFile}:\n${err.stderr?.toString() ?? err.message}`);
  }
  const sizes = new Map<string, number>();
  const leaves = new Map<string, bigint>();
  for (const line of execFileSync(exe, [], { stdio: ['ignore', 'pipe', 'pipe'] }).toString().split('\n')) {
    if (line === '') continue;
    const size = /^SIZE (\S+) (\d+)$/.exec(line);
    const leaf = /^LEAF (\S+) (\S+) (-?\d+)$/.exec(line);
    if (size) sizes.set(size[1]!, Number(size[2]));
    else if (leaf) leaves.set(`${leaf[1]} ${leaf[2]}`, BigInt(leaf[3]!));
    else throw new Error(`unexpected line from ${exe}: ${line}`);
  }
  return { dir, sizes, leaves };
}

// ---- comparing

/** A value's shape: keys in order, array lengths, leaf types; no values. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return { array: v.map(shapeOf) };
  if (v !== null && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    return { plain: proto === Object.prototype, entries: Object.entries(v).map(([k, x]) => [k, shapeOf(x)]) };
  }
  return typeof v;
}

function same(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && a === b;
}

/** A DataView over a 0xa5-filled buffer with `pad` bytes either side of `size`, not starting at its buffer's 0. */
function dirtyView(size: number, pad: number): { bytes: Uint8Array; view: DataView } {
  const backing = new Uint8Array(size + 2 * pad + 5).fill(0xa5);
  const bytes = backing.subarray(5);
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Runs encode into a dirty buffer at offset 3; returns the record's bytes and any problems. */
function encodeChecked(codec: HandCodec, value: object, size: number): { out: Uint8Array; problems: string[] } {
  const { bytes, view } = dirtyView(size, 3);
  codec.encode(value, view, 3);
  const problems: string[] = [];
  if ([...bytes.subarray(0, 3), ...bytes.subarray(3 + size)].some((b) => b !== 0xa5)) problems.push('encode wrote outside the record');
  return { out: bytes.slice(3, 3 + size), problems };
}

function firstDiff(a: Uint8Array, b: Uint8Array, all: readonly Leaf[]): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const at = all.filter((l) => i >= l.offset && i < l.offset + l.type.size).map((l) => l.display).join(' | ') || 'padding';
  return `first difference at byte ${i} (${at})\n    hand ${hex(a)}\n    gcc  ${hex(b)}`;
}

describe('hand-written and baseline benchmark codecs against gcc (iommufd v7.3)', () => {
  let cases: GccRun | undefined;
  let pattern: PatternRun | undefined;
  let generated: Record<string, unknown> = {};
  let failures = 0;

  beforeAll(async () => {
    cases = compileAndRunBytes(renderBytesProgram(header, plans), includeDirs, 'bench-handwritten');
    pattern = runPatternProgram();
    generated = (await import(join(ROOT, pkg.out, 'src', 'records.js'))) as Record<string, unknown>;
  });

  afterAll(() => {
    if (cases && failures === 0) removeRun(cases);
    if (pattern && failures === 0) rmSync(pattern.dir, { recursive: true, force: true });
    if (failures > 0) console.log(`bench-handwritten: C programs kept in ${cases?.dir} and ${pattern?.dir}`);
  });

  it('has one codec for exactly the named records of the header', () => {
    expect(plans.length).toBe(38); // 38 structs in v7.3; a changed count means the header or the model changed
    expect(Object.keys(handwritten).sort()).toEqual(plans.map((p) => p.record.name!).sort());
  });

  for (const [label, codecOf] of sources) for (const plan of plans) {
    const name = plan.record.name!;
    it(`${label}: ${plan.cType}`, () => {
      const codec = codecOf(name);
      expect(codec, `${label} ${name}`).toBeDefined();
      const problems: string[] = [];
      const size = pattern!.sizes.get(name);
      expect(size, `gcc's sizeof ${plan.cType}`).toBeDefined();
      expect(codec!.size, 'size').toBe(size);

      // encode: gcc's bytes for every case; decode reads the assigned values back
      for (const c of plan.cases) {
        const where = `${c.id}${c.picks.length ? ` [${c.picks.join(', ')}]` : ''}`;
        const gcc = cases!.bytes.get(c.id);
        if (!gcc) {
          problems.push(`${where}: gcc printed no bytes`);
          continue;
        }
        const { out, problems: p } = encodeChecked(codec!, c.init, size!);
        problems.push(...p.map((x) => `${where}: ${x}`));
        if (hex(out) !== hex(gcc)) problems.push(`${where}: encode differs from gcc, ${firstDiff(out, gcc, plan.all)}`);

        const { bytes, view } = dirtyView(gcc.length, 7);
        bytes.set(gcc, 7);
        const dec = codec!.decode(view, 7);
        for (const l of c.leaves) {
          if (l.reserved) continue; // checked by the pattern below
          const got = getPath(dec, l.path);
          if (!same(got, l.value)) problems.push(`${where}: decode ${l.display} gave ${show(got)}, gcc was given ${show(l.value)}`);
        }
      }

      // encode of nothing: all zeros, every byte written
      const { out: zeros, problems: zp } = encodeChecked(codec!, {}, size!);
      problems.push(...zp.map((x) => `{}: ${x}`));
      if (zeros.some((b) => b !== 0)) problems.push(`{}: encode is not all zeros: ${hex(zeros)}`);

      // decode: every field, `__reserved*` and every union member included, as gcc reads the pattern
      const { bytes, view } = dirtyView(size!, 9);
      for (let i = 0; i < size!; i++) bytes[9 + i] = patternByte(i);
      const dec = codec!.decode(view, 9);
      for (const l of plan.all) {
        const inC = pattern!.leaves.get(`${name} ${l.display}`);
        if (inC === undefined) {
          problems.push(`pattern: gcc printed no ${l.display}`);
          continue;
        }
        const want = isBigLeaf(l) ? inC : Number(inC); // gcc printed signed fields signed, others unsigned
        const got = getPath(dec, l.path);
        if (!same(got, want)) problems.push(`pattern: decode ${l.display} gave ${show(got)}, gcc reads ${show(want)}`);
      }

      // a fresh object every time
      const again = codec!.decode(view, 9);
      if (again === dec) problems.push('decode returned the same object twice');

      // shape: that of the generated decoder's output for the same bytes
      const gen = generated[plan.tsName] as GeneratedCodec | undefined;
      if (!gen) failures++;
      expect(gen, `generated ${plan.tsName}`).toBeDefined();
      const genShape = JSON.stringify(shapeOf(gen!.decode(view, 9)));
      const handShape = JSON.stringify(shapeOf(dec));
      if (handShape !== genShape) problems.push(`decoded shape differs from the generated decoder's\n    hand ${handShape}\n    gen  ${genShape}`);

      failures += problems.length;
      expect(problems, `${plan.cType}:\n  ${problems.join('\n  ')}`).toEqual([]);
    });
  }

  it('the gcc programs covered every record', () => {
    expect(pattern!.sizes.size).toBe(plans.length);
    expect(cases!.lines).toBe(plans.reduce((n, p) => n + p.cases.length, 0));
  });
});
