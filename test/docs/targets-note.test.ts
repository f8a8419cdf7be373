// The docs site's note on each struct's layouts across the targets of its package (generated HTML, read as it is
// written): every cell of every "On other targets" table (size, alignment, a member's offset and size, per column
// of targets) is what each of the column's cross-compilers says, every row differs between the columns, and a
// struct said to be the same everywhere has the same size on every target's gcc.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_TARGETS } from '../../generator/src/config.js';
import { targetNamed, type Target } from '../../generator/src/model/target.js';
import { hasCrossCompiler, objectsOf } from '../lib/cross-object.js';

const SITES = [
  { header: 'linux/vfio.h', page: 'generated/vfio/docs/structs.html', tables: true },
  { header: 'linux/iommufd.h', page: 'generated/iommufd/docs/structs.html', tables: false },
];
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

interface Note {
  readonly cName: string;
  readonly summary: string;
  readonly columns: readonly (readonly string[])[];
  readonly rows: readonly { readonly what: string; readonly cells: readonly string[] }[];
}

function notesOf(html: string): Note[] {
  const notes: Note[] = [];
  for (const m of html.matchAll(/<section class="struct" id="c\.[^"]+">\s*<h2>([^<]+?) (?:<|\n)[\s\S]*?<\/section>/g)) {
    const section = m[0];
    const note = /<div class="targets">\s*<h3>On other targets<\/h3>\s*<p>([^<]*)<\/p>([\s\S]*?)<\/div>/.exec(section);
    if (!note) continue;
    const head = /<thead><tr><th><\/th>(.*)<\/tr><\/thead>/.exec(note[2]!);
    const columns = head ? [...head[1]!.matchAll(/<th>([^<]*)<\/th>/g)].map((c) => c[1]!.split(/, | and /)) : [];
    const rows = [...note[2]!.matchAll(/<tr><th><code>([^<]*)<\/code><\/th>(.*)<\/tr>/g)].map((r) => ({ what: unescape(r[1]!), cells: [...r[2]!.matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1]!) }));
    notes.push({ cName: unescape(m[1]!.trim()), summary: unescape(note[1]!), columns, rows });
  }
  return notes;
}

/** The text a cell should hold for `what` of `cName`, as C expressions (their values fill the text). */
function cellExpressions(cName: string, what: string): { exprs: string[]; text: (v: bigint[]) => string } | null {
  if (what === 'size') return { exprs: [`sizeof(${cName})`], text: ([s]) => `${s}` };
  if (what === 'align') return { exprs: [`_Alignof(${cName})`], text: ([a]) => `${a}` };
  return {
    exprs: [`offsetof(${cName}, ${what})`, `sizeof(((${cName} *)0)->${what})`],
    text: ([o, n]) => `offset ${o}, ${n} byte${n === 1n ? '' : 's'}`,
  };
}

const missing = PACKAGE_TARGETS.filter((t) => !hasCrossCompiler(t.triplet));

describe.skipIf(missing.length > 0)('the docs note on struct layouts across targets', () => {
  for (const site of SITES) {
    it(`${site.page}: every cell is each column's gcc, every row differs`, () => {
      const notes = notesOf(readFileSync(site.page, 'utf8'));
      expect(notes.length).toBeGreaterThan(0);
      const tabled = notes.filter((n) => n.rows.length > 0);
      // vfio has pointers and unaligned __u64s (i386, arm differ); iommufd's __aligned_u64s lay out alike.
      expect(tabled.length > 0).toBe(site.tables);
      expect(tabled.every((n) => n.columns.length > 1 && n.rows.every((r) => r.cells.length === n.columns.length))).toBe(true);
      // The probes: per target, every expression of every cell of its column (bit-fields have no offsetof).
      const exprs = new Map<Target, string[]>(PACKAGE_TARGETS.map((t) => [t, []]));
      const add = (t: Target, e: string) => exprs.get(t)!.push(e);
      for (const n of notes) for (const t of PACKAGE_TARGETS) add(t, `sizeof(${n.cName})`);
      for (const n of tabled) {
        for (const r of n.rows) {
          expect(new Set(r.cells).size, `${n.cName} ${r.what}: a row that does not differ`).toBeGreaterThan(1);
          n.columns.forEach((col, i) => {
            if (/bits|none|not declared/.test(r.cells[i]!)) return;
            for (const name of col) for (const e of cellExpressions(n.cName, r.what)!.exprs) add(targetNamed(name)!, e);
          });
        }
      }
      const values = new Map<Target, Map<string, bigint>>();
      for (const [t, list] of exprs) {
        const unique = [...new Set(list)];
        const src = `#include <stddef.h>\n#include <${site.header}>\nPROBE unsigned long long values[] = {\n${unique.map((e) => `  ${e},`).join('\n')}\n};`;
        const bytes = objectsOf(t.triplet, src, [resolve('headers/v7.3')]).get('values')!;
        const d = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        values.set(t, new Map(unique.map((e, i) => [e, d.getBigUint64(i * 8, t.endian === 'little')])));
      }
      const wrong: string[] = [];
      for (const n of tabled) {
        for (const r of n.rows) {
          n.columns.forEach((col, i) => {
            const cell = r.cells[i]!;
            if (/bits|none|not declared/.test(cell)) return;
            const c = cellExpressions(n.cName, r.what)!;
            for (const name of col) {
              const t = targetNamed(name)!;
              const want = c.text(c.exprs.map((e) => values.get(t)!.get(e)!));
              if (want !== cell) wrong.push(`${n.cName} ${r.what} on ${name}: the page says ${cell}, gcc ${want}`);
            }
          });
        }
      }
      // Said to be the same everywhere: one size on every target's gcc.
      for (const n of notes.filter((x) => x.rows.length === 0)) {
        const sizes = new Set(PACKAGE_TARGETS.map((t) => values.get(t)!.get(`sizeof(${n.cName})`)));
        if (sizes.size !== 1) wrong.push(`${n.cName}: said to be the same on every target, gcc's sizes ${[...sizes].join(', ')}`);
        expect(n.summary).toMatch(/^The same size and offsets on every target/);
      }
      expect(wrong).toEqual([]);
    });
  }

  for (const site of SITES) {
    it(`${dirname(site.page)}: every ioctl page's request numbers per target are each target's gcc`, () => {
      const folder = dirname(site.page);
      const listed: { name: string; targets: string[]; request: string }[] = [];
      for (const f of readdirSync(folder).filter((x) => x.startsWith('ioctl-'))) {
        const html = readFileSync(join(folder, f), 'utf8');
        const name = /<h1 id="[^"]*">(\w+)/.exec(html)![1]!;
        const ul = /<ul class="requests">(.*?)<\/ul>/.exec(html);
        if (!ul) continue;
        for (const li of ul[1]!.matchAll(/<li>([^:]+): <code>([^<]+)<\/code><\/li>/g)) listed.push({ name, targets: li[1]!.split(/, | and /), request: li[2]! });
      }
      expect(listed.length).toBeGreaterThan(0); // ppc64le's encoding differs for every ioctl with a direction
      const wrong: string[] = [];
      for (const t of PACKAGE_TARGETS) {
        const mine = listed.filter((l) => l.targets.includes(t.name));
        const src = `#include <${site.header}>\nPROBE unsigned long long values[] = {\n${mine.map((l) => `  (unsigned long long)(${l.name}),`).join('\n')}\n};`;
        const bytes = objectsOf(t.triplet, src, [resolve('headers/v7.3')]).get('values')!;
        const d = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        mine.forEach((l, i) => {
          const gcc = `0x${d.getBigUint64(i * 8, t.endian === 'little').toString(16)}`;
          if (gcc !== l.request) wrong.push(`${l.name} on ${t.name}: the page says ${l.request}, gcc ${gcc}`);
        });
      }
      expect(wrong).toEqual([]);
    });
  }
});
