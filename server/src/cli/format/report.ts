// What every output format receives, and the helpers they share.
import * as path from 'path';
import type { Finding, Severity } from '../../engine/types';

export interface LintReport {
  /** Every analysed file (absolute), with or without findings. */
  files: string[];
  findings: Finding[];
  /** The folder paths are shown relative to. */
  cwd: string;
}

export interface FormatOptions {
  /** ANSI colours (only the text format has any). */
  color: boolean;
  /** Version of wix-uac, for formats that name the tool. */
  version: string;
}

export type Formatter = (report: LintReport, options: FormatOptions) => string;

/** Analysed files and files with findings (an included .wxi reports in itself), sorted, each with its findings in report order. */
export function findingsByFile(report: LintReport): Array<[string, Finding[]]> {
  const groups = new Map<string, Finding[]>(report.files.map((file) => [file, []]));
  for (const finding of report.findings) {
    const group = groups.get(finding.file);
    if (group) group.push(finding);
    else groups.set(finding.file, [finding]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

export function relativePath(file: string, cwd: string): string {
  return path.relative(cwd, file) || '.';
}

/** Line-oriented formats keep one finding per line. */
export function singleLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ');
}
