// For tests that inspect an error rather than only expect one: what `f` threw, or undefined if it returned.
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}
