// The client's own strings (status bar, commands, messages, the package view's page) in Spanish:
// l10n/bundle.l10n.es.json has exactly the messages @vscode/l10n-dev extracts from client/src, each
// with the same placeholders. VS Code loads that bundle through package.json's "l10n" folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { getL10nJson, type l10nJsonFormat, type l10nJsonMessageFormat } from '@vscode/l10n-dev';

const repoRoot = path.join(__dirname, '..', '..');
const clientSources = path.join(repoRoot, 'client', 'src');
const bundlePath = path.join(repoRoot, 'l10n', 'bundle.l10n.es.json');

const messageOf = (entry: l10nJsonMessageFormat): string => (typeof entry === 'string' ? entry : entry.message);
const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((match) => match[0]).sort();

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('client strings in Spanish (l10n/bundle.l10n.es.json)', () => {
  let extracted: l10nJsonFormat;
  const spanish = JSON.parse(fs.readFileSync(bundlePath, 'utf8')) as Record<string, string>;

  before(async () => {
    extracted = await getL10nJson(sourceFiles(clientSources).map((file) => ({ contents: fs.readFileSync(file, 'utf8'), extension: path.extname(file) })));
  });

  it('is the bundle VS Code loads for the client', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { l10n?: string };
    assert.equal(path.resolve(repoRoot, manifest.l10n ?? ''), path.dirname(bundlePath));
  });

  it('finds the client strings (a sanity check of the extraction)', () => {
    // Strings from each part of the client: the status bar, the walkthrough commands, the package view.
    for (const message of ['Click to open the Problems panel.', 'Pick the .msp to check', 'Summary information']) {
      assert.ok(message in extracted, `"${message}" was not extracted from client/src`);
    }
  });

  it('translates every client string and nothing else', () => {
    const keys = Object.keys(extracted).sort();
    assert.deepEqual(keys.filter((key) => !(key in spanish)), [], 'client strings without a Spanish translation');
    assert.deepEqual(Object.keys(spanish).filter((key) => !(key in extracted)), [], 'translations of strings the client no longer has');
  });

  it('keeps the placeholders of each message', () => {
    const differences = Object.entries(extracted).flatMap(([key, entry]) => {
      const english = placeholders(messageOf(entry));
      const translated = placeholders(spanish[key] ?? '');
      return JSON.stringify(english) === JSON.stringify(translated) ? [] : [`${key}: ${english.join(' ')} ≠ ${translated.join(' ')}`];
    });
    assert.deepEqual(differences, []);
  });

  it('leaves no sentence in English', () => {
    // More than one word: names and units (`wix-uac: {0}`, `— {0} bytes`) read the same in Spanish.
    const words = (text: string): number => text.split(/\s+/).filter((token) => /\p{L}/u.test(token)).length;
    const untranslated = Object.keys(extracted).filter((key) => words(key) > 1 && spanish[key] === key);
    assert.deepEqual(untranslated, []);
  });
});
