// SARIF 2.1.0, the format code-scanning services (GitHub, Azure DevOps) import.
// Paths are relative to the working folder through the %SRCROOT% base; columns count UTF-16 code
// units, as the engine's do; regions are 1-based with exclusive end columns.
import * as path from 'path';
import { pathToFileURL } from 'url';
import { allRules } from '../../engine/rules';
import { ruleDocUrl, type Fix, type Range, type Severity } from '../../engine/types';
import type { Formatter } from './report';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/wix-uac/wix-uac';
const SOURCE_ROOT = '%SRCROOT%';
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export const formatSarif: Formatter = (report, { version }) => {
  const artifactLocation = (file: string) => {
    const relative = path.relative(report.cwd, file);
    // Files outside the working folder cannot be expressed relative to it.
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(file).href };
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
  };
  const physicalLocation = (file: string, range: Range) => ({ artifactLocation: artifactLocation(file), region: region(range) });
  const sarifFix = (fix: Fix) => ({
    description: { text: fix.title },
    artifactChanges: [
      // A file the fix creates (an extracted certificate): its whole content, inserted at byte 0.
      ...(fix.createFiles ?? []).map((created) => ({
        artifactLocation: artifactLocation(created.file),
        replacements: [{ deletedRegion: { byteOffset: 0, byteLength: 0 }, insertedContent: { binary: created.base64 } }],
      })),
      ...[...new Set(fix.edits.map((edit) => edit.file))].map((file) => ({
        artifactLocation: artifactLocation(file),
        replacements: fix.edits
          .filter((edit) => edit.file === file)
          .map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
      })),
    ],
  });

  const ruleIndex = new Map(allRules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'wix-uac',
            informationUri: INFORMATION_URI,
            version,
            rules: allRules.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              helpUri: ruleDocUrl(rule.id),
              defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: folderUri(report.cwd) } },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((finding) => ({
          ruleId: finding.ruleId,
          ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
          level: LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [{ physicalLocation: physicalLocation(finding.file, finding.range) }],
          ...(finding.related?.length
            ? { relatedLocations: finding.related.map((related, id) => ({ id, physicalLocation: physicalLocation(related.file, related.range), message: { text: related.message } })) }
            : {}),
          ...(finding.fixes.length ? { fixes: finding.fixes.map(sarifFix) } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function region(range: Range) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** A base URI must end with a slash, or the last folder would be replaced when resolving against it. */
function folderUri(folder: string): string {
  const href = pathToFileURL(folder).href;
  return href.endsWith('/') ? href : `${href}/`;
}
