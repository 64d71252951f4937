/// <reference types="mocha" />
// The status lines above products, certificates and patches, as the README describes them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, lineContaining, waitFor, workspaceFile } from './workbench';

/** The titles of the lenses on `line`, once the server has analysed the workspace. */
async function lensTitlesOn(uri: vscode.Uri, line: number): Promise<string[]> {
  let last: string[] = [];
  return waitFor(
    `code lenses on line ${line + 1} of ${vscode.workspace.asRelativePath(uri)}`,
    async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      last = lenses.map((lens) => `${lens.range.start.line + 1}: ${lens.command?.title ?? '(unresolved)'}`);
      const titles = lenses.filter((lens) => lens.range.start.line === line).flatMap((lens) => lens.command?.title ?? []);
      return titles.length > 0 ? titles : undefined;
    },
    () => last.join(' | ') || 'no lens',
  );
}

suite('Code lenses in a real VS Code', () => {
  suiteSetup(activateExtension);

  test('above <Package>: UAC patching is disabled by the MSIDISABLELUAPATCHING property, with where it is set', async () => {
    const product = workspaceFile('contoso-tools/Product.wxs');
    const propertyLine = (await lineContaining(product, 'Id="MSIDISABLELUAPATCHING"')) + 1;
    const titles = await lensTitlesOn(product, await lineContaining(product, '<Package '));
    assert.ok(
      titles.some((title) => title.startsWith('UAC patching:') && title.includes(`disabled by MSIDISABLELUAPATCHING=1 (Property at Product.wxs:${propertyLine})`)),
      titles.join(' | '),
    );
  });

  test('above a DigitalCertificate: its subject, SHA-1 thumbprint and the patches it signed', async () => {
    const product = workspaceFile('contoso-tools/Product.wxs');
    const titles = await lensTitlesOn(product, await lineContaining(product, 'Id="ContosoPatchSigning"'));
    const title = titles.join(' | ');
    assert.match(title, /CN=Contoso Patch Signing/);
    assert.match(title, /354A27977B17FEC59A1B1B9A91B2CEA5B2CCCE11/);
    // contoso-tools/bin/Release/ContosoTools-Hotfix1.msp is signed with it (examples/README.md).
    assert.match(title, /signed 1 patch\b/);
  });

  test('above the <Product> of a v3 source with no certificate: not ready', async () => {
    const agent = workspaceFile('fabrikam-agent/Agent.wxs');
    const titles = await lensTitlesOn(agent, await lineContaining(agent, '<Product '));
    assert.ok(titles.some((title) => title.startsWith('UAC patching:') && title.includes('not ready — no patch certificate')), titles.join(' | '));
  });

  test('above <Patch>: its target, its unsigned build and the missing signing step', async () => {
    const patchSource = workspaceFile('contoso-hotfix/Hotfix.wxs');
    const titles = await lensTitlesOn(patchSource, await lineContaining(patchSource, '<Patch '));
    const all = titles.join(' | ');
    assert.match(all, /Contoso Tools 1\.2\.0 \(Product\.wxs\)/);
    assert.match(all, /bin\/x64\/Release\/ContosoTools-Hotfix2\.msp — unsigned/);
    assert.match(all, /no step of Hotfix\.wixproj signs the \.msp/);
  });
});
