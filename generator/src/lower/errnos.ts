// What the header's own text says each errno means: the general list in a DOC section ("- ENOTTY: ...")
// and sentences in an ioctl's argument struct that name an errno ("will return -ENOSPC and ...").
import { ERRNO_NAMES } from '../model/errno-table.js';
import type { Doc, ErrnoDoc } from '../model/types.js';

const KNOWN = new Set(ERRNO_NAMES.values());

/** Bullet lists of the form `- ENAME: meaning` (continued on indented lines) in DOC sections. */
export function generalErrnoDocs(docs: readonly Doc[]): ErrnoDoc[] {
  const out: ErrnoDoc[] = [];
  for (const doc of docs) {
    const lines = doc.description.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\s*)-\s+(E[A-Z0-9]+):\s*(.*)$/.exec(lines[i]!);
      if (!m || !KNOWN.has(m[2]!)) continue;
      const indent = m[1]!.length;
      const text = [m[3]!.trim()];
      while (i + 1 < lines.length && /^\s*\S/.test(lines[i + 1]!) && lines[i + 1]!.search(/\S/) > indent + 1 && !/^\s*-\s/.test(lines[i + 1]!)) {
        text.push(lines[++i]!.trim());
      }
      if (!out.some((e) => e.name === m[2])) out.push({ name: m[2]!, text: text.join(' ') });
    }
  }
  return out;
}

/** Sentences of a struct's kernel-doc (description and members) that name an errno. */
export function specificErrnoDocs(doc: Doc | null): ErrnoDoc[] {
  if (!doc) return [];
  const out: ErrnoDoc[] = [];
  const texts = [doc.description, ...doc.members.map((m) => m.text)];
  for (const text of texts) {
    const flat = text.replace(/\s+/g, ' ');
    for (const sentence of flat.split(/(?<=\.)\s+(?=[A-Z(@-])/)) {
      for (const m of sentence.matchAll(/-?\b(E[A-Z0-9]{2,})\b/g)) {
        const name = m[1]!;
        if (!KNOWN.has(name)) continue;
        const existing = out.find((e) => e.name === name);
        if (!existing) out.push({ name, text: sentence.trim() });
      }
    }
  }
  return out;
}
