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

describe('extension manifest', () => {
  it('offers a wixUac.rules setting for every rule, with the five severities and a link to its page', () => {
    const settings = manifest.contributes.configuration.properties['wixUac.rules'].properties ?? {};
    assert.deepEqual(Object.keys(settings).sort(), allRules.map((rule) => rule.id).sort());
    for (const rule of allRules) {
      assert.ok(settings[rule.id].markdownDescription.startsWith(rule.description), `the description of ${rule.id} in package.json is out of date`);
    }
    for (const [ruleId, setting] of Object.entries(settings)) {
      assert.deepEqual(setting.enum, ['off', 'hint', 'information', 'warning', 'error'], ruleId);
      assert.match(setting.markdownDescription, new RegExp(`\\]\\(https://[^)]+/docs/rules/${ruleId}\\.md\\)`), ruleId);
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
