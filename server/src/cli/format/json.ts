// ESLint-shaped JSON: one entry per file, even without messages; positions 1-based, end exclusive.
import type { Severity } from '../../engine/types';
import { findingsByFile, type Formatter } from './report';

export interface JsonMessage {
  ruleId: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface JsonFileResult {
  filePath: string;
  messages: JsonMessage[];
}

export const formatJson: Formatter = (report) => {
  const results: JsonFileResult[] = findingsByFile(report).map(([filePath, findings]) => ({
    filePath,
    messages: findings.map(({ ruleId, severity, message, range }) => ({
      ruleId,
      severity,
      message,
      line: range.start.line + 1,
      column: range.start.character + 1,
      endLine: range.end.line + 1,
      endColumn: range.end.character + 1,
    })),
  }));
  return `${JSON.stringify(results)}\n`;
};
