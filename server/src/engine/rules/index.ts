import type { RuleMeta } from '../types';
import { expiredPatchCertificate } from './expired-patch-certificate';
import { installerVersionTooLow } from './installer-version-too-low';
import { invalidCertificateFile } from './invalid-certificate-file';
import { luaPatchingDisabled } from './lua-patching-disabled';
import { luaPatchingPolicyDisabled } from './lua-patching-policy-disabled';
import { missingCertificateFile } from './missing-certificate-file';
import { missingPatchCertificate } from './missing-patch-certificate';
import { perUserInstall } from './per-user-install';
import type { Rule } from './rule';
import { danglingPatchCertificate } from './dangling-patch-certificate';
import { invalidPatchSignature } from './invalid-patch-signature';
import { unreadablePackage } from './unreadable-package';
import { unreferencedDigitalCertificate } from './unreferenced-digital-certificate';
import { unsignedPatch } from './unsigned-patch';
import { patchSigningNotConfigured } from './patch-signing-not-configured';
import { untrustedPatchSigner } from './untrusted-patch-signer';
import { updateRequiresUserInput } from './update-requires-user-input';
import { patchTargetNotReady } from './patch-target-not-ready';

/** Every rule, in documentation order. Ids are public API. */
export const rules: Rule[] = [
  missingPatchCertificate,
  luaPatchingDisabled,
  luaPatchingPolicyDisabled,
  installerVersionTooLow,
  perUserInstall,
  missingCertificateFile,
  invalidCertificateFile,
  expiredPatchCertificate,
  danglingPatchCertificate,
  unreferencedDigitalCertificate,
  unsignedPatch,
  invalidPatchSignature,
  untrustedPatchSigner,
  patchTargetNotReady,
  patchSigningNotConfigured,
  updateRequiresUserInput,
  unreadablePackage,
];

/** The rules' metadata; each description is read in the language of the moment it is read. */
export const allRules: RuleMeta[] = rules.map((rule) => ({
  id: rule.id,
  defaultSeverity: rule.defaultSeverity,
  get description() {
    return rule.description;
  },
}));
