// The language server as an editor sees it: the built dist/server.js over stdio, driven through a
// real LSP connection, on a temporary copy of test/fixtures/lsp/. `npm test` builds first.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import picomatch from 'picomatch';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToUri, uriToPath } from '../server/src/lsp/convert';
import {
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  ExecuteCommandRequest,
  FileChangeType,
  HoverRequest,
  TextDocumentEdit,
  type CodeAction,
  type Diagnostic,
  type InitializeResult,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { Editor, uriOf } from './support/lsp-editor';

const repoRoot = path.join(__dirname, '..', '..');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'lsp');
const signingCertificate = path.join(repoRoot, 'test', 'fixtures', 'certificates', 'contoso-patch-signing.cer');
const packageFixtures = path.join(repoRoot, 'test', 'fixtures', 'packages');

const codesOf = (diagnostics: Diagnostic[]): string[] => diagnostics.map((diagnostic) => String(diagnostic.code)).sort();
const byCode = (diagnostics: Diagnostic[], code: string): Diagnostic | undefined => diagnostics.find((diagnostic) => diagnostic.code === code);

function lineOf(text: string, needle: string): number {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `test text has no ${needle}`);
  return text.slice(0, offset).split('\n').length - 1;
}

/** A buffer open in the editor, kept in step with the server like an editor does. */
class OpenDocument {
  private document: TextDocument;

  constructor(private readonly editor: Editor, readonly uri: string, text: string) {
    this.document = TextDocument.create(uri, 'xml', 1, text);
    editor.open(uri, text);
  }

  get text(): string {
    return this.document.getText();
  }

  get version(): number {
    return this.document.version;
  }

  /** Replaces the whole text, as a client without incremental sync would. */
  replaceText(text: string): void {
    this.document = TextDocument.create(this.uri, 'xml', this.version + 1, text);
    this.editor.change(this.uri, this.version, [{ text }]);
  }

  /** Applies LSP text edits (all relative to the current text) and sends them as incremental changes, last first. */
  applyEdits(edits: TextEdit[]): void {
    const ordered = [...edits].sort((a, b) => this.document.offsetAt(b.range.start) - this.document.offsetAt(a.range.start));
    const text = TextDocument.applyEdits(this.document, edits);
    this.document = TextDocument.create(this.uri, 'xml', this.version + 1, text);
    this.editor.change(this.uri, this.version, ordered.map((edit) => ({ range: edit.range, text: edit.newText })));
  }

  close(): void {
    void this.editor.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: this.uri } });
  }
}

describe('language server (dist/server.js --stdio)', { timeout: 120_000 }, () => {
  let workspace: string;
  let client: Editor;
  let lensRefreshes = 0;
  let productPath: string;
  let includePath: string;
  let product: OpenDocument;
  let include: OpenDocument;
  let initializeResult: InitializeResult;

  // On disk the product has no MSIDISABLELUAPATCHING; the editor buffer adds it without saving.
  const diskProduct = (): string => fs.readFileSync(path.join(fixtures, 'Product.wxs'), 'utf8').replace(/^.*MSIDISABLELUAPATCHING.*\r?\n/m, '');
  const bufferProduct = (): string => fs.readFileSync(path.join(fixtures, 'Product.wxs'), 'utf8');
  /** What the Problems panel shows for `uri`. */
  const diagnosticsOf = (uri: string): Diagnostic[] => client.diagnostics.get(uri) ?? [];
  /** Kinds of the $/progress notifications received (begin, report, end). */
  const progressKinds = (): string[] => client.notificationsOf<{ value: { kind: string } }>('$/progress').map(({ value }) => value.kind);

  before(async () => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-lsp-')));
    fs.cpSync(fixtures, workspace, { recursive: true });
    productPath = path.join(workspace, 'Product.wxs');
    includePath = path.join(workspace, 'Certificates.wxi');
    fs.writeFileSync(productPath, diskProduct());
    // A patch already built when the editor starts: read at start, with progress, without being opened.
    fs.mkdirSync(path.join(workspace, 'bin'));
    fs.copyFileSync(path.join(packageFixtures, 'patch-unsigned.msp'), path.join(workspace, 'bin', 'Hotfix.msp'));
    client = Editor.start();
    client.connection.onRequest(CodeLensRefreshRequest.type, () => void lensRefreshes++);
    initializeResult = await client.initialize({
      folder: workspace,
      capabilities: {
        textDocument: {
          synchronization: { didSave: true },
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeLens: {},
        },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
          codeLens: { refreshSupport: true },
        },
        window: { workDoneProgress: true },
      },
    });
  });

  after(() => {
    client?.kill();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('announces quick fixes, code lenses, hovers and the analyze command', () => {
    const { capabilities } = initializeResult;
    assert.ok(capabilities.hoverProvider);
    assert.ok(capabilities.codeLensProvider);
    assert.deepEqual(typeof capabilities.codeActionProvider === 'object' && capabilities.codeActionProvider.codeActionKinds, ['quickfix']);
    assert.deepEqual(capabilities.executeCommandProvider?.commands, ['wix-uac.analyzeWorkspace', 'wix-uac.applyFix']);
  });

  it('analyses the workspace folder on start, before any file is opened', async () => {
    const diagnostics = await client.latestDiagnostics(uriOf(productPath), 'missing-patch-certificate from the file on disk', (published) =>
      codesOf(published).includes('missing-patch-certificate'),
    );
    assert.deepEqual(codesOf(diagnostics), ['missing-patch-certificate']);
  });

  it('watches WiX sources, projects, certificates and wix-uac.json on disk', () => {
    const watched = client.registrations.find((registration) => registration.method === DidChangeWatchedFilesNotification.method);
    assert.ok(watched, `no watched-files registration among ${JSON.stringify(client.registrations.map((registration) => registration.method))}`);
    const globs = (watched.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers.map((watcher) => watcher.globPattern);
    const isWatched = picomatch(globs);
    for (const file of ['Product.wxs', 'sub/Common.wxi', 'Installer.wixproj', 'Directory.Build.targets', 'certs/signing.cer', 'signing.pem', 'signing.crt', 'signing.der', 'wix-uac.json', 'bin/Release/Hotfix.msp', 'bin/Release/Product.msi', 'tables/Property.idt', 'publish/Hotfix.sdp', 'publish/Hotfix.xml']) {
      assert.ok(isWatched(file), `${file} is not watched by ${globs.join(', ')}`);
    }
    assert.ok(!isWatched('README.md'));
  });

  it('reports the unsaved text of an open buffer, not the file on disk', async () => {
    const published = client.nextDiagnostics(uriOf(productPath), 'lua-patching-disabled from the buffer', (diagnostics) =>
      codesOf(diagnostics).includes('lua-patching-disabled'),
    );
    product = new OpenDocument(client, uriOf(productPath), bufferProduct());
    const diagnostics = await published;

    assert.deepEqual(codesOf(diagnostics), ['lua-patching-disabled', 'missing-patch-certificate']);
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.source, 'wix-uac');
      assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
      assert.match(diagnostic.codeDescription?.href ?? '', new RegExp(`^https://.*/docs/rules/${diagnostic.code}\\.md$`));
    }
    assert.equal(byCode(diagnostics, 'missing-patch-certificate')!.range.start.line, lineOf(product.text, '<Package'));
    assert.equal(byCode(diagnostics, 'lua-patching-disabled')!.range.start.line, lineOf(product.text, 'MSIDISABLELUAPATCHING'));
  });

  it('explains MSIDISABLELUAPATCHING on hover, in markdown', async () => {
    const offset = product.text.indexOf('MSIDISABLELUAPATCHING') + 3;
    const position = TextDocument.create(product.uri, 'xml', 1, product.text).positionAt(offset);
    const hover = await client.request<{ contents: MarkupContent } | null>(HoverRequest.type, { textDocument: { uri: product.uri }, position });
    assert.ok(hover, 'no hover on MSIDISABLELUAPATCHING');
    assert.equal(hover.contents.kind, 'markdown');
    assert.ok(hover.contents.value.trim().length > 0);
  });

  it('shows a code lens on the Package element', async () => {
    const lenses = await client.request<Array<{ range: { start: { line: number } }; command?: { title: string } }>>(CodeLensRequest.type, {
      textDocument: { uri: product.uri },
    });
    const packageLine = lineOf(product.text, '<Package');
    const lens = lenses.find((candidate) => candidate.range.start.line === packageLine);
    assert.ok(lens, `no lens on line ${packageLine}: ${JSON.stringify(lenses)}`);
    assert.ok(lens.command && lens.command.title.trim().length > 0, 'the lens has no title');
  });

  it('moves diagnostics with the text and publishes only the latest of a burst of edits', async () => {
    const before = product.text;
    const packageLine = lineOf(before, '<Package');
    const edits = 5;
    const settled = client.nextDiagnostics(product.uri, `missing-patch-certificate moved down ${edits} lines`, (diagnostics) =>
      byCode(diagnostics, 'missing-patch-certificate')?.range.start.line === packageLine + edits,
    );
    for (let count = 1; count <= edits; count++) {
      product.replaceText(before.replace('<Wix', `${'<!-- edit -->\n'.repeat(count)}<Wix`));
    }
    await settled;
    // Nothing computed from an older text may arrive after the newest.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(byCode(diagnosticsOf(product.uri), 'missing-patch-certificate')?.range.start.line, packageLine + edits);
  });

  it('applies per-rule severities from the wixUac settings and reports settings it cannot use', async () => {
    const published = client.nextDiagnostics(product.uri, 'missing-patch-certificate as an error', (diagnostics) =>
      byCode(diagnostics, 'missing-patch-certificate')?.severity === DiagnosticSeverity.Error,
    );
    client.changeSettings({ rules: { 'missing-patch-certificate': 'error', 'no-such-rule': 'off', 'lua-patching-disabled': 'loud' } });
    const diagnostics = await published;
    assert.equal(byCode(diagnostics, 'lua-patching-disabled')?.severity, DiagnosticSeverity.Warning, 'an invalid severity must leave the default');
    const warning = client.shownMessages.join('\n');
    assert.match(warning, /no-such-rule/);
    assert.match(warning, /loud/);

    const turnedOff = client.nextDiagnostics(product.uri, 'missing-patch-certificate turned off', (next) => !codesOf(next).includes('missing-patch-certificate'));
    client.changeSettings({ rules: { 'missing-patch-certificate': 'off' } });
    assert.deepEqual(codesOf(await turnedOff), ['lua-patching-disabled']);

    const restored = client.nextDiagnostics(product.uri, 'default severities again', (next) => byCode(next, 'missing-patch-certificate')?.severity === DiagnosticSeverity.Warning);
    client.changeSettings({});
    await restored;
  });

  it('offers a preferred quick fix that removes MSIDISABLELUAPATCHING', async () => {
    const diagnostic = byCode(diagnosticsOf(product.uri), 'lua-patching-disabled');
    assert.ok(diagnostic, 'lua-patching-disabled is not reported');
    const actions = await client.request<CodeAction[]>(CodeActionRequest.type, {
      textDocument: { uri: product.uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    const fix = actions.find((action) => action.isPreferred);
    assert.ok(fix, `no preferred quick fix among ${JSON.stringify(actions.map((action) => action.title))}`);
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics, [diagnostic]);

    const documentChanges = fix.edit?.documentChanges ?? [];
    assert.ok(documentChanges.length > 0 && documentChanges.every((change) => TextDocumentEdit.is(change)), 'the fix carries no versioned text edits');
    const [change] = documentChanges as TextDocumentEdit[];
    const edits = change.edits.map((edit) => {
      assert.ok('newText' in edit, 'the fix is a snippet edit, which not every client can apply');
      return { range: edit.range, newText: edit.newText };
    });
    assert.deepEqual(change.textDocument, { uri: product.uri, version: product.version }, 'the edit must be tied to the version it was computed for');

    const before = product.text;
    const fixed = client.nextDiagnostics(product.uri, 'lua-patching-disabled gone after the fix', (next) => !codesOf(next).includes('lua-patching-disabled'));
    product.applyEdits(edits);
    assert.deepEqual(codesOf(await fixed), ['missing-patch-certificate']);
    const nonBlankLines = (text: string) => text.split(/\r?\n/).filter((line) => line.trim() !== '');
    assert.deepEqual(nonBlankLines(product.text), nonBlankLines(before).filter((line) => !line.includes('MSIDISABLELUAPATCHING')));
  });

  it('re-publishes the product when an include it uses is edited', async () => {
    const refreshesBefore = lensRefreshes;
    include = new OpenDocument(client, uriOf(includePath), fs.readFileSync(includePath, 'utf8'));
    const productUpdated = client.nextDiagnostics(product.uri, 'missing-patch-certificate gone once the include lists a certificate', (next) =>
      !codesOf(next).includes('missing-patch-certificate'),
    );
    const includeUpdated = client.nextDiagnostics(include.uri, 'missing-certificate-file for a certificate not on disk yet', (next) =>
      codesOf(next).includes('missing-certificate-file'),
    );
    include.replaceText(
      include.text.replace(
        '</Include>',
        '  <PatchCertificates>\n    <DigitalCertificate Id="ContosoPatchSigning" SourceFile="$(sys.SOURCEFILEDIR)contoso-patch-signing.cer" />\n  </PatchCertificates>\n</Include>',
      ),
    );
    await Promise.all([productUpdated, includeUpdated]);
    assert.ok(lensRefreshes > refreshesBefore, 'the client was not asked to refresh code lenses of the files that changed status');
  });

  it('picks up a certificate added on disk when the editor reports the file event', async () => {
    const certificatePath = path.join(workspace, 'contoso-patch-signing.cer');
    const resolved = client.nextDiagnostics(include.uri, 'missing-certificate-file gone once the file exists', (next) => !codesOf(next).includes('missing-certificate-file'));
    fs.copyFileSync(signingCertificate, certificatePath);
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(certificatePath), type: FileChangeType.Created }] });
    await resolved;

    const position = TextDocument.create(include.uri, 'xml', 1, include.text).positionAt(include.text.indexOf('DigitalCertificate') + 2);
    const hover = await client.request<{ contents: MarkupContent } | null>(HoverRequest.type, { textDocument: { uri: include.uri }, position });
    assert.match(hover?.contents.value ?? '', /Contoso Patch Signing/, 'the hover should describe the certificate now on disk');
  });

  it('reads the packages of the workspace at start, with progress, and reports them without opening them', async () => {
    const patchUri = uriOf(path.join(workspace, 'bin', 'Hotfix.msp'));
    const diagnostics = await client.latestDiagnostics(patchUri, 'unsigned-patch', (published) => published.length > 0);
    assert.deepEqual(codesOf(diagnostics), ['unsigned-patch']);
    assert.deepEqual(diagnostics[0].range.start, { line: 0, character: 0 });
    assert.equal(progressKinds()[0], 'begin');
    assert.equal(progressKinds().at(-1), 'end');
  });

  it('updates Problems by itself when a build writes a new patch', async () => {
    const patchPath = path.join(workspace, 'bin', 'Release', 'Hotfix2.msp');
    fs.mkdirSync(path.dirname(patchPath), { recursive: true });
    const published = client.nextDiagnostics(uriOf(patchPath), 'invalid-patch-signature of the new patch', (next) => codesOf(next).includes('invalid-patch-signature'));
    fs.copyFileSync(path.join(packageFixtures, 'patch-tampered.msp'), patchPath);
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(patchPath), type: FileChangeType.Created }] });
    await published;

    // Rebuilt and signed properly: the finding goes.
    const cleared = client.nextDiagnostics(uriOf(patchPath), 'no findings once the patch is signed', (next) => next.length === 0);
    fs.copyFileSync(path.join(packageFixtures, 'patch-sha256.msp'), patchPath);
    fs.utimesSync(patchPath, new Date(), new Date(Date.now() + 2000));
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(patchPath), type: FileChangeType.Changed }] });
    await cleared;
  });

  it('answers the package view with the signature, its verdict and the findings of the file', async () => {
    const patchPath = path.join(workspace, 'bin', 'Release', 'Hotfix2.msp');
    const view = await client.request<{ kind: string; signature: { state: string; signer: { subject: string; sha1: string } }; tables: { name: string }[]; findings: unknown[] }>(
      { method: 'wixUac/inspect' },
      { uri: uriOf(patchPath) },
    );
    assert.equal(view.kind, 'msp');
    assert.equal(view.signature.state, 'valid');
    assert.match(view.signature.signer.subject, /CN=Contoso Patch Signing/);
    assert.ok(view.tables.length > 0);
    const unsigned = await client.request<{ findings: { ruleId: string }[] }>({ method: 'wixUac/inspect' }, { uri: uriOf(path.join(workspace, 'bin', 'Hotfix.msp')) });
    assert.deepEqual(unsigned.findings.map((finding) => finding.ruleId), ['unsigned-patch']);
  });

  it('runs a fix that writes a new file through wix-uac.applyFix', async () => {
    // An .idt folder whose certificate no MsiPatchCertificate row names: the fix creates that table file.
    const folder = path.join(workspace, 'tables');
    fs.cpSync(path.join(packageFixtures, 'product-trusting-idt'), folder, { recursive: true });
    fs.rmSync(path.join(folder, 'MsiPatchCertificate.idt'));
    const certificates = uriOf(path.join(folder, 'MsiDigitalCertificate.idt'));
    const flagged = client.nextDiagnostics(certificates, 'unreferenced-digital-certificate', (next) => codesOf(next).includes('unreferenced-digital-certificate'));
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: certificates, type: FileChangeType.Created }] });
    const diagnostics = await flagged;
    const actions = await client.request<CodeAction[]>(CodeActionRequest.type, {
      textDocument: { uri: certificates },
      range: diagnostics[0].range,
      context: { diagnostics: [byCode(diagnostics, 'unreferenced-digital-certificate')!] },
    });
    const action = actions.find((candidate) => /Add an MsiPatchCertificate row/.test(candidate.title));
    assert.ok(action?.command, `no command fix among ${JSON.stringify(actions.map((candidate) => candidate.title))}`);
    assert.equal(action.command.command, 'wix-uac.applyFix');
    const cleared = client.nextDiagnostics(certificates, 'no finding once the table exists', (next) => !codesOf(next).includes('unreferenced-digital-certificate'));
    await client.request(ExecuteCommandRequest.type, { command: action.command.command, arguments: action.command.arguments });
    await cleared;
    assert.match(fs.readFileSync(path.join(folder, 'MsiPatchCertificate.idt'), 'utf8'), /^PatchCertificate\tDigitalCertificate_\r\n/);
  });

  it('checks an open publishing manifest and fixes CanRequestUserInput', async () => {
    const manifestPath = path.join(workspace, 'publish', 'ContosoTools-Hotfix1.xml');
    fs.mkdirSync(path.dirname(manifestPath), { recursive: true });
    const text = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'manifests', 'contoso-tools-hotfix1.sdp'), 'utf8').replace(/^\uFEFF/, '');
    fs.writeFileSync(manifestPath, text);
    const uri = uriOf(manifestPath);
    const flagged = client.nextDiagnostics(uri, 'update-requires-user-input on the manifest', (next) => codesOf(next).includes('update-requires-user-input'));
    const manifest = new OpenDocument(client, uri, text);
    const diagnostic = byCode(await flagged, 'update-requires-user-input')!;
    const actions = await client.request<CodeAction[]>(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } });
    const fix = actions.find((action) => action.isPreferred);
    assert.equal(fix?.title, 'Set CanRequestUserInput to false');
    const [change] = (fix?.edit?.documentChanges ?? []) as TextDocumentEdit[];
    const cleared = client.nextDiagnostics(uri, 'update-requires-user-input gone after the fix', (next) => !codesOf(next).includes('update-requires-user-input'));
    manifest.applyEdits(change.edits.map((edit) => ({ range: edit.range, newText: (edit as { newText: string }).newText })));
    await cleared;
    assert.match(manifest.text, /<sdp:InstallProperties CanRequestUserInput="false"/);
  });

  it('keeps serving after text that is not well-formed XML', async () => {
    const good = product.text;
    product.replaceText('<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs"><Package Name="x" <<< \u0000 ]]>');
    const hover = await client.request<unknown>(HoverRequest.type, { textDocument: { uri: product.uri }, position: { line: 0, character: 3 } });
    assert.ok(hover === null || typeof hover === 'object');

    product.replaceText(good.replace('<Package', '<!-- repaired -->\n  <Package'));
    const lenses = await client.request<Array<{ range: { start: { line: number } } }>>(CodeLensRequest.type, { textDocument: { uri: product.uri } });
    const packageLine = lineOf(product.text, '<Package');
    assert.ok(
      lenses.some((lens) => lens.range.start.line === packageLine),
      `the repaired text is not analysed: no lens on line ${packageLine} in ${JSON.stringify(lenses)}`,
    );
  });

  it('re-analyses everything on wix-uac.analyzeWorkspace and returns what it found', async () => {
    const republished = client.nextDiagnostics(product.uri, 'republished by the command', () => true);
    const summary = await client.request<{ files: number; findings: number }>(ExecuteCommandRequest.type, { command: 'wix-uac.analyzeWorkspace', arguments: [] });
    await republished;
    const patches = ['Hotfix.msp', 'Release/Hotfix2.msp'].map((name) => uriOf(path.join(workspace, 'bin', ...name.split('/'))));
    const shown = [product.uri, include.uri, ...patches].flatMap((uri) => diagnosticsOf(uri).filter((diagnostic) => diagnostic.code !== undefined));
    assert.equal(summary.findings, shown.length);
    assert.ok(summary.files >= 2, `only ${summary.files} files analysed`);
  });

  it('falls back to the file on disk when an unsaved buffer is closed', async () => {
    const diskPackageLine = lineOf(diskProduct(), '<Package');
    assert.notEqual(lineOf(product.text, '<Package'), diskPackageLine);
    const published = client.nextDiagnostics(uriOf(productPath), 'the Package line of the file on disk', (next) =>
      byCode(next, 'missing-patch-certificate')?.range.start.line === diskPackageLine,
    );
    include.close();
    product.close();
    await published;
  });

  it('analyses a reopened file afresh, although its version number starts over', async () => {
    const withProperty = new OpenDocument(client, uriOf(productPath), bufferProduct());
    await client.nextDiagnostics(withProperty.uri, 'lua-patching-disabled from the reopened buffer', (next) => codesOf(next).includes('lua-patching-disabled'));
    const fresh = client.nextDiagnostics(withProperty.uri, 'lua-patching-disabled gone from the text opened next', (next) => !codesOf(next).includes('lua-patching-disabled'));
    // Closed and opened again at version 1 with other text before the server gets to analyse.
    withProperty.close();
    product = new OpenDocument(client, uriOf(productPath), diskProduct());
    await fresh;
  });

  it('shows problems of a broken wix-uac.json and clears them when the file is deleted', async () => {
    const configPath = path.join(workspace, 'wix-uac.json');
    const reported = client.nextDiagnostics(uriOf(configPath), 'a problem reported in wix-uac.json', (next) => next.length > 0);
    fs.writeFileSync(configPath, '{ "rules": { "lua-patching-disabled": ');
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(configPath), type: FileChangeType.Created }] });
    const [problem] = await reported;
    assert.equal(problem.source, 'wix-uac');

    const cleared = client.nextDiagnostics(uriOf(configPath), 'no problems once the file is gone', (next) => next.length === 0);
    fs.rmSync(configPath);
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(configPath), type: FileChangeType.Deleted }] });
    await cleared;
  });

  it('ends cleanly on shutdown and exit', async () => {
    assert.equal(await client.stop(), 0);
  });
});

describe('file identity between editor and engine', () => {
  it('reads a file URI the same however the client spells the drive letter', () => {
    // VS Code sends file:///c%3A/…, Neovim and Helix file:///C:/…: both are one file to the engine.
    assert.equal(uriToPath('file:///c%3A/Work/Product.wxs'), uriToPath('file:///C:/Work/Product.wxs'));
    // Spaces and '#' survive the round trip (vscode-uri lower-cases a Windows drive letter, hence the comparison).
    const file = path.join(os.tmpdir(), 'Contoso Ledger', '#1', 'Product.wxs');
    assert.equal(uriToPath(pathToUri(file))?.toLowerCase(), file.toLowerCase());
  });

  it('leaves buffers without a file alone', () => {
    assert.equal(uriToPath('untitled:Untitled-1'), undefined);
  });
});
