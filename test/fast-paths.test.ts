// The shortcuts taken for large sources (docs/benchmarks.md) give the answers the plain way gives:
// decoding in ASCII runs, finding lines only as far as asked, linking without reading references
// that can no longer pull anything in, and looking at a registry value's Name only when its start
// tag could spell the policy.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MemoryFileSystem } from '../server/src/engine/fs';
import { decodeXmlBytes, LineIndex } from '../server/src/engine/text';
import { link, sectionsOf } from '../server/src/engine/wix/link';
import { preprocess } from '../server/src/engine/wix/preprocessor';
import { SourceCache } from '../server/src/engine/wix/source';
import { TestWorkspace, v4Package } from './support/rule-tester';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % below;
  };
}

describe('decoding mostly-ASCII UTF-8 in runs', () => {
  it('gives the text a whole decode gives, with characters of every length on both sides of a run boundary', () => {
    const run = 64 * 1024;
    for (const character of ['é', '€', '𝄞', 'Ω日本']) {
      for (let shift = -4; shift <= 4; shift++) {
        // The character's bytes straddle the end of the first 64 KiB run by `shift`.
        const text = `<Wix>${'a'.repeat(run - 5 + shift)}${character}${'b'.repeat(run * 2)}${character}</Wix>\n`;
        assert.equal(decodeXmlBytes(Buffer.from(text, 'utf8')).text, text, `${character} at ${shift}`);
      }
    }
  });

  it('gives the text a whole decode gives on random mixes of ASCII and other characters', () => {
    const next = random(7);
    const pieces = ['<', '>', '\r\n', ' ', 'é', 'Ω', '𝄞', '日本', 'x'.repeat(5000), 'ü'.repeat(300)];
    for (let round = 0; round < 60; round++) {
      let text = 'a'.repeat(next(200_000));
      for (let i = next(300); i > 0; i--) text += pieces[next(pieces.length)];
      text += 'z'.repeat(next(150_000));
      const decoded = decodeXmlBytes(Buffer.from(text, 'utf8'));
      assert.equal(decoded.text.length, text.length, `round ${round}`);
      assert.ok(decoded.text === text, `round ${round}`);
    }
  });
});

describe('LineIndex, finding lines on demand', () => {
  /** Line starts the way the whole text reads: LF, CRLF and a lone CR each end a line. */
  function lineStarts(text: string): number[] {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) starts.push(i + 1);
    }
    return starts;
  }

  it('answers every question the same whatever was asked before', () => {
    const next = random(11);
    for (let round = 0; round < 2000; round++) {
      let text = '';
      for (let i = next(40); i > 0; i--) text += 'ab\r\n'[next(4)];
      const starts = lineStarts(text);
      const index = new LineIndex(text);
      for (let question = 0; question < 12; question++) {
        const offset = next(text.length + 3) - 1;
        const line = next(starts.length + 2) - 1;
        const where = `${JSON.stringify(text)}, question ${question}`;
        switch (next(4)) {
          case 0: {
            const clamped = Math.max(0, Math.min(offset, text.length));
            const expectedLine = starts.filter((start) => start <= clamped).length - 1;
            assert.deepEqual(index.positionAt(offset), { line: expectedLine, character: clamped - starts[expectedLine] }, where);
            break;
          }
          case 1:
            assert.equal(index.lineStart(line), starts[Math.max(0, Math.min(line, starts.length - 1))], where);
            break;
          case 2:
            assert.equal(index.lineEndWithBreak(line), line + 1 < starts.length ? starts[line + 1] : text.length, where);
            break;
          default:
            assert.equal(index.lineCount, starts.length, where);
        }
      }
    }
  });
});

describe('link, once every definer of a kind is in', () => {
  const ROOT = path.resolve('/repo');
  const v4 = (inner: string) => `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n${inner}\n</Wix>\n`;

  function linkedFiles(files: Record<string, string>): string[] {
    const fs = new MemoryFileSystem();
    for (const [name, text] of Object.entries(files)) fs.write(path.join(ROOT, name), text);
    const sources = new SourceCache(fs);
    const roots = Object.keys(files).flatMap((name) => preprocess(sources.get(path.join(ROOT, name))!, { fs, sources, defines: new Map(), includeSearchPaths: [] }).root ?? []);
    const [linked] = link(sectionsOf(roots));
    return linked.sections.slice(1).map((section) => path.basename(section.source.path)).sort();
  }

  it('still links a Directory of a second fragment that only a later component names', () => {
    const components = Array.from({ length: 50 }, (_, i) => `      <Component Id="c${i}" Directory="INSTALLFOLDER" />`).join('\n');
    const files = {
      'Product.wxs': v4('  <Package Name="P" Manufacturer="M" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\n    <ComponentGroupRef Id="Core" />\n  </Package>'),
      'Core.wxs': v4(`  <Fragment>\n    <ComponentGroup Id="Core" Directory="INSTALLFOLDER">\n${components}\n      <Component Id="late" Directory="PLUGINS" />\n    </ComponentGroup>\n  </Fragment>`),
      'Folders.wxs': v4('  <Fragment>\n    <StandardDirectory Id="ProgramFiles6432Folder">\n      <Directory Id="INSTALLFOLDER" Name="Contoso" />\n    </StandardDirectory>\n  </Fragment>'),
      'Plugins.wxs': v4('  <Fragment>\n    <StandardDirectory Id="CommonFiles6432Folder">\n      <Directory Id="PLUGINS" Name="Plugins" />\n    </StandardDirectory>\n  </Fragment>'),
      'Unused.wxs': v4('  <Fragment>\n    <StandardDirectory Id="TempFolder">\n      <Directory Id="UNUSED" Name="Unused" />\n    </StandardDirectory>\n  </Fragment>'),
    };
    assert.deepEqual(linkedFiles(files), ['Core.wxs', 'Folders.wxs', 'Plugins.wxs']);
  });

  it('links the File a custom action runs only when one does', () => {
    const files = {
      'Product.wxs': v4('  <Package Name="P" Manufacturer="M" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\n    <CustomActionRef Id="Configure" />\n  </Package>'),
      'Action.wxs': v4('  <Fragment>\n    <CustomAction Id="Configure" FileRef="Helper" DllEntry="Run" />\n  </Fragment>'),
      'Helper.wxs': v4('  <Fragment>\n    <Component Id="HelperComponent" Directory="INSTALLFOLDER">\n      <File Id="Helper" Source="helper.dll" />\n    </Component>\n  </Fragment>'),
      'Other.wxs': v4('  <Fragment>\n    <Component Id="OtherComponent" Directory="INSTALLFOLDER">\n      <File Id="Other" Source="other.dll" />\n    </Component>\n  </Fragment>'),
    };
    assert.deepEqual(linkedFiles(files), ['Action.wxs', 'Helper.wxs']);
  });
});

describe('the DisableLUAPatching policy, found without reading every Name', () => {
  it('is found however its Name is spelled: any case, a variable, a character reference', () => {
    const key = 'SOFTWARE\\Policies\\Microsoft\\Windows\\Installer';
    const policy = (name: string) => `  <RegistryValue Root="HKLM" Key="${key}" Name="${name}" Type="integer" Value="1" />`;
    const components = [
      '<?define PolicyName = "DisableLUAPatching" ?>',
      '<Component Id="Settings" Directory="INSTALLFOLDER">',
      '  <RegistryValue Root="HKLM" Key="SOFTWARE\\Contoso" Name="Other" Type="integer" Value="1" />',
      policy('disableLuaPATCHING'),
      policy('$(var.PolicyName)'),
      policy('&#68;isableLUAPatching'),
      policy('Disable&#76;UAPatching'),
      '</Component>',
    ].join('\n');
    const workspace = new TestWorkspace({ 'Product.wxs': v4Package(components) });
    const lines = workspace.findings('lua-patching-policy-disabled').map((finding) => finding.range.start.line + 1);
    const source = workspace.text('Product.wxs').split('\n');
    assert.deepEqual(lines, [6, 7, 8, 9], source.slice(5, 9).join('\n'));
  });
});
