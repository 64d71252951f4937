import { fixture, ruleTester, v3Product, v4Package } from '../support/rule-tester';
import { idtFolder, packages } from '../support/packages';

/**
 * An earlier patch whose PatchFamily carries DigitalCertificateRef Northwind: the rebuilt product
 * (Update/Product.wxs) lists that certificate, the installed baseline (Baseline/product-trusting.msi)
 * does not, so the patch adds it to the baseline's MsiPatchCertificate table when it is applied.
 */
function addingPatch(certificateRef: string): string {
  return (
    '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n' +
    '  <Patch AllowRemoval="yes" Manufacturer="Contoso Ltd" DisplayName="Contoso Tools Hotfix 2" Classification="Update">\n' +
    '    <PatchBaseline Id="RTM" BaselineFile="..\\Baseline\\product-trusting.msi" UpdateFile="..\\Update\\bin\\Release\\ContosoTools.msi" />\n' +
    `    <PatchFamily Id="SigningRollover" Version="1.0.1.0" Supersede="no">\n      ${certificateRef}\n    </PatchFamily>\n` +
    '  </Patch>\n</Wix>\n'
  );
}

/** The ProductCode patch-*.msp target (their summary Template), as product-trusting.msi has it. */
const TARGET = '{6A1F2C3D-0000-4000-8000-00000000C0A1}';
const V4_TARGET_ATTRIBUTES = `Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" ProductCode="${TARGET}" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"`;
const contoso = fixture('certificates/contoso-patch-signing.cer');
const fabrikam = fixture('certificates/fabrikam-release.cer');
const northwind = fixture('packages/certs/northwind-patch-signing.cer');
const listing = (file: string) => `<PatchCertificates>\n  <DigitalCertificate Id="Listed" SourceFile="${file}" />\n</PatchCertificates>`;

/** The installed baseline (lists Contoso only) and the rebuilt product (lists Contoso and Northwind). */
const rolloverProducts = {
  'Update/Product.wxs': v4Package('<PatchCertificates>\n  <DigitalCertificate Id="ContosoSigning" SourceFile="contoso.cer" />\n  <DigitalCertificate Id="NorthwindSigning" SourceFile="northwind.cer" />\n</PatchCertificates>', V4_TARGET_ATTRIBUTES),
  'Update/contoso.cer': contoso,
  'Update/northwind.cer': northwind,
  'Baseline/product-trusting.msi': packages('product-trusting.msi')['product-trusting.msi'],
};

ruleTester('untrusted-patch-signer', {
  valid: [
    { name: 'a patch signed by the certificate its target package lists', files: packages('patch-sha256.msp', 'product-trusting.msi') },
    { name: 'SHA-1 and MsiDigitalSignatureEx signatures by the listed certificate', files: packages('patch-sha1.msp', 'patch-sha256-dse.msp', 'product-trusting.msi') },
    { name: 'a patch whose target is an .idt folder that lists its signer', files: { ...packages('patch-sha256.msp'), ...idtFolder('db') } },
    { name: 'a patch whose target product is not in the workspace (the lens names the signer)', files: packages('patch-no-target.msp', 'product-trusting.msi') },
    { name: 'a lone patch', files: packages('patch-northwind.msp') },
    { name: 'a patch whose signature does not verify (invalid-patch-signature decides)', files: packages('patch-tampered.msp', 'product-no-certificates.msi') },
    { name: 'a WiX v4 source with that ProductCode listing the signer', files: { 'Product.wxs': v4Package(listing('contoso.cer'), V4_TARGET_ATTRIBUTES), 'contoso.cer': contoso, ...packages('patch-sha256.msp') } },
    {
      name: 'a WiX v3 source whose Product/@Id is the target, ProductCode written in lower case without braces in the patch',
      files: { 'Product.wxs': v3Product(listing('contoso.cer')).replace('{3C1E5A4D-8B2F-4D6E-A1C3-5F7B9D0E2A4C}', TARGET.toLowerCase()), 'contoso.cer': contoso, ...packages('patch-sha256.msp') },
    },
    { name: 'a WiX source whose certificate path is known only at build time (no verdict)', files: { 'Product.wxs': v4Package(listing('$(var.CertDir)\\signing.cer'), V4_TARGET_ATTRIBUTES), ...packages('patch-sha256.msp') } },
    { name: 'a WiX source with ProductCode="*" (chosen at build time)', files: { 'Product.wxs': v4Package(listing('fabrikam.cer'), V4_TARGET_ATTRIBUTES.replace(TARGET, '*')), 'fabrikam.cer': fabrikam, ...packages('patch-sha256.msp') } },
    {
      name: 'a patch signed by a certificate an earlier patch adds through PatchFamily/DigitalCertificateRef',
      files: {
        'Hotfix2/Hotfix2.wxs': addingPatch('<DigitalCertificateRef Id="NorthwindSigning" />'),
        ...rolloverProducts,
        'Hotfix3/patch-northwind.msp': packages('patch-northwind.msp')['patch-northwind.msp'],
      },
    },
  ],
  invalid: [
    {
      name: 'the same later patch when the earlier patch adds no certificate: the installed baseline does not list its signer',
      files: {
        'Hotfix3/patch-northwind.msp': packages('patch-northwind.msp')['patch-northwind.msp'],
        'Hotfix2/Hotfix2.wxs': addingPatch('<ComponentRef Id="MainExecutable" />'),
        ...rolloverProducts,
      },
      findings: [{ line: 1, message: /target Contoso Tools 1\.0\.0\.0 \(product-trusting\.msi\) lists CN=Contoso Patch Signing/ }],
    },
    {
      name: "a patch signed by the certificate it adds itself: it is judged by the table before it applies; reported on the .msp and on its <Patch>",
      files: {
        'Hotfix2/Hotfix2.msp': packages('patch-northwind.msp')['patch-northwind.msp'],
        'Hotfix2/Hotfix2.wxs': addingPatch('<DigitalCertificateRef Id="NorthwindSigning" />'),
        ...rolloverProducts,
      },
      findings: [
        { line: 1, message: /Hotfix2\.msp is signed by CN=Northwind Patch Signing.*target Contoso Tools 1\.0\.0\.0 \(product-trusting\.msi\)/ },
        { file: 'Hotfix2/Hotfix2.wxs', line: 2, message: /^Built patch Hotfix2\.msp: Hotfix2\.msp is signed by CN=Northwind Patch Signing/ },
      ],
    },
    {
      name: 'a patch signed by a certificate its target package does not list',
      files: packages('patch-northwind.msp', 'product-trusting.msi'),
      findings: [{ file: 'patch-northwind.msp', line: 1, message: /signed by CN=Northwind Patch Signing \(SHA-1 [0-9A-F]{40}\), but its target Contoso Tools 1\.0\.0\.0 \(product-trusting\.msi\) lists CN=Contoso Patch Signing \(SHA-1 354A27977B17FEC59A1B1B9A91B2CEA5B2CCCE11\)/ }],
    },
    {
      name: 'a target package that lists no certificate at all',
      files: { ...packages('patch-sha256.msp'), ...idtFolder('db', { 'MsiPatchCertificate.idt': null, 'MsiDigitalCertificate.idt': null }) },
      findings: [{ file: 'patch-sha256.msp', line: 1, message: /target Contoso Tools 1\.0\.0\.0 \(db\) lists no certificate/ }],
    },
    {
      name: 'a WiX target whose only listed certificate is a text file: said to be unreadable, not "lists no certificate"',
      files: { 'Product.wxs': v4Package(listing('signing.cer'), V4_TARGET_ATTRIBUTES), 'signing.cer': fixture('certificates/not-a-certificate.cer'), ...packages('patch-sha256.msp') },
      findings: [{ file: 'patch-sha256.msp', line: 1, message: /but none of the certificates its target Contoso Tools 1\.0\.0 \(Product\.wxs\) lists in MsiPatchCertificate can be read as a DER certificate \(1 listed\)/ }],
    },
    {
      name: 'a WiX target listing a PEM copy and a file that does not exist',
      files: { 'Product.wxs': v4Package(`<PatchCertificates>\n  <DigitalCertificate Id="Pem" SourceFile="contoso.pem" />\n  <DigitalCertificate Id="Gone" SourceFile="gone.cer" />\n</PatchCertificates>`, V4_TARGET_ATTRIBUTES), 'contoso.pem': fixture('certificates/contoso-patch-signing.pem'), ...packages('patch-sha256.msp') },
      findings: [{ file: 'patch-sha256.msp', line: 1, message: /can be read as a DER certificate \(2 listed\), so none can match the signer/ }],
    },
    {
      name: 'an .idt target whose MsiPatchCertificate names another certificate',
      files: { ...packages('patch-northwind.msp'), ...idtFolder('db') },
      findings: [{ file: 'patch-northwind.msp', line: 1, message: /CN=Northwind Patch Signing.*lists CN=Contoso Patch Signing/ }],
    },
    {
      name: 'a WiX target listing another certificate: the fix extracts the signer next to the source and lists it',
      files: { 'Product.wxs': v4Package(listing('fabrikam.cer'), V4_TARGET_ATTRIBUTES), 'fabrikam.cer': fabrikam, ...packages('patch-sha256.msp') },
      findings: [{ file: 'patch-sha256.msp', line: 1, message: /signed by CN=Contoso Patch Signing.*target Contoso Tools 1\.0\.0 \(Product\.wxs\) lists CN=Fabrikam/ }],
      fix: {
        title: /Extract signer certificate from patch-sha256\.msp \(CN=Contoso Patch Signing\) to ContosoPatchSigning\.cer and add it to PatchCertificates/,
        files: {
          'ContosoPatchSigning.cer': contoso,
          'Product.wxs': v4Package(`<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" SourceFile="ContosoPatchSigning.cer" />\n  <DigitalCertificate Id="Listed" SourceFile="fabrikam.cer" />\n</PatchCertificates>`, V4_TARGET_ATTRIBUTES),
        },
      },
    },
    {
      name: 'a WiX target, when the signer certificate is already a file of the workspace: the fix lists that file',
      files: { 'Product.wxs': v4Package(listing('fabrikam.cer'), V4_TARGET_ATTRIBUTES), 'fabrikam.cer': fabrikam, 'certs/contoso.cer': contoso, ...packages('patch-sha256.msp') },
      findings: [{ file: 'patch-sha256.msp', line: 1 }],
      fix: {
        title: /Add patch certificate CN=Contoso Patch Signing \(certs\\contoso\.cer\), which signed patch-sha256\.msp/,
        files: { 'Product.wxs': v4Package(`<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" SourceFile="certs\\contoso.cer" />\n  <DigitalCertificate Id="Listed" SourceFile="fabrikam.cer" />\n</PatchCertificates>`, V4_TARGET_ATTRIBUTES) },
      },
    },
  ],
});

