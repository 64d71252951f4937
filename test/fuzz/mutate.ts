// Byte- and text-level mutations as fast-check arbitraries. A mutated input is "a base plus a
// list of edits", so fast-check shrinks a failure to the fewest, smallest edits of the simplest
// base — usually one fixture and one edit, which is what a regression case should be.

import * as fc from 'fast-check';

/** Values that sit on the edges parsers test: zero, sign bits, all ones, sizes near 2^16/2^31. */
export const INTERESTING_U32 = [
  0, 1, 2, 3, 4, 7, 8, 0x10, 0x3f, 0x40, 0x7f, 0x80, 0xff, 0x100, 0x1ff, 0x200, 0x1000, 0x7fff, 0x8000, 0xffff, 0x10000,
  0x7fffffff, 0x80000000, 0xfffffff9, 0xfffffffa, 0xfffffffb, 0xfffffffc, 0xfffffffd, 0xfffffffe, 0xffffffff,
];
export const INTERESTING_U16 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];
export const INTERESTING_U8 = [0, 1, 0x7f, 0x80, 0xfe, 0xff];

export type ByteEdit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'byte'; at: number; value: number }
  | { op: 'u16'; at: number; value: number }
  | { op: 'u32'; at: number; value: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number; to: number }
  | { op: 'truncate'; at: number }
  | { op: 'fill'; at: number; length: number; value: number };

const position = fc.nat({ max: 0x7fffffff });

export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('byte' as const), at: position, value: fc.oneof(fc.constantFrom(...INTERESTING_U8), fc.integer({ min: 0, max: 255 })) }),
  fc.record({ op: fc.constant('u16' as const), at: position, value: fc.oneof(fc.constantFrom(...INTERESTING_U16), fc.integer({ min: 0, max: 0xffff })) }),
  fc.record({ op: fc.constant('u32' as const), at: position, value: fc.oneof(fc.constantFrom(...INTERESTING_U32), fc.nat()) }),
  fc.record({ op: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 512 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 512 }), to: position }),
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({ op: fc.constant('fill' as const), at: position, length: fc.integer({ min: 1, max: 1024 }), value: fc.constantFrom(0, 0xff, 0x41) }),
);

/** Applies edits in order; positions wrap around the current length. */
export function applyByteEdits(base: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let bytes = base;
  for (const edit of edits) bytes = applyByteEdit(bytes, edit);
  return bytes;
}

function applyByteEdit(bytes: Uint8Array, edit: ByteEdit): Uint8Array {
  const length = bytes.length;
  const at = length === 0 ? 0 : edit.at % (edit.op === 'insert' || edit.op === 'truncate' ? length + 1 : length);
  switch (edit.op) {
    case 'flip':
    case 'byte':
    case 'u16':
    case 'u32': {
      if (length === 0) return bytes;
      const out = Uint8Array.from(bytes);
      if (edit.op === 'flip') out[at] ^= 1 << edit.bit;
      else if (edit.op === 'byte') out[at] = edit.value;
      else writeLe(out, at, edit.value, edit.op === 'u16' ? 2 : 4);
      return out;
    }
    case 'insert':
      return concat(bytes.subarray(0, at), edit.bytes, bytes.subarray(at));
    case 'delete':
      return concat(bytes.subarray(0, at), bytes.subarray(Math.min(length, at + edit.length)));
    case 'duplicate': {
      const piece = bytes.subarray(at, Math.min(length, at + edit.length));
      const to = length === 0 ? 0 : edit.to % (length + 1);
      return concat(bytes.subarray(0, to), piece, bytes.subarray(to));
    }
    case 'truncate':
      return bytes.subarray(0, at);
    case 'fill': {
      const out = Uint8Array.from(bytes);
      out.fill(edit.value, at, Math.min(length, at + edit.length));
      return out;
    }
  }
}

/** Little-endian write that stops at the end of the buffer. */
export function writeLe(bytes: Uint8Array, at: number, value: number, width: number): void {
  for (let i = 0; i < width && at + i < bytes.length; i++) bytes[at + i] = Math.floor(value / 2 ** (8 * i)) & 0xff;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Up to `max` byte edits, biased toward few (most bugs need one or two). */
export function byteEdits(max = 6): fc.Arbitrary<ByteEdit[]> {
  return fc.array(byteEdit, { minLength: 1, maxLength: max });
}

/** A pick from a corpus that may grow while fuzzing (the index is read at generation time). */
export function corpusPick<T>(entries: T[]): fc.Arbitrary<T> {
  return fc.nat().map((index) => entries[index % entries.length]);
}

// ---- Text ------------------------------------------------------------------------------------

/** Fragments that open, close or break markup: what a half-typed or hostile document holds. */
export const MARKUP_TOKENS = [
  '<', '>', '/>', '</', '"', "'", '=', '&', ';', '<?', '?>', '<!--', '-->', '<![CDATA[', ']]>', '<!DOCTYPE x [', ']>',
  '<!ENTITY e "x">', '&e;', '&amp;', '&#x0;', '&#xD800;', '&#1114112;', '&#x10FFFF;', '&lt;', '$(', ')', '$(var.', '$(sys.', '$$',
  '\n', '\r', '\r\n', '\t', ' ', '\u0000', '\uFEFF', '\uD800', '\uDC00', '\u2028', 'xmlns="', 'xmlns:x="', 'x:', '<?if', '<?endif?>',
  '<?else?>', '<?elseif 1 = 1?>', '<?define A = 1?>', '<?include a.wxi?>', '<?foreach X in a;b?>', '<?endforeach?>', '</Wix>',
  '<Wix>', '<Include>', '</Include>', '<Property Id="', '<Package ', 'InstallScope="perUser"', '\u00e9', '\u{1F600}',
];

/**
 * Up to `maxLength` code points of any kind, lone surrogates included. (fast-check's own
 * `unit: 'binary'` strings take more than a second to set up in every process.)
 */
export function anyText(maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength }).map((codes) => String.fromCodePoint(...codes));
}

/** Tokens that open a level of nesting in the formats fuzzed here. */
const NESTING_TOKENS = ['<a>', '<Fragment>', '<Component>', '<?if 1?>', '<?ifdef A?>', '<!--', '<![CDATA[', '<?include a.wxi?>', '$(var.', '(', 'not '];

/** Tokens repeated with `#` counting up: thousands of distinct definitions, ids, rows or conditions. */
const NUMBERED_TOKENS = [
  '<?define V# = #?>\n', '<Property Id="P#" Value="#" />\n', '<Component Id="C#"><File Id="F#" Source="f#.txt" /></Component>\n', '<?if $(var.V#) = #?>',
  '<?ifdef V#?><Property Id="Q#" /><?endif?>', '<ComponentRef Id="C#" />', '<Fragment><Property Id="R#" /></Fragment>', 'P#\tv#\r\n', '<x a#="#" />',
];

function numbered(token: string, times: number): string {
  let text = '';
  for (let i = 0; i < times; i++) text += token.replace(/#/g, String(i));
  return text;
}

export type TextEdit =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number; to: number; times: number }
  | { op: 'truncate'; at: number }
  | { op: 'swap'; at: number; length: number; to: number };

/** A text edit that inserts one of `tokens` (or random characters), deletes, duplicates, cuts or moves. */
export function textEditFrom(tokens: readonly string[]): fc.Arbitrary<TextEdit> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('insert' as const), at: position, text: fc.oneof(fc.constantFrom(...tokens), anyText(8)) }) },
    // Deep nesting and long runs: one token many times over, or numbered (many distinct names).
    { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at: position, text: fc.tuple(fc.constantFrom(...tokens, ...NESTING_TOKENS), fc.constantFrom(100, 1000, 5000, 20000)).map(([token, times]) => token.repeat(times)) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at: position, text: fc.tuple(fc.constantFrom(...NUMBERED_TOKENS), fc.constantFrom(100, 1000, 5000, 20000)).map(([token, times]) => numbered(token, times)) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 200 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 200 }), to: position, times: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 50 })) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: position }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('swap' as const), at: position, length: fc.integer({ min: 1, max: 100 }), to: position }) },
  );
}

export const textEdit = textEditFrom(MARKUP_TOKENS);

export function applyTextEdits(base: string, edits: readonly TextEdit[]): string {
  let text = base;
  for (const edit of edits) {
    const length = text.length;
    const at = edit.at % (length + 1);
    switch (edit.op) {
      case 'insert':
        text = text.slice(0, at) + edit.text + text.slice(at);
        break;
      case 'delete':
        text = text.slice(0, at) + text.slice(at + edit.length);
        break;
      case 'duplicate': {
        const piece = text.slice(at, at + edit.length).repeat(edit.times);
        const to = edit.to % (length + 1);
        text = text.slice(0, to) + piece + text.slice(to);
        break;
      }
      case 'truncate':
        text = text.slice(0, at);
        break;
      case 'swap': {
        const piece = text.slice(at, at + edit.length);
        const rest = text.slice(0, at) + text.slice(at + edit.length);
        const to = edit.to % (rest.length + 1);
        text = rest.slice(0, to) + piece + rest.slice(to);
        break;
      }
    }
  }
  return text;
}

export function textEdits(max = 5, edit: fc.Arbitrary<TextEdit> = textEdit): fc.Arbitrary<TextEdit[]> {
  return fc.array(edit, { minLength: 1, maxLength: max });
}
