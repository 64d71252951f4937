import * as nodeFs from 'fs';
import * as path from 'path';
import { bufferByteSource, fileByteSource, type ByteSource } from './package/byte-source';

export interface DirEntry {
  name: string;
  isDirectory: boolean;
  isFile: boolean;
}

/**
 * What the engine may know about files. The language server layers open buffers over the disk
 * (unsaved text wins); tests use an in-memory tree. Paths are absolute, in the host's form.
 */
export interface FileSystem {
  /** Bytes of a file, or undefined if it does not exist or cannot be read. */
  readFile(filePath: string): Uint8Array | undefined;
  /** Text of an open buffer, when the file is open in an editor. */
  openText?(filePath: string): string | undefined;
  exists(filePath: string): boolean;
  isDirectory(filePath: string): boolean;
  readDirectory(dirPath: string): DirEntry[];
  /** A value that changes whenever the file's content may have changed (mtime+size on disk). */
  version(filePath: string): string | undefined;
  /** Random access to a (large, binary) file without loading it; the caller closes it. */
  openBytes(filePath: string): ByteSource | undefined;
  /**
   * The path with its links resolved, so a walk can tell a folder it reached before (a link loop)
   * from a new one; undefined when this file system will not look at it. Without it, paths are
   * taken as they are.
   */
  realPath?(filePath: string): string | undefined;
  /**
   * Runs `step` and says what it could not see: the paths this file system refused during it
   * because they lie outside the folders it may read (see ConfinedFileSystem). Absent on file
   * systems that refuse nothing.
   */
  recordRefusals?<T>(step: () => T): { result: T; refused: Refusal[] };
}

/** A path a confined file system would not look at. */
export interface Refusal {
  /** The path as asked for. */
  path: string;
  /** Where a link inside the allowed folders leads (outside them), when that is why. */
  linksTo?: string;
}

export class NodeFileSystem implements FileSystem {
  readFile(filePath: string): Uint8Array | undefined {
    try {
      return nodeFs.readFileSync(filePath);
    } catch {
      return undefined;
    }
  }

  exists(filePath: string): boolean {
    try {
      nodeFs.statSync(filePath);
      return true;
    } catch {
      return false;
    }
  }

  isDirectory(filePath: string): boolean {
    try {
      return nodeFs.statSync(filePath).isDirectory();
    } catch {
      return false;
    }
  }

  readDirectory(dirPath: string): DirEntry[] {
    try {
      return nodeFs.readdirSync(dirPath, { withFileTypes: true }).map((entry) => {
        // Follow symlinks for the kind, but a broken link is neither file nor folder.
        if (entry.isSymbolicLink()) {
          try {
            const stat = nodeFs.statSync(path.join(dirPath, entry.name));
            return { name: entry.name, isDirectory: stat.isDirectory(), isFile: stat.isFile() };
          } catch {
            return { name: entry.name, isDirectory: false, isFile: false };
          }
        }
        return { name: entry.name, isDirectory: entry.isDirectory(), isFile: entry.isFile() };
      });
    } catch {
      return [];
    }
  }

  version(filePath: string): string | undefined {
    try {
      const stat = nodeFs.statSync(filePath);
      return `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return undefined;
    }
  }

  openBytes(filePath: string): ByteSource | undefined {
    return fileByteSource(filePath);
  }

  realPath(filePath: string): string {
    try {
      return nodeFs.realpathSync.native(filePath);
    } catch {
      return filePath;
    }
  }
}

/** Open editor buffers over another file system. */
export class OverlayFileSystem implements FileSystem {
  private readonly buffers = new Map<string, { text: string; version: number }>();

  constructor(private readonly base: FileSystem) {}

  recordRefusals<T>(step: () => T): { result: T; refused: Refusal[] } {
    // Open buffers came from the editor, not the disk: only the base can refuse.
    return this.base.recordRefusals ? this.base.recordRefusals(step) : { result: step(), refused: [] };
  }

  setBuffer(filePath: string, text: string, version: number): void {
    this.buffers.set(filePath, { text, version });
  }

  deleteBuffer(filePath: string): void {
    this.buffers.delete(filePath);
  }

  openText(filePath: string): string | undefined {
    return this.buffers.get(filePath)?.text;
  }

  readFile(filePath: string): Uint8Array | undefined {
    const buffer = this.buffers.get(filePath);
    return buffer ? Buffer.from(buffer.text, 'utf8') : this.base.readFile(filePath);
  }

  exists(filePath: string): boolean {
    return this.buffers.has(filePath) || this.base.exists(filePath);
  }

  isDirectory(filePath: string): boolean {
    return this.base.isDirectory(filePath);
  }

  readDirectory(dirPath: string): DirEntry[] {
    return this.base.readDirectory(dirPath);
  }

  version(filePath: string): string | undefined {
    const buffer = this.buffers.get(filePath);
    return buffer ? `buffer:${buffer.version}` : this.base.version(filePath);
  }

  openBytes(filePath: string): ByteSource | undefined {
    // Packages are binary: an editor buffer of one is not what the file holds.
    return this.base.openBytes(filePath);
  }

  realPath(filePath: string): string | undefined {
    return this.base.realPath ? this.base.realPath(filePath) : filePath;
  }
}

/** Links followed at most while resolving one path, as operating systems limit them (a loop ends here). */
const MAX_LINKS = 40;

type Resolution =
  /** Inside an allowed folder: `real` has no link left in it and is what reaches the disk. */
  | { kind: 'inside'; real: string }
  /** A folder that holds an allowed folder (`/home/me` for `/home/me/project`). */
  | { kind: 'above' }
  | { kind: 'outside'; linksTo?: string };

interface AllowedFolder {
  /** As given (an editor's workspace folder), compared case-insensitively where the disk usually is. */
  given: string;
  /** With its links resolved. */
  real: string;
}

/**
 * The disk, limited to some folders: what an untrusted workspace (VS Code's Restricted Mode) lets
 * wix-uac read. Each path is resolved one component at a time, reading links with lstat/readlink
 * only inside the folders, and only the resolved path reaches the disk; so a link inside that
 * points outside is refused like the outside path itself, and nothing outside is ever opened,
 * listed or even stat'ed. Folders above the allowed ones exist and list only the way down to them,
 * so walks up from a file (a case-insensitive lookup, a project above a source) stop there.
 * Refusals are recorded (`recordRefusals`) so the analysis can tell which results lack something.
 */
export class ConfinedFileSystem implements FileSystem {
  private folders: AllowedFolder[] = [];
  private readonly disk = new NodeFileSystem();
  private readonly recorders: Map<string, Refusal>[] = [];

  constructor(folders: string[]) {
    this.setFolders(folders);
  }

  /** The workspace folders changed. */
  setFolders(folders: string[]): void {
    this.folders = folders.map((folder) => {
      const given = path.resolve(folder);
      let real = given;
      try {
        real = nodeFs.realpathSync.native(given);
      } catch {
        // A folder that does not exist (yet) holds nothing to read; keep it as given.
      }
      return { given, real };
    });
  }

  /** Whether a path (file or folder) is inside the allowed folders once its links are followed. Records nothing. */
  allows(filePath: string): boolean {
    return this.resolve(filePath).kind === 'inside';
  }

  recordRefusals<T>(step: () => T): { result: T; refused: Refusal[] } {
    const recorder = new Map<string, Refusal>();
    this.recorders.push(recorder);
    try {
      const result = step();
      return { result, refused: [...recorder.values()] };
    } finally {
      this.recorders.splice(this.recorders.indexOf(recorder), 1);
    }
  }

  readFile(filePath: string): Uint8Array | undefined {
    const resolved = this.resolveOrRefuse(filePath);
    return resolved.kind === 'inside' ? this.disk.readFile(resolved.real) : undefined;
  }

  exists(filePath: string): boolean {
    const resolved = this.resolveOrRefuse(filePath);
    return resolved.kind === 'above' || (resolved.kind === 'inside' && this.disk.exists(resolved.real));
  }

  isDirectory(filePath: string): boolean {
    const resolved = this.resolveOrRefuse(filePath);
    return resolved.kind === 'above' || (resolved.kind === 'inside' && this.disk.isDirectory(resolved.real));
  }

  readDirectory(dirPath: string): DirEntry[] {
    const resolved = this.resolveOrRefuse(dirPath);
    if (resolved.kind === 'above') return this.wayDown(path.resolve(dirPath));
    if (resolved.kind === 'outside') return [];
    let entries: nodeFs.Dirent[];
    try {
      entries = nodeFs.readdirSync(resolved.real, { withFileTypes: true });
    } catch {
      return [];
    }
    const listed: DirEntry[] = [];
    for (const entry of entries) {
      if (!entry.isSymbolicLink()) {
        listed.push({ name: entry.name, isDirectory: entry.isDirectory(), isFile: entry.isFile() });
        continue;
      }
      // Whether a link leading out is a file or a folder would take a look outside: it is listed as
      // possibly either, and whoever goes on to read it (a walk, a lookup) is refused and recorded.
      const target = this.resolve(path.join(path.resolve(dirPath), entry.name));
      if (target.kind !== 'inside') {
        listed.push({ name: entry.name, isDirectory: true, isFile: true });
        continue;
      }
      listed.push({ name: entry.name, isDirectory: this.disk.isDirectory(target.real), isFile: this.disk.exists(target.real) && !this.disk.isDirectory(target.real) });
    }
    return listed;
  }

  version(filePath: string): string | undefined {
    const resolved = this.resolveOrRefuse(filePath);
    return resolved.kind === 'inside' ? this.disk.version(resolved.real) : undefined;
  }

  openBytes(filePath: string): ByteSource | undefined {
    const resolved = this.resolveOrRefuse(filePath);
    return resolved.kind === 'inside' ? this.disk.openBytes(resolved.real) : undefined;
  }

  realPath(filePath: string): string | undefined {
    const resolved = this.resolveOrRefuse(filePath);
    return resolved.kind === 'inside' ? resolved.real : resolved.kind === 'above' ? path.resolve(filePath) : undefined;
  }

  private resolveOrRefuse(filePath: string): Resolution {
    const resolved = this.resolve(filePath);
    if (resolved.kind === 'outside') {
      const refusal: Refusal = resolved.linksTo ? { path: filePath, linksTo: resolved.linksTo } : { path: filePath };
      for (const recorder of this.recorders) if (!recorder.has(filePath)) recorder.set(filePath, refusal);
    }
    return resolved;
  }

  /** Follows links one component at a time, touching the disk only inside the allowed folders. */
  private resolve(filePath: string): Resolution {
    let pending = path.resolve(filePath);
    let linked = false;
    for (let links = 0; links <= MAX_LINKS; links++) {
      const start = this.startInside(pending);
      if (!start) {
        if (!linked && this.folders.some((folder) => isBelow(pending, folder.given) || isBelow(pending, folder.real))) return { kind: 'above' };
        return linked ? { kind: 'outside', linksTo: pending } : { kind: 'outside' };
      }
      const parts = start.rest.split(path.sep).filter((part) => part !== '');
      let current = start.real;
      let redirected: string | undefined;
      for (let index = 0; index < parts.length && redirected === undefined; index++) {
        const next = path.join(current, parts[index]);
        let stat: nodeFs.Stats;
        try {
          stat = nodeFs.lstatSync(next);
        } catch {
          // Not there (yet): nothing below it can be a link, so the rest stays where it is.
          return { kind: 'inside', real: path.join(next, ...parts.slice(index + 1)) };
        }
        if (stat.isSymbolicLink()) {
          let target: string;
          try {
            target = withoutWindowsPrefix(nodeFs.readlinkSync(next));
          } catch {
            return { kind: 'inside', real: path.join(next, ...parts.slice(index + 1)) };
          }
          redirected = path.join(path.resolve(path.dirname(next), target), ...parts.slice(index + 1));
        } else {
          current = next;
        }
      }
      if (redirected === undefined) return { kind: 'inside', real: current };
      pending = redirected;
      linked = true;
    }
    // A chain of links this long is a loop: what it leads to cannot be known, so it is not read.
    return { kind: 'outside', linksTo: pending };
  }

  /** The allowed folder a path is in (as given or resolved): where resolving starts, and what is left. */
  private startInside(absolute: string): { real: string; rest: string } | undefined {
    for (const folder of this.folders) {
      if (isWithin(folder.real, absolute)) return { real: folder.real, rest: absolute.slice(folder.real.length) };
      if (isWithin(folder.given, absolute)) return { real: folder.real, rest: absolute.slice(folder.given.length) };
    }
    return undefined;
  }

  /** The listing of a folder above allowed ones: only the next folder on the way down to each. */
  private wayDown(above: string): DirEntry[] {
    const names = new Set<string>();
    for (const folder of this.folders) {
      for (const candidate of [folder.given, folder.real]) {
        if (!isBelow(above, candidate)) continue;
        const rest = candidate.slice(above.length).split(path.sep).filter((part) => part !== '');
        if (rest.length > 0) names.add(rest[0]);
      }
    }
    return [...names].map((name) => ({ name, isDirectory: true, isFile: false }));
  }
}

/** Windows and macOS disks usually ignore case; a path that differs only in case is the same file there. */
const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

function sameText(a: string, b: string): boolean {
  return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** Whether `filePath` is `folder` or below it; both absolute and normalized. */
function isWithin(folder: string, filePath: string): boolean {
  if (filePath.length === folder.length) return sameText(filePath, folder);
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return filePath.length > prefix.length && sameText(filePath.slice(0, prefix.length), prefix);
}

/** Whether `folder` is strictly above `filePath`. */
function isBelow(folder: string, filePath: string): boolean {
  return filePath.length !== folder.length && isWithin(folder, filePath);
}

/** readlink on Windows may answer a junction's target as `\\?\C:\…` or `\??\C:\…`; path functions want `C:\…`. */
function withoutWindowsPrefix(target: string): string {
  return target.replace(/^\\\\\?\\UNC\\/, '\\\\').replace(/^\\\\\?\\/, '').replace(/^\\\?\?\\/, '');
}

/** An in-memory tree, for tests and for analysing text that is not on disk. */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, Uint8Array>();
  private readonly versions = new Map<string, number>();

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [filePath, content] of Object.entries(files)) this.write(filePath, content);
  }

  write(filePath: string, content: string | Uint8Array): void {
    const normalized = path.resolve(filePath);
    this.files.set(normalized, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    this.versions.set(normalized, (this.versions.get(normalized) ?? 0) + 1);
  }

  delete(filePath: string): void {
    const normalized = path.resolve(filePath);
    this.files.delete(normalized);
    this.versions.set(normalized, (this.versions.get(normalized) ?? 0) + 1);
  }

  readFile(filePath: string): Uint8Array | undefined {
    return this.files.get(path.resolve(filePath));
  }

  exists(filePath: string): boolean {
    return this.files.has(path.resolve(filePath)) || this.isDirectory(filePath);
  }

  isDirectory(filePath: string): boolean {
    const prefix = path.resolve(filePath) + path.sep;
    for (const key of this.files.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  readDirectory(dirPath: string): DirEntry[] {
    const prefix = path.resolve(dirPath) + path.sep;
    const entries = new Map<string, DirEntry>();
    for (const key of this.files.keys()) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf(path.sep);
      const name = slash < 0 ? rest : rest.slice(0, slash);
      entries.set(name, { name, isDirectory: slash >= 0, isFile: slash < 0 });
    }
    return [...entries.values()];
  }

  version(filePath: string): string | undefined {
    const normalized = path.resolve(filePath);
    return this.files.has(normalized) ? String(this.versions.get(normalized)) : undefined;
  }

  openBytes(filePath: string): ByteSource | undefined {
    const bytes = this.readFile(filePath);
    return bytes ? bufferByteSource(bytes) : undefined;
  }
}
