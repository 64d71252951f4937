// Shared vocabulary of the engine. Positions follow LSP conventions (0-based line, UTF-16 character)
// so adapters convert nothing but the base (the CLI prints 1-based).

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Offsets into a decoded source text, end exclusive. Parsers work in offsets; findings in positions. */
export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'information', 'warning', 'error'];

export interface TextEdit {
  /** Absolute path of the file the edit applies to. */
  file: string;
  range: Range;
  newText: string;
}

/** A file a fix writes (a certificate extracted from a patch, a new table file). */
export interface FileToCreate {
  /** Absolute path. */
  file: string;
  /** Content, base64-encoded (it may be binary). */
  base64: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Files to write before the edits are applied; an existing file with other content is not overwritten. */
  createFiles?: FileToCreate[];
  /** The fix an editor may apply on "auto fix" (at most one per finding). */
  isPreferred?: boolean;
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Absolute path of the file the finding is reported in (an included .wxi reports in itself). */
  file: string;
  range: Range;
  fixes: Fix[];
  related?: RelatedLocation[];
}

/** One line of status shown above an element (code lens in the editor, `inspect` in the CLI). */
export interface Lens {
  file: string;
  range: Range;
  title: string;
}

export interface Hover {
  range: Range;
  /** Markdown. */
  contents: string;
}

export interface RuleMeta {
  id: string;
  defaultSeverity: Severity;
  /** One sentence: what the rule flags. */
  description: string;
}

export const DOCS_BASE_URL = 'https://github.com/wix-uac/wix-uac/blob/main/docs/rules/';

export function ruleDocUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
