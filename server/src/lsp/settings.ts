// The editor's `wixUac` settings section. Only `rules` reaches the engine; `trace.server` is read by
// the VS Code client itself.
import * as l10n from '@vscode/l10n';
import { allRules, SEVERITY_SETTINGS, type SeveritySetting } from '../engine';

export const SETTINGS_SECTION = 'wixUac';

export interface Settings {
  severityOverrides: Record<string, SeveritySetting>;
}

export interface ReadSettings {
  settings: Settings;
  /** Entries that were ignored, each with the reason, for the user to fix. */
  problems: string[];
}

const ruleIds = new Set(allRules.map((rule) => rule.id));

/** Reads the section as sent by the client; anything unusable is dropped with a reason, never thrown. */
export function readSettings(section: unknown): ReadSettings {
  const severityOverrides: Record<string, SeveritySetting> = {};
  const problems: string[] = [];
  const rules = isObject(section) ? section.rules : undefined;
  if (rules !== undefined && rules !== null && !isObject(rules)) {
    problems.push(l10n.t('{0} must be an object mapping rule ids to {1}.', `${SETTINGS_SECTION}.rules`, SEVERITY_SETTINGS.join('|')));
  } else if (rules) {
    for (const [ruleId, value] of Object.entries(rules)) {
      const name = `${SETTINGS_SECTION}.rules["${ruleId}"]`;
      if (!ruleIds.has(ruleId)) {
        problems.push(l10n.t('{0}: unknown rule id; known rules are {1}.', name, [...ruleIds].join(', ')));
      } else if (!SEVERITY_SETTINGS.includes(value as SeveritySetting)) {
        problems.push(l10n.t('{0}: {1} is not one of {2}.', name, String(JSON.stringify(value)), SEVERITY_SETTINGS.join('|')));
      } else {
        severityOverrides[ruleId] = value as SeveritySetting;
      }
    }
  }
  return { settings: { severityOverrides }, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
