// Workspace trust (VS Code's Restricted Mode): the file system that reads only inside the workspace,
// the analysis of open files only, and the language server started with `workspaceTrusted: false`,
// driven over a real LSP connection like test/lsp.test.ts. On disk, in a temporary folder:
//
//   outside/            what the workspace points at but Restricted Mode must not read
//     Config.wxi        PatchCertificates (read, it clears missing-patch-certificate of Included.wxs)
//     signing.pem       a PEM certificate (read, it is an invalid-certificate-file finding)
//     Hotfix.msp
//   ws/                 the workspace folder
//     Open.wxs, Closed.wxs   the same product with findings; only Open.wxs is opened
//     Included.wxs      <?include ..\outside\Config.wxi?>
//     OutsideCert.wxs   SourceFile="..\outside\signing.pem"
//     Linked.wxs        SourceFile="certs\signing.pem", where ws/certs is a link to ../outside
//     tables/           an .idt database whose certificate no MsiPatchCertificate row names
//     bin/Hotfix.msp, bin/Outside.msp (a link to ../../outside/Hotfix.msp)
//     proj/             Setup.wixproj compiles **/*.wxs, and proj/shared is a link to ../../outside
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeActionRequest, DiagnosticSeverity, ExecuteCommandRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { ConfinedFileSystem, Engine, NodeFileSystem, OverlayFileSystem, type AnalysisResult } from '../server/src/engine';
import { isWorkspaceTrusted } from '../server/src/lsp/workspace-trust';
import { recordFsCalls, whereCallLanded } from './support/fs-spy';
import { Editor, uriOf } from './support/lsp-editor';
import { fixture, v4Package } from './support/rule-tester';

const repoRoot = path.join(__dirname, '..', '..');
const NOT_CHECKED = /^Not checked in Restricted Mode: checking this file means reading (.+), outside the workspace/;

const CONTOSO_DER = fixture('certificates/contoso-patch-signing.cer');
const CONTOSO_PEM = fixture('certificates/contoso-patch-signing.pem');

const disablesUacPatching = v4Package('<Property Id="MSIDISABLELUAPATCHING" Value="1" />');
const certificates = (sourceFile: string) => v4Package(`<PatchCertificates>\n  <DigitalCertificate Id="Signing" SourceFile="${sourceFile}" />\n</PatchCertificates>`);

/** The tree described at the top, in a new temporary folder; returns its root (links resolved). */
function makeTree(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-trust-')));
  const write = (relative: string, content: string | Uint8Array) => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  };
  write('outside/Config.wxi', '<Include xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <PatchCertificates>\n    <DigitalCertificate Id="Outside" SourceFile="signing.cer" />\n  </PatchCertificates>\n</Include>\n');
  write('outside/signing.cer', CONTOSO_DER);
  write('outside/signing.pem', CONTOSO_PEM);
  write('outside/Hotfix.msp', fixture('packages/patch-unsigned.msp'));
  write('ws/Open.wxs', disablesUacPatching);
  write('ws/Closed.wxs', disablesUacPatching);
  write('ws/Included.wxs', v4Package('<?include ..\\outside\\Config.wxi ?>'));
  write('ws/OutsideCert.wxs', certificates('..\\outside\\signing.pem'));
  write('ws/Linked.wxs', certificates('certs\\signing.pem'));
  fs.symlinkSync(path.join(root, 'outside'), path.join(root, 'ws', 'certs'), 'dir');
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'packages', 'product-trusting-idt'), path.join(root, 'ws', 'tables'), { recursive: true });
  fs.rmSync(path.join(root, 'ws', 'tables', 'MsiPatchCertificate.idt'));
  write('ws/bin/Hotfix.msp', fixture('packages/patch-unsigned.msp'));
  write('ws/proj/Setup.wixproj', '<Project Sdk="WixToolset.Sdk/5.0.2">\n</Project>\n');
  write('ws/proj/Product.wxs', disablesUacPatching);
  fs.symlinkSync(path.join(root, 'outside'), path.join(root, 'ws', 'proj', 'shared'), 'dir');
  fs.symlinkSync(path.join(root, 'outside', 'Hotfix.msp'), path.join(root, 'ws', 'bin', 'Outside.msp'), 'file');
  return root;
}

const codesOf = (diagnostics: Array<{ code?: string | number }>): string[] => diagnostics.flatMap((diagnostic) => (diagnostic.code === undefined ? [] : [String(diagnostic.code)])).sort();

describe('ConfinedFileSystem', () => {
  let root: string;
  let ws: string;
  let confined: ConfinedFileSystem;
  before(() => {
    root = makeTree();
    ws = path.join(root, 'ws');
    confined = new ConfinedFileSystem([ws]);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads files inside the folders', () => {
    assert.equal(Buffer.from(confined.readFile(path.join(ws, 'Open.wxs'))!).toString('utf8'), disablesUacPatching);
    assert.ok(confined.exists(path.join(ws, 'tables', 'Property.idt')));
    assert.ok(confined.isDirectory(path.join(ws, 'tables')));
    assert.ok(confined.version(path.join(ws, 'Open.wxs')));
    const bytes = confined.openBytes(path.join(ws, 'bin', 'Hotfix.msp'));
    assert.ok(bytes && bytes.size > 0);
    bytes.close();
  });

  it('refuses a path outside, also one spelled through ..', () => {
    const { result, refused } = confined.recordRefusals(() => ({
      read: confined.readFile(path.join(root, 'outside', 'signing.pem')),
      exists: confined.exists(path.join(ws, '..', 'outside', 'Config.wxi')),
      listing: confined.readDirectory(path.join(root, 'outside')),
      bytes: confined.openBytes(path.join(root, 'outside', 'Hotfix.msp')),
      version: confined.version(path.join(root, 'outside', 'Hotfix.msp')),
    }));
    assert.deepEqual(result, { read: undefined, exists: false, listing: [], bytes: undefined, version: undefined });
    assert.deepEqual(
      refused.map((refusal) => path.relative(root, refusal.path)),
      ['outside/signing.pem', 'ws/../outside/Config.wxi', 'outside', 'outside/Hotfix.msp'].map((relative) => path.join(...relative.split('/'))),
    );
  });

  it('refuses a link inside that leads outside, and says where it leads', () => {
    const linkedFile = path.join(ws, 'certs', 'signing.pem');
    const { result, refused } = confined.recordRefusals(() => ({
      read: confined.readFile(linkedFile),
      exists: confined.exists(linkedFile),
      linkedPackage: confined.openBytes(path.join(ws, 'bin', 'Outside.msp')),
    }));
    assert.deepEqual(result, { read: undefined, exists: false, linkedPackage: undefined });
    assert.deepEqual(refused, [
      { path: linkedFile, linksTo: path.join(root, 'outside', 'signing.pem') },
      { path: path.join(ws, 'bin', 'Outside.msp'), linksTo: path.join(root, 'outside', 'Hotfix.msp') },
    ]);
    assert.equal(confined.allows(linkedFile), false);
  });

  it('lists a link that leads outside without looking at its target; whoever goes on to read it is refused', () => {
    const listing = confined.recordRefusals(() => confined.readDirectory(ws));
    const entry = (name: string) => listing.result.find((candidate) => candidate.name === name);
    assert.deepEqual(entry('certs'), { name: 'certs', isDirectory: true, isFile: true }, 'a file or a folder: its target is not looked at');
    assert.deepEqual(entry('tables'), { name: 'tables', isDirectory: true, isFile: false });
    assert.deepEqual(listing.refused, [], 'listing is not reading');
    const walk = confined.recordRefusals(() => ({ listing: confined.readDirectory(path.join(ws, 'certs')), realPath: confined.realPath(path.join(ws, 'certs')) }));
    assert.deepEqual(walk.result, { listing: [], realPath: undefined });
    assert.deepEqual(walk.refused, [{ path: path.join(ws, 'certs'), linksTo: path.join(root, 'outside') }]);
  });

  it('follows a link that stays inside', () => {
    const local = fs.mkdtempSync(path.join(ws, 'local-'));
    fs.writeFileSync(path.join(local, 'target.cer'), CONTOSO_DER);
    fs.symlinkSync(path.join(local, 'target.cer'), path.join(local, 'alias.cer'));
    fs.symlinkSync('.', path.join(local, 'here'), 'dir');
    try {
      assert.deepEqual(Buffer.from(confined.readFile(path.join(local, 'here', 'here', 'alias.cer'))!), CONTOSO_DER);
      const names = confined.readDirectory(local).map((entry) => `${entry.name}:${entry.isFile ? 'file' : entry.isDirectory ? 'folder' : '?'}`).sort();
      assert.deepEqual(names, ['alias.cer:file', 'here:folder', 'target.cer:file']);
    } finally {
      fs.rmSync(local, { recursive: true, force: true });
    }
  });

  it('ends a loop of links without reading, as outside', () => {
    const loop = path.join(ws, 'loop');
    fs.symlinkSync(path.join(ws, 'loop'), loop);
    try {
      const { result, refused } = confined.recordRefusals(() => confined.exists(path.join(loop, 'x.wxi')));
      assert.equal(result, false);
      assert.equal(refused.length, 1);
    } finally {
      fs.rmSync(loop);
    }
  });

  it('shows the folders above the workspace as holding only the way down to it', () => {
    const { result, refused } = confined.recordRefusals(() => ({
      rootExists: confined.exists(root),
      rootIsFolder: confined.isDirectory(root),
      rootListing: confined.readDirectory(root),
      parentListing: confined.readDirectory(path.dirname(root)).map((entry) => entry.name),
    }));
    assert.deepEqual(result, { rootExists: true, rootIsFolder: true, rootListing: [{ name: 'ws', isDirectory: true, isFile: false }], parentListing: [path.basename(root)] });
    assert.deepEqual(refused, []);
  });

  it('accepts a workspace folder given through a link, and follows workspace folder changes', () => {
    const alias = path.join(root, 'ws-alias');
    fs.symlinkSync(ws, alias, 'dir');
    try {
      const throughAlias = new ConfinedFileSystem([alias]);
      assert.ok(throughAlias.readFile(path.join(alias, 'Open.wxs')));
      assert.ok(throughAlias.readFile(path.join(ws, 'Open.wxs')), 'the real path of the folder is the same folder');
      throughAlias.setFolders([path.join(root, 'outside')]);
      assert.equal(throughAlias.readFile(path.join(ws, 'Open.wxs')), undefined);
      assert.ok(throughAlias.readFile(path.join(root, 'outside', 'Config.wxi')));
    } finally {
      fs.rmSync(alias);
    }
  });
});

describe('restricted analysis (engine)', () => {
  let root: string;
  let ws: string;
  let overlay: OverlayFileSystem;
  let engine: Engine;
  const open = (relative: string): string => {
    const file = path.join(ws, relative);
    overlay.setBuffer(file, fs.readFileSync(file, 'utf8'), 1);
    return file;
  };
  const analyzeOpen = (...relatives: string[]): AnalysisResult => engine.analyze({ roots: relatives.map(open), restricted: true });
  const findingsIn = (result: AnalysisResult, relative: string) => result.findings.filter((finding) => finding.file === path.join(ws, relative));
  const noticesIn = (result: AnalysisResult, relative: string) => result.notices.filter((notice) => notice.file === path.join(ws, relative));

  before(() => {
    root = makeTree();
    ws = path.join(root, 'ws');
    overlay = new OverlayFileSystem(new ConfinedFileSystem([ws]));
    engine = new Engine(overlay);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('what the workspace points at outside matters: the trusted analysis reads it', () => {
    const trusted = new Engine(new NodeFileSystem()).analyze({ roots: [ws] });
    const codes = (relative: string) => findingsIn(trusted, relative).map((finding) => finding.ruleId).sort();
    assert.deepEqual(codes('Included.wxs'), [], 'Config.wxi outside lists a certificate');
    assert.deepEqual(codes('OutsideCert.wxs'), ['invalid-certificate-file']);
    assert.deepEqual(codes('Linked.wxs'), ['invalid-certificate-file']);
    assert.deepEqual(codes('Closed.wxs'), ['lua-patching-disabled', 'missing-patch-certificate']);
  });

  it('reports the open files only', () => {
    const result = analyzeOpen('Open.wxs');
    assert.deepEqual(result.files, [path.join(ws, 'Open.wxs')]);
    assert.deepEqual(result.findings.map((finding) => `${path.basename(finding.file)} ${finding.ruleId}`).sort(), ['Open.wxs lua-patching-disabled', 'Open.wxs missing-patch-certificate']);
    assert.deepEqual(result.notices, []);
  });

  it('does not check a file that needs an include outside the workspace, and says which', () => {
    const result = analyzeOpen('Open.wxs', 'Included.wxs');
    assert.deepEqual(findingsIn(result, 'Included.wxs'), [], 'without Config.wxi, missing-patch-certificate would be wrong');
    const [notice, ...others] = noticesIn(result, 'Included.wxs');
    assert.deepEqual(others, []);
    assert.equal(notice.severity, 'information');
    assert.equal(NOT_CHECKED.exec(notice.message)?.[1], path.join('..', 'outside', 'Config.wxi'));
    assert.equal(notice.range?.start.line, 2, 'on the include');
    // The other open file is still checked.
    assert.deepEqual(findingsIn(result, 'Open.wxs').map((finding) => finding.ruleId).sort(), ['lua-patching-disabled', 'missing-patch-certificate']);
    assert.deepEqual(result.files, [path.join(ws, 'Included.wxs'), path.join(ws, 'Open.wxs')]);
  });

  it('does not check a file whose certificate is outside, directly or through a link, instead of calling it missing', () => {
    const result = analyzeOpen('OutsideCert.wxs', 'Linked.wxs');
    assert.deepEqual(result.findings, []);
    const messages = result.notices.map((notice) => `${path.basename(notice.file)}: ${NOT_CHECKED.exec(notice.message)?.[1]}`).sort();
    assert.deepEqual(messages, [
      `Linked.wxs: ${path.join('certs', 'signing.pem')} (through a link: ${path.join(root, 'outside', 'signing.pem')})`,
      `OutsideCert.wxs: ${path.join('..', 'outside', 'signing.pem')}`,
    ]);
  });

  it('does not check a source whose project could compile sources from outside (a link in its folder)', () => {
    const result = analyzeOpen('proj/Product.wxs');
    assert.deepEqual(result.findings, []);
    assert.deepEqual(
      result.notices.map((notice) => NOT_CHECKED.exec(notice.message)?.[1]),
      [`shared (through a link: ${path.join(root, 'outside')})`],
    );
  });

  it('opens, lists and stats nothing outside the workspace, not even through a link', () => {
    const openFiles = ['Open.wxs', 'Included.wxs', 'OutsideCert.wxs', 'Linked.wxs', 'tables/Property.idt', 'proj/Product.wxs'].map((relative) => path.join(ws, ...relative.split('/')));
    const buffers = openFiles.map((file) => [file, fs.readFileSync(file, 'utf8')] as const);
    // Every path handed to the fs module while analysing; afterwards, where on disk each call landed.
    const { result, calls } = recordFsCalls(() => {
      const freshOverlay = new OverlayFileSystem(new ConfinedFileSystem([ws]));
      for (const [file, text] of buffers) freshOverlay.setBuffer(file, text, 1);
      return new Engine(freshOverlay).analyze({ roots: openFiles, restricted: true });
    });
    assert.ok(calls.length > 0, 'the spy saw no file system call');
    const outside = calls.map(whereCallLanded).filter((file) => !(file === ws || file.startsWith(ws + path.sep)));
    assert.deepEqual(outside, []);
    assert.ok(result.files.includes(path.join(ws, 'tables', 'Property.idt')), 'the .idt table was analysed');
  });

  it('reads the whole database of an open .idt table, and offers no fix that writes a file', () => {
    const result = analyzeOpen('tables/MsiDigitalCertificate.idt');
    const finding = result.findings.find((candidate) => candidate.ruleId === 'unreferenced-digital-certificate');
    assert.ok(finding, `no unreferenced-digital-certificate among ${result.findings.map((candidate) => candidate.ruleId).join(', ')}`);
    assert.equal(finding.file, path.join(ws, 'tables', 'MsiDigitalCertificate.idt'));
    assert.deepEqual(finding.fixes, [], 'the fix would create MsiPatchCertificate.idt');
    // The trusted analysis offers it: this is what Restricted Mode takes away.
    const trusted = new Engine(overlay).analyze({ roots: [path.join(ws, 'tables')] });
    const offered = trusted.findings.find((candidate) => candidate.ruleId === 'unreferenced-digital-certificate');
    assert.ok(offered?.fixes.some((fix) => fix.createFiles?.length), 'the trusted analysis offers no fix that creates the table file');
  });

  it('leaves a file checked when only a wix-uac.json above the workspace could not be looked for', () => {
    const confined = new ConfinedFileSystem([ws]);
    const recording = confined.recordRefusals(() => new Engine(new OverlayFileSystem(confined)).analyze({ roots: [path.join(ws, 'Closed.wxs')], restricted: true }));
    assert.ok(recording.refused.some((refusal) => path.basename(refusal.path) === 'wix-uac.json'), 'wix-uac.json was not looked for above the workspace');
    assert.deepEqual(recording.result.findings.map((finding) => finding.ruleId).sort(), ['lua-patching-disabled', 'missing-patch-certificate']);
  });
});

it('only an explicit workspaceTrusted: false restricts the server', () => {
  assert.equal(isWorkspaceTrusted(undefined), true);
  assert.equal(isWorkspaceTrusted(null), true);
  assert.equal(isWorkspaceTrusted({}), true);
  assert.equal(isWorkspaceTrusted({ workspaceTrusted: true }), true);
  assert.equal(isWorkspaceTrusted({ workspaceTrusted: false }), false);
});

/** Starts dist/server.js and initialises it on `folder`, with `initializationOptions` as VS Code's client sends them. */
async function startEditor(folder: string, initializationOptions: unknown): Promise<Editor> {
  const editor = Editor.start();
  await editor.initialize({
    folder,
    initializationOptions,
    capabilities: {
      textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
      workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true } },
      window: { workDoneProgress: true },
    },
  });
  return editor;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
const messageOf = (diagnostic: Diagnostic): string => (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value);
const notCheckedNotice = (diagnostics: Diagnostic[]) => diagnostics.find((diagnostic) => NOT_CHECKED.test(messageOf(diagnostic)));

describe('language server in Restricted Mode (initializationOptions.workspaceTrusted: false)', { timeout: 120_000 }, () => {
  let root: string;
  let ws: string;
  let editor: Editor;
  const inWorkspace = (relative: string) => path.join(ws, ...relative.split('/'));
  /** Opens `file` with its text on disk, as the editor does when the user opens it. */
  const open = (file: string): void => editor.open(uriOf(file), fs.readFileSync(file, 'utf8'), file.endsWith('.idt') ? 'plaintext' : 'xml');

  before(async () => {
    root = makeTree();
    ws = path.join(root, 'ws');
    editor = await startEditor(ws, { workspaceTrusted: false });
  });
  after(() => {
    editor?.kill();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('analyses an open source, and leaves a closed one alone', async () => {
    open(inWorkspace('Open.wxs'));
    const diagnostics = await editor.latestDiagnostics(uriOf(inWorkspace('Open.wxs')), 'the findings of the open file', (published) => published.length > 0);
    assert.deepEqual(codesOf(diagnostics), ['lua-patching-disabled', 'missing-patch-certificate']);
    await settle();
    assert.equal(editor.diagnostics.get(uriOf(inWorkspace('Closed.wxs'))), undefined, 'Closed.wxs has the same findings, but it is not open');
  });

  for (const { file, reads, line } of [
    { file: 'Included.wxs', reads: () => path.join('..', 'outside', 'Config.wxi'), line: 2 },
    { file: 'OutsideCert.wxs', reads: () => path.join('..', 'outside', 'signing.pem'), line: 3 },
    { file: 'Linked.wxs', reads: () => `${path.join('certs', 'signing.pem')} (through a link: ${path.join(root, 'outside', 'signing.pem')})`, line: 3 },
  ]) {
    it(`does not read what ${file} points at outside the workspace, and reports no finding it could make wrong`, async () => {
      open(inWorkspace(file));
      const diagnostics = await editor.latestDiagnostics(uriOf(inWorkspace(file)), 'the Restricted Mode notice', (published) => notCheckedNotice(published) !== undefined);
      // Trusted, the file's content outside decides: Config.wxi lists a certificate (no
      // missing-patch-certificate), signing.pem is PEM (invalid-certificate-file); the last test shows it.
      assert.deepEqual(codesOf(diagnostics), [], 'no finding at all: missing-patch-certificate or missing-certificate-file would be wrong');
      const notice = notCheckedNotice(diagnostics)!;
      assert.equal(notice.severity, DiagnosticSeverity.Information);
      assert.equal(NOT_CHECKED.exec(messageOf(notice))?.[1], reads());
      assert.equal(notice.range.start.line, line, 'the notice is on the line that names the file');
    });
  }

  it('offers no quick fix that writes a file', async () => {
    const tableFile = inWorkspace('tables/MsiDigitalCertificate.idt');
    open(tableFile);
    const diagnostics = await editor.latestDiagnostics(uriOf(tableFile), 'unreferenced-digital-certificate', (published) => codesOf(published).includes('unreferenced-digital-certificate'));
    const actions = await editor.request<CodeAction[]>(CodeActionRequest.type, {
      textDocument: { uri: uriOf(tableFile) },
      range: diagnostics[0].range,
      context: { diagnostics: diagnostics.filter((diagnostic) => diagnostic.code === 'unreferenced-digital-certificate') },
    });
    assert.deepEqual(actions, [], 'trusted, "Add an MsiPatchCertificate row" creates MsiPatchCertificate.idt');
  });

  it('refuses to run a fix that creates files, and writes nothing', async () => {
    const target = inWorkspace('certs-new/signer.cer');
    await assert.rejects(
      editor.request(ExecuteCommandRequest.type, {
        command: 'wix-uac.applyFix',
        arguments: [{ createFiles: [{ file: target, base64: CONTOSO_DER.toString('base64') }], edit: { documentChanges: [] } }],
      }),
      /this fix writes signer\.cer, and nothing is written in Restricted Mode/,
    );
    assert.equal(fs.existsSync(target), false);
    assert.equal(fs.existsSync(path.dirname(target)), false);
  });

  it('"Analyze workspace" re-analyses the open files only, and says so', async () => {
    const summary = await editor.request<{ files: number; findings: number; restricted?: boolean }>(ExecuteCommandRequest.type, { command: 'wix-uac.analyzeWorkspace', arguments: [] });
    // Open.wxs, Included.wxs, OutsideCert.wxs, Linked.wxs and the open table file.
    assert.deepEqual(summary, { files: 5, findings: 3, restricted: true });
    await settle();
    assert.equal(editor.diagnostics.get(uriOf(inWorkspace('Closed.wxs'))), undefined);
  });

  it('the package view reads a package inside the workspace, and refuses one outside or linked from outside', async () => {
    const inside = await editor.request<{ error?: string; findings: Array<{ ruleId: string }>; tables: unknown[] }>({ method: 'wixUac/inspect' }, { uri: uriOf(inWorkspace('bin/Hotfix.msp')) });
    assert.equal(inside.error, undefined);
    assert.ok(inside.tables.length > 0);
    assert.deepEqual(inside.findings.map((finding) => finding.ruleId), ['unsigned-patch']);
    for (const file of [path.join(root, 'outside', 'Hotfix.msp'), inWorkspace('bin/Outside.msp')]) {
      await assert.rejects(editor.request({ method: 'wixUac/inspect' }, { uri: uriOf(file) }), /is outside the workspace, and nothing outside it is read in Restricted Mode/, file);
    }
  });

  it('once trusted (a new server, as the client restarts it), analyses the whole workspace and reads what it points at', async () => {
    await editor.stop();
    editor = await startEditor(ws, { workspaceTrusted: true });
    // Nothing is open: these come from the workspace analysis.
    const closed = await editor.latestDiagnostics(uriOf(inWorkspace('Closed.wxs')), 'findings of a file never opened', (published) => published.length > 0);
    assert.deepEqual(codesOf(closed), ['lua-patching-disabled', 'missing-patch-certificate']);
    for (const file of ['OutsideCert.wxs', 'Linked.wxs']) {
      const diagnostics = await editor.latestDiagnostics(uriOf(inWorkspace(file)), 'invalid-certificate-file from signing.pem outside', (published) => published.length > 0);
      assert.deepEqual(codesOf(diagnostics), ['invalid-certificate-file']);
    }
    const included = editor.diagnostics.get(uriOf(inWorkspace('Included.wxs'))) ?? [];
    assert.deepEqual(codesOf(included), [], 'Config.wxi outside lists the patch certificate');
    const tableFile = inWorkspace('tables/MsiDigitalCertificate.idt');
    const flagged = await editor.latestDiagnostics(uriOf(tableFile), 'unreferenced-digital-certificate', (published) => codesOf(published).includes('unreferenced-digital-certificate'));
    const actions = await editor.request<CodeAction[]>(CodeActionRequest.type, { textDocument: { uri: uriOf(tableFile) }, range: flagged[0].range, context: { diagnostics: flagged } });
    assert.deepEqual(actions.map((action) => action.command?.command), ['wix-uac.applyFix']);
  });
});
