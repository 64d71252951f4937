// Decoding WiX sources as Windows tools save them, and mapping offsets to editor positions.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeXmlBytes, LineIndex } from '../server/src/engine/text';

const SOURCE = '<?xml version="1.0"?>\r\n<Wix>\r\n  <Property Id="Ingeniería" Value="€ 1" />\r\n</Wix>\r\n';

function utf16be(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
  return bytes;
}

describe('decodeXmlBytes', () => {
  it('UTF-8 without BOM', () => {
    assert.deepEqual(decodeXmlBytes(Buffer.from(SOURCE, 'utf8')), { text: SOURCE, encoding: 'utf-8' });
  });

  it('UTF-8 with BOM: the BOM is not part of the text (offsets start at the first <)', () => {
    const decoded = decodeXmlBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SOURCE, 'utf8')]));
    assert.deepEqual(decoded, { text: SOURCE, encoding: 'utf-8-bom' });
  });

  it('UTF-16 LE and BE with BOM', () => {
    assert.deepEqual(decodeXmlBytes(Buffer.from(`\uFEFF${SOURCE}`, 'utf16le')), { text: SOURCE, encoding: 'utf-16le' });
    assert.deepEqual(decodeXmlBytes(utf16be(`\uFEFF${SOURCE}`)), { text: SOURCE, encoding: 'utf-16be' });
  });

  it('UTF-16 LE and BE without BOM, with or without an XML declaration', () => {
    assert.deepEqual(decodeXmlBytes(Buffer.from(SOURCE, 'utf16le')), { text: SOURCE, encoding: 'utf-16le' });
    assert.deepEqual(decodeXmlBytes(utf16be(SOURCE)), { text: SOURCE, encoding: 'utf-16be' });
    const noDeclaration = '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs" />\n';
    assert.equal(decodeXmlBytes(Buffer.from(noDeclaration, 'utf16le')).text, noDeclaration);
    assert.equal(decodeXmlBytes(utf16be(noDeclaration)).text, noDeclaration);
  });

  it('the encoding of the XML declaration: windows-1252', () => {
    // é is E9, € is 80 and the curly quotes are 93/94 in Windows-1252; none is valid UTF-8 on its own.
    const bytes = Buffer.from('<?xml version="1.0" encoding="windows-1252"?>\n<Wix><Property Id="P" Value="\x93caf\xe9\x94 \x80" /></Wix>\n', 'latin1');
    const decoded = decodeXmlBytes(bytes);
    assert.equal(decoded.encoding, 'windows-1252');
    assert.match(decoded.text, /Value="“café” €"/);
    assert.equal(decoded.warning, undefined);
  });

  it('a declared UTF-16 on 8-bit bytes (a converted file) is read as UTF-8', () => {
    const text = '<?xml version="1.0" encoding="utf-16"?>\n<Wix><Property Id="P" Value="Ingeniería" /></Wix>\n';
    assert.deepEqual(decodeXmlBytes(Buffer.from(text, 'utf8')), { text, encoding: 'utf-8' });
  });

  it('an unknown declared encoding falls back to UTF-8', () => {
    const text = '<?xml version="1.0" encoding="x-no-such-charset"?>\n<Wix />\n';
    assert.deepEqual(decodeXmlBytes(Buffer.from(text, 'utf8')), { text, encoding: 'utf-8' });
  });

  it('invalid UTF-8 gives a warning and replacement characters, not a failure', () => {
    const bytes = Buffer.concat([Buffer.from('<Wix><Property Id="P" Value="caf'), Buffer.from([0xe9]), Buffer.from('" /></Wix>')]);
    const decoded = decodeXmlBytes(bytes);
    assert.match(decoded.warning ?? '', /not valid UTF-8/);
    assert.match(decoded.text, /Value="caf\uFFFD"/);
  });

  it('a U+FFFD written on purpose is not a warning; one beside an invalid byte still is', () => {
    assert.equal(decodeXmlBytes(Buffer.from('<Wix><!-- \uFFFD --></Wix>', 'utf8')).warning, undefined);
    const mixed = Buffer.concat([Buffer.from('<Wix><!-- \uFFFD --><Property Value="', 'utf8'), Buffer.from([0xff]), Buffer.from('" /></Wix>')]);
    assert.match(decodeXmlBytes(mixed).warning ?? '', /not valid UTF-8/);
  });

  it('an empty file', () => {
    assert.deepEqual(decodeXmlBytes(new Uint8Array()), { text: '', encoding: 'utf-8' });
  });
});

describe('LineIndex', () => {
  for (const [name, eol] of [['CRLF', '\r\n'], ['LF', '\n'], ['CR', '\r']] as const) {
    describe(`with ${name} line ends`, () => {
      const lines = ['<Wix>', '\t<Package Name="Ingeniería">', '', '    <Property Id="P" />', '</Wix>'];
      const text = lines.join(eol);
      const index = new LineIndex(text);

      it('maps offsets to line and character and back', () => {
        assert.equal(index.lineCount, lines.length);
        const property = text.indexOf('Property');
        assert.deepEqual(index.positionAt(property), { line: 3, character: 5 });
        assert.equal(index.offsetAt({ line: 3, character: 5 }), property);
        assert.deepEqual(index.positionAt(text.indexOf('</Wix>')), { line: 4, character: 0 });
        assert.deepEqual(index.positionAt(text.length), { line: 4, character: 6 });
        for (let offset = 0; offset <= text.length; offset++) {
          const position = index.positionAt(offset);
          const isInsideCrlf = text[offset - 1] === '\r' && text[offset] === '\n';
          if (!isInsideCrlf) assert.equal(index.offsetAt(position), offset, `offset ${offset}`);
        }
      });

      it('gives line bounds without and with the line break', () => {
        assert.equal(text.slice(index.lineStart(1), index.lineEnd(1)), lines[1]);
        assert.equal(index.lineStart(2), index.lineEnd(2), 'an empty line');
        assert.equal(text.slice(index.lineStart(1), index.lineEndWithBreak(1)), lines[1] + eol);
        assert.equal(index.lineEndWithBreak(4), text.length);
        assert.equal(index.indentOf(1), '\t');
        assert.equal(index.indentOf(3), '    ');
      });

      it('clamps positions past a line end or outside the text', () => {
        assert.equal(index.offsetAt({ line: 0, character: 99 }), index.lineEnd(0));
        assert.equal(index.offsetAt({ line: 99, character: 0 }), text.length);
        assert.equal(index.offsetAt({ line: -1, character: 3 }), 0);
        assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
        assert.deepEqual(index.positionAt(text.length + 5), index.positionAt(text.length));
      });

      it(`inserts new lines with ${name === 'CRLF' ? 'CRLF' : 'LF'}`, () => {
        assert.equal(index.eol, eol === '\r\n' ? '\r\n' : '\n');
      });
    });
  }

  it('mixed line ends: every kind starts a line, CRLF counts once', () => {
    const index = new LineIndex('a\r\nb\nc\rd');
    assert.equal(index.lineCount, 4);
    assert.deepEqual([0, 1, 2, 3].map((line) => index.lineStart(line)), [0, 3, 5, 7]);
  });

  it('counts characters in UTF-16 code units, as LSP does', () => {
    const text = '<Property Value="😀" Id="P" />';
    const index = new LineIndex(text);
    assert.deepEqual(index.positionAt(text.indexOf('Id=')), { line: 0, character: 21 });
  });
});
