/// <reference types="mocha" />
// Opening a built patch shows the read-only package view, not a text editor full of binary.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PACKAGE_VIEW_TYPE, activateExtension, waitFor, workspaceFile } from './workbench';

function activeTabDescription(): string {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  if (!tab) return 'no active tab';
  const input = tab.input;
  return input instanceof vscode.TabInputCustom ? `custom editor ${input.viewType} on ${input.uri.path}` : `${tab.label} (${input?.constructor?.name ?? typeof input})`;
}

async function waitForPackageView(uri: vscode.Uri): Promise<vscode.Tab> {
  return waitFor(
    `the package view of ${vscode.workspace.asRelativePath(uri)}`,
    () => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      const input = tab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === PACKAGE_VIEW_TYPE && input.uri.toString() === uri.toString() ? tab : undefined;
    },
    activeTabDescription,
  );
}

suite('Package view in a real VS Code', () => {
  suiteSetup(activateExtension);
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('vscode.openWith opens a .msp in the wix-uac package view', async () => {
    const patch = workspaceFile('contoso-hotfix/bin/x64/Release/ContosoTools-Hotfix2.msp');
    await vscode.commands.executeCommand('vscode.openWith', patch, PACKAGE_VIEW_TYPE);
    const tab = await waitForPackageView(patch);
    assert.equal(tab.label, 'ContosoTools-Hotfix2.msp');
    assert.equal(tab.isDirty, false);
  });

  test('opening a .msp the ordinary way picks the package view by default', async () => {
    const patch = workspaceFile('fabrikam-agent/bin/Release/FabrikamAgent-Hotfix1.msp');
    await vscode.commands.executeCommand('vscode.open', patch);
    await waitForPackageView(patch);
  });
});
