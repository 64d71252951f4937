/** Reports a listed patch certificate that has expired or is not yet valid. */

import * as l10n from '@vscode/l10n';
import { validityState, type CertificateInfo } from '../certificates';
import type { ProductModel } from '../wix/model';
import { describeCertificate, listedCertificates } from './certificate-fixes';
import * as path from 'path';
import { describeRow } from '../package/model';
import { conditionNote, rowLocation, type Rule, type RuleContext, uniquePatchCertificates } from './rule';

export const expiredPatchCertificate: Rule = {
  id: 'expired-patch-certificate',
  defaultSeverity: 'information',
  get description() {
    return l10n.t('A listed patch certificate has expired or is not yet valid.');
  },
  check(context) {
    for (const { product, entry } of uniquePatchCertificates(context)) {
      if (!entry.resolvedPath) continue;
      const result = context.readCertificate(entry.resolvedPath);
      if (!result.ok) continue;
      const certificate = result.certificate;
      const state = validityState(certificate, context.now);
      if (state === 'valid') continue;
      const name = describeCertificate(certificate);
      const note = conditionNote(entry.element);
      const current = currentCertificates(product, context).filter((other) => other.sha1 !== certificate.sha1);
      const advice =
        current.length > 0
          ? l10n.t('sign new patches with {0}, which this product lists too.', current.map(describeCertificate).join(l10n.t(' or ')))
          : l10n.t('list a current certificate as well, and sign new patches with it.');
      context.report({
        element: entry.element,
        span: entry.element.attribute('SourceFile')?.valueSpan,
        message:
          state === 'expired'
            ? l10n.t('The patch certificate {0} expired on {1}{2}. Patches already signed with it still apply without a UAC prompt (Windows Installer does not reject an expired signer), but no new patch can be signed with it: {3}', name, day(certificate.notAfter), note, advice)
            : l10n.t("The patch certificate {0} is not valid before {1}{2}: no patch can be signed with it until then. Check the certificate's dates; meanwhile {3}", name, day(certificate.notBefore), note, advice),
      });
    }
    for (const database of context.databases) {
      for (const row of database.patchCertificates) {
        const result = row.digitalCertificate?.certificate;
        if (!result?.ok) continue;
        const certificate = result.certificate;
        const state = validityState(certificate, context.now);
        if (state === 'valid') continue;
        context.report({
          at: rowLocation(row.at),
          message:
            state === 'expired'
              ? l10n.t('MsiPatchCertificate row "{0}" ({1}) lists {2}, which expired on {3}. Patches already signed with it still apply without a UAC prompt, but no new patch can be signed with it: list a current certificate as well.', row.id, describeRow(row.at), describeCertificate(certificate), day(certificate.notAfter))
              : l10n.t('MsiPatchCertificate row "{0}" ({1}) lists {2}, which is not valid before {3}: no patch can be signed with it until then.', row.id, describeRow(row.at), describeCertificate(certificate), day(certificate.notBefore)),
        });
      }
      // The signer of a patch: Windows Installer still evaluates an expired one, so this is information only.
      const signer = database.signature?.signer;
      if (database.kind === 'msp' && signer && validityState(signer, context.now) === 'expired') {
        context.report({
          at: { file: database.path },
          message: l10n.t('{0} is signed by {1}, whose certificate expired on {2}. Windows Installer still accepts the signature for UAC patching (it does not reject an expired signer), but sign new patches with a current certificate the product lists.', path.basename(database.path), describeCertificate(signer), day(signer.notAfter)),
        });
      }
    }
  },
};

/** The product's listed DER certificates (a PEM one is never recognised) that can sign a patch today. */
function currentCertificates(product: ProductModel, context: RuleContext): CertificateInfo[] {
  return listedCertificates(product, context.readCertificate).filter((certificate) => validityState(certificate, context.now) === 'valid');
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
