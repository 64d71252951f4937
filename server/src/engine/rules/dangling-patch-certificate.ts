/** Flags an MsiPatchCertificate row that names no MsiDigitalCertificate row (as ICE81 does). */

import { describeRow } from '../package/model';
import { removeRow } from '../package/table-edits';
import { rowLocation, type Rule } from './rule';

export const danglingPatchCertificate: Rule = {
  id: 'dangling-patch-certificate',
  defaultSeverity: 'error',
  description: 'An MsiPatchCertificate row names a DigitalCertificate_ that MsiDigitalCertificate does not have.',
  check(context) {
    for (const database of context.databases) {
      const known = database.digitalCertificates.map((certificate) => certificate.id);
      for (const row of database.patchCertificates) {
        if (row.digitalCertificate) continue;
        const removal = removeRow(row.at);
        context.report({
          at: rowLocation(row.at),
          message:
            `MsiPatchCertificate row "${row.id}" (${describeRow(row.at)}) names certificate "${row.digitalCertificateId}", which MsiDigitalCertificate does not have ` +
            `(${known.length > 0 ? `it has ${known.map((id) => `"${id}"`).join(', ')}` : 'it is empty'}). Windows Installer cannot match any patch against this row; ` +
            'add the certificate to MsiDigitalCertificate or correct the name.',
          fixes: removal ? [{ title: `Remove MsiPatchCertificate row ${row.id}`, edits: [removal] }] : [],
        });
      }
    }
  },
};
