// Reading WSUS/SCUP publishing manifests (Software Distribution Packages): the fixtures in
// test/fixtures/manifests are shaped like what the WSUS authoring API writes for SCUP, WSUS Package
// Publisher and Local Update Publisher (see its README); expected values are the ones written in
// those files.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSdpManifest, readSdpManifests, type SdpManifest } from '../server/src/engine/manifest/sdp';
import { decodeXmlBytes } from '../server/src/engine/text';
import { SourceFile } from '../server/src/engine/wix/source';
import { fixture } from './support/rule-tester';

const CONTOSO_TOOLS = '{6A1F2C3D-0000-4000-8000-00000000C0A1}';
const FABRIKAM_AGENT = '{3C1E5A4D-8B2F-4D6E-A1C3-5F7B9D0E2A4C}';
const SDP = 'http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/SoftwareDistributionPackage.xsd';

function sourceOf(bytes: Uint8Array, name = '/manifests/manifest.sdp'): SourceFile {
  const decoded = decodeXmlBytes(bytes);
  return new SourceFile(name, decoded.text, '1', decoded.warning);
}

function read(relativePath: string): SdpManifest {
  const manifest = readSdpManifest(sourceOf(fixture(`manifests/${relativePath}`), `/manifests/${relativePath}`));
  assert.ok(manifest, `${relativePath} is read as a manifest`);
  return manifest;
}

/** A manifest with one installable item around the given InstallableItem content (LF endings). */
function manifestText(itemContent: string, rootNamespaces = `xmlns:sdp="${SDP}"`): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<sdp:SoftwareDistributionPackage ${rootNamespaces} SchemaVersion="1.2">\n` +
    '  <sdp:Properties PackageID="11111111-2222-4333-8444-555555555555" CreationDate="2026-01-01T00:00:00" VendorName="Contoso Ltd" />\n' +
    '  <sdp:LocalizedProperties>\n    <sdp:Language>en</sdp:Language>\n    <sdp:Title>Contoso Tools 1.2 Hotfix 1</sdp:Title>\n  </sdp:LocalizedProperties>\n' +
    `  <sdp:InstallableItem ID="66666666-7777-4888-9999-000000000000">\n${itemContent}\n  </sdp:InstallableItem>\n</sdp:SoftwareDistributionPackage>\n`
  );
}

function readText(text: string): SdpManifest | undefined {
  return readSdpManifest(new SourceFile('/manifests/typed.sdp', text, '1'));
}

describe('readSdpManifest on manifests shaped like the WSUS authoring API output', () => {
  it('reads an MSP update (UTF-8 with BOM, CRLF): package, title, item, install flags, patch and origin file', () => {
    const manifest = read('contoso-tools-hotfix1.sdp');
    assert.equal(manifest.packageId, '5f0a7c42-8d3e-4b1a-9c6f-2e7d1b3a4c01');
    assert.equal(manifest.title, 'Contoso Tools 1.2 Hotfix 1');
    assert.equal(manifest.items.length, 1);
    const [item] = manifest.items;
    assert.equal(item.id, '9b2e4d61-3f7a-4c8e-a1d5-6e0f2b7c8d01');
    assert.equal(item.installCanRequestUserInput?.value, true);
    assert.equal(item.uninstallCanRequestUserInput?.value, false);
    assert.equal(item.installer?.kind, 'msp');
    assert.deepEqual(
      { patchCode: item.msp?.patchCode, fullFilePatchCode: item.msp?.fullFilePatchCode, commandLine: item.msp?.commandLine, mspFileName: item.msp?.mspFileName },
      { patchCode: '{6A1F2C3D-0000-4000-8000-00000000E001}', fullFilePatchCode: '{6A1F2C3D-0000-4000-8000-00000000F001}', commandLine: 'REBOOT=ReallySuppress', mspFileName: undefined },
    );
    const origin = item.originFile;
    assert.deepEqual(
      { fileName: origin?.fileName, size: origin?.size, digest: origin?.digest, originUri: origin?.originUri },
      { fileName: 'ContosoTools-Hotfix1.msp', size: 28672, digest: 'q4bH7Vn0k1sK2YV9cS6Wm8xT3pE=', originUri: 'https://downloads.contoso.example/tools/1.2/ContosoTools-Hotfix1.msp' },
    );
    // The target product comes from the embedded MsiExtractPatchXMLData blob (TargetProductCode, SequenceData/ProductCode).
    assert.deepEqual(item.productCodes, [CONTOSO_TOOLS]);
  });

  it('gives the attribute and its value with offsets in the decoded text, on the line an editor shows', () => {
    const manifest = read('contoso-tools-hotfix1.sdp');
    const flag = manifest.items[0].installCanRequestUserInput!;
    const text = manifest.source.text;
    assert.equal(text.slice(flag.attribute.span.start, flag.attribute.span.end), 'CanRequestUserInput="true"');
    assert.equal(text.slice(flag.attribute.valueSpan!.start, flag.attribute.valueSpan!.end), 'true');
    assert.equal(flag.element.localName, 'InstallProperties');
    // Line 50 of the file as `grep -n` counts it (CRLF line ends; the byte order mark takes no column).
    assert.equal(manifest.source.range(flag.attribute.span).start.line + 1, 50);
    assert.equal(manifest.source.range(flag.attribute.span).start.character, '    <sdp:InstallProperties '.length);
  });

  it('reads the MspFileName child of MspInstallerData, and an update that cannot request input', () => {
    const manifest = read('contoso-tools-hotfix2.xml');
    const [item] = manifest.items;
    assert.equal(manifest.title, 'Contoso Tools 1.2 Hotfix 2');
    assert.equal(item.installCanRequestUserInput?.value, false);
    assert.equal(item.msp?.mspFileName, 'ContosoTools-Hotfix2.msp');
    assert.equal(item.originFile?.fileName, 'ContosoTools-Hotfix2.msp');
  });

  it('reads an MSI application, with its ProductCode written in lower case (Guid "B" format) normalised', () => {
    const manifest = read('fabrikam-agent-3.1.0.sdp');
    const [item] = manifest.items;
    assert.equal(manifest.title, 'Fabrikam Agent 3.1.0');
    assert.equal(item.installer?.kind, 'msi');
    assert.equal(item.msp, undefined);
    assert.equal(item.installCanRequestUserInput?.value, false);
    assert.equal(item.uninstallCanRequestUserInput?.value, true);
    assert.equal(item.originFile?.fileName, 'FabrikamAgent-3.1.0.msi');
    assert.equal(item.originFile?.size, 4915200);
    assert.deepEqual(item.productCodes, [FABRIKAM_AGENT]);
  });

  it('reads a hand-written manifest in the default namespace with a command-line installer and CanRequestUserInput="1"', () => {
    const manifest = read('fabrikam-dock-firmware-tool.xml');
    const [item] = manifest.items;
    assert.equal(manifest.root.prefix, '');
    assert.equal(manifest.packageId, '7d4c2b1a-0e9f-4a8b-b7c6-d5e4f3a2b190');
    assert.equal(manifest.title, 'Fabrikam Dock Firmware Tool 2.4');
    assert.equal(item.installer?.kind, 'commandLine');
    assert.equal(item.installCanRequestUserInput?.value, true);
    assert.equal(item.installCanRequestUserInput?.attribute.value, '1');
    assert.equal(item.uninstallCanRequestUserInput, undefined);
    assert.equal(item.originFile?.fileName, 'FabrikamDockFW-2.4.exe');
    assert.deepEqual(item.productCodes, []);
  });

  it('reads the same manifest from UTF-16 LE with a byte order mark', () => {
    const utf8 = decodeXmlBytes(fixture('manifests/contoso-tools-hotfix1.sdp')).text;
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8.replace('encoding="utf-8"', 'encoding="utf-16"'), 'utf16le')]);
    const manifest = readSdpManifest(sourceOf(utf16));
    assert.ok(manifest);
    assert.equal(manifest.title, 'Contoso Tools 1.2 Hotfix 1');
    assert.equal(manifest.items[0].installCanRequestUserInput?.value, true);
    assert.equal(manifest.items[0].originFile?.fileName, 'ContosoTools-Hotfix1.msp');
  });
});

describe('readSdpManifests on a vendor catalog', () => {
  const source = sourceOf(fixture('manifests/fabrikam-catalog.xml'), '/manifests/fabrikam-catalog.xml');

  it('reads every smc:SoftwareDistributionPackage of a smc:SystemsManagementCatalog', () => {
    const manifests = readSdpManifests(source);
    assert.deepEqual(
      manifests.map((manifest) => ({ id: manifest.packageId, title: manifest.title, flags: manifest.items.map((item) => item.installCanRequestUserInput?.value) })),
      [
        { id: '0000fab0-0000-0000-0000-000000002401', title: 'Fabrikam Dock Audio Driver 6.1', flags: [false] },
        { id: '0000fab0-0000-0000-0000-000000002402', title: 'Fabrikam Agent 3.1.1 patch', flags: [true] },
      ],
    );
    const patch = manifests[1].items[0];
    assert.equal(patch.installer?.kind, 'msp');
    assert.equal(patch.msp?.patchCode, '{3c1e5a4d-8b2f-4d6e-a1c3-5f7b9d0e3b11}');
    // Named twice (MsiPatchInstalledForProduct and MsiProductInstalled), listed once.
    assert.deepEqual(patch.productCodes, [FABRIKAM_AGENT]);
  });

  it('is not a single manifest for readSdpManifest (its root is the catalog)', () => {
    assert.equal(readSdpManifest(source), undefined);
  });

  it('reads a single manifest file as one package', () => {
    const single = sourceOf(fixture('manifests/contoso-tools-hotfix2.xml'));
    assert.deepEqual(readSdpManifests(single).map((manifest) => manifest.title), ['Contoso Tools 1.2 Hotfix 2']);
  });
});

describe('readSdpManifest on what is not a manifest', () => {
  it('returns undefined for another root, even one that mentions SoftwareDistributionPackage', () => {
    assert.equal(readText('<?xml version="1.0"?>\n<!-- exported from a SoftwareDistributionPackage -->\n<Project Sdk="Microsoft.NET.Sdk" />\n'), undefined);
    assert.equal(readText(''), undefined);
    assert.equal(readText('not xml at all'), undefined);
  });

  it('returns undefined for a SoftwareDistributionPackage in another namespace (or in none)', () => {
    assert.equal(readText('<SoftwareDistributionPackage xmlns="urn:example:packages"><InstallableItem /></SoftwareDistributionPackage>'), undefined);
    assert.equal(readText('<SoftwareDistributionPackage><InstallableItem /></SoftwareDistributionPackage>'), undefined);
    // The URL with https, as the online schema reference prints it, is not the schema's namespace.
    assert.equal(readText('<SoftwareDistributionPackage xmlns="https://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/SoftwareDistributionPackage.xsd" />'), undefined);
  });

  it('ignores elements of the same local name in another namespace', () => {
    const text = manifestText('    <x:InstallProperties CanRequestUserInput="true" />\n    <sdp:OriginFile FileName="a.msp" />', `xmlns:sdp="${SDP}" xmlns:x="urn:example:other"`);
    const manifest = readText(text);
    assert.ok(manifest);
    assert.equal(manifest.items[0].installCanRequestUserInput, undefined);
    const foreignItem = readText(manifestText('').replace('<sdp:InstallableItem', '<x:InstallableItem xmlns:x="urn:example:other"').replace('</sdp:InstallableItem>', '</x:InstallableItem>'));
    assert.equal(foreignItem?.items.length, 0);
  });
});

describe('readSdpManifest on odd values and half-typed text', () => {
  const flag = (value: string) => readText(manifestText(`    <sdp:InstallProperties CanRequestUserInput=${value} />`))?.items[0].installCanRequestUserInput?.value;

  it('reads xs:boolean: true/1 and false/0 (white space collapsed), anything else unknown', () => {
    assert.equal(flag('"true"'), true);
    assert.equal(flag("'1'"), true);
    assert.equal(flag('" true "'), true);
    assert.equal(flag('"false"'), false);
    assert.equal(flag('"0"'), false);
    // xs:boolean is case-sensitive: WSUS rejects these at import, so they are not "true".
    assert.equal(flag('"True"'), undefined);
    assert.equal(flag('"yes"'), undefined);
    assert.equal(flag('""'), undefined);
  });

  it('leaves out what is not authored or not usable', () => {
    const manifest = readText(manifestText('    <sdp:InstallProperties Impact="Normal" />\n    <sdp:OriginFile FileName="" Size="28 KB" />'));
    const item = manifest!.items[0];
    assert.equal(item.installCanRequestUserInput, undefined);
    assert.equal(item.uninstallCanRequestUserInput, undefined);
    assert.equal(item.originFile?.fileName, undefined);
    assert.equal(item.originFile?.size, undefined);
    assert.equal(item.installer, undefined);
    assert.deepEqual(item.productCodes, []);
  });

  it('treats a value whose closing quote is still missing as unknown', () => {
    const typed = '<sdp:SoftwareDistributionPackage xmlns:sdp="' + SDP + '">\n  <sdp:InstallableItem ID="a">\n    <sdp:InstallProperties CanRequestUserInput="true\n  </sdp:InstallableItem>\n';
    const manifest = readText(typed);
    assert.ok(manifest);
    assert.equal(manifest.items[0].installCanRequestUserInput?.value, undefined);
  });

  it('reads every prefix of a real manifest without throwing, and finds the flag once it is typed in full', () => {
    const text = decodeXmlBytes(fixture('manifests/contoso-tools-hotfix1.sdp')).text;
    const flagEnd = text.indexOf('CanRequestUserInput="true"') + 'CanRequestUserInput="true"'.length;
    for (let length = 0; length <= text.length; length++) {
      const manifest = readText(text.slice(0, length));
      const value = manifest?.items[0]?.installCanRequestUserInput?.value;
      if (length < flagEnd) assert.notEqual(value, true, `prefix of ${length} characters`);
      else assert.equal(value, true, `prefix of ${length} characters`);
    }
  });

  it('reads a deeply nested applicability rule without exhausting the stack', () => {
    const depth = 20000;
    const rule = `${'<lar:Not>'.repeat(depth)}<msiar:MsiProductInstalled ProductCode="${CONTOSO_TOOLS}" />${'</lar:Not>'.repeat(depth)}`;
    const namespaces = `xmlns:sdp="${SDP}" xmlns:lar="http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/LogicalApplicabilityRules.xsd" xmlns:msiar="http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/MsiApplicabilityRules.xsd"`;
    const manifest = readText(manifestText(`<sdp:ApplicabilityRules><sdp:IsInstallable>${rule}</sdp:IsInstallable></sdp:ApplicabilityRules>`, namespaces));
    assert.deepEqual(manifest?.items[0].productCodes, [CONTOSO_TOOLS]);
  });

  it('adds the ProductCodes of the package-level rules to every item', () => {
    const namespaces = `xmlns:sdp="${SDP}" xmlns:msiar="http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/MsiApplicabilityRules.xsd"`;
    const text = manifestText('    <sdp:InstallProperties CanRequestUserInput="false" />', namespaces).replace(
      '  <sdp:InstallableItem',
      `  <sdp:IsInstallable>\n    <msiar:MsiProductInstalled ProductCode="${CONTOSO_TOOLS.toLowerCase()}" />\n  </sdp:IsInstallable>\n  <sdp:InstallableItem`,
    );
    assert.deepEqual(readText(text)?.items[0].productCodes, [CONTOSO_TOOLS]);
  });
});
