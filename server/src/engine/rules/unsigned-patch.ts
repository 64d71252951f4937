/** Flags a patch (.msp) that carries no Authenticode signature. */

import * as l10n from '@vscode/l10n';
import { reportOnPatch, type Rule } from './rule';

export const unsignedPatch: Rule = {
  id: 'unsigned-patch',
  defaultSeverity: 'error',
  get description() {
    return l10n.t('A patch (.msp) has no digital signature, so Windows Installer asks for an administrator to apply it.');
  },
  check(context) {
    for (const database of context.databases) {
      if (database.kind !== 'msp' || database.signature?.state !== 'unsigned') continue;
      const name = database.path.split(/[\\/]/).pop();
      reportOnPatch(context, database, {
        message: l10n.t('{0} is not signed (it has no {1} stream): Windows Installer applies an unsigned patch only with administrator rights, so non-administrators get a UAC prompt. Sign it with a certificate the target product lists in MsiPatchCertificate (e.g. {2}, or {3}).', name ?? '', '\\x05DigitalSignature', 'signtool sign /fd SHA256', 'osslsigncode sign -h sha256'),
      });
    }
  },
};
