import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigResolver, effectiveSeverity, isIgnored, parseConfig, type LoadedConfig } from '../server/src/engine/config';
import { MemoryFileSystem } from '../server/src/engine/fs';
import { allRules } from '../server/src/engine/rules';

const root = path.resolve('/projects/contoso');
const at = (...parts: string[]) => path.join(root, ...parts);

describe('ConfigResolver', () => {
  it('uses the nearest wix-uac.json in the file folder or above', () => {
    const fs = new MemoryFileSystem({
      [at('wix-uac.json')]: '{ "rules": { "per-user-install": "off" } }',
      [at('installer', 'wix-uac.json')]: '{ "rules": { "missing-patch-certificate": "error" } }',
      [at('installer', 'src', 'Product.wxs')]: '<Wix/>',
      [at('tools', 'Tool.wxs')]: '<Wix/>',
    });
    const resolver = new ConfigResolver(fs);

    const nested = resolver.forFile(at('installer', 'src', 'Product.wxs'));
    assert.equal(nested.file, at('installer', 'wix-uac.json'));
    // The nearest file applies alone: settings of the outer file are not merged in.
    assert.deepEqual(nested.rules, { 'missing-patch-certificate': 'error' });

    assert.deepEqual(resolver.forFile(at('tools', 'Tool.wxs')).rules, { 'per-user-install': 'off' });
  });

  it('gives defaults without a file, and no problems', () => {
    const config = new ConfigResolver(new MemoryFileSystem({ [at('Product.wxs')]: '<Wix/>' })).forFile(at('Product.wxs'));
    assert.equal(config.file, undefined);
    assert.deepEqual(config.rules, {});
    assert.deepEqual(config.ignore, []);
    assert.deepEqual(config.problems, []);
  });

  it('rereads the file when it changes', () => {
    const fs = new MemoryFileSystem({ [at('wix-uac.json')]: '{ "rules": { "per-user-install": "off" } }' });
    const resolver = new ConfigResolver(fs);
    assert.deepEqual(resolver.forFile(at('Product.wxs')).rules, { 'per-user-install': 'off' });
    fs.write(at('wix-uac.json'), '{ "rules": { "per-user-install": "error" } }');
    assert.deepEqual(resolver.forFile(at('Product.wxs')).rules, { 'per-user-install': 'error' });
    fs.delete(at('wix-uac.json'));
    assert.equal(resolver.forFile(at('Product.wxs')).file, undefined);
  });

  it('reads files saved with a UTF-8 or UTF-16 byte order mark (Notepad, Windows PowerShell)', () => {
    const json = '{ "rules": { "lua-patching-disabled": "hint" } }';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json, 'utf8')]);
    for (const bytes of [utf8, utf16]) {
      const config = new ConfigResolver(new MemoryFileSystem({ [at('wix-uac.json')]: bytes })).forFile(at('Product.wxs'));
      assert.deepEqual(config.problems, []);
      assert.deepEqual(config.rules, { 'lua-patching-disabled': 'hint' });
    }
  });

  it('ignores a folder named wix-uac.json', () => {
    const fs = new MemoryFileSystem({ [at('wix-uac.json', 'notes.txt')]: 'x' });
    assert.equal(new ConfigResolver(fs).forFile(at('Product.wxs')).file, undefined);
  });
});

describe('parseConfig', () => {
  const file = at('wix-uac.json');

  it('reads rules, ignore and accepts $schema', () => {
    const config = parseConfig(file, JSON.stringify({
      $schema: './node_modules/wix-uac/schemas/wix-uac.schema.json',
      rules: { 'missing-patch-certificate': 'error', 'expired-patch-certificate': 'off' },
      ignore: ['build/**'],
    }));
    assert.deepEqual(config, {
      file,
      rules: { 'missing-patch-certificate': 'error', 'expired-patch-certificate': 'off' },
      ignore: ['build/**'],
      problems: [],
    });
  });

  it('reports broken JSON with its line and column, and falls back to defaults', () => {
    const config = parseConfig(file, '{\n  "rules": {\n    "per-user-install": "off",\n  }\n}');
    assert.deepEqual(config.rules, {});
    assert.equal(config.problems.length, 1);
    assert.match(config.problems[0], /^Not valid JSON: .*line 4,? column 3/);
  });

  it('is strict JSON: comments are reported, not skipped', () => {
    const config = parseConfig(file, '{ // team settings\n "rules": {} }');
    assert.match(config.problems.join('\n'), /Not valid JSON/);
  });

  it('reports an empty file and a non-object', () => {
    assert.match(parseConfig(file, '').problems.join(), /Not valid JSON/);
    assert.match(parseConfig(file, '["build/**"]').problems.join(), /must hold a JSON object/);
  });

  it('keeps the valid entries and names each invalid one', () => {
    const config = parseConfig(file, JSON.stringify({
      rules: { 'missing-patch-certificate': 'warn', 'missing-patch-certficate': 'off', 'per-user-install': 'error' },
      ignore: ['out/**', 42, '', 'bin\\Debug\\**', '/obj/**'],
      exclude: ['x'],
    }));
    assert.deepEqual(config.rules, { 'per-user-install': 'error' });
    assert.deepEqual(config.ignore, ['out/**', 'bin\\Debug\\**', '/obj/**']);
    const problems = config.problems.join('\n');
    assert.match(problems, /Severity of "missing-patch-certificate" must be one of "off", "hint", "information", "warning", "error", not "warn"/);
    assert.match(problems, /Unknown rule id "missing-patch-certficate"/);
    assert.match(problems, /42 is ignored/);
    assert.match(problems, /"" is ignored/);
    assert.match(problems, /"bin\\Debug\\\*\*" contains a backslash/);
    assert.match(problems, /"\/obj\/\*\*" starts with "\/" and matches nothing/);
    assert.match(problems, /Unknown key "exclude"/);
    assert.equal(config.problems.length, 7);
  });

  it('reports rules and ignore of the wrong type', () => {
    const config = parseConfig(file, '{ "rules": ["per-user-install"], "ignore": "build/**" }');
    assert.deepEqual(config.rules, {});
    assert.deepEqual(config.ignore, []);
    assert.match(config.problems.join('\n'), /"rules" must be an object/);
    assert.match(config.problems.join('\n'), /"ignore" must be an array/);
  });
});

describe('effectiveSeverity', () => {
  const config: LoadedConfig = { file: at('wix-uac.json'), rules: { 'per-user-install': 'error', 'lua-patching-disabled': 'off' }, ignore: [], problems: [] };

  it('takes the editor override, then the file, then the default', () => {
    assert.equal(effectiveSeverity('per-user-install', 'information', config, { 'per-user-install': 'hint' }), 'hint');
    assert.equal(effectiveSeverity('per-user-install', 'information', config, {}), 'error');
    assert.equal(effectiveSeverity('lua-patching-disabled', 'warning', config), 'off');
    assert.equal(effectiveSeverity('missing-patch-certificate', 'warning', config), 'warning');
  });
});

describe('isIgnored', () => {
  const config = (file: string, ignore: string[]): LoadedConfig => ({ file, rules: {}, ignore, problems: [] });

  it('matches globs against the path relative to the config folder', () => {
    const posix = config('/repo/installer/wix-uac.json', ['build/**', '**/*.generated.wxs', '.wix/**']);
    assert.equal(isIgnored('/repo/installer/build/x64/Product.wxs', posix), true);
    assert.equal(isIgnored('/repo/installer/build', posix), true, 'a folder can be skipped whole');
    assert.equal(isIgnored('/repo/installer/src/Files.generated.wxs', posix), true);
    assert.equal(isIgnored('/repo/installer/Files.generated.wxs', posix), true);
    assert.equal(isIgnored('/repo/installer/.wix/cache.wxs', posix), true, 'dot folders are matched too');
    assert.equal(isIgnored('/repo/installer/src/Product.wxs', posix), false);
    assert.equal(isIgnored('/repo/installer/src/build/Product.wxs', posix), false, 'globs are anchored at the config folder');
    assert.equal(isIgnored('/repo/build/Product.wxs', posix), false, 'files outside the config folder are not matched');
  });

  it('matches Windows paths with forward-slash globs, ignoring case', () => {
    const windows = config('C:\\src\\Installer\\wix-uac.json', ['Build/**', 'obj/**']);
    assert.equal(isIgnored('C:\\src\\Installer\\build\\Product.wxs', windows), true);
    assert.equal(isIgnored('c:\\SRC\\installer\\obj\\Debug\\Product.wxs', windows), true);
    assert.equal(isIgnored('C:\\src\\Installer\\Product.wxs', windows), false);
    assert.equal(isIgnored('D:\\src\\Installer\\build\\Product.wxs', windows), false);
  });

  it('ignores nothing without a config file or globs', () => {
    assert.equal(isIgnored('/repo/build/Product.wxs', { rules: {}, ignore: ['build/**'], problems: [] }), false);
    assert.equal(isIgnored('/repo/build/Product.wxs', config('/repo/wix-uac.json', [])), false);
  });
});

describe('schemas/wix-uac.schema.json', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'wix-uac.schema.json'), 'utf8'));
  const ruleProperties = schema.properties.rules.properties as Record<string, { description: string; enum: string[]; default: string }>;

  it('describes every rule, and no other, with its default severity and description', () => {
    assert.deepEqual(Object.keys(ruleProperties), allRules.map((rule) => rule.id));
    for (const rule of allRules) {
      assert.equal(ruleProperties[rule.id].description, rule.description, rule.id);
      assert.equal(ruleProperties[rule.id].default, rule.defaultSeverity, rule.id);
      assert.deepEqual(ruleProperties[rule.id].enum, ['off', 'hint', 'information', 'warning', 'error'], rule.id);
    }
  });

  it('allows exactly the keys the configuration reader accepts', () => {
    assert.deepEqual(Object.keys(schema.properties), ['$schema', 'rules', 'ignore']);
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.rules.additionalProperties, false);
    assert.equal(schema.properties.ignore.items.type, 'string');
  });
});
