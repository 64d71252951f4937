/** Flags a patch whose signature does not verify. */

import * as l10n from '@vscode/l10n';
import { reportOnPatch, type Rule } from './rule';

export const invalidPatchSignature: Rule = {
  id: 'invalid-patch-signature',
  defaultSeverity: 'error',
  get description() {
    return l10n.t("A patch's digital signature does not verify (changed after signing, or a malformed signature).");
  },
  check(context) {
    for (const database of context.databases) {
      const signature = database.signature;
      if (database.kind !== 'msp' || signature?.state !== 'invalid') continue;
      const name = database.path.split(/[\\/]/).pop();
      const problems = signature.problems.join('; ');
      reportOnPatch(context, database, {
        message: signature.signer
          ? l10n.t('The signature of {0} by {1} does not verify: {2}. Windows Installer treats the patch as unsigned and asks for an administrator. Sign the final file again, after every change to it.', name ?? '', signature.signer.subject, problems)
          : l10n.t('The signature of {0} does not verify: {1}. Windows Installer treats the patch as unsigned and asks for an administrator. Sign the final file again, after every change to it.', name ?? '', problems),
      });
    }
  },
};
