// What the status bar item says about the language server. No `vscode` values here (types only), so
// tests run it with the English source strings or the Spanish bundle.
import type * as vscode from 'vscode';
import type { ServerStatus } from '../../server/src/lsp/status';

/** `vscode.l10n`, or a stand-in with the same `t`. */
export type Localizer = Pick<typeof vscode.l10n, 't'>;

/** What the client knows about the server. */
export type ServerState =
  | { kind: 'starting' }
  | { kind: 'running'; status: ServerStatus }
  /** The server exited and will not be restarted, or could not start. */
  | { kind: 'stopped'; reason?: string };

export interface StatusPresentation {
  visible: boolean;
  /** With theme icons: `$(shield) 12`. */
  text: string;
  /** Markdown with theme icons. */
  tooltip: string;
  /** For screen readers, without icons. */
  accessibleLabel: string;
  /** Clicking opens the Problems panel, or the output channel when something went wrong. */
  opens: 'problems' | 'output';
  isError: boolean;
}

/** Rules listed by name in the tooltip; the rest are summed up. */
const TOOLTIP_RULES = 5;

export function presentStatus(state: ServerState, l10n: Localizer): StatusPresentation {
  if (state.kind === 'starting') {
    const tooltip = l10n.t('Starting the wix-uac language server…');
    return { visible: true, text: '$(sync~spin) wix-uac', tooltip, accessibleLabel: tooltip, opens: 'output', isError: false };
  }
  if (state.kind === 'stopped') {
    const tooltip = [l10n.t('The wix-uac language server is not running.'), state.reason ?? '', l10n.t('Click to open the wix-uac output.')].filter(Boolean).join('\n\n');
    return { visible: true, text: '$(error) wix-uac', tooltip, accessibleLabel: l10n.t('The wix-uac language server is not running.'), opens: 'output', isError: true };
  }
  const { status } = state;
  if (status.state === 'indexing') {
    const tooltip = status.progress
      ? l10n.t('wix-uac is reading the packages of the workspace ({0} of {1})…', status.progress.done + 1, status.progress.total)
      : l10n.t('wix-uac is analysing the workspace…');
    return { visible: true, text: '$(sync~spin) wix-uac', tooltip, accessibleLabel: tooltip, opens: 'problems', isError: false };
  }
  if (status.state === 'failed') {
    const tooltip = [l10n.t('The last wix-uac analysis failed: {0}', status.message ?? ''), l10n.t('Click to open the wix-uac output.')].join('\n\n');
    return { visible: true, text: '$(error) wix-uac', tooltip, accessibleLabel: l10n.t('The last wix-uac analysis failed: {0}', status.message ?? ''), opens: 'output', isError: true };
  }
  const restricted = l10n.t('Restricted Mode: only open files are analysed. Trust the workspace to analyse all of it.');
  if (status.files === 0) {
    // Restricted Mode before a WiX file is opened: say why nothing is counted.
    if (status.restricted) return { visible: true, text: '$(workspace-untrusted) wix-uac', tooltip: restricted, accessibleLabel: restricted, opens: 'problems', isError: false };
    // Nothing wix-uac reads in this workspace (it was activated by a command or a package opened from elsewhere).
    return { visible: false, text: '', tooltip: '', accessibleLabel: '', opens: 'problems', isError: false };
  }

  const total = status.findings.error + status.findings.warning + status.findings.information + status.findings.hint;
  const lines = [`**wix-uac**: ${filesAnalysed(status.files, l10n)}`];
  if (total === 0) {
    lines.push(`$(check) ${l10n.t('No findings.')}`);
  } else {
    lines.push(
      [
        `$(error) ${l10n.t('Errors: {0}', status.findings.error)}`,
        `$(warning) ${l10n.t('Warnings: {0}', status.findings.warning)}`,
        `$(info) ${l10n.t('Information: {0}', status.findings.information)}`,
        `$(lightbulb) ${l10n.t('Hints: {0}', status.findings.hint)}`,
      ].join(' · '),
    );
    const rules = Object.entries(status.rules).sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
    const listed = rules.slice(0, TOOLTIP_RULES).map(([ruleId, count]) => `- \`${ruleId}\`: ${count}`);
    const others = rules.slice(TOOLTIP_RULES).reduce((sum, [, count]) => sum + count, 0);
    if (others > 0) listed.push(`- ${l10n.t('other rules: {0}', others)}`);
    lines.push(listed.join('\n'));
  }
  if (status.notices > 0) {
    lines.push(`$(warning) ${status.notices === 1 ? l10n.t('1 file could not be read completely (see Problems).') : l10n.t('{0} files could not be read completely (see Problems).', status.notices)}`);
  }
  if (status.restricted) lines.push(`$(workspace-untrusted) ${restricted}`);
  lines.push(l10n.t('Click to open the Problems panel.'));
  return {
    visible: true,
    text: total === 0 ? '$(check) wix-uac' : `$(shield) ${total}`,
    tooltip: lines.join('\n\n'),
    accessibleLabel: `wix-uac: ${findingCount(total, l10n)}`,
    opens: 'problems',
    isError: false,
  };
}

export function findingCount(count: number, l10n: Localizer): string {
  return count === 1 ? l10n.t('1 finding') : l10n.t('{0} findings', count);
}

export function fileCount(count: number, l10n: Localizer): string {
  return count === 1 ? l10n.t('1 file') : l10n.t('{0} files', count);
}

function filesAnalysed(count: number, l10n: Localizer): string {
  return count === 1 ? l10n.t('1 file analysed') : l10n.t('{0} files analysed', count);
}

/** `wixUac.server.logLevel` values whose lines the server sends as LSP debug messages. */
const DEBUG_SETTING_LEVELS = new Set(['debug', 'trace']);

/**
 * Whether the output channel drops lines the server now sends: the language client writes the
 * server's debug lines with the channel's `debug`, which VS Code shows only at channel level Trace
 * or Debug. `channelLevel` is a `vscode.LogLevel`: Off 0, Trace 1, Debug 2, Info 3, Warning 4, Error 5.
 */
export function channelHidesServerLines(settingLevel: string, channelLevel: number): boolean {
  return DEBUG_SETTING_LEVELS.has(settingLevel) && (channelLevel === 0 || channelLevel > 2);
}
