// Command line: `uapi-ts generate`, `uapi-ts ir`. Exit 0 ok, 1 input error, 2 usage error.
import { HeaderError, HeaderErrors, UsageError, formatLoc } from './diagnostics.js';
import { readConfig, type PackageConfig } from './config.js';
import { generatePackages } from './emit/generate.js';
import { loadModel } from './load.js';
import { modelJson } from './model/json.js';
import { basename } from 'node:path';

const HELP = `uapi-ts: TypeScript packages from Linux UAPI headers

Usage:
  uapi-ts generate [--config FILE]             regenerate every package the config lists
                                               (default config: uapi-ts.config.json)
  uapi-ts generate HEADER... --out DIR [-I DIR]... [--hints FILE] [--version V]
                                               generate a package per header into DIR/<name>
  uapi-ts ir HEADER [-I DIR]... [--hints FILE] print the model of HEADER as JSON (docs/ir-schema.md)
  uapi-ts --help

Options:
  -I DIR         search DIR for #include files, like a C compiler (repeatable)
  --hints FILE   JSON with what the header's text does not say (README, "Hints")
  --quiet        no progress output

Exit status: 0 success, 1 the input has an error (reported as file:line:col), 2 usage error.
`;

interface Args {
  command: string;
  headers: string[];
  includeDirs: string[];
  hints?: string;
  out?: string;
  config?: string;
  version?: string;
  quiet: boolean;
}

function parseArgs(argv: readonly string[]): Args | 'help' {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') return 'help';
  const args: Args = { command: argv[0]!, headers: [], includeDirs: [], quiet: false };
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
    else if (a === '--hints') args.hints = value();
    else if (a === '--out' || a === '-o') args.out = value();
    else if (a === '--config') args.config = value();
    else if (a === '--version') args.version = value();
    else if (a === '--quiet' || a === '-q') args.quiet = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else args.headers.push(a);
  }
  return args;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    switch (args.command) {
      case 'ir': {
        if (args.headers.length !== 1) throw new UsageError('ir takes exactly one HEADER');
        const model = loadModel(args.headers[0]!, { includeDirs: args.includeDirs, hintsFile: args.hints });
        process.stdout.write(JSON.stringify(modelJson(model), null, 2) + '\n');
        printWarnings(model.warnings);
        return 0;
      }
      case 'generate': {
        let packages: PackageConfig[];
        if (args.headers.length === 0) {
          if (args.out || args.includeDirs.length > 0 || args.hints) throw new UsageError('-I, --hints and --out go with HEADER arguments; without them, generate reads the config');
          packages = readConfig(args.config ?? 'uapi-ts.config.json');
        } else {
          if (!args.out) throw new UsageError('generate HEADER... needs --out DIR');
          packages = args.headers.map((h) => ({
            name: basename(h).replace(/\.h$/, '').replace(/_/g, '-'),
            header: h,
            includeDirs: args.includeDirs,
            hints: args.hints,
            out: `${args.out}/${basename(h).replace(/\.h$/, '').replace(/_/g, '-')}`,
            version: args.version ?? '0.0.0',
            kernel: null,
          }));
        }
        const progress = args.quiet ? () => {} : (line: string) => process.stderr.write(line + '\n');
        const results = generatePackages(packages, progress);
        for (const r of results) printWarnings(r.warnings);
        return 0;
      }
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
    throw e;
  }
}

function printWarnings(warnings: readonly { loc: { file: string; line: number; col: number }; message: string }[]): void {
  for (const w of warnings) process.stderr.write(`${formatLoc(w.loc)}: warning: ${w.message}\n`);
}
