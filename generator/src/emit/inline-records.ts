// Nested records an encoder writes itself. A record field (or a short array of records) whose record is all plain
// scalars and short arrays joins its holder's one test and stores instead of calling the record's own encoder: a call
// per nested record, with its own test, room check and error path (`p + '.field'`, a string built on every call),
// cost the records holding them 1.6-1.8x a hand-written encoder (bench/codecs). Inline, every field of the holder and
// of its nested records is checked before any byte is written, and the slow path checks a nested record through its
// own codec (`rt.record`), which names the field in its errors as before.
import { UNROLL } from './loop-view.js';
import type { EncodeStep } from './views.js';

/**
 * A local holding a nested record (`array`: null) or an array of them (`array`: its length and its elements' input
 * type), read by `load` from the local of the record holding it. An omitted record reads as the runtime's empty
 * object, so its fields read as omitted and take the slow path; so does every element of an array holder that is no
 * array of `array` elements, which reads as the runtime's `MISFIT` (elements undefined). Either way the holder's one
 * test fails, as every record written inline has a scalar field (views.ts).
 */
export interface Holder {
  readonly local: string;
  readonly load: string;
  readonly array: { readonly length: number; readonly type: string } | null;
}

/** A field of the record (not of a nested one) written inline: its slow path checks it by its record's codec `fn`. */
export interface InlineCheck {
  readonly kind: 'inline';
  readonly prop: string;
  readonly fn: string;
  readonly length: number | null;
}

/**
 * A step of the encoder: the record's own field (`origin` null), or a nested record's field written inline (`origin`:
 * the record's field holding it), its `prop` made unique by its path (`channels$0$count`: `$` is in no C name, so no
 * field of the holder has it) and its offset the holder's.
 */
export interface FlatStep {
  readonly step: EncodeStep;
  /** Where the encoder reads the value: `v.flags`, `n_channels_0.count`. */
  readonly load: string;
  readonly origin: InlineCheck | null;
}

/** The encodable steps of record `fn` when it can be written inline (see the top of this file), else null. */
export type InlineLookup = (fn: string) => readonly EncodeStep[] | null;

/** `steps` with every record field that `lookup` allows replaced by its record's fields, and the locals they need. */
export function inlineRecords(steps: readonly EncodeStep[], lookup: InlineLookup): { steps: FlatStep[]; holders: Holder[] } {
  const out: FlatStep[] = [];
  const holders: Holder[] = [];
  const add = (list: readonly EncodeStep[], root: string, prefix: string, base: number, origin: InlineCheck | null): void => {
    for (const s of list) {
      const prop = prefix + s.prop;
      const load = `${root}.${s.prop}`;
      const inner = s.member ? null : s.kind === 'record' ? lookup(s.fn) : s.kind === 'array' && s.fn && s.length > 0 && s.length <= UNROLL ? lookup(s.fn) : null;
      if (inner && s.kind === 'record') {
        const local = `n_${prop}`;
        holders.push({ local, load: `${load} ?? rt.NONE`, array: null });
        add(inner, local, `${prop}$`, base + s.offset, origin ?? { kind: 'inline', prop: s.prop, fn: s.fn, length: null });
        continue;
      }
      if (inner && s.kind === 'array') {
        const local = `n_${prop}`;
        holders.push({ local, load, array: { length: s.length, type: `${s.fn}Init` } });
        const check = origin ?? { kind: 'inline', prop: s.prop, fn: s.fn!, length: s.length };
        for (let k = 0; k < s.length; k++) {
          holders.push({ local: `${local}$${k}`, load: `${local}[${k}] ?? rt.NONE`, array: null });
          add(inner, `${local}$${k}`, `${prop}$${k}$`, base + s.offset + k * s.stride, check);
        }
        continue;
      }
      out.push({ step: origin ? { ...s, prop, offset: base + s.offset } : s, load, origin });
    }
  };
  add(steps, 'v', '', 0, null);
  return { steps: out, holders };
}
