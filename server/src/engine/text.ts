import * as l10n from '@vscode/l10n';
import { isAscii, isUtf8 } from 'buffer';
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
 * of the XML declaration, else UTF-8. A BOM that the markup after it contradicts (a file
 * converted by a tool that kept the old mark) gives way to the markup, with a warning.
 */
export function decodeXmlBytes(bytes: Uint8Array): DecodedText {
  const bom = byteOrderMark(bytes);
  if (!bom) return decodeUnmarked(bytes);
  const content = bytes.subarray(bom.length);
  const written = markupEncoding(content);
  if (written === undefined || written === bom.label) return decodeWith(bom.label, content, bom.encoding);
  const decoded = decodeUnmarked(content);
  const mismatch = l10n.t('The file starts with a {0} byte order mark, but the text after it is not {0}; it was read as {1}.', bom.label.toUpperCase(), decoded.encoding.toUpperCase());
  return { ...decoded, warning: decoded.warning ? `${mismatch} ${decoded.warning}` : mismatch };
}

function byteOrderMark(bytes: Uint8Array): { label: 'utf-8' | 'utf-16le' | 'utf-16be'; length: number; encoding: SourceEncoding } | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { label: 'utf-8', length: 3, encoding: 'utf-8-bom' };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', length: 2, encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', length: 2, encoding: 'utf-16be' };
  return undefined;
}

/**
 * The encoding family the first character shows, when it is markup or whitespace (as the first
 * character of an XML document is): 8-bit ('utf-8'), UTF-16LE (zero byte after) or UTF-16BE (before).
 */
function markupEncoding(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | undefined {
  if (bytes.length < 2) return undefined;
  const markup = (byte: number): boolean => byte === 0x3c || byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
  if (markup(bytes[0])) return bytes[1] === 0 ? 'utf-16le' : 'utf-8';
  if (bytes[0] === 0 && markup(bytes[1])) return 'utf-16be';
  return undefined;
}

/** Bytes without a byte order mark: UTF-16 by its byte pattern, else the declared encoding, else UTF-8. */
function decodeUnmarked(bytes: Uint8Array): DecodedText {
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
    return { text: decodeValidUtf8(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), encoding };
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

/** Runs of this many bytes are checked for being ASCII at a time. */
const ASCII_RUN = 64 * 1024;

/**
 * Valid UTF-8 that is mostly ASCII (markup, as large WiX sources are), decoded in runs: ASCII
 * runs are copied as Latin-1, one byte per character without decoding, and only the runs that
 * hold other characters are decoded as UTF-8. A 6 MB source with a few accented words decodes in
 * about two thirds of the time of decoding it whole (docs/benchmarks.md).
 */
function decodeValidUtf8(bytes: Buffer): string {
  if (bytes.length <= ASCII_RUN) return bytes.toString('utf8');
  const parts: string[] = [];
  let asciiFrom = 0;
  let at = 0;
  while (at < bytes.length) {
    let end = Math.min(at + ASCII_RUN, bytes.length);
    if (isAscii(bytes.subarray(at, end))) {
      at = end;
      continue;
    }
    // An ASCII byte is never inside a character: ending the run at one splits none.
    while (end < bytes.length && bytes[end] >= 0x80) end++;
    if (at > asciiFrom) parts.push(bytes.toString('latin1', asciiFrom, at));
    parts.push(bytes.toString('utf8', at, end));
    asciiFrom = at = end;
  }
  if (asciiFrom < bytes.length) parts.push(bytes.toString('latin1', asciiFrom, bytes.length));
  return parts.length === 1 ? parts[0] : parts.join('');
}

// Bytes 80–9F of Windows-1252 (€, ‘ ’ “ ” – — …); Node 20's decoder reads them as Latin-1 controls.
const WINDOWS_1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_80_9F[c.charCodeAt(0) - 0x80]);
}

/**
 * Maps offsets of one text to LSP positions and back; O(log lines) per lookup. Lines are found
 * only as far as lookups reach: a finding near the top of a 6 MB harvested source needs the
 * first lines, not a pass over the whole file.
 */
export class LineIndex {
  /** Starts of the lines found so far, in order; the first line starts at 0. */
  private readonly lineStarts = [0];
  /** The next line feed and carriage return not yet passed (-1: none left). */
  private nextLf: number;
  private nextCr: number;
  private complete = false;
  private lineBreak?: string;

  constructor(readonly text: string) {
    this.nextLf = text.indexOf('\n');
    this.nextCr = text.indexOf('\r');
  }

  get lineCount(): number {
    return this.startsThrough(Infinity).length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.startsPast(clamped);
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - starts[low] };
  }

  offsetAt(position: Position): number {
    const starts = this.startsThrough(position.line + 1);
    if (position.line >= starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = starts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  lineStart(line: number): number {
    const starts = this.startsThrough(line);
    return starts[Math.max(0, Math.min(line, starts.length - 1))];
  }

  /** Offset of the end of the line's content, before its line break. */
  lineEnd(line: number): number {
    let end = this.lineEndWithBreak(line);
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** Offset just after the line break that ends the line (start of the next line, or end of text). */
  lineEndWithBreak(line: number): number {
    const starts = this.startsThrough(line + 1);
    return line + 1 < starts.length ? starts[line + 1] : this.text.length;
  }

  /** The line starts, found at least up to line `line` (all of them when the text has fewer lines). */
  private startsThrough(line: number): number[] {
    return this.lineStarts.length > line || this.complete ? this.lineStarts : this.scan(line, -1);
  }

  /** The line starts, found at least up to the first one after `offset` (or all of them). */
  private startsPast(offset: number): number[] {
    return this.lineStarts[this.lineStarts.length - 1] > offset || this.complete ? this.lineStarts : this.scan(0, offset);
  }

  /**
   * Finds line starts until there are more than `line` and one lies after `offset`. Line breaks
   * are LF, CRLF and a lone CR; both characters are found by native search (a character loop or
   * a look-ahead pattern over a whole 6 MB file took tens of milliseconds).
   */
  private scan(line: number, offset: number): number[] {
    const text = this.text;
    const starts = this.lineStarts;
    let lf = this.nextLf;
    let cr = this.nextCr;
    while (starts.length <= line || starts[starts.length - 1] <= offset) {
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        // A CR ends its line unless the LF right after it does.
        if (cr + 1 !== lf) starts.push(cr + 1);
        cr = text.indexOf('\r', cr + 1);
      } else if (lf >= 0) {
        starts.push(lf + 1);
        lf = text.indexOf('\n', lf + 1);
      } else {
        this.complete = true;
        break;
      }
    }
    this.nextLf = lf;
    this.nextCr = cr;
    return starts;
  }

  /** The line break the file uses most: new lines are inserted with it. */
  get eol(): string {
    // Kept: every fix asks, and a file without line breaks is searched to its end.
    if (this.lineBreak === undefined) {
      const crlf = this.text.indexOf('\r\n');
      const lf = this.text.indexOf('\n');
      this.lineBreak = crlf >= 0 && crlf + 1 === lf ? '\r\n' : '\n';
    }
    return this.lineBreak;
  }

  /** Leading whitespace of a line. */
  indentOf(line: number): string {
    const start = this.lineStart(line);
    let end = start;
    while (end < this.text.length && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(start, end);
  }
}
