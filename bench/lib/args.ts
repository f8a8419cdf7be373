// Command-line options of the benchmark scripts, given as `--name value`.

/** The value after `name` in the arguments, or undefined when `name` is not there. */
export function option(name: string, argv: readonly string[] = process.argv.slice(2)): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}
