/** Flags a patch (.msp) that carries no Authenticode signature. */

import { reportOnPatch, type Rule } from './rule';

export const unsignedPatch: Rule = {
  id: 'unsigned-patch',
  defaultSeverity: 'error',
  description: 'A patch (.msp) has no digital signature, so Windows Installer asks for an administrator to apply it.',
  check(context) {
    for (const database of context.databases) {
      if (database.kind !== 'msp' || database.signature?.state !== 'unsigned') continue;
      const name = database.path.split(/[\\/]/).pop();
      reportOnPatch(context, database, {
        message:
          `${name} is not signed (it has no \\x05DigitalSignature stream): Windows Installer applies an unsigned patch only with administrator rights, so non-administrators get a UAC prompt. ` +
          'Sign it with a certificate the target product lists in MsiPatchCertificate (e.g. signtool sign /fd SHA256, or osslsigncode sign -h sha256).',
      });
    }
  },
};
