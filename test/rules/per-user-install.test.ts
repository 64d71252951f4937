import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PATCH_CERTIFICATES, ruleTester, TestWorkspace, v3Product, v4Package } from '../support/rule-tester';
import { idtFolder, idtText, packages } from '../support/packages';

const V4 = 'http://wixtoolset.org/schemas/v4/wxs';
const V3 = 'http://schemas.microsoft.com/wix/2006/wi';
const PACKAGE_ATTRIBUTES = 'Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"';
/** v3 package attributes without InstallScope: per-user unless ALLUSERS says otherwise. */
const V3_NO_SCOPE = 'InstallerVersion="500" Compressed="yes"';

/** A `<Wix>` source holding one `<Fragment>` with the given lines (LF, two-space indentation). */
function fragment(namespace: string, inner: string): string {
  const body = inner.split('\n').map((line) => `    ${line}`).join('\n');
  return `<Wix xmlns="${namespace}">\n  <Fragment>\n${body}\n  </Fragment>\n</Wix>\n`;
}

ruleTester('per-user-install', {
  valid: [
    { name: 'a v4 package with the default scope (perMachine)', files: { 'Product.wxs': v4Package(PATCH_CERTIFICATES) } },
    { name: 'a v4 package with Scope="perMachine"', files: { 'Product.wxs': v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} Scope="perMachine"`) } },
    { name: 'a v4 package with Scope="perMachineOrUser" (per-machine by default)', files: { 'Product.wxs': v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} Scope="perMachineOrUser"`) } },
    { name: 'a v3 product with InstallScope="perMachine"', files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES) } },
    { name: 'a v3 product made per-machine by Property ALLUSERS=1', files: { 'Product.wxs': v3Product(`<Property Id="ALLUSERS" Value="1" />\n${PATCH_CERTIFICATES}`, V3_NO_SCOPE) } },
    { name: 'a v3 product with ALLUSERS=1 as inner text', files: { 'Product.wxs': v3Product(`<Property Id="ALLUSERS">1</Property>\n${PATCH_CERTIFICATES}`, V3_NO_SCOPE) } },
    {
      name: 'a v3 product with ALLUSERS=1 from an included .wxi',
      files: {
        'Product.wxs': v3Product(`<?include Common.wxi ?>\n${PATCH_CERTIFICATES}`, V3_NO_SCOPE),
        'Common.wxi': '<?xml version="1.0" encoding="utf-8"?>\r\n<Include>\r\n  <Property Id="ALLUSERS" Value="1" />\r\n  <Property Id="ARPNOMODIFY" Value="1" />\r\n</Include>\r\n',
      },
    },
    {
      name: 'a v3 product with ALLUSERS=1 in a fragment linked with PropertyRef',
      files: { 'Product.wxs': v3Product(`<PropertyRef Id="ALLUSERS" />\n${PATCH_CERTIFICATES}`, V3_NO_SCOPE), 'Properties.wxs': fragment(V3, '<Property Id="ALLUSERS" Value="1" />') },
    },
    { name: 'a v3 product with ALLUSERS=2 and no MSIINSTALLPERUSER (per-machine by default)', files: { 'Product.wxs': v3Product(`<Property Id="ALLUSERS" Value="2" />\n${PATCH_CERTIFICATES}`, V3_NO_SCOPE) } },
    {
      name: 'a v3 InstallScope taken from a <?define?>',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="500" Compressed="yes" InstallScope="$(var.Scope)"').replace('<Product ', '<?define Scope = "perMachine" ?>\n  <Product ') },
    },
    { name: 'a v3 InstallScope given only at build time', files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="500" Compressed="yes" InstallScope="$(var.InstallScope)"') } },
    { name: 'a v3 ALLUSERS value given only at build time', files: { 'Product.wxs': v3Product(`<Property Id="ALLUSERS" Value="$(var.AllUsers)" />\n${PATCH_CERTIFICATES}`, V3_NO_SCOPE) } },
    { name: 'a v4 per-user package without certificates', files: { 'Product.wxs': v4Package('<MediaTemplate />', `${PACKAGE_ATTRIBUTES} Scope="perUser"`) } },
    {
      name: 'a v3 per-user product whose certificates sit in a fragment nothing links',
      files: { 'Product.wxs': v3Product('<MediaTemplate />', V3_NO_SCOPE), 'Servicing.wxs': fragment(V3, '<ComponentGroup Id="Servicing" />\n' + PATCH_CERTIFICATES) },
    },
    {
      name: 'a merge module with certificates (modules take the scope of the product that merges them)',
      files: { 'Module.wxs': `<Wix xmlns="${V3}">\n  <Module Id="FabrikamRuntime" Language="1033" Version="1.0.0.0">\n    <Package Id="{5B7C9D1E-2F3A-4B5C-8D9E-0F1A2B3C4D5E}" InstallerVersion="500" Manufacturer="Fabrikam" />\n    ${PATCH_CERTIFICATES.replace(/\n/g, '\n    ')}\n  </Module>\n</Wix>\n` },
    },
  ],
  invalid: [
    {
      name: 'a v4 package with Scope="perUser", reported on <PatchCertificates>',
      files: { 'Product.wxs': v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} Scope="perUser"`) },
      findings: [{ line: 3, message: /^This product installs per-user \(Package\/@Scope is perUser\): UAC patching applies only to per-machine installs/ }],
    },
    {
      name: 'a v4 package with Scope="perUserOrMachine"',
      files: { 'Product.wxs': v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} Scope="perUserOrMachine"`) },
      findings: [{ line: 3, message: /perUserOrMachine \(ALLUSERS=2 with MSIINSTALLPERUSER=1, per-user by default\)/ }],
    },
    {
      name: 'a v3 product with neither InstallScope nor ALLUSERS',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, V3_NO_SCOPE) },
      findings: [{ line: 4, message: /no InstallScope and no ALLUSERS property \(WiX v3 default: per-user\)/ }],
    },
    {
      name: 'a v3 product with InstallScope="perUser"',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="500" Compressed="yes" InstallScope="perUser"') },
      findings: [{ line: 4, message: /Package\/@InstallScope is perUser/ }],
    },
    {
      name: 'a v3 product with InstallPrivileges="limited"',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="500" Compressed="yes" InstallPrivileges="limited"') },
      findings: [{ line: 4, message: /Package\/@InstallPrivileges is limited/ }],
    },
    {
      name: 'a v3 product with ALLUSERS=2 and MSIINSTALLPERUSER=1',
      files: { 'Product.wxs': v3Product(`<Property Id="ALLUSERS" Value="2" />\n<Property Id="MSIINSTALLPERUSER" Value="1" />\n${PATCH_CERTIFICATES}`, V3_NO_SCOPE) },
      findings: [{ line: 6, message: /ALLUSERS is 2 and MSIINSTALLPERUSER is 1/ }],
    },
    {
      name: 'ALLUSERS=1 in a fragment nothing links does not make the product per-machine',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, V3_NO_SCOPE), 'Properties.wxs': fragment(V3, '<Property Id="ALLUSERS" Value="1" />') },
      findings: [{ file: 'Product.wxs', line: 4 }],
    },
    {
      name: 'ALLUSERS=1 only in an <?if?> branch the project\'s DefineConstants rule out',
      files: {
        'Installer.wixproj':
          '<Project ToolsVersion="4.0" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n  <PropertyGroup>\n    <OutputType>Package</OutputType>\n    <DefineConstants>Edition=Personal</DefineConstants>\n  </PropertyGroup>\n  <ItemGroup>\n    <Compile Include="Product.wxs" />\n  </ItemGroup>\n  <Import Project="$(WixTargetsPath)" />\n</Project>\n',
        'Product.wxs': v3Product(`<?if $(var.Edition) = "Enterprise" ?>\n<Property Id="ALLUSERS" Value="1" />\n<?endif?>\n${PATCH_CERTIFICATES}`, V3_NO_SCOPE),
      },
      findings: [{ file: 'Product.wxs', line: 7 }],
    },
    {
      name: 'certificates in a fragment linked through FeatureRef and ComponentGroupRef are reported in the fragment',
      files: {
        'Product.wxs': v4Package('<FeatureRef Id="Main" />', `${PACKAGE_ATTRIBUTES} Scope="perUser"`),
        'Features.wxs': fragment(V4, '<Feature Id="Main">\n  <ComponentGroupRef Id="Servicing" />\n</Feature>'),
        'Servicing.wxs': fragment(V4, '<ComponentGroup Id="Servicing" />\n' + PATCH_CERTIFICATES),
      },
      findings: [{ file: 'Servicing.wxs', line: 4 }],
    },
    {
      name: 'certificates in an included .wxi are reported in the .wxi',
      files: {
        'Product.wxs': v3Product('<?include $(sys.SOURCEFILEDIR)Include\\Servicing.wxi ?>', V3_NO_SCOPE),
        'Include/Servicing.wxi': `<Include>\r\n\t<PatchCertificates>\r\n\t\t<DigitalCertificate Id="Contoso" SourceFile="..\\contoso.cer" />\r\n\t</PatchCertificates>\r\n</Include>\r\n`,
      },
      findings: [{ file: 'Include/Servicing.wxi', line: 2 }],
    },
    {
      name: 'a UTF-16 LE source with CRLF line ends',
      files: { 'Product.wxs': Buffer.from('\ufeff' + v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} Scope="perUser"`).replace(/\n/g, '\r\n'), 'utf16le') },
      findings: [{ line: 3 }],
    },
  ],
});

describe('per-user-install related location', () => {
  it('points at the authoring that makes the product per-user', () => {
    const workspace = new TestWorkspace({ 'Product.wxs': v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} Scope="perUser"`) });
    const [finding] = workspace.findings('per-user-install');
    const scopeValue = workspace.text('Product.wxs').split('\n')[1].indexOf('perUser');
    assert.deepEqual(finding.related, [
      { file: workspace.path('Product.wxs'), range: { start: { line: 1, character: scopeValue }, end: { line: 1, character: scopeValue + 'perUser'.length } }, message: 'scope: Package/@Scope is perUser' },
    ]);
  });

  it('points at the <Package> when the v3 default makes it per-user', () => {
    const workspace = new TestWorkspace({ 'Product.wxs': v3Product(PATCH_CERTIFICATES, V3_NO_SCOPE) });
    const [finding] = workspace.findings('per-user-install');
    assert.equal(finding.related?.[0].range.start.line, 2);
    assert.equal(finding.related?.[0].range.start.character, '    <'.length);
  });
});

// Built packages and .idt folders.
ruleTester('per-user-install', {
  valid: [
    { name: 'a per-machine package with certificates', files: packages('product-trusting.msi') },
    { name: 'a per-user .idt product without certificates', files: idtFolder('db', { 'Property.idt': idtText('Property.idt').replace('ALLUSERS\t1\r\n', ''), 'MsiPatchCertificate.idt': null, 'MsiDigitalCertificate.idt': null }) },
  ],
  invalid: [
    {
      name: 'an .idt product without ALLUSERS that lists certificates',
      files: idtFolder('db', { 'Property.idt': idtText('Property.idt').replace('ALLUSERS\t1\r\n', '') }),
      findings: [{ file: 'db/MsiPatchCertificate.idt', line: 4, message: /installs per-user \(no ALLUSERS property/ }],
    },
    {
      name: 'ALLUSERS=2 with MSIINSTALLPERUSER=1',
      files: idtFolder('db', { 'Property.idt': idtText('Property.idt').replace('ALLUSERS\t1\r\n', 'ALLUSERS\t2\r\nMSIINSTALLPERUSER\t1\r\n') }),
      findings: [{ file: 'db/MsiPatchCertificate.idt', line: 4, message: /MSIINSTALLPERUSER is 1/ }],
    },
  ],
});
