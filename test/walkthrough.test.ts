// The walkthrough "Make your product patchable without UAC prompts": every button and completion
// event names a command the extension contributes and registers, every media file exists in both
// languages, the WiX the walkthrough teaches really satisfies the rules, and the choices behind its
// commands (which finding to open, which patch to offer first).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as ids from '../client/src/commands';
import { findingToFix, MISSING_PATCH_CERTIFICATE, orderPatches, type DiagnosticLike } from '../client/src/walkthrough-choices';
import { allRules, Engine, NodeFileSystem } from '../server/src/engine';

const repoRoot = path.join(__dirname, '..', '..');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'));

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; svg?: string };
  completionEvents?: string[];
}

const manifest = readJson('package.json') as {
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; title: string; steps: Step[] }[] };
};
const languages = { en: readJson('package.nls.json'), es: readJson('package.nls.es.json') } as Record<'en' | 'es', Record<string, string>>;
const localized = (value: string, language: 'en' | 'es'): string => languages[language][/^%(.+)%$/.exec(value)?.[1] ?? ''] ?? value;

const walkthrough = manifest.contributes.walkthroughs.find((candidate) => candidate.id === ids.WALKTHROUGH_ID);
const contributed = new Set(manifest.contributes.commands.map((command) => command.command));
const steps = walkthrough?.steps ?? [];
const mediaOf = (step: Step, language: 'en' | 'es'): string => localized(step.media.markdown ?? step.media.image ?? step.media.svg ?? '', language);
const codeBlocks = (markdown: string): string[] => [...markdown.matchAll(/^ *```(\w*)\n([\s\S]*?)^ *```$/gm)].map((match) => `${match[1]}\n${match[2]}`);
/** Sources and commands, which read the same in every language (`text` blocks show output, which is translated). */
const programBlocks = (markdown: string): string[] => codeBlocks(markdown).filter((block) => !block.startsWith('text\n'));

describe('walkthrough contribution', () => {
  it('has the three steps of making a product patchable, titled in both languages', () => {
    assert.ok(walkthrough, `no walkthrough with id ${ids.WALKTHROUGH_ID}`);
    assert.deepEqual(
      steps.map((step) => step.id),
      ['analyze', 'patchCertificate', 'signAndCheck'],
    );
    assert.equal(localized(walkthrough.title, 'en'), 'Make your product patchable without UAC prompts');
    assert.notEqual(localized(walkthrough.title, 'es'), localized(walkthrough.title, 'en'));
  });

  it('has a button in each step that runs a contributed command, in both languages', () => {
    for (const step of steps) {
      for (const language of ['en', 'es'] as const) {
        const description = localized(step.description, language);
        const buttons = description.split('\n').flatMap((line) => /^\[[^\]]+\]\(command:([\w.-]+)\)$/.exec(line.trim())?.[1] ?? []);
        assert.equal(buttons.length, 1, `${language} ${step.id}: ${description}`);
        assert.ok(contributed.has(buttons[0]), `${language} ${step.id}: ${buttons[0]} is not in contributes.commands`);
      }
    }
  });

  it('completes steps on events that can happen: contributed commands and context keys the client sets', () => {
    const contextKeys = new Set([ids.ANALYZED_CONTEXT, ids.MISSING_CERTIFICATES_CONTEXT]);
    for (const step of steps) {
      assert.ok(step.completionEvents && step.completionEvents.length > 0, `${step.id} has no completion event`);
      for (const event of step.completionEvents) {
        const [kind, argument] = [event.slice(0, event.indexOf(':')), event.slice(event.indexOf(':') + 1)];
        if (kind === 'onCommand') assert.ok(contributed.has(argument), `${step.id}: ${event} names no contributed command`);
        else if (kind === 'onContext') {
          for (const key of argument.match(/[A-Za-z][\w]*\.[\w.]+/g) ?? []) assert.ok(contextKeys.has(key), `${step.id}: ${key} is not a context key the client sets`);
        } else assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
    }
  });

  // The server's command (analyzeWorkspace) is announced in initialize; test/lsp.test.ts checks that.
  it('contributes exactly the commands the client registers and the server offers', () => {
    assert.deepEqual([...contributed].sort(), [ids.ANALYZE_WORKSPACE_COMMAND, ...ids.CLIENT_COMMANDS].sort());
    const clientSource = fs
      .readdirSync(path.join(repoRoot, 'client', 'src'))
      .map((file) => fs.readFileSync(path.join(repoRoot, 'client', 'src', file), 'utf8'))
      .join('\n');
    for (const [name, value] of Object.entries(ids)) {
      if (typeof value === 'string' && ids.CLIENT_COMMANDS.includes(value)) assert.ok(clientSource.includes(`registerCommand(${name}`), `client/src never registers ${name} (${value})`);
    }
  });

  it('ships each step\'s media in English and in Spanish, with the same code', () => {
    for (const step of steps) {
      const [englishFile, spanishFile] = [mediaOf(step, 'en'), mediaOf(step, 'es')];
      assert.notEqual(spanishFile, englishFile, `${step.id}: the Spanish media is the English file`);
      for (const file of [englishFile, spanishFile]) {
        assert.ok(file.startsWith('media/walkthrough/'), `${file} is outside media/walkthrough/ (the .vsix ships media/**)`);
        assert.ok(fs.statSync(path.join(repoRoot, file)).size > 200, `${file} is missing or nearly empty`);
      }
      const [english, spanish] = [englishFile, spanishFile].map((file) => fs.readFileSync(path.join(repoRoot, file), 'utf8'));
      assert.equal((english.match(/^```/gm) ?? []).length % 2, 0, `${englishFile}: unbalanced code fence`);
      assert.deepEqual(programBlocks(spanish), programBlocks(english), `${step.id}: the code in the Spanish media differs from the English`);
    }
  });

  it('names only real rules in its media', () => {
    const ruleIds = new Set(allRules.map((rule) => rule.id));
    const ruleLike = /`([a-z]+(?:-[a-z]+){2,})`/g;
    for (const step of steps) {
      for (const language of ['en', 'es'] as const) {
        const text = fs.readFileSync(path.join(repoRoot, mediaOf(step, language)), 'utf8') + localized(step.description, language);
        for (const [, id] of text.matchAll(ruleLike)) assert.ok(ruleIds.has(id), `${language} ${step.id} names ${id}, which is not a rule`);
      }
    }
  });
});

describe('the WiX the walkthrough teaches', () => {
  const certificate = path.join(repoRoot, 'test', 'fixtures', 'certificates', 'contoso-patch-signing.cer');
  const [v4Snippet, v3Snippet] = codeBlocks(fs.readFileSync(path.join(repoRoot, 'media', 'walkthrough', 'patch-certificate.md'), 'utf8'))
    .filter((block) => block.startsWith('xml\n'))
    .map((block) => block.slice('xml\n'.length));
  let folder: string;

  before(() => {
    folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-walkthrough-')));
    fs.mkdirSync(path.join(folder, 'certs'));
    fs.copyFileSync(certificate, path.join(folder, 'certs', 'contoso-patch-signing.cer'));
  });

  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** The rule ids reported for `product` saved as Product.wxs next to certs/. */
  function rulesFor(product: string): string[] {
    fs.writeFileSync(path.join(folder, 'Product.wxs'), product);
    const result = new Engine(new NodeFileSystem(), { now: () => new Date('2030-01-01T00:00:00Z') }).analyze({ roots: [folder] });
    assert.deepEqual(result.notices, [], 'the snippet could not be read');
    return result.findings.map((finding) => finding.ruleId).sort();
  }

  const withoutCertificates = (snippet: string): string => snippet.replace(/\s*<PatchCertificates>[\s\S]*?<\/PatchCertificates>/, '');

  it('WiX v4: the Package with PatchCertificates is ready; without them it is reported', () => {
    assert.match(v4Snippet, /^<Package /);
    const wrap = (snippet: string): string => `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n${snippet}</Wix>\n`;
    assert.deepEqual(rulesFor(wrap(v4Snippet)), []);
    assert.deepEqual(rulesFor(wrap(withoutCertificates(v4Snippet))), [MISSING_PATCH_CERTIFICATE]);
  });

  it('WiX v3: InstallerVersion 300 and a per-machine scope are both needed, as the page says', () => {
    assert.match(v3Snippet, /^<Product /);
    const wrap = (snippet: string): string => `<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\n${snippet}</Wix>\n`;
    assert.deepEqual(rulesFor(wrap(v3Snippet)), []);
    assert.deepEqual(rulesFor(wrap(withoutCertificates(v3Snippet))), [MISSING_PATCH_CERTIFICATE]);
    assert.deepEqual(rulesFor(wrap(v3Snippet.replace(/\s+InstallerVersion="300"/, ''))), ['installer-version-too-low']);
    assert.deepEqual(rulesFor(wrap(v3Snippet.replace(/\s+InstallScope="perMachine"/, ''))), ['per-user-install']);
  });
});

describe('which finding "Add a patch certificate" opens', () => {
  const at = (line: number, code: string, source = 'wix-uac'): DiagnosticLike => ({ source, code, message: code, severity: 1, range: { start: { line, character: 2 } } });

  it('prefers a WiX source over an .idt table over a built package, then the first by path and line', () => {
    const files = [
      { path: '/ws/bin/Release/Product.msi', diagnostics: [at(0, MISSING_PATCH_CERTIFICATE)] },
      { path: '/ws/idt/Property.idt', diagnostics: [at(3, MISSING_PATCH_CERTIFICATE)] },
      { path: '/ws/src/b.wxs', diagnostics: [at(2, MISSING_PATCH_CERTIFICATE)] },
      { path: '/ws/src/a.wxs', diagnostics: [at(9, 'lua-patching-disabled'), at(7, MISSING_PATCH_CERTIFICATE), at(4, MISSING_PATCH_CERTIFICATE)] },
    ];
    const choice = findingToFix(files, MISSING_PATCH_CERTIFICATE);
    assert.equal(choice?.path, '/ws/src/a.wxs');
    assert.equal(choice?.diagnostic.range.start.line, 4);
    assert.equal(choice?.editable, true);
    assert.equal(findingToFix(files.slice(0, 2), MISSING_PATCH_CERTIFICATE)?.path, '/ws/idt/Property.idt');
  });

  it('opens a built package only when nothing else has the finding, and ignores other tools', () => {
    const choice = findingToFix(
      [
        { path: '/ws/Product.wxs', diagnostics: [at(1, MISSING_PATCH_CERTIFICATE, 'xml')] },
        { path: '/ws/bin/Product.msi', diagnostics: [{ ...at(0, 'x'), code: { value: MISSING_PATCH_CERTIFICATE } }] },
      ],
      MISSING_PATCH_CERTIFICATE,
    );
    assert.equal(choice?.path, '/ws/bin/Product.msi');
    assert.equal(choice?.editable, false);
    assert.equal(findingToFix([{ path: '/ws/Product.wxs', diagnostics: [at(1, 'per-user-install')] }], MISSING_PATCH_CERTIFICATE), undefined);
  });
});

describe('the order "Check a patch" offers patches in', () => {
  it('puts the newest build first and shows its most severe wix-uac finding', () => {
    const unsigned: DiagnosticLike = { source: 'wix-uac', code: 'unsigned-patch', message: 'not signed', severity: 0, range: { start: { line: 0, character: 0 } } };
    const expired: DiagnosticLike = { source: 'wix-uac', code: 'expired-patch-certificate', message: 'expired', severity: 2, range: { start: { line: 0, character: 0 } } };
    const choices = orderPatches([
      { path: '/ws/old/Hotfix1.msp', modified: 1_000, diagnostics: [] },
      { path: '/ws/bin/Hotfix2.msp', modified: 5_000, diagnostics: [expired, unsigned] },
      { path: '/ws/bin/Hotfix3.msp', modified: 3_000, diagnostics: [{ ...unsigned, source: 'other' }] },
    ]);
    assert.deepEqual(
      choices.map((choice) => [path.basename(choice.path), choice.worst?.code]),
      [
        ['Hotfix2.msp', 'unsigned-patch'],
        ['Hotfix3.msp', undefined],
        ['Hotfix1.msp', undefined],
      ],
    );
  });
});
