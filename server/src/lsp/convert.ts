// Engine values → LSP values. The engine already speaks LSP positions, so only file identity,
// severities and the shape of edits change here.
import {
  CodeAction,
  CodeActionKind,
  Command,
  DiagnosticSeverity,
  OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { ruleDocUrl, type FileToCreate, type Finding, type Fix, type Notice, type Range, type Severity, type TextEdit } from '../engine';

export const DIAGNOSTIC_SOURCE = 'wix-uac';

/**
 * The local path of a `file:` URI, or undefined for any other scheme (untitled buffers, remote
 * files): the engine reads files, and a buffer without a path has no folder to resolve includes in.
 * vscode-uri decodes `file:///c%3A/x` and `file:///C:/x` alike, with the drive letter lower-cased.
 */
export function uriToPath(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}

export function pathToUri(filePath: string): string {
  return URI.file(filePath).toString();
}

/** How the server names files to the client and what the client can take. */
export interface ClientContext {
  /** The URI the client uses for a path (its own spelling for open documents). */
  uriOf(filePath: string): string;
  /** The version of an open document when it was analysed; null for files read from disk. */
  analyzedVersionOf(filePath: string): number | null;
  supportsRelatedInformation: boolean;
  supportsDocumentChanges: boolean;
}

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, client: ClientContext): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: severities[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (client.supportsRelatedInformation && finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((related) => ({
      location: { uri: client.uriOf(related.file), range: related.range },
      message: related.message,
    }));
  }
  return diagnostic;
}

/** A problem with the input itself (include not found, bad wix-uac.json): where it is, else at the top of the file. */
export function noticeToDiagnostic(notice: Notice): Diagnostic {
  const start = { line: 0, character: 0 };
  return { range: notice.range ?? { start, end: start }, severity: severities[notice.severity ?? 'warning'], source: DIAGNOSTIC_SOURCE, message: notice.message };
}

/** The findings a diagnostic sent earlier stands for: same rule, same range. */
export function matchesDiagnostic(finding: Finding, diagnostic: Diagnostic): boolean {
  return diagnostic.source === DIAGNOSTIC_SOURCE && diagnostic.code === finding.ruleId && sameRange(finding.range, diagnostic.range);
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** The server command that writes a fix's new files, then asks the client to apply its edits. */
export const APPLY_FIX_COMMAND = 'wix-uac.applyFix';

export interface ApplyFixArguments {
  createFiles: FileToCreate[];
  edit: WorkspaceEdit;
}

export function toCodeAction(fix: Fix, diagnostic: Diagnostic, client: ClientContext): CodeAction {
  // A WorkspaceEdit cannot write a binary file (an extracted certificate): such fixes run as a command.
  const action = fix.createFiles?.length
    ? CodeAction.create(fix.title, fixCommand(fix, client), CodeActionKind.QuickFix)
    : CodeAction.create(fix.title, toWorkspaceEdit(fix.edits, client), CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}

export function fixCommand(fix: Fix, client: ClientContext): Command {
  const args: ApplyFixArguments = { createFiles: fix.createFiles ?? [], edit: toWorkspaceEdit(fix.edits, client) };
  return Command.create(fix.title, APPLY_FIX_COMMAND, args);
}

/**
 * Edits may reach into other files (an included .wxi). With `documentChanges` every open document
 * carries the version the fix was computed for, so a client refuses to apply it to newer text.
 */
export function toWorkspaceEdit(edits: TextEdit[], client: ClientContext): WorkspaceEdit {
  const editsByFile = new Map<string, LspTextEdit[]>();
  for (const edit of edits) {
    const fileEdits = editsByFile.get(edit.file) ?? [];
    fileEdits.push({ range: edit.range, newText: edit.newText });
    editsByFile.set(edit.file, fileEdits);
  }
  if (client.supportsDocumentChanges) {
    return {
      documentChanges: [...editsByFile].map(([file, fileEdits]) =>
        TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(client.uriOf(file), client.analyzedVersionOf(file)), fileEdits),
      ),
    };
  }
  const changes: Record<string, LspTextEdit[]> = {};
  for (const [file, fileEdits] of editsByFile) changes[client.uriOf(file)] = fileEdits;
  return { changes };
}
