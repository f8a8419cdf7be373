// What every profile key's check shares: the failure callback (it throws a located error at a key path) and the
// object test JSON values need.
export type Fail = (path: readonly string[], message: string) => never;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
