import * as path from 'path';
import type { FileSystem } from './fs';

/** A path as WiX authors write it (Windows separators) in the host's form. */
export function toHostPath(authored: string): string {
  return path.sep === '/' ? authored.replace(/\\/g, '/') : authored.replace(/\//g, '\\');
}

export function isAbsoluteAuthoredPath(authored: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(authored) || authored.startsWith('\\\\') || path.isAbsolute(toHostPath(authored));
}

/** A drive-letter or UNC path on a host that has neither: whether it exists cannot be known here. */
export function isForeignAbsolutePath(authored: string): boolean {
  return path.sep === '/' && /^([A-Za-z]:[\\/]|\\\\)/.test(authored);
}

/**
 * The file at `candidate`, also when its case differs from what is on disk: sources written on
 * Windows name `Common.wxi` as `common.wxi` and still build there. A folder is not a file.
 */
export function findExisting(fs: FileSystem, candidate: string): string | undefined {
  const found = findPath(fs, candidate);
  return found !== undefined && !fs.isDirectory(found) ? found : undefined;
}

function findPath(fs: FileSystem, candidate: string): string | undefined {
  if (fs.exists(candidate)) return candidate;
  const parsed = path.parse(candidate);
  const parts = candidate.slice(parsed.root.length).split(path.sep).filter((part) => part !== '');
  let current = parsed.root;
  for (const part of parts) {
    if (part === '.') continue;
    if (part === '..') {
      current = path.dirname(current);
      continue;
    }
    const exact = path.join(current, part);
    if (fs.exists(exact)) {
      current = exact;
      continue;
    }
    const lower = part.toLowerCase();
    const match = fs.readDirectory(current).find((entry) => entry.name.toLowerCase() === lower);
    if (!match) return undefined;
    current = path.join(current, match.name);
  }
  return current;
}

/** `to` relative to the folder `from` with `/` separators: for glob matching, messages and status lines. */
export function relativeWithSlashes(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/');
}

/** `to` relative to the folder `from`, written with Windows separators as WiX sources use. */
export function authoredRelativePath(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('\\');
}

/** Whether a path is the folder itself or below it (a sibling named `..x` is not above it). */
export function isInside(folder: string, filePath: string): boolean {
  const relative = path.relative(folder, filePath);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}
