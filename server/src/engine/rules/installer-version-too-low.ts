/** Flags a product with patch certificates whose effective InstallerVersion is below 300. */

import * as l10n from '@vscode/l10n';
import { setAttribute } from '../wix/edits';
import { rowLocation, type Rule } from './rule';

export const MINIMUM_INSTALLER_VERSION = 300;

export const installerVersionTooLow: Rule = {
  id: 'installer-version-too-low',
  defaultSeverity: 'warning',
  get description() {
    return l10n.t('A product with patch certificates declares an InstallerVersion below 300; MsiPatchCertificate needs Windows Installer 3.0.');
  },
  check(context) {
    for (const product of context.products) {
      if (product.kind !== 'product' || product.patchCertificates.length === 0) continue;
      const version = product.installerVersion;
      // A value given at build time (-d, a per-configuration define) is the author's to know.
      if (version.value >= MINIMUM_INSTALLER_VERSION || version.unresolved.length > 0) continue;
      const attribute = version.element.attribute('InstallerVersion');
      context.report({
        element: version.element,
        span: attribute?.valueSpan ?? version.element.nameSpan,
        message: l10n.t('{0}, but the MsiPatchCertificate table needs Windows Installer 3.0 (schema {1}): UAC patching requires the product to be installed with Windows Installer 3.0 or later. Set InstallerVersion to 300 or higher (500 is the WiX v4 default).', version.reason, MINIMUM_INSTALLER_VERSION),
        fixes: [{ title: l10n.t({ message: 'Set {0}', args: ['InstallerVersion="500"'], comment: ['A quick fix: {0} is an attribute with its new value'] }), isPreferred: true, edits: [setAttribute(version.element, 'InstallerVersion', '500')] }],
      });
    }
    for (const database of context.databases) {
      const version = database.installerVersion;
      if (!database.isProduct || database.patchCertificates.length === 0 || version === undefined || version >= MINIMUM_INSTALLER_VERSION) continue;
      context.report({
        at: rowLocation(database.patchCertificates[0].at),
        message: l10n.t("The summary information's page count (minimum installer version) is {0}, but the MsiPatchCertificate table needs Windows Installer 3.0 (schema {1}): UAC patching requires the product to be installed with Windows Installer 3.0 or later. Rebuild it with InstallerVersion 300 or higher (500 is the WiX v4 default).", version, MINIMUM_INSTALLER_VERSION),
      });
    }
  },
};
