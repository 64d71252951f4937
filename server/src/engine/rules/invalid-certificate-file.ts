/** Flags a DigitalCertificate/@SourceFile that is not a DER X.509 certificate. */

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { authoredRelativePath } from '../paths';
import { describeCertificate, useExistingCertificateFixes } from './certificate-fixes';
import { conditionNote, type Rule, uniquePatchCertificates } from './rule';

export const invalidCertificateFile: Rule = {
  id: 'invalid-certificate-file',
  defaultSeverity: 'error',
  get description() {
    return l10n.t('A DigitalCertificate SourceFile is not an X.509 certificate.');
  },
  check(context) {
    for (const { product, entry: certificate } of uniquePatchCertificates(context)) {
      if (!certificate.resolvedPath) continue;
      const result = context.readCertificate(certificate.resolvedPath);
      if (result.ok && result.certificate.encoding === 'der') continue;
      const element = certificate.element;
      const shown = authoredRelativePath(element.source.folder, certificate.resolvedPath);
      const note = conditionNote(element);
      if (result.ok) {
        // WiX copies the file into CertData unchanged; Windows Installer compares DER bytes.
        const pem = path.basename(certificate.resolvedPath);
        const der = `${path.basename(pem, path.extname(pem))}.cer`;
        context.report({
          element,
          span: element.attribute('SourceFile')?.valueSpan,
          message: l10n.t('{0} holds {1} as PEM (Base64 text){2}. WiX copies the file into MsiDigitalCertificate byte for byte, and Windows Installer expects the DER certificate there, so it never recognises a patch signed with it. Convert it to DER ({3}, or {4}) and name the .cer file.', shown, describeCertificate(result.certificate), note, `openssl x509 -in ${pem} -outform der -out ${der}`, `certutil -decode ${pem} ${der}`),
          fixes: useExistingCertificateFixes(element, product, context, result.certificate),
        });
        continue;
      }
      context.report({
        element,
        span: element.attribute('SourceFile')?.valueSpan,
        message: l10n.t('{0} is not an X.509 certificate: {1}{2}. MsiDigitalCertificate needs the DER certificate (.cer) that signs your patches.', shown, result.reason, note),
        fixes: useExistingCertificateFixes(element, product, context),
      });
    }
  },
};
