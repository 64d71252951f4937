// Seed corpora: the files under test/fixtures and examples, read once.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository: found upward from this file, so it works from a compiled test folder and from a bundle. */
export const REPO = findRepository(__dirname);

function findRepository(start: string): string {
  for (let folder = start; ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, 'test', 'fixtures')) && fs.existsSync(path.join(folder, 'package.json'))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`no repository with test/fixtures above ${start}`);
  }
}

/** Where failing inputs are kept as regression cases, one folder per target. */
export const REGRESSIONS = path.join(REPO, 'test', 'fixtures', 'fuzz-regressions');

export interface SeedFile {
  /** Relative to the repository, with forward slashes. */
  path: string;
  bytes: Uint8Array;
}

let allFiles: SeedFile[] | undefined;

/**
 * Every file of test/fixtures and examples, sorted by path. Not the fuzz regressions: they are
 * hangs and crashes kept small, but still the slowest inputs there are, and they run on their own.
 */
export function seedFiles(): SeedFile[] {
  if (!allFiles) {
    allFiles = [];
    for (const top of ['test/fixtures', 'examples']) walk(path.join(REPO, top), allFiles);
    allFiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  return allFiles;
}

function walk(folder: string, into: SeedFile[]): void {
  if (!fs.existsSync(folder) || folder === REGRESSIONS) return;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) walk(full, into);
    else if (entry.isFile()) into.push({ path: path.relative(REPO, full).split(path.sep).join('/'), bytes: fs.readFileSync(full) });
  }
}

/** Seed files whose name matches, e.g. /\.(wxs|wxi)$/i. */
export function seedsMatching(pattern: RegExp, maxBytes = 2 * 1024 * 1024): SeedFile[] {
  return seedFiles().filter((file) => pattern.test(file.path) && file.bytes.length <= maxBytes);
}

/** The files below a folder of the repository, keyed by their path inside it. */
export function seedFolder(relativeFolder: string): Map<string, Uint8Array> {
  const prefix = `${relativeFolder.replace(/\/$/, '')}/`;
  const files = new Map<string, Uint8Array>();
  for (const file of seedFiles()) if (file.path.startsWith(prefix)) files.set(file.path.slice(prefix.length), file.bytes);
  return files;
}

export function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

export function text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
