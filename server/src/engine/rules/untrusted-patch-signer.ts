/**
 * Flags a signed patch whose signer its target product does not list in MsiPatchCertificate.
 * Targets are the ProductCodes of the patch's summary Template that the workspace has a product
 * for; when it has none, the signer is only shown (lens, inspect), not judged.
 */

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { describeCertificates, patchTrust, targetLocation } from '../package/trust';
import type { Fix } from '../types';
import { describeCertificate, extractSignerFix } from './certificate-fixes';
import { reportOnPatch, type Rule } from './rule';

export const untrustedPatchSigner: Rule = {
  id: 'untrusted-patch-signer',
  defaultSeverity: 'error',
  get description() {
    return l10n.t("A signed patch's signer is not among the MsiPatchCertificate certificates of its target product.");
  },
  check(context) {
    const byCode = context.targets();
    for (const patch of context.databases) {
      const signer = patch.signature?.signer;
      if (patch.kind !== 'msp' || patch.signature?.state !== 'valid' || !signer) continue;
      const trust = patchTrust(patch, signer, byCode);
      const name = path.basename(patch.path);
      for (const target of trust.untrustedBy) {
        const fixes: Fix[] = [];
        if ('product' in target.source) {
          const fix = extractSignerFix(target.source.product, patch, context);
          if (fix) fixes.push({ ...fix, isPreferred: true });
        }
        reportOnPatch(context, patch, {
          message:
            target.certificates.length === 0 && target.unreadableCertificates > 0
              ? l10n.t("{0} is signed by {1} (SHA-1 {2}), but none of the certificates its target {3} lists in MsiPatchCertificate can be read as a DER certificate ({4}), so none can match the signer. Windows Installer will ask for an administrator to apply it. Make the product list this signer's DER certificate (its own findings say what is wrong with the listed files).", name, describeCertificate(signer), signer.sha1, target.label, target.unreadableCertificates === 1 ? l10n.t('1 listed') : l10n.t('{0} listed', target.unreadableCertificates))
              : target.certificates.length > 0
              ? l10n.t("{0} is signed by {1} (SHA-1 {2}), but its target {3} lists {4} in MsiPatchCertificate. Windows Installer will ask for an administrator to apply it. Sign the patch with a listed certificate, or list this signer in the product's PatchCertificates (machines then need the rebuilt product, or a patch that adds the row, before patches signed by it apply without a prompt).", name, describeCertificate(signer), signer.sha1, target.label, describeCertificates(target.certificates))
              : l10n.t("{0} is signed by {1} (SHA-1 {2}), but its target {3} lists no certificate in MsiPatchCertificate. Windows Installer will ask for an administrator to apply it. Sign the patch with a listed certificate, or list this signer in the product's PatchCertificates (machines then need the rebuilt product, or a patch that adds the row, before patches signed by it apply without a prompt).", name, describeCertificate(signer), signer.sha1, target.label),
          related: [targetLocation(target, l10n.t('target product {0}', target.productCode))],
          fixes,
        });
      }
    }
  },
};
