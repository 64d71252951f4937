// The WiX preprocessor as analysis needs it: variables, includes, and <?if?> blocks evaluated
// with three values (true, false, unknown).

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MemoryFileSystem } from '../server/src/engine/fs';
import { preprocess, type PreprocessedFile, type WixElement } from '../server/src/engine/wix/preprocessor';
import { SourceCache } from '../server/src/engine/wix/source';

const ROOT = path.resolve('/repo');
const at = (relative: string) => path.join(ROOT, ...relative.split('/'));

interface Options {
  entry?: string;
  defines?: Record<string, string>;
  includeSearchPaths?: string[];
}

function run(files: Record<string, string>, options: Options = {}): PreprocessedFile {
  const fs = new MemoryFileSystem();
  for (const [relative, text] of Object.entries(files)) fs.write(at(relative), text);
  const sources = new SourceCache(fs);
  const source = sources.get(at(options.entry ?? 'Product.wxs'));
  assert.ok(source, 'the entry file');
  return preprocess(source, {
    fs,
    sources,
    defines: new Map(Object.entries(options.defines ?? {})),
    includeSearchPaths: (options.includeSearchPaths ?? []).map(at),
  });
}

function elements(result: PreprocessedFile): WixElement[] {
  assert.ok(result.root, 'a root element');
  return [...result.root.descendants()];
}

/** Elements as "Name Attr=value", for the attributes given, in document order. */
function describeAll(result: PreprocessedFile, attribute = 'Id'): string[] {
  return elements(result).map((element) => (element.value(attribute) === undefined ? element.name : `${element.name} ${attribute}=${element.value(attribute)}`));
}

function only(result: PreprocessedFile, name: string): WixElement {
  const found = elements(result).filter((element) => element.name === name);
  assert.equal(found.length, 1, `exactly one <${name}>, got ${found.length}`);
  return found[0];
}

const wix = (inner: string) => `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n${inner}\n</Wix>\n`;

describe('preprocess: variables', () => {
  it('<?define?> with quoted, unquoted and empty values; $(var.X) and the $(X) shorthand', () => {
    const result = run({
      'Product.wxs': wix(
        '<?define Manufacturer = "Contoso Ltd" ?>\n<?define Version=2.1.0 ?>\n<?define Signed ?>\n' +
          '<Package Name="$(var.Manufacturer) Tools" Version="$(Version)" Manufacturer="[$(var.Signed)]" />',
      ),
    });
    const pkg = only(result, 'Package');
    assert.equal(pkg.value('Name'), 'Contoso Ltd Tools');
    assert.equal(pkg.value('Version'), '2.1.0');
    assert.equal(pkg.value('Manufacturer'), '[]');
    assert.deepEqual(pkg.resolved('Name')?.unresolved, []);
  });

  it('a value can use earlier variables; <?undef?> removes one', () => {
    const result = run({
      'Product.wxs': wix('<?define Major = 3 ?>\n<?define Full = "$(var.Major).1" ?>\n<Property Id="A" Value="$(var.Full)" />\n<?undef Major ?>\n<Property Id="B" Value="$(var.Major)" />'),
    });
    const [a, b] = elements(result);
    assert.equal(a.value('Value'), '3.1');
    assert.deepEqual(b.resolved('Value'), { value: '$(var.Major)', unresolved: ['$(var.Major)'] });
  });

  it('$$ is a literal dollar; unknown references stay as written and are listed', () => {
    const result = run({ 'Product.wxs': wix('<Property Id="P" Value="$$(var.NotAVariable) costs $$5, $(env.HOME) and $(var.Missing)" />') });
    assert.deepEqual(only(result, 'Property').resolved('Value'), {
      value: '$(var.NotAVariable) costs $5, $(env.HOME) and $(var.Missing)',
      unresolved: ['$(env.HOME)', '$(var.Missing)'],
    });
  });

  it('defines given by the project, overridden by the source', () => {
    const result = run({ 'Product.wxs': wix('<Property Id="A" Value="$(var.Flavor)" />\n<?define Flavor = "Retail" ?>\n<Property Id="B" Value="$(var.Flavor)" />') }, { defines: { Flavor: 'Beta' } });
    assert.deepEqual(elements(result).map((element) => element.value('Value')), ['Beta', 'Retail']);
  });

  it('$(sys.SOURCEFILEDIR) is the folder of the file being read, an include’s own in an include', () => {
    const result = run({
      'src/Product.wxs': wix('<Property Id="Main" Value="$(sys.SOURCEFILEDIR)" />\n<?include ..\\shared\\Common.wxi ?>'),
      'shared/Common.wxi': '<Include>\n  <Property Id="Included" Value="$(sys.SOURCEFILEDIR)x.cer" />\n</Include>\n',
    }, { entry: 'src/Product.wxs' });
    const [main, included] = elements(result);
    assert.equal(main.value('Value'), at('src') + path.sep);
    assert.equal(included.value('Value'), at('shared') + path.sep + 'x.cer');
  });

  it('inner text is substituted and trimmed', () => {
    const result = run({ 'Product.wxs': wix('<?define Off = 1 ?>\n<Property Id="MSIDISABLELUAPATCHING">\n  $(var.Off)\n</Property>') });
    assert.equal(only(result, 'Property').text.value, '1');
  });

  it('<?define?> before the <Wix> root applies to the whole file', () => {
    const result = run({ 'Product.wxs': `<?xml version="1.0" encoding="utf-8"?>\n<?define CertDir = "Signing" ?>\n<?include Config.wxi ?>\n${wix('<Property Id="P" Value="$(var.CertDir)\\$(var.CertName)" />')}`, 'Config.wxi': '<Include>\n  <?define CertName = "contoso.cer" ?>\n</Include>\n' });
    assert.equal(only(result, 'Property').value('Value'), 'Signing\\contoso.cer');
  });
});

describe('preprocess: includes', () => {
  it('nested includes are read relative to the including file, with backslashes and any letter case', () => {
    const result = run({
      'Product.wxs': wix('<Package>\n  <?include Include\\Settings.wxi ?>\n  <Property Id="Last" />\n</Package>'),
      'include/settings.wxi': '<Include>\n  <Property Id="FromSettings" />\n  <?include Nested\\Deep.wxi ?>\n</Include>\n',
      'include/nested/deep.wxi': '<Include>\n  <Property Id="FromDeep" Value="$(sys.SOURCEFILEDIR)" />\n</Include>\n',
    });
    assert.deepEqual(describeAll(result), ['Package', 'Property Id=FromSettings', 'Property Id=FromDeep', 'Property Id=Last']);
    assert.deepEqual(result.includes, [at('include/settings.wxi'), at('include/nested/deep.wxi')]);
    const deep = elements(result)[2];
    assert.equal(deep.source.path, at('include/nested/deep.wxi'), 'an included element knows its own file');
    assert.equal(deep.parent?.name, 'Package', 'and sits where the instruction was');
  });

  it('an include search path from the project', () => {
    const result = run({ 'Product.wxs': wix('<?include Branding.wxi ?>'), 'build/include/Branding.wxi': '<Include><Property Id="Brand" /></Include>' }, { includeSearchPaths: ['build/include'] });
    assert.deepEqual(describeAll(result), ['Property Id=Brand']);
  });

  it('an include cycle is a notice, not a hang', () => {
    const result = run({
      'Product.wxs': wix('<?include A.wxi ?>'),
      'A.wxi': '<Include>\n  <Property Id="A" />\n  <?include B.wxi ?>\n</Include>\n',
      'B.wxi': '<Include>\n  <Property Id="B" />\n  <?include A.wxi ?>\n</Include>\n',
    });
    assert.deepEqual(describeAll(result), ['Property Id=A', 'Property Id=B']);
    assert.deepEqual(result.notices.map((notice) => [path.basename(notice.source.path), notice.message]), [['B.wxi', 'A.wxi includes itself (directly or through other includes); not followed']]);
  });

  it('a file that includes itself', () => {
    const result = run({ 'Product.wxs': wix('<Property Id="Once" />\n<?include Product.wxs ?>') });
    assert.deepEqual(describeAll(result), ['Property Id=Once']);
    assert.equal(result.notices.length, 1);
  });

  it('a chain of 40 includes is followed 32 levels deep, then a notice says how deep, not that it is a cycle', () => {
    const files: Record<string, string> = { 'Product.wxs': wix('<?include i1.wxi ?>') };
    for (let level = 1; level <= 40; level++) files[`i${level}.wxi`] = `<Include>\n  <Property Id="P${level}" />\n  <?include i${level + 1}.wxi ?>\n</Include>\n`;
    const result = run(files);
    assert.deepEqual(describeAll(result), Array.from({ length: 32 }, (_, index) => `Property Id=P${index + 1}`));
    assert.deepEqual(result.notices.map((notice) => [path.basename(notice.source.path), notice.message]), [['i32.wxi', 'i33.wxi is not followed: wix-uac follows includes up to 32 levels deep']]);
  });

  it('a missing include is a notice pointing at its path', () => {
    const source = wix('<?include Missing.wxi ?>\n<Property Id="After" />');
    const result = run({ 'Product.wxs': source });
    assert.deepEqual(describeAll(result), ['Property Id=After']);
    assert.equal(result.notices.length, 1);
    assert.equal(result.notices[0].message, 'Include file not found: Missing.wxi');
    assert.deepEqual(result.notices[0].span, { start: source.indexOf('Missing.wxi'), end: source.indexOf('Missing.wxi') + 'Missing.wxi'.length });
  });

  it('an include path with an unknown variable is a notice, not a guess', () => {
    const result = run({ 'Product.wxs': wix('<?include $(var.BuildRoot)\\Common.wxi ?>'), 'Common.wxi': '<Include><Property Id="X" /></Include>' });
    assert.deepEqual(describeAll(result), []);
    assert.match(result.notices[0].message, /Cannot resolve \$\(var\.BuildRoot\) in the include path/);
  });
});

describe('preprocess: conditional blocks', () => {
  /** Which of <Yes/> and <No/> survive `<?if condition?><Yes/><?else?><No/><?endif?>`, with their conditions. */
  function branches(condition: string, defines: Record<string, string> = {}): string[] {
    const result = run({ 'Product.wxs': wix(`<?if ${condition} ?>\n<Yes />\n<?else?>\n<No />\n<?endif?>`) }, { defines });
    assert.deepEqual(result.notices, []);
    return elements(result).map((element) => (element.condition ? `${element.name} when ${element.condition}` : element.name));
  }

  it('decides comparisons of known values: =, !=, ~=, numbers', () => {
    assert.deepEqual(branches('$(var.Flavor) = "Retail"', { Flavor: 'Retail' }), ['Yes']);
    assert.deepEqual(branches('$(var.Flavor) = "retail"', { Flavor: 'Retail' }), ['No']);
    assert.deepEqual(branches('$(var.Flavor) ~= "retail"', { Flavor: 'Retail' }), ['Yes']);
    assert.deepEqual(branches('$(var.Flavor) != Retail', { Flavor: 'Beta' }), ['Yes']);
    assert.deepEqual(branches('$(var.Major) < 10', { Major: '9' }), ['Yes'], 'numbers compare as numbers, not text');
    assert.deepEqual(branches('$(var.Major) >= 10', { Major: '9' }), ['No']);
    assert.deepEqual(branches('$(Flavor) = Retail', { Flavor: 'Retail' }), ['Yes'], 'the $(X) shorthand');
  });

  it('and, or, not and parentheses follow three-valued logic', () => {
    const known = { Flavor: 'Retail' };
    assert.deepEqual(branches('$(var.Unknown) = "x" or $(var.Flavor) = "Retail"', known), ['Yes'], 'unknown or true');
    assert.deepEqual(branches('$(var.Unknown) = "x" and $(var.Flavor) = "Beta"', known), ['No'], 'unknown and false');
    assert.deepEqual(branches('not ($(var.Flavor) = "Beta" or $(var.Flavor) = "Debug")', known), ['Yes']);
    assert.deepEqual(branches('($(var.Flavor) = "Retail" or $(var.Unknown) = 1) and not $(var.Flavor) = "Beta"', known), ['Yes']);
    assert.deepEqual(branches('$(var.Unknown) = "x" and $(var.Flavor) = "Retail"', known), [
      'Yes when <?if $(var.Unknown) = "x" and $(var.Flavor) = "Retail"?>',
      'No when <?else?> of <?if $(var.Unknown) = "x" and $(var.Flavor) = "Retail"?>',
    ]);
    assert.deepEqual(branches('not $(env.SKU) = "Enterprise"'), ['Yes when <?if not $(env.SKU) = "Enterprise"?>', 'No when <?else?> of <?if not $(env.SKU) = "Enterprise"?>']);
  });

  it('<?elseif?> chains: the first true branch wins; after an undecided one the rest stay undecided', () => {
    const chain = (defines: Record<string, string>) =>
      describeAll(run({ 'Product.wxs': wix('<?if $(var.Sku) = "A" ?>\n<P Id="A" />\n<?elseif $(var.Sku) = "B" ?>\n<P Id="B" />\n<?else?>\n<P Id="Other" />\n<?endif?>') }, { defines }));
    assert.deepEqual(chain({ Sku: 'A' }), ['P Id=A']);
    assert.deepEqual(chain({ Sku: 'B' }), ['P Id=B']);
    assert.deepEqual(chain({ Sku: 'C' }), ['P Id=Other']);
    assert.deepEqual(chain({}), ['P Id=A', 'P Id=B', 'P Id=Other']);
    const undecided = run({ 'Product.wxs': wix('<?if $(var.Sku) = "A" ?>\n<P Id="A" />\n<?elseif $(var.Sku) = "B" ?>\n<P Id="B" />\n<?endif?>') });
    assert.deepEqual(elements(undecided).map((element) => element.condition), ['<?if $(var.Sku) = "A"?>', '<?elseif $(var.Sku) = "B"?>']);
  });

  it('<?ifdef?> is true for a name defined in the sources or the project, unknown otherwise; <?ifndef?> the opposite', () => {
    const source = wix('<?ifdef Debug ?>\n<P Id="Debug" />\n<?endif?>\n<?ifndef Debug ?>\n<P Id="NotDebug" />\n<?endif?>');
    assert.deepEqual(describeAll(run({ 'Product.wxs': source }, { defines: { Debug: '' } })), ['P Id=Debug']);
    const unknown = run({ 'Product.wxs': source });
    assert.deepEqual(elements(unknown).map((element) => `${element.value('Id')} when ${element.condition}`), ['Debug when <?ifdef Debug?>', 'NotDebug when <?ifndef Debug?>']);
    const undefinedHere = run({ 'Product.wxs': wix('<?undef Debug ?>\n<?ifdef Debug ?>\n<P Id="Debug" />\n<?endif?>\n<?ifndef var.Debug ?>\n<P Id="NotDebug" />\n<?endif?>') }, { defines: { Debug: '' } });
    assert.deepEqual(describeAll(undefinedHere), ['P Id=NotDebug'], 'after <?undef?> the name is known to be undefined');
    assert.deepEqual(describeAll(run({ 'Product.wxs': wix('<?define Signed = "yes" ?>\n<?ifdef var.Signed ?>\n<P Id="Signed" />\n<?endif?>') })), ['P Id=Signed'], 'the var. prefix');
  });

  it('nested undecided blocks carry both conditions; decided blocks add nothing', () => {
    const result = run({ 'Product.wxs': wix('<?define Flavor = "Retail" ?>\n<?ifdef Debug ?>\n<?if $(var.Flavor) = "Retail" ?>\n<?if $(var.Arch) = "x64" ?>\n<P Id="Deep" />\n<?endif?>\n<?endif?>\n<?endif?>') });
    assert.equal(only(result, 'P').condition, '<?ifdef Debug?> and <?if $(var.Arch) = "x64"?>');
  });

  it('a condition on an element holds for its children; <?define?> in an undecided block still applies', () => {
    const result = run({ 'Product.wxs': wix('<?ifndef CertName ?>\n<?define CertName = "default.cer" ?>\n<?endif?>\n<?ifdef Signed ?>\n<PatchCertificates>\n  <DigitalCertificate Id="C" SourceFile="$(var.CertName)" />\n</PatchCertificates>\n<?endif?>') });
    const certificate = only(result, 'DigitalCertificate');
    assert.equal(certificate.condition, '<?ifdef Signed?>');
    assert.equal(certificate.value('SourceFile'), 'default.cer');
  });

  it('blocks in an include apply to the include’s elements', () => {
    const result = run({ 'Product.wxs': wix('<?define Sku = "Lite" ?>\n<?include Features.wxi ?>'), 'Features.wxi': '<Include>\n<?if $(var.Sku) = "Full" ?>\n  <P Id="Full" />\n<?else?>\n  <P Id="Lite" />\n<?endif?>\n</Include>\n' });
    assert.deepEqual(describeAll(result), ['P Id=Lite']);
  });

  it('an unreadable condition is undecided rather than an error', () => {
    assert.deepEqual(branches('$(var.A) = '), ['Yes when <?if $(var.A) =?>', 'No when <?else?> of <?if $(var.A) =?>']);
    assert.deepEqual(branches('("a" = "a"', {}), ['Yes when <?if ("a" = "a"?>', 'No when <?else?> of <?if ("a" = "a"?>']);
  });

  it('an <?if?> without <?endif?>, and an <?endif?> without <?if?>, are notices', () => {
    const unclosed = run({ 'Product.wxs': wix('<?if $(var.A) = 1 ?>\n<P Id="A" />') });
    assert.match(unclosed.notices[0].message, /1 <\?if\?> block\(s\) are not closed/);
    const stray = run({ 'Product.wxs': wix('<P Id="A" />\n<?endif?>') });
    assert.deepEqual(stray.notices.map((notice) => notice.message), ['<?endif?> without a matching opening instruction']);
    assert.deepEqual(describeAll(stray), ['P Id=A']);
  });
});
