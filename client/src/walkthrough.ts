// Commands behind the walkthrough "Make your product patchable without UAC prompts": open the
// walkthrough, go to a product without a patch certificate and open its quick fixes, pick a built
// patch and open it in the package view.
import * as path from 'path';
import * as vscode from 'vscode';
import { ADD_PATCH_CERTIFICATE_COMMAND, CHECK_PATCH_COMMAND, OPEN_WALKTHROUGH_COMMAND, WALKTHROUGH_ID } from './commands';
import { PACKAGE_VIEW_TYPE } from './package-view';
import type { StatusBar } from './status-bar';
import { findingToFix, MISSING_PATCH_CERTIFICATE, orderPatches, ruleIdOf, type PatchFile } from './walkthrough-choices';

/** How long a command waits for the first analysis when run right after the window opens. */
const INDEXING_WAIT_MS = 60_000;
const EXCLUDED_FOLDERS = '{**/node_modules/**,**/.git/**}';

export function registerWalkthroughCommands(context: vscode.ExtensionContext, statusBar: StatusBar): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(OPEN_WALKTHROUGH_COMMAND, () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false),
    ),
    vscode.commands.registerCommand(ADD_PATCH_CERTIFICATE_COMMAND, () => showPatchCertificateFix(statusBar)),
    vscode.commands.registerCommand(CHECK_PATCH_COMMAND, () => checkPatch()),
  ];
}

/** Puts the cursor on the first product without a patch certificate and opens its quick fixes. */
async function showPatchCertificateFix(statusBar: StatusBar): Promise<void> {
  const status = await statusBar.whenIndexed(INDEXING_WAIT_MS);
  const files = vscode.languages.getDiagnostics().map(([uri, diagnostics]) => ({ path: uri.fsPath, uri, diagnostics }));
  const choice = findingToFix(files, MISSING_PATCH_CERTIFICATE);
  if (!choice) {
    const message =
      status && status.files === 0
        ? vscode.l10n.t('wix-uac found no WiX product in this workspace.')
        : vscode.l10n.t('Every per-machine product in the workspace already lists a patch certificate.');
    void vscode.window.showInformationMessage(message);
    return;
  }
  const uri = files.find((file) => file.path === choice.path)!.uri;
  if (!choice.editable) {
    // Only a built package is missing it: show it, and say where the fix goes.
    await vscode.commands.executeCommand('vscode.openWith', uri, PACKAGE_VIEW_TYPE);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('{0} lists no patch certificate. Add PatchCertificates to the WiX source that builds it, then rebuild.', path.basename(choice.path)),
    );
    return;
  }
  const range = choice.diagnostic.range;
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(range.start, range.start), preview: false });
  await vscode.commands.executeCommand('editor.action.quickFix');
}

/** Opens a .msp of the workspace in the package view: the only one, or the one the user picks (newest first). */
async function checkPatch(): Promise<void> {
  const uris = await vscode.workspace.findFiles('**/*.msp', EXCLUDED_FOLDERS);
  if (uris.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('There is no .msp file in this workspace yet. Build your patch project, sign the .msp, then run this command again.'),
    );
    return;
  }
  const patches: (PatchFile<vscode.Diagnostic> & { uri: vscode.Uri })[] = await Promise.all(
    uris.map(async (uri) => ({
      uri,
      path: uri.fsPath,
      modified: await vscode.workspace.fs.stat(uri).then((stat) => stat.mtime, () => 0),
      diagnostics: vscode.languages.getDiagnostics(uri),
    })),
  );
  const choices = orderPatches(patches);
  let chosen = choices[0];
  if (choices.length > 1) {
    const items = choices.map((choice) => ({
      choice,
      label: `$(package) ${path.basename(choice.path)}`,
      description: vscode.workspace.asRelativePath(path.dirname(choice.path)),
      detail: choice.worst ? `${severityIcon(choice.worst.severity)} ${ruleIdOf(choice.worst)}: ${choice.worst.message}` : `$(check) ${vscode.l10n.t('No wix-uac findings')}`,
    }));
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Check a patch'), placeHolder: vscode.l10n.t('Pick the .msp to check'), matchOnDescription: true });
    if (!picked) return;
    chosen = picked.choice;
  }
  const uri = patches.find((patch) => patch.path === chosen.path)!.uri;
  await vscode.commands.executeCommand('vscode.openWith', uri, PACKAGE_VIEW_TYPE);
}

function severityIcon(severity: vscode.DiagnosticSeverity): string {
  switch (severity) {
    case vscode.DiagnosticSeverity.Error:
      return '$(error)';
    case vscode.DiagnosticSeverity.Warning:
      return '$(warning)';
    default:
      return '$(info)';
  }
}
