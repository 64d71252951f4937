// `wix-uac inspect` output: what the package view shows, as aligned text or JSON.
import type { Engine, Finding } from '../engine';
import type { InspectedTable, PackageInspection } from '../engine/package/inspect';

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
  if (inspection.status.length === 0) out.push('  No <Patch>, product, MspPackage or publishing manifest item with a status here.');
  for (const { line, title } of inspection.status) out.push(`  line ${line}  ${title}`);
  if (inspection.findings.length > 0) {
    out.push('', 'Findings');
    for (const finding of inspection.findings) out.push(`  ${finding.range.start.line + 1}:${finding.range.start.character + 1}  ${finding.severity}  ${finding.message}  ${finding.ruleId}`);
  }
  return `${out.join('\n')}\n`;
}

const KIND_NAMES: Record<string, string> = {
  msi: 'Windows Installer package',
  msp: 'Windows Installer patch',
  mst: 'Windows Installer transform',
  idt: 'folder of .idt table files',
};

export function formatInspection(inspection: PackageInspection, displayPath: string): string {
  const out: string[] = [];
  if (inspection.error) return `${displayPath}: cannot be read: ${inspection.error}\n`;
  out.push(`${displayPath} (${KIND_NAMES[inspection.kind ?? ''] ?? 'database'})`);
  if (inspection.status) out.push(inspection.status);
  if (inspection.summary.length > 0) {
    out.push('', 'Summary information', ...pairs(inspection.summary.map(({ name, value }) => [name, value])));
  }
  const signature = inspection.signature;
  if (signature) {
    const rows: [string, string][] = [['State', signature.state]];
    for (const problem of signature.problems) rows.push(['Problem', problem]);
    if (signature.digestAlgorithm) rows.push(['Digest algorithm', signature.digestAlgorithm]);
    rows.push(['MsiDigitalSignatureEx', signature.hasMsiDigitalSignatureEx ? 'yes' : 'no']);
    if (signature.signer) {
      const signer = signature.signer;
      rows.push(['Signer', signer.subject], ['Issuer', signer.issuer], ['Serial number', signer.serialNumber], ['SHA-1 thumbprint', signer.sha1], ['SHA-256', signer.sha256]);
      rows.push(['Valid', `${signer.notBefore.slice(0, 10)} – ${signer.notAfter.slice(0, 10)} (${signer.validity})`]);
    }
    if (signature.signingTime) rows.push(['Signing time', signature.signingTime]);
    if (signature.timestamp) rows.push(['Timestamp', signature.timestamp]);
    if (signature.trust) {
      for (const target of signature.trust.targets) {
        rows.push(['Target', `${target.product} ${target.productCode}: ${target.trusts === true ? `trusts the signer${target.once ? ` ${target.once}` : ''}` : target.trusts === false ? `does NOT trust the signer (lists ${target.lists})` : target.lists}; UAC patching ${target.status}`]);
      }
      for (const code of signature.trust.missingTargets) rows.push(['Target', `${code}: not in the analysed folders`]);
    }
    out.push('', 'Signature', ...pairs(rows));
  }
  if (inspection.streams) {
    const lines: string[] = [];
    const list = (streams: NonNullable<PackageInspection['streams']>, depth: number): void => {
      for (const stream of streams) {
        lines.push(`${'  '.repeat(depth + 1)}${stream.name}${stream.kind === 'storage' ? '/ (storage)' : `  ${stream.size} bytes${stream.isTable ? ' (table)' : ''}`}`);
        list(stream.children, depth + 1);
      }
    };
    list(inspection.streams, 0);
    out.push('', 'Streams', ...lines);
  }
  out.push('', `Tables (${inspection.tables.length})`);
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
  const lines = [`${table.name} (${table.rowCount} row${table.rowCount === 1 ? '' : 's'})`, line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)];
  if (table.omittedRows > 0) lines.push(`  … ${table.omittedRows} more rows`);
  return lines;
}

function clip(value: string, width: number): string {
  return value.length > width ? `${value.slice(0, width - 1)}…` : value;
}
