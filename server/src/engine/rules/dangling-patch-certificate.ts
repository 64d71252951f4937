/** Flags an MsiPatchCertificate row that names no MsiDigitalCertificate row (as ICE81 does). */

import * as l10n from '@vscode/l10n';
import { describeRow } from '../package/model';
import { removeRow } from '../package/table-edits';
import { rowLocation, type Rule } from './rule';

export const danglingPatchCertificate: Rule = {
  id: 'dangling-patch-certificate',
  defaultSeverity: 'error',
  get description() {
    return l10n.t('An MsiPatchCertificate row names a DigitalCertificate_ that MsiDigitalCertificate does not have.');
  },
  check(context) {
    for (const database of context.databases) {
      const known = database.digitalCertificates.map((certificate) => certificate.id);
      for (const row of database.patchCertificates) {
        if (row.digitalCertificate) continue;
        const removal = removeRow(row.at);
        context.report({
          at: rowLocation(row.at),
          message:
            known.length > 0
              ? l10n.t('MsiPatchCertificate row "{0}" ({1}) names certificate "{2}", which MsiDigitalCertificate does not have (it has {3}). Windows Installer cannot match any patch against this row; add the certificate to MsiDigitalCertificate or correct the name.', row.id, describeRow(row.at), row.digitalCertificateId, known.map((id) => `"${id}"`).join(', '))
              : l10n.t('MsiPatchCertificate row "{0}" ({1}) names certificate "{2}", which MsiDigitalCertificate does not have (it is empty). Windows Installer cannot match any patch against this row; add the certificate to MsiDigitalCertificate or correct the name.', row.id, describeRow(row.at), row.digitalCertificateId),
          fixes: removal ? [{ title: l10n.t('Remove MsiPatchCertificate row {0}', row.id), edits: [removal] }] : [],
        });
      }
    }
  },
};
