/// <reference types="mocha" />
// Quick fixes offered on real diagnostics and applied the way VS Code applies them (the edit, then
// the command), after which the finding is gone. These edit the copied workspace, so this suite runs last.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, describeDiagnostics, waitFor, waitForRuleGone, waitForRules, workspaceFile } from './workbench';

/** The quick fixes VS Code offers at a diagnostic's range (what Ctrl+. lists there). */
async function quickFixesAt(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  // A bare Command has a string `command`; a CodeAction's `command`, if any, is an object.
  return actions.filter((action): action is vscode.CodeAction => typeof action.command !== 'string');
}

async function offeredFix(uri: vscode.Uri, ruleId: string, title: RegExp): Promise<vscode.CodeAction> {
  // Code actions are asked of a loaded document, as an editor has one.
  await vscode.workspace.openTextDocument(uri);
  const diagnostic = (await waitForRules(uri, [ruleId])).get(ruleId)!;
  let offered: string[] = [];
  return waitFor(
    `a quick fix ${title} for ${ruleId}`,
    async () => {
      const fixes = await quickFixesAt(uri, diagnostic);
      offered = fixes.map((fix) => fix.title);
      return fixes.find((fix) => title.test(fix.title));
    },
    () => (offered.length ? `offered: ${offered.join(' | ')}` : `no quick fix; ${describeDiagnostics(uri)}`),
  );
}

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.equal(await vscode.workspace.applyEdit(action.edit), true, `the edit of "${action.title}" applies`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

async function textOf(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

suite('Quick fixes in a real VS Code', () => {
  suiteSetup(activateExtension);

  test('a finding in a WiX source can be suppressed for its line', async () => {
    const policies = workspaceFile('contoso-tools/Policies.wxs');
    const suppress = await offeredFix(policies, 'lua-patching-policy-disabled', /^Suppress lua-patching-policy-disabled for this line$/);
    await apply(suppress);
    await waitForRuleGone(policies, 'lua-patching-policy-disabled');
    assert.match(await textOf(policies), /<!-- wix-uac-disable-next-line lua-patching-policy-disabled -->\s*\n\s*<RegistryValue Name="DisableLUAPatching"/);
  });

  test('raising InstallerVersion to Windows Installer 3.0 or later clears installer-version-too-low', async () => {
    const product = workspaceFile('contoso-tools/Product.wxs');
    const raise = await offeredFix(product, 'installer-version-too-low', /InstallerVersion/);
    await apply(raise);
    await waitForRuleGone(product, 'installer-version-too-low');
    const version = /InstallerVersion="(\d+)"/.exec(await textOf(product));
    assert.ok(!version || Number(version[1]) >= 300, `InstallerVersion is now ${version?.[1] ?? 'the WiX default'}`);
  });

  test('"Set CanRequestUserInput to false" fixes the publishing manifest', async () => {
    const manifest = workspaceFile('contoso-hotfix/publish/ContosoTools-Hotfix2.xml');
    const fix = await offeredFix(manifest, 'update-requires-user-input', /^Set CanRequestUserInput to false$/);
    await apply(fix);
    await waitForRuleGone(manifest, 'update-requires-user-input');
    assert.match(await textOf(manifest), /<sdp:InstallProperties CanRequestUserInput="false"/);
  });

  test("extracting the patch's signer certificate makes the product trust the patch", async () => {
    const agent = workspaceFile('fabrikam-agent/Agent.wxs');
    const patch = workspaceFile('fabrikam-agent/bin/Release/FabrikamAgent-Hotfix1.msp');
    await waitForRules(patch, ['untrusted-patch-signer']);
    const extract = await offeredFix(agent, 'missing-patch-certificate', /^Extract signer certificate from FabrikamAgent-Hotfix1\.msp/);
    await apply(extract);

    await waitForRuleGone(agent, 'missing-patch-certificate');
    await waitForRuleGone(patch, 'untrusted-patch-signer');
    const written = (await vscode.workspace.fs.readDirectory(workspaceFile('fabrikam-agent'))).filter(([name]) => /\.(cer|crt|der)$/i.test(name));
    assert.equal(written.length, 1, 'one certificate file is written next to Agent.wxs');
    const source = await textOf(agent);
    assert.match(source, /<PatchCertificates>/);
    assert.ok(source.includes(`${written[0][0]}"`), `Agent.wxs names ${written[0][0]} in a DigitalCertificate`);
  });
});
