import { ruleTester } from '../support/rule-tester';
import { idtFolder, idtText, packages } from '../support/packages';

const patchCertificates = idtText('MsiPatchCertificate.idt');

ruleTester('unreferenced-digital-certificate', {
  valid: [
    { name: 'a certificate named by MsiPatchCertificate', files: packages('product-trusting.msi') },
    { name: 'the same as .idt files', files: idtFolder('db') },
    {
      name: 'a certificate named by MsiDigitalSignature (a signed cabinet) instead',
      files: idtFolder('db', {
        'MsiPatchCertificate.idt': null,
        'MsiDigitalSignature.idt': 'Table\tSignObject\tDigitalCertificate_\tHash\r\ns32\ts72\ts72\tV0\r\nMsiDigitalSignature\tTable\tSignObject\r\nMedia\t1\tContosoPatchSigning\t\r\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'a built package with a certificate nothing uses',
      files: packages('product-dangling.msi'),
      findings: [{ line: 1, message: /row "NorthwindPatchSigning" \(CN=Northwind Patch Signing\).*referenced by no/ }],
    },
    {
      name: 'an .idt folder without MsiPatchCertificate: the fix creates the table file',
      files: idtFolder('db', { 'MsiPatchCertificate.idt': null }),
      findings: [{ file: 'db/MsiDigitalCertificate.idt', line: 4, message: /"ContosoPatchSigning" \(CN=Contoso Patch Signing\) \(MsiDigitalCertificate\.idt:4\)/ }],
      fix: {
        title: /Add an MsiPatchCertificate row for ContosoPatchSigning/,
        files: { 'db/MsiPatchCertificate.idt': 'PatchCertificate\tDigitalCertificate_\r\ns72\ts72\r\nMsiPatchCertificate\tPatchCertificate\r\nContosoPatchSigning\tContosoPatchSigning\r\n' },
      },
    },
    {
      name: 'an .idt folder whose MsiPatchCertificate names another certificate: the fix adds a row',
      files: idtFolder('db', { 'MsiPatchCertificate.idt': patchCertificates.replace('ContosoPatches\tContosoPatchSigning', 'ContosoPatchSigning\tOtherSigning') }),
      findings: [{ file: 'db/MsiDigitalCertificate.idt', line: 4, message: /"ContosoPatchSigning"/ }],
      fix: {
        title: /Add an MsiPatchCertificate row/,
        files: { 'db/MsiPatchCertificate.idt': 'PatchCertificate\tDigitalCertificate_\r\ns72\ts72\r\nMsiPatchCertificate\tPatchCertificate\r\nContosoPatchSigning_2\tContosoPatchSigning\r\nContosoPatchSigning\tOtherSigning\r\n' },
      },
    },
  ],
});
