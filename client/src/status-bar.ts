// The status bar item: a spinner while the server indexes, then the count of findings; clicking
// opens the Problems panel, or the output channel when the server failed. It follows the server's
// wixUac/status notifications and the language client's state.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { STATUS_NOTIFICATION, type ServerStatus } from '../../server/src/lsp/status';
import { ANALYZED_CONTEXT, MISSING_CERTIFICATES_CONTEXT, SHOW_OUTPUT_COMMAND } from './commands';
import { presentStatus, type ServerState } from './status';
import { MISSING_PATCH_CERTIFICATE } from './walkthrough-choices';

const SHOW_PROBLEMS_COMMAND = 'workbench.actions.view.problems';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('wixUac.status', vscode.StatusBarAlignment.Left, 10);
  private state: ServerState = { kind: 'starting' };
  private readonly settled = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [this.item, this.settled];

  constructor(client: LanguageClient) {
    this.item.name = vscode.l10n.t('wix-uac status');
    // Registered before the client starts: the language client keeps them until the connection exists.
    this.subscriptions.push(
      client.onNotification(STATUS_NOTIFICATION, (status: ServerStatus) => this.show({ kind: 'running', status })),
      client.onDidChangeState(({ newState }) => {
        if (newState === State.Starting) this.show({ kind: 'starting' });
        if (newState === State.Stopped) this.show({ kind: 'stopped' });
      }),
    );
    this.show(this.state);
  }

  /** The server's last status, if it is running and has sent one. */
  get status(): ServerStatus | undefined {
    return this.state.kind === 'running' ? this.state.status : undefined;
  }

  /** Marks the server as not running, with the reason it could not start. */
  stopped(reason: string): void {
    this.show({ kind: 'stopped', reason });
  }

  /** Resolves once the server has finished indexing (or is not running), or after `timeoutMs`. */
  async whenIndexed(timeoutMs: number): Promise<ServerStatus | undefined> {
    const isBusy = (): boolean => this.state.kind === 'starting' || (this.state.kind === 'running' && this.state.status.state === 'indexing');
    if (isBusy()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        const listener = this.settled.event(() => {
          if (!isBusy()) done();
        });
        function done(): void {
          clearTimeout(timer);
          listener.dispose();
          resolve();
        }
      });
    }
    return this.status;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private show(state: ServerState): void {
    this.state = state;
    const presentation = presentStatus(state, vscode.l10n);
    const { item } = this;
    item.text = presentation.text;
    const tooltip = new vscode.MarkdownString(presentation.tooltip, true);
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: presentation.accessibleLabel };
    item.command = presentation.opens === 'output' ? SHOW_OUTPUT_COMMAND : SHOW_PROBLEMS_COMMAND;
    item.backgroundColor = presentation.isError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (presentation.visible) item.show();
    else item.hide();
    // For the walkthrough's completion events (package.json).
    if (state.kind === 'running' && state.status.state === 'ready') {
      void vscode.commands.executeCommand('setContext', ANALYZED_CONTEXT, state.status.files > 0);
      void vscode.commands.executeCommand('setContext', MISSING_CERTIFICATES_CONTEXT, (state.status.rules[MISSING_PATCH_CERTIFICATE] ?? 0) > 0);
    }
    this.settled.fire();
  }
}
