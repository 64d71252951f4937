import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fixture, ruleTester, TestWorkspace, v3Product, v4Package, PATCH_CERTIFICATES } from '../support/rule-tester';

// openssl x509 -inform der -in test/fixtures/certificates/contoso-patch-signing.cer -noout -fingerprint -sha1
// → SHA1 Fingerprint=35:4A:27:97:7B:17:FE:C5:9A:1B:1B:9A:91:B2:CE:A5:B2:CC:CE:11
const CONTOSO_SHA1 = '354A27977B17FEC59A1B1B9A91B2CEA5B2CCCE11';
const contosoCer = fixture('certificates/contoso-patch-signing.cer');

/** A WiX v4 patch whose baseline is the product project's output (the product is found through the ProjectReference). */
const v4Patch =
  '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n' +
  '  <Patch AllowRemoval="yes" Manufacturer="Contoso Ltd" DisplayName="Contoso Tools Hotfix 2" Description="Fixes the readme" Classification="Hotfix">\n' +
  '    <PatchBaseline Id="RTM" BaselineFile="$(var.Product.TargetPath)" UpdateFile="$(var.Product.TargetPath)" />\n' +
  '    <PatchFamily Id="ReadmeFix" Version="1.0.0.0" Supersede="yes">\n' +
  '      <ComponentRef Id="Readme" />\n' +
  '    </PatchFamily>\n' +
  '  </Patch>\n' +
  '</Wix>\n';

const sdkProject = (inner: string): string => `<Project Sdk="WixToolset.Sdk/5.0.2">\n${inner}</Project>\n`;
const patchProjectBody =
  '  <PropertyGroup>\n    <OutputType>Patch</OutputType>\n    <OutputName>ContosoTools-Hotfix2</OutputName>\n  </PropertyGroup>\n' +
  '  <ItemGroup>\n    <ProjectReference Include="..\\Product\\Product.wixproj" />\n  </ItemGroup>\n';

/** The product the patch targets: a project of its own, listing CN=Contoso Patch Signing. */
const product = {
  'Product/Product.wixproj': sdkProject('  <PropertyGroup>\n    <OutputName>ContosoTools</OutputName>\n  </PropertyGroup>\n'),
  'Product/Product.wxs': v4Package(PATCH_CERTIFICATES),
  'Product/contoso.cer': contosoCer,
};

const signPatchTarget = '  <Target Name="SignPatch" AfterTargets="Build">\n    <Exec Command="signtool.exe sign /sha1 $(PatchSigningThumbprint) /fd SHA256 /tr $(TimestampUrl) /td SHA256 &quot;$(TargetPath)&quot;" />\n  </Target>\n';

/** The block the fix inserts with the Contoso certificate, at two-space indentation and LF. */
const contosoBlock =
  '  <PropertyGroup>\n' +
  '    <!-- CN=Contoso Patch Signing, a certificate the target products list in PatchCertificates. signtool finds it by thumbprint in the certificate store; CI can pass another with /p:PatchSigningCertificateThumbprint=... -->\n' +
  `    <PatchSigningCertificateThumbprint Condition="'$(PatchSigningCertificateThumbprint)' == ''">${CONTOSO_SHA1}</PatchSigningCertificateThumbprint>\n` +
  "    <PatchSigningTimestampUrl Condition=\"'$(PatchSigningTimestampUrl)' == ''\">http://timestamp.digicert.com</PatchSigningTimestampUrl>\n" +
  '  </PropertyGroup>\n' +
  '  <Target Name="SignPatch" AfterTargets="Build">\n' +
  '    <Exec Command="signtool.exe sign /sha1 $(PatchSigningCertificateThumbprint) /fd SHA256 /tr $(PatchSigningTimestampUrl) /td SHA256 &quot;$(TargetPath)&quot;" />\n' +
  '  </Target>\n';

/** WiX v3: the product, and a patch built by a Votive-style project whose AfterBuild runs pyro. CRLF, as authored on Windows. */
const FABRIKAM = '{3C1E5A4D-8B2F-4D6E-A1C3-5F7B9D0E2A4C}';
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
const v3Patch = crlf(
  '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\n' +
    '  <Patch AllowRemoval="yes" Manufacturer="Fabrikam" DisplayName="Fabrikam Agent Hotfix 1" Description="Hotfix 1" Classification="Hotfix">\n' +
    '    <Media Id="5000" Cabinet="Hotfix1.cab">\n      <PatchBaseline Id="RTM" />\n    </Media>\n' +
    `    <TargetProductCodes Replace="no">\n      <TargetProductCode Id="${FABRIKAM}" />\n    </TargetProductCodes>\n` +
    '    <PatchFamilyRef Id="AgentFixes" />\n' +
    '  </Patch>\n' +
    '  <Fragment>\n    <PatchFamily Id="AgentFixes" Version="1.0.0.0" Supersede="yes">\n      <ComponentRef Id="AgentExe" />\n    </PatchFamily>\n  </Fragment>\n' +
    '</Wix>\n',
);
const v3PatchProject = (afterImport: string): string =>
  crlf(
    '<?xml version="1.0" encoding="utf-8"?>\n' +
      '<Project ToolsVersion="4.0" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n' +
      '  <PropertyGroup>\n' +
      '    <Configuration Condition=" \'$(Configuration)\' == \'\' ">Release</Configuration>\n' +
      '    <ProductVersion>3.10</ProductVersion>\n' +
      '    <OutputName>AgentHotfix1</OutputName>\n' +
      '    <OutputType>Package</OutputType>\n' +
      '    <WixTargetsPath Condition=" \'$(WixTargetsPath)\' == \'\' AND \'$(MSBuildExtensionsPath32)\' != \'\' ">$(MSBuildExtensionsPath32)\\Microsoft\\WiX\\v3.x\\Wix.targets</WixTargetsPath>\n' +
      '  </PropertyGroup>\n' +
      '  <ItemGroup>\n    <Compile Include="Patch.wxs" />\n  </ItemGroup>\n' +
      '  <Import Project="$(WixTargetsPath)" />\n' +
      afterImport +
      '</Project>\n',
  );
const pyroAfterBuild = '  <Target Name="AfterBuild">\n    <Exec Command="pyro.exe &quot;$(TargetPath)&quot; -out &quot;$(TargetDir)AgentHotfix1.msp&quot; -t RTM &quot;$(TargetDir)diff.wixmst&quot;" />\n  </Target>\n';
const v3Agent = crlf(v3Product(PATCH_CERTIFICATES));

ruleTester('patch-signing-not-configured', {
  valid: [
    {
      name: 'v4: a SignPatch target runs signtool after the build',
      files: { 'Patch/Patch.wixproj': sdkProject(patchProjectBody + signPatchTarget), 'Patch/Patch.wxs': v4Patch, ...product },
    },
    {
      name: 'v4: AzureSignTool in the Directory.Build.targets at the root of the repository',
      files: {
        'src/Patch/Patch.wixproj': sdkProject(patchProjectBody),
        'src/Patch/Patch.wxs': v4Patch,
        'Directory.Build.targets':
          '<Project>\n  <Target Name="SignInstallers" AfterTargets="Build" Condition="\'$(OutputType)\' == \'Patch\'">\n    <Exec Command="AzureSignTool sign -kvu $(KeyVaultUrl) -kvc $(KeyVaultCertificate) -kvm -fd sha256 -tr http://timestamp.digicert.com -td sha256 &quot;$(TargetPath)&quot;" />\n  </Target>\n</Project>\n',
        ...Object.fromEntries(Object.entries(product).map(([file, content]) => [`src/${file}`, content])),
      },
    },
    {
      name: 'v4: the committed patch project that signs in Release (test/fixtures/patch-sources)',
      files: {
        'Patch/Patch.wixproj': fixture('patch-sources/v4/Patch/Patch.wixproj').toString('utf8'),
        'Patch/Patch.wxs': fixture('patch-sources/v4/Patch/Patch.wxs').toString('utf8'),
        ...product,
      },
    },
    {
      name: 'v3: AfterBuild (after the wix.targets import) runs pyro, then signtool',
      files: {
        'Hotfix/Hotfix.wixproj': v3PatchProject(pyroAfterBuild.replace('  </Target>\n', `    <Exec Command="signtool.exe sign /sha1 $(Thumbprint) /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 &quot;$(TargetDir)AgentHotfix1.msp&quot;" />\n  </Target>\n`)),
        'Hotfix/Patch.wxs': v3Patch,
        'Agent/Agent.wxs': v3Agent,
        'Agent/contoso.cer': contosoCer,
      },
    },
    {
      name: 'a patch source built by no project (candle/light/pyro on the command line)',
      files: { 'Patch.wxs': v4Patch.replace('$(var.Product.TargetPath)', 'Product.msi').replace('$(var.Product.TargetPath)', 'Product.msi'), 'Product.wxs': v4Package(PATCH_CERTIFICATES), 'contoso.cer': contosoCer },
    },
    {
      name: 'a project that builds a package, not a patch',
      files: product,
    },
    {
      name: 'suppressed with a comment above <Project> (a .wixproj is XML)',
      files: { 'Patch/Patch.wixproj': `<!-- wix-uac-disable-next-line patch-signing-not-configured -->\n${sdkProject(patchProjectBody)}`, 'Patch/Patch.wxs': v4Patch, ...product },
    },
    {
      name: 'turned off in wix-uac.json',
      files: { 'Patch/Patch.wixproj': sdkProject(patchProjectBody), 'Patch/Patch.wxs': v4Patch, 'wix-uac.json': '{ "rules": { "patch-signing-not-configured": "off" } }', ...product },
    },
  ],
  invalid: [
    {
      name: 'v4 SDK project with OutputType Patch and no signing step: the fix adds SignPatch with the target product’s certificate',
      files: { 'Patch/Patch.wixproj': sdkProject(patchProjectBody), 'Patch/Patch.wxs': v4Patch, ...product },
      findings: [
        {
          line: 1,
          message:
            /^Patch\.wixproj builds the patch ContosoTools-Hotfix2\.msp but no step of the build signs it: Windows Installer applies an unsigned patch only with administrator rights, so non-administrators get a UAC prompt\. Add a target .* PatchCertificates such as CN=Contoso Patch Signing\.$/,
        },
      ],
      fix: {
        title: new RegExp(`^Add a SignPatch target \\(signtool, SHA-256, timestamped\\) with CN=Contoso Patch Signing \\(SHA-1 ${CONTOSO_SHA1}\\)$`),
        files: { 'Patch/Patch.wixproj': sdkProject(patchProjectBody + contosoBlock) },
      },
    },
    {
      name: 'v3 project (ToolsVersion, $(WixTargetsPath), pyro in AfterBuild), CRLF: the fix signs what pyro writes',
      files: { 'Hotfix/Hotfix.wixproj': v3PatchProject(pyroAfterBuild), 'Hotfix/Patch.wxs': v3Patch, 'Agent/Agent.wxs': v3Agent, 'Agent/contoso.cer': contosoCer },
      findings: [{ line: 2, message: /^Hotfix\.wixproj builds a patch \(Patch\.wxs\) but no step of the build signs it.*such as CN=Contoso Patch Signing\.$/ }],
      fix: {
        title: /with CN=Contoso Patch Signing \(SHA-1 354A27977B17FEC59A1B1B9A91B2CEA5B2CCCE11\)/,
        files: {
          'Hotfix/Hotfix.wixproj': v3PatchProject(
            pyroAfterBuild +
              crlf(
                contosoBlock
                  .replace('  </PropertyGroup>\n', "    <!-- The patch that pyro writes. -->\n    <PatchSigningFile Condition=\"'$(PatchSigningFile)' == ''\">$(TargetDir)AgentHotfix1.msp</PatchSigningFile>\n  </PropertyGroup>\n")
                  .replace('&quot;$(TargetPath)&quot;', '&quot;$(PatchSigningFile)&quot;'),
              ),
          ),
        },
      },
    },
    {
      name: "v4: SignMsi overridden in a patch project (WiX calls it for packages only): the message says so",
      files: {
        'Patch/Patch.wixproj': sdkProject(
          patchProjectBody.replace('  </PropertyGroup>\n', '    <SignOutput>true</SignOutput>\n  </PropertyGroup>\n') +
            '  <Target Name="SignMsi">\n    <Exec Command="signtool.exe sign /sha1 354A27977B17FEC59A1B1B9A91B2CEA5B2CCCE11 /fd SHA256 &quot;%(SignMsi.FullPath)&quot;" />\n  </Target>\n',
        ),
        'Patch/Patch.wxs': v4Patch,
        ...product,
      },
      findings: [{ line: 1, message: /Target SignMsi in Patch\.wixproj \(signtool\) never runs for a patch: WiX calls SignMsi only when it builds a package \(\.msi\)\.$/ }],
    },
    {
      name: "v4: an AfterBuild in the project body, replaced by the SDK's empty AfterBuild",
      files: {
        'Patch/Patch.wixproj': sdkProject(`${patchProjectBody}  <Target Name="AfterBuild">\n    <Exec Command="signtool sign /a /fd SHA256 &quot;$(TargetPath)&quot;" />\n  </Target>\n`),
        'Patch/Patch.wxs': v4Patch,
        ...product,
      },
      findings: [{ line: 1, message: /Target AfterBuild in Patch\.wixproj \(signtool\) never runs: the SDK \(Microsoft\.Common\.targets\), imported after it, defines an empty AfterBuild that replaces it/ }],
    },
    {
      name: 'the target product is not in the workspace: the fix leaves the thumbprint to fill in',
      files: {
        'Hotfix.wixproj': sdkProject('  <PropertyGroup>\n    <OutputType>Patch</OutputType>\n  </PropertyGroup>\n'),
        'Hotfix.wxs':
          '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Patch Classification="Hotfix" DisplayName="Hotfix">\n    <TargetProductCodes>\n      <TargetProductCode Id="{0D0D0D0D-1111-4222-8333-444455556666}" />\n    </TargetProductCodes>\n  </Patch>\n</Wix>\n',
      },
      findings: [{ line: 1, message: /^Hotfix\.wixproj builds the patch Hotfix\.msp but no step of the build signs it.*in PatchCertificates\.$/ }],
      fix: {
        title: /fill in your certificate's SHA-1 thumbprint/,
        files: {
          'Hotfix.wixproj': sdkProject(
            '  <PropertyGroup>\n    <OutputType>Patch</OutputType>\n  </PropertyGroup>\n' +
              '  <PropertyGroup>\n' +
              '    <!-- Put here the SHA-1 thumbprint of your patch-signing certificate: one that the target products list in PatchCertificates (MsiPatchCertificate), installed in the certificate store of the machine that builds. CI can pass it with /p:PatchSigningCertificateThumbprint=... -->\n' +
              "    <PatchSigningCertificateThumbprint Condition=\"'$(PatchSigningCertificateThumbprint)' == ''\"></PatchSigningCertificateThumbprint>\n" +
              "    <PatchSigningTimestampUrl Condition=\"'$(PatchSigningTimestampUrl)' == ''\">http://timestamp.digicert.com</PatchSigningTimestampUrl>\n" +
              '  </PropertyGroup>\n' +
              '  <Target Name="SignPatch" AfterTargets="Build">\n' +
              "    <Error Condition=\"'$(PatchSigningCertificateThumbprint)' == ''\" Text=\"Set PatchSigningCertificateThumbprint to the SHA-1 thumbprint of the certificate that signs the patch.\" />\n" +
              '    <Exec Command="signtool.exe sign /sha1 $(PatchSigningCertificateThumbprint) /fd SHA256 /tr $(PatchSigningTimestampUrl) /td SHA256 &quot;$(TargetPath)&quot;" />\n' +
              '  </Target>\n',
          ),
        },
      },
    },
    {
      name: 'v4: a Directory.Build.targets that only sets properties, and a signing step that only verifies',
      files: {
        'src/Patch/Patch.wixproj': sdkProject(`${patchProjectBody}  <Target Name="VerifyPatch" AfterTargets="Build">\n    <Exec Command="signtool verify /pa &quot;$(TargetPath)&quot;" />\n  </Target>\n`),
        'src/Patch/Patch.wxs': v4Patch,
        'Directory.Build.targets': '<Project>\n  <PropertyGroup>\n    <Company>Contoso Ltd</Company>\n  </PropertyGroup>\n</Project>\n',
        ...Object.fromEntries(Object.entries(product).map(([file, content]) => [`src/${file}`, content])),
      },
      findings: [{ line: 1, message: /^Patch\.wixproj builds the patch ContosoTools-Hotfix2\.msp but no step/ }],
    },
  ],
});

it('patch-signing-not-configured offers the valid certificates of the target first, and no expired one', () => {
  const workspace = new TestWorkspace({
    'Patch/Patch.wixproj': sdkProject(patchProjectBody),
    'Patch/Patch.wxs': v4Patch,
    ...product,
    'Product/Product.wxs': v4Package(
      '<PatchCertificates>\n' +
        '  <DigitalCertificate Id="Expired" SourceFile="expired-2020.cer" />\n' +
        '  <DigitalCertificate Id="Future" SourceFile="not-yet-valid.cer" />\n' +
        '  <DigitalCertificate Id="Contoso" SourceFile="contoso.cer" />\n' +
        '</PatchCertificates>',
    ),
    'Product/expired-2020.cer': fixture('certificates/expired-2020.cer'),
    'Product/not-yet-valid.cer': fixture('certificates/not-yet-valid.cer'),
  });
  const [finding] = workspace.findings('patch-signing-not-configured');
  assert.ok(finding);
  // SHA-1 thumbprints from openssl x509 -fingerprint -sha1 (contoso-patch-signing.cer, not-yet-valid.cer).
  assert.deepEqual(
    finding.fixes.map((fix) => [fix.title, fix.isPreferred ?? false]),
    [
      [`Add a SignPatch target (signtool, SHA-256, timestamped) with CN=Contoso Patch Signing (SHA-1 ${CONTOSO_SHA1})`, true],
      ['Add a SignPatch target (signtool, SHA-256, timestamped) with CN=Contoso Future Signing (SHA-1 0C41F76F06BD0C687CD1738EF4C9E4A67C2E8336)', false],
      ['Suppress patch-signing-not-configured for this line', false],
    ],
  );
  assert.match(finding.message, /such as CN=Contoso Patch Signing or CN=Contoso Future Signing\.$/);
});
