/** Flags a package that writes the machine-wide DisableLUAPatching policy. */

import * as l10n from '@vscode/l10n';
import { describeRow, type DatabaseModel, type DatabaseRegistryWrite } from '../package/model';
import { removeRow } from '../package/table-edits';
import { removeElement } from '../wix/edits';
import type { ProductModel, RegistryWrite } from '../wix/model';
import { conditionNote, rowLocation, type Rule } from './rule';

const POLICY_KEY = /^software\\policies\\microsoft\\windows\\installer$/i;

export const luaPatchingPolicyDisabled: Rule = {
  id: 'lua-patching-policy-disabled',
  defaultSeverity: 'warning',
  get description() {
    return l10n.t('The package writes the DisableLUAPatching machine policy, which turns UAC patching off for every product on the machine.');
  },
  check(context) {
    const seen = new Set<RegistryWrite['element']>();
    for (const product of context.products) {
      for (const write of product.registryWrites) {
        const policy = seen.has(write.element) ? undefined : disablingPolicy(write, product);
        if (!policy) continue;
        const { value, unresolved } = policy;
        seen.add(write.element);
        const note = conditionNote(write.element);
        context.report({
          element: write.element,
          span: write.element.attribute('Name')?.valueSpan,
          severity: unresolved.length > 0 ? 'information' : undefined,
          message:
            unresolved.length > 0
              ? l10n.t('This RegistryValue writes the DisableLUAPatching policy with a value that depends on {0}{1}; if it is non-zero, UAC patching is disabled for every product on the machine.', unresolved.join(', '), note)
              : l10n.t('This RegistryValue sets the DisableLUAPatching policy to {0} under {1}{2}: it turns UAC patching off for every product on the machine, not only this one. Remove it; administrators set this policy through Group Policy.', value, `HKLM\\${write.key}`, note),
          fixes: [{ title: l10n.t('Remove the DisableLUAPatching registry value'), isPreferred: true, edits: [removeElement(write.element)] }],
        });
      }
    }
    for (const database of context.databases) {
      for (const write of database.registryWrites) {
        const value = databasePolicyValue(write, database);
        if (value === undefined) continue;
        const removal = removeRow(write.at);
        context.report({
          at: rowLocation(write.at),
          message: l10n.t('Registry row "{0}" ({1}) sets the DisableLUAPatching policy to {2} under {3}: it turns UAC patching off for every product on the machine, not only this one. Remove it; administrators set this policy through Group Policy.', String(write.at.row.cells[0]), describeRow(write.at), value, `HKLM\\${write.key}`),
          fixes: removal ? [{ title: l10n.t('Remove the DisableLUAPatching registry row'), isPreferred: true, edits: [removal] }] : [],
        });
      }
    }
  },
};

/** The non-zero DWORD a Registry row writes to the machine policy, or undefined. */
export function databasePolicyValue(write: DatabaseRegistryWrite, database: DatabaseModel): number | undefined {
  // Root 2 is HKLM; -1 (HKMU) is HKLM in a per-machine install.
  if (!(write.root === 2 || (write.root === -1 && database.scope.perMachine))) return undefined;
  if (write.name?.toLowerCase() !== 'disableluapatching' || !POLICY_KEY.test(write.key.replace(/\\{2,}/g, '\\'))) return undefined;
  // "#1" is a DWORD; "#x1" hexadecimal. A plain "1" would be a string, which the policy ignores.
  const match = /^#(x?)([0-9A-Fa-f]+)$/.exec((write.value ?? '').trim());
  const value = match ? parseInt(match[2], match[1] ? 16 : 10) : NaN;
  return Number.isFinite(value) && value !== 0 ? value : undefined;
}

/** The policy value this write sets when it disables UAC patching machine-wide (non-zero, or unknown). */
export function disablingPolicy(write: RegistryWrite, product: ProductModel): { value: string; unresolved: string[] } | undefined {
  if (!writesMachinePolicy(write, product)) return undefined;
  const value = (write.value ?? '').replace(/^#/, '').trim();
  const unresolved = write.element.resolved('Value')?.unresolved ?? [];
  if (unresolved.length === 0 && (!/^-?\d+$/.test(value) || Number(value) === 0)) return undefined;
  return { value, unresolved };
}

const POLICY_VALUE_NAME = 'disableluapatching';
/** What a start tag holds when its Name may be the policy value: the name itself, or a reference that could make it. */
const MAY_NAME_POLICY = /disableluapatching|[$&]/i;

function writesMachinePolicy(write: RegistryWrite, product: ProductModel): boolean {
  // A harvested source has thousands of registry values: one native search of each start tag
  // settles most of them, where reading each one's Name was a measurable part of a lint.
  const { start, end } = write.element.xml.startTagSpan;
  if (!MAY_NAME_POLICY.test(write.element.source.text.slice(start, end))) return false;
  const name = write.name;
  if (name?.length !== POLICY_VALUE_NAME.length || name.toLowerCase() !== POLICY_VALUE_NAME) return false;
  if (!POLICY_KEY.test(write.key.replace(/\\{2,}/g, '\\'))) return false;
  const root = (write.root ?? '').toUpperCase();
  // HKMU is HKLM in a per-machine install.
  return root === 'HKLM' || (root === 'HKMU' && product.scope.perMachine);
}
