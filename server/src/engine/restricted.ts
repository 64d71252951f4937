// Restricted Mode: the analysis of a workspace the user has not trusted (VS Code's workspace
// trust). Only the open files are analysed and reported. The file system under the engine
// (ConfinedFileSystem) refuses every path outside the workspace, so nothing there is read; this
// module makes sure what was not read cannot show up as a finding: a file whose check needed a
// refused path is reported as not checked, with a notice naming the path. See docs/workspace-trust.md.

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { AnalysisResult, Notice } from './api';
import { CONFIG_FILE_NAME } from './config';
import type { FileSystem, Refusal } from './fs';
import { isInside } from './paths';
import { decodeXmlBytes, LineIndex } from './text';
import type { Finding, Range } from './types';

/** The ordinary analysis of some roots, which this module runs on the open files. */
export type AnalyzeRoots = (roots: string[]) => AnalysisResult;

/** An analysis and the open files whose results are taken from it. */
interface Part {
  files: string[];
  result: AnalysisResult;
}

/** An open file whose check needed paths the file system refused. */
interface Unchecked {
  file: string;
  refused: Refusal[];
}

/**
 * Analyses the open files together, as the trusted analysis would. When that needed nothing the
 * file system refused (the usual case), its results for the open files are the answer. Otherwise
 * each open file is analysed on its own, to learn which of them needed a refused path: those get a
 * notice and no findings (what was not read could add or remove any finding of theirs), the
 * others their own results.
 */
export function analyzeRestricted(fs: FileSystem, openFiles: string[], analyze: AnalyzeRoots): AnalysisResult {
  const files = [...new Set(openFiles.map((file) => path.resolve(file)))].sort();
  const record = <T>(step: () => T): { result: T; refused: Refusal[] } => (fs.recordRefusals ? fs.recordRefusals(step) : { result: step(), refused: [] });

  const together = record(() => analyze([...new Set(files.flatMap((file) => analysisRoots(fs, file)))]));
  if (thatMatter(together.refused).length === 0) return merge([{ files, result: together.result }], [], fs);

  const checked: Part[] = [];
  const unchecked: Unchecked[] = [];
  for (const file of files) {
    const alone = record(() => analyze(analysisRoots(fs, file)));
    const refused = thatMatter(alone.refused);
    if (refused.length > 0) unchecked.push({ file, refused });
    else checked.push({ files: [file], result: alone.result });
  }
  return merge(checked, unchecked, fs);
}

/**
 * Refusals that can make a finding wrong. A wix-uac.json is looked for in every folder above a
 * file, so one above the workspace is refused for every file; it only sets severities and ignore
 * globs, which change how findings are shown, not whether they are true, so it is left out (the
 * defaults apply in Restricted Mode).
 */
function thatMatter(refused: Refusal[]): Refusal[] {
  const kept = refused.filter((refusal) => path.basename(refusal.path).toLowerCase() !== CONFIG_FILE_NAME);
  // A lookup refuses the folders on its way too (`../shared` for `../shared/Common.wxi`): the file says more.
  return kept.filter((refusal) => !kept.some((other) => other !== refusal && other.path !== refusal.path && isInside(refusal.path, other.path)));
}

/** An .idt file is one table of the database its folder holds: the whole folder is read with it, or the missing tables would be findings. */
function analysisRoots(fs: FileSystem, file: string): string[] {
  if (!isTableFile(file)) return [file];
  const folder = path.dirname(file);
  const tables = fs.readDirectory(folder).filter((entry) => entry.isFile && isTableFile(entry.name)).map((entry) => path.join(folder, entry.name));
  return tables.includes(file) ? tables : [file, ...tables];
}

function isTableFile(file: string): boolean {
  return /\.idt$/i.test(file);
}

/** Where an open file's results are: in itself, and for an .idt file also on its database (the folder). */
function reportedPaths(file: string): string[] {
  return isTableFile(file) ? [file, path.dirname(file)] : [file];
}

function merge(checked: Part[], unchecked: Unchecked[], fs: FileSystem): AnalysisResult {
  const owners = new Map<string, AnalysisResult>();
  for (const part of checked) for (const file of part.files) for (const reported of reportedPaths(file)) owners.set(reported, part.result);
  const takenFrom = (result: AnalysisResult) => (item: { file: string }) => owners.get(item.file) === result;

  const findings = checked
    .flatMap(({ result }) => result.findings.filter(takenFrom(result)))
    .map(withoutFileWrites)
    .sort(byPosition);
  const notices: Notice[] = [...checked.flatMap(({ result }) => result.notices.filter(takenFrom(result))), ...unchecked.map((entry) => notCheckedNotice(fs, entry))];
  const analysed = [...checked.flatMap(({ result }) => result.files.filter((file) => owners.get(file) === result)), ...unchecked.map((entry) => entry.file)];
  return {
    files: [...new Set(analysed)].sort(),
    findings,
    lenses: checked.flatMap(({ result }) => result.lenses.filter(takenFrom(result))),
    notices,
    hover: (file, position) => owners.get(path.resolve(file))?.hover(file, position),
    inspect: (file, options) => owners.get(path.resolve(file))?.inspect(file, options),
  };
}

/** Restricted Mode writes no files: a fix that would create one (an extracted certificate, a table file) is not offered. */
function withoutFileWrites(finding: Finding): Finding {
  const fixes = finding.fixes.filter((fix) => !fix.createFiles?.length);
  return fixes.length === finding.fixes.length ? finding : { ...finding, fixes };
}

function byPosition(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId);
}

/** Says which path kept the file from being checked, where the file names it when it does. */
function notCheckedNotice(fs: FileSystem, { file, refused }: Unchecked): Notice {
  const [first] = refused;
  const shown = path.relative(path.dirname(file), first.path) || first.path;
  const what = first.linksTo ? l10n.t('{0} (through a link: {1})', shown, first.linksTo) : shown;
  const others = refused.length - 1;
  const all = others === 0 ? what : others === 1 ? l10n.t('{0} and 1 other path', what) : l10n.t('{0} and {1} other paths', what, others);
  const message = l10n.t('Not checked in Restricted Mode: checking this file means reading {0}, outside the workspace, and wix-uac reads nothing there until you trust the workspace.', all);
  const range = whereNamed(fs, file, first.path);
  return { file, message, severity: 'information', ...(range ? { range } : {}) };
}

/** The first place the file's text names the refused file (its include, its SourceFile), if it does. */
function whereNamed(fs: FileSystem, file: string, refusedPath: string): Range | undefined {
  const text = fs.openText?.(file) ?? decodedText(fs.readFile(file));
  const name = path.basename(refusedPath);
  if (text === undefined || name === '') return undefined;
  const offset = text.indexOf(name);
  if (offset < 0) return undefined;
  const lines = new LineIndex(text);
  return { start: lines.positionAt(offset), end: lines.positionAt(offset + name.length) };
}

function decodedText(bytes: Uint8Array | undefined): string | undefined {
  return bytes ? decodeXmlBytes(bytes).text : undefined;
}
