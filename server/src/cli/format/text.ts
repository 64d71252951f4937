// Human-readable output: findings grouped by file (relative to the working folder), columns
// aligned per file, and a summary line.
import * as l10n from '@vscode/l10n';
import type { Finding, Severity } from '../../engine/types';
import { countBySeverity, findingsByFile, relativePath, singleLine, type Formatter } from './report';

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', underline: '\x1b[4m', red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m' };
const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, information: ANSI.blue, hint: ANSI.dim };

export const formatText: Formatter = (report, { color }) => {
  const paint = (style: string, text: string): string => (color ? `${style}${text}${ANSI.reset}` : text);
  const allFiles = findingsByFile(report);
  const groups = allFiles.filter(([, findings]) => findings.length > 0);
  if (groups.length === 0) return `${allFiles.length === 1 ? l10n.t('No problems found in 1 file.') : l10n.t('No problems found in {0} files.', allFiles.length)}\n`;

  const blocks = groups.map(([file, findings]) => {
    const rows = findings.map((finding) => ({ finding, position: `${finding.range.start.line + 1}:${finding.range.start.character + 1}`, message: singleLine(finding.message) }));
    const width = (column: (row: (typeof rows)[number]) => string): number => Math.max(...rows.map((row) => column(row).length));
    const positionWidth = width((row) => row.position);
    const severityWidth = width((row) => row.finding.severity);
    const messageWidth = width((row) => row.message);
    const lines = rows.map(({ finding, position, message }) =>
      [
        `  ${position.padEnd(positionWidth)}`,
        // The severity stays an English token in every language: the $wix-uac problem matcher of
        // VS Code tasks reads error|warning|info|hint here (package.json contributes.problemMatchers).
        // Padding stays outside the colour, so underlines and backgrounds never trail into it.
        paint(SEVERITY_COLOR[finding.severity], finding.severity) + ' '.repeat(severityWidth - finding.severity.length),
        message.padEnd(messageWidth),
        paint(ANSI.dim, finding.ruleId),
      ].join('  '),
    );
    return `${paint(ANSI.underline, relativePath(file, report.cwd))}\n${lines.join('\n')}\n`;
  });
  return `${blocks.join('\n')}\n${summary(report.findings, paint)}\n`;
};

function summary(findings: readonly Finding[], paint: (style: string, text: string) => string): string {
  const counts = countBySeverity(findings);
  const parts = [
    counts.error === 1 ? l10n.t('1 error') : l10n.t('{0} errors', counts.error),
    counts.warning === 1 ? l10n.t('1 warning') : l10n.t('{0} warnings', counts.warning),
    counts.information === 1 ? l10n.t('1 information') : l10n.t('{0} information', counts.information),
  ];
  if (counts.hint > 0) parts.push(counts.hint === 1 ? l10n.t('1 hint') : l10n.t('{0} hints', counts.hint));
  const line = findings.length === 1 ? l10n.t('✖ 1 problem ({0})', parts.join(', ')) : l10n.t('✖ {0} problems ({1})', findings.length, parts.join(', '));
  const worst = counts.error > 0 ? 'error' : counts.warning > 0 ? 'warning' : 'information';
  return paint(ANSI.bold + SEVERITY_COLOR[worst], line);
}
