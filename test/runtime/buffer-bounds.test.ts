// Issue 7, user pointers: a method given a buffer never lets the kernel be told to use more bytes than the buffer
// has. For every pointer field with a count or length (headers/*.profile.json), a count or length beyond the buffer
// is a RangeError naming `IOCTL.field` before any system call. For every minBytes hint, the bytes the kernel uses
// come from gcc evaluating the hint's C expression on the header's own struct (C's unsigned arithmetic: a
// length of 0 minus 1 is 2^64 - 1): one byte less is refused, exactly that many is passed on.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PointerField } from '../../generator/src/conventions/pointers.js';
import type { RecordDef } from '../../generator/src/model/types.js';
import { testPackages, type TestPackage } from '../property/packages.js';
import { countCalls, deviceClass, ioctlMethods, type Method } from './devices.js';
import { thrown } from '../thrown.js';

/** Buffers up to this size are made to test "exactly enough"; larger needs are only checked to be refused. */
const MAX_BUFFER = 1 << 20;

/** `{ a: { b: value } }` for path ['a', 'b'], merged into `into`. */
function setPath(into: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  let at = into;
  for (const k of path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[path[path.length - 1]!] = value;
  return into;
}

interface BoundCase {
  readonly ioctl: string;
  readonly method: string;
  readonly pointer: PointerField;
  /** Values of the expression's fields, by name. */
  readonly values: Record<string, bigint>;
  need?: bigint;
}

/**
 * Field values to try: edges of C's unsigned arithmetic and ordinary sizes; no zero divisor (undefined in C), and
 * 32-bit fields below 2^16, so that C's 32-bit products do not wrap (the generated check does not wrap `*`: see below).
 */
function valueTable(fields: readonly { name: string; bytes: number }[], divisors: ReadonlySet<string>): Record<string, bigint>[] {
  const pick = (f: { name: string; bytes: number }): bigint[] =>
    (divisors.has(f.name) ? [1n, 4096n, 6144n, 1n << 21n] : [0n, 1n, 8n, 4096n, 3n * 4096n * 8n + 1n, 1000n * 4096n, 1n << 40n]).filter(
      (v) => v < 1n << BigInt(f.bytes === 8 ? 64 : 16),
    );
  let rows: Record<string, bigint>[] = [{}];
  for (const f of fields) rows = rows.flatMap((r) => pick(f).map((v) => ({ ...r, [f.name]: v })));
  return rows;
}

/** The C expression's value for every case, from gcc on the header's own struct. */
function gccNeeds(pkg: TestPackage, cases: BoundCase[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-bounds-'));
  try {
    const lines = cases.map((c, i) => {
      const info = c.pointer.info.minBytes!;
      const prefix = c.pointer.path.slice(0, -1).map((p) => `${p}.`).join('');
      const sets = Object.entries(c.values).map(([f, v]) => `s.${prefix}${f} = ${v}ULL;`).join(' ');
      const expr = info.text.replace(/\b([A-Za-z_]\w*)\b/g, `s.${prefix}$1`);
      return `  { struct ${c.pointer.record.name} s; memset(&s, 0, sizeof s); ${sets} printf("%d %llu\\n", ${i}, (unsigned long long)(${expr})); }`;
    });
    const src = `#include <stdio.h>\n#include <string.h>\n#include "${resolve(pkg.header)}"\nint main(void) {\n${lines.join('\n')}\n  return 0;\n}\n`;
    writeFileSync(join(dir, 'needs.c'), src);
    const includes = pkg.includeDirs.flatMap((d) => ['-I', resolve(d)]);
    try {
      execFileSync('gcc', ['-std=gnu11', '-Wall', '-Werror', ...includes, '-o', join(dir, 'needs'), join(dir, 'needs.c')], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`gcc failed:\n${(e as { stderr?: Buffer }).stderr?.toString() ?? String(e)}`);
    }
    for (const line of execFileSync(join(dir, 'needs')).toString().trim().split('\n')) {
      const [i, v] = line.split(' ');
      cases[Number(i)]!.need = BigInt(v!);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(testPackages().filter((p) => p.model.pointers.length > 0))('user-pointer bounds: $name', (pkg) => {
  const methods = ioctlMethods(pkg);

  it('a count or length beyond the buffer given is refused before the call; within it, it is passed on', async () => {
    const mod = await pkg.load();
    const h = deviceClass(pkg, mod).open('/dev/null');
    const counter = countCalls(h);
    let checked = 0;
    for (const m of methods) {
      for (const p of m.pointers) {
        const size = p.info.count ?? p.info.length;
        if (!size) continue;
        const unit = p.info.count && p.info.to.kind === 'array' ? (p.info.to.element as RecordDef).size : 1;
        const sizePath = [...p.path.slice(0, -1), size.name];
        const sizeValue = (n: number) => (size.field.size === 8 ? BigInt(n) : n);
        const args = (n: number | undefined, buffer: unknown) => {
          const a = setPath({}, p.path, buffer);
          return n === undefined ? a : setPath(a, sizePath, sizeValue(n));
        };
        const buffer = new Uint8Array(3 * unit + unit - 1); // room for 3 elements, not 4
        const before = counter.calls;
        const e = thrown(() => (h[m.method] as Method).call(h, args(4, buffer)));
        expect(e, `${m.ioctl.name}.${sizePath.join('.')}`).toBeInstanceOf(RangeError);
        expect((e as Error).message).toMatch(new RegExp(`^${m.ioctl.name}\\.${sizePath.join('\\.')}: asks for more than the ${buffer.length} bytes given in ${p.path.join('\\.')}`));
        expect(counter.calls).toBe(before);
        for (const n of [3, undefined]) {
          const ok = thrown(() => (h[m.method] as Method).call(h, args(n, buffer))) as { code?: string; argument?: Uint8Array };
          expect(ok, `${m.ioctl.name} with ${n ?? 'no'} ${size.name}`).toMatchObject({ code: 'ENOTTY' });
          // What the kernel was told: the count or length given, or, when omitted, as much as the buffer holds.
          const view = new DataView(ok.argument!.buffer, ok.argument!.byteOffset);
          const told = size.field.size === 8 ? Number(view.getBigUint64(size.offset, true)) : view.getUint32(size.offset, true);
          expect(told, `${m.ioctl.name}.${sizePath.join('.')}`).toBe(3);
        }
        checked++;
      }
    }
    h.close();
    expect(checked).toBeGreaterThan(0);
  });

  const bounded = methods.flatMap((m) => m.pointers.filter((p) => p.info.minBytes).map((p) => ({ m, p })));
  it.runIf(bounded.length > 0)('a buffer one byte short of what the hint says the kernel uses (per gcc) is refused', async () => {
    const cases: BoundCase[] = bounded.flatMap(({ m, p }) => {
      const fields = p.info.minBytes!.fields.map((f) => ({ name: f.name, bytes: f.field.size }));
      const divisors = new Set([...p.info.minBytes!.text.matchAll(/\/\s*\(?\s*(\w+)/g)].map((x) => x[1]!));
      return valueTable(fields, divisors).map((values) => ({ ioctl: m.ioctl.name, method: m.method, pointer: p, values }));
    });
    gccNeeds(pkg, cases);
    const h = deviceClass(pkg, await pkg.load()).open('/dev/null');
    const counter = countCalls(h);
    for (const c of cases) {
      const args = (buffer: Uint8Array): Record<string, unknown> => {
        const a = setPath({}, c.pointer.path, buffer);
        for (const f of c.pointer.info.minBytes!.fields) {
          const v = c.values[f.name]!;
          setPath(a, [...c.pointer.path.slice(0, -1), f.name], f.field.size === 8 ? v : Number(v)); // 64-bit fields take bigints
        }
        return a;
      };
      const what = `${c.ioctl} ${JSON.stringify(c.values, (_, v) => (typeof v === 'bigint' ? `${v}` : v))} needs ${c.need}`;
      const need = c.need!;
      const short = need > BigInt(MAX_BUFFER) ? MAX_BUFFER : Number(need) - 1;
      if (short >= 0) {
        const before = counter.calls;
        const e = thrown(() => (h[c.method] as Method).call(h, args(new Uint8Array(short))));
        expect(e, what).toBeInstanceOf(RangeError);
        expect((e as Error).message, what).toMatch(new RegExp(`^${c.ioctl}\\.${c.pointer.path.join('\\.')}: needs ${need} bytes`));
        expect(counter.calls, what).toBe(before);
      }
      if (need <= BigInt(MAX_BUFFER)) {
        const e = thrown(() => (h[c.method] as Method).call(h, args(new Uint8Array(Number(need)))));
        expect(e, what).toMatchObject({ code: 'ENOTTY' });
      }
    }
    h.close();
  });

  it.runIf(bounded.some(({ p }) => p.info.minBytes!.text === 'entry_len * entry_num'))(
    'entry_len * entry_num that wraps in C is refused: the kernel reads that many entries, up to 4 GiB',
    async () => {
      const h = deviceClass(pkg, await pkg.load()).open('/dev/null');
      const e = thrown(() => (h.hwptInvalidate as Method).call(h, { entry_len: 0x10000, entry_num: 0x10000, data_uptr: new Uint8Array(4096) }));
      expect((e as Error).message).toMatch(/^IOMMU_HWPT_INVALIDATE\.data_uptr: needs 4294967296 bytes/);
      h.close();
    },
  );
});
