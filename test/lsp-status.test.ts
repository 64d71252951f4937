// The wixUac/status notification and the server log level, through the real protocol: the built
// dist/server.js over stdio on a temporary copy of test/fixtures/lsp/ with a built patch in bin/.
// Then what the status bar item makes of those statuses, in English and in Spanish.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { presentStatus, type Localizer } from '../client/src/status';
import { STATUS_NOTIFICATION, type ServerStatus } from '../server/src/lsp/status';

const repoRoot = path.join(__dirname, '..', '..');
const serverScript = path.join(repoRoot, 'dist', 'server.js');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'lsp');
const unsignedPatch = path.join(repoRoot, 'test', 'fixtures', 'packages', 'patch-unsigned.msp');
const spanishBundle = JSON.parse(fs.readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.es.json'), 'utf8')) as Record<string, string>;

const WAIT_MS = 10_000;
const uriOf = (filePath: string): string => pathToFileURL(filePath).href;

/** vscode.l10n.t as VS Code runs it: the bundle's message if it has one, then {n} replaced by the arguments. */
function localizer(bundle: Record<string, string>): Localizer {
  const t = (message: string, ...args: unknown[]): string => (bundle[message] ?? message).replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
  return { t: t as Localizer['t'] };
}
const english = localizer({});
const spanish = localizer(spanishBundle);

interface LogLine {
  type: MessageType;
  message: string;
}

/** An editor's side of the connection, recording statuses, log lines and diagnostics in arrival order. */
class Editor {
  readonly connection: ProtocolConnection;
  readonly statuses: ServerStatus[] = [];
  readonly log: LogLine[] = [];
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** What workspace/configuration answers for the `wixUac` section. */
  settings: unknown = {};
  private readonly listeners = new Set<() => void>();

  constructor(private readonly child: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const changed = (): void => this.listeners.forEach((listener) => listener());
    this.connection.onNotification(STATUS_NOTIFICATION, (status: ServerStatus) => {
      this.statuses.push(status);
      changed();
    });
    this.connection.onNotification(LogMessageNotification.type, ({ type, message }) => {
      this.log.push({ type, message });
      changed();
    });
    this.connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => {
      this.diagnostics.set(uri, diagnostics);
      changed();
    });
    this.connection.onRequest(ConfigurationRequest.type, ({ items }) => items.map((item) => (item.section === 'wixUac' ? this.settings : null)));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.connection.onNotification('$/progress', () => undefined);
    this.connection.listen();
  }

  static async start(workspace: string, settings: unknown): Promise<Editor> {
    assert.ok(fs.existsSync(serverScript), `${serverScript} is missing: run "npm run build" first`);
    const editor = new Editor(spawn(process.execPath, [serverScript, '--stdio'], { stdio: 'pipe' }));
    editor.settings = settings;
    await editor.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(workspace),
      workspaceFolders: [{ uri: uriOf(workspace), name: 'fixture' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
      },
    });
    void editor.connection.sendNotification(InitializedNotification.type, {});
    return editor;
  }

  /** Resolves once `condition` holds, checked now and after every message from the server. */
  until<T>(what: string, condition: () => T | undefined | false): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = condition();
        if (value === undefined || value === false) return;
        finish();
        resolve(value);
      };
      const timer = setTimeout(() => {
        finish();
        const log = this.log.map((line) => `[${line.type}] ${line.message}`).join('\n');
        reject(new Error(`Timed out after ${WAIT_MS} ms waiting for ${what}.\nStatuses: ${JSON.stringify(this.statuses.map((status) => status.state))}\nLog:\n${log}`));
      }, WAIT_MS);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The first status from index `from` on that satisfies `accept`. */
  nextStatus(from: number, what: string, accept: (status: ServerStatus) => boolean): Promise<ServerStatus> {
    return this.until(what, () => this.statuses.slice(from).find(accept));
  }

  /** The first log line from index `from` on that matches. */
  nextLogLine(from: number, pattern: RegExp): Promise<LogLine> {
    return this.until(`a log line matching ${pattern}`, () => this.log.slice(from).find((line) => pattern.test(line.message)));
  }

  changeSettings(settings: unknown): void {
    this.settings = settings;
    // With workspace/configuration the server pulls the section; the pushed value is not used.
    void this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  kill(): void {
    this.connection.dispose();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
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
  const setBuffer = (text: string): void =>
    void editor.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriOf(productPath), version: ++version }, contentChanges: [{ text }] });

  before(async () => {
    workspace = temporaryFolder();
    fs.cpSync(fixtures, workspace, { recursive: true });
    productPath = path.join(workspace, 'Product.wxs');
    fs.writeFileSync(productPath, productOnDisk());
    fs.mkdirSync(path.join(workspace, 'bin'));
    fs.copyFileSync(unsignedPatch, path.join(workspace, 'bin', 'Hotfix.msp'));
    editor = await Editor.start(workspace, { server: { logLevel: 'debug' } });
  });

  after(() => {
    editor?.kill();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('says it is indexing while it reads the packages, then sends the counts of the first analysis', async () => {
    firstReady = await editor.nextStatus(0, 'the first ready status', (status) => status.state === 'ready');
    const beforeReady = editor.statuses.slice(0, editor.statuses.indexOf(firstReady));
    assert.ok(beforeReady.length > 0 && beforeReady.every((status) => status.state === 'indexing'), JSON.stringify(beforeReady));
    assert.ok(
      beforeReady.some((status) => status.progress?.done === 0 && status.progress.total === 1),
      `no progress for the one package in bin/: ${JSON.stringify(beforeReady.map((status) => status.progress))}`,
    );

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
    const line = await editor.nextLogLine(0, /^analysed \d+ files in \d+ ms/);
    assert.equal(line.type, MessageType.Debug);
    assert.match(line.message, new RegExp(`^analysed ${firstReady.files} files in \\d+ ms: ${firstReady.findings.error + firstReady.findings.warning + firstReady.findings.information + firstReady.findings.hint} findings`));
    const packages = await editor.nextLogLine(0, /^read \d+ packages? in \d+ ms$/);
    assert.equal(packages.type, MessageType.Info);
    assert.match(packages.message, /^read 1 package in/);
  });

  it('sends new counts when an edit changes the findings, and nothing when it does not', async () => {
    const from = editor.statuses.length;
    void editor.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uriOf(productPath), languageId: 'xml', version, text: productWithProperty() },
    });
    const withProperty = await editor.nextStatus(from, 'lua-patching-disabled counted', (status) => status.rules['lua-patching-disabled'] === 1);
    assert.equal(withProperty.state, 'ready');
    assert.equal(withProperty.findings.warning, firstReady.findings.warning + 1);

    // A comment changes no finding: the server analyses (it logs so) but sends no status.
    const statusesBefore = editor.statuses.length;
    const logFrom = editor.log.length;
    setBuffer(`${productWithProperty()}\n<!-- a comment -->\n`);
    await editor.nextLogLine(logFrom, /^analysed /);
    assert.equal(editor.statuses.length, statusesBefore, `unexpected statuses: ${JSON.stringify(editor.statuses.slice(statusesBefore))}`);
  });

  it('spins again while Analyze workspace analyses from scratch, then reports the same counts', async () => {
    const from = editor.statuses.length;
    const summary = await editor.connection.sendRequest(ExecuteCommandRequest.type, { command: 'wix-uac.analyzeWorkspace', arguments: [] });
    const ready = await editor.nextStatus(from, 'ready after the command', (status) => status.state === 'ready');
    const sequence = editor.statuses.slice(from, editor.statuses.indexOf(ready) + 1).map((status) => status.state);
    assert.deepEqual(sequence, ['indexing', 'ready']);
    const total = ready.findings.error + ready.findings.warning + ready.findings.information + ready.findings.hint;
    assert.deepEqual(summary, { ...(summary as object), files: ready.files, findings: total });
  });

  it('follows a change of wixUac.server.logLevel at once, without a restart', async () => {
    // error: nothing but errors, not even the debug line of the analysis an edit causes.
    let logFrom = editor.log.length;
    editor.changeSettings({ server: { logLevel: 'error' } });
    await editor.nextLogLine(logFrom, /^log level error \(was debug\)$/);
    logFrom = editor.log.length;
    const statusFrom = editor.statuses.length;
    setBuffer(productOnDisk());
    await editor.nextStatus(statusFrom, 'lua-patching-disabled gone', (status) => status.rules['lua-patching-disabled'] === undefined);
    assert.deepEqual(editor.log.slice(logFrom).filter((line) => line.type !== MessageType.Error), []);

    // trace: the analysis line and the list of files, as debug messages (LSP has no trace type).
    logFrom = editor.log.length;
    editor.changeSettings({ server: { logLevel: 'trace' } });
    await editor.nextLogLine(logFrom, /^log level trace \(was error\)$/);
    // The change of settings itself causes an analysis; wait for it, so the edit below gets its own.
    await editor.nextLogLine(logFrom, /^\[trace\] files: /);
    logFrom = editor.log.length;
    const editFrom = editor.statuses.length;
    setBuffer(productWithProperty());
    // The status goes out after the log lines of the same analysis.
    await editor.nextStatus(editFrom, 'lua-patching-disabled back', (status) => status.rules['lua-patching-disabled'] === 1);
    const lines = editor.log.slice(logFrom);
    assert.ok(lines.some((line) => line.type === MessageType.Debug && /^analysed \d+ files in \d+ ms: 3 findings/.test(line.message)), JSON.stringify(lines));
    const files = lines.find((line) => line.message.startsWith('[trace] files: '));
    assert.equal(files?.type, MessageType.Debug);
    assert.ok(files.message.includes(productPath), files.message);
  });

  it('warns about a log level it does not know and falls back to info', async () => {
    const logFrom = editor.log.length;
    editor.changeSettings({ server: { logLevel: 'loud' } });
    const warning = await editor.nextLogLine(logFrom, /wixUac\.server\.logLevel/);
    assert.equal(warning.type, MessageType.Warning);
    assert.match(warning.message, /"loud" is not one of off\|error\|warning\|info\|debug\|trace; logging at info/);
    const statusFrom = editor.statuses.length;
    const afterWarning = editor.log.length;
    setBuffer(productOnDisk());
    await editor.nextStatus(statusFrom, 'lua-patching-disabled gone again', (status) => status.rules['lua-patching-disabled'] === undefined);
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

    const reading = editor.statuses.find((status) => status.progress);
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
    editor = await Editor.start(folder, {});
    const ready = await editor.nextStatus(0, 'ready', (status) => status.state === 'ready');
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
