// Located errors: everything the generator cannot model exactly is reported as file:line:col and a sentence.

export interface Loc {
  readonly file: string; // path as given on the command line or relative to the repo, never absolute in output
  readonly line: number; // 1-based
  readonly col: number; // 1-based
}

export function formatLoc(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/**
 * A message as one line of text: a diagnostic is one `file:line:col: message` line, but messages quote header
 * text, which may hold line breaks or control characters (a CR would send a terminal back over the location).
 */
export function oneLine(message: string): string {
  return message.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** An input error: the header holds something we cannot model exactly. */
export class HeaderError extends Error {
  readonly reason: string;

  constructor(
    readonly loc: Loc,
    reason: string,
  ) {
    super(`${formatLoc(loc)}: ${oneLine(reason)}`);
    this.name = 'HeaderError';
    this.reason = oneLine(reason);
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
