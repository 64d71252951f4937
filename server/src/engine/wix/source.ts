import * as path from 'path';
import type { FileSystem } from '../fs';
import { decodeXmlBytes, LineIndex } from '../text';
import type { Range, Span } from '../types';
import { parseXml, type XmlDocument } from '../xml/parser';

export const WIX_V3_NAMESPACE = 'http://schemas.microsoft.com/wix/2006/wi';
export const WIX_V4_NAMESPACE = 'http://wixtoolset.org/schemas/v4/wxs';

/** A parsed source file: text as the editor sees it, its XML tree and its line table. */
export class SourceFile {
  readonly xml: XmlDocument;
  private lineIndex?: LineIndex;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly version: string,
    readonly decodeWarning?: string,
  ) {
    this.xml = parseXml(text);
  }

  /** Built on first use: most files of a large workspace never report a finding. */
  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  get folder(): string {
    return path.dirname(this.path);
  }

  /** WiX major version from the root's namespace: 3, 4 (v4 and later share one namespace), or undefined. */
  get wixVersion(): 3 | 4 | undefined {
    const ns = this.xml.root?.namespaceUri;
    if (ns === WIX_V3_NAMESPACE) return 3;
    if (ns === WIX_V4_NAMESPACE) return 4;
    return undefined;
  }

  range(span: Span): Range {
    return this.lines.rangeOf(span);
  }
}

/** Parses each file once per content version; the language server re-uses it across keystrokes elsewhere. */
export class SourceCache {
  private readonly entries = new Map<string, SourceFile>();

  constructor(private readonly fs: FileSystem) {}

  get(filePath: string): SourceFile | undefined {
    const version = this.fs.version(filePath);
    if (version === undefined) {
      this.entries.delete(filePath);
      return undefined;
    }
    const cached = this.entries.get(filePath);
    if (cached && cached.version === version) return cached;
    const open = this.fs.openText?.(filePath);
    let source: SourceFile;
    if (open !== undefined) {
      source = new SourceFile(filePath, open, version);
    } else {
      const bytes = this.fs.readFile(filePath);
      if (!bytes) return undefined;
      const decoded = decodeXmlBytes(bytes);
      source = new SourceFile(filePath, decoded.text, version, decoded.warning);
    }
    this.entries.set(filePath, source);
    return source;
  }
}
