// One line of UAC-patching status above each product and each listed certificate.

import * as path from 'path';
import { validityState } from './certificates';
import { relativeWithSlashes } from './paths';
import { normalizeProductCode, type DatabaseModel } from './package/model';
import type { SdpManifest } from './manifest/sdp';
import { describeCertificates, patchTrust, type TargetProduct, type TargetsByCode } from './package/trust';
import { databaseStatus, isReady, productStatus, type ReadCertificate } from './readiness';
import { describeCertificate } from './rules/certificate-fixes';
import type { Lens } from './types';
import type { ProductModel } from './wix/model';
import type { PatchReference } from './patch-references';
import type { CertificateRefModel, PatchModel } from './wix/patch';
import type { SourceFile } from './wix/source';
import type { XmlElement } from './xml/parser';

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
export function databaseLenses(databases: DatabaseModel[], targets: () => TargetsByCode, now: Date): Lens[] {
  const lenses: Lens[] = [];
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  for (const database of databases) {
    const file = database.kind === 'idt' ? (database.database.tables.get('Property')?.file ?? [...database.database.tables.values()][0]?.file) : database.path;
    if (!file) continue;
    if (database.isProduct) lenses.push({ file, range: top, title: `UAC patching: ${databaseStatus(database)}` });
    if (database.kind === 'msp') lenses.push({ file, range: top, title: patchStatus(database, targets(), now) });
  }
  return lenses;
}

/** "Signed by CN=… (SHA-1 …, SHA-256 digest) · valid · trusted by Contoso Tools (product.msi)". */
export function patchStatus(patch: DatabaseModel, byCode: TargetsByCode, now: Date): string {
  const signature = patch.signature;
  if (!signature || signature.state === 'unsigned') return 'Patch: unsigned — non-administrators get a UAC prompt';
  const signer = signature.signer;
  const by = signer ? `signed by ${describeCertificate(signer)} (SHA-1 ${signer.sha1}${signature.digestAlgorithm ? `, ${signature.digestAlgorithm.toUpperCase()}` : ''})` : 'signed (signer certificate not found)';
  if (signature.state === 'invalid') return `Patch: ${by} · signature does not verify`;
  const expired = signer && validityState(signer, now) === 'expired' ? ' (certificate expired; still accepted)' : '';
  if (!signer) return `Patch: ${by} · signature valid`;
  const trust = patchTrust(patch, signer, byCode);
  const verdicts = [
    // Trust alone is not enough: the target must also accept UAC patching at all.
    ...trust.trustedBy.map((target) => (isReady(target.status) !== false ? `trusted by ${target.label} ✓` : `trusted by ${target.label}, but UAC patching there: ${target.status}`)),
    ...trust.trustedAfter.map(({ target, by }) => `trusted by ${target.label} once ${by.patchLabel} is applied (it adds ${describeCertificate(by.certificate)})`),
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

/**
 * Above each <Patch>: its targets and their readiness, and the state of its built .msp; above each
 * DigitalCertificateRef: the signer it adds for later patches; above each manifest OriginFile and
 * bundle MspPackage: the state of the .msp it names.
 */
export function patchSourceLenses(patches: PatchModel[], manifests: SdpManifest[], references: PatchReference[], byCode: TargetsByCode, databases: DatabaseModel[], now: Date): Lens[] {
  const lenses: Lens[] = [];
  const above = (source: SourceFile, node: XmlElement, title: string): void => {
    lenses.push({ file: source.path, range: source.range(node.nameSpan), title });
  };
  for (const patch of patches) {
    const { source, xml } = patch.element;
    for (const { target, via } of patch.targets) above(source, xml, `Target ${targetReadiness(target)} (through ${via})`);
    if (patch.targets.length === 0) {
      const named = patch.missingTargets.length > 0 ? ` (${patch.missingTargets.join(', ')})` : '';
      above(source, xml, `Target: no product of the workspace${named}`);
    }
    for (const { database } of patch.builds) above(source, xml, `${relativeTo(source, database.path)} — ${builtPatchState(database, byCode, now)}`);
    if (patch.builds.length === 0) {
      const expected = patch.unit.project ? `${patch.unit.project.outputName}.msp below ${relativeTo(source, patch.unit.project.folder) || '.'}` : `${path.basename(source.path, path.extname(source.path))}.msp`;
      above(source, xml, `Built patch: not in the workspace (looked for ${expected})`);
    }
    if (patch.signing && patch.projectSource) {
      const project = path.basename(patch.projectSource.path);
      above(source, xml, patch.signing.step ? `Signed after build by ${patch.signing.step.description}` : `Signing: no step of ${project} signs the .msp`);
    }
    for (const family of patch.families) {
      for (const reference of family.certificateRefs) above(reference.element.source, reference.element.xml, addedSignerState(reference, patch, databases));
    }
  }
  for (const manifest of manifests) {
    for (const item of manifest.items) {
      for (const code of item.productCodes) {
        const targets = byCode.get(normalizeProductCode(code)) ?? [];
        for (const target of targets) above(manifest.source, item.element, `For ${targetReadiness(target)}`);
        if (targets.length === 0) above(manifest.source, item.element, `For ${code}: no product of the workspace`);
      }
    }
  }
  for (const reference of references) {
    if (reference.kind === 'patch') continue;
    above(reference.source, reference.node, `${relativeTo(reference.source, reference.database.path)} — ${builtPatchState(reference.database, byCode, now)}`);
  }
  return lenses;
}

/** "signed by CN=… (SHA-256), trusted ✓" — shorter than the .msp's own status line. */
function builtPatchState(patch: DatabaseModel, byCode: TargetsByCode, now: Date): string {
  const signature = patch.signature;
  if (!signature || signature.state === 'unsigned') return 'unsigned: non-administrators get a UAC prompt';
  const signer = signature.signer;
  const by = signer ? `signed by ${describeCertificate(signer)}` : 'signed';
  if (signature.state === 'invalid') return `${by}, signature does not verify`;
  if (!signer) return `${by}, signature valid`;
  const expired = validityState(signer, now) === 'expired' ? ' (expired, still accepted)' : '';
  const trust = patchTrust(patch, signer, byCode);
  const labels = (targets: TargetProduct[]): string => targets.map((target) => target.label).join(', ');
  const ready = trust.trustedBy.filter((target) => isReady(target.status) !== false);
  const adders = [...new Set(trust.trustedAfter.map(({ by: added }) => added.patchLabel))];
  const verdicts = [
    ...(ready.length > 0 ? [`trusted by ${labels(ready)} ✓`] : []),
    ...trust.trustedBy.filter((target) => isReady(target.status) === false).map((target) => `trusted by ${target.label}, but UAC patching there: ${target.status}`),
    ...adders.map((adder) => `trusted by ${labels(trust.trustedAfter.filter(({ by: added }) => added.patchLabel === adder).map(({ target }) => target))} once ${adder} is applied ✓`),
    ...(trust.untrustedBy.length > 0 ? [`NOT trusted by ${labels(trust.untrustedBy)}`] : []),
    ...trust.undecided.map((target) => `${target.label}: ${target.incomplete}`),
  ];
  if (verdicts.length === 0) verdicts.push('target product not in the workspace');
  return `${by}${expired}, ${verdicts.join(', ')}`;
}

/** "Adds CN=… to the targets' MsiPatchCertificate table: later patches signed by it apply without a UAC prompt (1 in the workspace: b.msp)". */
function addedSignerState(reference: CertificateRefModel, patch: PatchModel, databases: DatabaseModel[]): string {
  if (!reference.definition) return `DigitalCertificateRef ${reference.id ?? ''}: no DigitalCertificate with this Id in the workspace`;
  const certificate = reference.certificate;
  if (!certificate) return `DigitalCertificateRef ${reference.id ?? ''}: its certificate file is not readable here (${reference.definition.sourceFile?.value ?? 'no SourceFile'})`;
  const alreadyListed = patch.targets.filter(({ target }) => target.certificates.some((listed) => listed.sha256 === certificate.sha256));
  if (patch.targets.length > 0 && alreadyListed.length === patch.targets.length) {
    return `${describeCertificate(certificate)} (SHA-1 ${certificate.sha1}) is already listed by ${alreadyListed.map(({ target }) => target.label).join(', ')}: this patch keeps it trusted for later patches`;
  }
  const own = new Set(patch.builds.map((build) => build.database));
  const later = databases.filter((d) => d.kind === 'msp' && !own.has(d) && d.signature?.state === 'valid' && d.signature.signer?.sha256 === certificate.sha256).map((d) => path.basename(d.path));
  const targets = patch.targets.length > 0 ? `the MsiPatchCertificate table of ${patch.targets.map(({ target }) => target.label).join(', ')}` : "its targets' MsiPatchCertificate table";
  const signed = later.length === 0 ? 'no later patch in the workspace is signed by it yet' : `${later.length} later patch${later.length === 1 ? '' : 'es'} in the workspace signed by it (${later.slice(0, 3).join(', ')})`;
  return `Adds ${describeCertificate(certificate)} (SHA-1 ${certificate.sha1}) to ${targets} once applied: ${signed}`;
}

/** "Contoso Tools 1.2.0 (Product.wxs) — ready, trusts CN=…" */
function targetReadiness(target: TargetProduct): string {
  return `${target.label} — ${target.status.replace(' — ', ', ')}`;
}

function relativeTo(source: SourceFile, filePath: string): string {
  return relativeWithSlashes(source.folder, filePath);
}
