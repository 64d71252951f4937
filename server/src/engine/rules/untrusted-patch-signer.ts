/**
 * Flags a signed patch whose signer its target product does not list in MsiPatchCertificate.
 * Targets are the ProductCodes of the patch's summary Template that the workspace has a product
 * for; when it has none, the signer is only shown (lens, inspect), not judged.
 */

import * as path from 'path';
import { describeCertificates, patchTrust, targetLocation } from '../package/trust';
import type { Fix } from '../types';
import { describeCertificate, extractSignerFix } from './certificate-fixes';
import { reportOnPatch, type Rule } from './rule';

export const untrustedPatchSigner: Rule = {
  id: 'untrusted-patch-signer',
  defaultSeverity: 'error',
  description: "A signed patch's signer is not among the MsiPatchCertificate certificates of its target product.",
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
            `${name} is signed by ${describeCertificate(signer)} (SHA-1 ${signer.sha1}), but its target ${target.label} lists ${describeCertificates(target.certificates)} in MsiPatchCertificate. ` +
            "Windows Installer will ask for an administrator to apply it. Sign the patch with a listed certificate, or list this signer in the product's PatchCertificates (machines then need the rebuilt product, or a patch that adds the row, before patches signed by it apply without a prompt).",
          related: [targetLocation(target, `target product ${target.productCode}`)],
          fixes,
        });
      }
    }
  },
};
