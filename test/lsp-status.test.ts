// The wixUac/status notification and the server log level, through the real protocol: the built
// dist/server.js over stdio on a temporary copy of test/fixtures/lsp/ with a built patch in bin/.
// Then what the status bar item makes of those statuses, in English and in Spanish.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ExecuteCommandRequest, MessageType } from 'vscode-languageserver-protocol/node';
import { presentStatus, type Localizer } from '../client/src/status';
import { STATUS_NOTIFICATION, type ServerStatus } from '../server/src/lsp/status';
import { Editor, uriOf, type LogLine } from './support/lsp-editor';

const repoRoot = path.join(__dirname, '..', '..');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'lsp');
const unsignedPatch = path.join(repoRoot, 'test', 'fixtures', 'packages', 'patch-unsigned.msp');
const spanishBundle = JSON.parse(fs.readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.es.json'), 'utf8')) as Record<string, string>;

/** vscode.l10n.t as VS Code runs it: the bundle's message if it has one, then {n} replaced by the arguments. */
function localizer(bundle: Record<string, string>): Localizer {
  const t = (message: string, ...args: unknown[]): string => (bundle[message] ?? message).replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
  return { t: t as Localizer['t'] };
}
const english = localizer({});
const spanish = localizer(spanishBundle);

/** Starts the server on `workspace` with `settings` as the `wixUac` section. */
async function startEditor(workspace: string, settings: unknown): Promise<Editor> {
  const editor = Editor.start();
  editor.settings = settings;
  await editor.initialize({
    folder: workspace,
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
      window: { workDoneProgress: true },
    },
  });
  return editor;
}

/** The wixUac/status notifications received, in arrival order. */
const statusesOf = (editor: Editor): ServerStatus[] => editor.notificationsOf<ServerStatus>(STATUS_NOTIFICATION);

/** The first status from index `from` on that satisfies `accept`. */
function nextStatus(editor: Editor, from: number, what: string, accept: (status: ServerStatus) => boolean): Promise<ServerStatus> {
  return editor.until(what, () => statusesOf(editor).slice(from).find(accept));
}

/** The first log line from index `from` on that matches. */
function nextLogLine(editor: Editor, from: number, pattern: RegExp): Promise<LogLine> {
  return editor.until(`a log line matching ${pattern}`, () => editor.log.slice(from).find((line) => pattern.test(line.message)));
}

function temporaryFolder(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-status-')));
}

const SEVERITY_NAMES: Record<number, keyof ServerStatus['findings']> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

describe('wixUac/status and wixUac.server.logLevel (dist/server.js --stdio)', { timeout: 120_000 }, () => {
  let workspace: string;
  let productPath: string;
  let editor: Editor;
  let firstReady: ServerStatus;
  const productOnDisk = (): string => fs.readFileSync(path.join(fixtures, 'Product.wxs'), 'utf8').replace(/^.*MSIDISABLELUAPATCHING.*\r?\n/m, '');
  const productWithProperty = (): string => fs.readFileSync(path.join(fixtures, 'Product.wxs'), 'utf8');
  let version = 1;
  const setBuffer = (text: string): void => editor.change(uriOf(productPath), ++version, [{ text }]);

  before(async () => {
    workspace = temporaryFolder();
    fs.cpSync(fixtures, workspace, { recursive: true });
    productPath = path.join(workspace, 'Product.wxs');
    fs.writeFileSync(productPath, productOnDisk());
    fs.mkdirSync(path.join(workspace, 'bin'));
    fs.copyFileSync(unsignedPatch, path.join(workspace, 'bin', 'Hotfix.msp'));
    editor = await startEditor(workspace, { server: { logLevel: 'debug' } });
  });

  after(() => {
    editor?.kill();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('says it is indexing while it reads the packages, then sends the counts of the first analysis', async () => {
    firstReady = await nextStatus(editor, 0, 'the first ready status', (status) => status.state === 'ready');
    const beforeReady = statusesOf(editor).slice(0, statusesOf(editor).indexOf(firstReady));
    assert.ok(beforeReady.length > 0 && beforeReady.every((status) => status.state === 'indexing'), JSON.stringify(beforeReady));
    assert.ok(
      beforeReady.some((status) => status.progress?.done === 0 && status.progress.total === 1),
      `no progress for the one package in bin/: ${JSON.stringify(beforeReady.map((status) => status.progress))}`,
    );
    // Once the packages are read, the status bar says the workspace is being analysed, not "reading the packages (1 of 1)".
    assert.equal(beforeReady.at(-1)?.progress, undefined, JSON.stringify(beforeReady));

    // The status is sent after the diagnostics of the same analysis: it must count exactly what the editor shows.
    const published = [...editor.diagnostics.values()].flat().filter((diagnostic) => diagnostic.source === 'wix-uac');
    const findings = published.filter((diagnostic) => diagnostic.code !== undefined);
    const bySeverity = { error: 0, warning: 0, information: 0, hint: 0 };
    const byRule: Record<string, number> = {};
    for (const diagnostic of findings) {
      bySeverity[SEVERITY_NAMES[diagnostic.severity!]]++;
      byRule[String(diagnostic.code)] = (byRule[String(diagnostic.code)] ?? 0) + 1;
    }
    assert.deepEqual(firstReady.findings, bySeverity);
    assert.deepEqual(firstReady.rules, byRule);
    assert.equal(firstReady.notices, published.length - findings.length);
    assert.ok(firstReady.rules['missing-patch-certificate'] === 1 && firstReady.rules['unsigned-patch'] >= 1, JSON.stringify(firstReady.rules));
    assert.ok(firstReady.files >= 3, `files: ${firstReady.files}`);
  });

  it('logs each analysis with its file count and time at debug level', async () => {
    const line = await nextLogLine(editor, 0, /^analysed \d+ files in \d+ ms/);
    assert.equal(line.type, MessageType.Debug);
    assert.match(line.message, new RegExp(`^analysed ${firstReady.files} files in \\d+ ms: ${firstReady.findings.error + firstReady.findings.warning + firstReady.findings.information + firstReady.findings.hint} findings`));
    const packages = await nextLogLine(editor, 0, /^read \d+ packages? in \d+ ms$/);
    assert.equal(packages.type, MessageType.Info);
    assert.match(packages.message, /^read 1 package in/);
  });

  it('sends new counts when an edit changes the findings, and nothing when it does not', async () => {
    const from = statusesOf(editor).length;
    editor.open(uriOf(productPath), productWithProperty());
    const withProperty = await nextStatus(editor, from, 'lua-patching-disabled counted', (status) => status.rules['lua-patching-disabled'] === 1);
    assert.equal(withProperty.state, 'ready');
    assert.equal(withProperty.findings.warning, firstReady.findings.warning + 1);

    // A comment changes no finding: the server analyses (it logs so) but sends no status.
    const statusesBefore = statusesOf(editor).length;
    const logFrom = editor.log.length;
    setBuffer(`${productWithProperty()}\n<!-- a comment -->\n`);
    await nextLogLine(editor, logFrom, /^analysed /);
    assert.equal(statusesOf(editor).length, statusesBefore, `unexpected statuses: ${JSON.stringify(statusesOf(editor).slice(statusesBefore))}`);
  });

  it('spins again while Analyze workspace analyses from scratch, then reports the same counts', async () => {
    const from = statusesOf(editor).length;
    const summary = await editor.request(ExecuteCommandRequest.type, { command: 'wix-uac.analyzeWorkspace', arguments: [] });
    const ready = await nextStatus(editor, from, 'ready after the command', (status) => status.state === 'ready');
    const sequence = statusesOf(editor).slice(from, statusesOf(editor).indexOf(ready) + 1).map((status) => status.state);
    assert.deepEqual(sequence, ['indexing', 'ready']);
    const total = ready.findings.error + ready.findings.warning + ready.findings.information + ready.findings.hint;
    assert.deepEqual(summary, { ...(summary as object), files: ready.files, findings: total });
  });

  it('follows a change of wixUac.server.logLevel at once, without a restart', async () => {
    // error: nothing but errors, not even the debug line of the analysis an edit causes.
    let logFrom = editor.log.length;
    editor.changeSettings({ server: { logLevel: 'error' } });
    await nextLogLine(editor, logFrom, /^log level error \(was debug\)$/);
    logFrom = editor.log.length;
    const statusFrom = statusesOf(editor).length;
    setBuffer(productOnDisk());
    await nextStatus(editor, statusFrom, 'lua-patching-disabled gone', (status) => status.rules['lua-patching-disabled'] === undefined);
    assert.deepEqual(editor.log.slice(logFrom).filter((line) => line.type !== MessageType.Error), []);

    // trace: the analysis line and the list of files, as debug messages (LSP has no trace type).
    logFrom = editor.log.length;
    editor.changeSettings({ server: { logLevel: 'trace' } });
    await nextLogLine(editor, logFrom, /^log level trace \(was error\)$/);
    // The change of settings itself causes an analysis; wait for it, so the edit below gets its own.
    await nextLogLine(editor, logFrom, /^\[trace\] files: /);
    logFrom = editor.log.length;
    const editFrom = statusesOf(editor).length;
    setBuffer(productWithProperty());
    // The status goes out after the log lines of the same analysis.
    await nextStatus(editor, editFrom, 'lua-patching-disabled back', (status) => status.rules['lua-patching-disabled'] === 1);
    const lines = editor.log.slice(logFrom);
    assert.ok(lines.some((line) => line.type === MessageType.Debug && /^analysed \d+ files in \d+ ms: 3 findings/.test(line.message)), JSON.stringify(lines));
    const files = lines.find((line) => line.message.startsWith('[trace] files: '));
    assert.equal(files?.type, MessageType.Debug);
    assert.ok(files.message.includes(productPath), files.message);
  });

  it('warns about a log level it does not know and falls back to info', async () => {
    const logFrom = editor.log.length;
    editor.changeSettings({ server: { logLevel: 'loud' } });
    const warning = await nextLogLine(editor, logFrom, /wixUac\.server\.logLevel/);
    assert.equal(warning.type, MessageType.Warning);
    assert.match(warning.message, /"loud" is not one of off\|error\|warning\|info\|debug\|trace; logging at info/);
    const statusFrom = statusesOf(editor).length;
    const afterWarning = editor.log.length;
    setBuffer(productOnDisk());
    await nextStatus(editor, statusFrom, 'lua-patching-disabled gone again', (status) => status.rules['lua-patching-disabled'] === undefined);
    assert.deepEqual(editor.log.slice(afterWarning).filter((line) => line.type === MessageType.Debug), []);
  });

  it('is shown as the count of findings with a breakdown, in English and in Spanish', () => {
    const total = firstReady.findings.error + firstReady.findings.warning + firstReady.findings.information + firstReady.findings.hint;
    const shown = presentStatus({ kind: 'running', status: firstReady }, english);
    assert.equal(shown.visible, true);
    assert.equal(shown.text, `$(shield) ${total}`);
    assert.equal(shown.opens, 'problems');
    assert.match(shown.tooltip, new RegExp(`Errors: ${firstReady.findings.error} · \\$\\(warning\\) Warnings: ${firstReady.findings.warning}`));
    for (const ruleId of Object.keys(firstReady.rules)) assert.ok(shown.tooltip.includes(`\`${ruleId}\`: ${firstReady.rules[ruleId]}`), `${ruleId} missing from ${shown.tooltip}`);
    assert.equal(shown.accessibleLabel, `wix-uac: ${total} findings`);

    const enSpanish = presentStatus({ kind: 'running', status: firstReady }, spanish);
    assert.equal(enSpanish.text, shown.text);
    assert.match(enSpanish.tooltip, new RegExp(`Errores: ${firstReady.findings.error} · \\$\\(warning\\) Advertencias: ${firstReady.findings.warning}`));
    assert.match(enSpanish.tooltip, new RegExp(`${firstReady.files} archivos analizados`));
    assert.match(enSpanish.tooltip, /Haga clic para abrir el panel Problemas\./);
    assert.equal(enSpanish.accessibleLabel, `wix-uac: ${total} hallazgos`);

    const reading = statusesOf(editor).find((status) => status.progress);
    assert.ok(reading);
    const spinning = presentStatus({ kind: 'running', status: reading }, spanish);
    assert.equal(spinning.text, '$(sync~spin) wix-uac');
    assert.equal(spinning.tooltip, 'wix-uac está leyendo los paquetes del área de trabajo (1 de 1)…');
  });
});

describe('the status bar item in a workspace without anything for wix-uac', { timeout: 60_000 }, () => {
  let folder: string;
  let editor: Editor | undefined;

  before(() => {
    folder = temporaryFolder();
    fs.writeFileSync(path.join(folder, 'README.md'), '# not an installer\n');
  });

  after(() => {
    editor?.kill();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('is hidden once the server has found no file to check', async () => {
    editor = await startEditor(folder, {});
    const ready = await nextStatus(editor, 0, 'ready', (status) => status.state === 'ready');
    assert.equal(ready.files, 0);
    assert.equal(presentStatus({ kind: 'running', status: ready }, english).visible, false);
    // Until then it spins: the server may still find something.
    assert.equal(presentStatus({ kind: 'starting' }, english).visible, true);
  });
});

describe('the status bar item when something went wrong', () => {
  const failed: ServerStatus = { state: 'failed', files: 4, findings: { error: 1, warning: 0, information: 0, hint: 0 }, rules: { 'unsigned-patch': 1 }, notices: 0, message: 'boom' };

  it('points at the output channel, in an error colour, with the reason', () => {
    for (const shown of [presentStatus({ kind: 'running', status: failed }, english), presentStatus({ kind: 'stopped', reason: 'spawn ENOENT' }, english)]) {
      assert.equal(shown.visible, true);
      assert.equal(shown.text, '$(error) wix-uac');
      assert.equal(shown.opens, 'output');
      assert.equal(shown.isError, true);
    }
    assert.match(presentStatus({ kind: 'running', status: failed }, english).tooltip, /The last wix-uac analysis failed: boom/);
    assert.match(presentStatus({ kind: 'stopped', reason: 'spawn ENOENT' }, spanish).tooltip, /El servidor de lenguaje de wix-uac no se está ejecutando\.\n\nspawn ENOENT\n\nHaga clic para abrir la salida de wix-uac\./);
  });

  it('says why nothing is counted in Restricted Mode', () => {
    const restricted: ServerStatus = { state: 'ready', files: 0, findings: { error: 0, warning: 0, information: 0, hint: 0 }, rules: {}, notices: 0, restricted: true };
    const shown = presentStatus({ kind: 'running', status: restricted }, spanish);
    assert.equal(shown.visible, true);
    assert.equal(shown.text, '$(workspace-untrusted) wix-uac');
    assert.match(shown.tooltip, /^Modo restringido: solo se analizan los archivos abiertos\./);
  });

  it('shows a check mark when there is nothing to fix', () => {
    const clean: ServerStatus = { state: 'ready', files: 3, findings: { error: 0, warning: 0, information: 0, hint: 0 }, rules: {}, notices: 0 };
    const shown = presentStatus({ kind: 'running', status: clean }, spanish);
    assert.equal(shown.text, '$(check) wix-uac');
    assert.match(shown.tooltip, /No hay hallazgos\./);
  });
});
