import { ruleTester } from '../support/rule-tester';
import { packages } from '../support/packages';

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
