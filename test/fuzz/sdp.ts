// Target `sdp`: WSUS / SCUP publishing manifests (.sdp, catalog .xml) through the decoder, the
// XML scanner and readSdpManifests.

import * as fc from 'fast-check';
import { readSdpManifest, readSdpManifests } from '../../server/src/engine/manifest/sdp';
import { decodeXmlBytes } from '../../server/src/engine/text';
import { SourceFile } from '../../server/src/engine/wix/source';
import { seedsMatching } from './corpus';
import { applyTextEdits, corpusPick, textEdits } from './mutate';
import { invariant, type FuzzTarget, type InputFiles } from './target';
import { checkXmlDocument } from './wix';
import { AWKWARD_STRINGS, encodeText, encoding, prolog, renderNodes, renderOptions, xmlNodes, type Vocabulary, type XmlNodeSpec } from './xml-gen';

const BASE = 'http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/';
const NAMESPACES: Record<string, string> = {
  sdp: `${BASE}SoftwareDistributionPackage.xsd`,
  msp: `${BASE}Installers/MspInstallation.xsd`,
  msi: `${BASE}Installers/MsiInstallation.xsd`,
  cmd: `${BASE}Installers/CommandLineInstallation.xsd`,
  uei: `${BASE}Installers/UpdateExeInstallation.xsd`,
  msiar: `${BASE}MsiApplicabilityRules.xsd`,
  smc: 'http://schemas.microsoft.com/sms/2005/04/CorporatePublishing/SystemsManagementCatalog.xsd',
  pa: 'http://www.microsoft.com/msi/patch_applicability.xsd',
};

const ELEMENTS = [
  'sdp:Properties', 'sdp:LocalizedProperties', 'sdp:Title', 'sdp:InstallableItem', 'sdp:InstallProperties', 'sdp:UninstallProperties',
  'sdp:ApplicabilityRules', 'sdp:IsInstalled', 'sdp:IsInstallable', 'sdp:Metadata', 'sdp:OriginFile', 'sdp:SoftwareDistributionPackage',
  'msp:MspInstallerData', 'msp:MspFileName', 'msi:MsiInstallerData', 'cmd:CommandLineInstallerData', 'uei:UpdateExeInstallerData',
  'msiar:MsiProductInstalled', 'msiar:MsiPatchInstalledForProduct', 'msiar:Product', 'msiar:ProductCode', 'msiar:MsiApplicationMetadata',
  'msiar:MsiPatchMetadata', 'pa:MsiPatch', 'pa:TargetProduct', 'pa:TargetProductCode', 'pa:SequenceData', 'pa:ProductCode', 'Title', 'InstallableItem',
  'OriginFile', 'InstallProperties',
];

const GUIDS = ['{6A1F2C3D-0000-4000-8000-00000000C0A1}', '6a1f2c3d-0000-4000-8000-00000000c0a1', ' {6A1F2C3D-0000-4000-8000-00000000E001} ', '{6A1F2C3D-0000-4000-8000-00000000C0A1', '{}', 'not-a-guid', '{6A1F2C3D-0000-4000-8000-00000000C0A1}}'];

const ATTRIBUTES: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constantFrom('ProductCode', 'PatchCode', 'FullFilePatchCode', 'PackageID', 'ID'), fc.oneof(fc.constantFrom(...GUIDS), fc.constantFrom(...AWKWARD_STRINGS))),
  fc.tuple(fc.constant('CanRequestUserInput'), fc.constantFrom('true', 'false', '1', '0', ' true ', 'True', 'yes', '', 'true"')),
  fc.tuple(fc.constant('Size'), fc.constantFrom('28672', '0', '-1', '999999999999999', '9999999999999999', '1e3', '0x10', ' 12 ', '', '١٢')),
  fc.tuple(fc.constantFrom('FileName', 'Digest', 'OriginUri', 'CommandLine', 'UninstallCommandLine'), fc.oneof(fc.constantFrom('ContosoTools-Hotfix1.msp', '../x.msp', 'a\\b.msp', ''), fc.constantFrom(...AWKWARD_STRINGS))),
  fc.tuple(fc.constantFrom(...Object.keys(NAMESPACES).map((prefix) => `xmlns:${prefix}`), 'xmlns'), fc.constantFrom(...Object.values(NAMESPACES), '', 'urn:x')),
);

const sdpVocabulary: Vocabulary = {
  elements: fc.constantFrom(...ELEMENTS),
  attribute: ATTRIBUTES,
  instruction: fc.constantFrom({ target: 'xml', data: 'version="1.0"' }, { target: 'if', data: '1' }, { target: 'x', data: '' }),
  text: fc.oneof(fc.constantFrom(...GUIDS), fc.constantFrom(...AWKWARD_STRINGS)),
  comment: fc.constantFrom(' wix-uac-disable-next-line unsigned-patch ', ' x '),
};

/** A package (or a catalog of packages) with namespace declarations that may be missing or wrong. */
const generated: fc.Arbitrary<Uint8Array> = fc
  .record({
    head: prolog,
    catalog: fc.boolean(),
    declared: fc.subarray(Object.keys(NAMESPACES)),
    defaultNamespace: fc.option(fc.constantFrom(NAMESPACES.sdp, NAMESPACES.smc, 'urn:x'), { freq: 4 }),
    packages: fc.array(xmlNodes(sdpVocabulary, 5), { minLength: 1, maxLength: 3 }),
    render: renderOptions,
    how: encoding,
  })
  .map(({ head, catalog, declared, defaultNamespace, packages, render, how }) => {
    const declarations = declared.map((prefix) => ` xmlns:${prefix}="${NAMESPACES[prefix]}"`).join('') + (defaultNamespace ? ` xmlns="${defaultNamespace}"` : '');
    const options = { ...render, prefix: '' };
    const packageXml = (nodes: XmlNodeSpec[], root: string): string =>
      `<${root}${catalog ? '' : declarations}>${render.newline}${renderNodes(nodes, options, 1)}</${root}>${render.newline}`;
    const body = catalog
      ? `<smc:SystemsManagementCatalog${declarations}>${packages.map((nodes) => packageXml(nodes, 'smc:SoftwareDistributionPackage')).join('')}</smc:SystemsManagementCatalog>`
      : packageXml(packages[0], 'sdp:SoftwareDistributionPackage');
    return encodeText(head + body, how);
  });

const mutated = (corpus: Uint8Array[]): fc.Arbitrary<Uint8Array> =>
  fc.record({ base: corpusPick(corpus), edits: textEdits(5), how: encoding }).map(({ base, edits, how }) => encodeText(applyTextEdits(decodeXmlBytes(base).text, edits), how));

const GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/;

export function checkSdp(bytes: Uint8Array): void {
  const decoded = decodeXmlBytes(bytes);
  const source = new SourceFile('/fuzz/publish/manifest.sdp', decoded.text, '1', decoded.warning);
  checkXmlDocument(source.xml, source.text.length, source.path);
  readSdpManifest(source);
  for (const manifest of readSdpManifests(source)) {
    for (const item of manifest.items) {
      invariant(new Set(item.productCodes).size === item.productCodes.length, 'an item lists a ProductCode twice');
      for (const code of item.productCodes) invariant(GUID.test(code), `an item lists "${code}" as a ProductCode`);
      if (item.originFile?.size !== undefined) invariant(Number.isSafeInteger(item.originFile.size) && item.originFile.size >= 0, `OriginFile size ${item.originFile.size}`);
      for (const flag of [item.installCanRequestUserInput, item.uninstallCanRequestUserInput]) {
        if (flag) invariant(flag.value === undefined || typeof flag.value === 'boolean', 'CanRequestUserInput read as neither true, false nor unknown');
      }
    }
  }
}

export const sdpTarget: FuzzTarget<Uint8Array> = {
  name: 'sdp',
  summary: 'WSUS publishing manifests and catalogs: decoding, XML scanner, readSdpManifests',
  seeds: () => seedsMatching(/\.(sdp|xml)$/i).map((file) => file.bytes),
  arbitrary: (corpus) => fc.oneof(generated, mutated(corpus.entries)),
  check: checkSdp,
  toFiles: (bytes): InputFiles => new Map([['manifest.sdp', bytes]]),
  fromFiles: (files: InputFiles) => files.get('manifest.sdp') ?? [...files.values()][0] ?? new Uint8Array(0),
};
