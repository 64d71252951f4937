/** Reports a listed patch certificate that has expired or is not yet valid. */

import { validityState } from '../certificates';
import { describeCertificate } from './certificate-fixes';
import type { Rule } from './rule';

export const expiredPatchCertificate: Rule = {
  id: 'expired-patch-certificate',
  defaultSeverity: 'information',
  description: 'A listed patch certificate has expired or is not yet valid.',
  check(context) {
    const seen = new Set<unknown>();
    for (const product of context.products) {
      for (const entry of product.patchCertificates) {
        if (!entry.resolvedPath || seen.has(entry.element)) continue;
        const result = context.readCertificate(entry.resolvedPath);
        if (!result.ok) continue;
        const certificate = result.certificate;
        const state = validityState(certificate, context.now);
        if (state === 'valid') continue;
        seen.add(entry.element);
        const name = describeCertificate(certificate);
        context.report({
          element: entry.element,
          span: entry.element.attribute('SourceFile')?.valueSpan,
          message:
            state === 'expired'
              ? `The patch certificate ${name} expired on ${day(certificate.notAfter)}. Patches already signed with it still apply (Windows Installer does not fail the evaluation of an expired signer), but no new patch can be signed with it: list a current certificate as well.`
              : `The patch certificate ${name} is not valid before ${day(certificate.notBefore)}: patches cannot be signed with it until then. Check the certificate's dates.`,
        });
      }
    }
  },
};

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
