// Does the product a patch targets trust the patch's signer? Targets are the ProductCodes of the
// patch summary's Template, found in the workspace as built packages, .idt folders or WiX sources
// with a literal ProductCode; each lists the certificates of its MsiPatchCertificate table.

import * as l10n from '@vscode/l10n';
import type { CertificateInfo, CertificateReadResult } from '../certificates';
import { databaseReadiness, productReadiness, type ReadinessState } from '../readiness';
import { describeCertificate, listedCertificates } from '../rules/certificate-fixes';
import type { RelatedLocation } from '../types';
import type { ProductModel } from '../wix/model';
import type { WixElement } from '../wix/preprocessor';
import { isProductCode, listedDatabaseCertificates, normalizeProductCode, type DatabaseModel, type RowRef } from './model';

export interface TargetProduct {
  productCode: string;
  /** "Contoso Tools (product.msi)" */
  label: string;
  /** DER certificates its MsiPatchCertificate table lists (PEM files never match a signer). */
  certificates: CertificateInfo[];
  /** Entries of that table that are not a readable DER certificate (a missing, PEM or damaged file): they match no signer. */
  unreadableCertificates: number;
  /** The target's own readiness for UAC patching, as its code lens says it ("ready — trusts …", "disabled by …"). */
  status: string;
  /** What `status` says, for code that acts on it. */
  readiness: ReadinessState;
  /** Why the list may be incomplete (certificate paths resolved only at build time); no verdict is given then. */
  incomplete?: string;
  /** Where the product is: a WiX source element or a database. */
  source: { element: WixElement; product: ProductModel } | { database: DatabaseModel };
  /** Signers that patches in the workspace add to its MsiPatchCertificate table (PatchFamily/DigitalCertificateRef). */
  addedSigners: AddedSigner[];
}

/** A certificate an earlier patch adds to a target's MsiPatchCertificate table. */
export interface AddedSigner {
  certificate: CertificateInfo;
  /** "ContosoTools-Hotfix2 (Patch.wxs)" */
  patchLabel: string;
  /** The built .msp files of that patch: a patch is judged by the table as it was before it applied. */
  builds: DatabaseModel[];
}

export interface PatchTrust {
  /** Targets found in the workspace; empty when none is. */
  targets: TargetProduct[];
  /** Target ProductCodes the workspace has no product for. */
  missingTargets: string[];
  /** Targets that list the signer. */
  trustedBy: TargetProduct[];
  /** Targets that trust the signer once an earlier patch that adds it is applied. */
  trustedAfter: { target: TargetProduct; by: AddedSigner }[];
  /** Targets that do not. */
  untrustedBy: TargetProduct[];
  /** Targets whose list cannot be known here. */
  undecided: TargetProduct[];
}

type ReadCertificate = (filePath: string) => CertificateReadResult;

/** Products of the workspace by normalised ProductCode (one code may be built several times). */
export type TargetsByCode = Map<string, TargetProduct[]>;

/** Every product of the workspace with a known ProductCode, by normalised code. */
export function productsByCode(products: ProductModel[], databases: DatabaseModel[], readCertificate: ReadCertificate): TargetsByCode {
  const byCode: TargetsByCode = new Map();
  const add = (target: TargetProduct): void => {
    const key = normalizeProductCode(target.productCode);
    byCode.set(key, [...(byCode.get(key) ?? []), target]);
  };
  for (const product of products) {
    // "*" and build-time variables are decided by the compiler: such a source matches no patch here.
    if (product.kind === 'product' && product.productCode && isProductCode(product.productCode)) add(productTarget(product, readCertificate));
  }
  for (const database of databases) if (database.isProduct && database.productCode) add(databaseTarget(database));
  return byCode;
}

/** A WiX product as a patch target (its ProductCode may be "*" when it is found through a project). */
export function productTarget(product: ProductModel, readCertificate: ReadCertificate): TargetProduct {
  const unresolvable = product.patchCertificates.filter((entry) => entry.unresolvable).length;
  const readiness = productReadiness(product, readCertificate);
  const certificates = listedCertificates(product, readCertificate);
  return {
    productCode: product.productCode ?? '',
    label: productLabel(withVersion(product.name ?? l10n.t('product'), literalVersion(product)), fileName(product.element.source.path)),
    certificates,
    unreadableCertificates: product.patchCertificates.length - unresolvable - certificates.length,
    status: readiness.text,
    readiness: readiness.state,
    ...(unresolvable > 0 ? { incomplete: unresolvable === 1 ? l10n.t('1 of its certificate paths is resolved only at build time') : l10n.t('{0} of its certificate paths are resolved only at build time', unresolvable) } : {}),
    source: { element: product.element, product },
    addedSigners: [],
  };
}

export function databaseTarget(database: DatabaseModel): TargetProduct {
  const readiness = databaseReadiness(database);
  const certificates = listedDatabaseCertificates(database);
  return {
    productCode: database.productCode ?? '',
    label: productLabel(withVersion(database.productName ?? l10n.t('product'), database.productVersion), fileName(database.path)),
    certificates,
    unreadableCertificates: database.patchCertificates.length - certificates.length,
    status: readiness.text,
    readiness: readiness.state,
    source: { database },
    addedSigners: [],
  };
}

export function patchTrust(patch: DatabaseModel, signer: CertificateInfo, byCode: TargetsByCode): PatchTrust {
  const trust: PatchTrust = { targets: [], missingTargets: [], trustedBy: [], trustedAfter: [], untrustedBy: [], undecided: [] };
  for (const code of patch.targetProductCodes) {
    const targets = byCode.get(normalizeProductCode(code)) ?? [];
    if (targets.length === 0) trust.missingTargets.push(code);
    for (const target of targets) {
      trust.targets.push(target);
      const addedBy = target.addedSigners.find((added) => added.certificate.sha256 === signer.sha256 && !added.builds.includes(patch));
      if (lists(target, signer)) trust.trustedBy.push(target);
      else if (addedBy) trust.trustedAfter.push({ target, by: addedBy });
      else (target.incomplete ? trust.undecided : trust.untrustedBy).push(target);
    }
  }
  return trust;
}

/** Windows Installer compares the certificate itself: the DER bytes, i.e. the thumbprint. */
export function lists(target: TargetProduct, signer: CertificateInfo): boolean {
  return target.certificates.some((certificate) => certificate.sha256 === signer.sha256);
}

export function describeCertificates(certificates: CertificateInfo[]): string {
  return certificates.length === 0 ? l10n.t('no certificate') : certificates.map((c) => `${describeCertificate(c)} (SHA-1 ${c.sha1})`).join(', ');
}

export function targetLocation(target: TargetProduct, message: string): RelatedLocation {
  if ('element' in target.source) {
    const element = target.source.element;
    return { file: element.source.path, range: element.source.range(element.xml.nameSpan), message };
  }
  const at: RowRef | undefined = target.source.database.patchCertificates[0]?.at;
  const line = at?.row.line ?? 0;
  return { file: at?.table.file ?? target.source.database.path, range: { start: { line, character: 0 }, end: { line, character: 0 } }, message };
}

/** "Contoso Tools 1.2.0": the version tells a baseline from its update when both are in the workspace. */
/** "Contoso Tools 1.2.0 (Product.wxs)" */
function productLabel(name: string, file: string): string {
  return `${name} (${file})`;
}

function withVersion(name: string, version: string | undefined): string {
  return version && !name.includes(version) ? `${name} ${version}` : name;
}

function literalVersion(product: ProductModel): string | undefined {
  const version = product.element.resolved('Version');
  return version && version.unresolved.length === 0 && /^\d+(\.\d+)*$/.test(version.value.trim()) ? version.value.trim() : undefined;
}

function fileName(filePath: string): string {
  return filePath.split(/[\\/]/).pop() ?? filePath;
}
