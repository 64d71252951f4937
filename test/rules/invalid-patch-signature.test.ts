import { ruleTester } from '../support/rule-tester';
import { packages } from '../support/packages';

ruleTester('invalid-patch-signature', {
  valid: [
    { name: 'SHA-256 signature', files: packages('patch-sha256.msp') },
    { name: 'SHA-1 signature', files: packages('patch-sha1.msp') },
    { name: 'SHA-256 signature with MsiDigitalSignatureEx', files: packages('patch-sha256-dse.msp') },
    { name: 'a valid signature by an expired certificate (Windows Installer accepts it)', files: packages('patch-expired-signer.msp') },
    { name: 'a valid signature by a signer no product trusts (untrusted-patch-signer decides)', files: packages('patch-northwind.msp', 'product-trusting.msi') },
    { name: 'an unsigned patch (unsigned-patch reports it)', files: packages('patch-unsigned.msp') },
  ],
  invalid: [
    {
      name: 'a patch changed after signing',
      files: packages('patch-tampered.msp'),
      findings: [{ line: 1, message: /signature of patch-tampered\.msp by CN=Contoso Patch Signing.*does not verify.*digest/ }],
    },
  ],
});
