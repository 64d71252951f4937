// The VS Code face of wix-uac: starts the language server and adds only what belongs to the editor:
// the summary of "Analyze workspace", the status bar item, the walkthrough's commands, the package view.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { PACKAGE_VIEW_TYPE, PackageViewProvider } from './package-view';
import { LOG_LEVEL_SETTING, SHOW_OUTPUT_COMMAND } from './commands';
import { channelHidesServerLines, fileCount, findingCount } from './status';
import { StatusBar } from './status-bar';
import { registerWalkthroughCommands } from './walkthrough';

const ANALYZE_WORKSPACE_COMMAND = 'wix-uac.analyzeWorkspace';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel('wix-uac', { log: true });
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009', '--enable-source-maps'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    // By file name, not language: .wxs/.wxi/.wixproj stay `xml` so XML tooling (schema validation,
    // formatting) keeps working on them. Untitled buffers are left out: without a folder there is
    // nothing to resolve includes and certificate paths against. wix-uac.json is synchronised so
    // unsaved configuration edits apply at once.
    documentSelector: [
      { scheme: 'file', pattern: '**/*.{wxs,wxi}' },
      { scheme: 'file', pattern: '**/*.wixproj' },
      { scheme: 'file', pattern: '**/wix-uac.json' },
      // Table files are text: unsaved edits are analysed like sources. Packages are binary and read from disk.
      { scheme: 'file', pattern: '**/*.idt' },
      // WSUS/SCUP publishing manifests: .sdp, or .xml whose root the server recognises.
      { scheme: 'file', pattern: '**/*.{sdp,xml}' },
      // MSBuild files a patch project imports may hold its signing step.
      { scheme: 'file', pattern: '**/*.{targets,props}' },
    ],
    outputChannel,
    // Restricted Mode (a workspace not trusted yet): the server then reads nothing outside the
    // workspace, analyses open files only and writes no files. A function, so the restart after
    // the user grants trust sends the new state.
    initializationOptions: () => ({ workspaceTrusted: vscode.workspace.isTrusted }),
    middleware: {
      // The language client registers the server's commands itself; wrapping the call here is how
      // the palette command gets to show its summary.
      async executeCommand(command, args, next) {
        const result: unknown = await next(command, args);
        if (command === ANALYZE_WORKSPACE_COMMAND && isSummary(result)) {
          const findings = findingCount(result.findings, vscode.l10n);
          const files = fileCount(result.files, vscode.l10n);
          void vscode.window.showInformationMessage(
            result.restricted
              ? vscode.l10n.t('wix-uac: {0} in {1}. Restricted Mode: only open files were analysed; trust the workspace to analyse all of it.', findings, files)
              : vscode.l10n.t('wix-uac: {0} in {1}.', findings, files),
          );
        }
        return result;
      },
    },
  };
  // The id `wixUac` makes the client honour the `wixUac.trace.server` setting.
  client = new LanguageClient('wixUac', 'wix-uac', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(PACKAGE_VIEW_TYPE, new PackageViewProvider(() => client), {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    }),
  );
  const statusBar = new StatusBar(client);
  context.subscriptions.push(
    outputChannel,
    statusBar,
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => outputChannel.show()),
    ...registerWalkthroughCommands(context, statusBar),
    // Trust granted: a new server starts with the full analysis (reading packages, the whole workspace).
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.restart()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(LOG_LEVEL_SETTING)) explainHiddenServerLines(outputChannel, 'notify');
    }),
  );
  explainHiddenServerLines(outputChannel, 'log');
  // Awaited so the server's commands exist before a palette invocation that activated us runs.
  try {
    await client.start();
  } catch (error) {
    // The language client has already logged and shown the error; the status bar keeps pointing at the log.
    statusBar.stopped(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The server honours `wixUac.server.logLevel` itself, but its debug lines pass through the output
 * channel's own level: say so when the channel would hide what the user asked for. At start, in
 * the channel, where someone looking for those lines looks; on a change of the setting, at once.
 */
function explainHiddenServerLines(outputChannel: vscode.LogOutputChannel, how: 'log' | 'notify'): void {
  const level = vscode.workspace.getConfiguration().get<string>(LOG_LEVEL_SETTING, 'info');
  if (!channelHidesServerLines(level, outputChannel.logLevel)) return;
  const message = vscode.l10n.t('The wix-uac server writes {0} lines (wixUac.server.logLevel), but the wix-uac output shows them only when its own log level is Debug or Trace.', level);
  if (how === 'log') {
    outputChannel.warn(`${message} ${vscode.l10n.t('To see them, run Developer: Set Log Level… and pick wix-uac.')}`);
    return;
  }
  const setLogLevel = vscode.l10n.t('Set Log Level…');
  void vscode.window
    .showInformationMessage(message, setLogLevel)
    .then((choice) => {
      if (choice !== setLogLevel) return;
      outputChannel.show(true);
      void vscode.commands.executeCommand('workbench.action.setLogLevel');
    });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

function isSummary(value: unknown): value is { files: number; findings: number; restricted?: boolean } {
  return typeof value === 'object' && value !== null && typeof (value as { files?: unknown }).files === 'number' && typeof (value as { findings?: unknown }).findings === 'number';
}

