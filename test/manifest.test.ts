// What the extension manifest promises VS Code: a setting for every rule, and files that exist.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { allRules } from '../server/src/engine/rules';

const repoRoot = path.join(__dirname, '..', '..');

interface Manifest {
  main: string;
  activationEvents: string[];
  contributes: {
    grammars: Array<{ path: string }>;
    jsonValidation: Array<{ url: string }>;
    configuration: { properties: Record<string, { properties?: Record<string, { enum: string[]; markdownDescription: string }> }> };
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
/** The English texts of the manifest's %keys% (test/manifest-l10n.test.ts checks the Spanish ones). */
const english = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
const localized = (value: string): string => english[/^%([\w.-]+)%$/.exec(value)?.[1] ?? ''] ?? value;

describe('extension manifest', () => {
  it('offers a wixUac.rules setting for every rule, with the five severities and a link to its page', () => {
    const settings = manifest.contributes.configuration.properties['wixUac.rules'].properties ?? {};
    assert.deepEqual(Object.keys(settings).sort(), allRules.map((rule) => rule.id).sort());
    for (const rule of allRules) {
      // The setting is Markdown: element names are written as code there (`<Patch>`), which is the only difference allowed.
      assert.ok(localized(settings[rule.id].markdownDescription).replace(/`/g, '').startsWith(rule.description), `the description of ${rule.id} in package.json is out of date`);
    }
    for (const [ruleId, setting] of Object.entries(settings)) {
      assert.deepEqual(setting.enum, ['off', 'hint', 'information', 'warning', 'error'], ruleId);
      assert.match(localized(setting.markdownDescription), new RegExp(`\\]\\(https://[^)]+/docs/rules/${ruleId}\\.md\\)`), ruleId);
      assert.ok(fs.existsSync(path.join(repoRoot, 'docs', 'rules', `${ruleId}.md`)), `docs/rules/${ruleId}.md is missing`);
    }
  });

  it('activates in folders with WiX sources or projects', () => {
    for (const pattern of ['**/*.wxs', '**/*.wxi', '**/*.wixproj']) assert.ok(manifest.activationEvents.includes(`workspaceContains:${pattern}`), pattern);
  });

  it('points at files that exist (after npm run build)', () => {
    const files = [manifest.main, ...manifest.contributes.grammars.map((grammar) => grammar.path), ...manifest.contributes.jsonValidation.map((validation) => validation.url)];
    for (const file of files) assert.ok(fs.existsSync(path.join(repoRoot, file)), `${file} does not exist`);
  });
});
