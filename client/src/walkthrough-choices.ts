// Choices behind the walkthrough's commands: which finding "Add a patch certificate" opens, and in
// which order "Check a patch" offers the workspace's .msp files. No `vscode` values here, so tests
// run them on plain objects shaped like vscode.Diagnostic.

export const DIAGNOSTIC_SOURCE = 'wix-uac';
export const MISSING_PATCH_CERTIFICATE = 'missing-patch-certificate';

/** The parts of a vscode.Diagnostic used here. Severity as in vscode: Error 0, Warning 1, Information 2, Hint 3. */
export interface DiagnosticLike {
  source?: string;
  code?: string | number | { value: string | number };
  message: string;
  severity: number;
  range: { start: { line: number; character: number } };
}

export interface FileDiagnostics<D extends DiagnosticLike> {
  path: string;
  diagnostics: readonly D[];
}

export function ruleIdOf(diagnostic: DiagnosticLike): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code === undefined) return undefined;
  return String(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code);
}

/**
 * Where a quick fix can edit text, best first: WiX sources, then .idt tables (their fix adds the
 * row). A built .msi also gets the finding, but its fix belongs in the source that builds it.
 */
const EDITABLE_EXTENSIONS = ['.wxs', '.wxi', '.idt'];

function editableRank(filePath: string): number {
  const extension = filePath.slice(filePath.lastIndexOf('.')).toLowerCase();
  const rank = EDITABLE_EXTENSIONS.indexOf(extension);
  return rank === -1 ? EDITABLE_EXTENSIONS.length : rank;
}

export interface FindingChoice<D extends DiagnosticLike> {
  path: string;
  diagnostic: D;
  /** False for a finding only found in a binary package: there is no text to put the cursor in. */
  editable: boolean;
}

/** The first finding of `ruleId`, preferring files whose text a quick fix edits, then by path and line. */
export function findingToFix<D extends DiagnosticLike>(files: readonly FileDiagnostics<D>[], ruleId: string): FindingChoice<D> | undefined {
  const candidates = files.flatMap((file) =>
    file.diagnostics.filter((diagnostic) => ruleIdOf(diagnostic) === ruleId).map((diagnostic) => ({ path: file.path, diagnostic, rank: editableRank(file.path) })),
  );
  candidates.sort((a, b) => a.rank - b.rank || a.path.localeCompare(b.path) || a.diagnostic.range.start.line - b.diagnostic.range.start.line);
  const first = candidates[0];
  return first && { path: first.path, diagnostic: first.diagnostic, editable: first.rank < EDITABLE_EXTENSIONS.length };
}

export interface PatchFile<D extends DiagnosticLike> extends FileDiagnostics<D> {
  /** Last modification time, ms since the epoch. */
  modified: number;
}

export interface PatchChoice<D extends DiagnosticLike> {
  path: string;
  /** Its most severe wix-uac finding (unsigned, untrusted signer…), if any. */
  worst?: D;
}

/** Newest build first (the patch just signed is the one to check), then by path. */
export function orderPatches<D extends DiagnosticLike>(patches: readonly PatchFile<D>[]): PatchChoice<D>[] {
  return [...patches]
    .sort((a, b) => b.modified - a.modified || a.path.localeCompare(b.path))
    .map((patch) => {
      const worst = patch.diagnostics.filter((diagnostic) => ruleIdOf(diagnostic) !== undefined).sort((a, b) => a.severity - b.severity)[0];
      return worst ? { path: patch.path, worst } : { path: patch.path };
    });
}
