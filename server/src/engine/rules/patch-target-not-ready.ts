/**
 * Flags a WiX <Patch> whose target product in the workspace cannot accept UAC patches: however
 * well the patch is signed, non-administrators then get a UAC prompt (or cannot apply it).
 */

import * as l10n from '@vscode/l10n';
import { isReady } from '../readiness';
import { targetLocation } from '../package/trust';
import { patchName } from '../wix/patch';
import type { Rule } from './rule';

export const patchTargetNotReady: Rule = {
  id: 'patch-target-not-ready',
  defaultSeverity: 'warning',
  get description() {
    return l10n.t('A <Patch> targets a product in the workspace that cannot accept UAC patches (no patch certificate, MSIDISABLELUAPATCHING, per-user, policy).');
  },
  check(context) {
    for (const patch of context.patches) {
      for (const { target, via } of patch.targets) {
        if (isReady(target.readiness) !== false) continue;
        context.report({
          element: patch.element,
          message:
            target.readiness === 'per-user'
              ? l10n.t("{0} targets {1} (found through {2}), which cannot accept UAC patches: {3}. UAC patching is for per-machine installs only: this patch's signature and the product's patch certificates play no part there (the user who installed a per-user product patches it, a managed per-user install needs an administrator). Make the product per-machine if non-administrators are to patch a machine-wide install.", patchName(patch), target.label, via, target.status)
              : l10n.t('{0} targets {1} (found through {2}), which cannot accept UAC patches: {3}. Non-administrators will get a UAC prompt for this patch however it is signed. Fix the product (the finding on it says how) and ship it before relying on UAC patching.', patchName(patch), target.label, via, target.status),
          related: [targetLocation(target, l10n.t('target product {0}', target.productCode || target.label))],
        });
      }
    }
  },
};
