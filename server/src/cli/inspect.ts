// `wix-uac inspect` output: what the package view shows, as aligned text or JSON.
import * as l10n from '@vscode/l10n';
import type { Engine, Finding } from '../engine';
import type { InspectedSignature, InspectedSigner, InspectedTable, PackageInspection } from '../engine/package/inspect';

/** Files inspected through their analysis (status lines and findings) rather than as databases. */
export const SOURCE_EXTENSIONS = /\.(wxs|wxi|wixproj|sdp|xml)$/i;

export interface SourceInspection {
  file: string;
  /** The status lines the editor shows as code lenses: targets, built patches, published files. */
  status: { line: number; title: string }[];
  findings: Finding[];
}

/** A WiX source or a manifest, analysed with the roots so targets and built patches are found. */
export function inspectSource(engine: Engine, file: string, roots: string[]): SourceInspection {
  const result = engine.analyze({ roots: [...roots, file] });
  return {
    file,
    status: result.lenses.filter((lens) => lens.file === file).map((lens) => ({ line: lens.range.start.line + 1, title: lens.title })),
    findings: result.findings.filter((finding) => finding.file === file),
  };
}

export function formatSourceInspection(inspection: SourceInspection, displayPath: string): string {
  const out = [displayPath];
  if (inspection.status.length === 0) out.push(`  ${l10n.t('No <Patch>, product, MspPackage or publishing manifest item with a status here.')}`);
  for (const { line, title } of inspection.status) out.push(`  ${l10n.t('line {0}', line)}  ${title}`);
  if (inspection.findings.length > 0) {
    out.push('', l10n.t('Findings'));
    // Severities stay English tokens, as in `lint`'s text output.
    for (const finding of inspection.findings) out.push(`  ${finding.range.start.line + 1}:${finding.range.start.character + 1}  ${finding.severity}  ${finding.message}  ${finding.ruleId}`);
  }
  return `${out.join('\n')}\n`;
}

function kindName(kind: PackageInspection['kind']): string {
  switch (kind) {
    case 'msi':
      return l10n.t('Windows Installer package');
    case 'msp':
      return l10n.t('Windows Installer patch');
    case 'mst':
      return l10n.t('Windows Installer transform');
    case 'idt':
      return l10n.t('folder of .idt table files');
    default:
      return l10n.t('database');
  }
}

function signatureState(state: InspectedSignature['state']): string {
  switch (state) {
    case 'valid':
      return l10n.t({ message: 'valid', comment: ['The state of a digital signature'] });
    case 'invalid':
      return l10n.t({ message: 'invalid', comment: ['The state of a digital signature: it does not verify'] });
    case 'unsigned':
      return l10n.t({ message: 'unsigned', comment: ['The state of a digital signature: there is none'] });
  }
}

function validity(state: InspectedSigner['validity']): string {
  switch (state) {
    case 'valid':
      return l10n.t({ message: 'valid', comment: ['Of a certificate: within its validity period'] });
    case 'expired':
      return l10n.t({ message: 'expired', comment: ['Of a certificate'] });
    case 'not-yet-valid':
      return l10n.t({ message: 'not yet valid', comment: ['Of a certificate'] });
  }
}

type InspectedTarget = NonNullable<InspectedSignature['trust']>['targets'][number];

/** "Contoso Tools 1.2.0 (Product.msi) {code}: trusts the signer; UAC patching ready — trusts CN=…" */
function targetLine(target: InspectedTarget): string {
  const product = `${target.product} ${target.productCode}`;
  if (target.trusts === true && target.once) return l10n.t('{0}: trusts the signer {1}; UAC patching {2}', product, target.once, target.status);
  if (target.trusts === true) return l10n.t('{0}: trusts the signer; UAC patching {1}', product, target.status);
  if (target.trusts === false) return l10n.t('{0}: does NOT trust the signer (lists {1}); UAC patching {2}', product, target.lists, target.status);
  return l10n.t('{0}: {1}; UAC patching {2}', product, target.lists, target.status);
}

export function formatInspection(inspection: PackageInspection, displayPath: string): string {
  const out: string[] = [];
  if (inspection.error) return `${l10n.t('{0}: cannot be read: {1}', displayPath, inspection.error)}\n`;
  out.push(`${displayPath} (${kindName(inspection.kind)})`);
  if (inspection.status) out.push(inspection.status);
  if (inspection.summary.length > 0) {
    out.push('', l10n.t('Summary information'), ...pairs(inspection.summary.map(({ name, value }) => [name, value])));
  }
  const signature = inspection.signature;
  if (signature) {
    const rows: [string, string][] = [[l10n.t({ message: 'State', comment: ['Of a digital signature'] }), signatureState(signature.state)]];
    for (const problem of signature.problems) rows.push([l10n.t({ message: 'Problem', comment: ['Of a digital signature'] }), problem]);
    if (signature.digestAlgorithm) rows.push([l10n.t('Digest algorithm'), signature.digestAlgorithm]);
    rows.push(['MsiDigitalSignatureEx', signature.hasMsiDigitalSignatureEx ? l10n.t('yes') : l10n.t('no')]);
    if (signature.signer) {
      const signer = signature.signer;
      rows.push(
        [l10n.t({ message: 'Signer', comment: ['The subject of the certificate that signed'] }), signer.subject],
        [l10n.t({ message: 'Issuer', comment: ['Of a certificate'] }), signer.issuer],
        [l10n.t({ message: 'Serial number', comment: ['Of a certificate'] }), signer.serialNumber],
        [l10n.t('SHA-1 thumbprint'), signer.sha1],
        ['SHA-256', signer.sha256],
      );
      rows.push([l10n.t({ message: 'Valid', comment: ['Of a certificate: followed by its validity period'] }), `${signer.notBefore.slice(0, 10)} – ${signer.notAfter.slice(0, 10)} (${validity(signer.validity)})`]);
    }
    if (signature.signingTime) rows.push([l10n.t('Signing time'), signature.signingTime]);
    if (signature.timestamp) rows.push([l10n.t('Timestamp'), signature.timestamp]);
    if (signature.trust) {
      const targetLabel = l10n.t({ message: 'Target', comment: ['A product a patch applies to'] });
      for (const target of signature.trust.targets) rows.push([targetLabel, targetLine(target)]);
      for (const code of signature.trust.missingTargets) rows.push([targetLabel, l10n.t('{0}: not in the analysed folders', code)]);
    }
    out.push('', l10n.t({ message: 'Signature', comment: ['Heading: the digital signature of a package'] }), ...pairs(rows));
  }
  if (inspection.streams) {
    const lines: string[] = [];
    const list = (streams: NonNullable<PackageInspection['streams']>, depth: number): void => {
      for (const stream of streams) {
        const detail =
          stream.kind === 'storage'
            ? `/ (${l10n.t('storage')})`
            : `  ${stream.isTable ? l10n.t('{0} bytes (table)', stream.size) : l10n.t('{0} bytes', stream.size)}`;
        lines.push(`${'  '.repeat(depth + 1)}${stream.name}${detail}`);
        list(stream.children, depth + 1);
      }
    };
    list(inspection.streams, 0);
    out.push('', l10n.t('Streams'), ...lines);
  }
  out.push('', l10n.t('Tables ({0})', inspection.tables.length));
  for (const table of inspection.tables) out.push('', ...formatTable(table));
  return `${out.join('\n')}\n`;
}

function pairs(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
}

function formatTable(table: InspectedTable): string[] {
  const header = table.columns.map((column) => `${column.name}${column.key ? '*' : ''}`);
  const cells = table.rows.map((row) => row.map((cell) => cell.replace(/[\r\n\t]/g, ' ')));
  const widths = header.map((name, index) => Math.min(60, Math.max(name.length, ...cells.map((row) => (row[index] ?? '').length))));
  const line = (values: string[]): string => `  ${values.map((value, index) => clip(value, widths[index]).padEnd(widths[index])).join('  ')}`.trimEnd();
  const rowCount = table.rowCount === 1 ? l10n.t('1 row') : l10n.t('{0} rows', table.rowCount);
  const lines = [`${table.name} (${rowCount})`, line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)];
  if (table.omittedRows > 0) lines.push(`  ${table.omittedRows === 1 ? l10n.t('… 1 more row') : l10n.t('… {0} more rows', table.omittedRows)}`);
  return lines;
}

function clip(value: string, width: number): string {
  return value.length > width ? `${value.slice(0, width - 1)}…` : value;
}
