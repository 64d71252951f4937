/** Flags a per-machine product whose package gets no MsiPatchCertificate row. */

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { isProductCode, normalizeProductCode } from '../package/model';
import type { Fix } from '../types';
import type { ProductModel } from '../wix/model';
import { addPatchCertificatesFixes, extractSignerFix } from './certificate-fixes';
import { perMachineProducts, rowLocation, type Rule, type RuleContext } from './rule';

export const missingPatchCertificate: Rule = {
  id: 'missing-patch-certificate',
  defaultSeverity: 'warning',
  get description() {
    return l10n.t('A per-machine product lists no certificate in MsiPatchCertificate, so no patch can be applied without a UAC prompt.');
  },
  check(context) {
    for (const product of perMachineProducts(context)) {
      // A scope given only at build time may well be per-user: not this rule's call.
      if (product.patchCertificates.length > 0 || product.scope.unresolved) continue;
      context.report({
        element: product.element,
        message: product.name
          ? l10n.t('{0} "{1}" installs per-machine ({2}) but lists no patch certificate: its MsiPatchCertificate table stays empty, so a non-administrator cannot apply any patch without a UAC prompt. Add <PatchCertificates> with the certificate that signs your patches.', product.element.name, product.name, product.scope.reason)
          : l10n.t('This {0} installs per-machine ({1}) but lists no patch certificate: its MsiPatchCertificate table stays empty, so a non-administrator cannot apply any patch without a UAC prompt. Add <PatchCertificates> with the certificate that signs your patches.', product.element.name, product.scope.reason),
        fixes: oneFixPreferred([...signerFixes(product, context), ...addPatchCertificatesFixes(product, context)]),
      });
    }
    for (const database of context.databases) {
      if (!database.isProduct || !database.scope.perMachine || database.patchCertificates.length > 0) continue;
      const product = database.productName ? `"${database.productName}"` : path.basename(database.path);
      context.report({
        at: database.scope.at ? rowLocation(database.scope.at) : { file: database.path },
        message: database.database.tables.has('MsiPatchCertificate')
          ? l10n.t('{0} installs per-machine ({1}) but its MsiPatchCertificate table is empty, so a non-administrator cannot apply any patch without a UAC prompt. Add the certificate that signs your patches to MsiDigitalCertificate and MsiPatchCertificate (in WiX: <PatchCertificates>).', product, database.scope.reason)
          : l10n.t('{0} installs per-machine ({1}) but its MsiPatchCertificate table is missing, so a non-administrator cannot apply any patch without a UAC prompt. Add the certificate that signs your patches to MsiDigitalCertificate and MsiPatchCertificate (in WiX: <PatchCertificates>).', product, database.scope.reason),
      });
    }
  },
};

/** An editor applies the preferred fix on "auto fix": keep only the first one marked so. */
function oneFixPreferred(fixes: Fix[]): Fix[] {
  const first = fixes.findIndex((fix) => fix.isPreferred);
  return fixes.map((fix, index) => (fix.isPreferred && index !== first ? { ...fix, isPreferred: false } : fix));
}

/** "Extract signer certificate from Hotfix.msp" for signed patches meant for this product. */
function signerFixes(product: ProductModel, context: RuleContext) {
  const patches = context.databases.filter((patch) => patch.kind === 'msp' && patch.signature?.state === 'valid');
  if (patches.length === 0) return [];
  const code = product.productCode && isProductCode(product.productCode) ? normalizeProductCode(product.productCode) : undefined;
  const knownCodes = context.targets();
  return patches
    // A patch for this product, or — when the ProductCode is chosen at build time — one whose target is nowhere else in the workspace.
    .filter((patch) => patch.targetProductCodes.some((target) => (code ? normalizeProductCode(target) === code : !knownCodes.has(normalizeProductCode(target)))))
    .flatMap((patch) => {
      const fix = extractSignerFix(product, patch, context);
      // The certificate that signed a patch for this very product is the one to list.
      return fix ? [{ ...fix, ...(code ? { isPreferred: true } : {}) }] : [];
    });
}
