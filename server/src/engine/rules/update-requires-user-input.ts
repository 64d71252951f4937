/**
 * Flags an update in a WSUS/SCUP publishing manifest whose InstallProperties (or, as information,
 * UninstallProperties) say it can request user input: a Windows Update Agent application running
 * under the Secondary Logon (Run As) service cannot install it (WU_E_NO_INTERACTIVE_USER).
 */

import type { SdpBooleanAttribute, SdpInstallableItem, SdpManifest } from '../manifest/sdp';
import type { Fix } from '../types';
import type { Rule } from './rule';

const ERROR = 'WU_E_NO_INTERACTIVE_USER (0x80240020)';

export const updateRequiresUserInput: Rule = {
  id: 'update-requires-user-input',
  defaultSeverity: 'warning',
  description: 'An update in a WSUS/SCUP publishing manifest can request user input, so Windows Update Agent applications running under Secondary Logon (Run As) cannot install it.',
  check(context) {
    for (const manifest of context.manifests) {
      for (const item of manifest.items) {
        const install = item.installCanRequestUserInput;
        if (install?.value === true) {
          context.report({
            source: manifest.source,
            node: install.element,
            span: install.attribute.span,
            message:
              `${describeItem(manifest, item)} can request user input (InstallProperties/@CanRequestUserInput="${install.attribute.value ?? ''}"): ` +
              `Windows Update Agent applications running under the Secondary Logon (Run As) service cannot install it — the installation fails with ${ERROR}. ` +
              'Make the installer run without prompting (a silent command line) and set CanRequestUserInput to false.',
            fixes: [setToFalse(manifest, install)],
          });
        }
        const uninstall = item.uninstallCanRequestUserInput;
        if (uninstall?.value === true) {
          context.report({
            source: manifest.source,
            node: uninstall.element,
            span: uninstall.attribute.span,
            severity: 'information',
            message:
              `${describeItem(manifest, item)} can request user input when it is removed (UninstallProperties/@CanRequestUserInput="${uninstall.attribute.value ?? ''}"): ` +
              `removing it through a Windows Update Agent application running under the Secondary Logon (Run As) service fails the same way, with ${ERROR}. ` +
              'If the uninstall runs without prompting, set CanRequestUserInput to false.',
            fixes: [setToFalse(manifest, uninstall)],
          });
        }
      }
    }
  },
};

/** 'Update "Contoso Tools Hotfix 1" (item 5f0a…)', or what is known of it. */
function describeItem(manifest: SdpManifest, item: SdpInstallableItem): string {
  const id = item.id ? `item ${item.id}` : undefined;
  if (manifest.title) return `Update "${manifest.title}"${id ? ` (${id})` : ''}`;
  if (id) return `Update ${id}`;
  return manifest.packageId ? `An installable item of package ${manifest.packageId}` : 'This installable item';
}

/** Replaces only the text between the quotes, so the quote character stays as authored. */
function setToFalse(manifest: SdpManifest, flag: SdpBooleanAttribute): Fix {
  const span = flag.attribute.valueSpan ?? flag.attribute.span;
  return {
    title: 'Set CanRequestUserInput to false',
    isPreferred: true,
    edits: [{ file: manifest.source.path, range: manifest.source.range(span), newText: 'false' }],
  };
}
