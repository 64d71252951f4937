// The language server: keeps open buffers over the disk, re-runs the engine on every change and
// turns its result into diagnostics, quick fixes, code lenses and hovers.
import * as l10n from '@vscode/l10n';
import * as nodeFs from 'fs';
import * as path from 'path';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  LogMessageNotification,
  MarkupKind,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type CodeAction,
  type CodeLens,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfinedFileSystem, Engine, isInside, NodeFileSystem, OverlayFileSystem, type AnalysisResult, type EngineOptions, type Finding } from '../engine';
import {
  APPLY_FIX_COMMAND,
  fixCommand,
  matchesDiagnostic,
  noticeToDiagnostic,
  pathToUri,
  toCodeAction,
  toDiagnostic,
  uriToPath,
  type ApplyFixArguments,
  type ClientContext,
} from './convert';
import { setLocale } from '../engine/l10n';
import { readSettings, SETTINGS_SECTION, type Settings } from './settings';
import { fileWritesRefused, isWorkspaceTrusted, outsideWorkspaceRefused } from './workspace-trust';
import { readLogLevel, ServerLog } from './log';
import { serverStatus, STATUS_NOTIFICATION, type AnalysisState, type ServerStatus } from './status';

const ANALYZE_WORKSPACE_COMMAND = 'wix-uac.analyzeWorkspace';

interface AnalyzeWorkspaceSummary {
  files: number;
  findings: number;
  /** Restricted Mode: only the open files were analysed. */
  restricted?: boolean;
}

/**
 * Files whose change on disk can change findings: sources, projects and the MSBuild files they
 * import (signing steps), certificates, packages, publishing manifests, configuration.
 */
const WATCHED_FILE_GLOBS = ['**/*.{wxs,wxi,wixproj,targets,props,cer,crt,pem,der}', '**/*.{msi,msp,mst,idt}', '**/*.{sdp,xml}', '**/wix-uac.json'];

/** Custom request of the package view: the content of a .msi/.msp/.idt database, its signature and findings. */
export const INSPECT_REQUEST = 'wixUac/inspect';

/**
 * The least time between the end of one analysis and the start of the next. A change after a
 * pause is analysed at once; a burst of keystrokes or a multi-file save folds into few analyses.
 */
const ANALYSIS_DELAY_MS = 30;

/** Rows per table sent to the package view; the CLI's inspect shows them all. */
const INSPECT_MAX_ROWS = 2000;

/** `engineOptions` are for tests (a faulty rule among the rules); editors start the server with none. */
export function startServer(connection: Connection, engineOptions: EngineOptions = {}): void {
  new WixUacServer(connection, engineOptions).listen();
}

/** Windows paths compare case-insensitively (a drive letter comes as `c:` from URIs, `C:` from authoring). */
function pathKey(filePath: string): string {
  return process.platform === 'win32' ? filePath.toLowerCase() : filePath;
}

/** Drops folders inside others (and duplicates): the engine walks folders recursively. */
function outermostFolders(folders: string[]): string[] {
  const kept: string[] = [];
  for (const folder of [...folders].sort((a, b) => a.length - b.length)) {
    if (!kept.some((outer) => isInside(outer, folder))) kept.push(folder);
  }
  return kept;
}

class WixUacServer {
  private readonly documents = new TextDocuments(TextDocument);
  private overlay = new OverlayFileSystem(new NodeFileSystem());
  private engine: Engine;
  /** Restricted Mode (the client says the workspace is not trusted): the disk under the overlay, limited to the workspace folders. */
  private confined: ConfinedFileSystem | undefined;
  private capabilities: ClientCapabilities = {};
  private workspaceFolders: string[] = [];
  private settings: Settings = { severityOverrides: {} };
  private reportedSettingsProblems = '';
  private readonly log = new ServerLog((type, message) => void this.connection.sendNotification(LogMessageNotification.type, { type, message }));
  /** JSON of the last wixUac/status sent, so an unchanged status is not sent again after every keystroke. */
  private sentStatus = '';
  /** Open documents by path key: the URI the client spells them with, and the version last analysed. */
  private readonly openUris = new Map<string, string>();
  private readonly analyzedVersions = new Map<string, number>();
  // Document versions restart at 1 when a file is reopened, but the engine keys its caches on the
  // buffer version: a counter over the whole session keeps reopened text from hitting a stale cache.
  private bufferGeneration = 0;
  private result: AnalysisResult | undefined;
  /** Exceptions contained during the current analysis and the one before, by stack, so a crash repeated on every keystroke is logged once. */
  private containedErrors = new Set<string>();
  private previousContainedErrors = new Set<string>();
  private findingsByFile = new Map<string, Finding[]>();
  /** URI → JSON of the diagnostics the client holds, for files that have any. */
  private readonly publishedDiagnostics = new Map<string, string>();
  private publishedLenses = '[]';
  private pendingAnalysis: NodeJS.Timeout | undefined;
  /** When the last analysis finished (performance.now()), for the pause between analyses. */
  private lastAnalysisEnd = -Infinity;
  /** The user cancelled indexing: open files are analysed, not the workspace folders, until Analyze workspace. */
  private openFilesOnly = false;
  /** Set once the settings are in: an analysis before that would publish with the wrong severities. */
  private ready = false;

  constructor(
    private readonly connection: Connection,
    private readonly engineOptions: EngineOptions,
  ) {
    this.engine = this.newEngine();
  }

  /** An engine over the current file system, with empty caches; what it contains goes to the log. */
  private newEngine(): Engine {
    return new Engine(this.overlay, { ...this.engineOptions, onInternalError: (what, error) => this.logContainedError(what, error) });
  }

  /** Logs an exception the engine contained, with its stack, once while it repeats analysis after analysis. */
  private logContainedError(what: string, error: unknown): void {
    // The same fault whatever called the analysis (a timer, a request): the message and where it was thrown.
    const thrownAt = error instanceof Error ? /\n\s*at .*/.exec(error.stack ?? '')?.[0] : undefined;
    const key = `${what}\0${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\0${thrownAt ?? ''}`;
    this.containedErrors.add(key);
    if (!this.previousContainedErrors.has(key)) this.log.error(`${what} threw (contained; the rest of the analysis stands)`, error);
  }

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    connection.onShutdown(() => clearTimeout(this.pendingAnalysis));

    documents.onDidChangeContent(({ document }) => {
      const filePath = uriToPath(document.uri);
      if (!filePath) return;
      this.overlay.setBuffer(filePath, document.getText(), ++this.bufferGeneration);
      this.openUris.set(pathKey(filePath), document.uri);
      this.scheduleAnalysis();
    });
    documents.onDidClose(({ document }) => {
      const filePath = uriToPath(document.uri);
      if (!filePath) return;
      this.overlay.deleteBuffer(filePath);
      this.openUris.delete(pathKey(filePath));
      this.analyzedVersions.delete(pathKey(filePath));
      this.scheduleAnalysis();
    });
    documents.onDidSave(() => this.scheduleAnalysis());
    connection.onDidChangeWatchedFiles(() => this.scheduleAnalysis());
    connection.onDidChangeConfiguration(async ({ settings }) => {
      await this.loadSettings(settings?.[SETTINGS_SECTION]);
      this.scheduleAnalysis();
    });

    connection.onCodeAction(({ textDocument, context }) => {
      if (context.only && !context.only.some((kind) => kind === CodeActionKind.QuickFix || kind === CodeActionKind.Empty)) return [];
      const findings = this.findingsIn(textDocument.uri);
      const client = this.clientContext();
      return context.diagnostics.flatMap((diagnostic): CodeAction[] =>
        findings
          .filter((finding) => matchesDiagnostic(finding, diagnostic))
          .flatMap((finding) => finding.fixes.map((fix) => toCodeAction(fix, diagnostic, client))),
      );
    });
    connection.onCodeLens(({ textDocument }): CodeLens[] => {
      const filePath = uriToPath(textDocument.uri);
      const result = this.currentResult();
      if (!filePath || !result) return [];
      // A lens is a status line, not an action: an empty command id renders as plain text.
      return result.lenses
        .filter((lens) => pathKey(lens.file) === pathKey(filePath))
        .map((lens) => ({ range: lens.range, command: { title: lens.title, command: '' } }));
    });
    connection.onHover(({ textDocument, position }) => {
      const filePath = uriToPath(textDocument.uri);
      const hover = filePath ? this.currentResult()?.hover(filePath, position) : undefined;
      return hover ? { range: hover.range, contents: { kind: MarkupKind.Markdown, value: hover.contents } } : null;
    });
    connection.onRequest(INSPECT_REQUEST, ({ uri }: { uri: string }) => {
      const filePath = uriToPath(uri);
      if (!filePath) throw new ResponseError(ErrorCodes.InvalidParams, `wix-uac: ${l10n.t('not a file: {0}', uri)}`);
      // The current analysis has read the file when it is in the workspace; a file outside it is read on its own.
      const options = { maxRows: INSPECT_MAX_ROWS };
      const restricted = this.confined ? this.analyzeOpenedPackage(filePath) : undefined;
      const inspection = restricted?.inspect(filePath, options) ?? this.currentResult()?.inspect(filePath, options) ?? this.engine.inspect(filePath, { ...options, roots: this.roots() });
      const client = this.clientContext();
      const fileFindings = restricted ? restricted.findings.filter((finding) => pathKey(finding.file) === pathKey(filePath)) : this.findingsIn(pathToUri(filePath));
      const findings = fileFindings.map((finding) => ({
        ruleId: finding.ruleId,
        severity: finding.severity,
        message: finding.message,
        fixes: finding.fixes.map((fix) => fixCommand(fix, client)),
      }));
      return { ...inspection, findings };
    });
    connection.onExecuteCommand(async ({ command, arguments: args }): Promise<AnalyzeWorkspaceSummary | undefined> => {
      if (command === APPLY_FIX_COMMAND) {
        await this.applyFix(args?.[0] as ApplyFixArguments);
        return undefined;
      }
      if (command !== ANALYZE_WORKSPACE_COMMAND) {
        throw new ResponseError(ErrorCodes.InvalidParams, `wix-uac: ${l10n.t('unknown command {0}', command)}`);
      }
      // Asked for by the user when something looks off, or after cancelling indexing: the whole
      // workspace from empty caches, and everything resent.
      this.openFilesOnly = false;
      this.engine = this.newEngine();
      // The analysis is synchronous: let the status reach the client before it holds the thread.
      this.sendStatus('indexing');
      await new Promise((resolve) => setImmediate(resolve));
      const failure = this.analyzeNow({ republishAll: true });
      if (failure) throw new ResponseError(ErrorCodes.InternalError, `wix-uac: ${l10n.t('analysis failed: {0}', failure)}`);
      return { files: this.result?.files.length ?? 0, findings: this.result?.findings.length ?? 0, ...(this.confined ? { restricted: true } : {}) };
    });

    documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    // Diagnostics, lenses, hovers and fix titles in the editor's display language (English without one).
    setLocale(params.locale);
    this.capabilities = params.capabilities;
    const folderUris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.workspaceFolders = folderUris.flatMap((uri) => uriToPath(uri) ?? []);
    if (!isWorkspaceTrusted(params.initializationOptions)) {
      this.confined = new ConfinedFileSystem(this.workspaceFolders);
      this.overlay = new OverlayFileSystem(this.confined);
      this.engine = this.newEngine();
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        executeCommandProvider: { commands: [ANALYZE_WORKSPACE_COMMAND, APPLY_FIX_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'wix-uac' },
    };
  }

  private async initialized(): Promise<void> {
    const { connection, capabilities } = this;
    // Not awaited: the first analysis need not wait for the client to confirm registrations.
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      const watchers = WATCHED_FILE_GLOBS.map((globPattern) => ({ globPattern }));
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch((error) => this.logError('cannot watch files', error));
    }
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      connection.client
        .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
        .catch((error) => this.logError('cannot follow settings', error));
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => this.changeWorkspaceFolders(event));
    }
    await this.loadSettings(undefined);
    this.log.info(`wix-uac language server started for ${this.roots().join(', ') || 'no folder'}`);
    this.sendStatus('indexing');
    // Restricted Mode reads a package only when the user opens it.
    if (this.confined) {
      this.ready = true;
      this.scheduleAnalysis();
    } else {
      await this.indexWorkspace();
    }
  }

  /**
   * The first analysis of the workspace, under one progress bar the user can cancel: the packages
   * are read first (verifying a signature hashes the whole file, seconds in a folder of large
   * builds), yielding between files, then everything is analysed at once. Cancelled before that
   * analysis, the server analyses the open files only, until the Analyze workspace command.
   */
  private async indexWorkspace(): Promise<void> {
    const supportsProgress = this.capabilities.window?.workDoneProgress === true;
    const progress = supportsProgress ? await this.connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin(`wix-uac: ${l10n.t('indexing the workspace')}`, 0, l10n.t('reading packages'), true);
    const cancelled = (): boolean => progress?.token.isCancellationRequested === true;
    const started = performance.now();
    let packages = 0;
    try {
      await this.engine.readPackages(
        this.roots(),
        (done, total, file) => {
          packages = total;
          progress?.report(Math.round((done / Math.max(1, total)) * 100), `${done + 1}/${total} ${path.basename(file)}`);
          this.sendStatus('indexing', { progress: { done, total } });
          this.log.trace(`reading ${file}`);
        },
        cancelled,
      );
      this.log.info(`read ${packages} ${packages === 1 ? 'package' : 'packages'} in ${Math.round(performance.now() - started)} ms`);
      if (!cancelled()) {
        progress?.report(l10n.t('analysing the workspace'));
        this.sendStatus('indexing');
        // The analysis holds the thread: let the report out first, and a cancellation on its way in.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      this.logError('reading packages failed', error);
    }
    if (cancelled()) {
      this.openFilesOnly = true;
      this.log.info(`indexing cancelled after ${Math.round(performance.now() - started)} ms: only open files are analysed until ${ANALYZE_WORKSPACE_COMMAND}`);
      void this.connection.window.showInformationMessage(l10n.t('wix-uac: indexing cancelled. Only open files are analysed until you run Analyze workspace.'));
    }
    this.ready = true;
    try {
      this.analyzeNow();
    } finally {
      progress?.done();
    }
  }

  /** Writes the fix's new files (never replacing a different file), then has the client apply the edits. */
  private async applyFix(fix: ApplyFixArguments | undefined): Promise<void> {
    if (!fix || !Array.isArray(fix.createFiles)) throw new ResponseError(ErrorCodes.InvalidParams, `wix-uac: ${l10n.t('{0} needs a fix', 'applyFix')}`);
    if (this.confined && fix.createFiles.length > 0) throw fileWritesRefused(fix.createFiles);
    for (const file of fix.createFiles) {
      const bytes = Buffer.from(file.base64, 'base64');
      if (nodeFs.existsSync(file.file)) {
        if (!nodeFs.readFileSync(file.file).equals(bytes)) throw new ResponseError(ErrorCodes.InvalidRequest, `wix-uac: ${l10n.t('{0} already exists with other content; not replaced', file.file)}`);
        continue;
      }
      nodeFs.mkdirSync(path.dirname(file.file), { recursive: true });
      nodeFs.writeFileSync(file.file, bytes, { flag: 'wx' });
    }
    const hasEdits = (fix.edit.documentChanges?.length ?? 0) > 0 || Object.keys(fix.edit.changes ?? {}).length > 0;
    if (hasEdits) {
      const result = await this.connection.workspace.applyEdit({ label: l10n.t('wix-uac fix'), edit: fix.edit });
      if (!result.applied) {
        const reason = result.failureReason ? l10n.t('the editor did not apply the fix: {0}', result.failureReason) : l10n.t('the editor did not apply the fix');
        throw new ResponseError(ErrorCodes.InvalidRequest, `wix-uac: ${reason}`);
      }
    }
    this.scheduleAnalysis();
  }

  /** Restricted Mode: a package is read when the user opens it, if it is inside the workspace, and analysed with the open files. */
  private analyzeOpenedPackage(filePath: string): AnalysisResult {
    if (!this.confined?.allows(filePath)) throw outsideWorkspaceRefused(filePath);
    return this.engine.analyze({ roots: [...this.roots(), filePath], severityOverrides: this.settings.severityOverrides, restricted: true });
  }

  private changeWorkspaceFolders({ added, removed }: WorkspaceFoldersChangeEvent): void {
    const removedPaths = new Set(removed.flatMap((folder) => uriToPath(folder.uri) ?? []).map(pathKey));
    this.workspaceFolders = [
      ...this.workspaceFolders.filter((folder) => !removedPaths.has(pathKey(folder))),
      ...added.flatMap((folder) => uriToPath(folder.uri) ?? []),
    ];
    this.confined?.setFolders(this.workspaceFolders);
    this.scheduleAnalysis();
  }

  /** Pulls the section when the client answers workspace/configuration; otherwise takes what it pushed. */
  private async loadSettings(pushed: unknown): Promise<void> {
    let section = pushed;
    if (this.capabilities.workspace?.configuration) {
      try {
        section = await this.connection.workspace.getConfiguration(SETTINGS_SECTION);
      } catch (error) {
        this.logError('cannot read settings', error);
        return;
      }
    }
    const { settings, problems } = readSettings(section);
    this.settings = settings;
    const logLevel = readLogLevel(section);
    this.log.setLevel(logLevel.level);
    if (logLevel.problem) this.log.warn(logLevel.problem);
    const report = problems.join('\n');
    if (report && report !== this.reportedSettingsProblems) {
      for (const problem of problems) this.log.warn(problem);
      void this.connection.window.showWarningMessage(l10n.t('wix-uac ignored some settings:\n{0}', report));
    }
    this.reportedSettingsProblems = report;
  }

  /**
   * Workspace folders, plus the folder of any open file outside them (all of them when no folder is
   * open); in Restricted Mode, and after indexing was cancelled, the open files only (the engine reads
   * what they name — includes, projects above them, certificates — in Restricted Mode only inside the workspace).
   */
  private roots(): string[] {
    if (this.confined || this.openFilesOnly) return this.documents.all().flatMap((document) => uriToPath(document.uri) ?? []);
    const roots = [...this.workspaceFolders];
    for (const document of this.documents.all()) {
      const filePath = uriToPath(document.uri);
      if (filePath && !roots.some((root) => isInside(root, filePath))) roots.push(path.dirname(filePath));
    }
    return outermostFolders(roots);
  }

  private scheduleAnalysis(): void {
    if (!this.ready) return;
    // A run already scheduled will read the overlay when it fires, so it sees this change too.
    const wait = Math.max(0, this.lastAnalysisEnd + ANALYSIS_DELAY_MS - performance.now());
    this.pendingAnalysis ??= setTimeout(() => this.analyzeNow(), wait);
  }

  /** The latest result, brought up to date first if a change is waiting: answers never use older text. */
  private currentResult(): AnalysisResult | undefined {
    if (this.pendingAnalysis) this.analyzeNow();
    return this.result;
  }

  private findingsIn(uri: string): Finding[] {
    const filePath = uriToPath(uri);
    if (!filePath || !this.currentResult()) return [];
    return this.findingsByFile.get(pathKey(filePath)) ?? [];
  }

  /**
   * Analyses the buffers and disk as they are now and publishes the outcome. The engine is
   * synchronous, so nothing can change the text between reading it and publishing.
   * Returns the failure message when the engine threw; the previous results then stay.
   */
  private analyzeNow(options: { republishAll?: boolean } = {}): string | undefined {
    clearTimeout(this.pendingAnalysis);
    this.pendingAnalysis = undefined;
    const roots = this.roots();
    const started = performance.now();
    this.previousContainedErrors = this.containedErrors;
    this.containedErrors = new Set();
    let result: AnalysisResult;
    try {
      result = this.engine.analyze({ roots, severityOverrides: this.settings.severityOverrides, restricted: this.confined !== undefined });
    } catch (error) {
      this.logError(`analysis of ${roots.join(', ')} failed`, error);
      const message = error instanceof Error ? error.message : String(error);
      this.sendStatus('failed', { message });
      return message;
    } finally {
      this.lastAnalysisEnd = performance.now();
    }
    this.log.debug(() => `analysed ${result.files.length} files in ${Math.round(this.lastAnalysisEnd - started)} ms: ${result.findings.length} findings, ${result.notices.length} input problems (${roots.join(', ')})`);
    this.log.trace(() => `files: ${result.files.join(', ')}`);
    this.result = result;
    this.analyzedVersions.clear();
    for (const document of this.documents.all()) {
      const filePath = uriToPath(document.uri);
      if (filePath) this.analyzedVersions.set(pathKey(filePath), document.version);
    }
    this.findingsByFile = new Map();
    for (const finding of result.findings) {
      const key = pathKey(finding.file);
      const findings = this.findingsByFile.get(key) ?? [];
      findings.push(finding);
      this.findingsByFile.set(key, findings);
    }
    this.publishDiagnostics(result, options.republishAll ?? false);
    this.refreshLensesIfChanged(result);
    this.sendStatus('ready');
    return undefined;
  }

  /** Tells the client what the server is doing (wixUac/status), unless it already said exactly that. */
  private sendStatus(state: AnalysisState, extra: Pick<ServerStatus, 'progress' | 'message'> = {}): void {
    const status = serverStatus(state, this.result, { ...extra, ...(this.confined ? { restricted: true } : {}) });
    const serialized = JSON.stringify(status);
    if (serialized === this.sentStatus) return;
    this.sentStatus = serialized;
    void this.connection.sendNotification(STATUS_NOTIFICATION, status);
  }

  private publishDiagnostics(result: AnalysisResult, republishAll: boolean): void {
    const client = this.clientContext();
    const diagnosticsByUri = new Map<string, Diagnostic[]>();
    // Open documents get the version the analysis read, so a client can tell these from older ones.
    const versions = new Map<string, number>();
    const add = (file: string, diagnostic?: Diagnostic) => {
      const uri = client.uriOf(file);
      const version = client.analyzedVersionOf(file);
      if (version !== null) versions.set(uri, version);
      const diagnostics = diagnosticsByUri.get(uri) ?? [];
      if (diagnostic) diagnostics.push(diagnostic);
      diagnosticsByUri.set(uri, diagnostics);
    };
    for (const file of result.files) add(file);
    for (const finding of result.findings) add(finding.file, toDiagnostic(finding, client));
    for (const notice of result.notices) add(notice.file, noticeToDiagnostic(notice));
    // Files that had diagnostics and dropped out of the analysis (deleted, outside the roots now).
    for (const uri of this.publishedDiagnostics.keys()) if (!diagnosticsByUri.has(uri)) diagnosticsByUri.set(uri, []);

    for (const [uri, diagnostics] of diagnosticsByUri) {
      const serialized = JSON.stringify(diagnostics);
      if (!republishAll && serialized === (this.publishedDiagnostics.get(uri) ?? '[]')) continue;
      const version = versions.get(uri);
      void this.connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics });
      if (diagnostics.length) this.publishedDiagnostics.set(uri, serialized);
      else this.publishedDiagnostics.delete(uri);
    }
  }

  /** Lenses of files the client is not editing change too (a certificate added on disk): ask it to fetch them again. */
  private refreshLensesIfChanged(result: AnalysisResult): void {
    const serialized = JSON.stringify(result.lenses);
    if (serialized === this.publishedLenses) return;
    this.publishedLenses = serialized;
    if (this.capabilities.workspace?.codeLens?.refreshSupport) {
      this.connection.sendRequest(CodeLensRefreshRequest.type).catch((error) => this.logError('cannot refresh code lenses', error));
    }
  }

  private clientContext(): ClientContext {
    const { capabilities } = this;
    return {
      uriOf: (filePath) => this.openUris.get(pathKey(filePath)) ?? pathToUri(filePath),
      analyzedVersionOf: (filePath) => this.analyzedVersions.get(pathKey(filePath)) ?? null,
      supportsRelatedInformation: capabilities.textDocument?.publishDiagnostics?.relatedInformation === true,
      supportsDocumentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
    };
  }

  private logError(what: string, error: unknown): void {
    this.log.error(what, error);
  }
}
