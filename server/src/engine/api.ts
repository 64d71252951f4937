// The surface the adapters (language server, CLI) use. Nothing here knows about LSP or VS Code.
import type { PackageInspection } from './package/inspect';
import type { Finding, Hover, Lens, Position, Range, SeveritySetting } from './types';

export interface AnalyzeOptions {
  /** Files or folders to analyse (absolute). Folders are walked recursively, skipping node_modules and .git. */
  roots: string[];
  /** Per-rule severities from the editor's settings; they win over wix-uac.json. */
  severityOverrides?: Record<string, SeveritySetting>;
  /**
   * Restricted Mode (a workspace the user has not trusted): `roots` are the open files, and only
   * they are reported. What they name inside the workspace is read, nothing is walked, and a file
   * whose check would look at a path the file system refuses (outside the workspace, see
   * ConfinedFileSystem) gets a notice instead of findings that could be wrong. No fix writes files.
   * See docs/workspace-trust.md.
   */
  restricted?: boolean;
}

export interface AnalysisResult {
  /** Every file that was analysed, with or without findings (absolute paths, sorted). */
  files: string[];
  /** Findings after configuration (severity, ignore globs) and inline suppression, sorted by file and position. */
  findings: Finding[];
  /**
   * Status lines: above Product/Package and DigitalCertificate elements, on line 1 of packages and
   * patches, above <Patch> (targets, built .msp, signing step) and DigitalCertificateRef, and above
   * the manifest items, OriginFile and MspPackage elements that name a built patch.
   */
  lenses: Lens[];
  /** Problems with the input itself (unreadable file, bad wix-uac.json) that are not rule findings. */
  notices: Notice[];
  hover(file: string, position: Position): Hover | undefined;
  /** What the package view shows of an analysed package or .idt file; undefined for other files. */
  inspect(file: string, options?: InspectOptions): PackageInspection | undefined;
}

export interface InspectOptions {
  /** Rows per table at most (all when undefined). */
  maxRows?: number;
  /** Only this table. */
  table?: string;
}

export interface Notice {
  file: string;
  message: string;
  /** Where in the file, when the problem has a place (an include that is not found). */
  range?: Range;
  /** A warning unless said otherwise; a file left unchecked in Restricted Mode is information. */
  severity?: 'warning' | 'information';
}
