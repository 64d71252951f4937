// The `wix-uac` command line: argument parsing, the commands, and exit codes. A thin adapter:
// the engine decides what is analysed and found; this file decides only how it is shown.
import * as nodeFs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { Engine } from '../engine/engine';
import { NodeFileSystem } from '../engine/fs';
import { allRules } from '../engine/rules';
import type { Finding } from '../engine/types';
import { formatters } from './format';
import { formatInspection, formatSourceInspection, inspectSource, SOURCE_EXTENSIONS } from './inspect';
import { countBySeverity, relativePath } from './format/report';

export const EXIT_OK = 0;
/** An error-level finding, or more warnings than --max-warnings allows. */
export const EXIT_FINDINGS = 1;
/** Bad command line, missing path, or the analysis could not run. */
export const EXIT_USAGE = 2;

export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  stdoutIsTTY: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
}

const HELP = `Usage: wix-uac <command> [options]

Tells whether WiX products can be patched by non-administrators without a UAC prompt.

Commands:
  lint [paths...]         Analyse the given files and folders (default: the current folder):
                          WiX sources and projects, .msi/.msp packages, folders of .idt files
  inspect <file>          Show a package, patch or .idt folder: summary information, tables,
                          signature, verdict, and whether its target products trust the signer.
                          On a WiX source or a publishing manifest (.sdp): the targets of each
                          <Patch>, its built .msp and their state, and the file's findings
  extract-cert <file>     Write the certificate that signed a .msp or .msi (DER) to -o <file.cer>
  rules                   List the rules with their default severity

Options of lint:
  -f, --format <format>   Output format: ${[...formatters.keys()].join(', ')} (default: text)
      --max-warnings <n>  Exit with status 1 when there are more than n warnings (default: no limit)
      --no-color          No colours in text output (also when NO_COLOR is set or output is not a terminal)

Options of inspect:
  -f, --format <format>   text or json (default: text)
      --table <name>      Show only this table
      --roots <folder>    Where to look for target products and built patches (default: the current folder)

Options of extract-cert:
  -o, --output <file>     Where to write the certificate (default: <file>.signer.cer)

  -h, --help              Show this help
  -v, --version           Show the version

Settings come from the nearest wix-uac.json in a file's folder or above.
Exit status: 0 no errors and warnings within the limit, 1 otherwise, 2 usage or input error.
`;

class UsageError extends Error {}

/** Runs one command line and returns the exit status. Never throws. */
export function run(args: readonly string[], io: CliIo): number {
  try {
    const [command, ...rest] = args;
    if (command === 'lint') return lint(rest, io);
    if (command === 'rules') return listRules(rest, io);
    if (command === 'inspect') return inspect(rest, io);
    if (command === 'extract-cert') return extractCertificate(rest, io);
    if (command === undefined) throw new UsageError('missing command: lint, inspect, extract-cert or rules');
    if (!command.startsWith('-')) throw new UsageError(`unknown command "${command}": use lint, inspect, extract-cert or rules`);
    const { values } = parse(args, { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } }, false);
    io.stdout(values.version ? `${toolVersion()}\n` : HELP);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`wix-uac: ${error.message}. Run "wix-uac --help" for usage.\n`);
    } else {
      io.stderr(`wix-uac: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return EXIT_USAGE;
  }
}

function lint(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse(
    args,
    {
      format: { type: 'string', short: 'f', default: 'text' },
      'max-warnings': { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const formatter = formatters.get(values.format);
  if (!formatter) throw new UsageError(`unknown format "${values.format}": use ${[...formatters.keys()].join(', ')}`);
  const maxWarnings = parseMaxWarnings(values['max-warnings']);
  const fs = new NodeFileSystem();
  const roots = (positionals.length > 0 ? positionals : ['.']).map((given) => {
    const root = path.resolve(io.cwd, given);
    if (!fs.exists(root)) throw new Error(`no such file or folder: ${given}`);
    return root;
  });

  const result = new Engine(fs).analyze({ roots });
  for (const notice of result.notices) {
    const where = notice.range ? `:${notice.range.start.line + 1}:${notice.range.start.character + 1}` : '';
    io.stderr(`${relativePath(notice.file, io.cwd)}${where}: ${notice.message}\n`);
  }
  const color = !values['no-color'] && io.stdoutIsTTY && !io.env.NO_COLOR;
  io.stdout(formatter({ files: result.files, findings: result.findings, cwd: io.cwd }, { color, version: toolVersion() }));
  return exitStatus(result.findings, maxWarnings);
}

function inspect(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse(
    args,
    { format: { type: 'string', short: 'f', default: 'text' }, table: { type: 'string' }, roots: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`unknown format "${values.format}": use text or json`);
  const file = singleFile(positionals, 'inspect', io);
  const roots = (values.roots ?? ['.']).map((root) => path.resolve(io.cwd, root));
  if (SOURCE_EXTENSIONS.test(file)) {
    const inspection = inspectSource(new Engine(new NodeFileSystem()), file, roots);
    io.stdout(values.format === 'json' ? `${JSON.stringify(inspection, null, 2)}\n` : formatSourceInspection(inspection, relativePath(file, io.cwd)));
    return EXIT_OK;
  }
  const inspection = new Engine(new NodeFileSystem()).inspect(file, { roots, table: values.table });
  if (values.table !== undefined && !inspection.error && inspection.tables.length === 0) throw new Error(`${positionals[0]} has no table "${values.table}"`);
  io.stdout(values.format === 'json' ? `${JSON.stringify(inspection, null, 2)}\n` : formatInspection(inspection, relativePath(file, io.cwd)));
  return inspection.error ? EXIT_FINDINGS : EXIT_OK;
}

function extractCertificate(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse(args, { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const file = singleFile(positionals, 'extract-cert', io);
  const result = new Engine(new NodeFileSystem()).readPackage(file);
  if (!result.ok) throw new Error(`${positionals[0]} cannot be read: ${result.reason}`);
  const signer = result.model.signature?.signer;
  if (!signer) {
    const state = result.model.signature?.state;
    throw new Error(`${positionals[0]} ${state === 'invalid' ? `has a signature without a readable signer certificate (${result.model.signature?.problems.join('; ')})` : 'is not signed'}`);
  }
  const output = path.resolve(io.cwd, values.output ?? `${path.basename(file)}.signer.cer`);
  nodeFs.writeFileSync(output, signer.der);
  io.stdout(`${relativePath(output, io.cwd)}: ${signer.subject} (SHA-1 ${signer.sha1})\n`);
  return EXIT_OK;
}

function singleFile(positionals: string[], command: string, io: CliIo): string {
  if (positionals.length !== 1) throw new UsageError(`${command} takes one file`);
  const file = path.resolve(io.cwd, positionals[0]);
  if (!nodeFs.existsSync(file)) throw new Error(`no such file or folder: ${positionals[0]}`);
  return file;
}

function listRules(args: readonly string[], io: CliIo): number {
  const { values } = parse(args, { help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const idWidth = Math.max(...allRules.map((rule) => rule.id.length));
  const severityWidth = Math.max(...allRules.map((rule) => rule.defaultSeverity.length));
  io.stdout(allRules.map((rule) => `${rule.id.padEnd(idWidth)}  ${rule.defaultSeverity.padEnd(severityWidth)}  ${rule.description}\n`).join(''));
  return EXIT_OK;
}

/** 1 when any finding is an error or the warnings exceed the limit (no limit when undefined). */
export function exitStatus(findings: readonly Finding[], maxWarnings?: number): number {
  const counts = countBySeverity(findings);
  const tooManyWarnings = maxWarnings !== undefined && counts.warning > maxWarnings;
  return counts.error > 0 || tooManyWarnings ? EXIT_FINDINGS : EXIT_OK;
}

function parseMaxWarnings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-warnings needs a whole number of 0 or more, not "${value}"`);
  return Number(value);
}

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<T extends OptionSpec>(args: readonly string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    // parseArgs reports unknown options and missing values as ERR_PARSE_ARGS_* errors with a clear message.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError((error as Error).message.replace(/\.$/, ''));
    throw error;
  }
}

/** The version in wix-uac's package.json, found from this file's folder up (dist/ when bundled, out/… in tests). */
export function toolVersion(): string {
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    try {
      const manifest = JSON.parse(nodeFs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'wix-uac' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // No readable package.json here; keep looking above.
    }
    if (path.dirname(folder) === folder) return 'unknown';
  }
}
