// The VS Code face of wix-uac: starts the language server and adds nothing the server cannot do,
// except telling the user what "Analyze workspace" found.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { PACKAGE_VIEW_TYPE, PackageViewProvider } from './package-view';

const ANALYZE_WORKSPACE_COMMAND = 'wix-uac.analyzeWorkspace';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
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
    outputChannel: vscode.window.createOutputChannel('wix-uac', { log: true }),
    middleware: {
      // The language client registers the server's commands itself; wrapping the call here is how
      // the palette command gets to show its summary.
      async executeCommand(command, args, next) {
        const result: unknown = await next(command, args);
        if (command === ANALYZE_WORKSPACE_COMMAND && isSummary(result)) {
          void vscode.window.showInformationMessage(`wix-uac: ${plural(result.findings, 'finding')} in ${plural(result.files, 'file')}.`);
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
  // Awaited so the server's commands exist before a palette invocation that activated us runs.
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

function isSummary(value: unknown): value is { files: number; findings: number } {
  return typeof value === 'object' && value !== null && typeof (value as { files?: unknown }).files === 'number' && typeof (value as { findings?: unknown }).findings === 'number';
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
