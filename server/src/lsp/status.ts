// The `wixUac/status` notification: what the server is doing and what the last analysis found, for
// an editor's status display (the VS Code client shows it in the status bar). Plain data; other
// clients may ignore it.
import type { AnalysisResult, Severity } from '../engine';

export const STATUS_NOTIFICATION = 'wixUac/status';

export type AnalysisState = 'indexing' | 'ready' | 'failed';

export interface ServerStatus {
  /** `indexing`: reading the workspace's packages or analysing it from scratch; `failed`: the last analysis threw. */
  state: AnalysisState;
  /** While indexing: packages read so far, of how many. */
  progress?: { done: number; total: number };
  /** Files the last analysis covered (sources, projects, packages, tables, manifests); 0 means nothing for wix-uac here. */
  files: number;
  /** Findings of the last analysis by severity (rules turned off are not counted). */
  findings: Record<Severity, number>;
  /** Findings of the last analysis by rule id, only rules with findings. */
  rules: Record<string, number>;
  /** Problems with the input itself (an include not found, a malformed row); they are in Problems too. */
  notices: number;
  /** Why the last analysis failed (state `failed`). */
  message?: string;
  /** Restricted Mode (the workspace is not trusted): only open files are analysed. */
  restricted?: boolean;
}

/** The status after `result` (undefined before the first analysis). */
export function serverStatus(state: AnalysisState, result: AnalysisResult | undefined, extra: Pick<ServerStatus, 'progress' | 'message' | 'restricted'> = {}): ServerStatus {
  const findings: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  const rules: Record<string, number> = {};
  for (const finding of result?.findings ?? []) {
    findings[finding.severity]++;
    rules[finding.ruleId] = (rules[finding.ruleId] ?? 0) + 1;
  }
  return { state, ...extra, files: result?.files.length ?? 0, findings, rules, notices: result?.notices.length ?? 0 };
}
