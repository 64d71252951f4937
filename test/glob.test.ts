// Workspace globs (wix-uac.json "ignore", .wixproj Compile patterns, signing file patterns) that
// picomatch cannot compile, or whose regular expression would backtrack for seconds on a long
// name, are refused with a reason; the others match as picomatch matches them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import picomatch from 'picomatch';
import { globMatcher, MAX_STARS, unsafeGlob } from '../server/src/engine/glob';
import { TestWorkspace } from './support/rule-tester';

const LONG_NAME = 'a'.repeat(255);

describe('workspace globs', () => {
  it('are used when they are the globs people write', () => {
    for (const glob of ['**/*.wxs', 'bin/**', '**/obj/**', '**/generated/**/*.wxs', '*.g.wxs', 'src/**/*-generated.wxs', '{bin,obj}/**', '*.{wxs,wxi}', 'Product.wxs']) {
      assert.equal(unsafeGlob(glob), undefined, glob);
    }
  });

  it('are refused, with the reason, when picomatch would throw or backtrack for long', () => {
    assert.match(unsafeGlob('x'.repeat(70_000))!, /longer than 1024 characters/);
    assert.match(unsafeGlob('*a*a*ab')!, /more than 2 wildcards \(\*\) in one folder or file name/);
    assert.match(unsafeGlob('**/*a*a/**/*a*ab')!, new RegExp(`more than ${MAX_STARS} wildcards`));
    assert.match(unsafeGlob('+(*a)b')!, /repeats a group/);
  });

  it('that are refused match nothing and never throw', () => {
    const matches = globMatcher(['x'.repeat(70_000), '*a*a*a*a*a*a*a*a*a*a*ab', '+(*a)b'], { dot: true });
    const started = performance.now();
    assert.equal(matches(LONG_NAME), false);
    assert.ok(performance.now() - started < 50);
  });

  it('that are used match as picomatch does, and stay fast against long names', () => {
    const globs = ['**/*.wxs', 'bin/**', '*a*a/*a*ab'];
    const ours = globMatcher(globs, { dot: true });
    const theirs = picomatch(globs, { dot: true });
    for (const path of ['Product.wxs', 'src/x/Product.wxs', 'bin/Release/a.msi', '.git/x.wxs', 'obj/x', `${LONG_NAME}/${LONG_NAME}`]) {
      assert.equal(ours(path), theirs(path), path);
    }
    const started = performance.now();
    ours(`${LONG_NAME}/${LONG_NAME}`);
    assert.ok(performance.now() - started < 500, `the worst glob allowed took ${Math.round(performance.now() - started)} ms on two 255-character names`);
  });

  it('in wix-uac.json and a .wixproj give a notice instead of a failed or endless analysis', () => {
    const name = `${'a'.repeat(40)}.wxs`;
    const workspace = new TestWorkspace({
      'wix-uac.json': JSON.stringify({ ignore: ['x'.repeat(70_000), '*a*a*a*a*a*a*a*a*a*a*ab'] }),
      'Product/Product.wixproj': '<Project Sdk="WixToolset.Sdk/4.0.5"><ItemGroup><Compile Include="*a*a*a*a*a*a*a*a*ab.wxs" /></ItemGroup></Project>',
      [`Product/${name}`]: '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs"><Package Name="P" Version="1.0.0.0" Manufacturer="M" UpgradeCode="D27C4A91-0B5E-4F38-96A2-8E1F3C7B0D45" /></Wix>',
    });
    const started = performance.now();
    const result = workspace.analyze();
    assert.ok(performance.now() - started < 5000, `took ${Math.round(performance.now() - started)} ms`);
    const notices = result.notices.map((notice) => notice.message);
    assert.ok(notices.some((message) => /^"ignore" pattern "x{80}…" is not used: it is longer than 1024 characters\.$/.test(message)), notices.join('\n'));
    assert.ok(notices.some((message) => /^"ignore" pattern "\*a\*a.*" is not used: it has more than 2 wildcards/.test(message)), notices.join('\n'));
    assert.ok(notices.some((message) => /^Compile pattern "\*a\*a.*\.wxs" is left out: it has more than 2 wildcards/.test(message)), notices.join('\n'));
  });
});
