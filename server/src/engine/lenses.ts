// One line of UAC-patching status above each product and each listed certificate.

import { validityState, type CertificateReadResult } from './certificates';
import { describeCertificate } from './rules/certificate-fixes';
import { DISABLE_PROPERTY } from './rules/lua-patching-disabled';
import { disablingPolicy } from './rules/lua-patching-policy-disabled';
import { MINIMUM_INSTALLER_VERSION } from './rules/installer-version-too-low';
import { where } from './rules/rule';
import type { Lens } from './types';
import type { ProductModel } from './wix/model';

type ReadCertificate = (filePath: string) => CertificateReadResult;

export function productLenses(products: ProductModel[], readCertificate: ReadCertificate, now: Date): Lens[] {
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
      add({ file: certificate.source.path, range: certificate.source.range(certificate.xml.nameSpan), title: certificateStatus(entry, readCertificate, now) });
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

function certificateStatus(entry: ProductModel['patchCertificates'][number], readCertificate: ReadCertificate, now: Date): string {
  if (!entry.sourceFile) return 'no SourceFile';
  if (entry.unresolvable) return `${entry.sourceFile.value} — resolved at build time`;
  if (!entry.resolvedPath) return `file missing: ${entry.sourceFile.value}`;
  const result = readCertificate(entry.resolvedPath);
  if (!result.ok) return `not a certificate: ${result.reason}`;
  const certificate = result.certificate;
  if (certificate.encoding !== 'der') return `${describeCertificate(certificate)} · PEM file: Windows Installer needs the DER (.cer) form`;
  const state = validityState(certificate, now);
  const validity = state === 'expired' ? `expired ${day(certificate.notAfter)}` : state === 'not-yet-valid' ? `valid from ${day(certificate.notBefore)}` : `valid until ${day(certificate.notAfter)}`;
  return `${describeCertificate(certificate)} · SHA-1 ${certificate.sha1} · ${validity}`;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
