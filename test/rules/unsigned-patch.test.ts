import { ruleTester } from '../support/rule-tester';
import { packageFixture, packages } from '../support/packages';

const PATCH_CODE = '{6A1F2C3D-0000-4000-8000-00000000E001}';

/** A WiX v4 patch project (SDK style) whose output is ContosoTools-Hotfix1.msp. */
const patchProject =
  '<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <OutputType>Patch</OutputType>\n    <OutputName>ContosoTools-Hotfix1</OutputName>\n  </PropertyGroup>\n</Project>\n';
const v4Patch =
  '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n' +
  '  <Patch AllowRemoval="yes" Manufacturer="Contoso Ltd" DisplayName="Contoso Tools Hotfix 1" Classification="Hotfix">\n' +
  '    <PatchBaseline Id="RTM" BaselineFile="..\\Product\\bin\\RTM\\ContosoTools.msi" UpdateFile="..\\Product\\bin\\Release\\ContosoTools.msi" />\n' +
  '    <PatchFamily Id="ReadmeFix" Version="1.0.1.0" Supersede="yes">\n      <ComponentRef Id="Readme" />\n    </PatchFamily>\n' +
  '  </Patch>\n</Wix>\n';
/** WiX v3, UTF-8 with CRLF, the PatchCode authored (Patch/@Id) and the .msp built somewhere else by pyro -out. */
const v3Patch =
  '<?xml version="1.0" encoding="utf-8"?>\r\n<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\r\n' +
  `  <Patch Id="${PATCH_CODE}" AllowRemoval="yes" Manufacturer="Contoso Ltd" DisplayName="Contoso Tools Hotfix 1" Description="Hotfix 1" Classification="Hotfix">\r\n` +
  '    <Media Id="5000" Cabinet="Hotfix1.cab">\r\n      <PatchBaseline Id="RTM" />\r\n    </Media>\r\n    <PatchFamilyRef Id="ReadmeFix" />\r\n  </Patch>\r\n</Wix>\r\n';
const bundle = (sourceFile: string): string =>
  '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Bundle Name="Contoso Tools Setup" Version="1.0.1" Manufacturer="Contoso Ltd" UpgradeCode="{1B2C3D4E-5F60-4718-9A0B-1C2D3E4F5A6B}">\n' +
  '    <BootstrapperApplication>\n      <bal:WixStandardBootstrapperApplication Theme="hyperlinkLicense" xmlns:bal="http://wixtoolset.org/schemas/v4/wxs/bal" />\n    </BootstrapperApplication>\n' +
  `    <Chain>\n      <MsiPackage SourceFile="ContosoTools.msi" />\n      <MspPackage SourceFile="${sourceFile}" />\n    </Chain>\n  </Bundle>\n</Wix>\n`;

ruleTester('unsigned-patch', {
  valid: [
    { name: 'a patch signed with SHA-256', files: packages('patch-sha256.msp') },
    { name: 'a patch signed with SHA-1', files: packages('patch-sha1.msp') },
    { name: 'a patch whose signature does not verify (invalid-patch-signature reports it)', files: packages('patch-tampered.msp') },
    { name: 'an unsigned product package (.msi): only patches must be signed for UAC patching', files: packages('product-trusting.msi') },
    {
      name: 'a <Patch> whose built .msp is signed',
      files: { 'Patch/Patch.wxs': v4Patch, 'Patch/Patch.wixproj': patchProject, 'Patch/bin/Release/ContosoTools-Hotfix1.msp': packageFixture('patch-sha256.msp') },
    },
    { name: 'a <Patch> not built yet (the lens says so)', files: { 'Patch/Patch.wxs': v4Patch, 'Patch/Patch.wixproj': patchProject } },
  ],
  invalid: [
    { name: 'a patch without a \\x05DigitalSignature stream', files: packages('patch-unsigned.msp'), findings: [{ line: 1, message: /patch-unsigned\.msp is not signed.*UAC prompt/ }] },
    {
      name: 'v4: the project output bin/Release/<OutputName>.msp is unsigned: on the .msp and on the <Patch> that builds it',
      files: { 'Patch/Patch.wxs': v4Patch, 'Patch/Patch.wixproj': patchProject, 'Patch/bin/Release/ContosoTools-Hotfix1.msp': packageFixture('patch-unsigned.msp') },
      findings: [
        { file: 'Patch/bin/Release/ContosoTools-Hotfix1.msp', line: 1, message: /^ContosoTools-Hotfix1\.msp is not signed/ },
        { line: 2, message: /^Built patch bin\/Release\/ContosoTools-Hotfix1\.msp: ContosoTools-Hotfix1\.msp is not signed/ },
      ],
    },
    {
      name: 'v3: the .msp with the PatchCode of Patch/@Id, built into another folder',
      files: { 'src/Hotfix1.wxs': v3Patch, 'drop/Contoso-KB1001.msp': packageFixture('patch-unsigned.msp') },
      findings: [
        { file: 'drop/Contoso-KB1001.msp', line: 1 },
        { file: 'src/Hotfix1.wxs', line: 3, message: /^Built patch \.\.\/drop\/Contoso-KB1001\.msp: / },
      ],
    },
    {
      name: 'a .msp of another project is not linked to this <Patch>',
      files: { 'Patch/Patch.wxs': v4Patch, 'Patch/Patch.wixproj': patchProject, 'Patch/bin/Release/Other-Hotfix.msp': packageFixture('patch-unsigned.msp') },
      findings: [{ file: 'Patch/bin/Release/Other-Hotfix.msp', line: 1 }],
    },
    {
      name: 'Burn: an MspPackage whose SourceFile is an unsigned .msp',
      files: { 'Bundle/Bundle.wxs': bundle('..\\Patch\\bin\\Release\\ContosoTools-Hotfix1.msp'), 'Patch/bin/Release/ContosoTools-Hotfix1.msp': packageFixture('patch-unsigned.msp') },
      findings: [
        { line: 8, message: /^Chained patch \.\.\/Patch\/bin\/Release\/ContosoTools-Hotfix1\.msp: ContosoTools-Hotfix1\.msp is not signed/ },
        { file: 'Patch/bin/Release/ContosoTools-Hotfix1.msp', line: 1 },
      ],
    },
  ],
});
