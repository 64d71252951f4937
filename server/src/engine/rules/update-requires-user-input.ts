/**
 * Flags an update in a WSUS/SCUP publishing manifest whose InstallProperties (or, as information,
 * UninstallProperties) say it can request user input: a Windows Update Agent application running
 * under the Secondary Logon (Run As) service cannot install it (WU_E_NO_INTERACTIVE_USER).
 */

import * as l10n from '@vscode/l10n';
import type { SdpBooleanAttribute, SdpInstallableItem, SdpManifest } from '../manifest/sdp';
import type { Fix } from '../types';
import type { Rule } from './rule';

const ERROR = 'WU_E_NO_INTERACTIVE_USER (0x80240020)';

export const updateRequiresUserInput: Rule = {
  id: 'update-requires-user-input',
  defaultSeverity: 'warning',
  get description() {
    return l10n.t('An update in a WSUS/SCUP publishing manifest can request user input, so Windows Update Agent applications running under Secondary Logon (Run As) cannot install it.');
  },
  check(context) {
    for (const manifest of context.manifests) {
      for (const item of manifest.items) {
        const install = item.installCanRequestUserInput;
        if (install?.value === true) {
          context.report({
            source: manifest.source,
            node: install.element,
            span: install.attribute.span,
            message: l10n.t('{0} can request user input ({1}): Windows Update Agent applications running under the Secondary Logon (Run As) service cannot install it — the installation fails with {2}. Make the installer run without prompting (a silent command line) and set CanRequestUserInput to false.', describeItem(manifest, item), `InstallProperties/@CanRequestUserInput="${install.attribute.value ?? ''}"`, ERROR),
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
            message: l10n.t('{0} can request user input when it is removed ({1}): removing it through a Windows Update Agent application running under the Secondary Logon (Run As) service fails the same way, with {2}. If the uninstall runs without prompting, set CanRequestUserInput to false.', describeItem(manifest, item), `UninstallProperties/@CanRequestUserInput="${uninstall.attribute.value ?? ''}"`, ERROR),
            fixes: [setToFalse(manifest, uninstall)],
          });
        }
      }
    }
  },
};

/** 'Update "Contoso Tools Hotfix 1" (item 5f0a…)', or what is known of it. */
function describeItem(manifest: SdpManifest, item: SdpInstallableItem): string {
  if (manifest.title) return item.id ? l10n.t('Update "{0}" (item {1})', manifest.title, item.id) : l10n.t('Update "{0}"', manifest.title);
  if (item.id) return l10n.t('Update item {0}', item.id);
  return manifest.packageId ? l10n.t('An installable item of package {0}', manifest.packageId) : l10n.t('This installable item');
}

/** Replaces only the text between the quotes, so the quote character stays as authored. */
function setToFalse(manifest: SdpManifest, flag: SdpBooleanAttribute): Fix {
  const span = flag.attribute.valueSpan ?? flag.attribute.span;
  return {
    title: l10n.t('Set {0} to false', 'CanRequestUserInput'),
    isPreferred: true,
    edits: [{ file: manifest.source.path, range: manifest.source.range(span), newText: 'false' }],
  };
}
