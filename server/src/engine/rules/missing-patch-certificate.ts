/** Flags a per-machine product whose package gets no MsiPatchCertificate row. */

import { addPatchCertificatesFixes } from './certificate-fixes';
import { perMachineProducts, type Rule } from './rule';

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
        fixes: addPatchCertificatesFixes(product, context),
      });
    }
  },
};

export function productLabel(elementName: string, name: string | undefined): string {
  return name ? `${elementName} "${name}"` : `This ${elementName}`;
}
