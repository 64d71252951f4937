import { fixture, ruleTester, v3Product, v4Package } from '../support/rule-tester';
import { idtFolder, packages } from '../support/packages';

// The harness's clock reads 2026-06-01: expired-2020.cer ended on 2020-12-31, not-yet-valid.cer
// starts on 2090-01-01, the Contoso and Fabrikam certificates run until 2049.
const CURRENT = fixture('certificates/contoso-patch-signing.cer');
const EXPIRED = fixture('certificates/expired-2020.cer');
const NOT_YET_VALID = fixture('certificates/not-yet-valid.cer');

const patchCertificates = (...entries: [id: string, sourceFile: string][]) =>
  `<PatchCertificates>\n${entries.map(([id, sourceFile]) => `  <DigitalCertificate Id="${id}" SourceFile="${sourceFile}" />`).join('\n')}\n</PatchCertificates>`;

const fragment = (inner: string) => `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Fragment>\n${inner.split('\n').map((line) => `    ${line}`).join('\n')}\n  </Fragment>\n</Wix>\n`;

const crlf = (text: string) => text.replace(/\n/g, '\r\n');
const utf16le = (text: string) => Buffer.from(`\uFEFF${text}`, 'utf16le');

ruleTester('expired-patch-certificate', {
  valid: [
    { name: 'a current certificate (WiX v4)', files: { 'Product.wxs': v4Package(patchCertificates(['Contoso', 'contoso.cer'])), 'contoso.cer': CURRENT } },
    { name: 'a current certificate in PEM form (WiX v3)', files: { 'Product.wxs': v3Product(patchCertificates(['Contoso', 'contoso.pem'])), 'contoso.pem': fixture('certificates/contoso-patch-signing.pem') } },
    {
      name: 'an expired certificate in the workspace that no package lists',
      files: { 'Product.wxs': v4Package(patchCertificates(['Contoso', 'Signing\\contoso.cer'])), 'Signing/contoso.cer': CURRENT, 'Signing/old-2020.cer': EXPIRED },
    },
    {
      name: 'an expired certificate in a fragment nothing links',
      files: { 'Product.wxs': v4Package(patchCertificates(['Contoso', 'contoso.cer'])), 'contoso.cer': CURRENT, 'Legacy.wxs': fragment(patchCertificates(['Old', 'old.cer'])), 'old.cer': EXPIRED },
    },
    {
      name: 'an expired certificate in a branch of <?if?> the defined variables rule out',
      files: {
        'Product.wxs': v4Package(`<?define LegacySigning = "false" ?>\n<?if $(var.LegacySigning) = "true" ?>\n${patchCertificates(['Old', 'old.cer'])}\n<?endif?>`),
        'old.cer': EXPIRED,
      },
    },
    { name: 'a listed file that does not exist', files: { 'Product.wxs': v4Package(patchCertificates(['Old', 'old.cer'])) } },
    { name: 'a listed file that is not a certificate', files: { 'Product.wxs': v4Package(patchCertificates(['Old', 'old.cer'])), 'old.cer': fixture('certificates/truncated.cer') } },
  ],
  invalid: [
    {
      name: 'an expired certificate, the only one listed (WiX v4)',
      files: { 'Product.wxs': v4Package(patchCertificates(['ContosoExpired', 'Signing\\contoso-2020.cer'])), 'Signing/contoso-2020.cer': EXPIRED },
      findings: [{ line: 4, message: /^The patch certificate CN=Contoso Expired Signing expired on 2020-12-31\. Patches already signed with it still apply.*list a current certificate as well/ }],
    },
    {
      name: 'an expired certificate next to a current one: new patches are signed with the current one',
      files: {
        'Product.wxs': v3Product(patchCertificates(['ContosoExpired', 'contoso-2020.cer'], ['Contoso', 'contoso.cer'])),
        'contoso-2020.cer': EXPIRED,
        'contoso.cer': CURRENT,
      },
      findings: [{ line: 5, message: /sign new patches with CN=Contoso Patch Signing, which this product lists too/ }],
    },
    {
      name: 'a certificate not valid yet',
      files: { 'Product.wxs': v4Package(patchCertificates(['ContosoFuture', 'future.cer'])), 'future.cer': NOT_YET_VALID },
      findings: [{ line: 4, message: /CN=Contoso Future Signing is not valid before 2090-01-01/ }],
    },
    {
      name: 'in a fragment linked through PropertyRef, reported in the fragment',
      files: {
        'Product.wxs': v4Package('<PropertyRef Id="PATCHSIGNING" />'),
        'Signing.wxs': fragment(`<Property Id="PATCHSIGNING" Value="2020" />\n${patchCertificates(['ContosoExpired', '$(sys.SOURCEFILEDIR)certs\\contoso-2020.cer'])}`),
        'certs/contoso-2020.cer': EXPIRED,
      },
      findings: [{ file: 'Signing.wxs', line: 5 }],
    },
    {
      name: 'in an included .wxi with CRLF line ends',
      files: {
        'Signing.wxi': crlf(`<?xml version="1.0" encoding="utf-8"?>\n<Include>\n${patchCertificates(['ContosoExpired', 'contoso-2020.cer'])}\n</Include>\n`),
        'Product.wxs': v4Package('<?include Signing.wxi ?>'),
        'contoso-2020.cer': EXPIRED,
      },
      findings: [{ line: 4 }],
    },
    {
      name: 'a UTF-16 source (WiX v3)',
      files: { 'Product.wxs': utf16le(crlf(`<?xml version="1.0" encoding="utf-16"?>\n${v3Product(patchCertificates(['ContosoExpired', 'contoso-2020.cer']))}`)), 'contoso-2020.cer': EXPIRED },
      findings: [{ line: 6 }],
    },
    {
      name: 'inside an <?ifdef?> that cannot be decided, with the condition named',
      files: { 'Product.wxs': v4Package(`<?ifdef LegacySigning ?>\n${patchCertificates(['ContosoExpired', 'contoso-2020.cer'])}\n<?endif?>`), 'contoso-2020.cer': EXPIRED },
      findings: [{ line: 5, message: /only when <\?ifdef LegacySigning\?>/ }],
    },
    {
      name: 'raised to a warning by wix-uac.json',
      files: {
        'Product.wxs': v4Package(patchCertificates(['ContosoExpired', 'contoso-2020.cer'])),
        'contoso-2020.cer': EXPIRED,
        'wix-uac.json': '{ "rules": { "expired-patch-certificate": "warning" } }\n',
      },
      findings: [{ line: 4, severity: 'warning' }],
    },
  ],
});

// Built packages and .idt folders: listed certificates and patch signers.
ruleTester('expired-patch-certificate', {
  valid: [
    { name: 'a package listing a current certificate', files: packages('product-trusting.msi') },
    { name: 'a patch signed by a current certificate', files: packages('patch-sha256.msp') },
  ],
  invalid: [
    {
      name: 'a patch signed by an expired certificate (information: Windows Installer still accepts it)',
      files: packages('patch-expired-signer.msp'),
      findings: [{ line: 1, message: /signed by CN=.*whose certificate expired on 2021-.*still accepts the signature/ }],
    },
    {
      name: 'an .idt MsiDigitalCertificate whose CertData file holds an expired certificate',
      files: { ...idtFolder('db'), 'db/MsiDigitalCertificate/MsiDigitalCertificate.ContosoPatchSigning': fixture('certificates/expired-2020.cer') },
      findings: [{ file: 'db/MsiPatchCertificate.idt', line: 4, message: /row "ContosoPatches" \(MsiPatchCertificate\.idt:4\) lists CN=.*expired on 2020-/ }],
    },
  ],
});
