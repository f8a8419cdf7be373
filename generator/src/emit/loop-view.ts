// Nested loops over an array field, one level per C dimension (`__u8 fpr[8][16]`: two), for the templates that
// check, write and read long and multi-dimensional arrays (templates/partials/*_loop.hbs). The loops are written
// out in each codec rather than run by a runtime helper with a callback per element: a closure called per
// element cost 4-7x a plain loop (bench/codecs, on a record of two 2-D byte arrays).
import type { EncodeStep } from './views.js';

/** The innermost element: where it is and how it is stored. */
export interface LoopLeaf {
  readonly offset: number; // of the array's first element
  /** The element's offset past `offset`: `i * 16 + j`, as the templates' `at.hbs` prints an index of stride 1. */
  readonly at: string;
}

export interface LoopLevel {
  readonly index: string; // i, j, k, ...
  readonly length: number;
  /** The array this level walks: the field's local at the top, the row of the level above below it. */
  readonly array: string;
  /** Its element's local when that is an array in turn (the next level walks it), else null. */
  readonly row: string | null;
  /** The decoded TS type of `row` (`number[]`), for the decoder's `new Array`. */
  readonly rowType: string | null;
  readonly inner: LoopLevel | null;
  readonly leaf: LoopLeaf | null; // on the innermost level
  /**
   * The innermost level of a grid, when short: each element's index and place (`o + offset + at`), for an encoder
   * that tests and writes a row's elements unrolled rather than in a loop (a loop per row of 16 bytes cost a record of
   * two byte grids 1.9x a hand-written encoder, unrolled 1.2x: bench/codecs); else null.
   */
  readonly cells: readonly { readonly index: number; readonly offset: number; readonly at: string }[] | null;
  /** Columns the level's lines are indented by where a template includes it (the `fits` helper adds them). */
  readonly indent: number;
}

const INDICES = ['i', 'j', 'k', 'l', 'm', 'n'];
/**
 * Arrays, grid rows and arrays of inlined records of up to this many elements are tested and written unrolled, not in
 * a loop (the runtime's ZEROS and MISFIT, which encoders read such arrays as, have this many elements; the test of
 * that is test/runtime/stand-ins.test.ts).
 */
export const UNROLL = 16;

/**
 * Loops over `local`, an array of C lengths `dims` whose scalars (or records) of `stride` bytes start at `offset`;
 * `leafType` is the decoded TS type of one element.
 */
export function loopOver(local: string, dims: readonly number[], offset: number, stride: number, leafType: string): LoopLevel {
  const index = (depth: number) => INDICES[depth] ?? `i${depth}`;
  // each level's step in bytes: the product of the lengths inside it, times the element's size
  const steps = dims.map((_, depth) => dims.slice(depth + 1).reduce((n, d) => n * d, stride));
  const term = (depth: number) => (steps[depth] === 1 ? index(depth) : `${index(depth)} * ${steps[depth]}`);
  const at = dims.map((_, depth) => term(depth)).join(' + ');
  const outer = dims.slice(0, -1).map((_, depth) => term(depth)).join(' + '); // the row's place
  const rowName = (depth: number) => (depth === 1 ? 'row' : `row${depth}`);
  const level = (depth: number, array: string): LoopLevel => {
    const last = depth === dims.length - 1;
    const row = last ? null : rowName(depth + 1);
    return {
      index: index(depth),
      length: dims[depth]!,
      array,
      row,
      rowType: last ? null : `${leafType}${'[]'.repeat(dims.length - depth - 1)}`,
      inner: row === null ? null : level(depth + 1, row),
      leaf: last ? { offset, at } : null,
      cells: last && depth > 0 && dims[depth]! <= UNROLL ? Array.from({ length: dims[depth]! }, (_, k) => ({ index: k, offset: offset + k * stride, at: outer })) : null,
      indent: 4 + 2 * depth, // the templates include the top level inside one block
    };
  };
  return level(0, local);
}

/**
 * The decoder's loops for a field read as a loop (a grid, or an array longer than `short`) and the type of the
 * local it fills; null for fields read in the object literal itself.
 */
export function decodeLoop(step: EncodeStep, short: number): { readonly loop: LoopLevel; readonly type: string } | null {
  const local = `v_${step.prop}`;
  if (step.kind === 'grid') return { loop: loopOver(local, step.dims, step.offset, step.stride, step.a.tsType), type: step.tsType };
  if (step.kind === 'recordGrid') return { loop: loopOver(local, step.dims, step.offset, step.stride, step.fn), type: step.tsType };
  if (step.kind !== 'array' || step.length <= short) return null;
  const element = step.a ? step.a.tsType : step.fn!;
  return { loop: loopOver(local, [step.length], step.offset, step.stride, element), type: `${element}[]` };
}
