/** Flags a DigitalCertificate/@SourceFile that is not an X.509 certificate. */

import { useExistingCertificateFixes } from './certificate-fixes';
import type { Rule } from './rule';

export const invalidCertificateFile: Rule = {
  id: 'invalid-certificate-file',
  defaultSeverity: 'error',
  description: 'A DigitalCertificate SourceFile is not an X.509 certificate.',
  check(context) {
    const seen = new Set<unknown>();
    for (const product of context.products) {
      for (const certificate of product.patchCertificates) {
        if (!certificate.resolvedPath || seen.has(certificate.element)) continue;
        const result = context.readCertificate(certificate.resolvedPath);
        if (result.ok) continue;
        seen.add(certificate.element);
        context.report({
          element: certificate.element,
          span: certificate.element.attribute('SourceFile')?.valueSpan,
          message: `${certificate.sourceFile?.value ?? certificate.resolvedPath} is not an X.509 certificate: ${result.reason}. MsiDigitalCertificate needs the DER certificate (.cer) that signs your patches.`,
          fixes: useExistingCertificateFixes(certificate.element, product, context),
        });
      }
    }
  },
};
