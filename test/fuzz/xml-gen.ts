// XML documents as trees of a given vocabulary, rendered with the variations real files have
// (quote style, self-closing tags, prefixes, indentation, prolog, DOCTYPE with entities), then
// encoded the ways a file on disk can be (UTF-8 with or without BOM, UTF-16 either way, a declared
// 8-bit encoding). Shared by the WiX, SDP and engine targets.

import * as fc from 'fast-check';
import { applyByteEdits, byteEdit, type ByteEdit } from './mutate';

export type XmlNodeSpec =
  | { kind: 'element'; name: string; attributes: Array<[string, string]>; children: XmlNodeSpec[]; selfClosing: boolean; quote: '"' | "'" }
  | { kind: 'pi'; target: string; data: string }
  | { kind: 'comment'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'cdata'; text: string };

export interface Vocabulary {
  elements: fc.Arbitrary<string>;
  attribute: fc.Arbitrary<[string, string]>;
  instruction: fc.Arbitrary<{ target: string; data: string }>;
  text: fc.Arbitrary<string>;
  comment: fc.Arbitrary<string>;
}

/** A forest of nodes, at most `maxDepth` deep. */
export function xmlNodes(vocabulary: Vocabulary, maxDepth = 5): fc.Arbitrary<XmlNodeSpec[]> {
  const { node } = fc.letrec<{ node: XmlNodeSpec; element: XmlNodeSpec }>((tie) => ({
    node: fc.oneof(
      // At the depth limit fast-check takes the first option: a leaf.
      { maxDepth, depthIdentifier: 'xml' },
      { weight: 3, arbitrary: vocabulary.instruction.map(({ target, data }): XmlNodeSpec => ({ kind: 'pi', target, data })) },
      { weight: 6, arbitrary: tie('element') },
      { weight: 1, arbitrary: vocabulary.comment.map((text): XmlNodeSpec => ({ kind: 'comment', text })) },
      { weight: 1, arbitrary: vocabulary.text.map((text): XmlNodeSpec => ({ kind: 'text', text })) },
      { weight: 1, arbitrary: vocabulary.text.map((text): XmlNodeSpec => ({ kind: 'cdata', text })) },
    ),
    element: fc.record({
      kind: fc.constant('element' as const),
      name: vocabulary.elements,
      attributes: fc.array(vocabulary.attribute, { maxLength: 5 }),
      children: fc.array(tie('node'), { maxLength: 6, depthIdentifier: 'xml' }),
      selfClosing: fc.boolean(),
      quote: fc.constantFrom('"' as const, "'" as const),
    }),
  }));
  return fc.array(node, { maxLength: 8 });
}

export interface RenderOptions {
  /** Prefix for element names (`wix:`), empty for none. */
  prefix: string;
  indent: string;
  newline: string;
}

export function renderNodes(nodes: XmlNodeSpec[], options: RenderOptions, depth = 0): string {
  let out = '';
  const pad = options.indent.repeat(depth);
  for (const node of nodes) {
    switch (node.kind) {
      case 'element': {
        const attributes = node.attributes.map(([name, value]) => ` ${name}=${node.quote}${escapeAttribute(value, node.quote)}${node.quote}`).join('');
        const name = options.prefix + node.name;
        if (node.children.length === 0 && node.selfClosing) out += `${pad}<${name}${attributes} />${options.newline}`;
        else out += `${pad}<${name}${attributes}>${options.newline}${renderNodes(node.children, options, depth + 1)}${pad}</${name}>${options.newline}`;
        break;
      }
      case 'pi':
        out += `${pad}<?${node.target}${node.data ? ' ' + node.data : ''}?>${options.newline}`;
        break;
      case 'comment':
        out += `${pad}<!--${node.text.replace(/--/g, '- -')}-->${options.newline}`;
        break;
      case 'text':
        out += pad + node.text.replace(/&(?![#a-zA-Z])/g, '&amp;').replace(/</g, '&lt;') + options.newline;
        break;
      case 'cdata':
        out += `${pad}<![CDATA[${node.text.replace(/]]>/g, ']] >')}]]>${options.newline}`;
        break;
    }
  }
  return out;
}

/** Values are written as authors write them: entities stay entities, the quote is escaped. */
function escapeAttribute(value: string, quote: string): string {
  return value.replace(/</g, '&lt;').replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '&quot;' : '&apos;');
}

export const renderOptions: fc.Arbitrary<Omit<RenderOptions, 'prefix'>> = fc.record({
  indent: fc.constantFrom('  ', '\t', '', '    '),
  newline: fc.constantFrom('\n', '\r\n', '', '\r'),
});

/** Prologs: none, a declaration, a DOCTYPE that declares entities (expansion bombs, external files). */
export const prolog: fc.Arbitrary<string> = fc.constantFrom(
  '',
  '<?xml version="1.0" encoding="utf-8"?>\n',
  '<?xml version="1.0"?>\n',
  '<?xml version="1.0" encoding="windows-1252"?>\n',
  '<!DOCTYPE Wix [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n',
  '<!DOCTYPE Wix [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
  '<!DOCTYPE Wix SYSTEM "http://127.0.0.1:1/wix.dtd">\n',
  '<!DOCTYPE Wix [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>\n',
  '<!DOCTYPE Wix [ <!ELEMENT Wix ANY> <!ATTLIST Wix x CDATA "]>"> ]>\n',
  '\uFEFF<?xml version="1.0" encoding="utf-8"?>\n',
  '<?xml version="1.0" encoding="utf-16"?>\n',
);

// ---- Encodings -------------------------------------------------------------------------------

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16le-bom' | 'utf-16be' | 'utf-16be-bom' | 'latin1-declared';

export interface EncodedText {
  encoding: Encoding;
  /** For 'latin1-declared': the label written into the XML declaration. */
  label: string;
  /** Damage after encoding: invalid sequences, cut code units. */
  edits: ByteEdit[];
}

export const encoding: fc.Arbitrary<EncodedText> = fc.record({
  encoding: fc.oneof(
    { weight: 8, arbitrary: fc.constant('utf-8' as Encoding) },
    { weight: 1, arbitrary: fc.constantFrom<Encoding>('utf-8-bom', 'utf-16le', 'utf-16le-bom', 'utf-16be', 'utf-16be-bom', 'latin1-declared') },
  ),
  label: fc.constantFrom('windows-1252', 'iso-8859-1', 'shift_jis', 'utf-8', 'UTF-16', 'x-unknown-charset', 'ebcdic-cp-us', 'koi8-r', 'gb18030'),
  edits: fc.oneof({ weight: 4, arbitrary: fc.constant<ByteEdit[]>([]) }, { weight: 1, arbitrary: fc.array(byteEdit, { minLength: 1, maxLength: 3 }) }),
});

export function encodeText(text: string, how: EncodedText): Uint8Array {
  let bytes: Uint8Array;
  switch (how.encoding) {
    case 'utf-8':
      bytes = Buffer.from(text, 'utf8');
      break;
    case 'utf-8-bom':
      bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
      break;
    case 'utf-16le':
    case 'utf-16le-bom':
    case 'utf-16be':
    case 'utf-16be-bom': {
      const le = Buffer.from(how.encoding.endsWith('bom') ? '\uFEFF' + text : text, 'utf16le');
      if (how.encoding.startsWith('utf-16be')) le.swap16();
      bytes = le;
      break;
    }
    case 'latin1-declared': {
      const declaration = `<?xml version="1.0" encoding="${how.label}"?>`;
      const body = text.replace(/^\uFEFF?<\?xml[^>]*\?>/, '');
      bytes = Buffer.from(declaration + body, 'latin1');
      break;
    }
  }
  return how.edits.length > 0 ? applyByteEdits(bytes, how.edits) : bytes;
}

/** Strings that parsers of attribute values, names and text trip on. */
export const AWKWARD_STRINGS = [
  '', ' ', '\t', '&amp;', '&#x0;', '&#xD800;', '&#1114112;', '&#x10FFFF;', '&unknown;', '&', '&#;', '&#x;', '"', "'", '>', ']]>',
  '\u0000', '\u0001', '\uFEFF', '\uD800', '\uDFFF', '\u{1F600}', '\u202E', 'é', '日本語', 'a'.repeat(300), '$(', '$()', '$$', '$$(var.A)',
  '$(var.)', '$(var.A', '$(var.A)$(var.A)', '$(sys.SOURCEFILEDIR)', '$(sys.CURRENTDIR)', '$(sys.PLATFORM)', '$(env.PATH)', '$(foo.bar)',
  '!(loc.Name)', '[ProductName]', '[#File]', '%PATH%', '..', '../../../../etc/passwd', '/etc/passwd', 'C:\\Windows\\win.ini',
  '\\\\server\\share\\x.cer', 'file:///etc/passwd', 'NUL', 'CON', '*', '?', '{', '}', '{}', '0', '-1', '4294967296', '1e308', 'NaN',
];
