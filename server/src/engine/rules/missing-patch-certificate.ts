/** Flags a per-machine product whose package gets no MsiPatchCertificate row. */

import * as path from 'path';
import { isProductCode, normalizeProductCode } from '../package/model';
import type { Fix } from '../types';
import type { ProductModel } from '../wix/model';
import { addPatchCertificatesFixes, extractSignerFix } from './certificate-fixes';
import { perMachineProducts, rowLocation, type Rule, type RuleContext } from './rule';

export const missingPatchCertificate: Rule = {
  id: 'missing-patch-certificate',
  defaultSeverity: 'warning',
  description: 'A per-machine product lists no certificate in MsiPatchCertificate, so no patch can be applied without a UAC prompt.',
  check(context) {
    for (const product of perMachineProducts(context)) {
      // A scope given only at build time may well be per-user: not this rule's call.
      if (product.patchCertificates.length > 0 || product.scope.unresolved) continue;
      context.report({
        element: product.element,
        message:
          `${productLabel(product.element.name, product.name)} installs per-machine (${product.scope.reason}) but lists no patch certificate: ` +
          'its MsiPatchCertificate table stays empty, so a non-administrator cannot apply any patch without a UAC prompt. ' +
          'Add <PatchCertificates> with the certificate that signs your patches.',
        fixes: oneFixPreferred([...signerFixes(product, context), ...addPatchCertificatesFixes(product, context)]),
      });
    }
    for (const database of context.databases) {
      if (!database.isProduct || !database.scope.perMachine || database.patchCertificates.length > 0) continue;
      context.report({
        at: database.scope.at ? rowLocation(database.scope.at) : { file: database.path },
        message:
          `${database.productName ? `"${database.productName}"` : path.basename(database.path)} installs per-machine (${database.scope.reason}) but its MsiPatchCertificate table is ` +
          `${database.database.tables.has('MsiPatchCertificate') ? 'empty' : 'missing'}, so a non-administrator cannot apply any patch without a UAC prompt. ` +
          'Add the certificate that signs your patches to MsiDigitalCertificate and MsiPatchCertificate (in WiX: <PatchCertificates>).',
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

export function productLabel(elementName: string, name: string | undefined): string {
  return name ? `${elementName} "${name}"` : `This ${elementName}`;
}
