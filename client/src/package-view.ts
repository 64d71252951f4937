// The read-only view of a .msi / .msp / .mst: the language server reads the package (the client
// never parses it) and this renders its answer — signature and trust first, then summary and tables.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PackageInspection } from '../../server/src/engine/package/inspect';

export const PACKAGE_VIEW_TYPE = 'wixUac.packageView';
const INSPECT_REQUEST = 'wixUac/inspect';

interface ViewFinding {
  ruleId: string;
  severity: string;
  message: string;
  fixes: { title: string; command: string; arguments?: unknown[] }[];
}

type Inspection = PackageInspection & { findings: ViewFinding[] };

export class PackageViewProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly client: () => LanguageClient | undefined) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const nonce = Math.random().toString(36).slice(2) + Date.now().toString(36);
    panel.webview.options = { enableScripts: true, enableCommandUris: false };
    let fixes: ViewFinding['fixes'] = [];
    const render = async (): Promise<void> => {
      try {
        const client = this.client();
        if (!client) throw new Error(vscode.l10n.t('The wix-uac language server is not running.'));
        const inspection = await client.sendRequest<Inspection>(INSPECT_REQUEST, { uri: document.uri.toString() });
        fixes = inspection.findings.flatMap((finding) => finding.fixes);
        panel.webview.html = page(inspection, nonce, vscode.workspace.asRelativePath(document.uri));
      } catch (error) {
        panel.webview.html = page({ file: document.uri.fsPath, error: String(error instanceof Error ? error.message : error), summary: [], tables: [], findings: [] }, nonce, document.uri.fsPath);
      }
    };
    // A rebuilt package, or findings that change (a product added to the workspace), re-render the view.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(document.uri, '..'), '*'));
    const subscriptions = [
      watcher,
      watcher.onDidChange(() => void render()),
      watcher.onDidCreate(() => void render()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((uri) => uri.toString() === document.uri.toString())) void render();
      }),
      panel.webview.onDidReceiveMessage(async (message: { fix?: number }) => {
        const fix = typeof message.fix === 'number' ? fixes[message.fix] : undefined;
        if (!fix) return;
        try {
          await vscode.commands.executeCommand(fix.command, ...(fix.arguments ?? []));
        } catch (error) {
          void vscode.window.showErrorMessage(vscode.l10n.t('wix-uac: {0}', error instanceof Error ? error.message : String(error)));
        }
      }),
    ];
    panel.onDidDispose(() => subscriptions.forEach((subscription) => subscription.dispose()));
    await render();
  }
}

function severityLabel(severity: string): string {
  switch (severity) {
    case 'error':
      return vscode.l10n.t('error');
    case 'warning':
      return vscode.l10n.t('warning');
    case 'information':
      return vscode.l10n.t('information');
    case 'hint':
      return vscode.l10n.t('hint');
    default:
      return severity;
  }
}

function signatureStateLabel(state: NonNullable<Inspection['signature']>['state']): string {
  switch (state) {
    case 'valid':
      return vscode.l10n.t('signed, the signature verifies');
    case 'invalid':
      return vscode.l10n.t('signed, but the signature does not verify');
    case 'unsigned':
      return vscode.l10n.t('not signed');
  }
}

function validityLabel(validity: NonNullable<NonNullable<Inspection['signature']>['signer']>['validity']): string {
  switch (validity) {
    case 'valid':
      return vscode.l10n.t({ message: 'valid', comment: ['Of a certificate, after its validity period'] });
    case 'expired':
      return vscode.l10n.t({ message: 'expired', comment: ['Of a certificate, after its validity period'] });
    case 'not-yet-valid':
      return vscode.l10n.t({ message: 'not yet valid', comment: ['Of a certificate, after its validity period'] });
  }
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function rows(pairs: [string, string][]): string {
  return `<table class="pairs">${pairs.map(([name, value]) => `<tr><th>${escape(name)}</th><td>${escape(value)}</td></tr>`).join('')}</table>`;
}

function page(inspection: Inspection, nonce: string, title: string): string {
  const body: string[] = [`<h1>${escape(title)}</h1>`];
  if (inspection.error) {
    body.push(`<p class="error">${escape(vscode.l10n.t('Cannot be read: {0}', inspection.error))}</p>`);
  } else {
    if (inspection.status) body.push(`<p class="status">${escape(inspection.status)}</p>`);
    let fixIndex = 0;
    if (inspection.findings.length > 0) {
      body.push(`<h2>${escape(vscode.l10n.t('Problems'))}</h2><ul class="findings">`);
      for (const finding of inspection.findings) {
        const buttons = finding.fixes.map((fix) => `<button data-fix="${fixIndex++}">${escape(fix.title)}</button>`).join(' ');
        body.push(`<li class="${escape(finding.severity)}"><b>${escape(severityLabel(finding.severity))}</b> ${escape(finding.message)} <code>${escape(finding.ruleId)}</code> ${buttons}</li>`);
      }
      body.push('</ul>');
    }
    const signature = inspection.signature;
    if (signature) {
      const pairs: [string, string][] = [[vscode.l10n.t({ message: 'Verdict', comment: ['Row label in the package view: whether the package is signed and the signature verifies'] }), signatureStateLabel(signature.state)]];
      for (const problem of signature.problems) pairs.push([vscode.l10n.t('Problem'), problem]);
      if (signature.signer) {
        pairs.push([vscode.l10n.t('Signer'), signature.signer.subject], [vscode.l10n.t('Issuer'), signature.signer.issuer], [vscode.l10n.t('SHA-1 thumbprint'), signature.signer.sha1]);
        pairs.push([vscode.l10n.t({ message: 'Valid', comment: ['Row label in the package view: the validity period of the signer certificate'] }), `${signature.signer.notBefore.slice(0, 10)} – ${signature.signer.notAfter.slice(0, 10)} (${validityLabel(signature.signer.validity)})`]);
      }
      if (signature.digestAlgorithm) pairs.push([vscode.l10n.t('Digest algorithm'), signature.digestAlgorithm]);
      pairs.push(['MsiDigitalSignatureEx', signature.hasMsiDigitalSignatureEx ? vscode.l10n.t('yes') : vscode.l10n.t('no')]);
      if (signature.trust) {
        for (const target of signature.trust.targets) {
          const trust =
            target.trusts === true
              ? target.once
                ? vscode.l10n.t('trusts this signer {0}', target.once)
                : vscode.l10n.t('trusts this signer')
              : target.trusts === false
                ? vscode.l10n.t('does not trust this signer (lists {0})', target.lists)
                : target.lists;
          pairs.push([vscode.l10n.t('Target product'), vscode.l10n.t('{0} {1}: {2}; UAC patching {3}', target.product, target.productCode, trust, target.status)]);
        }
        for (const code of signature.trust.missingTargets) pairs.push([vscode.l10n.t('Target product'), vscode.l10n.t('{0}: not in the workspace', code)]);
      }
      body.push(`<h2>${escape(vscode.l10n.t('Signature'))}</h2>`, rows(pairs));
    }
    if (inspection.summary.length > 0) body.push(`<h2>${escape(vscode.l10n.t('Summary information'))}</h2>`, rows(inspection.summary.map(({ name, value }) => [name, value])));
    if (inspection.streams) {
      const list = (streams: NonNullable<Inspection['streams']>): string =>
        streams.length === 0
          ? ''
          : `<ul>${streams
              .map((stream) => {
                const kind = stream.kind === 'storage' ? vscode.l10n.t('(storage)') : stream.isTable ? vscode.l10n.t('— {0} bytes, table', stream.size) : vscode.l10n.t('— {0} bytes', stream.size);
                return `<li>${escape(stream.name)} ${escape(kind)}${list(stream.children)}</li>`;
              })
              .join('')}</ul>`;
      body.push(`<details><summary>${escape(vscode.l10n.t('Streams'))}</summary>${list(inspection.streams)}</details>`);
    }
    body.push(`<h2>${escape(vscode.l10n.t('Tables ({0})', inspection.tables.length))}</h2>`);
    for (const table of inspection.tables) {
      const head = table.columns.map((column) => `<th title="${escape(column.type)}">${escape(column.name)}${column.key ? ' 🔑' : ''}</th>`).join('');
      const cells = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`).join('');
      const more = table.omittedRows > 0 ? `<p>${escape(vscode.l10n.t('… {0} more rows (wix-uac inspect --table {1} shows them all)', table.omittedRows, table.name))}</p>` : '';
      body.push(`<details><summary>${escape(table.name)} (${table.rowCount})</summary><table class="rows"><thead><tr>${head}</tr></thead><tbody>${cells}</tbody></table>${more}</details>`);
    }
  }
  return `<!DOCTYPE html><html lang="${escape(vscode.env.language)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; }
.pairs th { font-weight: normal; opacity: .8; }
.status { font-weight: bold; }
.error { color: var(--vscode-errorForeground); }
li.error b { color: var(--vscode-errorForeground); }
li.warning b { color: var(--vscode-editorWarning-foreground); }
summary { cursor: pointer; margin: .3em 0; }
</style></head><body>${body.join('\n')}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
for (const button of document.querySelectorAll('button[data-fix]')) {
  button.addEventListener('click', () => vscode.postMessage({ fix: Number(button.dataset.fix) }));
}
</script></body></html>`;
}
