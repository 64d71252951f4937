// What every end-to-end suite needs from the real VS Code: the copied example workspace, the
// activated extension, and bounded waits — the language server answers asynchronously.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'wix-uac.wix-uac';
export const PACKAGE_VIEW_TYPE = 'wixUac.packageView';

const POLL_INTERVAL_MS = 100;
export const WAIT_TIMEOUT_MS = 30_000;

/** The workspace the harness opened: a fresh copy of examples/, because the quick fixes edit it. */
export function workspaceRoot(): vscode.Uri {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.equal(folders.length, 1, 'the harness opens exactly one folder');
  return folders[0].uri;
}

export function workspaceFile(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export async function activateExtension(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is loaded in the extension host`);
  await extension.activate();
}

/** Polls `probe` until it returns something other than undefined; fails with `describe()` of the last state. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, describe: () => string = () => '', timeoutMs = WAIT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const state = describe();
      throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}${state ? `; last seen: ${state}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'wix-uac');
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const diagnostics = ourDiagnostics(uri);
  if (diagnostics.length === 0) return `no wix-uac diagnostic on ${vscode.workspace.asRelativePath(uri)}`;
  return diagnostics.map((diagnostic) => `${ruleOf(diagnostic)}@${diagnostic.range.start.line + 1}: ${diagnostic.message}`).join(' | ');
}

/** Waits until `uri` has a diagnostic of every rule in `ruleIds`, and returns them by rule. */
export async function waitForRules(uri: vscode.Uri, ruleIds: string[]): Promise<Map<string, vscode.Diagnostic>> {
  return waitFor(
    `${ruleIds.join(', ')} on ${vscode.workspace.asRelativePath(uri)}`,
    () => {
      const byRule = new Map<string, vscode.Diagnostic>();
      for (const diagnostic of ourDiagnostics(uri)) {
        const rule = ruleOf(diagnostic);
        if (rule && !byRule.has(rule)) byRule.set(rule, diagnostic);
      }
      return ruleIds.every((rule) => byRule.has(rule)) ? byRule : undefined;
    },
    () => describeDiagnostics(uri),
  );
}

/** Waits until no diagnostic of `ruleId` is left on `uri`. */
export async function waitForRuleGone(uri: vscode.Uri, ruleId: string): Promise<void> {
  await waitFor(
    `${ruleId} to disappear from ${vscode.workspace.asRelativePath(uri)}`,
    () => (ourDiagnostics(uri).some((diagnostic) => ruleOf(diagnostic) === ruleId) ? undefined : true),
    () => describeDiagnostics(uri),
  );
}

/** The 0-based line of the first line of `uri`'s text that contains `needle` (the source decides, not the analyser). */
export async function lineContaining(uri: vscode.Uri, needle: string): Promise<number> {
  const document = await vscode.workspace.openTextDocument(uri);
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.includes(needle)) return line;
  }
  throw new Error(`${vscode.workspace.asRelativePath(uri)} has no line with ${needle}`);
}
