import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Suppressions, suppressNextLineFix, type SourceComment } from '../server/src/engine/suppression';
import { LineIndex } from '../server/src/engine/text';

/** The XML comments of a source, as the parser reports them. */
function commentsOf(source: string): SourceComment[] {
  const lines = new LineIndex(source);
  return [...source.matchAll(/<!--([\s\S]*?)-->/g)].map((match) => ({
    text: match[1],
    start: lines.positionAt(match.index),
    end: lines.positionAt(match.index + match[0].length),
  }));
}

/** 0-based numbers of the lines on which `ruleId` is suppressed. */
function suppressedLines(source: string, ruleId: string): number[] {
  const suppressions = new Suppressions(commentsOf(source));
  const lineCount = new LineIndex(source).lineCount;
  return Array.from({ length: lineCount }, (_, line) => line).filter((line) => suppressions.isSuppressed(ruleId, line));
}

describe('wix-uac-disable-next-line', () => {
  const source = [
    '<Wix>', //                                                                         0
    '  <!-- wix-uac-disable-next-line missing-patch-certificate -->', //               1
    '  <Package Scope="perMachine">', //                                               2
    '    <!-- wix-uac-disable-next-line lua-patching-disabled, per-user-install -->', // 3
    '    <Property Id="MSIDISABLELUAPATCHING" Value="1" />', //                         4
    '    <Property Id="OTHER" />', //                                                  5
    '  </Package>', //                                                                 6
    '</Wix>', //                                                                       7
  ].join('\n');

  it('suppresses the named rules on the next line only', () => {
    assert.deepEqual(suppressedLines(source, 'missing-patch-certificate'), [2]);
    assert.deepEqual(suppressedLines(source, 'lua-patching-disabled'), [4]);
    assert.deepEqual(suppressedLines(source, 'per-user-install'), [4]);
    assert.deepEqual(suppressedLines(source, 'installer-version-too-low'), []);
  });

  it('without rule ids suppresses every rule', () => {
    const all = '<!-- wix-uac-disable-next-line -->\n<Package/>\n<Package/>';
    assert.deepEqual(suppressedLines(all, 'missing-patch-certificate'), [1]);
    assert.deepEqual(suppressedLines(all, 'expired-patch-certificate'), [1]);
  });

  it('counts from the last line of a comment that spans lines', () => {
    const multiLine = '<!--\n  wix-uac-disable-next-line\n  missing-patch-certificate\n-->\n<Package/>';
    assert.deepEqual(suppressedLines(multiLine, 'missing-patch-certificate'), [4]);
  });

  it('works with CRLF line ends', () => {
    assert.deepEqual(suppressedLines('<Wix>\r\n<!-- wix-uac-disable-next-line -->\r\n<Package/>\r\n</Wix>', 'per-user-install'), [2]);
  });
});

describe('wix-uac-disable / wix-uac-enable', () => {
  it('suppresses a block from the disable comment to the enable comment', () => {
    const source = [
      '<Package>', //                                              0
      '  <!-- wix-uac-disable lua-patching-disabled -->', //       1
      '  <Property Id="MSIDISABLELUAPATCHING" Value="1" />', //    2
      '  <!-- wix-uac-enable lua-patching-disabled -->', //        3
      '  <SetProperty Id="MSIDISABLELUAPATCHING" Value="1" />', // 4
      '</Package>', //                                             5
    ].join('\n');
    assert.deepEqual(suppressedLines(source, 'lua-patching-disabled'), [1, 2, 3]);
    assert.deepEqual(suppressedLines(source, 'per-user-install'), []);
  });

  it('runs to the end of the file when not re-enabled', () => {
    assert.deepEqual(suppressedLines('<Wix>\n<!-- wix-uac-disable -->\n<Package>\n</Package>', 'per-user-install'), [1, 2, 3]);
  });

  it('lets one rule be re-enabled inside a block that disables all', () => {
    const source = '<!-- wix-uac-disable -->\n<A/>\n<!-- wix-uac-enable per-user-install -->\n<B/>\n<!-- wix-uac-enable -->\n<C/>';
    assert.deepEqual(suppressedLines(source, 'per-user-install'), [0, 1, 2]);
    assert.deepEqual(suppressedLines(source, 'missing-patch-certificate'), [0, 1, 2, 3, 4]);
  });

  it('enables a named rule again when all rules are enabled', () => {
    const source = '<!-- wix-uac-disable per-user-install -->\n<A/>\n<!-- wix-uac-enable -->\n<B/>';
    assert.deepEqual(suppressedLines(source, 'per-user-install'), [0, 1, 2]);
  });

  it('ignores an enable without a disable, and a second disable of a disabled rule', () => {
    const source = '<!-- wix-uac-enable -->\n<A/>\n<!-- wix-uac-disable -->\n<B/>\n<!-- wix-uac-disable -->\n<!-- wix-uac-enable -->\n<C/>';
    assert.deepEqual(suppressedLines(source, 'per-user-install'), [2, 3, 4, 5]);
  });
});

describe('comments that are not directives', () => {
  it('leave findings alone', () => {
    const source = [
      '<!-- Do not add wix-uac-disable here: the product must stay patchable. -->',
      '<!-- wix-uac-disabled -->',
      '<!-- wix-uac-disable-nextline per-user-install -->',
      '<Package/>',
    ].join('\n');
    assert.deepEqual(suppressedLines(source, 'per-user-install'), []);
  });

  it('report rule ids that do not exist, where they are written', () => {
    const suppressions = new Suppressions(commentsOf('<Wix>\n  <!-- wix-uac-disable-next-line missing-patch-certficate -->\n<Package/>'));
    assert.equal(suppressions.problems.length, 1);
    assert.match(suppressions.problems[0].message, /Unknown rule id "missing-patch-certficate"/);
    assert.deepEqual(suppressions.problems[0].range.start, { line: 1, character: 2 });
    assert.equal(suppressions.isSuppressed('missing-patch-certificate', 2), false);
  });
});

describe('suppressNextLineFix', () => {
  /** Applies a fix's single insertion the way an editor would. */
  function apply(source: string, fix: ReturnType<typeof suppressNextLineFix>): string {
    assert.equal(fix.edits.length, 1);
    const [edit] = fix.edits;
    const lines = new LineIndex(source);
    return source.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + source.slice(lines.offsetAt(edit.range.end));
  }

  it('inserts an indented directive above the line, which then suppresses the rule there', () => {
    const source = '<Wix>\n    <Package Scope="perMachine">\n    </Package>\n</Wix>\n';
    const fix = suppressNextLineFix('/p/Product.wxs', new LineIndex(source), 1, 'missing-patch-certificate');
    assert.equal(fix.title, 'Suppress missing-patch-certificate for this line');
    assert.equal(fix.edits[0].file, '/p/Product.wxs');
    const fixed = apply(source, fix);
    assert.equal(fixed, '<Wix>\n    <!-- wix-uac-disable-next-line missing-patch-certificate -->\n    <Package Scope="perMachine">\n    </Package>\n</Wix>\n');
    assert.deepEqual(suppressedLines(fixed, 'missing-patch-certificate'), [2]);
  });

  it('keeps CRLF line ends and tab indentation', () => {
    const source = '<Wix>\r\n\t<Property Id="MSIDISABLELUAPATCHING" Value="1" />\r\n</Wix>';
    const fixed = apply(source, suppressNextLineFix('C:\\p\\Product.wxs', new LineIndex(source), 1, 'lua-patching-disabled'));
    assert.equal(fixed, '<Wix>\r\n\t<!-- wix-uac-disable-next-line lua-patching-disabled -->\r\n\t<Property Id="MSIDISABLELUAPATCHING" Value="1" />\r\n</Wix>');
  });
});
