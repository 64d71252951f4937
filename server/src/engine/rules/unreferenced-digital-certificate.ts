/** Flags an MsiDigitalCertificate row that no table references (ICE81's warning). */

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { describeRow, type DatabaseModel, type DigitalCertificateRow } from '../package/model';
import { insertRow, tableFileText } from '../package/table-edits';
import type { Fix } from '../types';
import { describeCertificate } from './certificate-fixes';
import { rowLocation, type Rule } from './rule';

export const unreferencedDigitalCertificate: Rule = {
  id: 'unreferenced-digital-certificate',
  defaultSeverity: 'warning',
  get description() {
    return l10n.t('An MsiDigitalCertificate row is referenced by no MsiPatchCertificate, MsiPackageCertificate or MsiDigitalSignature row.');
  },
  check(context) {
    for (const database of context.databases) {
      const referenced = new Set(database.certificateReferences.map((reference) => reference.digitalCertificateId));
      for (const certificate of database.digitalCertificates) {
        if (referenced.has(certificate.id)) continue;
        const row = certificate.certificate?.ok ? `"${certificate.id}" (${describeCertificate(certificate.certificate.certificate)})` : `"${certificate.id}"`;
        context.report({
          at: rowLocation(certificate.at),
          message: l10n.t('MsiDigitalCertificate row {0} ({1}) is referenced by no MsiPatchCertificate, MsiPackageCertificate or MsiDigitalSignature row, so it has no effect. If it is meant to sign patches, add an MsiPatchCertificate row for it; otherwise remove it.', row, describeRow(certificate.at)),
          fixes: addPatchCertificateRowFix(database, certificate),
        });
      }
    }
  },
};

/** In an .idt folder: a MsiPatchCertificate row naming the certificate (creating the table file if needed). */
function addPatchCertificateRowFix(database: DatabaseModel, certificate: DigitalCertificateRow): Fix[] {
  if (database.kind !== 'idt') return [];
  const title = l10n.t('Add an MsiPatchCertificate row for {0}', certificate.id);
  const row = [certificate.id, certificate.id];
  const table = database.database.tables.get('MsiPatchCertificate');
  if (table) {
    // Keys are unique: pick another name when the certificate's own is taken.
    const taken = new Set(database.patchCertificates.map((entry) => entry.id));
    let key = certificate.id;
    for (let n = 2; taken.has(key); n++) key = `${certificate.id}_${n}`;
    return [{ title, isPreferred: true, edits: [insertRow(table.file, [key, certificate.id])] }];
  }
  const text = tableFileText({ columns: ['PatchCertificate', 'DigitalCertificate_'], types: ['s72', 's72'], table: 'MsiPatchCertificate', keys: ['PatchCertificate'] }, [row]);
  return [{ title, isPreferred: true, edits: [], createFiles: [{ file: path.join(database.path, 'MsiPatchCertificate.idt'), base64: Buffer.from(text, 'utf8').toString('base64') }] }];
}
