// Statistics of the bench guest's figures. The host under a TCG guest is shared and its load comes in spells, so
// the TypeScript and C sides run in many short alternating rounds and are compared round by round: the ratio
// reported is the median over rounds of (TypeScript's median / C's median) in that round, which a spell that hits
// a round hits on both sides alike.

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One round's samples of each side. */
export interface Round {
  readonly ts: readonly number[];
  readonly c: readonly number[];
}

/** The median over rounds of each round's TypeScript-to-C ratio of medians. */
export function pairedRatio(rounds: readonly Round[]): number {
  return Number(median(rounds.map((r) => median(r.ts) / median(r.c))).toFixed(3));
}
