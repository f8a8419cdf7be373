// Located errors: everything the generator cannot model exactly is reported as file:line:col and a sentence.

export interface Loc {
  readonly file: string; // path as given on the command line or relative to the repo, never absolute in output
  readonly line: number; // 1-based
  readonly col: number; // 1-based
}

export function formatLoc(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** An input error: the header holds something we cannot model exactly. */
export class HeaderError extends Error {
  constructor(
    readonly loc: Loc,
    readonly reason: string,
  ) {
    super(`${formatLoc(loc)}: ${reason}`);
    this.name = 'HeaderError';
  }
}

/** Several input errors found in one run, reported together. */
export class HeaderErrors extends Error {
  constructor(readonly errors: readonly HeaderError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'HeaderErrors';
  }
}

/** A usage error (bad command line or config): exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Warning {
  readonly loc: Loc;
  readonly message: string;
}
