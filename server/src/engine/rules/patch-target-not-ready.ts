/**
 * Flags a WiX <Patch> whose target product in the workspace cannot accept UAC patches: however
 * well the patch is signed, non-administrators then get a UAC prompt (or cannot apply it).
 */

import { isReady } from '../readiness';
import { targetLocation } from '../package/trust';
import { patchName } from '../wix/patch';
import type { Rule } from './rule';

export const patchTargetNotReady: Rule = {
  id: 'patch-target-not-ready',
  defaultSeverity: 'warning',
  description: 'A <Patch> targets a product in the workspace that cannot accept UAC patches (no patch certificate, MSIDISABLELUAPATCHING, per-user, policy).',
  check(context) {
    for (const patch of context.patches) {
      for (const { target, via } of patch.targets) {
        if (isReady(target.status) !== false) continue;
        const consequence = target.status.startsWith('does not apply')
          ? 'UAC patching is for per-machine installs only: this patch\'s signature and the product\'s patch certificates play no part there (the user who installed a per-user product patches it, a managed per-user install needs an administrator). Make the product per-machine if non-administrators are to patch a machine-wide install.'
          : 'Non-administrators will get a UAC prompt for this patch however it is signed. Fix the product (the finding on it says how) and ship it before relying on UAC patching.';
        context.report({
          element: patch.element,
          message: `${patchName(patch)} targets ${target.label} (found through ${via}), which cannot accept UAC patches: ${target.status}. ${consequence}`,
          related: [targetLocation(target, `target product ${target.productCode || target.label}`)],
        });
      }
    }
  },
};
