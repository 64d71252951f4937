// WSUS / System Center Updates Publisher "Software Distribution Packages": the publishing
// manifests (.sdp, or .xml with an sdp:SoftwareDistributionPackage root) that describe an update,
// how Windows Update Agent installs it, and the file it ships.

import type { SourceFile } from '../wix/source';
import type { XmlAttribute, XmlElement } from '../xml/parser';

export const SDP_NAMESPACE = 'http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/SoftwareDistributionPackage.xsd';
export const MSP_INSTALLER_NAMESPACE = 'http://schemas.microsoft.com/wsus/2005/04/CorporatePublishing/Installers/MspInstallation.xsd';

export interface SdpManifest {
  source: SourceFile;
  root: XmlElement;
  packageId?: string;
  /** The first LocalizedProperties/Title. */
  title?: string;
  items: SdpInstallableItem[];
}

export interface SdpBooleanAttribute {
  element: XmlElement;
  attribute: XmlAttribute;
  /** xs:boolean: "true"/"1" → true, "false"/"0" → false, anything else undefined. */
  value: boolean | undefined;
}

export interface SdpInstallableItem {
  element: XmlElement;
  id?: string;
  /** InstallProperties/@CanRequestUserInput, when authored. */
  installCanRequestUserInput?: SdpBooleanAttribute;
  /** UninstallProperties/@CanRequestUserInput, when authored. */
  uninstallCanRequestUserInput?: SdpBooleanAttribute;
  /** msp:MspInstallerData, when the item installs a patch. */
  msp?: { element: XmlElement; patchCode?: string; commandLine?: string };
  /** sdp:OriginFile: the file the item ships. */
  originFile?: { element: XmlElement; fileName?: string; size?: number; digest?: string; originUri?: string };
  /** ProductCodes named by the item's applicability rules (e.g. msiar:MsiPatchInstalledForProduct/@ProductCode). */
  productCodes: string[];
}

/** Cheap test on raw text, so that not every .xml of a workspace is parsed. */
export function mayBeSdpManifest(text: string): boolean {
  return text.includes('SoftwareDistributionPackage');
}

/** The manifest, or undefined when the root is not sdp:SoftwareDistributionPackage. */
export function readSdpManifest(source: SourceFile): SdpManifest | undefined {
  void source;
  return undefined;
}
