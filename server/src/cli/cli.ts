// The `wix-uac` command line: argument parsing, the commands, and exit codes. A thin adapter:
// the engine decides what is analysed and found; this file decides only how it is shown.
import * as l10n from '@vscode/l10n';
import * as nodeFs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { Engine } from '../engine/engine';
import { NodeFileSystem } from '../engine/fs';
import { localeFromEnvironment, setLocale, supportedLanguages } from '../engine/l10n';
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

/** The help, in the language of the run; terms stay as typed, descriptions are wrapped to the terminal's usual width. */
function help(): string {
  const section = (title: string, rows: [string, string][]): string[] => [title, ...rows.flatMap(([term, description]) => helpRow(term, description)), ''];
  return [
    l10n.t('Usage: {0}', 'wix-uac [--locale <tag>] <command> [options]'),
    '',
    l10n.t('Tells whether WiX products can be patched by non-administrators without a UAC prompt.'),
    '',
    ...section(l10n.t('Commands:'), [
      ['lint [paths...]', l10n.t('Analyse the given files and folders (default: the current folder): WiX sources and projects, .msi/.msp packages, folders of .idt files')],
      [
        'inspect <file>',
        l10n.t("Show a package, patch or .idt folder: summary information, tables, signature, verdict, and whether its target products trust the signer. On a WiX source or a publishing manifest (.sdp): the targets of each <Patch>, its built .msp and their state, and the file's findings"),
      ],
      ['extract-cert <file>', l10n.t('Write the certificate that signed a .msp or .msi (DER) to {0}', '-o <file.cer>')],
      ['rules', l10n.t('List the rules with their default severity')],
    ]),
    ...section(l10n.t('Options of {0}:', 'lint'), [
      ['-f, --format <format>', l10n.t('Output format: {0} (default: {1})', [...formatters.keys()].join(', '), 'text')],
      ['    --max-warnings <n>', l10n.t('Exit with status 1 when there are more than n warnings (default: no limit)')],
      ['    --no-color', l10n.t('No colours in text output (also when NO_COLOR is set or output is not a terminal)')],
    ]),
    ...section(l10n.t('Options of {0}:', 'inspect'), [
      ['-f, --format <format>', l10n.t('{0} or {1} (default: {0})', 'text', 'json')],
      ['    --table <name>', l10n.t('Show only this table')],
      ['    --roots <folder>', l10n.t('Where to look for target products and built patches (default: the current folder)')],
    ]),
    ...section(l10n.t('Options of {0}:', 'extract-cert'), [['-o, --output <file>', l10n.t('Where to write the certificate (default: {0})', '<file>.signer.cer')]]),
    ...section(l10n.t('Options of every command:'), [
      [
        '    --locale <tag>',
        l10n.t('Language of the messages: {0}; others get English (default: the LC_ALL, LC_MESSAGES or LANG environment variable)', supportedLanguages().join(', ')),
      ],
      ['-h, --help', l10n.t('Show this help')],
      ['-v, --version', l10n.t('Show the version')],
    ]),
    l10n.t("Settings come from the nearest {0} in a file's folder or above.", 'wix-uac.json'),
    l10n.t('Exit status: 0 no errors and warnings within the limit, 1 otherwise, 2 usage or input error.'),
    '',
  ].join('\n');
}

const HELP_TERM_WIDTH = 22;
const HELP_WIDTH = 100;

/** "  term                    description…", the description wrapped under itself. */
function helpRow(term: string, description: string): string[] {
  const indent = ' '.repeat(2 + HELP_TERM_WIDTH + 2);
  const lines: string[] = [];
  let line = '';
  for (const word of description.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  const first = term.length > HELP_TERM_WIDTH ? [`  ${term}`, `${indent}${lines[0]}`] : [`  ${term.padEnd(HELP_TERM_WIDTH)}  ${lines[0]}`];
  return [...first, ...lines.slice(1).map((rest) => `${indent}${rest}`)];
}

class UsageError extends Error {}

/**
 * Runs one command line and returns the exit status. Never throws. Messages are in the language
 * of `--locale`, else of the environment (LC_ALL, LC_MESSAGES, LANG, LANGUAGE), else English.
 */
export function run(args: readonly string[], io: CliIo): number {
  setLocale(localeFromEnvironment(io.env));
  try {
    const { locale, rest: commandLine } = takeLocaleOption(args);
    if (locale !== undefined) setLocale(locale);
    const [command, ...rest] = commandLine;
    if (command === 'lint') return lint(rest, io);
    if (command === 'rules') return listRules(rest, io);
    if (command === 'inspect') return inspect(rest, io);
    if (command === 'extract-cert') return extractCertificate(rest, io);
    if (command === undefined) throw new UsageError(l10n.t('missing command: lint, inspect, extract-cert or rules'));
    if (!command.startsWith('-')) throw new UsageError(l10n.t('unknown command "{0}": use lint, inspect, extract-cert or rules', command));
    const { values } = parse(commandLine, { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } }, false);
    io.stdout(values.version ? `${toolVersion()}\n` : help());
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`wix-uac: ${l10n.t('{0}. Run "{1}" for usage.', error.message, 'wix-uac --help')}\n`);
    } else {
      io.stderr(`wix-uac: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return EXIT_USAGE;
  }
}

/**
 * `--locale <tag>` (or `--locale=<tag>`) anywhere before `--`, taken out so the commands never see
 * it. A tag is a BCP 47 tag (`es`, `es-MX`) or a POSIX locale (`es_ES.UTF-8`).
 */
function takeLocaleOption(args: readonly string[]): { locale?: string; rest: string[] } {
  const rest: string[] = [];
  let locale: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--') {
      rest.push(...args.slice(index));
      break;
    }
    if (arg !== '--locale' && !arg.startsWith('--locale=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--locale' ? args[++index] : arg.slice('--locale='.length);
    if (value === undefined || !/^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*(?:\.[\w-]+)?(?:@\w+)?$/.test(value)) {
      throw new UsageError(l10n.t('{0} needs a language tag such as {1} or {2}', '--locale', 'es', 'en-US'));
    }
    locale = value;
  }
  return { ...(locale !== undefined ? { locale } : {}), rest };
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
    io.stdout(help());
    return EXIT_OK;
  }
  const formatter = formatters.get(values.format);
  if (!formatter) throw new UsageError(l10n.t('unknown format "{0}": use {1}', values.format, [...formatters.keys()].join(', ')));
  const maxWarnings = parseMaxWarnings(values['max-warnings']);
  const fs = new NodeFileSystem();
  const roots = (positionals.length > 0 ? positionals : ['.']).map((given) => {
    const root = path.resolve(io.cwd, given);
    if (!fs.exists(root)) throw new Error(l10n.t('no such file or folder: {0}', given));
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
    io.stdout(help());
    return EXIT_OK;
  }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(l10n.t('unknown format "{0}": use text or json', values.format));
  const file = singleFile(positionals, 'inspect', io);
  const roots = (values.roots ?? ['.']).map((root) => path.resolve(io.cwd, root));
  if (SOURCE_EXTENSIONS.test(file)) {
    const inspection = inspectSource(new Engine(new NodeFileSystem()), file, roots);
    io.stdout(values.format === 'json' ? `${JSON.stringify(inspection, null, 2)}\n` : formatSourceInspection(inspection, relativePath(file, io.cwd)));
    return EXIT_OK;
  }
  const inspection = new Engine(new NodeFileSystem()).inspect(file, { roots, table: values.table });
  if (values.table !== undefined && !inspection.error && inspection.tables.length === 0) throw new Error(l10n.t('{0} has no table "{1}"', positionals[0], values.table));
  io.stdout(values.format === 'json' ? `${JSON.stringify(inspection, null, 2)}\n` : formatInspection(inspection, relativePath(file, io.cwd)));
  return inspection.error ? EXIT_FINDINGS : EXIT_OK;
}

function extractCertificate(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse(args, { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    io.stdout(help());
    return EXIT_OK;
  }
  const file = singleFile(positionals, 'extract-cert', io);
  const result = new Engine(new NodeFileSystem()).readPackage(file);
  if (!result.ok) throw new Error(l10n.t('{0} cannot be read: {1}', positionals[0], result.reason));
  const signer = result.model.signature?.signer;
  if (!signer) {
    const signature = result.model.signature;
    throw new Error(
      signature?.state === 'invalid'
        ? l10n.t('{0} has a signature without a readable signer certificate ({1})', positionals[0], signature.problems.join('; '))
        : l10n.t('{0} is not signed', positionals[0]),
    );
  }
  const output = path.resolve(io.cwd, values.output ?? `${path.basename(file)}.signer.cer`);
  nodeFs.writeFileSync(output, signer.der);
  io.stdout(`${relativePath(output, io.cwd)}: ${signer.subject} (SHA-1 ${signer.sha1})\n`);
  return EXIT_OK;
}

function singleFile(positionals: string[], command: string, io: CliIo): string {
  if (positionals.length !== 1) throw new UsageError(l10n.t('{0} takes one file', command));
  const file = path.resolve(io.cwd, positionals[0]);
  if (!nodeFs.existsSync(file)) throw new Error(l10n.t('no such file or folder: {0}', positionals[0]));
  return file;
}

function listRules(args: readonly string[], io: CliIo): number {
  const { values } = parse(args, { help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    io.stdout(help());
    return EXIT_OK;
  }
  // The severity column holds the setting values of wix-uac.json, which are not translated.
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
  if (!/^\d+$/.test(value)) throw new UsageError(l10n.t('{0} needs a whole number of 0 or more, not "{1}"', '--max-warnings', value));
  return Number(value);
}

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<T extends OptionSpec>(args: readonly string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    // parseArgs reports unknown options and missing values as ERR_PARSE_ARGS_* errors, in English.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError(parseErrorMessage(code, (error as Error).message));
    throw error;
  }
}

/** Node's parseArgs message in the user's language, from its code and the option it quotes; Node's own when it cannot be read. */
function parseErrorMessage(code: string, message: string): string {
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (quoted !== undefined) {
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return l10n.t("Unknown option '{0}'", quoted);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /argument missing/.test(message)) return l10n.t("Option '{0}' needs a value", quoted);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /does not take an argument/.test(message)) return l10n.t("Option '{0}' takes no value", quoted);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return l10n.t("Unexpected argument '{0}': this command takes none", quoted);
  }
  return message.replace(/\.$/, '');
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
