// One line of UAC-patching status above each product and each listed certificate.

import { validityState, type CertificateReadResult } from './certificates';
import { describeCertificate } from './rules/certificate-fixes';
import { DISABLE_PROPERTY } from './rules/lua-patching-disabled';
import { disablingPolicy } from './rules/lua-patching-policy-disabled';
import { MINIMUM_INSTALLER_VERSION } from './rules/installer-version-too-low';
import { where } from './rules/rule';
import * as path from 'path';
import type { DatabaseModel } from './package/model';
import { describeCertificates, patchTrust, productsByCode } from './package/trust';
import type { Lens } from './types';
import type { ProductModel } from './wix/model';

type ReadCertificate = (filePath: string) => CertificateReadResult;

export function productLenses(products: ProductModel[], databases: DatabaseModel[], readCertificate: ReadCertificate, now: Date): Lens[] {
  const lenses: Lens[] = [];
  const seen = new Set<string>();
  const add = (lens: Lens): void => {
    const key = `${lens.file}:${lens.range.start.line}:${lens.title}`;
    if (!seen.has(key)) {
      seen.add(key);
      lenses.push(lens);
    }
  };
  for (const product of products) {
    if (product.kind !== 'product') continue;
    const element = product.element;
    add({ file: element.source.path, range: element.source.range(element.xml.nameSpan), title: `UAC patching: ${productStatus(product, readCertificate)}` });
    for (const entry of product.patchCertificates) {
      const certificate = entry.element;
      add({ file: certificate.source.path, range: certificate.source.range(certificate.xml.nameSpan), title: certificateStatus(entry, readCertificate, now, databases) });
    }
  }
  return lenses;
}

/** "ready — trusts CN=…", "not ready — …", "disabled by …". */
export function productStatus(product: ProductModel, readCertificate: ReadCertificate): string {
  if (!product.scope.perMachine) return `does not apply — per-user product (${product.scope.reason})`;
  const disabling = product.properties.find((p) => p.name === DISABLE_PROPERTY && p.value.value.trim() === '1');
  if (disabling) return `disabled by ${DISABLE_PROPERTY}=1 (${disabling.authoring} at ${where(disabling.element)})`;
  const policy = product.registryWrites.find((write) => disablingPolicy(write, product)?.unresolved.length === 0);
  if (policy) return `disabled machine-wide by the DisableLUAPatching policy this package writes (${where(policy.element)})`;
  if (product.patchCertificates.length === 0) return 'not ready — no patch certificate (MsiPatchCertificate is empty)';
  if (!product.installerVersion.unresolved?.length && product.installerVersion.value < MINIMUM_INSTALLER_VERSION) return `not ready — InstallerVersion ${product.installerVersion.value} is below ${MINIMUM_INSTALLER_VERSION}`;
  const signers: string[] = [];
  for (const entry of product.patchCertificates) {
    if (!entry.resolvedPath) continue;
    const result = readCertificate(entry.resolvedPath);
    // A PEM file lands in CertData as text and never matches a signer: only DER counts.
    if (result.ok && result.certificate.encoding === 'der') signers.push(describeCertificate(result.certificate));
  }
  if (signers.length === 0) {
    const unresolvable = product.patchCertificates.every((entry) => entry.unresolvable);
    return unresolvable ? 'ready if the certificate files resolve at build time (paths use build-time variables)' : 'not ready — no usable certificate file (missing, unreadable or PEM)';
  }
  return `ready — trusts ${signers.join(', ')}`;
}

function certificateStatus(entry: ProductModel['patchCertificates'][number], readCertificate: ReadCertificate, now: Date, databases: DatabaseModel[]): string {
  if (!entry.sourceFile) return 'no SourceFile';
  if (entry.unresolvable) return `${entry.sourceFile.value} — resolved at build time`;
  if (!entry.resolvedPath) return `file missing: ${entry.sourceFile.value}`;
  const result = readCertificate(entry.resolvedPath);
  if (!result.ok) return `not a certificate: ${result.reason}`;
  const certificate = result.certificate;
  if (certificate.encoding !== 'der') return `${describeCertificate(certificate)} · PEM file: Windows Installer needs the DER (.cer) form`;
  const state = validityState(certificate, now);
  const validity = state === 'expired' ? `expired ${day(certificate.notAfter)}` : state === 'not-yet-valid' ? `valid from ${day(certificate.notBefore)}` : `valid until ${day(certificate.notAfter)}`;
  return `${describeCertificate(certificate)} · SHA-1 ${certificate.sha1} · ${validity} · ${signedPatches(certificate.sha256, databases)}`;
}

/** "signed 2 patches in the workspace (a.msp, b.msp)" — patches whose valid signature is by this certificate. */
function signedPatches(sha256: string, databases: DatabaseModel[]): string {
  const signed = databases.filter((d) => d.kind === 'msp' && d.signature?.state === 'valid' && d.signature.signer?.sha256 === sha256).map((d) => path.basename(d.path));
  if (signed.length === 0) return 'signed no patch in the workspace';
  const names = signed.length <= 3 ? ` (${signed.join(', ')})` : '';
  return `signed ${signed.length} patch${signed.length === 1 ? '' : 'es'} in the workspace${names}`;
}

/**
 * Status of each built database, on its first line: for a product its readiness, for a patch its
 * signature and whether its targets trust the signer (the answer when no target is in the workspace).
 */
export function databaseLenses(databases: DatabaseModel[], products: ProductModel[], readCertificate: ReadCertificate, now: Date): Lens[] {
  const byCode = productsByCode(products, databases, readCertificate);
  const lenses: Lens[] = [];
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  for (const database of databases) {
    const file = database.kind === 'idt' ? (database.database.tables.get('Property')?.file ?? [...database.database.tables.values()][0]?.file) : database.path;
    if (!file) continue;
    if (database.isProduct) lenses.push({ file, range: top, title: `UAC patching: ${databaseStatus(database)}` });
    if (database.kind === 'msp') lenses.push({ file, range: top, title: patchStatus(database, byCode, now) });
  }
  return lenses;
}

export function databaseStatus(database: DatabaseModel): string {
  if (!database.scope.perMachine) return `does not apply — per-user product (${database.scope.reason})`;
  const disabling = database.properties.find((p) => p.name === DISABLE_PROPERTY && p.value.trim() === '1');
  if (disabling) return `disabled by ${DISABLE_PROPERTY}=1 (${disabling.authoring === 'Property' ? 'Property table' : `custom action ${disabling.action}`})`;
  if (database.patchCertificates.length === 0) return 'not ready — no patch certificate (MsiPatchCertificate is empty)';
  if (database.installerVersion !== undefined && database.installerVersion < MINIMUM_INSTALLER_VERSION) return `not ready — installer version ${database.installerVersion} is below ${MINIMUM_INSTALLER_VERSION}`;
  const signers = database.patchCertificates.flatMap((row) => (row.digitalCertificate?.certificate?.ok ? [describeCertificate(row.digitalCertificate.certificate.certificate)] : []));
  return signers.length > 0 ? `ready — trusts ${[...new Set(signers)].join(', ')}` : 'not ready — no readable certificate in MsiDigitalCertificate';
}

/** "Signed by CN=… (SHA-1 …, SHA-256 digest) · valid · trusted by Contoso Tools (product.msi)". */
export function patchStatus(patch: DatabaseModel, byCode: ReturnType<typeof productsByCode>, now: Date): string {
  const signature = patch.signature;
  if (!signature || signature.state === 'unsigned') return 'Patch: unsigned — non-administrators get a UAC prompt';
  const signer = signature.signer;
  const by = signer ? `signed by ${describeCertificate(signer)} (SHA-1 ${signer.sha1}${signature.digestAlgorithm ? `, ${signature.digestAlgorithm.toUpperCase()}` : ''})` : 'signed (signer certificate not found)';
  if (signature.state === 'invalid') return `Patch: ${by} · signature does not verify`;
  const expired = signer && validityState(signer, now) === 'expired' ? ' (certificate expired; still accepted)' : '';
  if (!signer) return `Patch: ${by} · signature valid`;
  const trust = patchTrust(patch, signer, byCode);
  const verdicts = [
    ...trust.trustedBy.map((target) => `trusted by ${target.label} ✓`),
    ...trust.untrustedBy.map((target) => `NOT trusted by ${target.label} (lists ${describeCertificates(target.certificates)})`),
    ...trust.undecided.map((target) => `${target.label}: ${target.incomplete}`),
  ];
  if (verdicts.length === 0) {
    const targets = patch.targetProductCodes.length > 0 ? patch.targetProductCodes.join(', ') : 'none named';
    verdicts.push(`target product not in the workspace (${targets})`);
  }
  return `Patch: ${by}${expired} · signature valid · ${verdicts.join(' · ')}`;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
