// Command line: `uapi-ts generate`, `uapi-ts ir`. Exit 0 ok, 1 input error, 2 usage error.
// Each command imports what it needs when it runs: module loading is a large part of a short run (bench/).
import { HeaderError, HeaderErrors, UsageError, formatLoc } from './diagnostics.js';
import type { PackageConfig } from './config.js';
import type { ImportSource } from './import/import.js';
import { TARGETS, targetNamed, type Target } from './model/target.js';
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const HELP = `uapi-ts: TypeScript packages from Linux UAPI headers

Usage:
  uapi-ts generate [--config FILE]             regenerate every package the config lists
                                               (default config: uapi-ts.config.json)
  uapi-ts generate HEADER... --out DIR [-I DIR]... [--profile FILE] [--version V] [--target T]...
                                               generate a package per header into DIR/<name>, with a
                                               layout for each --target (default: every target Node runs on)
  uapi-ts generate --tree DIR --out OUT [--system-includes] [--skip-failing] [--target T]...
                                               a package per linux/*.h of a UAPI tree (headers_install
                                               folder or usr/include) into OUT/<name>; nothing is written
                                               if one fails, unless --skip-failing; each --target's asm/ from
                                               the tree's <multiarch>/ folder (default: x86_64 alone)
  uapi-ts ir HEADER [-I DIR]... [--profile FILE] [--target T]
                                               print the model of HEADER and its annotations as JSON
                                               (docs/ir-schema.md)
  uapi-ts diff OLD NEW [--header PATH] [--json | --markdown] [-I DIR]... [--profile FILE] [--target T]
                                               the ABI changes from OLD to NEW: two header files, or two
                                               versions in headers/ (6.12 7.3); exit 1 when one breaks
  uapi-ts diff --target A --target B HEADER [-I DIR]... [--json | --markdown]
                                               the header's layouts for two targets: what a program built
                                               for B sees differently (x86_64 vs i386); exit 1 when they differ
  uapi-ts diff --tree OLD_DIR NEW_DIR [--json | --markdown] [--system-includes] [--quiet]
                                               one verdict per linux/*.h of two UAPI trees: added, removed,
                                               unchanged, compatible, breaking or not modelled; exit 1 when
                                               a header breaks
  uapi-ts import --version V (--file PATH | --tree DIR | --deb VERSION) [--header PATH]
                                               add headers/vV/PATH (the file's name, or --header) from a file, a
                                               kernel tree or headers_install folder, or Debian's
                                               linux-libc-dev=VERSION, and record its source in SOURCES.md
  uapi-ts import --deb (VERSION | FILE.deb) --out OUT
                                               a whole UAPI tree: linux-libc-dev's usr/include (every
                                               triplet's asm/ included) into the new folder OUT, for
                                               generate --tree and diff --tree
  uapi-ts --help | --version

Options:
  -I DIR         search DIR for #include files, like a C compiler (repeatable)
  --system-includes  then also the system's folders (the compiler's, /usr/include): libc headers such as
                 <sys/time.h> that a UAPI header includes
  --profile FILE the header family's conventions as JSON (README, "Profiles"); diff and import
                 use headers/NAME.profile.json for NAME.h when there is one
  --target T     the ABI to lay out for (ir, diff; default x86_64), or with generate each ABI the
                 package carries a layout for (repeatable): ${TARGETS.map((t) => t.name).join(', ')}
  --quiet        no progress output, and a count of warnings instead of each
  --header PATH  the header inside a version folder (diff, import)
  --headers-dir DIR  where versions live (diff, import; default headers)

Exit status: 0 success, 1 the input has an error (reported as file:line:col), 2 usage error.
diff: 0 no breaking change, 1 a breaking change (the report is on stdout; stderr ends with
'uapi-ts: N breaking changes') or a header error (only file:line:col messages, nothing on stdout), 2 usage error.
`;

interface Args {
  command: string;
  headers: string[];
  includeDirs: string[];
  profile?: string;
  out?: string;
  config?: string;
  version?: string;
  quiet: boolean;
  systemIncludes: boolean;
  skipFailing: boolean;
  header?: string;
  headersDir?: string;
  format?: 'text' | 'json' | 'markdown';
  file?: string;
  tree?: string;
  deb?: string;
  /**
   * --target, each time given (ir takes one; diff one, or two to compare the targets of one header; generate the
   * targets its packages carry layouts for).
   */
  targets: Target[];
}

function parseArgs(argv: readonly string[]): Args | 'help' | 'version' {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') return 'help';
  if (argv[0] === '--version' || argv[0] === '-V') return 'version';
  const args: Args = { command: argv[0]!, headers: [], includeDirs: [], quiet: false, systemIncludes: false, skipFailing: false, targets: [] };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '-I') args.includeDirs.push(value());
    else if (a.startsWith('-I') && a.length > 2) args.includeDirs.push(a.slice(2));
    else if (a === '--profile') args.profile = value();
    else if (a === '--hints') throw new UsageError('--hints is now --profile FILE (a profile file, headers/NAME.profile.json; README, "Profiles")');
    else if (a === '--out' || a === '-o') args.out = value();
    else if (a === '--config') args.config = value();
    else if (a === '--version') args.version = value();
    else if (a === '--quiet' || a === '-q') args.quiet = true;
    else if (a === '--system-includes') args.systemIncludes = true;
    else if (a === '--skip-failing') args.skipFailing = true;
    else if (a === '--header') args.header = value();
    else if (a === '--headers-dir') args.headersDir = value();
    else if (a === '--json' || a === '--markdown' || a === '--text') {
      const f = a.slice(2) as 'text' | 'json' | 'markdown';
      if (args.format && args.format !== f) throw new UsageError(`--${args.format} and ${a} exclude each other`);
      args.format = f;
    } else if (a === '--file') args.file = value();
    else if (a === '--tree') args.tree = value();
    else if (a === '--deb') args.deb = value();
    else if (a === '--target') args.targets.push(targetArg(value()));
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else args.headers.push(a);
  }
  return args;
}

/** The commands that lay a header out for a --target. */
const TARGET_COMMANDS = ['ir', 'diff', 'generate'];

function targetArg(name: string): Target {
  const t = targetNamed(name);
  if (!t) throw new UsageError(`unknown target '${name}'; known targets: ${TARGETS.map((x) => x.name).join(', ')}`);
  return t;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (args === 'version') {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
      process.stdout.write(`uapi-ts ${pkg.version}\n`);
      return 0;
    }
    warnMissingIncludeDirs(args.includeDirs);
    if (args.targets.length > 0 && !TARGET_COMMANDS.includes(args.command)) throw new UsageError(`--target goes with ${TARGET_COMMANDS.join(', ')}`);
    switch (args.command) {
      case 'ir': {
        if (args.headers.length !== 1) throw new UsageError('ir takes exactly one HEADER');
        const [{ loadModel }, { irJson }] = await Promise.all([import('./load.js'), import('./conventions/ir.js')]);
        if (args.targets.length > 1) throw new UsageError('ir takes one --target');
        const model = loadModel(args.headers[0]!, { includeDirs: args.includeDirs, profileFile: args.profile, systemIncludes: args.systemIncludes, target: args.targets[0] });
        process.stdout.write(JSON.stringify(irJson(model), null, 2) + '\n');
        printWarnings(model.warnings);
        return 0;
      }
      case 'generate': {
        const twice = args.targets.find((t, i) => args.targets.indexOf(t) !== i);
        if (twice) throw new UsageError(`generate: --target ${twice.name} is given twice`);
        if (args.tree !== undefined) return await runGenerateTree(args);
        if (args.skipFailing) throw new UsageError('--skip-failing goes with --tree');
        let packages: PackageConfig[];
        if (args.headers.length === 0) {
          if (args.out || args.includeDirs.length > 0 || args.profile || args.systemIncludes) throw new UsageError('-I, --system-includes, --profile and --out go with HEADER arguments; without them, generate reads the config');
          if (args.targets.length > 0) throw new UsageError('--target goes with HEADER arguments or --tree; a config entry names its targets in "targets"');
          const { readConfig } = await import('./config.js');
          packages = readConfig(args.config ?? 'uapi-ts.config.json');
        } else {
          if (!args.out) throw new UsageError('generate HEADER... needs --out DIR');
          packages = args.headers.map((h) => ({
            name: basename(h).replace(/\.h$/, '').replace(/_/g, '-'),
            header: h,
            includeDirs: args.includeDirs,
            profile: args.profile,
            out: `${args.out}/${basename(h).replace(/\.h$/, '').replace(/_/g, '-')}`,
            version: args.version ?? '0.0.0',
            kernel: null,
            systemIncludes: args.systemIncludes,
            targets: args.targets.length > 0 ? args.targets : undefined,
          }));
        }
        // Two packages in one folder: the second would overwrite the first (and the swap-in would fail).
        const outs = new Map<string, string>();
        for (const p of packages) {
          const other = outs.get(resolve(p.out));
          if (other !== undefined) throw new UsageError(`${other} and ${p.header} would both be written to ${p.out}: give them different --out folders (or config entries different 'out')`);
          outs.set(resolve(p.out), p.header);
        }
        const progress = args.quiet ? () => {} : (line: string) => process.stderr.write(line + '\n');
        const { generatePackages } = await import('./generate.js');
        const results = await generatePackages(packages, progress);
        printWarnings(results.flatMap((r) => r.warnings), args.quiet);
        return 0;
      }
      case 'diff':
        return await runDiff(args);
      case 'import':
        return await runImport(args);
      default:
        throw new UsageError(`unknown command '${args.command}' (try --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`uapi-ts: ${e.message}\n`);
      return 2;
    }
    if (e instanceof HeaderError || e instanceof HeaderErrors) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    if (e instanceof Error && e.name === 'OutputError') {
      process.stderr.write(`uapi-ts: ${e.message} (nothing was written)\n`);
      return 1;
    }
    throw e;
  }
}

/** An -I folder that does not exist is searched for nothing: likely a typo, so it is said (gcc is silent). */
function warnMissingIncludeDirs(dirs: readonly string[]): void {
  for (const d of dirs) {
    let ok = false;
    try {
      ok = statSync(d).isDirectory();
    } catch {
      // missing: said below
    }
    if (!ok) process.stderr.write(`uapi-ts: warning: -I ${d}: no such folder; ignored\n`);
  }
}

function printWarnings(warnings: readonly { loc: { file: string; line: number; col: number }; message: string }[], quiet = false): void {
  if (quiet) {
    if (warnings.length > 0) process.stderr.write(`uapi-ts: ${warnings.length} warnings (run without --quiet to see them)\n`);
    return;
  }
  for (const w of warnings) process.stderr.write(`${formatLoc(w.loc)}: warning: ${w.message}\n`);
}

async function runGenerateTree(args: Args): Promise<number> {
  if (!args.out) throw new UsageError('generate --tree DIR needs --out OUT');
  if (args.headers.length > 0 || args.includeDirs.length > 0 || args.profile || args.config) throw new UsageError('generate --tree takes no HEADER, -I, --profile or --config (-I is the tree)');
  const { generateTree } = await import('./generate-tree.js');
  const result = await generateTree({
    tree: args.tree!,
    out: args.out,
    version: args.version ?? '0.0.0',
    systemIncludes: args.systemIncludes,
    skipFailing: args.skipFailing,
    targets: args.targets.length > 0 ? args.targets : undefined,
    progress: args.quiet ? () => {} : (line) => process.stderr.write(line + '\n'),
  });
  printWarnings(result.warnings, args.quiet);
  // --skip-failing: the headers written are the result; the ones left out are listed, located, and counted.
  for (const e of result.failed) process.stderr.write(`${e.message}\n`);
  if (result.failed.length > 0) process.stderr.write(`uapi-ts: ${result.failed.length} headers not generated\n`);
  return 0;
}

async function runDiff(args: Args): Promise<number> {
  if (args.tree !== undefined) return await runDiffTree(args);
  if (args.targets.length > 1) return await runDiffTargets(args);
  if (args.headers.length !== 2) throw new UsageError('diff takes OLD and NEW (two header files or two versions in headers/)');
  if (args.out || args.config || args.version || args.file || args.tree || args.deb) throw new UsageError('diff takes no --out, --config, --version, --file, --tree or --deb');
  const [{ loadModel }, { diffModels, hasBreaking }, { formatJson, formatMarkdown, formatText }, { resolveDiffInputs }] = await Promise.all([
    import('./load.js'),
    import('./diff/diff.js'),
    import('./diff/format.js'),
    import('./diff/inputs.js'),
  ]);
  const inputs = resolveDiffInputs(args.headers[0]!, args.headers[1]!, {
    header: args.header,
    profile: args.profile,
    includeDirs: args.includeDirs,
    headersDir: args.headersDir,
  });
  const load = (s: typeof inputs.old) => loadModel(s.header, { includeDirs: s.includeDirs, profileFile: s.profile, systemIncludes: args.systemIncludes, target: args.targets[0] });
  const changes = diffModels(load(inputs.old), load(inputs.new));
  const labels = { header: inputs.header, from: inputs.old.label, to: inputs.new.label };
  const format = args.format ?? 'text';
  process.stdout.write(format === 'json' ? formatJson(changes) : format === 'markdown' ? formatMarkdown(changes, labels) : formatText(changes, labels));
  const breaking = changes.filter((c) => c.breaking).length;
  if (hasBreaking(changes)) {
    process.stderr.write(`uapi-ts: ${breaking} breaking change${breaking === 1 ? '' : 's'}\n`);
    return 1;
  }
  return 0;
}

/** `diff --target A --target B HEADER`: the header's layouts for two targets; exit 1 when they differ. */
async function runDiffTargets(args: Args): Promise<number> {
  if (args.targets.length !== 2 || args.headers.length !== 1) throw new UsageError('diff --target A --target B takes one HEADER (two targets of one header)');
  if (args.out || args.config || args.version || args.file || args.deb || args.header || args.headersDir) {
    throw new UsageError('diff --target A --target B takes no --out, --config, --version, --file, --deb, --header or --headers-dir');
  }
  const [a, b] = args.targets as [Target, Target];
  if (a === b) throw new UsageError(`diff: --target ${a.name} is given twice`);
  const [{ loadModel }, { diffModels }, { differenceCount, formatTargetsJson, formatTargetsMarkdown, formatTargetsText }] = await Promise.all([
    import('./load.js'),
    import('./diff/diff.js'),
    import('./diff/targets.js'),
  ]);
  const load = (target: Target) => loadModel(args.headers[0]!, { includeDirs: args.includeDirs, profileFile: args.profile, systemIncludes: args.systemIncludes, target });
  const changes = diffModels(load(a), load(b));
  const labels = { header: args.headers[0]!, a: a.name, b: b.name, endian: { a: a.endian, b: b.endian } };
  const format = args.format ?? 'text';
  process.stdout.write(format === 'json' ? formatTargetsJson(changes, labels) : format === 'markdown' ? formatTargetsMarkdown(changes, labels) : formatTargetsText(changes, labels));
  const n = differenceCount(changes, labels);
  if (n === 0) return 0;
  process.stderr.write(`uapi-ts: ${n} difference${n === 1 ? '' : 's'} between ${a.name} and ${b.name}\n`);
  return 1;
}

async function runDiffTree(args: Args): Promise<number> {
  if (args.headers.length !== 1) throw new UsageError('diff --tree takes OLD_DIR NEW_DIR (two UAPI trees)');
  if (args.out || args.config || args.version || args.file || args.deb || args.header || args.profile || args.includeDirs.length > 0) {
    throw new UsageError('diff --tree takes no --out, --config, --version, --file, --deb, --header, --profile or -I (-I is each tree)');
  }
  const [{ diffTrees, verdictLine, verdictSummary }, { formatTreeJson, formatTreeMarkdown }] = await Promise.all([import('./diff/tree.js'), import('./diff/tree-format.js')]);
  const verdicts = await diffTrees(args.tree!, args.headers[0]!, {
    systemIncludes: args.systemIncludes,
    headersDir: args.headersDir ?? 'headers',
    progress: args.quiet ? () => {} : (line) => process.stderr.write(line + '\n'),
  });
  const format = args.format ?? 'text';
  if (format === 'json') process.stdout.write(formatTreeJson(verdicts));
  else if (format === 'markdown') process.stdout.write(formatTreeMarkdown(verdicts, { from: args.tree!, to: args.headers[0]! }));
  else process.stdout.write(verdicts.map((v) => verdictLine(v) + '\n').join('') + verdictSummary(verdicts) + '\n');
  const breaking = verdicts.filter((v) => v.verdict === 'breaking').length;
  if (breaking > 0) {
    process.stderr.write(`uapi-ts: ${breaking} header${breaking === 1 ? '' : 's'} with breaking changes\n`);
    return 1;
  }
  return 0;
}

/** `import --deb VERSION|FILE.deb --out OUT`: a whole tree (import/deb-tree.ts). */
async function runImportTree(args: Args): Promise<number> {
  if (args.deb === undefined) throw new UsageError('import --out OUT (a whole tree) needs --deb VERSION or --deb FILE.deb');
  if (args.headers.length > 0 || args.version || args.header || args.file || args.tree || args.includeDirs.length > 0 || args.profile || args.config) {
    throw new UsageError('import --deb ... --out OUT (a whole tree) takes no --version, --header, --file, --tree, -I, --profile or --config');
  }
  const [{ DebError }, { importDebTree }] = await Promise.all([import('./import/deb.js'), import('./import/deb-tree.js')]);
  try {
    const result = importDebTree({ deb: args.deb, out: args.out!, progress: args.quiet ? () => {} : (line) => process.stderr.write(line + '\n') });
    process.stdout.write(`imported: ${args.out} (${result.headers} linux/*.h; asm/ for ${result.triplets.length} triplets)\n`);
    return 0;
  } catch (e) {
    if (e instanceof DebError) {
      process.stderr.write(`uapi-ts: ${e.message} (nothing was written)\n`);
      return 1;
    }
    throw e;
  }
}

async function runImport(args: Args): Promise<number> {
  if (args.out !== undefined) return await runImportTree(args);
  if (args.headers.length > 0) throw new UsageError(`import takes no positional arguments (got ${args.headers[0]}); use --file PATH`);
  if (!args.version) throw new UsageError('import needs --version V (the kernel version: 7.4, 6.13-rc1)');
  const sources = [args.file, args.tree, args.deb].filter((x) => x !== undefined);
  if (sources.length !== 1) throw new UsageError('import needs exactly one of --file PATH, --tree DIR, --deb VERSION');
  const source: ImportSource = args.file !== undefined ? { kind: 'file', path: args.file } : args.tree !== undefined ? { kind: 'tree', dir: args.tree } : { kind: 'deb', version: args.deb! };
  const progress = args.quiet ? () => {} : (line: string) => process.stderr.write(line + '\n');
  const [{ DebError }, { importHeader }] = await Promise.all([import('./import/deb.js'), import('./import/import.js')]);
  let result;
  try {
    result = await importHeader({
    version: args.version,
    header: args.header ?? seriesHeader(),
    source,
    headersDir: args.headersDir ?? 'headers',
    progress,
    });
  } catch (e) {
    if (e instanceof DebError) {
      process.stderr.write(`uapi-ts: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  process.stdout.write(`${result.status === 'unchanged' ? 'unchanged (identical file already there)' : 'imported'}: ${result.path}\n`);
  printWarnings(result.warnings);
  return 0;
}

/** import's default --header: the header series of uapi-ts.config.json (`"version": "auto"`), when there is one. */
function seriesHeader(): string {
  let series: string[] = [];
  try {
    const config = JSON.parse(readFileSync('uapi-ts.config.json', 'utf8')) as { packages?: { header?: unknown; version?: unknown }[] };
    series = [...new Set((config.packages ?? []).filter((p) => p.version === 'auto' && typeof p.header === 'string').map((p) => p.header as string))];
  } catch {
    // no config here: --header is needed
  }
  if (series.length !== 1) {
    const which = series.length > 1 ? `; the config's series: ${series.join(', ')}` : '';
    throw new UsageError(`import needs --header PATH (the header inside the version folder, e.g. linux/foo.h${which})`);
  }
  return series[0]!;
}
