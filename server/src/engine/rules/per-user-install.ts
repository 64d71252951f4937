/** Flags patch certificates in a per-user product, where UAC patching does not apply. */

import * as l10n from '@vscode/l10n';
import { related, relatedRow, rowLocation, type Rule } from './rule';

export const perUserInstall: Rule = {
  id: 'per-user-install',
  defaultSeverity: 'information',
  get description() {
    return l10n.t('A per-user product lists patch certificates; UAC patching applies only to per-machine installs.');
  },
  check(context) {
    for (const product of context.products) {
      if (product.kind !== 'product' || product.scope.perMachine || product.patchCertificates.length === 0) continue;
      const scope = product.scope;
      const scopeElement = scope.element ?? product.element;
      const scopeSpan = scope.attribute ? scopeElement.attribute(scope.attribute)?.valueSpan : undefined;
      context.report({
        element: product.patchCertificatesElements[0] ?? product.element,
        message: l10n.t('This product installs per-user ({0}): UAC patching applies only to per-machine installs, so its patch certificates have no effect. Per-user products are patched by their own user without elevation anyway; install per-machine if non-administrators must patch a shared install.', scope.reason),
        related: [related(scopeElement, l10n.t('scope: {0}', scope.reason), scopeSpan)],
      });
    }
    for (const database of context.databases) {
      if (!database.isProduct || database.scope.perMachine || database.patchCertificates.length === 0) continue;
      const scope = database.scope;
      context.report({
        at: rowLocation(database.patchCertificates[0].at),
        message: l10n.t('This product installs per-user ({0}): UAC patching applies only to per-machine installs, so its MsiPatchCertificate rows have no effect. Per-user products are patched by their own user without elevation anyway; install per-machine (ALLUSERS=1) if non-administrators must patch a shared install.', scope.reason),
        ...(scope.at ? { related: [relatedRow(scope.at, l10n.t('scope: {0}', scope.reason))] } : {}),
      });
    }
  },
};
