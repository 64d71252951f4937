// The server's and the CLI's text in Spanish: the bundle matches what the code asks for, and the
// engine, the language server (initialize.locale) and the command line (--locale, LANG) speak it,
// with rule ids, element names and the tokens machines read left as they are.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getL10nJson } from '@vscode/l10n-dev';
import { CodeActionRequest, CodeLensRequest, HoverRequest, type CodeAction, type CodeLens, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { Engine, NodeFileSystem, type AnalysisResult } from '../server/src/engine';
import { currentLocale, localeFromEnvironment, setLocale } from '../server/src/engine/l10n';
import { Editor, uriOf } from './support/lsp-editor';

const repoRoot = path.join(__dirname, '..', '..');
const sourceRoot = path.join(repoRoot, 'server', 'src');
const l10nModule = path.join(sourceRoot, 'engine', 'l10n');
const l10nFolder = path.join(repoRoot, 'l10n');
const cliPath = path.join(repoRoot, 'dist', 'cli.js');
const examples = path.join(repoRoot, 'examples');
const NOW = new Date('2025-06-01T00:00:00Z');

type Bundle = Record<string, string | { message: string }>;

/** Every language bundle of the server and the CLI (l10n/server.l10n.<language>.json). */
const bundles = fs
  .readdirSync(l10nFolder)
  .map((name) => /^server\.l10n\.(.+)\.json$/.exec(name))
  .filter((match): match is RegExpExecArray => match !== null)
  .map((match) => ({ language: match[1], file: match[0], messages: JSON.parse(fs.readFileSync(path.join(l10nFolder, match[0]), 'utf8')) as Bundle }));

function typeScriptFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? typeScriptFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * The extractor follows `l10n.t` only in files that import `@vscode/l10n` (or `vscode`); code that
 * imports the engine's re-export (`import * as l10n from '../engine/l10n'`) is read as if it imported
 * the library, which is what that module's `t` is.
 */
function asExtractorSees(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/(from\s+)(['"])(\.{1,2}\/[^'"]*)\2/g, (whole, from: string, quote: string, specifier: string) =>
    path.resolve(path.dirname(file), specifier) === l10nModule ? `${from}${quote}@vscode/l10n${quote}` : whole,
  );
}

const placeholders = (text: string): string[] => [...new Set(text.match(/\{[^{}]+\}/g) ?? [])].sort();
const messageOf = (entry: string | { message: string }): string => (typeof entry === 'string' ? entry : entry.message);

describe('the language bundles (l10n/server.l10n.<language>.json)', () => {
  let extracted: Bundle;

  before(async () => {
    extracted = await getL10nJson(typeScriptFiles(sourceRoot).map((file) => ({ extension: '.ts', contents: asExtractorSees(file) })));
  });

  it('include Spanish', () => {
    assert.deepEqual(bundles.map((bundle) => bundle.language), ['es']);
    assert.ok(Object.keys(extracted).length > 400, `only ${Object.keys(extracted).length} messages extracted: is the extractor still finding l10n.t calls?`);
  });

  for (const { file, messages } of bundles) {
    describe(file, () => {
      it('has a translation for every message the server and the CLI can show', () => {
        assert.deepEqual(Object.keys(extracted).filter((key) => !(key in messages)), [], 'messages without a translation');
      });

      it('has no translation of a message the code no longer asks for', () => {
        assert.deepEqual(Object.keys(messages).filter((key) => !(key in extracted)), [], 'stale entries');
      });

      it('keeps every placeholder, and adds none', () => {
        const mismatched = Object.entries(extracted)
          .filter(([key, entry]) => key in messages && placeholders(messageOf(entry)).join() !== placeholders(messageOf(messages[key])).join())
          .map(([key]) => `${key} → ${messageOf(messages[key])}`);
        assert.deepEqual(mismatched, []);
      });

      it('keeps " — " before the detail of a status line (lenses of patch targets turn it into a comma)', () => {
        const statuses = Object.keys(messages).filter((key) => /^(ready|not ready|does not apply) — /.test(key));
        assert.ok(statuses.length >= 5);
        for (const key of statuses) assert.ok(messageOf(messages[key]).includes(' — '), key);
      });

      it('keeps the names that code, files and tools read untranslated', () => {
        for (const [key, entry] of Object.entries(messages)) {
          for (const token of key.match(/\b(?:Msi[A-Za-z]+|MSIDISABLELUAPATCHING|DisableLUAPatching|PatchCertificates|DigitalCertificate|InstallerVersion|CanRequestUserInput|WU_E_NO_INTERACTIVE_USER|ALLUSERS|SourceFile)\b/g) ?? []) {
            assert.ok(messageOf(entry).includes(token), `${token} is missing from the translation of "${key}"`);
          }
        }
      });
    });
  }
});

describe('setLocale and localeFromEnvironment', () => {
  after(() => setLocale(undefined));

  it('takes BCP 47 tags and POSIX locales, and falls back to English', () => {
    for (const [tag, expected] of [['es', 'es'], ['es-MX', 'es'], ['es_ES.UTF-8', 'es'], ['ES', 'es'], ['en-US', 'en'], ['fr', 'en'], ['', 'en'], [undefined, 'en']] as const) {
      setLocale(tag);
      assert.equal(currentLocale(), expected, String(tag));
    }
  });

  it('reads LC_ALL, LC_MESSAGES, LANG and LANGUAGE the way gettext does', () => {
    assert.equal(localeFromEnvironment({ LANG: 'es_ES.UTF-8' }), 'es_ES.UTF-8');
    assert.equal(localeFromEnvironment({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'es_ES.UTF-8' }), 'es_ES.UTF-8');
    assert.equal(localeFromEnvironment({ LANG: 'es_ES.UTF-8', LC_ALL: 'C' }), undefined);
    assert.equal(localeFromEnvironment({ LANG: 'en_US.UTF-8', LANGUAGE: 'es:en' }), 'es');
    assert.equal(localeFromEnvironment({ LANG: 'C.UTF-8', LANGUAGE: 'es' }), undefined);
    assert.equal(localeFromEnvironment({}), undefined);
  });
});

// ---- The engine ------------------------------------------------------------------------------

/** Every user-visible string of one analysis, in a stable order, with what must not change beside it. */
function analyzeIn(locale: string | undefined, roots: string[]): AnalysisResult {
  setLocale(locale);
  // A new engine: its caches hold text (certificate reasons, package problems) in the language it was read in.
  return new Engine(new NodeFileSystem(), { now: () => NOW }).analyze({ roots });
}

function hoverTexts(result: AnalysisResult, file: string): string[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  return lines.flatMap((line, index) =>
    [...line.matchAll(/<(PatchCertificates|DigitalCertificate)\b|MSIDISABLELUAPATCHING|DisableLUAPatching/g)].flatMap((match) => result.hover(file, { line: index, character: match.index! + 2 })?.contents ?? []),
  );
}

describe('the engine in Spanish on the examples and fixtures', () => {
  const roots = [examples, path.join(repoRoot, 'test', 'fixtures', 'patch-sources'), path.join(repoRoot, 'test', 'fixtures', 'packages'), path.join(repoRoot, 'test', 'fixtures', 'manifests')];
  let english: AnalysisResult;
  let castilian: AnalysisResult;

  before(() => {
    english = analyzeIn(undefined, roots);
    castilian = analyzeIn('es', roots);
  });
  after(() => setLocale(undefined));

  const product = path.join(examples, 'contoso-tools', 'Product.wxs');
  const finding = (result: AnalysisResult, ruleId: string, file: string) => {
    const found = result.findings.find((candidate) => candidate.ruleId === ruleId && candidate.file === file);
    assert.ok(found, `no ${ruleId} in ${path.relative(repoRoot, file)}`);
    return found;
  };

  it('finds the same things, at the same places, under the same rule ids', () => {
    const where = (result: AnalysisResult) => result.findings.map((f) => `${f.ruleId} ${path.relative(repoRoot, f.file)}:${f.range.start.line}:${f.range.start.character} ${f.severity} ${f.fixes.length}`);
    assert.ok(english.findings.length >= 30);
    assert.deepEqual(where(castilian), where(english));
    assert.deepEqual(castilian.lenses.map((lens) => `${lens.file}:${lens.range.start.line}`), english.lenses.map((lens) => `${lens.file}:${lens.range.start.line}`));
  });

  it('translates every finding, related location, quick fix and status line', () => {
    const untranslated = [
      ...castilian.findings.filter((f, index) => f.message === english.findings[index].message).map((f) => `finding ${f.ruleId}: ${f.message}`),
      ...castilian.findings.flatMap((f, index) => f.fixes.filter((fix, fixIndex) => fix.title === english.findings[index].fixes[fixIndex].title).map((fix) => `fix: ${fix.title}`)),
      ...castilian.findings.flatMap((f, index) => (f.related ?? []).filter((related, relatedIndex) => related.message === english.findings[index].related![relatedIndex].message).map((related) => `related: ${related.message}`)),
      ...castilian.lenses.filter((lens, index) => lens.title === english.lenses[index].title).map((lens) => `lens: ${lens.title}`),
    ];
    assert.deepEqual(untranslated, []);
  });

  it('writes the lua-patching-disabled finding, its fixes and the product lens in Spanish', () => {
    const disabled = finding(castilian, 'lua-patching-disabled', product);
    assert.match(disabled.message, /^Este elemento Property establece MSIDISABLELUAPATCHING en 1: Windows Installer no permite entonces la aplicación de revisiones de UAC en este producto/);
    assert.deepEqual(disabled.fixes.map((fix) => fix.title), ['Quitar el elemento Property que establece MSIDISABLELUAPATCHING', 'Suprimir lua-patching-disabled en esta línea']);
    // The fix writes the same authoring in every language.
    assert.deepEqual(disabled.fixes.map((fix) => fix.edits), finding(english, 'lua-patching-disabled', product).fixes.map((fix) => fix.edits));
    const lens = castilian.lenses.find((candidate) => candidate.file === product && candidate.title.startsWith('Aplicación de revisiones de UAC:'));
    assert.equal(lens?.title, 'Aplicación de revisiones de UAC: deshabilitada por MSIDISABLELUAPATCHING=1 (Property en Product.wxs:19)');
  });

  it('writes the patch findings and the status lines of a <Patch> in Spanish', () => {
    const hotfix = path.join(examples, 'contoso-hotfix', 'Hotfix.wxs');
    assert.match(finding(castilian, 'unsigned-patch', hotfix).message, /^Revisión compilada bin\/x64\/Release\/ContosoTools-Hotfix2\.msp: ContosoTools-Hotfix2\.msp no tiene firma digital/);
    assert.match(finding(castilian, 'patch-target-not-ready', hotfix).message, /tiene como destino Contoso Tools 1\.2\.0 \(Product\.wxs\) \(encontrado a través de PatchBaseline RTM\/@UpdateFile\), que no admite revisiones de UAC/);
    const titles = castilian.lenses.filter((lens) => lens.file === hotfix).map((lens) => lens.title);
    assert.ok(titles.includes('Firma: ningún paso de Hotfix.wixproj firma el .msp'), titles.join('\n'));
    assert.ok(titles.some((title) => title.startsWith('Destino: Contoso Tools 1.2.0 (Product.wxs) — deshabilitada por MSIDISABLELUAPATCHING=1')), titles.join('\n'));
    const project = path.join(examples, 'contoso-hotfix', 'Hotfix.wixproj');
    assert.match(finding(castilian, 'patch-signing-not-configured', project).fixes[0].title, /^Agregar un destino SignPatch \(signtool, SHA-256, con marca de tiempo\) con CN=Contoso Patch Signing/);
  });

  it('writes the hovers in Spanish, with their links to the rule pages unchanged', () => {
    const hovers = hoverTexts(castilian, product);
    assert.ok(hovers.some((text) => text.startsWith('**MSIDISABLELUAPATCHING**: si se establece en 1, Windows Installer no permite la aplicación de revisiones con privilegios mínimos (UAC)')));
    const certificate = hovers.find((text) => text.startsWith('**DigitalCertificate**: una fila de MsiDigitalCertificate'));
    assert.ok(certificate, hovers.join('\n---\n'));
    assert.match(certificate, /\| Sujeto \| CN=Contoso Expired Signing \|/);
    assert.match(certificate, /\[wix-uac: missing-certificate-file\]\(https:\/\/github\.com\/wix-uac\/wix-uac\/blob\/main\/docs\/rules\/missing-certificate-file\.md\)/);
    assert.deepEqual(hoverTexts(castilian, product).length, hoverTexts(english, product).length);
  });

  it('shows a package in Spanish in the package view, with the property names programs read', () => {
    const patch = path.join(repoRoot, 'test', 'fixtures', 'packages', 'patch-northwind.msp');
    const inspection = castilian.inspect(patch)!;
    assert.match(inspection.status!, /^Revisión: firmada por CN=Northwind Patch Signing \(SHA-1 [0-9A-F]{40}, SHA256\) · firma válida · SIN la confianza de Contoso Tools [\d.]+ \([^)]+\) \(certificados que incluye: CN=Contoso Patch Signing/);
    assert.deepEqual(inspection.summary.find((entry) => entry.property === 'template')?.name, 'Plantilla');
    assert.deepEqual(inspection.summary.map((entry) => entry.property), english.inspect(patch)!.summary.map((entry) => entry.property));
    assert.equal(inspection.signature?.state, 'valid', 'states are values for programs, not text');
  });

  it('never leaves "de el" or "a el" where Spanish contracts them (placeholders are written not to start with "el")', () => {
    const texts = [
      ...castilian.findings.flatMap((f) => [f.message, ...f.fixes.map((fix) => fix.title), ...(f.related ?? []).map((related) => related.message)]),
      ...castilian.lenses.map((lens) => lens.title),
      ...castilian.notices.map((notice) => notice.message),
    ];
    assert.deepEqual(texts.filter((text) => /(?:^|[\s(])(?:de|a) el\s/.test(text)), []);
  });

  it('speaks English again after setLocale("en")', () => {
    const again = analyzeIn('en', [path.join(examples, 'contoso-tools')]);
    assert.match(finding(again, 'lua-patching-disabled', product).message, /^This Property sets MSIDISABLELUAPATCHING to 1/);
  });
});

describe('the engine in Spanish on damaged input', () => {
  after(() => setLocale(undefined));

  it('explains an unreadable package, a bad certificate and a bad wix-uac.json in Spanish', () => {
    setLocale('es');
    const engine = new Engine(new NodeFileSystem(), { now: () => NOW });
    const truncated = engine.inspect(path.join(repoRoot, 'test', 'fixtures', 'packages', 'hostile', 'truncated.msi'), { roots: [] });
    assert.equal(truncated.error, 'incompleto: el archivo ocupa 5632 bytes, pero su encabezado sitúa el sector 0 de la FAT en el sector 20');
    const p7b = engine.readCertificate(path.join(repoRoot, 'test', 'fixtures', 'certificates', 'contoso-patch-signing.p7b'));
    assert.ok(!p7b.ok && p7b.reason.startsWith('el archivo es un conjunto PKCS#7 (.p7b), no un único certificado'));
    const tampered = engine.inspect(path.join(repoRoot, 'test', 'fixtures', 'packages', 'patch-tampered.msp'), { roots: [] });
    assert.deepEqual(tampered.signature?.problems, ['el resumen del contenido no coincide: el paquete cambió después de firmarlo']);

    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-l10n-'));
    try {
      fs.writeFileSync(path.join(folder, 'wix-uac.json'), '{ "rules": { "no-such-rule": "warning" } }');
      fs.writeFileSync(path.join(folder, 'Product.wxs'), '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs"><Package Name="P" Version="1.0.0" Manufacturer="M" UpgradeCode="{6A1F2C3D-0000-4000-8000-000000000001}"><?include Missing.wxi ?></Package></Wix>');
      const notices = new Engine(new NodeFileSystem()).analyze({ roots: [folder] }).notices.map((notice) => notice.message);
      assert.ok(notices.includes('No se encuentra el archivo de inclusión: Missing.wxi'), notices.join('\n'));
      assert.ok(notices.some((message) => message.startsWith('Se omite el Id. de regla desconocido "no-such-rule" de "rules".')), notices.join('\n'));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

// ---- The language server over its protocol ---------------------------------------------------

describe('the language server follows initialize.locale', { timeout: 60_000 }, () => {
  let workspace: string;
  let productUri: string;

  before(() => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-l10n-lsp-')));
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'lsp'), workspace, { recursive: true });
    productUri = uriOf(path.join(workspace, 'Product.wxs'));
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  async function session(locale: string | undefined): Promise<{ message: string; actions: string[]; lenses: string[]; hover: string }> {
    // A bare editor: nothing but quick fixes and markdown hovers, and the locale.
    const client = Editor.start();
    try {
      await client.initialize({
        folder: workspace,
        locale,
        capabilities: { textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } }, hover: { contentFormat: ['markdown'] } } },
      });
      const diagnostic = await client.until('a lua-patching-disabled diagnostic of Product.wxs', () =>
        client.diagnostics.get(productUri)?.find((candidate) => candidate.code === 'lua-patching-disabled'),
      );
      const actions = await client.request<CodeAction[]>(CodeActionRequest.type, { textDocument: { uri: productUri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
      const lenses = await client.request<CodeLens[]>(CodeLensRequest.type, { textDocument: { uri: productUri } });
      const text = fs.readFileSync(path.join(workspace, 'Product.wxs'), 'utf8').split('\n');
      const line = text.findIndex((candidate) => candidate.includes('MSIDISABLELUAPATCHING'));
      const hover = await client.request<Hover | null>(HoverRequest.type, { textDocument: { uri: productUri }, position: { line, character: text[line].indexOf('MSIDISABLELUAPATCHING') + 3 } });
      return {
        message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
        actions: actions.map((action) => action.title),
        lenses: lenses.map((lens) => lens.command?.title ?? ''),
        hover: (hover?.contents as MarkupContent | undefined)?.value ?? '',
      };
    } finally {
      // Shut down as an editor does; a server that does not is killed, and the test's own failure, if any, is the one reported.
      await client.stop().catch(() => client.kill());
    }
  }

  it('publishes Spanish diagnostics, quick fixes, lenses and hovers for "es"', async () => {
    const { message, actions, lenses, hover } = await session('es');
    assert.match(message, /^Este elemento Property establece MSIDISABLELUAPATCHING en 1: Windows Installer no permite entonces la aplicación de revisiones de UAC/);
    assert.deepEqual(actions, ['Quitar el elemento Property que establece MSIDISABLELUAPATCHING', 'Suprimir lua-patching-disabled en esta línea']);
    assert.ok(lenses.includes('Aplicación de revisiones de UAC: deshabilitada por MSIDISABLELUAPATCHING=1 (Property en Product.wxs:6)'), lenses.join('\n'));
    assert.match(hover, /^\*\*MSIDISABLELUAPATCHING\*\*: si se establece en 1/);
  });

  it('takes a regional tag (es-MX) as Spanish', async () => {
    assert.match((await session('es-MX')).message, /^Este elemento Property establece MSIDISABLELUAPATCHING en 1/);
  });

  it('stays in English for "en", and when the client sends no locale', async () => {
    for (const locale of ['en', undefined]) {
      const { message, actions } = await session(locale);
      assert.match(message, /^This Property sets MSIDISABLELUAPATCHING to 1: Windows Installer then refuses UAC patching/, String(locale));
      assert.deepEqual(actions, ['Remove the Property that sets MSIDISABLELUAPATCHING', 'Suppress lua-patching-disabled for this line'], String(locale));
    }
  });
});

// ---- The command line ------------------------------------------------------------------------

/** Runs dist/cli.js with only the locale variables given (the test's own environment may be Spanish or English). */
function cli(args: string[], localeVariables: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run "npm run build" first`);
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE']) delete env[name];
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...env, ...localeVariables } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface PatternSpec {
  regexp: string;
  severity?: number;
  code?: number;
  message?: number;
  loop?: boolean;
}

const problemMatchers = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { problemMatchers: { name: string; pattern: PatternSpec | PatternSpec[] }[] } }).contributes
  .problemMatchers;

/** The finding lines a problem matcher reads: the last (looping) pattern's captures. */
function matchedProblems(matcherName: string, output: string): { severity: string; code: string; message: string }[] {
  const matcher = problemMatchers.find((candidate) => candidate.name === matcherName);
  assert.ok(matcher, matcherName);
  const patterns = Array.isArray(matcher.pattern) ? matcher.pattern : [matcher.pattern];
  const finding = patterns[patterns.length - 1];
  return output.split(/\r?\n/).flatMap((line) => {
    const match = new RegExp(finding.regexp).exec(line);
    return match ? [{ severity: match[finding.severity!], code: match[finding.code!], message: match[finding.message!] }] : [];
  });
}

describe('the command line in Spanish', () => {
  const lintExamples = ['lint', 'examples/contoso-tools'];

  it('--locale es writes the findings and the summary in Spanish, keeping severities and rule ids as tokens', () => {
    const { status, stdout, stderr } = cli(['--locale', 'es', ...lintExamples]);
    assert.equal(stderr, '');
    assert.equal(status, 0, 'warnings only');
    assert.match(stdout, /^ {2}19:49 {2}warning {6}Este elemento Property establece MSIDISABLELUAPATCHING en 1: .* {2}lua-patching-disabled$/m);
    assert.match(stdout, /^✖ 4 problemas \(0 errores, 3 advertencias, 1 de información\)$/m);
  });

  it('the $wix-uac and $wix-uac-msbuild problem matchers read the Spanish output', () => {
    const text = matchedProblems('wix-uac', cli(['--locale', 'es', ...lintExamples]).stdout);
    assert.deepEqual(text.map(({ severity, code }) => `${severity} ${code}`).sort(), [
      'information expired-patch-certificate',
      'warning installer-version-too-low',
      'warning lua-patching-disabled',
      'warning lua-patching-policy-disabled',
    ].map((line) => line.replace(/^information/, 'info')).sort());
    assert.ok(text.every(({ message }) => /revisiones|revisión/.test(message)), JSON.stringify(text));
    const msbuild = matchedProblems('wix-uac-msbuild', cli(['--locale', 'es', 'lint', '--format', 'msbuild', 'examples/contoso-tools']).stdout);
    assert.equal(msbuild.length, 4);
    assert.ok(msbuild.some(({ severity, code, message }) => severity === 'info' && code === 'expired-patch-certificate' && message.startsWith('El certificado de revisión CN=Contoso Expired Signing expiró el 2020-12-31.')));
  });

  it('keeps JSON and SARIF machine-readable: rule ids, severities and levels unchanged, messages in Spanish', () => {
    const json = JSON.parse(cli(['lint', '--locale=es', '--format', 'json', 'examples/contoso-tools']).stdout) as { messages: { ruleId: string; severity: string; message: string }[] }[];
    const messages = json.flatMap((file) => file.messages);
    assert.ok(messages.some((message) => message.ruleId === 'lua-patching-disabled' && message.severity === 'warning' && message.message.startsWith('Este elemento Property')));
    const sarif = JSON.parse(cli(['lint', '--locale', 'es', '--format', 'sarif', 'examples/contoso-tools']).stdout) as {
      runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } }; results: { ruleId: string; level: string }[] }[];
    };
    const rule = sarif.runs[0].tool.driver.rules.find((candidate) => candidate.id === 'missing-patch-certificate');
    assert.equal(rule?.shortDescription.text, 'Un producto instalado por equipo no incluye ningún certificado en MsiPatchCertificate, así que no se puede aplicar ninguna revisión sin una solicitud de UAC.');
    assert.ok(sarif.runs[0].results.some((result) => result.ruleId === 'expired-patch-certificate' && result.level === 'note'));
  });

  it('follows LANG, and LC_ALL over LANG', () => {
    assert.match(cli(lintExamples, { LANG: 'es_ES.UTF-8' }).stdout, /✖ 4 problemas/);
    assert.match(cli(lintExamples, { LANG: 'en_US.UTF-8', LC_ALL: 'es_ES.UTF-8' }).stdout, /✖ 4 problemas/);
    assert.match(cli(lintExamples, { LANG: 'es_ES.UTF-8', LC_ALL: 'C' }).stdout, /✖ 4 problems \(0 errors, 3 warnings, 1 information\)/);
    assert.match(cli(lintExamples, {}).stdout, /✖ 4 problems/);
  });

  it('--locale wins over the environment', () => {
    assert.match(cli(['--locale', 'en', ...lintExamples], { LANG: 'es_ES.UTF-8' }).stdout, /✖ 4 problems/);
    assert.match(cli([...lintExamples, '--locale', 'es'], { LC_ALL: 'C' }).stdout, /✖ 4 problemas/);
  });

  it('documents --locale in its help, in either language', () => {
    assert.match(cli(['--help']).stdout, /--locale <tag> {6}Language of the messages: en, es/);
    assert.match(cli(['--locale', 'es', '--help']).stdout, /--locale <tag> {6}Idioma de los mensajes: en, es/);
    assert.match(cli(['--help'], { LANG: 'es_ES.UTF-8' }).stdout, /^Opciones de lint:$/m);
  });

  it('reports usage errors in Spanish, on one line, with exit status 2', () => {
    for (const [args, expected] of [
      [['--locale', 'es', 'check'], /^wix-uac: comando desconocido "check": use lint, inspect, extract-cert o rules\. Ejecute "wix-uac --help" para ver cómo se usa\.\n$/],
      [['--locale', 'es', 'lint', '--frobnicate'], /^wix-uac: Opción desconocida '--frobnicate'\. Ejecute/],
      [['--locale', 'es', 'lint', '--format'], /^wix-uac: La opción '-f, --format <value>' necesita un valor\. Ejecute/],
      [['--locale', 'es', 'lint', 'nowhere'], /^wix-uac: no existe el archivo o la carpeta: nowhere\n$/],
      [['lint', '--locale'], /^wix-uac: --locale needs a language tag such as es or en-US\. Run/],
      [['--locale', 'es_ES!', 'lint'], /^wix-uac: --locale needs a language tag/],
    ] as const) {
      const { status, stdout, stderr } = cli([...args]);
      assert.equal(status, 2, args.join(' '));
      assert.equal(stdout, '');
      assert.match(stderr, expected);
    }
  });

  it('inspects a patch in Spanish, and its JSON keeps the names programs read', () => {
    const patch = ['inspect', 'test/fixtures/packages/patch-northwind.msp', '--roots', 'test/fixtures/packages'];
    const { status, stdout } = cli(['--locale', 'es', ...patch]);
    assert.equal(status, 0);
    assert.match(stdout, /^test\/fixtures\/packages\/patch-northwind\.msp \(revisión de Windows Installer\)$/m);
    assert.match(stdout, /^ {2}Estado +válida$/m);
    assert.match(stdout, /^ {2}Plantilla +\{6A1F2C3D-0000-4000-8000-00000000C0A1\}$/m);
    assert.match(stdout, /NO confía en el firmante \(certificados que incluye: CN=Contoso Patch Signing/);
    const json = JSON.parse(cli(['--locale', 'es', ...patch, '--format', 'json']).stdout) as { summary: { property: string; name: string }[]; signature: { state: string } };
    assert.deepEqual(json.summary.find((entry) => entry.property === 'template')?.name, 'Plantilla');
    assert.equal(json.signature.state, 'valid');
  });
});
