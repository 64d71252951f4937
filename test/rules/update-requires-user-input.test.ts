import { decodeXmlBytes } from '../../server/src/engine/text';
import { fixture, ruleTester } from '../support/rule-tester';

const SDP = 'http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/SoftwareDistributionPackage.xsd';
const MSP = 'http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/Installers/MspInstallation.xsd';

/** An MSP update as the WSUS authoring API writes it (sdp: prefix), with the given InstallableItem properties (LF endings). */
function hotfix(properties: string, id = '9b2e4d61-3f7a-4c8e-a1d5-6e0f2b7c8d01'): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<sdp:SoftwareDistributionPackage xmlns:msp="${MSP}" SchemaVersion="1.2" xmlns:sdp="${SDP}">\n` +
    '  <sdp:Properties PackageID="5f0a7c42-8d3e-4b1a-9c6f-2e7d1b3a4c01" CreationDate="2026-05-12T09:41:27.512Z" VendorName="Contoso Ltd" />\n' +
    '  <sdp:LocalizedProperties>\n    <sdp:Language>en</sdp:Language>\n    <sdp:Title>Contoso Tools 1.2 Hotfix 1</sdp:Title>\n  </sdp:LocalizedProperties>\n' +
    `  <sdp:InstallableItem ID="${id}">\n` +
    `${properties}\n` +
    '    <msp:MspInstallerData PatchCode="{6A1F2C3D-0000-4000-8000-00000000E001}" CommandLine="" />\n' +
    '    <sdp:OriginFile Digest="q4bH7Vn0k1sK2YV9cS6Wm8xT3pE=" FileName="ContosoTools-Hotfix1.msp" Size="28672" Modified="2026-05-11T16:02:10.000Z" />\n' +
    '  </sdp:InstallableItem>\n' +
    '</sdp:SoftwareDistributionPackage>\n'
  );
}

const install = (value: string, quote = '"') => `    <sdp:InstallProperties CanRequestUserInput=${quote}${value}${quote} RequiresNetworkConnectivity="false" Impact="Normal" RebootBehavior="CanRequestReboot" />`;
const uninstall = (value: string) => `    <sdp:UninstallProperties CanRequestUserInput="${value}" RequiresNetworkConnectivity="false" Impact="Normal" RebootBehavior="CanRequestReboot" />`;

/** The same update written by hand with a default namespace. */
function defaultNamespaceHotfix(value: string): string {
  return (
    `<SoftwareDistributionPackage xmlns="${SDP}" xmlns:msp="${MSP}" SchemaVersion="1.2">\n` +
    '  <Properties PackageID="5f0a7c42-8d3e-4b1a-9c6f-2e7d1b3a4c03" CreationDate="2026-05-12T09:41:27" VendorName="Contoso Ltd" />\n' +
    '  <LocalizedProperties>\n    <Language>en</Language>\n    <Title>Contoso Tools 1.2 Hotfix 3</Title>\n  </LocalizedProperties>\n' +
    '  <InstallableItem ID="9b2e4d61-3f7a-4c8e-a1d5-6e0f2b7c8d03">\n' +
    `    <InstallProperties CanRequestUserInput="${value}" Impact="Normal" RebootBehavior="CanRequestReboot" />\n` +
    '    <msp:MspInstallerData PatchCode="{6A1F2C3D-0000-4000-8000-00000000E003}" />\n' +
    '    <OriginFile FileName="ContosoTools-Hotfix3.msp" />\n' +
    '  </InstallableItem>\n' +
    '</SoftwareDistributionPackage>\n'
  );
}

/** Three installable items; only the second can request user input. */
function threeItems(): string {
  const item = (n: number, value: string) =>
    `  <sdp:InstallableItem ID="00000000-0000-4000-8000-00000000000${n}">\n    <sdp:InstallProperties CanRequestUserInput="${value}" />\n    <msp:MspInstallerData PatchCode="{6A1F2C3D-0000-4000-8000-00000000E00${n}}" />\n  </sdp:InstallableItem>\n`;
  return (
    `<sdp:SoftwareDistributionPackage xmlns:sdp="${SDP}" xmlns:msp="${MSP}" SchemaVersion="1.2">\n` +
    '  <sdp:LocalizedProperties>\n    <sdp:Language>en</sdp:Language>\n    <sdp:Title>Contoso Tools 1.2 Rollup</sdp:Title>\n  </sdp:LocalizedProperties>\n' +
    item(1, 'false') +
    item(2, 'true') +
    item(3, '0') +
    '</sdp:SoftwareDistributionPackage>\n'
  );
}

const hotfix1Bytes = fixture('manifests/contoso-tools-hotfix1.sdp');
/** The fixture with the install flag set to false: byte order mark and CRLF kept. */
const hotfix1Fixed = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(hotfix1Bytes.subarray(3).toString('utf8').replace('<sdp:InstallProperties CanRequestUserInput="true"', '<sdp:InstallProperties CanRequestUserInput="false"'), 'utf8')]);
const dockTool = fixture('manifests/fabrikam-dock-firmware-tool.xml');
const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('encoding="utf-8"', 'encoding="utf-16"'), 'utf16le')]);

ruleTester('update-requires-user-input', {
  valid: [
    { name: 'CanRequestUserInput="false"', files: { 'Publish/Hotfix1.sdp': hotfix(install('false')) } },
    { name: 'CanRequestUserInput="0"', files: { 'Publish/Hotfix1.sdp': hotfix(install('0')) } },
    // SoftwareDistributionPackage.xsd declares the attribute optional with default="false" (the
    // xsd.exe classes generated from it carry [DefaultValue(false)]).
    { name: 'the attribute left out (the schema default is false)', files: { 'Publish/Hotfix1.sdp': hotfix('    <sdp:InstallProperties Impact="Normal" RebootBehavior="CanRequestReboot" />') } },
    { name: 'no InstallProperties at all', files: { 'Publish/Hotfix1.sdp': hotfix('') } },
    { name: 'a manifest written by the WSUS authoring API with both flags false (.xml)', files: { 'Publish/ContosoTools-Hotfix2.xml': fixture('manifests/contoso-tools-hotfix2.xml') } },
    {
      name: 'an .xml file that is not a manifest but mentions SoftwareDistributionPackage in a comment',
      files: { 'Build/notes.xml': '<?xml version="1.0"?>\n<!-- copied from a SoftwareDistributionPackage -->\n<Settings>\n  <InstallProperties CanRequestUserInput="true" />\n</Settings>\n' },
    },
    {
      name: 'an element of the same local name in another namespace',
      files: { 'Publish/Hotfix1.sdp': hotfix('    <x:InstallProperties xmlns:x="urn:example:other" CanRequestUserInput="true" />\n    <sdp:InstallProperties CanRequestUserInput="false" />') },
    },
    {
      name: 'a SoftwareDistributionPackage in another namespace',
      files: { 'Publish/Hotfix1.sdp': hotfix(install('true')).replaceAll(SDP, 'urn:example:packages') },
    },
    {
      name: 'a half-typed manifest: value not finished, elements not closed',
      files: { 'Publish/Hotfix1.sdp': hotfix(install('true')).slice(0, hotfix(install('true')).indexOf('CanRequestUserInput="tr') + 'CanRequestUserInput="tr'.length) },
    },
    {
      name: 'a half-typed manifest: the closing quote still missing',
      files: { 'Publish/Hotfix1.sdp': `<sdp:SoftwareDistributionPackage xmlns:sdp="${SDP}">\n  <sdp:InstallableItem ID="a">\n    <sdp:InstallProperties CanRequestUserInput="true\n  </sdp:InstallableItem>\n` },
    },
    { name: 'a value that is not an xs:boolean ("True" is rejected by the schema)', files: { 'Publish/Hotfix1.sdp': hotfix(install('True')) } },
    {
      name: 'a line suppressed with wix-uac-disable-next-line',
      files: { 'Publish/Hotfix1.sdp': hotfix(`    <!-- wix-uac-disable-next-line update-requires-user-input -->\n${install('true')}`) },
    },
  ],
  invalid: [
    {
      name: 'an .sdp with the sdp: prefix; the fix sets the value to false',
      files: { 'Publish/Hotfix1.sdp': hotfix(install('true')) },
      findings: [{ line: 9, message: /^Update "Contoso Tools 1\.2 Hotfix 1" \(item 9b2e4d61-3f7a-4c8e-a1d5-6e0f2b7c8d01\) can request user input.*Secondary Logon \(Run As\).*WU_E_NO_INTERACTIVE_USER \(0x80240020\)/ }],
      fix: { title: /^Set CanRequestUserInput to false$/, files: { 'Publish/Hotfix1.sdp': hotfix(install('false')) } },
    },
    {
      name: 'an .xml with a default namespace',
      files: { 'Publish/ContosoTools-Hotfix3.xml': defaultNamespaceHotfix('true') },
      findings: [{ line: 8, message: /Contoso Tools 1\.2 Hotfix 3/ }],
      fix: { title: /Set CanRequestUserInput to false/, files: { 'Publish/ContosoTools-Hotfix3.xml': defaultNamespaceHotfix('false') } },
    },
    {
      name: "CanRequestUserInput='1' (the fix keeps the single quotes)",
      files: { 'Publish/Hotfix1.sdp': hotfix(install('1', "'")) },
      findings: [{ line: 9, message: /CanRequestUserInput="1"/ }],
      fix: { title: /Set CanRequestUserInput to false/, files: { 'Publish/Hotfix1.sdp': hotfix(install('false', "'")) } },
    },
    {
      name: 'CRLF and a UTF-8 byte order mark, as written on Windows; both are kept by the fix',
      files: { 'Publish/contoso-tools-hotfix1.sdp': hotfix1Bytes },
      findings: [{ line: 50, message: /Contoso Tools 1\.2 Hotfix 1/ }],
      fix: { title: /Set CanRequestUserInput to false/, files: { 'Publish/contoso-tools-hotfix1.sdp': hotfix1Fixed } },
    },
    {
      name: 'a UTF-16 LE file with a byte order mark',
      files: { 'Publish/Hotfix1.sdp': utf16(hotfix(install('true'))) },
      findings: [{ line: 9, message: /Contoso Tools 1\.2 Hotfix 1/ }],
    },
    {
      name: 'a hand-written .xml (default namespace, CRLF) with a command-line installer',
      files: { 'Publish/fabrikam-dock-firmware-tool.xml': dockTool },
      findings: [{ line: 29, message: /Fabrikam Dock Firmware Tool 2\.4/ }],
      fix: {
        title: /Set CanRequestUserInput to false/,
        files: { 'Publish/fabrikam-dock-firmware-tool.xml': decodeXmlBytes(dockTool).text.replace('CanRequestUserInput="1"', 'CanRequestUserInput="false"') },
      },
    },
    {
      name: 'several InstallableItems, only one of which can request user input',
      files: { 'Publish/Rollup.sdp': threeItems() },
      findings: [{ line: 11, message: /^Update "Contoso Tools 1\.2 Rollup" \(item 00000000-0000-4000-8000-000000000002\)/ }],
    },
    {
      name: 'UninstallProperties/@CanRequestUserInput="true" is information',
      files: { 'Publish/Hotfix1.sdp': hotfix(`${install('false')}\n${uninstall('true')}`) },
      findings: [{ line: 10, severity: 'information', message: /when it is removed.*WU_E_NO_INTERACTIVE_USER/ }],
      fix: { title: /Set CanRequestUserInput to false/, files: { 'Publish/Hotfix1.sdp': hotfix(`${install('false')}\n${uninstall('false')}`) } },
    },
    {
      name: 'both flags: a warning for the install and information for the removal',
      files: { 'Publish/Hotfix1.sdp': hotfix(`${install('true')}\n${uninstall('true')}`) },
      findings: [{ line: 9 }, { line: 10, severity: 'information' }],
    },
    {
      name: 'an MSI application whose uninstall can request input (manifest shaped like Local Update Publisher output)',
      files: { 'Publish/fabrikam-agent-3.1.0.sdp': fixture('manifests/fabrikam-agent-3.1.0.sdp') },
      findings: [{ line: 29, severity: 'information', message: /^Update "Fabrikam Agent 3\.1\.0" \(item e41f6b2a-9d03-4c7e-b8a5-1f2e3d4c5b60\)/ }],
    },
    {
      name: 'an item without a title or ID in a half-typed manifest is still named',
      files: { 'Publish/Hotfix1.sdp': `<sdp:SoftwareDistributionPackage xmlns:sdp="${SDP}">\n  <sdp:InstallableItem>\n    <sdp:InstallProperties CanRequestUserInput="true" />\n` },
      findings: [{ line: 3, message: /^This installable item can request user input/ }],
      fix: { title: /Set CanRequestUserInput to false/, files: { 'Publish/Hotfix1.sdp': `<sdp:SoftwareDistributionPackage xmlns:sdp="${SDP}">\n  <sdp:InstallableItem>\n    <sdp:InstallProperties CanRequestUserInput="false" />\n` } },
    },
  ],
});
