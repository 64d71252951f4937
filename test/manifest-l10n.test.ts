// The manifest in English and Spanish: every user-visible string package.json contributes is a
// %key% that package.nls.json and package.nls.es.json both define, and a Spanish text keeps what
// VS Code interprets (placeholders, code, links, command buttons, setting links) exactly.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_LOG_LEVEL, LOG_LEVELS } from '../server/src/lsp/log';

const repoRoot = path.join(__dirname, '..', '..');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'));

const manifest = readJson('package.json') as { contributes: Record<string, unknown> };
const english = readJson('package.nls.json') as Record<string, string>;
const spanish = readJson('package.nls.es.json') as Record<string, string>;

/** How VS Code replaces a manifest string: the whole value is `%key%`. */
const NLS_REFERENCE = /^%([\w.-]+)%$/;

interface Found {
  at: string;
  value: string;
}

function stringsIn(value: unknown, at: string, found: Found[] = []): Found[] {
  if (typeof value === 'string') found.push({ at, value });
  else if (Array.isArray(value)) value.forEach((item, index) => stringsIn(item, `${at}[${index}]`, found));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) stringsIn(item, `${at}.${key}`, found);
  return found;
}

/** Properties of contributions that VS Code shows to people. */
const USER_VISIBLE = /\.(title|category|description|markdownDescription|enumDescriptions\[\d+\]|markdownEnumDescriptions\[\d+\]|deprecationMessage|markdownDeprecationMessage|displayName|label|altText|shortTitle)$/;
/** Language aliases are names, shown as they are in every language. */
const NAMES = /^contributes\.languages\[\d+\]\.aliases\[\d+\]$/;

/**
 * What VS Code or the settings/walkthrough renderers act on in a text, as a sorted list: {0}
 * placeholders, code spans (`x` and the walkthrough's ``x``), link targets (command URIs among
 * them), #setting.id# links, and the lines that are only a link (rendered as buttons).
 */
function interpreted(text: string): string[] {
  const tokens = [
    ...[...text.matchAll(/\{\d+\}/g)].map((match) => `placeholder ${match[0]}`),
    ...[...text.matchAll(/(`+)(.+?)\1/g)].map((match) => `code ${match[0]}`),
    ...[...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => `link ${match[1]}`),
    ...[...text.matchAll(/#[A-Za-z][\w.-]*\.[\w.-]+#/g)].map((match) => `setting ${match[0]}`),
    ...text.split('\n').filter((line) => /^\[[^\]]+\]\([^)]+\)$/.test(line.trim())).map((line) => `button ${line.trim().replace(/^\[[^\]]+\]/, '')}`),
  ];
  return tokens.sort();
}

const references = stringsIn(manifest, 'manifest').flatMap(({ value }) => {
  const match = NLS_REFERENCE.exec(value);
  return match ? [match[1]] : [];
});

describe('package.json in English and Spanish', () => {
  it('has a localized text for every user-visible string it contributes', () => {
    const literal = stringsIn(manifest.contributes, 'contributes').filter(({ at, value }) => USER_VISIBLE.test(at) && !NAMES.test(at) && !NLS_REFERENCE.test(value));
    assert.deepEqual(
      literal.map(({ at, value }) => `${at}: ${value}`),
      [],
      'these strings are shown to users but are not %keys% of package.nls.json',
    );
    assert.ok(references.length > 40, `only ${references.length} %keys% found: is package.json still localized?`);
  });

  it('finds every %key% in both package.nls.json and package.nls.es.json', () => {
    const missing = [...new Set(references)].flatMap((key) => [
      ...(key in english ? [] : [`package.nls.json has no ${key}`]),
      ...(key in spanish ? [] : [`package.nls.es.json has no ${key}`]),
    ]);
    assert.deepEqual(missing, []);
  });

  it('has the same keys in both files, and none that package.json does not use', () => {
    assert.deepEqual(Object.keys(spanish).sort(), Object.keys(english).sort());
    const used = new Set(references);
    assert.deepEqual(Object.keys(english).filter((key) => !used.has(key)), [], 'unused keys in package.nls.json');
  });

  it('keeps placeholders, code, links, buttons and setting links in the Spanish texts', () => {
    const differences = Object.keys(english).flatMap((key) => {
      const expected = interpreted(english[key]);
      const actual = interpreted(spanish[key] ?? '');
      return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [`${key}:\n  en ${JSON.stringify(expected)}\n  es ${JSON.stringify(actual)}`];
    });
    assert.deepEqual(differences, []);
  });

  it('translates every text that is more than a name', () => {
    // A sentence left in English is the usual slip; one-word names (wix-uac) and file paths stay.
    const untranslated = Object.keys(english).filter((key) => english[key].trim().split(/\s+/).length > 1 && spanish[key] === english[key]);
    assert.deepEqual(untranslated, []);
  });

  it('links each rule setting to a documentation page that exists, in both languages', () => {
    const rules = (manifest.contributes.configuration as { properties: Record<string, { properties?: Record<string, { markdownDescription?: string }> }> }).properties['wixUac.rules'].properties!;
    assert.equal(Object.keys(rules).length, fs.readdirSync(path.join(repoRoot, 'docs', 'rules')).filter((file) => file.endsWith('.md')).length);
    for (const [ruleId, setting] of Object.entries(rules)) {
      const key = NLS_REFERENCE.exec(setting.markdownDescription ?? '')?.[1];
      assert.ok(key, `wixUac.rules.${ruleId} has no localized description`);
      for (const [language, texts] of [['en', english], ['es', spanish]] as const) {
        const link: string | undefined = /\]\((https:[^)]+)\)/.exec(texts[key])?.[1];
        assert.equal(link, `https://github.com/wix-uac/wix-uac/blob/main/docs/rules/${ruleId}.md`, `${language} ${key}`);
      }
      assert.ok(fs.existsSync(path.join(repoRoot, 'docs', 'rules', `${ruleId}.md`)), `docs/rules/${ruleId}.md is missing`);
    }
  });

  it('offers the levels the server knows in its log level setting, each described', () => {
    const setting = (manifest.contributes.configuration as { properties: Record<string, { enum?: string[]; enumDescriptions?: string[]; default?: string }> }).properties['wixUac.server.logLevel'];
    assert.ok(setting, 'wixUac.server.logLevel is not contributed');
    assert.deepEqual(setting.enum, [...LOG_LEVELS]);
    assert.equal(setting.default, DEFAULT_LOG_LEVEL);
    assert.equal(setting.enumDescriptions?.length, setting.enum.length);
  });
});
