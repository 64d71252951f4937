// WSUS / System Center Updates Publisher "Software Distribution Packages": the publishing
// manifests (.sdp, or .xml with an sdp:SoftwareDistributionPackage root) that describe an update,
// how Windows Update Agent installs it, and the file it ships.
//
// Element and attribute names follow the WSUS 2005/04 "CorporatePublishing" schemas as the WSUS
// authoring API (Microsoft.UpdateServices.Administration.SoftwareDistributionPackage.Save, used by
// SCUP, WSUS Package Publisher and Local Update Publisher) writes them. Elements are matched by
// namespace URI and local name: publishers use the `sdp:` prefix, hand-written files often a
// default namespace. Reading never throws: a half-typed or invalid manifest gives what can be read.

import { normalizeProductCode, isProductCode } from '../package/model';
import type { SourceFile } from '../wix/source';
import { childElements, innerText, type XmlAttribute, type XmlElement } from '../xml/parser';

const CORPORATE_PUBLISHING = 'http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/';
export const SDP_NAMESPACE = 'http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/SoftwareDistributionPackage.xsd';
export const MSP_INSTALLER_NAMESPACE = 'http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/Installers/MspInstallation.xsd';
export const MSI_INSTALLER_NAMESPACE = `${CORPORATE_PUBLISHING}Installers/MsiInstallation.xsd`;
export const COMMAND_LINE_INSTALLER_NAMESPACE = `${CORPORATE_PUBLISHING}Installers/CommandLineInstallation.xsd`;
export const UPDATE_EXE_INSTALLER_NAMESPACE = `${CORPORATE_PUBLISHING}Installers/UpdateExeInstallation.xsd`;
export const MSI_APPLICABILITY_NAMESPACE = `${CORPORATE_PUBLISHING}MsiApplicabilityRules.xsd`;
/** The blob MsiExtractPatchXMLData returns, embedded in msiar:MsiPatchMetadata. */
export const PATCH_APPLICABILITY_NAMESPACE = 'http://www.microsoft.com/msi/patch_applicability.xsd';
/** A vendor catalog (SCUP / Configuration Manager): many packages in one file. */
export const CATALOG_NAMESPACE = 'http://schemas.microsoft.com/sms/2005/04/CorporatePublishing/SystemsManagementCatalog.xsd';

export interface SdpManifest {
  source: SourceFile;
  /** The SoftwareDistributionPackage element (the root, or one package of a catalog). */
  root: XmlElement;
  /** Properties/@PackageID. */
  packageId?: string;
  /** The first LocalizedProperties/Title. */
  title?: string;
  items: SdpInstallableItem[];
}

export interface SdpBooleanAttribute {
  element: XmlElement;
  attribute: XmlAttribute;
  /**
   * xs:boolean: "true"/"1" → true, "false"/"0" → false (surrounding white space allowed),
   * anything else undefined — including a value whose closing quote is still missing.
   */
  value: boolean | undefined;
}

export type SdpInstallerKind = 'msp' | 'msi' | 'commandLine' | 'updateExe';

export interface SdpInstallableItem {
  element: XmlElement;
  id?: string;
  /** InstallProperties/@CanRequestUserInput, when authored (the schema default is false). */
  installCanRequestUserInput?: SdpBooleanAttribute;
  /** UninstallProperties/@CanRequestUserInput, when authored. */
  uninstallCanRequestUserInput?: SdpBooleanAttribute;
  /** The installer-data element: which WUA handler installs the item. */
  installer?: { kind: SdpInstallerKind; element: XmlElement };
  /** msp:MspInstallerData, when the item installs a patch. */
  msp?: { element: XmlElement; patchCode?: string; fullFilePatchCode?: string; commandLine?: string; uninstallCommandLine?: string; mspFileName?: string };
  /** sdp:OriginFile: the file the item ships. */
  originFile?: { element: XmlElement; fileName?: string; size?: number; digest?: string; originUri?: string };
  /**
   * ProductCodes the item's applicability rules and metadata name (msiar:MsiProductInstalled and
   * msiar:MsiPatchInstalledForProduct @ProductCode, msiar:Product, msiar:MsiApplicationMetadata/
   * ProductCode, the patch blob's TargetProductCode, msi:MsiInstallerData/@ProductCode), and those
   * of the package's own IsInstallable/IsInstalled rules, which gate every item. Upper case in
   * braces, each once, in document order.
   */
  productCodes: string[];
}

/** Cheap test on raw text, so that not every .xml of a workspace is parsed. */
export function mayBeSdpManifest(text: string): boolean {
  return text.includes('SoftwareDistributionPackage');
}

/** The manifest, or undefined when the root is not sdp:SoftwareDistributionPackage. */
export function readSdpManifest(source: SourceFile): SdpManifest | undefined {
  const root = source.xml.root;
  if (!root || !is(root, SDP_NAMESPACE, 'SoftwareDistributionPackage')) return undefined;
  return readPackage(source, root);
}

/**
 * Every package of the file: the root sdp:SoftwareDistributionPackage, or each
 * SoftwareDistributionPackage of a smc:SystemsManagementCatalog (vendor catalogs such as HP's
 * and Dell's, and SCUP exports, hold hundreds in one .xml).
 */
export function readSdpManifests(source: SourceFile): SdpManifest[] {
  const root = source.xml.root;
  if (!root) return [];
  if (is(root, SDP_NAMESPACE, 'SoftwareDistributionPackage')) return [readPackage(source, root)];
  if (!is(root, CATALOG_NAMESPACE, 'SystemsManagementCatalog')) return [];
  return childElements(root)
    .filter((child) => child.localName === 'SoftwareDistributionPackage' && (child.namespaceUri === CATALOG_NAMESPACE || child.namespaceUri === SDP_NAMESPACE))
    .map((child) => readPackage(source, child));
}

function readPackage(source: SourceFile, root: XmlElement): SdpManifest {
  const properties = child(root, SDP_NAMESPACE, 'Properties');
  const title = childElements(root)
    .filter((element) => is(element, SDP_NAMESPACE, 'LocalizedProperties'))
    .map((localized) => child(localized, SDP_NAMESPACE, 'Title'))
    .map((element) => (element ? innerText(element).trim() : ''))
    .find((text) => text !== '');
  const packageRules = childElements(root).filter((element) => is(element, SDP_NAMESPACE, 'IsInstallable') || is(element, SDP_NAMESPACE, 'IsInstalled'));
  const packageCodes = productCodesIn(packageRules);
  const items = childElements(root)
    .filter((element) => is(element, SDP_NAMESPACE, 'InstallableItem'))
    .map((element) => readItem(element, packageCodes));
  return { source, root, packageId: text(properties?.getAttribute('PackageID')), title, items };
}

function readItem(element: XmlElement, packageCodes: string[]): SdpInstallableItem {
  const item: SdpInstallableItem = { element, id: text(element.getAttribute('ID')), productCodes: [] };
  const install = child(element, SDP_NAMESPACE, 'InstallProperties');
  const uninstall = child(element, SDP_NAMESPACE, 'UninstallProperties');
  item.installCanRequestUserInput = install && booleanAttribute(install, 'CanRequestUserInput');
  item.uninstallCanRequestUserInput = uninstall && booleanAttribute(uninstall, 'CanRequestUserInput');
  for (const candidate of childElements(element)) {
    const kind = installerKind(candidate);
    if (kind) {
      item.installer = { kind, element: candidate };
      break;
    }
  }
  const msp = child(element, MSP_INSTALLER_NAMESPACE, 'MspInstallerData');
  if (msp) {
    const fileName = child(msp, MSP_INSTALLER_NAMESPACE, 'MspFileName');
    item.msp = {
      element: msp,
      patchCode: text(msp.getAttribute('PatchCode')),
      fullFilePatchCode: text(msp.getAttribute('FullFilePatchCode')),
      commandLine: msp.getAttribute('CommandLine')?.value,
      uninstallCommandLine: msp.getAttribute('UninstallCommandLine')?.value,
      mspFileName: fileName ? innerText(fileName).trim() || undefined : undefined,
    };
  }
  const origin = child(element, SDP_NAMESPACE, 'OriginFile');
  if (origin) {
    const size = origin.getAttribute('Size')?.value?.trim();
    item.originFile = {
      element: origin,
      fileName: text(origin.getAttribute('FileName')),
      // xs:long; anything else (or beyond what a double holds exactly) is left out.
      size: size && /^\d{1,15}$/.test(size) ? Number(size) : undefined,
      digest: text(origin.getAttribute('Digest')),
      originUri: text(origin.getAttribute('OriginUri')),
    };
  }
  item.productCodes = unique([...productCodesIn([element]), ...packageCodes]);
  return item;
}

function installerKind(element: XmlElement): SdpInstallerKind | undefined {
  if (is(element, MSP_INSTALLER_NAMESPACE, 'MspInstallerData')) return 'msp';
  if (is(element, MSI_INSTALLER_NAMESPACE, 'MsiInstallerData')) return 'msi';
  if (is(element, COMMAND_LINE_INSTALLER_NAMESPACE, 'CommandLineInstallerData')) return 'commandLine';
  if (is(element, UPDATE_EXE_INSTALLER_NAMESPACE, 'UpdateExeInstallerData')) return 'updateExe';
  return undefined;
}

function booleanAttribute(element: XmlElement, name: string): SdpBooleanAttribute | undefined {
  const attribute = element.getAttribute(name);
  if (!attribute) return undefined;
  return { element, attribute, value: parseBoolean(attribute) };
}

function parseBoolean(attribute: XmlAttribute): boolean | undefined {
  if (attribute.value === undefined || !attribute.valueSpan) return undefined;
  // A quoted value ends one character before the attribute; without its closing quote it is
  // still being typed.
  if (attribute.span.end <= attribute.valueSpan.end) return undefined;
  // xs:boolean collapses white space; its lexical forms are case-sensitive.
  switch (attribute.value.trim()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      return undefined;
  }
}

/** ProductCodes named anywhere below the given elements, in document order. */
function productCodesIn(roots: XmlElement[]): string[] {
  const codes: string[] = [];
  const add = (candidate: string | undefined): void => {
    if (candidate !== undefined && isProductCode(candidate)) codes.push(`{${normalizeProductCode(candidate)}}`);
  };
  // Iterative, so that a deeply nested (or hostile) document cannot exhaust the stack.
  const stack = [...roots].reverse();
  for (let element = stack.pop(); element; element = stack.pop()) {
    if (element.namespaceUri === MSI_APPLICABILITY_NAMESPACE) {
      add(element.getAttribute('ProductCode')?.value);
      if (element.localName === 'Product' || element.localName === 'ProductCode') add(innerText(element));
    } else if (element.namespaceUri === PATCH_APPLICABILITY_NAMESPACE) {
      // TargetProductCode (of MsiPatch and of each TargetProduct) and SequenceData/ProductCode.
      if (element.localName === 'TargetProductCode' || element.localName === 'ProductCode') add(innerText(element));
    } else if (is(element, MSI_INSTALLER_NAMESPACE, 'MsiInstallerData')) {
      add(element.getAttribute('ProductCode')?.value);
    }
    const children = childElements(element);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return unique(codes);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function is(element: XmlElement, namespaceUri: string, localName: string): boolean {
  return element.localName === localName && element.namespaceUri === namespaceUri;
}

function child(element: XmlElement, namespaceUri: string, localName: string): XmlElement | undefined {
  return childElements(element).find((candidate) => is(candidate, namespaceUri, localName));
}

/** An attribute's trimmed value, or undefined when it is missing or empty. */
function text(attribute: XmlAttribute | undefined): string | undefined {
  const value = attribute?.value?.trim();
  return value ? value : undefined;
}
