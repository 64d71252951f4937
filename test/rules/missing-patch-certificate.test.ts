import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, PATCH_CERTIFICATES, ruleTester, TestWorkspace, v3Product, v4Package } from '../support/rule-tester';
import { idtFolder, idtText, packages } from '../support/packages';

const V4 = 'http://wixtoolset.org/schemas/v4/wxs';
const V3 = 'http://schemas.microsoft.com/wix/2006/wi';
const CONTOSO = fixture('certificates/contoso-patch-signing.cer');

/** A `<Wix>` source holding one `<Fragment>` with the given lines (LF, two-space indentation). */
function fragment(namespace: string, inner: string): string {
  const body = inner.split('\n').map((line) => `    ${line}`).join('\n');
  return `<Wix xmlns="${namespace}">\n  <Fragment>\n${body}\n  </Fragment>\n</Wix>\n`;
}

const SDK_PROJECT = '<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <Platform>x64</Platform>\n  </PropertyGroup>\n</Project>\n';

ruleTester('missing-patch-certificate', {
  valid: [
    { name: 'a v4 package that lists a patch certificate', files: { 'Product.wxs': v4Package(PATCH_CERTIFICATES) } },
    { name: 'a v3 per-machine product that lists a patch certificate', files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES) } },
    { name: 'a v4 per-user package (UAC patching does not apply)', files: { 'Product.wxs': v4Package('<MajorUpgrade DowngradeErrorMessage="A newer version is installed." />', 'Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C" Scope="perUser"') } },
    { name: 'a v4 perUserOrMachine package (per-user by default)', files: { 'Product.wxs': v4Package('<MediaTemplate />', 'Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C" Scope="perUserOrMachine"') } },
    { name: 'a v3 product with neither InstallScope nor ALLUSERS (per-user by default)', files: { 'Product.wxs': v3Product('<MediaTemplate />', 'InstallerVersion="500" Compressed="yes"') } },
    { name: 'a v3 product with InstallPrivileges="limited"', files: { 'Product.wxs': v3Product('<MediaTemplate />', 'InstallerVersion="500" Compressed="yes" InstallPrivileges="limited"') } },
    {
      name: 'certificates in a fragment linked transitively (FeatureRef → ComponentGroupRef)',
      files: {
        'Product.wxs': v4Package('<FeatureRef Id="Main" />'),
        'Features.wxs': fragment(V4, '<Feature Id="Main">\n  <ComponentGroupRef Id="Servicing" />\n</Feature>'),
        'Servicing.wxs': fragment(V4, '<ComponentGroup Id="Servicing" />\n<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" SourceFile="contoso.cer" />\n</PatchCertificates>'),
      },
    },
    {
      name: 'certificates in an included .wxi, with SourceFile from $(sys.SOURCEFILEDIR)',
      files: {
        'Product.wxs': v3Product('<?include Servicing.wxi ?>'),
        'Servicing.wxi': '<Include>\n  <PatchCertificates>\n    <DigitalCertificate Id="Contoso" SourceFile="$(sys.SOURCEFILEDIR)certs\\contoso.cer" />\n  </PatchCertificates>\n</Include>\n',
      },
    },
    {
      name: 'certificates inside an <?ifdef?> that cannot be decided here (they count as present)',
      files: { 'Product.wxs': v4Package(`<?ifdef Release ?>\n${PATCH_CERTIFICATES}\n<?endif?>`) },
    },
    {
      name: 'certificates inside the <?if?> branch that the project\'s DefineConstants select',
      files: {
        'Installer.wixproj': '<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <DefineConstants>Flavor=Release</DefineConstants>\n  </PropertyGroup>\n</Project>\n',
        'Product.wxs': v4Package(`<?if $(var.Flavor) = "Release" ?>\n${PATCH_CERTIFICATES}\n<?endif?>`),
      },
    },
    {
      name: 'a merge module (not a product)',
      files: { 'Module.wxs': `<Wix xmlns="${V4}">\n  <Module Id="ContosoRuntime" Language="1033" Version="1.0.0" Guid="5B7C9D1E-2F3A-4B5C-8D9E-0F1A2B3C4D5E">\n    <StandardDirectory Id="ProgramFiles6432Folder" />\n  </Module>\n</Wix>\n` },
    },
    {
      name: 'a bundle',
      files: { 'Bundle.wxs': `<Wix xmlns="${V4}">\n  <Bundle Name="Suite" Version="1.0.0" Manufacturer="M" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6D">\n    <Chain>\n      <MsiPackage SourceFile="Tools.msi" />\n    </Chain>\n  </Bundle>\n</Wix>\n` },
    },
    {
      name: 'a UTF-16 LE v3 source that lists a certificate',
      files: { 'Product.wxs': Buffer.from('\ufeff' + v3Product(PATCH_CERTIFICATES).replace(/\n/g, '\r\n'), 'utf16le') },
    },
    {
      name: 'a v4 Scope given only at build time (it may be perUser)',
      files: { 'Product.wxs': v4Package('<MediaTemplate />', 'Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C" Scope="$(var.InstallScope)"') },
    },
    {
      name: 'a v3 InstallScope given only at build time',
      files: { 'Product.wxs': v3Product('<MediaTemplate />', 'InstallerVersion="500" Compressed="yes" InstallScope="$(var.InstallScope)"') },
    },
    {
      name: 'a finding suppressed with wix-uac-disable-next-line',
      files: { 'Product.wxs': `<Wix xmlns="${V4}">\n  <!-- wix-uac-disable-next-line missing-patch-certificate -->\n  <Package Name="A" Version="1.0.0" Manufacturer="M" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\n  </Package>\n</Wix>\n` },
    },
    {
      name: 'the rule turned off in wix-uac.json',
      files: { 'wix-uac.json': '{ "rules": { "missing-patch-certificate": "off" } }\n', 'Product.wxs': v4Package('<MediaTemplate />') },
    },
  ],
  invalid: [
    {
      name: 'a v4 package without certificates and no certificate in the workspace: a fix with a path to fill in',
      files: { 'Product.wxs': v4Package('<MajorUpgrade DowngradeErrorMessage="A newer version is installed." />\n<MediaTemplate />') },
      findings: [{ line: 2, message: /Package "Contoso Tools" installs per-machine \(Package\/@Scope defaults to perMachine in WiX v4 and later\) but lists no patch certificate/ }],
      fix: {
        title: /^Add PatchCertificates \(fill in the path of your patch-signing certificate\)$/,
        files: {
          'Product.wxs': v4Package(
            '<PatchCertificates>\n  <DigitalCertificate Id="PatchSigning" SourceFile="PatchSigning.cer" />\n</PatchCertificates>\n<MajorUpgrade DowngradeErrorMessage="A newer version is installed." />\n<MediaTemplate />',
          ),
        },
      },
    },
    {
      name: 'a certificate file in the workspace: the fix names its subject and its path relative to the source',
      files: { 'Product.wxs': v4Package('<MediaTemplate />'), 'certs/contoso-patch-signing.cer': CONTOSO },
      findings: [{ line: 2 }],
      fix: {
        title: /^Add patch certificate CN=Contoso Patch Signing \(certs\\contoso-patch-signing\.cer\)$/,
        files: {
          'Product.wxs': v4Package('<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" SourceFile="certs\\contoso-patch-signing.cer" />\n</PatchCertificates>\n<MediaTemplate />'),
        },
      },
    },
    {
      name: 'a v3 per-machine product: reported on <Product>, certificates inserted after its <Package> (the schema wants Package first)',
      files: { 'Product.wxs': v3Product('<MediaTemplate />'), 'contoso.cer': CONTOSO },
      findings: [{ line: 2, message: /Product "Fabrikam Agent" installs per-machine \(Package\/@InstallScope is perMachine\)/ }],
      fix: {
        title: /CN=Contoso Patch Signing \(contoso\.cer\)/,
        files: {
          'Product.wxs':
            `<Wix xmlns="${V3}">\n` +
            '  <Product Id="{3C1E5A4D-8B2F-4D6E-A1C3-5F7B9D0E2A4C}" Name="Fabrikam Agent" Language="1033" Version="3.1.0.0" Manufacturer="Fabrikam" UpgradeCode="{9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D}">\n' +
            '    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" />\n' +
            '    <PatchCertificates>\n' +
            '      <DigitalCertificate Id="ContosoPatchSigning" SourceFile="contoso.cer" />\n' +
            '    </PatchCertificates>\n' +
            '    <MediaTemplate />\n' +
            '  </Product>\n</Wix>\n',
        },
      },
    },
    {
      name: 'a subject with accented letters gives a readable Id',
      files: { 'Product.wxs': v4Package('<MediaTemplate />'), 'fabrikam-release.cer': fixture('certificates/fabrikam-release.cer') },
      findings: [{ line: 2 }],
      fix: {
        title: /^Add patch certificate CN=Fabrikam Ingeniería S\.L\. \(fabrikam-release\.cer\)$/,
        files: { 'Product.wxs': v4Package('<PatchCertificates>\n  <DigitalCertificate Id="FabrikamIngenieriaSL" SourceFile="fabrikam-release.cer" />\n</PatchCertificates>\n<MediaTemplate />') },
      },
    },
    {
      name: 'a v3 product made per-machine by Property ALLUSERS=1',
      files: { 'Product.wxs': v3Product('<Property Id="ALLUSERS" Value="1" />', 'InstallerVersion="500" Compressed="yes"') },
      findings: [{ line: 2, message: /\(the ALLUSERS property is 1\)/ }],
    },
    {
      name: 'a v3 product made per-machine by ALLUSERS in a fragment linked with PropertyRef',
      files: {
        'Product.wxs': v3Product('<PropertyRef Id="ALLUSERS" />', 'InstallerVersion="500" Compressed="yes"'),
        'Properties.wxs': fragment(V3, '<Property Id="ALLUSERS" Value="1" />'),
      },
      findings: [{ line: 2, message: /the ALLUSERS property is 1/ }],
    },
    {
      name: 'a v4 Scope from a <?define?> in an included .wxi',
      files: {
        'Product.wxs': `<Wix xmlns="${V4}">\n  <?include Config.wxi ?>\n  <Package Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C" Scope="$(var.InstallScope)">\n    <MediaTemplate />\n  </Package>\n</Wix>\n`,
        'Config.wxi': '<Include>\n  <?define InstallScope = "perMachine" ?>\n</Include>\n',
      },
      findings: [{ line: 3, message: /\(Package\/@Scope is perMachine\)/ }],
    },
    {
      name: 'a v4 perMachineOrUser package (per-machine by default)',
      files: { 'Product.wxs': v4Package('<MediaTemplate />', 'Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C" Scope="perMachineOrUser"') },
      findings: [{ line: 2, message: /perMachineOrUser/ }],
    },
    {
      name: 'certificates only in a fragment nothing links',
      files: {
        'Product.wxs': v4Package('<MediaTemplate />'),
        'Servicing.wxs': fragment(V4, '<ComponentGroup Id="Servicing" />\n<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" SourceFile="contoso.cer" />\n</PatchCertificates>'),
      },
      findings: [{ file: 'Product.wxs', line: 2 }],
    },
    {
      name: 'certificates only in an <?if?> branch that the defined variables rule out',
      files: { 'Product.wxs': v4Package(`<?define Flavor = "Debug" ?>\n<?if $(var.Flavor) = "Release" ?>\n${PATCH_CERTIFICATES}\n<?endif?>`) },
      findings: [{ line: 2 }],
    },
    {
      name: 'an empty <PatchCertificates/> writes no MsiPatchCertificate row',
      files: { 'Product.wxs': v4Package('<PatchCertificates />') },
      findings: [{ line: 2 }],
    },
    {
      name: 'a CRLF file indented with tabs keeps both in the inserted lines',
      files: {
        'Product.wxs': `<Wix xmlns="${V4}">\r\n\t<Package Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\r\n\t\t<MediaTemplate />\r\n\t</Package>\r\n</Wix>\r\n`,
        'contoso-patch-signing.cer': CONTOSO,
      },
      findings: [{ line: 2 }],
      fix: {
        title: /CN=Contoso Patch Signing/,
        files: {
          'Product.wxs': `<Wix xmlns="${V4}">\r\n\t<Package Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\r\n\t\t<PatchCertificates>\r\n\t\t\t<DigitalCertificate Id="ContosoPatchSigning" SourceFile="contoso-patch-signing.cer" />\r\n\t\t</PatchCertificates>\r\n\t\t<MediaTemplate />\r\n\t</Package>\r\n</Wix>\r\n`,
        },
      },
    },
    {
      name: 'a file indented with four spaces keeps its step in the inserted lines',
      files: {
        'Product.wxs': `<?xml version="1.0" encoding="utf-8"?>\n<Wix xmlns="${V4}">\n    <Package Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\n        <MediaTemplate />\n    </Package>\n</Wix>\n`,
      },
      findings: [{ line: 3 }],
      fix: {
        title: /fill in the path/,
        files: {
          'Product.wxs': `<?xml version="1.0" encoding="utf-8"?>\n<Wix xmlns="${V4}">\n    <Package Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\n        <PatchCertificates>\n            <DigitalCertificate Id="PatchSigning" SourceFile="PatchSigning.cer" />\n        </PatchCertificates>\n        <MediaTemplate />\n    </Package>\n</Wix>\n`,
        },
      },
    },
    {
      name: 'a UTF-16 LE source with CRLF line ends',
      files: { 'Product.wxs': Buffer.from('\ufeff' + v4Package('<MediaTemplate />').replace(/\n/g, '\r\n'), 'utf16le') },
      findings: [{ line: 2 }],
    },
    {
      name: 'an SDK-style project with its source in a subfolder: the path is anchored at $(sys.SOURCEFILEDIR)',
      files: {
        'Installer.wixproj': SDK_PROJECT,
        'src/Product.wxs': v4Package('<MediaTemplate />'),
        'certs/contoso-patch-signing.cer': CONTOSO,
      },
      findings: [{ file: 'src/Product.wxs', line: 2 }],
      fix: {
        title: /CN=Contoso Patch Signing \(\.\.\\certs\\contoso-patch-signing\.cer\)/,
        files: {
          'src/Product.wxs': v4Package('<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" SourceFile="$(sys.SOURCEFILEDIR)..\\certs\\contoso-patch-signing.cer" />\n</PatchCertificates>\n<MediaTemplate />'),
        },
      },
    },
    {
      name: 'two projects: only the package without certificates is reported',
      files: {
        'Tools/Tools.wixproj': SDK_PROJECT,
        'Tools/Package.wxs': v4Package(PATCH_CERTIFICATES),
        'Agent/Agent.wixproj': SDK_PROJECT,
        'Agent/Package.wxs': v4Package('<MediaTemplate />', 'Name="Contoso Agent" Manufacturer="Contoso Ltd" Version="2.0.0" UpgradeCode="0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"'),
      },
      findings: [{ file: 'Agent/Package.wxs', line: 2, message: /Package "Contoso Agent"/ }],
    },
  ],
});

describe('missing-patch-certificate quick fixes', () => {
  it('offers one fix per DER certificate in the workspace, currently valid ones first; never a PEM file (WiX embeds the bytes as they are) nor a file that is not a certificate', () => {
    const workspace = new TestWorkspace({
      'Product.wxs': v4Package('<MediaTemplate />'),
      'certs/a-expired.cer': fixture('certificates/expired-2020.cer'),
      'certs/fabrikam-release.cer': fixture('certificates/fabrikam-release.cer'),
      'certs/contoso-patch-signing.cer': CONTOSO,
      'certs/contoso-patch-signing.pem': fixture('certificates/contoso-patch-signing.pem'),
      'certs/not-a-certificate.cer': fixture('certificates/not-a-certificate.cer'),
    });
    const [finding] = workspace.findings('missing-patch-certificate');
    assert.deepEqual(
      finding.fixes.map((fix) => [fix.title, fix.isPreferred === true]),
      [
        ['Add patch certificate CN=Contoso Patch Signing (certs\\contoso-patch-signing.cer)', true],
        ['Add patch certificate CN=Fabrikam Ingeniería S.L. (certs\\fabrikam-release.cer)', false],
        ['Add patch certificate CN=Contoso Expired Signing (certs\\a-expired.cer)', false],
        ['Suppress missing-patch-certificate for this line', false],
      ],
    );
  });

  it('points the inserted certificate at a file that the certificate rules then accept', () => {
    const workspace = new TestWorkspace({ 'Product.wxs': v3Product('<MediaTemplate />'), 'Keys/contoso-patch-signing.cer': CONTOSO });
    const [finding] = workspace.findings('missing-patch-certificate');
    workspace.apply(finding.fixes[0]);
    assert.deepEqual(
      workspace.findings().map((f) => f.ruleId),
      [],
      'no missing-patch-certificate, missing-certificate-file or invalid-certificate-file after the fix',
    );
  });
});

// Built packages and .idt folders: the tables Windows Installer reads.
const TARGETED = 'Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" ProductCode="{6A1F2C3D-0000-4000-8000-00000000C0A1}" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"';
ruleTester('missing-patch-certificate', {
  valid: [
    { name: 'a per-machine package with MsiPatchCertificate rows', files: packages('product-trusting.msi') },
    { name: 'the same as an .idt folder', files: idtFolder('db') },
    { name: 'a patch (.msp): not a product', files: packages('patch-unsigned.msp') },
    {
      name: 'a per-user .idt product (no ALLUSERS row) without certificates',
      files: idtFolder('db', { 'Property.idt': idtText('Property.idt').replace('ALLUSERS\t1\r\n', ''), 'MsiPatchCertificate.idt': null, 'MsiDigitalCertificate.idt': null }),
    },
    { name: 'a partial .idt export without a Property table (not a whole product)', files: { 'tables/MsiDigitalCertificate.idt': idtText('MsiDigitalCertificate.idt') } },
  ],
  invalid: [
    {
      name: 'a per-machine package without certificate tables',
      files: packages('product-no-certificates.msi'),
      findings: [{ line: 1, message: /installs per-machine \(the ALLUSERS property is 1\) but its MsiPatchCertificate table is missing/ }],
    },
    {
      name: 'an .idt product without MsiPatchCertificate: reported on its ALLUSERS row',
      files: idtFolder('db', { 'MsiPatchCertificate.idt': null, 'MsiDigitalCertificate.idt': null }),
      findings: [{ file: 'db/Property.idt', line: 4, message: /"Contoso Tools" installs per-machine/ }],
    },
    {
      name: 'a WiX product that a signed patch in the workspace targets: the preferred fix extracts its signer',
      files: { 'Product.wxs': v4Package('<MediaTemplate />', TARGETED), ...packages('patch-sha256.msp') },
      findings: [{ file: 'Product.wxs', line: 2 }],
      fix: {
        title: /^Extract signer certificate from patch-sha256\.msp \(CN=Contoso Patch Signing\) to ContosoPatchSigning\.cer/,
        files: {
          'ContosoPatchSigning.cer': fixture('certificates/contoso-patch-signing.cer'),
          'Product.wxs': v4Package('<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" SourceFile="ContosoPatchSigning.cer" />\n</PatchCertificates>\n<MediaTemplate />', TARGETED),
        },
      },
    },
    {
      name: 'an .idt product with an empty MsiPatchCertificate table',
      files: idtFolder('db', { 'MsiPatchCertificate.idt': 'PatchCertificate\tDigitalCertificate_\r\ns72\ts72\r\nMsiPatchCertificate\tPatchCertificate\r\n' }),
      findings: [{ file: 'db/Property.idt', line: 4, message: /MsiPatchCertificate table is empty/ }],
    },
  ],
});
