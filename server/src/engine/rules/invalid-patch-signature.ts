/** Flags a patch whose signature does not verify. */

import { reportOnPatch, type Rule } from './rule';

export const invalidPatchSignature: Rule = {
  id: 'invalid-patch-signature',
  defaultSeverity: 'error',
  description: "A patch's digital signature does not verify (changed after signing, or a malformed signature).",
  check(context) {
    for (const database of context.databases) {
      const signature = database.signature;
      if (database.kind !== 'msp' || signature?.state !== 'invalid') continue;
      const name = database.path.split(/[\\/]/).pop();
      const signer = signature.signer ? ` by ${signature.signer.subject}` : '';
      reportOnPatch(context, database, {
        message:
          `The signature of ${name}${signer} does not verify: ${signature.problems.join('; ')}. ` +
          'Windows Installer treats the patch as unsigned and asks for an administrator. Sign the final file again, after every change to it.',
      });
    }
  },
};
