import { PATCH_CERTIFICATES, ruleTester, v3Product, v4Package } from '../support/rule-tester';
import { idtFolder, idtText, packages } from '../support/packages';

const V4 = 'http://wixtoolset.org/schemas/v4/wxs';
const V3 = 'http://schemas.microsoft.com/wix/2006/wi';
const PACKAGE_ATTRIBUTES = 'Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"';

/** A `<Wix>` source holding one `<Fragment>` with the given lines (LF, two-space indentation). */
function fragment(namespace: string, inner: string): string {
  const body = inner.split('\n').map((line) => `    ${line}`).join('\n');
  return `<Wix xmlns="${namespace}">\n  <Fragment>\n${body}\n  </Fragment>\n</Wix>\n`;
}

function sdkProject(properties: string): string {
  return `<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n${properties}\n  </PropertyGroup>\n</Project>\n`;
}

/** A WiX v3 (MSBuild 4) project that compiles Product.wxs, as Votive writes it. */
function legacyProject(properties: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<Project ToolsVersion="4.0" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n' +
    '  <PropertyGroup>\n' +
    `    <Configuration Condition=" '$(Configuration)' == '' ">Release</Configuration>\n${properties}\n` +
    '    <OutputType>Package</OutputType>\n' +
    '  </PropertyGroup>\n' +
    '  <ItemGroup>\n    <Compile Include="Product.wxs" />\n  </ItemGroup>\n' +
    '  <Import Project="$(WixTargetsPath)" />\n' +
    '</Project>\n'
  );
}

const MULTI_LINE_V3_CRLF_TABS = (packageAttributes: string[]): string =>
  [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<Wix xmlns="${V3}">`,
    '\t<Product Id="*" Name="Fabrikam Agent" Language="1033" Version="3.1.0.0" Manufacturer="Fabrikam" UpgradeCode="{9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D}">',
    '\t\t<Package',
    ...packageAttributes.map((line) => `\t\t\t${line}`),
    '\t\t<PatchCertificates>',
    '\t\t\t<DigitalCertificate Id="FabrikamRelease" SourceFile="fabrikam-release.cer" />',
    '\t\t</PatchCertificates>',
    '\t</Product>',
    '</Wix>',
    '',
  ].join('\r\n');

const MULTI_LINE_V4 = (installerVersion: string): string =>
  `<Wix xmlns="${V4}">\n` +
  '    <Package Name="Contoso Tools"\n' +
  '             Manufacturer="Contoso Ltd"\n' +
  `             InstallerVersion="${installerVersion}"\n` +
  '             Version="1.0.0"\n' +
  '             UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\n' +
  '        <PatchCertificates>\n' +
  '            <DigitalCertificate Id="ContosoPatchSigning" SourceFile="contoso.cer" />\n' +
  '        </PatchCertificates>\n' +
  '    </Package>\n' +
  '</Wix>\n';

ruleTester('installer-version-too-low', {
  valid: [
    { name: 'a v4 package with certificates and the v4 default InstallerVersion (500)', files: { 'Product.wxs': v4Package(PATCH_CERTIFICATES) } },
    { name: 'a v3 product with certificates and InstallerVersion="300"', files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="300" Compressed="yes" InstallScope="perMachine"') } },
    { name: 'a v3 product with certificates and InstallerVersion="500"', files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES) } },
    { name: 'a v3 product without certificates keeps its InstallerVersion="200"', files: { 'Product.wxs': v3Product('<MediaTemplate />', 'InstallerVersion="200" Compressed="yes" InstallScope="perMachine"') } },
    {
      name: 'a v3 product for Arm64 (the compiler raises the default to 500)',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'Compressed="yes" InstallScope="perMachine" Platform="arm64"') },
    },
    {
      name: 'InstallerVersion from a variable the sources do not define (given at build time)',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="$(var.MsiVersion)" Compressed="yes" InstallScope="perMachine"') },
    },
    {
      name: 'InstallerVersion from a define the project sets only for one configuration',
      files: {
        'Installer.wixproj': `<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup Condition="'$(Configuration)' == 'Release'">\n    <DefineConstants>MsiVersion=200</DefineConstants>\n  </PropertyGroup>\n</Project>\n`,
        'Product.wxs': v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} InstallerVersion="$(var.MsiVersion)"`),
      },
    },
    {
      name: 'a v3 product whose only certificates sit in a fragment nothing links',
      files: {
        'Product.wxs': v3Product('<MediaTemplate />', 'InstallerVersion="200" Compressed="yes" InstallScope="perMachine"'),
        'Servicing.wxs': fragment(V3, '<ComponentGroup Id="Servicing" />\n<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" SourceFile="contoso.cer" />\n</PatchCertificates>'),
      },
    },
    {
      name: 'certificates only in an <?if?> branch the defined variables rule out',
      files: { 'Product.wxs': v3Product(`<?define SignPatches = "no" ?>\n<?if $(var.SignPatches) = "yes" ?>\n${PATCH_CERTIFICATES}\n<?endif?>`, 'InstallerVersion="200" Compressed="yes" InstallScope="perMachine"') },
    },
    {
      name: 'a v4 package for x64 from an SDK-style project, with the v4 default',
      files: { 'Installer.wixproj': sdkProject('    <Platform>x64</Platform>'), 'Package.wxs': v4Package(PATCH_CERTIFICATES) },
    },
  ],
  invalid: [
    {
      name: 'a v3 product with certificates and no InstallerVersion (default 100): the fix adds the attribute',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'Compressed="yes" InstallScope="perMachine"') },
      findings: [{ line: 3, message: /^WiX v3 defaults InstallerVersion to 100 when it is not authored, but the MsiPatchCertificate table needs Windows Installer 3\.0 \(schema 300\)/ }],
      fix: { title: /^Set InstallerVersion="500"$/, files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'Compressed="yes" InstallScope="perMachine" InstallerVersion="500"') } },
    },
    {
      name: 'a v3 product with InstallerVersion="200": the fix replaces the value',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="200" Compressed="yes" InstallScope="perMachine"') },
      findings: [{ line: 3, message: /^InstallerVersion is 200, but/ }],
      fix: { title: /Set InstallerVersion/, files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="500" Compressed="yes" InstallScope="perMachine"') } },
    },
    {
      name: 'a v3 x64 package without InstallerVersion (the compiler raises the default only to 200)',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'Compressed="yes" InstallScope="perMachine" Platform="x64"') },
      findings: [{ line: 3, message: /WiX v3 defaults InstallerVersion to 200 on x64/ }],
    },
    {
      name: 'a v3 project building for x64',
      files: { 'Installer.wixproj': legacyProject('    <Platform>x64</Platform>'), 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'Compressed="yes" InstallScope="perMachine"') },
      findings: [{ file: 'Product.wxs', line: 3, message: /defaults InstallerVersion to 200 on x64/ }],
    },
    {
      name: 'a v4 package with InstallerVersion="100" built for x64 by an SDK-style project (raised to 200)',
      files: { 'Installer.wixproj': sdkProject('    <Platform>x64</Platform>'), 'Package.wxs': v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} InstallerVersion="100"`) },
      findings: [{ file: 'Package.wxs', line: 2, message: /^InstallerVersion is 100, raised to 200 for x64, but/ }],
      fix: { title: /Set InstallerVersion="500"/, files: { 'Package.wxs': v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} InstallerVersion="500"`) } },
    },
    {
      name: 'InstallerVersion from the project\'s DefineConstants',
      files: {
        'Installer.wixproj': sdkProject('    <DefineConstants>MsiVersion=200;$(DefineConstants)</DefineConstants>'),
        'Package.wxs': v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} InstallerVersion="$(var.MsiVersion)"`),
      },
      findings: [{ file: 'Package.wxs', line: 2, message: /InstallerVersion is 200/ }],
    },
    {
      name: 'InstallerVersion from a <?define?> inside <Wix>',
      files: { 'Product.wxs': v3Product(PATCH_CERTIFICATES, 'InstallerVersion="$(var.MsiVersion)" Compressed="yes" InstallScope="perMachine"').replace('<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\n', '$&  <?define MsiVersion = 200 ?>\n') },
      findings: [{ line: 4, message: /^InstallerVersion is 200, but/ }],
    },
    {
      name: 'InstallerVersion from a <?define?> in a .wxi included before the <Wix> root',
      files: {
        'Product.wxs': `<?xml version="1.0" encoding="utf-8"?>\n<?include Version.wxi ?>\n` + v3Product(PATCH_CERTIFICATES, 'InstallerVersion="$(var.MsiVersion)" Compressed="yes" InstallScope="perMachine"'),
        'Version.wxi': '<?xml version="1.0" encoding="utf-8"?>\n<Include>\n  <?define MsiVersion = "200" ?>\n</Include>\n',
      },
      findings: [{ file: 'Product.wxs', line: 5, message: /InstallerVersion is 200/ }],
    },
    {
      name: 'certificates linked from a fragment through ComponentGroupRef',
      files: {
        'Product.wxs': v3Product('<Feature Id="Main">\n  <ComponentGroupRef Id="Servicing" />\n</Feature>', 'InstallerVersion="200" Compressed="yes" InstallScope="perMachine"'),
        'Servicing.wxs': fragment(V3, '<ComponentGroup Id="Servicing" />\n<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" SourceFile="contoso.cer" />\n</PatchCertificates>'),
      },
      findings: [{ file: 'Product.wxs', line: 3 }],
    },
    {
      name: 'certificates inside an <?ifdef?> that cannot be decided count',
      files: { 'Product.wxs': v3Product(`<?ifdef SignPatches ?>\n${PATCH_CERTIFICATES}\n<?endif?>`, 'InstallerVersion="200" Compressed="yes" InstallScope="perMachine"') },
      findings: [{ line: 3 }],
    },
    {
      name: 'a per-user product with certificates is still checked',
      files: { 'Product.wxs': v4Package(PATCH_CERTIFICATES, `${PACKAGE_ATTRIBUTES} Scope="perUser" InstallerVersion="200"`) },
      findings: [{ line: 2 }],
    },
    {
      name: 'a multi-line <Package> in a CRLF file indented with tabs: the attribute gets its own line',
      files: { 'Product.wxs': MULTI_LINE_V3_CRLF_TABS(['Compressed="yes"', 'InstallScope="perMachine"', 'Description="Fabrikam Agent" />']) },
      findings: [{ line: 4 }],
      fix: {
        title: /Set InstallerVersion="500"/,
        files: { 'Product.wxs': MULTI_LINE_V3_CRLF_TABS(['Compressed="yes"', 'InstallScope="perMachine"', 'Description="Fabrikam Agent"', 'InstallerVersion="500" />']) },
      },
    },
    {
      name: 'a multi-line v4 <Package> aligned on its first attribute, with InstallerVersion="200" on its own line',
      files: { 'Package.wxs': MULTI_LINE_V4('200') },
      findings: [{ line: 4 }],
      fix: { title: /Set InstallerVersion="500"/, files: { 'Package.wxs': MULTI_LINE_V4('500') } },
    },
    {
      name: 'a UTF-16 LE source with CRLF line ends',
      files: { 'Product.wxs': Buffer.from('\ufeff' + v3Product(PATCH_CERTIFICATES, 'Compressed="yes" InstallScope="perMachine"').replace(/\n/g, '\r\n'), 'utf16le') },
      findings: [{ line: 3, message: /defaults InstallerVersion to 100/ }],
    },
  ],
});

// Built packages and .idt folders: the summary page count.
const SUMMARY = idtText('_SummaryInformation.idt');

ruleTester('installer-version-too-low', {
  valid: [
    { name: 'a package with page count 500', files: packages('product-trusting.msi') },
    { name: 'an .idt folder with page count 500', files: idtFolder('db') },
    { name: 'page count 200 without certificate tables', files: idtFolder('db', { '_SummaryInformation.idt': SUMMARY.replace(/\r\n14\t\d+\r\n/, '\r\n14\t200\r\n'), 'MsiPatchCertificate.idt': null, 'MsiDigitalCertificate.idt': null }) },
  ],
  invalid: [
    {
      name: 'page count 200 with MsiPatchCertificate rows',
      files: idtFolder('db', { '_SummaryInformation.idt': SUMMARY.replace(/\r\n14\t\d+\r\n/, '\r\n14\t200\r\n') }),
      findings: [{ file: 'db/MsiPatchCertificate.idt', line: 4, message: /page count \(minimum installer version\) is 200/ }],
    },
  ],
});
