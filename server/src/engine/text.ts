import * as l10n from '@vscode/l10n';
import { isUtf8 } from 'buffer';
import type { Position, Range, Span } from './types';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | string;

export interface DecodedText {
  text: string;
  encoding: SourceEncoding;
  /** Set when bytes could not be decoded cleanly (replacement characters were produced). */
  warning?: string;
}

/**
 * Decodes an XML source the way an XML processor would: BOM first, then the byte pattern of
 * UTF-16 without BOM (ASCII markup with a zero byte beside each character), then the `encoding`
 * of the XML declaration, else UTF-8.
 */
export function decodeXmlBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeWith('utf-8', bytes.subarray(3), 'utf-8-bom');
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return decodeWith('utf-16le', bytes.subarray(2), 'utf-16le');
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return decodeWith('utf-16be', bytes.subarray(2), 'utf-16be');
  }
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) {
    return decodeWith('utf-16le', bytes, 'utf-16le');
  }
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] !== 0 && bytes[2] === 0 && bytes[3] !== 0) {
    return decodeWith('utf-16be', bytes, 'utf-16be');
  }
  const declared = declaredEncoding(bytes);
  // The bytes are 8-bit here, so a declared UTF-16 (a file converted without fixing its
  // declaration) cannot be right; reading it as UTF-8 shows what the editor shows.
  if (declared && !/^(utf-?8|utf-?16.*|ucs-?2|utf-?32.*)$/i.test(declared)) {
    try {
      return decodeWith(declared, bytes, declared.toLowerCase());
    } catch {
      // Unknown label: fall through to UTF-8, the XML default.
    }
  }
  return decodeWith('utf-8', bytes, 'utf-8');
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const match = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return match?.[1];
}

function decodeWith(label: string, bytes: Uint8Array, encoding: SourceEncoding): DecodedText {
  if (label === 'utf-8' && isUtf8(bytes)) {
    // The common case, checked and decoded natively (several times faster than TextDecoder).
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), encoding };
  }
  const decoder = new TextDecoder(label, { fatal: true });
  const fix = decoder.encoding === 'windows-1252' ? fixWindows1252 : (text: string) => text;
  try {
    // Strict first: a U+FFFD written in the file on purpose is not a decoding error.
    return { text: fix(decoder.decode(bytes)), encoding };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const text = fix(new TextDecoder(label).decode(bytes));
    return { text, encoding, warning: l10n.t('The file is not valid {0}; undecodable bytes were replaced.', label.toUpperCase()) };
  }
}

// Bytes 80–9F of Windows-1252 (€, ‘ ’ “ ” – — …); Node 20's decoder reads them as Latin-1 controls.
const WINDOWS_1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_80_9F[c.charCodeAt(0) - 0x80]);
}

/** Maps offsets of one text to LSP positions and back. Built lazily; O(log lines) per lookup. */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    if (/\r(?!\n)/.test(text)) {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      }
    } else {
      // No lone CR (LF or CRLF files): let the native search find the line feeds.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = this.lineStarts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** Offset of the end of the line's content, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** Offset just after the line break that ends the line (start of the next line, or end of text). */
  lineEndWithBreak(line: number): number {
    return line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
  }

  /** The line break the file uses most: new lines are inserted with it. */
  get eol(): string {
    const crlf = this.text.indexOf('\r\n');
    const lf = this.text.indexOf('\n');
    return crlf >= 0 && crlf + 1 === lf ? '\r\n' : '\n';
  }

  /** Leading whitespace of a line. */
  indentOf(line: number): string {
    const start = this.lineStart(line);
    let end = start;
    while (end < this.text.length && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(start, end);
  }
}
