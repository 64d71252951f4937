// One line of UAC-patching status above each product and each listed certificate.

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { validityState } from './certificates';
import { relativeWithSlashes } from './paths';
import { normalizeProductCode, type DatabaseModel } from './package/model';
import type { SdpManifest } from './manifest/sdp';
import { describeCertificates, patchTrust, type TargetProduct, type TargetsByCode } from './package/trust';
import { databaseReadiness, isReady, productReadiness, type ReadCertificate } from './readiness';
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
    add({ file: element.source.path, range: element.source.range(element.xml.nameSpan), title: l10n.t('UAC patching: {0}', productReadiness(product, readCertificate).text) });
    for (const entry of product.patchCertificates) {
      const certificate = entry.element;
      add({ file: certificate.source.path, range: certificate.source.range(certificate.xml.nameSpan), title: certificateStatus(entry, readCertificate, now, databases) });
    }
  }
  return lenses;
}

function certificateStatus(entry: ProductModel['patchCertificates'][number], readCertificate: ReadCertificate, now: Date, databases: DatabaseModel[]): string {
  if (!entry.sourceFile) return l10n.t('no SourceFile');
  if (entry.unresolvable) return l10n.t('{0} — resolved at build time', entry.sourceFile.value);
  if (!entry.resolvedPath) return l10n.t('file missing: {0}', entry.sourceFile.value);
  const result = readCertificate(entry.resolvedPath);
  if (!result.ok) return l10n.t('not a certificate: {0}', result.reason);
  const certificate = result.certificate;
  if (certificate.encoding !== 'der') return l10n.t('{0} · PEM file: Windows Installer needs the DER (.cer) form', describeCertificate(certificate));
  const state = validityState(certificate, now);
  const validity =
    state === 'expired'
      ? l10n.t('expired {0}', day(certificate.notAfter))
      : state === 'not-yet-valid'
        ? l10n.t('valid from {0}', day(certificate.notBefore))
        : l10n.t('valid until {0}', day(certificate.notAfter));
  return `${describeCertificate(certificate)} · SHA-1 ${certificate.sha1} · ${validity} · ${signedPatches(certificate.sha256, databases)}`;
}

/** "signed 2 patches in the workspace (a.msp, b.msp)" — patches whose valid signature is by this certificate. */
function signedPatches(sha256: string, databases: DatabaseModel[]): string {
  const signed = databases.filter((d) => d.kind === 'msp' && d.signature?.state === 'valid' && d.signature.signer?.sha256 === sha256).map((d) => path.basename(d.path));
  if (signed.length === 0) return l10n.t('signed no patch in the workspace');
  if (signed.length === 1) return l10n.t('signed 1 patch in the workspace ({0})', signed[0]);
  if (signed.length <= 3) return l10n.t('signed {0} patches in the workspace ({1})', signed.length, signed.join(', '));
  return l10n.t('signed {0} patches in the workspace', signed.length);
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
    if (database.isProduct) lenses.push({ file, range: top, title: l10n.t('UAC patching: {0}', databaseReadiness(database).text) });
    if (database.kind === 'msp') lenses.push({ file, range: top, title: patchStatus(database, targets(), now) });
  }
  return lenses;
}

/** "Signed by CN=… (SHA-1 …, SHA-256 digest) · valid · trusted by Contoso Tools (product.msi)". */
export function patchStatus(patch: DatabaseModel, byCode: TargetsByCode, now: Date): string {
  const signature = patch.signature;
  if (!signature || signature.state === 'unsigned') return l10n.t('Patch: unsigned — non-administrators get a UAC prompt');
  const signer = signature.signer;
  if (!signer) {
    return signature.state === 'invalid'
      ? l10n.t('Patch: signed (signer certificate not found) · signature does not verify')
      : l10n.t('Patch: signed (signer certificate not found) · signature valid');
  }
  const thumbprint = signature.digestAlgorithm ? `SHA-1 ${signer.sha1}, ${signature.digestAlgorithm.toUpperCase()}` : `SHA-1 ${signer.sha1}`;
  if (signature.state === 'invalid') return l10n.t('Patch: signed by {0} ({1}) · signature does not verify', describeCertificate(signer), thumbprint);
  const trust = patchTrust(patch, signer, byCode);
  const verdicts = [
    // Trust alone is not enough: the target must also accept UAC patching at all.
    ...trust.trustedBy.map((target) =>
      isReady(target.readiness) !== false ? l10n.t('trusted by {0} ✓', target.label) : l10n.t('trusted by {0}, but UAC patching there: {1}', target.label, target.status),
    ),
    ...trust.trustedAfter.map(({ target, by }) => l10n.t('trusted by {0} once {1} is applied (it adds {2})', target.label, by.patchLabel, describeCertificate(by.certificate))),
    ...trust.untrustedBy.map((target) => l10n.t('NOT trusted by {0} (lists {1})', target.label, describeCertificates(target.certificates))),
    ...trust.undecided.map((target) => `${target.label}: ${target.incomplete}`),
  ];
  if (verdicts.length === 0) {
    verdicts.push(
      patch.targetProductCodes.length > 0
        ? l10n.t('target product not in the workspace ({0})', patch.targetProductCodes.join(', '))
        : l10n.t('target product not in the workspace (none named)'),
    );
  }
  return validityState(signer, now) === 'expired'
    ? l10n.t('Patch: signed by {0} ({1}) (certificate expired; still accepted) · signature valid · {2}', describeCertificate(signer), thumbprint, verdicts.join(' · '))
    : l10n.t('Patch: signed by {0} ({1}) · signature valid · {2}', describeCertificate(signer), thumbprint, verdicts.join(' · '));
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
    for (const { target, via } of patch.targets) above(source, xml, l10n.t('Target {0} (through {1})', targetReadiness(target), via));
    if (patch.targets.length === 0) {
      above(
        source,
        xml,
        patch.missingTargets.length > 0 ? l10n.t('Target: no product of the workspace ({0})', patch.missingTargets.join(', ')) : l10n.t('Target: no product of the workspace'),
      );
    }
    for (const { database } of patch.builds) above(source, xml, `${relativeTo(source, database.path)} — ${builtPatchState(database, byCode, now)}`);
    if (patch.builds.length === 0) {
      const project = patch.unit.project;
      above(
        source,
        xml,
        project
          ? l10n.t('Built patch: not in the workspace (looked for {0} below {1})', `${project.outputName}.msp`, relativeTo(source, project.folder) || '.')
          : l10n.t('Built patch: not in the workspace (looked for {0})', `${path.basename(source.path, path.extname(source.path))}.msp`),
      );
    }
    if (patch.signing && patch.projectSource) {
      const project = path.basename(patch.projectSource.path);
      above(source, xml, patch.signing.step ? l10n.t('Signed after build by {0}', patch.signing.step.description) : l10n.t('Signing: no step of {0} signs the .msp', project));
    }
    for (const family of patch.families) {
      for (const reference of family.certificateRefs) above(reference.element.source, reference.element.xml, addedSignerState(reference, patch, databases));
    }
  }
  for (const manifest of manifests) {
    for (const item of manifest.items) {
      for (const code of item.productCodes) {
        const targets = byCode.get(normalizeProductCode(code)) ?? [];
        for (const target of targets) above(manifest.source, item.element, l10n.t('For {0}', targetReadiness(target)));
        if (targets.length === 0) above(manifest.source, item.element, l10n.t('For {0}: no product of the workspace', code));
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
  if (!signature || signature.state === 'unsigned') return l10n.t('unsigned: non-administrators get a UAC prompt');
  const signer = signature.signer;
  if (!signer) return signature.state === 'invalid' ? l10n.t('signed, signature does not verify') : l10n.t('signed, signature valid');
  const name = describeCertificate(signer);
  if (signature.state === 'invalid') return l10n.t('signed by {0}, signature does not verify', name);
  const trust = patchTrust(patch, signer, byCode);
  const labels = (targets: TargetProduct[]): string => targets.map((target) => target.label).join(', ');
  const ready = trust.trustedBy.filter((target) => isReady(target.readiness) !== false);
  const adders = [...new Set(trust.trustedAfter.map(({ by: added }) => added.patchLabel))];
  const verdicts = [
    ...(ready.length > 0 ? [l10n.t('trusted by {0} ✓', labels(ready))] : []),
    ...trust.trustedBy.filter((target) => isReady(target.readiness) === false).map((target) => l10n.t('trusted by {0}, but UAC patching there: {1}', target.label, target.status)),
    ...adders.map((adder) => l10n.t('trusted by {0} once {1} is applied ✓', labels(trust.trustedAfter.filter(({ by: added }) => added.patchLabel === adder).map(({ target }) => target)), adder)),
    ...(trust.untrustedBy.length > 0 ? [l10n.t('NOT trusted by {0}', labels(trust.untrustedBy))] : []),
    ...trust.undecided.map((target) => `${target.label}: ${target.incomplete}`),
  ];
  if (verdicts.length === 0) verdicts.push(l10n.t('target product not in the workspace'));
  return validityState(signer, now) === 'expired'
    ? l10n.t('signed by {0} (expired, still accepted), {1}', name, verdicts.join(', '))
    : l10n.t('signed by {0}, {1}', name, verdicts.join(', '));
}

/** "Adds CN=… to the targets' MsiPatchCertificate table: later patches signed by it apply without a UAC prompt (1 in the workspace: b.msp)". */
function addedSignerState(reference: CertificateRefModel, patch: PatchModel, databases: DatabaseModel[]): string {
  if (!reference.definition) return l10n.t('DigitalCertificateRef {0}: no DigitalCertificate with this Id in the workspace', reference.id ?? '');
  const certificate = reference.certificate;
  if (!certificate) {
    const sourceFile = reference.definition.sourceFile?.value;
    return sourceFile !== undefined
      ? l10n.t('DigitalCertificateRef {0}: its certificate file is not readable here ({1})', reference.id ?? '', sourceFile)
      : l10n.t('DigitalCertificateRef {0}: its certificate file is not readable here (no SourceFile)', reference.id ?? '');
  }
  const name = `${describeCertificate(certificate)} (SHA-1 ${certificate.sha1})`;
  const alreadyListed = patch.targets.filter(({ target }) => target.certificates.some((listed) => listed.sha256 === certificate.sha256));
  if (patch.targets.length > 0 && alreadyListed.length === patch.targets.length) {
    return l10n.t('{0} is already listed by {1}: this patch keeps it trusted for later patches', name, alreadyListed.map(({ target }) => target.label).join(', '));
  }
  const own = new Set(patch.builds.map((build) => build.database));
  const later = databases.filter((d) => d.kind === 'msp' && !own.has(d) && d.signature?.state === 'valid' && d.signature.signer?.sha256 === certificate.sha256).map((d) => path.basename(d.path));
  const signed =
    later.length === 0
      ? l10n.t('no later patch in the workspace is signed by it yet')
      : later.length === 1
        ? l10n.t('1 later patch in the workspace signed by it ({0})', later[0])
        : l10n.t('{0} later patches in the workspace signed by it ({1})', later.length, later.slice(0, 3).join(', '));
  return patch.targets.length > 0
    ? l10n.t('Adds {0} to the MsiPatchCertificate table of {1} once applied: {2}', name, patch.targets.map(({ target }) => target.label).join(', '), signed)
    : l10n.t("Adds {0} to its targets' MsiPatchCertificate table once applied: {1}", name, signed);
}

/** "Contoso Tools 1.2.0 (Product.wxs) — ready, trusts CN=…" */
function targetReadiness(target: TargetProduct): string {
  return `${target.label} — ${target.status.replace(' — ', ', ')}`;
}

function relativeTo(source: SourceFile, filePath: string): string {
  return relativeWithSlashes(source.folder, filePath);
}
