// WiX <Patch> sources: which products they target and why, which built .msp is theirs, and what
// the editor shows above them.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { packageFixture } from './support/packages';
import { fixture, PATCH_CERTIFICATES, TestWorkspace, v4Package, WORKSPACE } from './support/rule-tester';

const CONTOSO = '{6A1F2C3D-0000-4000-8000-00000000C0A1}';
const productAttributes = (version = '1.2.0', code = CONTOSO) => `Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="${version}" ProductCode="${code}" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"`;

function v4Patch(inner: string, attributes = 'AllowRemoval="yes" Manufacturer="Contoso Ltd" DisplayName="Contoso Tools Hotfix 2" Classification="Hotfix"'): string {
  return `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Patch ${attributes}>\n${inner.split('\n').map((line) => `    ${line}`).join('\n')}\n  </Patch>\n</Wix>\n`;
}
const patchProject = (outputName: string, references = '<ProjectReference Include="..\\Product\\Product.wixproj" />') =>
  `<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <OutputType>Patch</OutputType>\n    <OutputName>${outputName}</OutputName>\n  </PropertyGroup>\n  <ItemGroup>\n    ${references}\n  </ItemGroup>\n</Project>\n`;
const productProject = '<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <OutputName>ContosoTools</OutputName>\n  </PropertyGroup>\n</Project>\n';

/** Product/ (a ready v4 product with its project) and Patch/ (a patch project referencing it). */
function workspace(patchInner: string, extra: Record<string, string | Uint8Array> = {}): TestWorkspace {
  return new TestWorkspace({
    'Product/Product.wixproj': productProject,
    'Product/Product.wxs': v4Package(PATCH_CERTIFICATES, productAttributes()),
    'Product/contoso.cer': fixture('certificates/contoso-patch-signing.cer'),
    'Patch/Patch.wixproj': patchProject('ContosoTools-Hotfix2'),
    'Patch/Patch.wxs': v4Patch(patchInner),
    ...extra,
  });
}

function lensesIn(workspace: TestWorkspace, file: string): string[] {
  return workspace.analyze().lenses.filter((lens) => lens.file === workspace.path(file)).map((lens) => `${lens.range.start.line + 1}: ${lens.title}`);
}

describe('code lens above <Patch>', () => {
  it('a target found through the project reference, ready, and the signed build trusted by it', () => {
    const ws = workspace('<PatchFamily Id="ReadmeFix" Version="1.0.1.0" Supersede="yes">\n  <ComponentRef Id="Readme" />\n</PatchFamily>', {
      'Patch/bin/x64/Release/ContosoTools-Hotfix2.msp': packageFixture('patch-sha256.msp'),
    });
    assert.deepEqual(lensesIn(ws, 'Patch/Patch.wxs'), [
      '2: Target Contoso Tools 1.2.0 (Product.wxs) — ready, trusts CN=Contoso Patch Signing (through ProjectReference Product.wixproj)',
      '2: bin/x64/Release/ContosoTools-Hotfix2.msp — signed by CN=Contoso Patch Signing, trusted by Contoso Tools 1.2.0 (Product.wxs) ✓',
      '2: Signing: no step of Patch.wixproj signs the .msp',
    ]);
  });

  it('an unsigned build, and a target that is not ready', () => {
    const ws = workspace('', {
      'Product/Product.wxs': v4Package('<Property Id="ARPNOMODIFY" Value="1" />', productAttributes()),
      'Patch/bin/Release/ContosoTools-Hotfix2.msp': packageFixture('patch-unsigned.msp'),
    });
    assert.deepEqual(lensesIn(ws, 'Patch/Patch.wxs'), [
      '2: Target Contoso Tools 1.2.0 (Product.wxs) — not ready, no patch certificate (MsiPatchCertificate is empty) (through ProjectReference Product.wixproj)',
      '2: bin/Release/ContosoTools-Hotfix2.msp — unsigned: non-administrators get a UAC prompt',
      '2: Signing: no step of Patch.wixproj signs the .msp',
    ]);
  });

  it('the signing step the project runs after the build', () => {
    const signing = '<Target Name="SignPatch" AfterTargets="Build">\n    <Exec Command="signtool.exe sign /sha1 $(Thumbprint) /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 &quot;$(TargetPath)&quot;" />\n  </Target>';
    const ws = workspace('', { 'Patch/Patch.wixproj': patchProject('ContosoTools-Hotfix2').replace('</Project>', `  ${signing}\n</Project>`) });
    assert.ok(lensesIn(ws, 'Patch/Patch.wxs').includes('2: Signed after build by target SignPatch in Patch.wixproj (signtool)'), lensesIn(ws, 'Patch/Patch.wxs').join('\n'));
  });

  it('not built yet, and a target ProductCode the workspace has no product for', () => {
    const ws = new TestWorkspace({ 'Patch.wxs': v4Patch('<TargetProductCodes>\n  <TargetProductCode Id="{0D0D0D0D-1111-4222-8333-444455556666}" />\n</TargetProductCodes>') });
    assert.deepEqual(lensesIn(ws, 'Patch.wxs'), ['2: Target: no product of the workspace ({0D0D0D0D-1111-4222-8333-444455556666})', '2: Built patch: not in the workspace (looked for Patch.msp)']);
  });

  it('a signed build whose signer the target does not list', () => {
    const ws = workspace('', { 'Patch/bin/Release/ContosoTools-Hotfix2.msp': packageFixture('patch-northwind.msp') });
    assert.match(lensesIn(ws, 'Patch/Patch.wxs')[1], /^2: bin\/Release\/ContosoTools-Hotfix2\.msp — signed by CN=Northwind Patch Signing, NOT trusted by Contoso Tools 1\.2\.0 \(Product\.wxs\)$/);
  });
});

describe('built patches', () => {
  // WiX v4 generates the ProductCode when <Package> has none: the built .msp names a code no
  // source in the workspace has, and only the <Patch> source knows which product it is.
  const generatedCode = (patchFile: string) =>
    workspace('', { 'Product/Product.wxs': v4Package(PATCH_CERTIFICATES), 'Patch/bin/Release/ContosoTools-Hotfix2.msp': packageFixture(patchFile) });

  it('a product with a generated ProductCode: its patch is judged against the targets its source found', () => {
    const ws = generatedCode('patch-sha256.msp');
    assert.match(lensesIn(ws, 'Patch/bin/Release/ContosoTools-Hotfix2.msp')[0], / · trusted by Contoso Tools 1\.0\.0 \(Product\.wxs\) ✓$/);
  });

  it('… and a build signed by a certificate that product does not list is untrusted, on the .msp and on the <Patch>', () => {
    const ws = generatedCode('patch-northwind.msp');
    assert.deepEqual(
      ws.findings('untrusted-patch-signer').map((finding) => path.relative(WORKSPACE, finding.file)),
      [path.join('Patch', 'bin', 'Release', 'ContosoTools-Hotfix2.msp'), path.join('Patch', 'Patch.wxs')],
    );
  });

  it('a v3 patch that names no target (pyro gets them from the transforms) takes the targets its build names', () => {
    const source =
      '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\n  <Patch Id="{6A1F2C3D-0000-4000-8000-00000000E001}" AllowRemoval="yes" Manufacturer="Contoso Ltd" DisplayName="Contoso Tools Hotfix 1" Classification="Hotfix">\n' +
      '    <Media Id="5000" Cabinet="Hotfix1.cab">\n      <PatchBaseline Id="RTM" />\n    </Media>\n  </Patch>\n</Wix>\n';
    const ws = new TestWorkspace({ 'Hotfix1.wxs': source, 'out/Hotfix1.msp': packageFixture('patch-sha256.msp'), 'product-trusting.msi': packageFixture('product-trusting.msi') });
    assert.equal(lensesIn(ws, 'Hotfix1.wxs')[0], '2: Target Contoso Tools 1.0.0.0 (product-trusting.msi) — ready, trusts CN=Contoso Patch Signing (through the Template of Hotfix1.msp)');
  });

  it("the build's intermediate copy in obj/ is not the patch that ships", () => {
    const ws = workspace('', {
      'Patch/obj/Release/ContosoTools-Hotfix2.msp': packageFixture('patch-unsigned.msp'),
      'Patch/bin/Release/ContosoTools-Hotfix2.msp': packageFixture('patch-sha256.msp'),
    });
    assert.deepEqual(ws.findings('unsigned-patch').map((finding) => path.relative(WORKSPACE, finding.file)), [path.join('Patch', 'obj', 'Release', 'ContosoTools-Hotfix2.msp')]);
  });
});

describe('PatchFamily/DigitalCertificateRef', () => {
  const northwind = fixture('packages/certs/northwind-patch-signing.cer');
  // The installed baseline lists only Contoso; the rebuilt product also lists Northwind, and the
  // patch carries that row to installed machines.
  const rollover = (laterPatchFolder: string) =>
    new TestWorkspace({
      'Patch/Patch.wxs': v4Patch('<PatchBaseline Id="RTM" BaselineFile="..\\Baseline\\product-trusting.msi" UpdateFile="..\\Product\\bin\\Release\\ContosoTools.msi" />\n<PatchFamily Id="SigningRollover" Version="1.0.1.0">\n  <DigitalCertificateRef Id="NorthwindSigning" />\n</PatchFamily>'),
      'Baseline/product-trusting.msi': packageFixture('product-trusting.msi'),
      'Product/Product.wxs': v4Package('<PatchCertificates>\n  <DigitalCertificate Id="ContosoSigning" SourceFile="contoso.cer" />\n  <DigitalCertificate Id="NorthwindSigning" SourceFile="northwind.cer" />\n</PatchCertificates>', productAttributes('1.0.1')),
      'Product/contoso.cer': fixture('certificates/contoso-patch-signing.cer'),
      'Product/northwind.cer': northwind,
      [`${laterPatchFolder}/Hotfix3.msp`]: packageFixture('patch-northwind.msp'),
    });

  it('the lens on the reference names the signer it adds and the later patches signed by it', () => {
    const ws = rollover('Later');
    const northwindSha1 = (JSON.parse(fixture('packages/expected.json').toString('utf8'))['patch-northwind.msp'] as { signer: { sha1: string } }).signer.sha1;
    assert.ok(
      lensesIn(ws, 'Patch/Patch.wxs').includes(
        `5: Adds CN=Northwind Patch Signing (SHA-1 ${northwindSha1}) to the MsiPatchCertificate table of Contoso Tools 1.0.0.0 (product-trusting.msi) once applied: 1 later patch in the workspace signed by it (Hotfix3.msp)`,
      ),
      lensesIn(ws, 'Patch/Patch.wxs').join('\n'),
    );
  });

  it("the later patch's own status says it is trusted once the earlier patch is applied", () => {
    const ws = rollover('Later');
    const title = lensesIn(ws, 'Later/Hotfix3.msp')[0];
    assert.match(title, /trusted by Contoso Tools 1\.0\.0\.0 \(product-trusting\.msi\) once Contoso Tools Hotfix 2 \(Patch\.wxs\) is applied \(it adds CN=Northwind Patch Signing\)/);
    assert.deepEqual(ws.findings('untrusted-patch-signer'), []);
  });

  it('inspect on the later patch says which earlier patch makes the target trust it', () => {
    const ws = rollover('Later');
    const baseline = ws.analyze().inspect(ws.path('Later/Hotfix3.msp'))?.signature?.trust?.targets.find((target) => target.product.includes('product-trusting.msi'));
    assert.equal(baseline?.trusts, true);
    assert.equal(baseline?.once, 'once Contoso Tools Hotfix 2 (Patch.wxs) is applied (it adds CN=Northwind Patch Signing)');
  });
});

describe('related information', () => {
  it('patch-target-not-ready points at the product source', () => {
    const ws = workspace('', { 'Product/Product.wxs': v4Package('<Property Id="MSIDISABLELUAPATCHING" Value="1" />', productAttributes()) });
    const [finding] = ws.findings('patch-target-not-ready');
    assert.deepEqual(finding.related?.map((related) => [path.relative(WORKSPACE, related.file), related.range.start.line + 1]), [[path.join('Product', 'Product.wxs'), 2]]);
  });

  it('unsigned-patch on the .msp points at the <Patch> that builds it, and back', () => {
    const ws = workspace('', { 'Patch/bin/Release/ContosoTools-Hotfix2.msp': packageFixture('patch-unsigned.msp') });
    const findings = ws.findings('unsigned-patch');
    const where = (file: string) => findings.find((finding) => finding.file === ws.path(file))!;
    assert.deepEqual(where('Patch/bin/Release/ContosoTools-Hotfix2.msp').related?.map((related) => [related.file, related.range.start.line + 1, related.message]), [[ws.path('Patch/Patch.wxs'), 2, 'named by the <Patch> in Patch.wxs']]);
    assert.deepEqual(where('Patch/Patch.wxs').related?.map((related) => related.file), [ws.path('Patch/bin/Release/ContosoTools-Hotfix2.msp')]);
  });
});

describe('half-typed and odd patch sources', () => {
  it('a <Patch> cut off while typing still gets its targets and no crash', () => {
    const ws = workspace('<PatchBaseline Id="RTM" BaselineFile="..\\Product\\bin\\Release\\Con');
    ws.fs.write(ws.path('Patch/Patch.wxs'), '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Patch DisplayName="Hotfix">\n    <PatchBaseline Id="RTM" BaselineFile="..\\Product\\bin\\Rel');
    const lenses = lensesIn(ws, 'Patch/Patch.wxs');
    assert.match(lenses[0], /^2: Target Contoso Tools 1\.2\.0 \(Product\.wxs\) — ready/);
  });

  it('a UTF-16 v3 patch with its PatchFamily in an included file and the target code in a variable', () => {
    const include = '<?xml version="1.0" encoding="utf-16"?>\r\n<Include>\r\n  <?define ProductCode = "{6A1F2C3D-0000-4000-8000-00000000C0A1}" ?>\r\n</Include>\r\n';
    const source =
      '<?xml version="1.0" encoding="utf-16"?>\r\n<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\r\n  <?include Patch.wxi ?>\r\n' +
      '  <Patch AllowRemoval="yes" Manufacturer="Contoso Ltd" DisplayName="Contoso Tools Hotfix 2" Classification="Hotfix">\r\n' +
      '    <Media Id="5000" Cabinet="Hotfix2.cab">\r\n      <PatchBaseline Id="RTM" />\r\n    </Media>\r\n' +
      '    <TargetProductCodes Replace="no">\r\n      <TargetProductCode Id="$(var.ProductCode)" />\r\n    </TargetProductCodes>\r\n' +
      '  </Patch>\r\n</Wix>\r\n';
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const ws = new TestWorkspace({ 'Patch.wxs': utf16(source), 'Patch.wxi': utf16(include), 'product-trusting.msi': packageFixture('product-trusting.msi') });
    assert.equal(lensesIn(ws, 'Patch.wxs')[0], '4: Target Contoso Tools 1.0.0.0 (product-trusting.msi) — ready, trusts CN=Contoso Patch Signing (through TargetProductCode)');
  });
});
