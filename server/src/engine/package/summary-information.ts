// `\x05SummaryInformation`: an OLE property set (MS-OLEPS) holding the package's title, template
// (the target ProductCodes of a patch), revision (PackageCode or patch GUID), page count
// (minimum installer version) and word count (source and privilege flags).
import * as l10n from '@vscode/l10n';
import { TextDecoder } from 'util';
import { byteCount } from '../l10n';
import { UnreadablePackageError } from './cfb';
import type { SummaryInformation } from './database';

/** Larger than any real summary stream (a few hundred bytes); bounds what is read. */
export const MAX_SUMMARY_BYTES = 256 * 1024;

const VT_EMPTY = 0;
const VT_I2 = 2;
const VT_I4 = 3;
const VT_LPSTR = 30;
const VT_LPWSTR = 31;
const VT_FILETIME = 64;

const PID_CODEPAGE = 1;
const STRING_PROPERTIES: Record<number, keyof SummaryInformation> = {
  2: 'title',
  3: 'subject',
  4: 'author',
  5: 'keywords',
  6: 'comments',
  7: 'template',
  8: 'lastSavedBy',
  9: 'revision',
  18: 'application',
};
const DATE_PROPERTIES: Record<number, keyof SummaryInformation> = { 11: 'lastPrinted', 12: 'created', 13: 'lastSaved' };
const NUMBER_PROPERTIES: Record<number, keyof SummaryInformation> = { 14: 'pageCount', 15: 'wordCount', 16: 'characterCount', 19: 'security' };

/** Milliseconds between 1601-01-01 (FILETIME's origin) and 1970-01-01. */
const FILETIME_UNIX_OFFSET_MS = 11_644_473_600_000n;

function fail(reason: string): never {
  throw new UnreadablePackageError(l10n.t('summary information: {0}', reason));
}

export function parseSummaryInformation(bytes: Uint8Array): SummaryInformation {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 48) fail(l10n.t('the stream is {0}, too short for a property set header', byteCount(bytes.length)));
  const byteOrder = view.getUint16(0, true);
  if (byteOrder !== 0xfffe) fail(l10n.t('byte order mark {0} instead of {1}', `0x${byteOrder.toString(16)}`, '0xfffe'));
  const setCount = view.getUint32(24, true);
  if (setCount < 1) fail(l10n.t('the property set stream holds no property set'));
  const sectionOffset = view.getUint32(44, true);
  if (sectionOffset > bytes.length - 8) fail(l10n.t('the property set starts at byte {0}, past the end of the {1}-byte stream', sectionOffset, bytes.length));
  const sectionSize = view.getUint32(sectionOffset, true);
  const propertyCount = view.getUint32(sectionOffset + 4, true);
  const sectionEnd = Math.min(bytes.length, sectionOffset + sectionSize);
  if (propertyCount > (sectionEnd - sectionOffset - 8) / 8) {
    fail(l10n.t('the property set claims {0} properties; its {1} bytes have room for fewer', propertyCount, sectionEnd - sectionOffset));
  }

  const locations = new Map<number, number>();
  for (let index = 0; index < propertyCount; index++) {
    const entry = sectionOffset + 8 + index * 8;
    const id = view.getUint32(entry, true);
    const offset = view.getUint32(entry + 4, true);
    if (offset < 8 || sectionOffset + offset > sectionEnd - 4) fail(l10n.t('property {0} lies outside its property set', id));
    locations.set(id, sectionOffset + offset);
  }

  const typeAt = (position: number): number => view.getUint16(position, true);
  const need = (id: number, position: number, length: number): void => {
    if (position + length > sectionEnd) fail(l10n.t('property {0} runs past the end of its property set', id));
  };

  const summary: SummaryInformation = {};
  const codepageAt = locations.get(PID_CODEPAGE);
  if (codepageAt !== undefined && typeAt(codepageAt) === VT_I2) {
    need(PID_CODEPAGE, codepageAt + 4, 2);
    // Stored as a signed 16-bit value: 65001 (UTF-8) reads as -535.
    summary.codepage = view.getUint16(codepageAt + 4, true);
  }

  for (const [id, position] of locations) {
    const type = typeAt(position);
    const value = position + 4;
    if (type === VT_EMPTY || id === PID_CODEPAGE) continue;
    const stringKey = STRING_PROPERTIES[id];
    const dateKey = DATE_PROPERTIES[id];
    const numberKey = NUMBER_PROPERTIES[id];
    if (type === VT_LPSTR || type === VT_LPWSTR) {
      need(id, value, 4);
      const count = view.getUint32(value, true);
      const length = type === VT_LPWSTR ? count * 2 : count;
      need(id, value + 4, length);
      const raw = bytes.subarray(value + 4, value + 4 + length);
      const text = type === VT_LPWSTR ? decodeCodepageText(raw, 1200) : decodeCodepageText(raw, summary.codepage ?? 0);
      if (stringKey) (summary as Record<string, unknown>)[stringKey] = text.replace(/\0[\s\S]*$/, '');
    } else if (type === VT_I2) {
      need(id, value, 2);
      if (numberKey) (summary as Record<string, unknown>)[numberKey] = view.getInt16(value, true);
    } else if (type === VT_I4) {
      need(id, value, 4);
      if (numberKey) (summary as Record<string, unknown>)[numberKey] = view.getInt32(value, true);
    } else if (type === VT_FILETIME) {
      need(id, value, 8);
      const ticks = view.getBigUint64(value, true);
      // A zero FILETIME means "never" (an unprinted package has no LastPrinted).
      if (dateKey && ticks !== 0n) (summary as Record<string, unknown>)[dateKey] = new Date(Number(ticks / 10_000n - FILETIME_UNIX_OFFSET_MS));
    }
    // Other types (and known ids with unexpected types) carry nothing the rules read.
  }
  return summary;
}

/** WHATWG encoding labels for the Windows code pages installers use. */
function encodingLabel(codepage: number): string | undefined {
  if (codepage === 65001) return 'utf-8';
  if (codepage === 1200) return 'utf-16le';
  if (codepage === 874 || (codepage >= 1250 && codepage <= 1258)) return `windows-${codepage}`;
  if (codepage >= 28591 && codepage <= 28606) return `iso-8859-${codepage - 28590}`;
  const named: Record<number, string> = {
    866: 'ibm866',
    932: 'shift_jis',
    936: 'gbk',
    949: 'euc-kr',
    950: 'big5',
    10000: 'macintosh',
    20866: 'koi8-r',
    21866: 'koi8-u',
    20127: 'us-ascii',
    54936: 'gb18030',
  };
  return named[codepage];
}

const decoders = new Map<string, TextDecoder | null>();

function decoder(label: string, fatal = false): TextDecoder | undefined {
  const key = `${label}:${fatal}`;
  if (!decoders.has(key)) {
    try {
      decoders.set(key, new TextDecoder(label, { fatal }));
    } catch {
      // A Node without full ICU lacks most legacy encodings.
      decoders.set(key, null);
    }
  }
  return decoders.get(key) ?? undefined;
}

/**
 * Text stored in a Windows code page. Code page 0 (neutral) means "the machine's ANSI code
 * page": such databases should hold ASCII only, so UTF-8 is tried (as msitools writes) and
 * windows-1252 taken when the bytes are not UTF-8. Unknown code pages fall back the same way.
 */
export function decodeCodepageText(bytes: Uint8Array, codepage: number): string {
  const label = encodingLabel(codepage);
  const known = label ? decoder(label) : undefined;
  if (known) return known.decode(bytes);
  try {
    return decoder('utf-8', true)!.decode(bytes);
  } catch {
    const latin = decoder('windows-1252');
    if (latin) return latin.decode(bytes);
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return text;
  }
}
