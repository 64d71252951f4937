/** Flags a package or patch file that is not a readable compound file / Windows Installer database. */

import * as l10n from '@vscode/l10n';
import type { Rule } from './rule';

export const unreadablePackage: Rule = {
  id: 'unreadable-package',
  defaultSeverity: 'error',
  get description() {
    return l10n.t('A .msi, .msp or .mst file is not a readable Windows Installer database.');
  },
  check(context) {
    for (const unreadable of context.unreadablePackages) {
      const name = unreadable.path.split(/[\\/]/).pop();
      context.report({
        at: { file: unreadable.path },
        message: l10n.t('{0} cannot be read as a Windows Installer database: {1}. Windows Installer would reject it too; rebuild it, or check that the copy is complete.', name ?? '', unreadable.reason),
      });
    }
  },
};
