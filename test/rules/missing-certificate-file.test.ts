import * as path from 'node:path';
import { fixture, ruleTester, v3Product, v4Package } from '../support/rule-tester';

const CONTOSO_DER = fixture('certificates/contoso-patch-signing.cer');
const CONTOSO_PEM = fixture('certificates/contoso-patch-signing.pem');
const FABRIKAM_DER = fixture('certificates/fabrikam-release.cer');
const EXPIRED_DER = fixture('certificates/expired-2020.cer');

/** `<PatchCertificates>` with one certificate, as the lines inside a package. */
const patchCertificates = (sourceFile: string, id = 'ContosoPatchSigning') =>
  `<PatchCertificates>\n  <DigitalCertificate Id="${id}" SourceFile="${sourceFile}" />\n</PatchCertificates>`;

const sdkProject = (properties = '') => `<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <OutputName>ContosoTools</OutputName>${properties}\n  </PropertyGroup>\n</Project>\n`;

const fragment = (inner: string) => `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Fragment>\n${inner.split('\n').map((line) => `    ${line}`).join('\n')}\n  </Fragment>\n</Wix>\n`;

const crlf = (text: string) => text.replace(/\n/g, '\r\n');
const utf16le = (text: string) => Buffer.from(`\uFEFF${text}`, 'utf16le');

ruleTester('missing-certificate-file', {
  valid: [
    { name: 'a DER certificate next to the source (WiX v4)', files: { 'Product.wxs': v4Package(patchCertificates('contoso.cer')), 'contoso.cer': CONTOSO_DER } },
    { name: 'a PEM certificate (it exists; its encoding is invalid-certificate-file’s concern)', files: { 'Product.wxs': v3Product(patchCertificates('Certs\\contoso.pem')), 'Certs/contoso.pem': CONTOSO_PEM } },
    {
      name: 'a path that differs from the disk only in case, written with backslashes',
      files: { 'Product.wxs': v3Product(patchCertificates('CERTS\\Contoso-Patch-Signing.CER')), 'certs/contoso-patch-signing.cer': CONTOSO_DER },
    },
    {
      name: 'a path through $(sys.SOURCEFILEDIR)..\\certs',
      files: { 'src/Product.wxs': v4Package(patchCertificates('$(sys.SOURCEFILEDIR)..\\certs\\contoso.cer')), 'certs/contoso.cer': CONTOSO_DER },
    },
    {
      name: 'a path relative to the project folder, where WiX under MSBuild resolves it',
      files: { 'Installer.wixproj': sdkProject(), 'src/Product.wxs': v4Package(patchCertificates('certs\\contoso.cer')), 'certs/contoso.cer': CONTOSO_DER },
    },
    {
      name: 'a folder from the project’s DefineConstants, built from $(MSBuildThisFileDirectory)',
      files: {
        'Installer.wixproj': sdkProject('\n    <DefineConstants>$(DefineConstants);CertDir=$(MSBuildThisFileDirectory)..\\Signing</DefineConstants>'),
        'Product.wxs': v4Package(patchCertificates('$(var.CertDir)\\contoso.cer')),
        '../Signing/contoso.cer': CONTOSO_DER,
      },
    },
    {
      name: '$(var.ProjectDir), which the WiX targets define',
      files: { 'Setup/Setup.wixproj': sdkProject(), 'Setup/Product.wxs': v4Package(patchCertificates('$(var.ProjectDir)Signing\\contoso.cer')), 'Setup/Signing/contoso.cer': CONTOSO_DER },
    },
    {
      name: 'a variable defined by an included .wxi',
      files: {
        'Product.wxs': `<?xml version="1.0" encoding="utf-8"?>\n<?include Config.wxi ?>\n${v4Package(patchCertificates('$(var.SigningFolder)\\contoso.cer'))}`,
        'Config.wxi': '<Include>\n  <?define SigningFolder = "Signing" ?>\n</Include>\n',
        'Signing/contoso.cer': CONTOSO_DER,
      },
    },
    { name: 'a variable defined nowhere in the sources (given on the command line)', files: { 'Product.wxs': v4Package(patchCertificates('$(var.CertDir)\\contoso.cer')) } },
    {
      name: 'a project define whose value needs the build ($(Configuration))',
      files: { 'Installer.wixproj': sdkProject('\n    <DefineConstants>CertDir=..\\out\\$(Configuration)</DefineConstants>'), 'Product.wxs': v4Package(patchCertificates('$(var.CertDir)\\contoso.cer')) },
    },
    { name: 'an environment variable', files: { 'Product.wxs': v3Product(patchCertificates('$(env.SIGNING_CERTS)\\contoso.cer')) } },
    // On Windows these paths are checked like any other.
    ...(path.sep === '/'
      ? [{ name: 'drive-letter and UNC paths, which cannot be checked on this machine', files: { 'Product.wxs': v4Package('<PatchCertificates>\n  <DigitalCertificate Id="Build" SourceFile="C:\\Build\\Signing\\contoso.cer" />\n  <DigitalCertificate Id="Share" SourceFile="\\\\buildserver\\certs\\contoso.cer" />\n</PatchCertificates>') } }]
      : []),
    { name: 'a bind path, resolved by the binder', files: { 'Product.wxs': v4Package(patchCertificates('!(bindpath.Certificates)\\contoso.cer')) } },
    {
      name: 'a fragment nothing links into a package',
      files: { 'Product.wxs': v4Package('<MajorUpgrade DowngradeErrorMessage="A newer version is installed." />'), 'Signing.wxs': fragment(patchCertificates('missing.cer')) },
    },
    {
      name: 'a branch of <?if?> the defined variables rule out',
      files: { 'Product.wxs': v4Package(`<?define Signed = "no" ?>\n<?if $(var.Signed) = "yes" ?>\n${patchCertificates('missing.cer')}\n<?endif?>`) },
    },
    {
      name: 'the file is there but not a certificate (invalid-certificate-file reports it)',
      files: { 'Product.wxs': v4Package(patchCertificates('contoso.cer')), 'contoso.cer': fixture('certificates/not-a-certificate.cer') },
    },
    {
      name: 'a UTF-16 source with CRLF line ends whose certificate exists',
      files: { 'Product.wxs': utf16le(crlf(`<?xml version="1.0" encoding="utf-16"?>\n${v3Product(patchCertificates('contoso.cer'))}`)), 'contoso.cer': CONTOSO_DER },
    },
  ],
  invalid: [
    {
      name: 'a name that matches no file, fixed by naming a certificate of the workspace',
      files: { 'Product.wxs': v4Package(patchCertificates('contoso.cer')), 'certs/contoso-patch-signing.cer': CONTOSO_DER },
      findings: [{ line: 4, message: /^Certificate file not found: contoso\.cer\. The build fails/ }],
      fix: { title: /^Use certs\\contoso-patch-signing\.cer \(CN=Contoso Patch Signing\)$/, files: { 'Product.wxs': v4Package(patchCertificates('certs\\contoso-patch-signing.cer')) } },
    },
    {
      name: 'WiX v3: one fix per DER certificate of the workspace, the other certificate chosen',
      files: {
        'Product.wxs': v3Product(patchCertificates('Signing\\fabrikam.cer', 'FabrikamRelease')),
        'Signing/contoso-patch-signing.cer': CONTOSO_DER,
        'Signing/fabrikam-release.cer': FABRIKAM_DER,
      },
      findings: [{ line: 5, message: /Signing\\fabrikam\.cer/ }],
      fix: {
        title: /^Use Signing\\fabrikam-release\.cer \(CN=Fabrikam Ingeniería S\.L\.\)$/,
        files: { 'Product.wxs': v3Product(patchCertificates('Signing\\fabrikam-release.cer', 'FabrikamRelease')) },
      },
    },
    {
      name: 'in a project: both places are named, and the fix anchors the path at $(sys.SOURCEFILEDIR)',
      files: { 'Installer.wixproj': sdkProject(), 'src/Product.wxs': v4Package(patchCertificates('certs\\contoso.cer')), 'certs/contoso-patch-signing.cer': CONTOSO_DER },
      findings: [{ file: 'src/Product.wxs', line: 4, message: /neither src\\certs\\contoso\.cer, next to this source, nor certs\\contoso\.cer, from the project folder/ }],
      fix: {
        title: /^Use \.\.\\certs\\contoso-patch-signing\.cer \(CN=Contoso Patch Signing\)$/,
        files: { 'src/Product.wxs': v4Package(patchCertificates('$(sys.SOURCEFILEDIR)..\\certs\\contoso-patch-signing.cer')) },
      },
    },
    {
      name: 'in an included .wxi with CRLF line ends, reported and fixed in the .wxi',
      files: {
        'Signing.wxi': crlf(`<?xml version="1.0" encoding="utf-8"?>\n<Include>\n${patchCertificates('Contoso.cer').split('\n').map((line) => `  ${line}`).join('\n')}\n</Include>\n`),
        'Product.wxs': v4Package('<?include Signing.wxi ?>'),
        'Certificates/contoso-patch-signing.cer': CONTOSO_DER,
      },
      findings: [{ line: 4 }],
      fix: {
        title: /^Use Certificates\\contoso-patch-signing\.cer/,
        files: { 'Signing.wxi': crlf(`<?xml version="1.0" encoding="utf-8"?>\n<Include>\n${patchCertificates('Certificates\\contoso-patch-signing.cer').split('\n').map((line) => `  ${line}`).join('\n')}\n</Include>\n`) },
      },
    },
    {
      name: 'in a fragment linked through ComponentGroupRef',
      files: {
        'Product.wxs': v4Package('<Feature Id="Main">\n  <ComponentGroupRef Id="SigningComponents" />\n</Feature>'),
        'Signing.wxs': fragment(`<ComponentGroup Id="SigningComponents" />\n${patchCertificates('..\\keys\\contoso.cer')}`),
      },
      findings: [{ file: 'Signing.wxs', line: 5, message: /\.\.\\keys\\contoso\.cer/ }],
    },
    {
      name: 'a folder from a <?define?> that holds no such file',
      files: { 'Product.wxs': v4Package(`<?define CertDir = "$(sys.SOURCEFILEDIR)Signing" ?>\n${patchCertificates('$(var.CertDir)\\contoso.cer')}`), 'Signing/fabrikam.cer': FABRIKAM_DER },
      findings: [{ line: 5, message: /not found: \$\(var\.CertDir\)\\contoso\.cer \(Signing\\contoso\.cer\)\./ }],
    },
    {
      name: 'a folder from a <?define?> before the <Wix> root',
      files: { 'Product.wxs': `<?xml version="1.0" encoding="utf-8"?>\n<?define CertDir = "Signing" ?>\n${v3Product(patchCertificates('$(var.CertDir)\\contoso.cer'))}` },
      findings: [{ line: 7, message: /not found: \$\(var\.CertDir\)\\contoso\.cer \(Signing\\contoso\.cer\)\./ }],
    },
    {
      name: '$(var.ProjectDir) pointing to a folder without the file',
      files: { 'Setup/Setup.wixproj': sdkProject(), 'Setup/Product.wxs': v4Package(patchCertificates('$(var.ProjectDir)Signing\\contoso.cer')) },
      findings: [{ file: 'Setup/Product.wxs', line: 4, message: /not found: \$\(var\.ProjectDir\)Signing\\contoso\.cer \(Signing\\contoso\.cer\)\./ }],
    },
    {
      name: 'a folder instead of a file',
      files: { 'Product.wxs': v4Package(patchCertificates('Signing')), 'Signing/contoso.cer': CONTOSO_DER },
      findings: [{ line: 4, message: /not found: Signing\./ }],
      fix: { title: /^Use Signing\\contoso\.cer/, files: { 'Product.wxs': v4Package(patchCertificates('Signing\\contoso.cer')) } },
    },
    {
      name: 'an empty SourceFile',
      files: { 'Product.wxs': v4Package(patchCertificates('')), 'contoso.cer': CONTOSO_DER },
      findings: [{ line: 4, message: /an empty SourceFile/ }],
      fix: { title: /^Use contoso\.cer/, files: { 'Product.wxs': v4Package(patchCertificates('contoso.cer')) } },
    },
    {
      name: 'no SourceFile at all: the fix adds one',
      files: { 'Product.wxs': v4Package('<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" />\n</PatchCertificates>'), 'contoso.cer': CONTOSO_DER },
      findings: [{ line: 4, message: /has no SourceFile/ }],
      fix: { title: /^Use contoso\.cer/, files: { 'Product.wxs': v4Package(patchCertificates('contoso.cer')) } },
    },
    {
      name: 'a file name with & is written escaped by the fix',
      files: { 'Product.wxs': v4Package(patchCertificates('signing.cer')), 'R&D Signing.cer': CONTOSO_DER },
      findings: [{ line: 4 }],
      fix: { title: /^Use R&D Signing\.cer/, files: { 'Product.wxs': v4Package(patchCertificates('R&amp;D Signing.cer')) } },
    },
    {
      name: 'only the missing one of two certificates',
      files: {
        'Product.wxs': v4Package('<PatchCertificates>\n  <DigitalCertificate Id="Current" SourceFile="contoso.cer" />\n  <DigitalCertificate Id="Next" SourceFile="contoso-2027.cer" />\n</PatchCertificates>'),
        'contoso.cer': CONTOSO_DER,
      },
      findings: [{ line: 5, message: /contoso-2027\.cer/ }],
    },
    {
      name: 'inside an <?ifdef?> that cannot be decided, with the condition named',
      files: { 'Product.wxs': v4Package(`<?ifdef SignPatches ?>\n${patchCertificates('contoso.cer')}\n<?endif?>`) },
      findings: [{ line: 5, message: /only when <\?ifdef SignPatches\?>/ }],
    },
    {
      name: 'a fragment shared by two packages is reported once',
      files: {
        'Client.wxs': v4Package('<PropertyRef Id="SIGNINGFRAGMENT" />'),
        'Server.wxs': v4Package('<PropertyRef Id="SIGNINGFRAGMENT" />', 'Name="Contoso Server" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9"'),
        'Signing.wxs': fragment(`<Property Id="SIGNINGFRAGMENT" Value="1" />\n${patchCertificates('contoso.cer')}`),
      },
      findings: [{ file: 'Signing.wxs', line: 5 }],
    },
    {
      name: 'a UTF-16 source with CRLF line ends (WiX v3)',
      files: { 'Product.wxs': utf16le(crlf(`<?xml version="1.0" encoding="utf-16"?>\n${v3Product(patchCertificates('contoso.cer'))}`)), 'old.cer': EXPIRED_DER },
      findings: [{ line: 6, message: /contoso\.cer/ }],
    },
  ],
});
