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
}

/** Open editor buffers over another file system. */
export class OverlayFileSystem implements FileSystem {
  private readonly buffers = new Map<string, { text: string; version: number }>();

  constructor(private readonly base: FileSystem) {}

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
