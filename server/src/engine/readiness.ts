// Whether a product is ready for UAC patching, in one line: for the code lens above it, and for
// the status of the patches that target it.

import type { CertificateReadResult } from './certificates';
import { listedDatabaseCertificates, type DatabaseModel } from './package/model';
import { describeCertificate, listedCertificates } from './rules/certificate-fixes';
import { MINIMUM_INSTALLER_VERSION } from './rules/installer-version-too-low';
import { DISABLE_PROPERTY } from './rules/lua-patching-disabled';
import { databasePolicyValue, disablingPolicy } from './rules/lua-patching-policy-disabled';
import { where } from './rules/rule';
import type { ProductModel } from './wix/model';

export type ReadCertificate = (filePath: string) => CertificateReadResult;

/** "ready — trusts CN=…", "not ready — …", "disabled by …". */
export function productStatus(product: ProductModel, readCertificate: ReadCertificate): string {
  if (!product.scope.perMachine) return `does not apply — per-user product (${product.scope.reason})`;
  const disabling = product.properties.find((p) => p.name === DISABLE_PROPERTY && p.value.value.trim() === '1');
  if (disabling) return `disabled by ${DISABLE_PROPERTY}=1 (${disabling.authoring} at ${where(disabling.element)})`;
  const policy = product.registryWrites.find((write) => disablingPolicy(write, product)?.unresolved.length === 0);
  if (policy) return `disabled machine-wide by the DisableLUAPatching policy this package writes (${where(policy.element)})`;
  if (product.patchCertificates.length === 0) return 'not ready — no patch certificate (MsiPatchCertificate is empty)';
  if (!product.installerVersion.unresolved?.length && product.installerVersion.value < MINIMUM_INSTALLER_VERSION) return `not ready — InstallerVersion ${product.installerVersion.value} is below ${MINIMUM_INSTALLER_VERSION}`;
  const signers = listedCertificates(product, readCertificate).map(describeCertificate);
  if (signers.length === 0) {
    const unresolvable = product.patchCertificates.every((entry) => entry.unresolvable);
    return unresolvable ? 'ready if the certificate files resolve at build time (paths use build-time variables)' : 'not ready — no usable certificate file (missing, unreadable or PEM)';
  }
  return `ready — trusts ${signers.join(', ')}`;
}

/** The same for a built product: its tables. */
export function databaseStatus(database: DatabaseModel): string {
  if (!database.scope.perMachine) return `does not apply — per-user product (${database.scope.reason})`;
  const disabling = database.properties.find((p) => p.name === DISABLE_PROPERTY && p.value.trim() === '1');
  if (disabling) return `disabled by ${DISABLE_PROPERTY}=1 (${disabling.authoring === 'Property' ? 'Property table' : `custom action ${disabling.action}`})`;
  const policy = database.registryWrites.find((write) => databasePolicyValue(write, database) !== undefined);
  if (policy) return `disabled machine-wide by the DisableLUAPatching policy this package writes (Registry row ${policy.at.row.cells[0]})`;
  if (database.patchCertificates.length === 0) return 'not ready — no patch certificate (MsiPatchCertificate is empty)';
  if (database.installerVersion !== undefined && database.installerVersion < MINIMUM_INSTALLER_VERSION) return `not ready — installer version ${database.installerVersion} is below ${MINIMUM_INSTALLER_VERSION}`;
  const signers = listedDatabaseCertificates(database).map(describeCertificate);
  return signers.length > 0 ? `ready — trusts ${[...new Set(signers)].join(', ')}` : 'not ready — no readable certificate in MsiDigitalCertificate';
}

/** Whether a status line says the product accepts UAC patches: true, false, or undefined when it depends on the build. */
export function isReady(status: string): boolean | undefined {
  if (status.startsWith('ready if')) return undefined;
  return status.startsWith('ready');
}
