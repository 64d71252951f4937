// Workspace trust as the language server sees it. An editor that knows the workspace is not trusted
// (VS Code's Restricted Mode) says so in `initializationOptions.workspaceTrusted: false`; the server
// then reads nothing outside the workspace folders, analyses open files only and writes no files.
// Any other client, and the absence of the option, means trusted. See docs/workspace-trust.md.
import * as path from 'path';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import * as l10n from '@vscode/l10n';
import type { FileToCreate } from '../engine';

/** What the VS Code client sends in `initialize`; other editors send nothing. */
export interface TrustInitializationOptions {
  workspaceTrusted?: boolean;
}

/** Only an explicit `false` restricts: an editor that knows nothing of workspace trust keeps the full analysis. */
export function isWorkspaceTrusted(initializationOptions: unknown): boolean {
  if (typeof initializationOptions !== 'object' || initializationOptions === null) return true;
  return (initializationOptions as TrustInitializationOptions).workspaceTrusted !== false;
}

/** The answer to a fix that would write files while the workspace is not trusted. */
export function fileWritesRefused(files: FileToCreate[]): ResponseError<void> {
  const names = files.map((file) => path.basename(file.file)).join(', ');
  return new ResponseError(
    ErrorCodes.InvalidRequest,
    `wix-uac: ${l10n.t('this fix writes {0}, and nothing is written in Restricted Mode. Trust the workspace to apply it.', names)}`,
  );
}

/** The answer to the package view asking for a file outside the workspace folders. */
export function outsideWorkspaceRefused(filePath: string): ResponseError<void> {
  return new ResponseError(
    ErrorCodes.InvalidRequest,
    `wix-uac: ${l10n.t('{0} is outside the workspace, and nothing outside it is read in Restricted Mode. Trust the workspace to open it.', filePath)}`,
  );
}
