import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ruleTester, TestWorkspace } from '../support/rule-tester';
import { PACKAGES, packages } from '../support/packages';

const hostile = (name: string, message: RegExp) => ({ name: `hostile/${name}`, files: packages(`hostile/${name}`), findings: [{ line: 1, message }] });

ruleTester('unreadable-package', {
  valid: [
    { name: 'a product package built by wixl', files: packages('product-trusting.msi') },
    { name: 'a signed patch', files: packages('patch-sha256-dse.msp') },
    { name: 'an unsigned patch', files: packages('patch-unsigned.msp') },
    { name: 'a patch changed after signing (still a readable database)', files: packages('patch-tampered.msp') },
  ],
  invalid: [
    hostile('truncated.msi', /truncated\.msi cannot be read as a Windows Installer database: .*truncat/i),
    hostile('fat-cycle.msi', /loop|cycle/i),
    hostile('sector-out-of-range.msi', /sector/i),
    hostile('absurd-stream-size.msi', /claims|size/i),
    hostile('directory-cycle.msi', /director/i),
    hostile('string-index-out-of-range.msi', /string/i),
    hostile('not-a-cfb.msi', /compound file|signature|not a/i),
    { name: 'an empty .msi', files: { 'empty.msi': new Uint8Array(0) }, findings: [{ line: 1, message: /empty\.msi cannot be read/ }] },
  ],
});

describe('hostile packages are answered quickly, without allocating what they claim', () => {
  const names = fs.readdirSync(path.join(PACKAGES, 'hostile'));
  for (const name of names) {
    it(name, () => {
      const workspace = new TestWorkspace(packages(`hostile/${name}`));
      const before = process.memoryUsage();
      const start = performance.now();
      const findings = workspace.findings('unreadable-package');
      const elapsed = performance.now() - start;
      const after = process.memoryUsage();
      assert.equal(findings.length, 1);
      assert.ok(elapsed < 1000, `${elapsed.toFixed(0)} ms`);
      // absurd-stream-size.msi claims 2 GB: reading the claim would show here.
      const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
      assert.ok(grown < 64 * 1024 * 1024, `memory grew by ${(grown / 1024 / 1024).toFixed(0)} MiB`);
    });
  }
});
