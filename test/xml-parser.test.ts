// The tolerant XML scanner: exact offsets, and a usable tree from the half-typed text an editor
// sends on every keystroke.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { childElements, parseXml, type XmlDocument, type XmlElement, type XmlNode } from '../server/src/engine/xml/parser';

/** Offsets of the n-th occurrence of `needle` in `text` (0-based), as a span. */
function spanOf(text: string, needle: string, occurrence = 0): { start: number; end: number } {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) {
    start = text.indexOf(needle, start + 1);
    assert.ok(start >= 0, `"${needle}" occurs ${occurrence + 1} times`);
  }
  return { start, end: start + needle.length };
}

function element(document: XmlDocument, ...names: string[]): XmlElement {
  let current = document.root;
  assert.ok(current, 'a root element');
  assert.equal(current.name, names[0]);
  for (const name of names.slice(1)) {
    const next: XmlElement | undefined = childElements(current).find((child) => child.name === name);
    assert.ok(next, `<${name}> below <${current.name}>`);
    current = next;
  }
  return current;
}

/** Element names as a nested outline, to compare tree shapes at a glance. */
function outline(node: XmlElement): string {
  const children = childElements(node);
  return children.length === 0 ? node.name : `${node.name}(${children.map(outline).join(' ')})`;
}

/** Everything the parser produced, as text (parent links left out: they make cycles). */
function serialize(document: XmlDocument): string {
  return JSON.stringify(document, (key, value: unknown) => (key === 'parent' ? undefined : value));
}

describe('parseXml: offsets', () => {
  const text =
    '<?xml version="1.0" encoding="utf-8"?>\r\n' +
    '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\r\n' +
    '  <Package Name="Fabrikam Ingeniería" Version="1.0.0"\r\n' +
    "           Manufacturer='Fabrikam &amp; Co'>\r\n" +
    '    <Property Id="MSIDISABLELUAPATCHING" Value="1" />\r\n' +
    '  </Package>\r\n' +
    '</Wix>\r\n';
  const document = parseXml(text);

  it('gives element names, attribute names and attribute values at their exact offsets', () => {
    const pkg = element(document, 'Wix', 'Package');
    assert.deepEqual(pkg.nameSpan, spanOf(text, 'Package', 0));
    const property = element(document, 'Wix', 'Package', 'Property');
    assert.deepEqual(property.nameSpan, spanOf(text, 'Property'));
    const [id, value] = property.attributes;
    assert.deepEqual(id.nameSpan, spanOf(text, 'Id'));
    assert.deepEqual(id.valueSpan, spanOf(text, 'MSIDISABLELUAPATCHING'));
    assert.deepEqual(value.nameSpan, spanOf(text, 'Value', 0));
    assert.deepEqual(value.valueSpan, { start: spanOf(text, '"1"').start + 1, end: spanOf(text, '"1"').end - 1 });
    assert.deepEqual(id.span, spanOf(text, 'Id="MSIDISABLELUAPATCHING"'));
  });

  it('counts UTF-16 code units past non-ASCII text, and keeps CRLF in offsets', () => {
    const manufacturer = element(document, 'Wix', 'Package').attributes.find((attribute) => attribute.name === 'Manufacturer');
    assert.ok(manufacturer);
    assert.deepEqual(manufacturer.nameSpan, spanOf(text, 'Manufacturer'));
    assert.deepEqual(manufacturer.valueSpan, spanOf(text, 'Fabrikam &amp; Co'));
    assert.equal(manufacturer.value, 'Fabrikam & Co', 'entities decoded in the value, not in the offsets');
  });

  it('spans an element from its < to the end of its end tag', () => {
    const pkg = element(document, 'Wix', 'Package');
    assert.equal(pkg.span.start, text.indexOf('<Package'));
    assert.equal(pkg.span.end, text.indexOf('</Package>') + '</Package>'.length);
    assert.deepEqual(pkg.endTagSpan, spanOf(text, '</Package>'));
    assert.equal(text.slice(pkg.startTagSpan.start, pkg.startTagSpan.end), text.slice(text.indexOf('<Package'), text.indexOf("Co'>") + 4));
  });

  it('resolves the default namespace and prefixes, and reads no errors from a well-formed file', () => {
    assert.equal(element(document, 'Wix', 'Package', 'Property').namespaceUri, 'http://wixtoolset.org/schemas/v4/wxs');
    const prefixed = parseXml('<w:Wix xmlns:w="http://schemas.microsoft.com/wix/2006/wi"><w:Product/><util:Thing xmlns:util="urn:util"/></w:Wix>');
    const [product, thing] = childElements(prefixed.root!);
    assert.deepEqual([product.localName, product.prefix, product.namespaceUri], ['Product', 'w', 'http://schemas.microsoft.com/wix/2006/wi']);
    assert.deepEqual([thing.localName, thing.namespaceUri], ['Thing', 'urn:util']);
    assert.deepEqual(document.errors, []);
  });

  it('decodes the predefined entities and character references, and leaves other references as written', () => {
    const parsed = parseXml('<Wix><Property Id="P" Value="a&lt;b&gt;&quot;&apos;&#x41;&#66;&custom;" /></Wix>');
    assert.equal(element(parsed, 'Wix', 'Property').attributes[1].value, `a<b>"'AB&custom;`);
  });

  it('keeps processing instructions with their data, including a > inside <?if?>', () => {
    const source = '<Wix>\n  <?if $(var.A) > 2 ?>\n  <Package />\n  <?endif?>\n</Wix>\n';
    const parsed = parseXml(source);
    const [ifNode, , endif] = parsed.root!.children.filter((node) => node.kind !== 'text');
    assert.ok(ifNode.kind === 'pi' && endif.kind === 'pi');
    assert.equal(ifNode.target, 'if');
    assert.equal(ifNode.data, '$(var.A) > 2');
    assert.deepEqual(ifNode.dataSpan, spanOf(source, '$(var.A) > 2'));
    assert.deepEqual(ifNode.span, spanOf(source, '<?if $(var.A) > 2 ?>'));
    assert.equal(outline(parsed.root!), 'Wix(Package)');
    assert.deepEqual(parsed.errors, []);
  });

  it('collects comments with their text and span; CDATA becomes text', () => {
    const source = '<Wix><!-- wix-uac-disable-next-line lua-patching-disabled --><Property Id="X"><![CDATA[1 < 2]]></Property></Wix>';
    const parsed = parseXml(source);
    assert.equal(parsed.comments.length, 1);
    assert.equal(parsed.comments[0].value, ' wix-uac-disable-next-line lua-patching-disabled ');
    assert.deepEqual(parsed.comments[0].span, spanOf(source, '<!-- wix-uac-disable-next-line lua-patching-disabled -->'));
    const property = element(parsed, 'Wix', 'Property');
    assert.deepEqual(property.children.map((child: XmlNode) => (child.kind === 'text' ? child.value : child.kind)), ['1 < 2']);
  });
});

describe('parseXml: half-typed documents', () => {
  it('an attribute value still open at the end of the text', () => {
    const source = '<Wix>\n  <Package>\n    <Property Id="MSIDIS';
    const parsed = parseXml(source);
    const property = element(parsed, 'Wix', 'Package', 'Property');
    assert.equal(property.attributes[0].value, 'MSIDIS');
    assert.deepEqual(property.attributes[0].valueSpan, { start: source.indexOf('MSIDIS'), end: source.length });
    assert.ok(parsed.errors.some((error) => /value of Id is not closed/.test(error.message)));
    assert.ok(parsed.errors.some((error) => /<Package> is not closed/.test(error.message)));
  });

  it('an attribute value open at the end of its line does not swallow the next lines', () => {
    const source = '<Wix>\n  <Package>\n    <Property Id="A\n    <Property Id="B" Value="2" />\n    <PatchCertificates />\n  </Package>\n</Wix>\n';
    const parsed = parseXml(source);
    assert.equal(outline(parsed.root!), 'Wix(Package(Property Property PatchCertificates))', 'the cut-off tag does not adopt its siblings');
    const [first, second] = childElements(element(parsed, 'Wix', 'Package'));
    assert.equal(first.attributes[0].value, 'A');
    assert.deepEqual(second.attributes.map((attribute) => [attribute.name, attribute.value]), [['Id', 'B'], ['Value', '2']]);
    assert.ok(parsed.errors.some((error) => /start tag <Property> is not finished/.test(error.message)));
  });

  it('a start tag missing only its > keeps its children when its end tag follows', () => {
    const source = '<Wix>\n  <Package Name="A"\n    <Property Id="B" />\n  </Package>\n</Wix>\n';
    const parsed = parseXml(source);
    assert.equal(outline(parsed.root!), 'Wix(Package(Property))');
  });

  it('a missing closing quote: the tag ends at the next > and the next element is a sibling', () => {
    const parsed = parseXml('<Wix><Property Id="A Value="1" /><Next/></Wix>');
    assert.equal(outline(parsed.root!), 'Wix(Property Next)');
    assert.ok(parsed.errors.length > 0);
  });

  it('an attribute without a value, and unquoted values', () => {
    const source = '<Wix><Package Compressed Name="x" InstallerVersion=500/></Wix>';
    const parsed = parseXml(source);
    const attributes = element(parsed, 'Wix', 'Package').attributes;
    assert.deepEqual(attributes.map((attribute) => [attribute.name, attribute.value]), [['Compressed', undefined], ['Name', 'x'], ['InstallerVersion', '500']]);
    assert.deepEqual(attributes[2].valueSpan, spanOf(source, '500'));
    assert.ok(parsed.errors.some((error) => /Compressed has no value/.test(error.message)));
    assert.ok(parsed.errors.some((error) => /InstallerVersion must be quoted/.test(error.message)));
  });

  it('an attribute name and = with nothing after them at the end of the text', () => {
    const parsed = parseXml('<Wix><Property Id=');
    assert.equal(element(parsed, 'Wix', 'Property').attributes[0].value, undefined);
    assert.ok(parsed.errors.some((error) => /Id has no value/.test(error.message)));
  });

  it('a stray < in text is an error, and what follows is still read', () => {
    const source = '<Wix> 1 < 2 <Package Name="x" /></Wix>';
    const parsed = parseXml(source);
    assert.equal(outline(parsed.root!), 'Wix(Package)');
    assert.deepEqual(parsed.errors.map((error) => error.span), [spanOf(source, '<', 1)]);
  });

  it('unclosed elements end with the text, each reported', () => {
    const source = '<Wix>\n  <Package>\n    <Feature Id="Main">';
    const parsed = parseXml(source);
    assert.equal(outline(parsed.root!), 'Wix(Package(Feature))');
    assert.deepEqual(
      parsed.errors.map((error) => error.message),
      ['<Feature> is not closed', '<Package> is not closed', '<Wix> is not closed'],
    );
    assert.equal(element(parsed, 'Wix', 'Package').span.end, source.length);
  });

  it('mismatched end tags close what was left open, and an end tag that closes nothing is ignored', () => {
    const source = '<Wix><Package><Feature></Package><Fragment></Component></Fragment></Wix>';
    const parsed = parseXml(source);
    assert.equal(outline(parsed.root!), 'Wix(Package(Feature) Fragment)');
    const feature = element(parsed, 'Wix', 'Package', 'Feature');
    assert.equal(feature.span.end, source.indexOf('</Package>'));
    assert.deepEqual(parsed.errors.map((error) => error.message), ['<Feature> is not closed before </Package>', '</Component> closes nothing: no <Component> is open']);
  });

  it('an unfinished processing instruction ends with its line', () => {
    const source = '<Wix>\n  <?define Flavor = "Retail"\n  <Package />\n</Wix>\n';
    const parsed = parseXml(source);
    const define = parsed.root!.children.find((node) => node.kind === 'pi');
    assert.ok(define?.kind === 'pi');
    assert.equal(define.data, 'Flavor = "Retail"');
    assert.equal(outline(parsed.root!), 'Wix(Package)');
    assert.ok(parsed.errors.some((error) => /<\?define is not finished/.test(error.message)));
  });

  it('stays fast when every start tag or instruction is cut off (recovery never rescans the rest of the text)', { timeout: 5000 }, () => {
    const tags = parseXml(`<Wix>\n${'  <Property Id="P"\n'.repeat(30000)}</Wix>\n`);
    assert.equal(childElements(tags.root!).length, 30000);
    const instructions = parseXml(`<Wix>\n${'  <?define Flavor = "Retail"\n'.repeat(30000)}  <Package />\n</Wix>\n`);
    assert.equal(instructions.errors.length, 30000);
    assert.equal(outline(instructions.root!), 'Wix(Package)');
  });

  it('an empty text and a text without elements', () => {
    assert.equal(parseXml('').root, undefined);
    const prolog = parseXml('<?xml version="1.0"?>\n<!-- nothing yet -->\n');
    assert.equal(prolog.root, undefined);
    assert.equal(prolog.comments.length, 1);
  });
});

describe('parseXml: DOCTYPE', () => {
  it('never reads an external entity', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-xxe-'));
    try {
      const marker = 'MARKER-7f3e2b91-entity-was-read';
      const secret = path.join(folder, 'secret.txt');
      fs.writeFileSync(secret, marker);
      const url = pathToFileURL(secret).href;
      const source =
        `<?xml version="1.0"?>\n<!DOCTYPE Wix [\n  <!ENTITY ext SYSTEM "${url}">\n  <!ENTITY % param SYSTEM "${url}">\n  %param;\n]>\n` +
        '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Package Name="&ext;">&ext;</Package>\n</Wix>\n';
      const parsed = parseXml(source);
      const pkg = element(parsed, 'Wix', 'Package');
      assert.equal(pkg.attributes[0].value, '&ext;');
      assert.ok(!serialize(parsed).includes(marker), 'the file behind the entity appears nowhere in the result');
      assert.equal(pkg.namespaceUri, 'http://wixtoolset.org/schemas/v4/wxs');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('never expands entity definitions (billion laughs)', () => {
    const definitions = ['  <!ENTITY lol0 "lol">'];
    for (let level = 1; level <= 9; level++) definitions.push(`  <!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`);
    const source = `<?xml version="1.0"?>\n<!DOCTYPE Wix [\n${definitions.join('\n')}\n]>\n<Wix><Property Id="P" Value="&lol9;">&lol9;</Property></Wix>\n`;
    const parsed = parseXml(source);
    const property = element(parsed, 'Wix', 'Property');
    assert.equal(property.attributes[1].value, '&lol9;');
    assert.ok(serialize(parsed).length < source.length * 20, 'the result stays the size of the text');
    assert.equal(outline(parsed.root!), 'Wix(Property)');
  });
});
