// A WiX <Patch> and what it is about: the products it targets, the .msp it builds, and the
// signers its PatchFamily/DigitalCertificateRef elements add to the targets' MsiPatchCertificate
// table for later patches.

import type { CertificateInfo } from '../certificates';
import type { DatabaseModel } from '../package/model';
import type { TargetProduct } from '../package/trust';
import type { PatchCertificateEntry } from './model';
import type { WixElement } from './preprocessor';
import type { CompilationUnit } from './project';
import type { SourceFile } from './source';

export interface PatchFamilyModel {
  element: WixElement;
  id?: string;
  version?: string;
  /** PatchFamily/@ProductCode: the family applies only to this product. */
  productCode?: string;
  certificateRefs: CertificateRefModel[];
}

export interface CertificateRefModel {
  element: WixElement;
  id?: string;
  /** The DigitalCertificate it names, found in a product's PatchCertificates in the workspace. */
  definition?: PatchCertificateEntry;
  /** Its certificate, when the file is readable DER. */
  certificate?: CertificateInfo;
}

export interface PatchBaselineModel {
  element: WixElement;
  id?: string;
  /** v4 PatchBaseline/@BaselineFile and @UpdateFile, resolved like any source path. */
  baselineFile?: PatchFileReference;
  updateFile?: PatchFileReference;
}

export interface PatchFileReference {
  attribute: string;
  authored: string;
  /** The file found in the workspace, if any. */
  resolvedPath?: string;
  /** References the path depends on that the sources do not define (e.g. `var.Product.TargetPath`). */
  unresolved: string[];
}

/** How a target was found: "TargetProductCode", "PatchBaseline/@BaselineFile", "ProjectReference"… */
export interface PatchTarget {
  target: TargetProduct;
  via: string;
}

/** A built .msp in the workspace that is this patch's output, and why we think so. */
export interface BuiltPatch {
  database: DatabaseModel;
  via: string;
}

export interface PatchModel {
  wixVersion: 3 | 4;
  element: WixElement;
  /** Patch/@Id when it is a literal GUID (the PatchCode). */
  patchCode?: string;
  displayName?: string;
  families: PatchFamilyModel[];
  /** TargetProductCode/@Id values other than "*". */
  targetProductCodes: { code: string; element: WixElement }[];
  baselines: PatchBaselineModel[];
  unit: CompilationUnit;
  /** The .wixproj that builds it, parsed, when there is one. */
  projectSource?: SourceFile;
  targets: PatchTarget[];
  /** ProductCodes the patch names that no product in the workspace has. */
  missingTargets: string[];
  builds: BuiltPatch[];
}
