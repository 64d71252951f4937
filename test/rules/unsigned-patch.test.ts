import { ruleTester } from '../support/rule-tester';
import { packages } from '../support/packages';

ruleTester('unsigned-patch', {
  valid: [
    { name: 'a patch signed with SHA-256', files: packages('patch-sha256.msp') },
    { name: 'a patch signed with SHA-1', files: packages('patch-sha1.msp') },
    { name: 'a patch whose signature does not verify (invalid-patch-signature reports it)', files: packages('patch-tampered.msp') },
    { name: 'an unsigned product package (.msi): only patches must be signed for UAC patching', files: packages('product-trusting.msi') },
  ],
  invalid: [
    { name: 'a patch without a \\x05DigitalSignature stream', files: packages('patch-unsigned.msp'), findings: [{ line: 1, message: /patch-unsigned\.msp is not signed.*UAC prompt/ }] },
  ],
});
