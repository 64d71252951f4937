// wix-uac.json: the one configuration file the editor and the command line both read.
// Strict JSON, not JSON with comments: VS Code opens *.json as JSON and validates it against
// schemas/wix-uac.schema.json, so a comment would be flagged there anyway.
import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { FileSystem } from './fs';
import { globMatcher, quotedGlob, unsafeGlob } from './glob';
import { allRules } from './rules';
import { decodeXmlBytes } from './text';
import { SEVERITY_SETTINGS, type Severity, type SeveritySetting } from './types';

export const CONFIG_FILE_NAME = 'wix-uac.json';

export interface LoadedConfig {
  /** Absolute path of the wix-uac.json in effect; undefined when there is none. */
  file?: string;
  rules: Record<string, SeveritySetting>;
  /** Globs relative to the folder of `file`, forward slashes. */
  ignore: string[];
  /** What was wrong with `file` (one sentence each); the valid parts still apply. */
  problems: string[];
}

const NO_CONFIG: LoadedConfig = Object.freeze({ rules: {}, ignore: [], problems: [] });
const KNOWN_RULE_IDS = new Set(allRules.map((rule) => rule.id));

/** Finds the wix-uac.json in effect for a file: the nearest one in its folder or above (no merging). */
export class ConfigResolver {
  private readonly cache = new Map<string, { version: string; config: LoadedConfig }>();

  constructor(private readonly fs: FileSystem) {}

  forFile(filePath: string): LoadedConfig {
    let folder = path.dirname(path.resolve(filePath));
    for (;;) {
      const candidate = path.join(folder, CONFIG_FILE_NAME);
      if (this.fs.exists(candidate) && !this.fs.isDirectory(candidate)) return this.load(candidate);
      const parent = path.dirname(folder);
      if (parent === folder) return NO_CONFIG;
      folder = parent;
    }
  }

  private load(configFile: string): LoadedConfig {
    const version = this.fs.version(configFile) ?? '';
    const cached = this.cache.get(configFile);
    if (cached && cached.version === version) return cached.config;
    const bytes = this.fs.readFile(configFile);
    const config = bytes
      ? parseConfig(configFile, decodeXmlBytes(bytes).text)
      : { ...NO_CONFIG, file: configFile, problems: [l10n.t('The file could not be read.')] };
    this.cache.set(configFile, { version, config });
    return config;
  }
}

/** Reads the text of a wix-uac.json. Never throws: whatever is wrong becomes a problem and is left out. */
export function parseConfig(configFile: string, text: string): LoadedConfig {
  const config: LoadedConfig = { file: configFile, rules: {}, ignore: [], problems: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    config.problems.push(l10n.t('Not valid JSON: {0}. The file is ignored; default settings apply.', describeJsonError(error, text)));
    return config;
  }
  if (!isPlainObject(json)) {
    config.problems.push(l10n.t('The file must hold a JSON object such as {0}. The file is ignored.', '{ "rules": {}, "ignore": [] }'));
    return config;
  }
  for (const [key, value] of Object.entries(json)) {
    if (key === 'rules') readRules(value, config);
    else if (key === 'ignore') readIgnore(value, config);
    else if (key !== '$schema') config.problems.push(l10n.t('Unknown key "{0}" is ignored; the keys are "rules" and "ignore".', key));
  }
  return config;
}

function readRules(value: unknown, config: LoadedConfig): void {
  if (!isPlainObject(value)) {
    config.problems.push(l10n.t('"rules" must be an object mapping rule ids to severities; it is ignored.'));
    return;
  }
  for (const [ruleId, setting] of Object.entries(value)) {
    if (!KNOWN_RULE_IDS.has(ruleId)) {
      config.problems.push(l10n.t('Unknown rule id "{0}" in "rules" is ignored. Rule ids: {1}.', ruleId, [...KNOWN_RULE_IDS].join(', ')));
    } else if (!(SEVERITY_SETTINGS as readonly unknown[]).includes(setting)) {
      config.problems.push(l10n.t('Severity of "{0}" must be one of {1}, not {2}; the default applies.', ruleId, SEVERITY_SETTINGS.map((s) => `"${s}"`).join(', '), JSON.stringify(setting)));
    } else {
      config.rules[ruleId] = setting as SeveritySetting;
    }
  }
}

function readIgnore(value: unknown, config: LoadedConfig): void {
  if (!Array.isArray(value)) {
    config.problems.push(l10n.t('"ignore" must be an array of glob strings; it is ignored.'));
    return;
  }
  for (const glob of value) {
    if (typeof glob !== 'string' || glob.trim() === '') {
      config.problems.push(l10n.t('"ignore" entries must be non-empty glob strings; {0} is ignored.', String(JSON.stringify(glob))));
      continue;
    }
    const unsafe = unsafeGlob(glob);
    if (unsafe) {
      config.problems.push(l10n.t('"ignore" pattern "{0}" is not used: {1}.', quotedGlob(glob), unsafe));
      continue;
    }
    // In a glob a backslash escapes the next character, so "bin\\Debug\\**" would never match a path.
    if (glob.includes('\\')) config.problems.push(l10n.t('"ignore" pattern "{0}" contains a backslash; globs separate folders with "/".', glob));
    if (glob.startsWith('/')) config.problems.push(l10n.t('"ignore" pattern "{0}" starts with "/" and matches nothing; globs are relative to the folder of {1}.', glob, CONFIG_FILE_NAME));
    config.ignore.push(glob);
  }
}

/** Editor settings win over wix-uac.json, which wins over the rule's default. */
export function effectiveSeverity(
  ruleId: string,
  defaultSeverity: Severity,
  config: LoadedConfig,
  overrides?: Record<string, SeveritySetting>,
): SeveritySetting {
  return overrides?.[ruleId] ?? config.rules[ruleId] ?? defaultSeverity;
}

const matchers = new WeakMap<LoadedConfig, (relativePath: string) => boolean>();

// True when a file (or folder) matches one of the config's ignore globs. Globs match the whole
// path relative to the config file's folder: "build/**" skips that folder, "**/*.g.wxs" a kind of file.
export function isIgnored(filePath: string, config: LoadedConfig): boolean {
  if (!config.file || config.ignore.length === 0) return false;
  // The config path tells which path flavour the host uses; Windows paths compare case-insensitively.
  const windows = isWindowsPath(config.file);
  const flavour = windows ? path.win32 : path.posix;
  const relative = flavour.relative(flavour.dirname(config.file), filePath);
  if (relative === '' || relative.startsWith('..') || flavour.isAbsolute(relative)) return false;
  let matches = matchers.get(config);
  if (!matches) {
    matches = globMatcher(config.ignore, { dot: true, nocase: windows });
    matchers.set(config, matches);
  }
  return matches(windows ? relative.replace(/\\/g, '/') : relative);
}

function isWindowsPath(filePath: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(filePath) || filePath.startsWith('\\\\');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse reports an offset; people look for a line and column. */
function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const offset = /at position (\d+)/.exec(message);
  if (!offset || /\bline \d+/.test(message)) return message;
  const before = text.slice(0, Number(offset[1]));
  const line = before.split(/\r\n|\r|\n/).length;
  const column = before.length - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return l10n.t('{0} (line {1}, column {2})', message, line, column);
}
