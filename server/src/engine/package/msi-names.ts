// Windows Installer packs table and binary-cell stream names so that they fit the 31 UTF-16 units
// a compound file allows: two characters of the 64-symbol alphabet `0-9A-Za-z._` share one unit
// (0x3800 + a + (b << 6)), a lone one becomes 0x4800 + a, and anything else is stored as it is.
// A table's data stream starts with the extra unit 0x4840.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._';
const PAIR_BASE = 0x3800;
const SINGLE_BASE = 0x4800;
const TABLE_PREFIX = 0x4840;

export interface MsiStreamName {
  /** The unpacked name: "Property", "Binary.Icon", "\u0005SummaryInformation". */
  name: string;
  /** A table's data stream (the stored name starts with 0x4840). */
  isTable: boolean;
}

export function decodeMsiStreamName(stored: string): MsiStreamName {
  const isTable = stored.charCodeAt(0) === TABLE_PREFIX;
  let name = '';
  for (let index = isTable ? 1 : 0; index < stored.length; index++) {
    const unit = stored.charCodeAt(index);
    if (unit >= PAIR_BASE && unit < SINGLE_BASE) {
      const packed = unit - PAIR_BASE;
      name += ALPHABET[packed & 0x3f] + ALPHABET[(packed >> 6) & 0x3f];
    } else if (unit >= SINGLE_BASE && unit < TABLE_PREFIX) {
      name += ALPHABET[unit - SINGLE_BASE];
    } else {
      name += stored[index];
    }
  }
  return { name, isTable };
}

export function encodeMsiStreamName(name: string, isTable: boolean): string {
  let stored = isTable ? String.fromCharCode(TABLE_PREFIX) : '';
  for (let index = 0; index < name.length; index++) {
    const first = ALPHABET.indexOf(name[index]);
    if (first < 0) {
      stored += name[index];
      continue;
    }
    const second = index + 1 < name.length ? ALPHABET.indexOf(name[index + 1]) : -1;
    if (second >= 0) {
      stored += String.fromCharCode(PAIR_BASE + first + (second << 6));
      index++;
    } else {
      stored += String.fromCharCode(SINGLE_BASE + first);
    }
  }
  return stored;
}

/** A stored name for messages: unpacked, control characters shown as `\x05`. */
export function displayStreamName(stored: string): string {
  return printableStreamName(decodeMsiStreamName(stored).name);
}

/** An unpacked name with its control characters shown as `\x05`, as the format documentation writes them. */
export function printableStreamName(name: string): string {
  return name.replace(/[\u0000-\u001f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
