/// <reference types="mocha" />
// Problems for the examples as the README and examples/README.md describe them: several rules on
// WiX sources, a project and a publishing manifest, and on built .msp files nobody opened.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, lineContaining, ourDiagnostics, ruleOf, waitForRules, workspaceFile } from './workbench';

suite('Diagnostics in a real VS Code', () => {
  suiteSetup(activateExtension);

  test('the product source gets a warning for its InstallerVersion and one for MSIDISABLELUAPATCHING, each on its line', async () => {
    const product = workspaceFile('contoso-tools/Product.wxs');
    const found = await waitForRules(product, ['installer-version-too-low', 'lua-patching-disabled']);

    const installerVersion = found.get('installer-version-too-low')!;
    assert.equal(installerVersion.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(installerVersion.range.start.line, await lineContaining(product, 'InstallerVersion="200"'));
    assert.match(installerVersion.message, /Windows Installer 3\.0/);

    const disabled = found.get('lua-patching-disabled')!;
    assert.equal(disabled.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(disabled.range.start.line, await lineContaining(product, 'Id="MSIDISABLELUAPATCHING"'));
  });

  test('each diagnostic links its rule id to the rule documentation', async () => {
    const product = workspaceFile('contoso-tools/Product.wxs');
    const disabled = (await waitForRules(product, ['lua-patching-disabled'])).get('lua-patching-disabled')!;
    assert.ok(typeof disabled.code === 'object', 'the code carries a link');
    assert.match(disabled.code.target.toString(), /docs\/rules\/lua-patching-disabled\.md$/);
  });

  test('a fragment that writes the DisableLUAPatching policy is flagged on its RegistryValue', async () => {
    const policies = workspaceFile('contoso-tools/Policies.wxs');
    const found = await waitForRules(policies, ['lua-patching-policy-disabled']);
    assert.equal(found.get('lua-patching-policy-disabled')!.range.start.line, await lineContaining(policies, 'Name="DisableLUAPatching"'));
  });

  test('a per-machine WiX v3 product saved as UTF-16 without patch certificates gets missing-patch-certificate', async () => {
    const agent = workspaceFile('fabrikam-agent/Agent.wxs');
    const found = await waitForRules(agent, ['missing-patch-certificate']);
    assert.equal(found.get('missing-patch-certificate')!.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('the patch project, its <Patch> source and its publishing manifest get the patch rules', async () => {
    const project = workspaceFile('contoso-hotfix/Hotfix.wixproj');
    assert.ok(await waitForRules(project, ['patch-signing-not-configured']));

    const patchSource = workspaceFile('contoso-hotfix/Hotfix.wxs');
    const onPatch = await waitForRules(patchSource, ['unsigned-patch', 'patch-target-not-ready']);
    const unsigned = onPatch.get('unsigned-patch')!;
    assert.equal(unsigned.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(unsigned.range.start.line, await lineContaining(patchSource, '<Patch '));
    assert.ok(
      unsigned.relatedInformation?.some((related) => related.location.uri.path.endsWith('/bin/x64/Release/ContosoTools-Hotfix2.msp')),
      'the finding on <Patch> points at the built .msp',
    );
    assert.match(onPatch.get('patch-target-not-ready')!.message, /MSIDISABLELUAPATCHING/);

    const manifest = workspaceFile('contoso-hotfix/publish/ContosoTools-Hotfix2.xml');
    const onManifest = await waitForRules(manifest, ['update-requires-user-input', 'unsigned-patch']);
    assert.equal(onManifest.get('update-requires-user-input')!.range.start.line, await lineContaining(manifest, 'InstallProperties CanRequestUserInput="true"'));
    assert.equal(onManifest.get('unsigned-patch')!.range.start.line, await lineContaining(manifest, '<sdp:OriginFile '));
  });

  test('built patches get their findings on the .msp file itself without being opened', async () => {
    const unsignedPatch = workspaceFile('contoso-hotfix/bin/x64/Release/ContosoTools-Hotfix2.msp');
    const unsigned = (await waitForRules(unsignedPatch, ['unsigned-patch'])).get('unsigned-patch')!;
    assert.equal(unsigned.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(unsigned.range.start.line, 0, 'findings in a package are on its first line');

    const untrustedPatch = workspaceFile('fabrikam-agent/bin/Release/FabrikamAgent-Hotfix1.msp');
    const untrusted = (await waitForRules(untrustedPatch, ['untrusted-patch-signer'])).get('untrusted-patch-signer')!;
    assert.equal(untrusted.severity, vscode.DiagnosticSeverity.Error);
    assert.match(untrusted.message, /CN=Fabrikam Patch Signing/);

    // Signed with CN=Contoso Patch Signing, which Contoso Tools lists: nothing to say about it.
    const trustedPatch = workspaceFile('contoso-tools/bin/Release/ContosoTools-Hotfix1.msp');
    assert.deepEqual(ourDiagnostics(trustedPatch).map(ruleOf), []);
    assert.equal(vscode.workspace.textDocuments.some((document) => document.uri.path.endsWith('.msp')), false, 'no .msp was opened as text');
  });
});
