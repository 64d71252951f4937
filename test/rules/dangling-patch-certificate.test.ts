import { ruleTester } from '../support/rule-tester';
import { idtFolder, idtText, packages } from '../support/packages';

const patchCertificates = idtText('MsiPatchCertificate.idt');
const withRow = patchCertificates + 'OldSigner\tRetiredSigning\r\n';

ruleTester('dangling-patch-certificate', {
  valid: [
    { name: 'a package whose MsiPatchCertificate row names its MsiDigitalCertificate row', files: packages('product-trusting.msi') },
    { name: 'the same tables as .idt files', files: idtFolder('db') },
    { name: 'a package without certificate tables', files: packages('product-no-certificates.msi') },
  ],
  invalid: [
    {
      name: 'a built package (ContosoPatches names ContosoPatchSigning, which is missing)',
      files: packages('product-dangling.msi'),
      findings: [{ line: 1, message: /row "ContosoPatches".*names certificate "ContosoPatchSigning", which MsiDigitalCertificate does not have \(it has "NorthwindPatchSigning"\)/ }],
    },
    {
      name: 'an .idt row, pointed at by line, removed by the fix',
      files: idtFolder('db', { 'MsiPatchCertificate.idt': withRow }),
      findings: [{ file: 'db/MsiPatchCertificate.idt', line: 5, message: /"OldSigner" \(MsiPatchCertificate\.idt:5\) names certificate "RetiredSigning"/ }],
      fix: { title: /Remove MsiPatchCertificate row OldSigner/, files: { 'db/MsiPatchCertificate.idt': patchCertificates } },
    },
  ],
});
