import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idtFolder, idtText, packages } from './support/packages';
import { fixture, PATCH_CERTIFICATES, TestWorkspace, v3Product, v4Package } from './support/rule-tester';

const expected = JSON.parse(fixture('certificates/expected.json').toString('utf8'));
const contoso = Object.entries(expected).find(([name]) => name.startsWith('contoso-patch-signing'))![1] as { sha1: string; notAfter: string };

function lensTitles(files: Record<string, string | Uint8Array>): string[] {
  return new TestWorkspace(files).analyze().lenses.map((lens) => lens.title);
}

const certificate = { 'contoso.cer': fixture('certificates/contoso-patch-signing.cer') };

describe('code lens above the product', () => {
  it('ready: names the certificates it trusts', () => {
    assert.deepEqual(lensTitles({ 'Product.wxs': v4Package(PATCH_CERTIFICATES), ...certificate })[0], 'UAC patching: ready — trusts CN=Contoso Patch Signing');
  });
  it('not ready without a patch certificate', () => {
    assert.match(lensTitles({ 'Product.wxs': v4Package('<MajorUpgrade />') })[0], /^UAC patching: not ready — no patch certificate/);
  });
  it('disabled by MSIDISABLELUAPATCHING, with where it is set', () => {
    assert.match(lensTitles({ 'Product.wxs': v4Package(`${PATCH_CERTIFICATES}\n<Property Id="MSIDISABLELUAPATCHING" Value="1" />`), ...certificate })[0], /disabled by MSIDISABLELUAPATCHING=1 \(Property at Product\.wxs:6\)/);
  });
  it('disabled by the machine policy the package writes', () => {
    const policy = '<Component Id="P" Directory="INSTALLFOLDER">\n  <RegistryValue Root="HKLM" Key="Software\\Policies\\Microsoft\\Windows\\Installer" Name="DisableLUAPatching" Type="integer" Value="1" />\n</Component>';
    assert.match(lensTitles({ 'Product.wxs': v4Package(`${PATCH_CERTIFICATES}\n${policy}`), ...certificate })[0], /disabled machine-wide by the DisableLUAPatching policy/);
  });
  it('does not apply to a per-user product (WiX v3 without InstallScope)', () => {
    assert.match(lensTitles({ 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="500"'), ...certificate })[0], /does not apply — per-user product/);
  });
  it('not ready below InstallerVersion 300', () => {
    assert.match(lensTitles({ 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="200" InstallScope="perMachine"'), ...certificate })[0], /not ready — InstallerVersion 200 is below 300/);
  });
  it('a PEM certificate is not a usable signer', () => {
    const pem = PATCH_CERTIFICATES.replace('contoso.cer', 'contoso.pem');
    assert.match(lensTitles({ 'Product.wxs': v4Package(pem), 'contoso.pem': fixture('certificates/contoso-patch-signing.pem') })[0], /not ready — no usable certificate file/);
  });
});

describe('code lens above a DigitalCertificate', () => {
  it('subject, SHA-1 thumbprint (as openssl computes it) and end of validity', () => {
    const titles = lensTitles({ 'Product.wxs': v4Package(PATCH_CERTIFICATES), ...certificate });
    assert.equal(titles[1], `CN=Contoso Patch Signing · SHA-1 ${contoso.sha1} · valid until ${contoso.notAfter.slice(0, 10)} · signed no patch in the workspace`);
  });
  it('says when the file is missing', () => {
    assert.equal(lensTitles({ 'Product.wxs': v4Package(PATCH_CERTIFICATES) })[1], 'file missing: contoso.cer');
  });
  it('counts the patches of the workspace it signed (valid signatures only)', () => {
    const titles = lensTitles({ 'Product.wxs': v4Package(PATCH_CERTIFICATES), ...certificate, ...packages('patch-sha256.msp', 'patch-sha1.msp', 'patch-tampered.msp', 'patch-northwind.msp') });
    assert.match(titles[1], / · signed 2 patches in the workspace \(patch-sha1\.msp, patch-sha256\.msp\)$/);
  });
});

describe('status of built packages and patches', () => {
  const titlesOf = (names: string[]) => lensTitles(packages(...names));
  it('a product package: its readiness, from its tables', () => {
    assert.deepEqual(titlesOf(['product-trusting.msi']), ['UAC patching: ready — trusts CN=Contoso Patch Signing']);
    assert.deepEqual(titlesOf(['product-no-certificates.msi']), ['UAC patching: not ready — no patch certificate (MsiPatchCertificate is empty)']);
    assert.deepEqual(titlesOf(['product-lua-disabled.msi']), ['UAC patching: disabled by MSIDISABLELUAPATCHING=1 (Property table)']);
  });
  it('a patch whose target is in the workspace: signer and trust', () => {
    const titles = titlesOf(['patch-sha256.msp', 'product-trusting.msi']).filter((title) => title.startsWith('Patch:'));
    assert.deepEqual(titles, [`Patch: signed by CN=Contoso Patch Signing (SHA-1 ${contoso.sha1}, SHA256) · signature valid · trusted by Contoso Tools 1.0.0.0 (product-trusting.msi) ✓`]);
  });
  it('a trusted patch whose target has UAC patching disabled says so', () => {
    const files = { ...packages('patch-sha256.msp'), ...idtFolder('db', { 'Property.idt': `${idtText('Property.idt')}MSIDISABLELUAPATCHING\t1\r\n` }) };
    const titles = lensTitles(files).filter((title) => title.startsWith('Patch:'));
    assert.match(titles[0], / · trusted by Contoso Tools 1\.0\.0\.0 \(db\), but UAC patching there: disabled by MSIDISABLELUAPATCHING=1 \(Property table\)$/);
  });
  it('a patch whose target is not in the workspace: the signer, and which ProductCode was looked for', () => {
    assert.match(titlesOf(['patch-no-target.msp'])[0], /^Patch: signed by CN=Contoso Patch Signing .* · signature valid · target product not in the workspace \(\{6A1F2C3D-0000-4000-8000-00000000C0FF\}\)$/);
  });
  it('unsigned and tampered patches', () => {
    assert.deepEqual(titlesOf(['patch-unsigned.msp']), ['Patch: unsigned — non-administrators get a UAC prompt']);
    assert.match(titlesOf(['patch-tampered.msp'])[0], /signature does not verify$/);
  });
});
