// Whether a product is ready for UAC patching, in one line: for the code lens above it, and for
// the status of the patches that target it.

import * as l10n from '@vscode/l10n';
import type { CertificateReadResult } from './certificates';
import { listedDatabaseCertificates, type DatabaseModel } from './package/model';
import { describeCertificate, listedCertificates } from './rules/certificate-fixes';
import { MINIMUM_INSTALLER_VERSION } from './rules/installer-version-too-low';
import { DISABLE_PROPERTY } from './rules/lua-patching-disabled';
import { databasePolicyValue, disablingPolicy } from './rules/lua-patching-policy-disabled';
import { where } from './rules/rule';
import type { ProductModel } from './wix/model';

export type ReadCertificate = (filePath: string) => CertificateReadResult;

/**
 * What a status line says, for code that acts on it (the text is in the user's language):
 * `undecided` when the certificate paths are resolved only at build time, `per-user` when UAC
 * patching does not apply at all.
 */
export type ReadinessState = 'ready' | 'undecided' | 'not-ready' | 'disabled' | 'per-user';

export interface Readiness {
  state: ReadinessState;
  /** "ready — trusts CN=…", "not ready — …", "disabled by …". */
  text: string;
}

// Every status line that has a detail separates it with " — " (in every language): the lenses of
// patch targets turn it into a comma.

export function productReadiness(product: ProductModel, readCertificate: ReadCertificate): Readiness {
  if (!product.scope.perMachine) return { state: 'per-user', text: l10n.t('does not apply — per-user product ({0})', product.scope.reason) };
  const disabling = product.properties.find((p) => p.name === DISABLE_PROPERTY && p.value.value.trim() === '1');
  if (disabling) return { state: 'disabled', text: l10n.t('disabled by {0}=1 ({1} at {2})', DISABLE_PROPERTY, disabling.authoring, where(disabling.element)) };
  const policy = product.registryWrites.find((write) => disablingPolicy(write, product)?.unresolved.length === 0);
  if (policy) return { state: 'disabled', text: l10n.t('disabled machine-wide by the DisableLUAPatching policy this package writes ({0})', where(policy.element)) };
  if (product.patchCertificates.length === 0) return { state: 'not-ready', text: l10n.t('not ready — no patch certificate (MsiPatchCertificate is empty)') };
  if (!product.installerVersion.unresolved?.length && product.installerVersion.value < MINIMUM_INSTALLER_VERSION) {
    return { state: 'not-ready', text: l10n.t('not ready — InstallerVersion {0} is below {1}', product.installerVersion.value, MINIMUM_INSTALLER_VERSION) };
  }
  const signers = listedCertificates(product, readCertificate).map(describeCertificate);
  if (signers.length === 0) {
    const unresolvable = product.patchCertificates.every((entry) => entry.unresolvable);
    return unresolvable
      ? { state: 'undecided', text: l10n.t('ready if the certificate files resolve at build time (paths use build-time variables)') }
      : { state: 'not-ready', text: l10n.t('not ready — no usable certificate file (missing, unreadable or PEM)') };
  }
  return { state: 'ready', text: l10n.t('ready — trusts {0}', signers.join(', ')) };
}

/** The same for a built product: its tables. */
export function databaseReadiness(database: DatabaseModel): Readiness {
  if (!database.scope.perMachine) return { state: 'per-user', text: l10n.t('does not apply — per-user product ({0})', database.scope.reason) };
  const disabling = database.properties.find((p) => p.name === DISABLE_PROPERTY && p.value.trim() === '1');
  if (disabling) {
    return {
      state: 'disabled',
      text: disabling.authoring === 'Property'
        ? l10n.t('disabled by {0}=1 (Property table)', DISABLE_PROPERTY)
        : l10n.t('disabled by {0}=1 (custom action {1})', DISABLE_PROPERTY, disabling.action ?? ''),
    };
  }
  const policy = database.registryWrites.find((write) => databasePolicyValue(write, database) !== undefined);
  if (policy) return { state: 'disabled', text: l10n.t('disabled machine-wide by the DisableLUAPatching policy this package writes (Registry row {0})', String(policy.at.row.cells[0])) };
  if (database.patchCertificates.length === 0) return { state: 'not-ready', text: l10n.t('not ready — no patch certificate (MsiPatchCertificate is empty)') };
  if (database.installerVersion !== undefined && database.installerVersion < MINIMUM_INSTALLER_VERSION) {
    return { state: 'not-ready', text: l10n.t('not ready — installer version {0} is below {1}', database.installerVersion, MINIMUM_INSTALLER_VERSION) };
  }
  const signers = listedDatabaseCertificates(database).map(describeCertificate);
  return signers.length > 0
    ? { state: 'ready', text: l10n.t('ready — trusts {0}', [...new Set(signers)].join(', ')) }
    : { state: 'not-ready', text: l10n.t('not ready — no readable certificate in MsiDigitalCertificate') };
}

/** Whether the product accepts UAC patches: true, false, or undefined when it depends on the build. */
export function isReady(state: ReadinessState): boolean | undefined {
  if (state === 'undecided') return undefined;
  return state === 'ready';
}
