// Where each character of a preprocessed text came from in the header it was made from: tree-sitter reads the
// preprocessed text, every location it gives is mapped back so that errors point into the real header.
import type { Loc } from '../diagnostics.js';

interface Segment {
  readonly outStart: number;
  readonly srcStart: number;
  /** Copied text: offsets inside it map one to one. Otherwise (a macro's expansion) all of it maps to srcStart. */
  readonly copied: boolean;
}

export class SourceMap {
  private readonly segments: Segment[] = [];
  private readonly lineStarts: number[];

  constructor(
    readonly file: string,
    source: string,
  ) {
    this.lineStarts = [0];
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** Records that the output from `outStart` on comes from `srcStart` of the source. */
  add(outStart: number, srcStart: number, copied: boolean): void {
    const last = this.segments[this.segments.length - 1];
    if (last && last.copied && copied && srcStart - last.srcStart === outStart - last.outStart) return; // continues it
    if (last && last.outStart === outStart) this.segments.pop();
    this.segments.push({ outStart, srcStart, copied });
  }

  /** Whether `other`, a map of the same source text, maps every output offset to the same place. */
  sameAs(other: SourceMap): boolean {
    const a = this.segments;
    const b = other.segments;
    if (this.file !== other.file || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (a[i]!.outStart !== b[i]!.outStart || a[i]!.srcStart !== b[i]!.srcStart || a[i]!.copied !== b[i]!.copied) return false;
    }
    return true;
  }

  /** The source offset of a source location (line and column as tokenize() counts them). */
  offsetOf(loc: Loc): number {
    return (this.lineStarts[loc.line - 1] ?? 0) + loc.col - 1;
  }

  /** The source location of source offset `at`. */
  sourceLoc(at: number): Loc {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, col: at - this.lineStarts[lo]! + 1 };
  }

  /** The source location of output offset `at`. */
  locate(at: number): Loc {
    const s = this.segments;
    if (s.length === 0) return this.sourceLoc(0);
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]!.outStart <= at) lo = mid;
      else hi = mid - 1;
    }
    const seg = s[lo]!;
    return this.sourceLoc(seg.copied ? seg.srcStart + Math.max(0, at - seg.outStart) : seg.srcStart);
  }
}
