// An editor's side of the language server, for the tests that drive the built dist/server.js over
// stdio: it starts the server, answers what the server asks of an editor, and records what the
// server sends in arrival order, so a test can wait for what it expects. Every wait is bounded and
// fails with what did arrive, instead of hanging until the test runner gives up.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type MessageType,
  type ProtocolConnection,
  type Registration,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

const BUILT_SERVER = path.resolve(__dirname, '..', '..', '..', 'dist', 'server.js');

/** Long enough for a slow CI machine, short enough that a missing message fails with a message instead of hanging. */
const WAIT_MS = 10_000;

export const uriOf = (file: string): string => pathToFileURL(file).href;

export interface LogLine {
  type: MessageType;
  message: string;
}

export interface Publication {
  uri: string;
  /** The version of the document the diagnostics were computed from, when the server says. */
  version?: number;
  diagnostics: Diagnostic[];
}

export interface InitializeOptions {
  /** The one workspace folder. */
  folder: string;
  capabilities: ClientCapabilities;
  /** The editor's display language, as VS Code sends it. */
  locale?: string;
  initializationOptions?: unknown;
}

export class Editor {
  readonly connection: ProtocolConnection;
  /** The latest diagnostics of each URI; a URI the server never published for has no entry. */
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** window/logMessage lines, in arrival order. */
  readonly log: LogLine[] = [];
  readonly registrations: Registration[] = [];
  /** Messages of the window/showMessageRequest requests, answered with no choice. */
  readonly shownMessages: string[] = [];
  /** What workspace/configuration answers for the `wixUac` section. */
  settings: unknown = {};
  private readonly publications: Publication[] = [];
  /** Notifications no handler above takes ($/progress, the server's own), in arrival order. */
  private readonly notifications: Array<{ method: string; params: unknown }> = [];
  private readonly stderr: string[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    const { connection } = this;
    const received = (): void => this.listeners.forEach((listener) => listener());
    connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, version, diagnostics }) => {
      this.diagnostics.set(uri, diagnostics);
      this.publications.push({ uri, version, diagnostics });
      received();
    });
    connection.onNotification(LogMessageNotification.type, ({ type, message }) => {
      this.log.push({ type, message });
      received();
    });
    connection.onUnhandledNotification(({ method, params }) => {
      this.notifications.push({ method, params });
      received();
    });
    // The connection has a $/progress handler of its own, which never passes it on as unhandled.
    connection.onNotification('$/progress', (params: unknown) => {
      this.notifications.push({ method: '$/progress', params });
      received();
    });
    connection.onRequest(ConfigurationRequest.type, ({ items }) => items.map((item) => (item.section === 'wixUac' ? this.settings : null)));
    connection.onRequest(RegistrationRequest.type, ({ registrations }) => void this.registrations.push(...registrations));
    connection.onRequest(ShowMessageRequest.type, ({ message }) => {
      this.shownMessages.push(message);
      return null;
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    connection.listen();
  }

  /**
   * Starts dist/server.js (or another entry point that starts the server) over stdio; handlers for
   * anything else the server asks go on `connection` before `initialize`.
   */
  static start(serverScript = BUILT_SERVER): Editor {
    assert.ok(fs.existsSync(serverScript), `${serverScript} is missing: ${serverScript === BUILT_SERVER ? 'run "npm run build" first' : 'compile the tests first'}`);
    return new Editor(spawn(process.execPath, [serverScript, '--stdio'], { stdio: 'pipe' }));
  }

  /** The server's process id, to read its memory use from /proc. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Every publishDiagnostics for `uri` so far, in arrival order, with the document version the server gave. */
  publicationsOf(uri: string): Publication[] {
    return this.publications.filter((publication) => publication.uri === uri);
  }

  /** The initialize request, then the initialized notification: from then on the server analyses the folder. */
  async initialize({ folder, capabilities, locale, initializationOptions }: InitializeOptions): Promise<InitializeResult> {
    const result = await this.request<InitializeResult>(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: path.basename(folder) }],
      capabilities,
      ...(locale !== undefined ? { locale } : {}),
      ...(initializationOptions !== undefined ? { initializationOptions } : {}),
    });
    void this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  request<R>(type: { method: string }, params?: unknown): Promise<R> {
    return this.timed(this.connection.sendRequest(type.method, params) as Promise<R>, `an answer to ${type.method}`);
  }

  /** Custom notifications of `method` (or $/progress), in arrival order. */
  notificationsOf<P>(method: string): P[] {
    return this.notifications.filter((notification) => notification.method === method).map((notification) => notification.params as P);
  }

  /** Resolves with what `condition` returns once that is neither undefined nor false, checked now and after every message from the server. */
  until<T>(what: string, condition: () => T | undefined | false): Promise<T> {
    let check!: () => void;
    const met = new Promise<T>((resolve) => {
      check = () => {
        const value = condition();
        if (value !== undefined && value !== false) resolve(value);
      };
      this.listeners.add(check);
      check();
    });
    return this.timed(met, what).finally(() => this.listeners.delete(check));
  }

  /** The first diagnostics published for `uri` from now on that satisfy `accept`. */
  nextDiagnostics(uri: string, what: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const from = this.publications.length;
    return this.until(`diagnostics of ${path.basename(uri)}: ${what}`, () =>
      this.publications.slice(from).find((publication) => publication.uri === uri && accept(publication.diagnostics))?.diagnostics,
    );
  }

  /** The latest diagnostics of `uri` once they satisfy `accept`: those published already if they do, else the next that do. */
  latestDiagnostics(uri: string, what: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    return this.until(`diagnostics of ${path.basename(uri)}: ${what}`, () => {
      const latest = this.diagnostics.get(uri);
      return latest && accept(latest) ? latest : undefined;
    });
  }

  open(uri: string, text: string, languageId = 'xml'): void {
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): void {
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  /** New `wixUac` settings, announced as VS Code does: the server pulls the section; the pushed value is not used. */
  changeSettings(settings: unknown): void {
    this.settings = settings;
    void this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** Shutdown and exit, as an editor closes; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    await this.request(ShutdownRequest.type);
    void this.connection.sendNotification(ExitNotification.type);
    const code = await this.timed(this.exited, 'the server to exit after shutdown and exit');
    this.connection.dispose();
    return code;
  }

  /** For `after`: ends the server whatever state a failed test left it in. */
  kill(): void {
    this.connection.dispose();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }

  private timed<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out after ${WAIT_MS} ms waiting for ${what}.\n${this.state()}`)), WAIT_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** What arrived so far, for the message of a wait that timed out. */
  private state(): string {
    const diagnostics = [...this.diagnostics].map(([uri, latest]) => `  ${path.basename(uri)}: ${JSON.stringify(latest.map((diagnostic) => diagnostic.code ?? diagnostic.message))}`);
    const notifications = this.notifications.map(({ method, params }) => `  ${method} ${JSON.stringify(params)}`);
    const log = this.log.map(({ type, message }) => `  [${type}] ${message}`);
    const section = (title: string, lines: string[]): string => `${title}:\n${lines.join('\n') || '  (none)'}`;
    return [
      section('Latest diagnostics', diagnostics),
      section('Notifications', notifications),
      section('Server log', log),
      section('Server stderr', this.stderr.join('').split('\n').filter(Boolean).map((line) => `  ${line}`)),
    ].join('\n');
  }
}
