// The injection grammars package.json contributes, tokenized the way VS Code does it: vscode-textmate
// with Oniguruma, over VS Code's own XML grammar (from tm-grammars), injected into text.xml.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';

const repoRoot = path.join(__dirname, '..', '..');

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

const contributed = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { grammars: GrammarContribution[] } }).contributes.grammars;

async function loadXmlGrammar(): Promise<IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files = new Map<string, string>([['text.xml', require.resolve('tm-grammars/grammars/xml.json')]]);
  for (const grammar of contributed) files.set(grammar.scopeName, path.join(repoRoot, grammar.path));
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: oniguruma.createOnigScanner, createOnigString: oniguruma.createOnigString }),
    loadGrammar: async (scopeName) => {
      const file = files.get(scopeName);
      return file ? parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => contributed.filter((grammar) => grammar.injectTo?.includes(scopeName)).map((grammar) => grammar.scopeName),
  });
  const grammar = await registry.loadGrammar('text.xml');
  assert.ok(grammar, 'the XML grammar did not load');
  return grammar;
}

/** Scopes of every token of a document, with the text it covers. */
function tokenize(grammar: IGrammar, text: string): Array<{ text: string; scopes: string[] }> {
  let state = INITIAL;
  const tokens: Array<{ text: string; scopes: string[] }> = [];
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) tokens.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    state = result.ruleStack;
  }
  return tokens;
}

describe('WiX injection grammars', () => {
  let grammar: IGrammar;
  before(async () => {
    grammar = await loadXmlGrammar();
  });

  /** The scopes shared by all tokens that make up `needle` (its first occurrence after `after`). */
  function scopesOf(text: string, needle: string, after = ''): string[] {
    const tokens = tokenize(grammar, text);
    const joined = tokens.map((token) => token.text).join('');
    const start = joined.indexOf(needle, after ? joined.indexOf(after) + after.length : 0);
    assert.ok(start >= 0, `no ${needle} in the test text`);
    let offset = 0;
    const covering: string[][] = [];
    for (const token of tokens) {
      const end = offset + token.text.length;
      if (end > start && offset < start + needle.length) covering.push(token.scopes);
      offset = end;
    }
    return covering[0].filter((scope) => covering.every((scopes) => scopes.includes(scope)));
  }

  const wxs = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<?include $(sys.SOURCEFILEDIR)Common.wxi ?>',
    '<?define Manufacturer = "Contoso $(env.USERNAME)" ?>',
    '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">',
    '  <Package Name="!(loc.ProductName)" Version="!(bind.FileVersion.MainExe)" Manufacturer="$(var.Manufacturer)">',
    '    <?ifdef Debug ?>',
    '    <Property Id="DEBUGFOLDER" Value="[INSTALLFOLDER]debug\\[#MainExe] [%TEMP] [\\[]x[\\]]" />',
    '    <?else?>',
    '    <Property Id="LEGACY">[NOT_FORMATTED]</Property>',
    '    <?endif?>',
    '    <RegistryValue Root="HKLM" Key="Software\\[Manufacturer]"',
    '                   Name="Path" Value="[ProgramFilesFolder]" />',
    '    <!-- <?define Old = 1 ?> $(var.Old) [OLD] -->',
    '    <CustomAction Id="Script" Script="jscript"><![CDATA[ var a = list[i]; $(var.NotHere) ]]></CustomAction>',
    '  </Package>',
    '</Wix>',
  ].join('\n');

  it('marks WiX preprocessor directives as directives', () => {
    for (const directive of ['include', 'define', 'ifdef', 'else', 'endif']) {
      assert.ok(scopesOf(wxs, directive, '<?').includes('keyword.control.directive.wix'), `<?${directive} is not a directive`);
    }
    assert.ok(scopesOf(wxs, 'Manufacturer = ').includes('meta.preprocessor.wix'));
  });

  it('leaves the XML declaration to the XML grammar', () => {
    const scopes = scopesOf(wxs, 'xml version');
    assert.ok(!scopes.includes('meta.preprocessor.wix'));
    assert.ok(scopesOf(wxs, '<?xml').length > 0);
    assert.ok(scopesOf(wxs, 'xml', '<?').includes('entity.name.tag.xml'));
  });

  it('marks $(var/sys/env.X) and !(loc/bind.X) references, also inside directives and attribute values', () => {
    assert.ok(scopesOf(wxs, '$(sys.SOURCEFILEDIR)').includes('variable.other.preprocessor.wix'));
    assert.ok(scopesOf(wxs, '$(env.USERNAME)').includes('variable.other.preprocessor.wix'));
    assert.ok(scopesOf(wxs, '$(var.Manufacturer)').includes('variable.other.preprocessor.wix'));
    assert.ok(scopesOf(wxs, '$(var.Manufacturer)').includes('string.quoted.double.xml'), 'an attribute value stays a string');
    assert.ok(scopesOf(wxs, '!(loc.ProductName)').includes('variable.other.binder.wix'));
    assert.ok(scopesOf(wxs, '!(bind.FileVersion.MainExe)').includes('variable.other.binder.wix'));
  });

  it('marks formatted references in attribute values, including on continuation lines', () => {
    for (const reference of ['[INSTALLFOLDER]', '[#MainExe]', '[%TEMP]', '[\\[]', '[\\]]', '[Manufacturer]', '[ProgramFilesFolder]']) {
      assert.ok(scopesOf(wxs, reference).includes('variable.other.property.wix'), `${reference} is not marked`);
    }
  });

  it('leaves element text, comments and CDATA alone', () => {
    assert.ok(!scopesOf(wxs, '[NOT_FORMATTED]').includes('variable.other.property.wix'));
    // Everything inside <Wix> is in meta.document.wix; nothing else of WiX may be marked there.
    const marked = (scopes: string[]): boolean => scopes.some((scope) => scope.endsWith('.wix') && scope !== 'meta.document.wix');
    for (const inComment of ['define', '$(var.Old)', '[OLD]']) {
      const scopes = scopesOf(wxs, inComment, '<!--');
      assert.ok(scopes.includes('comment.block.xml') && !marked(scopes), `${inComment} in a comment is marked`);
    }
    for (const inCdata of ['list[i]', '$(var.NotHere)']) {
      assert.ok(!marked(scopesOf(wxs, inCdata)), `${inCdata} in CDATA is marked`);
    }
  });

  it('leaves MSBuild properties in a .wixproj alone', () => {
    const wixproj = '<Project Sdk="WixToolset.Sdk/4.0.5">\n  <PropertyGroup>\n    <OutputPath Condition="\'$(Configuration)\' == \'Debug\'">bin\\$(Configuration)\\</OutputPath>\n  </PropertyGroup>\n</Project>';
    assert.ok(!scopesOf(wixproj, '$(Configuration)').some((scope) => scope.endsWith('.wix')));
  });
});
