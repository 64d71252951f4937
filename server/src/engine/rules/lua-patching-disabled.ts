/** Flags MSIDISABLELUAPATCHING set to 1 by a Property, SetProperty, type-51 CustomAction or Burn MsiProperty. */

import * as l10n from '@vscode/l10n';
import { describeRow, type DatabaseModel, type DatabaseProperty } from '../package/model';
import { removeRow } from '../package/table-edits';
import type { Fix, TextEdit } from '../types';
import { removeElement } from '../wix/edits';
import type { PropertyAssignment } from '../wix/model';
import type { WixElement } from '../wix/preprocessor';
import { conditionNote, rowLocation, type Rule } from './rule';

export const DISABLE_PROPERTY = 'MSIDISABLELUAPATCHING';

export const luaPatchingDisabled: Rule = {
  id: 'lua-patching-disabled',
  defaultSeverity: 'warning',
  get description() {
    return l10n.t('The product sets MSIDISABLELUAPATCHING, which turns UAC patching off.');
  },
  check(context) {
    const seen = new Set<WixElement>();
    const check = (assignment: PropertyAssignment, scope: WixElement[]): void => {
      // Names are case-sensitive: only the upper-case property has the effect.
      if (assignment.name !== DISABLE_PROPERTY || seen.has(assignment.element)) return;
      seen.add(assignment.element);
      const value = assignment.value.value.trim();
      if (value === '') return;
      const valueAttribute = assignment.valueAttribute ? assignment.element.attribute(assignment.valueAttribute) : undefined;
      const span = valueAttribute?.valueSpan ?? assignment.element.attribute(assignment.nameAttribute)?.valueSpan;
      const by = describeAuthoring(assignment);
      const note = conditionNote(assignment.element);
      const fixes = [removalFix(assignment, scope)];
      if (assignment.value.unresolved.length > 0) {
        context.report({
          element: assignment.element,
          span,
          severity: 'information',
          message: l10n.t('{0} sets {1} to "{2}", which depends on {3} (not defined in the sources){4}. If it is 1 at build time, UAC patching is disabled for this product.', by, DISABLE_PROPERTY, value, assignment.value.unresolved.join(', '), note),
          fixes,
        });
      } else if (value === '1') {
        context.report({
          element: assignment.element,
          span,
          message: l10n.t('{0} sets {1} to 1{2}: Windows Installer then refuses UAC patching for this product, so every patch needs an administrator. Remove it to let non-administrators apply signed patches.', by, DISABLE_PROPERTY, note),
          fixes,
        });
      } else {
        context.report({
          element: assignment.element,
          span,
          severity: 'information',
          message: l10n.t('{0} sets {1} to "{2}"{3}. Only 1 disables UAC patching; any other value only invites confusion — remove the authoring.', by, DISABLE_PROPERTY, value, note),
          fixes,
        });
      }
    };
    for (const product of context.products) for (const assignment of product.properties) check(assignment, product.elements);
    for (const bundle of context.bundles) for (const assignment of bundle.msiProperties) check(assignment, bundle.elements);
    for (const database of context.databases) {
      for (const property of database.properties) {
        if (property.name !== DISABLE_PROPERTY || property.value.trim() === '') continue;
        const by =
          property.authoring === 'CustomAction'
            ? l10n.t('Custom action "{0}" (type 51, {1})', property.action ?? '', describeRow(property.at))
            : property.at.row.line !== undefined
              ? l10n.t('The Property table ({0})', describeRow(property.at))
              : l10n.t('The Property table');
        const isOne = property.value.trim() === '1';
        const removal = removeRows(database, property);
        context.report({
          at: rowLocation(property.at),
          ...(isOne ? {} : { severity: 'information' as const }),
          message: isOne
            ? l10n.t('{0} sets {1} to 1: Windows Installer then refuses UAC patching for this product, so every patch needs an administrator. Remove the row to let non-administrators apply signed patches.', by, DISABLE_PROPERTY)
            : l10n.t('{0} sets {1} to "{2}". Only 1 disables UAC patching; any other value only invites confusion — remove the row.', by, DISABLE_PROPERTY, property.value),
          fixes:
            removal.length > 0
              ? [{ title: property.authoring === 'Property' ? l10n.t('Remove the {0} row', DISABLE_PROPERTY) : l10n.t('Remove custom action {0} and its scheduling', property.action ?? ''), isPreferred: true, edits: removal }]
              : [],
        });
      }
    }
  },
};

/** The Property row, or the custom action row with the sequence rows that schedule it (.idt only). */
function removeRows(database: DatabaseModel, property: DatabaseProperty): TextEdit[] {
  const rows = [property.at];
  if (property.authoring === 'CustomAction') {
    for (const table of database.database.tables.values()) {
      if (!table.name.endsWith('Sequence')) continue;
      const actionColumn = table.columns.findIndex((column) => column.name === 'Action');
      for (const row of table.rows) if (actionColumn >= 0 && row.cells[actionColumn] === property.action) rows.push({ table, row });
    }
  }
  return rows.flatMap((at) => removeRow(at) ?? []);
}

function describeAuthoring(assignment: PropertyAssignment): string {
  switch (assignment.authoring) {
    case 'Property':
    case 'SetProperty':
      return l10n.t({ message: 'This {0}', args: [assignment.authoring], comment: ['{0} is the WiX element: Property or SetProperty'] });
    case 'CustomAction':
      return l10n.t('Custom action "{0}" (type 51)', assignment.element.value('Id') ?? '');
    case 'MsiProperty':
      return l10n.t('The bundle (MsiPackage "{0}")', assignment.element.parent?.value('Id') ?? '');
  }
}

function removalFix(assignment: PropertyAssignment, scope: WixElement[]): Fix {
  const element = assignment.element;
  if (assignment.authoring === 'CustomAction') {
    // The action goes with every <Custom> that schedules it.
    const id = element.value('Id');
    const scheduling = scope.filter((candidate) => candidate.name === 'Custom' && id !== undefined && candidate.value('Action') === id);
    return {
      title: l10n.t('Remove custom action {0} and its scheduling', id ?? ''),
      isPreferred: true,
      edits: [element, ...scheduling].map(removeElement),
    };
  }
  return { title: l10n.t('Remove the {0} that sets {1}', assignment.authoring, DISABLE_PROPERTY), isPreferred: true, edits: [removeElement(element)] };
}
