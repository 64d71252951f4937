/** Flags a DigitalCertificate/@SourceFile that names no existing file. */

import * as path from 'path';
import { useExistingCertificateFixes } from './certificate-fixes';
import type { Rule } from './rule';

export const missingCertificateFile: Rule = {
  id: 'missing-certificate-file',
  defaultSeverity: 'error',
  description: 'A DigitalCertificate SourceFile does not exist.',
  check(context) {
    const seen = new Set<unknown>();
    for (const product of context.products) {
      for (const certificate of product.patchCertificates) {
        if (seen.has(certificate.element) || !certificate.sourceFile || certificate.unresolvable || certificate.resolvedPath) continue;
        if (certificate.searched.length === 0) continue;
        seen.add(certificate.element);
        const looked = certificate.searched.map((candidate) => path.relative(certificate.element.source.folder, candidate) || candidate);
        context.report({
          element: certificate.element,
          span: certificate.element.attribute('SourceFile')?.valueSpan,
          message: `Certificate file not found: ${certificate.sourceFile.value} (looked for ${[...new Set(looked)].join(' and ')} relative to this source${certificate.searched.length > 1 ? ' and its project' : ''}). The build fails, and no MsiPatchCertificate row can be written.`,
          fixes: useExistingCertificateFixes(certificate.element, product, context),
        });
      }
    }
  },
};
