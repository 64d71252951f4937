import { fixture, ruleTester, v3Product, v4Package, PATCH_CERTIFICATES } from '../support/rule-tester';
import { packageFixture } from '../support/packages';

const CONTOSO = '{6A1F2C3D-0000-4000-8000-00000000C0A1}';
const contosoCer = fixture('certificates/contoso-patch-signing.cer');

/** A WiX v4 patch source around the given lines, shaped like the patch authoring in WiX's own test data. */
function v4Patch(inner: string): string {
  return (
    '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n' +
    '  <Patch AllowRemoval="yes" Manufacturer="Contoso Ltd" DisplayName="Contoso Tools Hotfix 2" Description="Fixes the readme" Classification="Hotfix">\n' +
    inner.split('\n').map((line) => `    ${line}`).join('\n') +
    '\n  </Patch>\n</Wix>\n'
  );
}

/** A WiX v3 patch source: Media/PatchBaseline, a PatchFamilyRef and TargetProductCodes, as pyro builds them. */
function v3Patch(targets: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\r\n' +
    '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\r\n' +
    '  <Patch AllowRemoval="yes" Manufacturer="Fabrikam" MoreInfoURL="http://www.fabrikam.com/" DisplayName="Fabrikam Agent Hotfix 1" Description="Hotfix 1" Classification="Hotfix">\r\n' +
    '    <Media Id="5000" Cabinet="Hotfix1.cab">\r\n' +
    '      <PatchBaseline Id="RTM" />\r\n' +
    '    </Media>\r\n' +
    '    <PatchFamilyRef Id="AgentFixes" />\r\n' +
    `    <TargetProductCodes Replace="no">\r\n      <TargetProductCode Id="${targets}" />\r\n    </TargetProductCodes>\r\n` +
    '  </Patch>\r\n' +
    '  <Fragment>\r\n    <PatchFamily Id="AgentFixes" Version="1.0.0.0" Supersede="yes">\r\n      <ComponentRef Id="AgentExe" />\r\n    </PatchFamily>\r\n  </Fragment>\r\n' +
    '</Wix>\r\n'
  );
}

const FABRIKAM_V3 = '{3C1E5A4D-8B2F-4D6E-A1C3-5F7B9D0E2A4C}';
const readyV4Product = v4Package(PATCH_CERTIFICATES, `Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.2.0" ProductCode="${CONTOSO}" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"`);
const noCertificatesV4Product = v4Package('<Property Id="ARPNOMODIFY" Value="1" />', `Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.2.0" ProductCode="${CONTOSO}" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"`);

const sdkProject = (inner: string): string => `<Project Sdk="WixToolset.Sdk/5.0.2">\n${inner}\n</Project>\n`;
const patchProject = sdkProject(
  '  <PropertyGroup>\n    <OutputType>Patch</OutputType>\n    <OutputName>ContosoTools-Hotfix2</OutputName>\n  </PropertyGroup>\n  <ItemGroup>\n    <ProjectReference Include="..\\Product\\Product.wixproj" />\n  </ItemGroup>',
);

ruleTester('patch-target-not-ready', {
  valid: [
    {
      name: 'v4: the target product lists a readable patch certificate',
      files: { 'Patch.wxs': v4Patch(`<TargetProductCodes>\n  <TargetProductCode Id="${CONTOSO}" />\n</TargetProductCodes>`), 'Product.wxs': readyV4Product, 'contoso.cer': contosoCer },
    },
    {
      name: 'the target is not in the workspace: nothing to judge',
      files: { 'Patch.wxs': v4Patch(`<TargetProductCodes>\n  <TargetProductCode Id="{0D0D0D0D-1111-4222-8333-444455556666}" />\n</TargetProductCodes>`), 'Product.wxs': noCertificatesV4Product },
    },
    {
      name: 'TargetProductCode "*" (every product of the baselines) names no product by itself',
      files: { 'Patch.wxs': v4Patch('<TargetProductCodes Replace="no">\n  <TargetProductCode Id="*" />\n</TargetProductCodes>'), 'Product.wxs': noCertificatesV4Product },
    },
    {
      name: "the target's certificate path is resolved at build time: no verdict",
      files: {
        'Patch.wxs': v4Patch(`<TargetProductCodes>\n  <TargetProductCode Id="${CONTOSO}" />\n</TargetProductCodes>`),
        'Product.wxs': v4Package('<PatchCertificates>\n  <DigitalCertificate Id="Signing" SourceFile="$(var.SigningCertificate)" />\n</PatchCertificates>', `Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.2.0" ProductCode="${CONTOSO}" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"`),
      },
    },
    {
      name: 'v4: PatchBaseline/@BaselineFile names a built product that lists the signer',
      files: { 'Patch/Patch.wxs': v4Patch('<PatchBaseline Id="RTM" BaselineFile="..\\Baseline\\product-trusting.msi" UpdateFile="..\\Update\\product-trusting.msi" />'), 'Baseline/product-trusting.msi': packageFixture('product-trusting.msi') },
    },
    {
      name: 'a product that is not ready, but no patch targets it',
      files: { 'Patch.wxs': v4Patch(''), 'Product.wxs': noCertificatesV4Product },
    },
  ],
  invalid: [
    {
      name: 'v4: TargetProductCode names a product with no patch certificate',
      files: { 'Patch.wxs': v4Patch(`<TargetProductCodes>\n  <TargetProductCode Id="${CONTOSO}" />\n</TargetProductCodes>`), 'Product.wxs': noCertificatesV4Product },
      findings: [{ line: 2, message: /Contoso Tools Hotfix 2 targets Contoso Tools 1\.2\.0 \(Product\.wxs\) \(found through TargetProductCode\), which cannot accept UAC patches: not ready — no patch certificate/ }],
    },
    {
      name: 'v3: a per-user product (no InstallScope, WiX v3 default), through TargetProductCodes, CRLF, PatchFamily in a fragment',
      files: { 'Hotfix.wxs': v3Patch(FABRIKAM_V3), 'Agent.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="500" Compressed="yes"'), 'contoso.cer': contosoCer },
      findings: [{ line: 3, message: /targets Fabrikam Agent 3\.1\.0\.0 \(Agent\.wxs\).*does not apply — per-user product/ }],
    },
    {
      name: 'v4: the product project a patch project references sets MSIDISABLELUAPATCHING (ProductCode generated by the build)',
      files: {
        'Patch/Patch.wxs': v4Patch('<PatchBaseline Id="RTM" BaselineFile="$(var.Product.TargetPath)" UpdateFile="$(var.Product.TargetPath)" />'),
        'Patch/Patch.wixproj': patchProject,
        'Product/Product.wixproj': sdkProject('  <PropertyGroup>\n    <OutputName>ContosoTools</OutputName>\n  </PropertyGroup>'),
        'Product/Product.wxs': v4Package(`${PATCH_CERTIFICATES}\n<Property Id="MSIDISABLELUAPATCHING" Value="1" />`),
        'Product/contoso.cer': contosoCer,
      },
      findings: [{ line: 2, message: /targets Contoso Tools 1\.0\.0 \(Product\.wxs\) \(found through PatchBaseline RTM\/@BaselineFile\).*disabled by MSIDISABLELUAPATCHING=1/ }],
    },
    {
      name: 'v4: PatchBaseline/@BaselineFile names a built product with UAC patching disabled',
      files: { 'Patch/Patch.wxs': v4Patch('<PatchBaseline Id="RTM" BaselineFile="..\\Baseline\\product-lua-disabled.msi" UpdateFile="..\\Update\\product-lua-disabled.msi" />'), 'Baseline/product-lua-disabled.msi': packageFixture('product-lua-disabled.msi') },
      findings: [{ line: 2, message: /product-lua-disabled\.msi\) \(found through PatchBaseline RTM\/@BaselineFile\).*disabled by MSIDISABLELUAPATCHING=1 \(Property table\)/ }],
    },
    {
      name: 'v4: PatchFamily/@ProductCode names a built product that lists no certificate',
      files: {
        'Patch.wxs': v4Patch('<PatchFamily Id="Fixes" Version="1.0.0.0" ProductCode="{6A1F2C3D-0000-4000-8000-00000000C0A2}">\n  <ComponentRef Id="MainExecutable" />\n</PatchFamily>'),
        'product-no-certificates.msi': packageFixture('product-no-certificates.msi'),
      },
      findings: [{ line: 2, message: /product-no-certificates\.msi\) \(found through PatchFamily Fixes\/@ProductCode\).*no patch certificate/ }],
    },
    {
      name: 'v4: the target writes the DisableLUAPatching machine policy',
      files: {
        'Patch.wxs': v4Patch(`<TargetProductCodes>\n  <TargetProductCode Id="${CONTOSO}" />\n</TargetProductCodes>`),
        'Product.wxs': v4Package(
          `${PATCH_CERTIFICATES}\n<Component Id="Policy" Directory="TARGETDIR">\n  <RegistryValue Root="HKLM" Key="Software\\Policies\\Microsoft\\Windows\\Installer" Name="DisableLUAPatching" Type="integer" Value="1" />\n</Component>`,
          `Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.2.0" ProductCode="${CONTOSO}" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"`,
        ),
        'contoso.cer': contosoCer,
      },
      findings: [{ line: 2, message: /disabled machine-wide by the DisableLUAPatching policy/ }],
    },
  ],
});
