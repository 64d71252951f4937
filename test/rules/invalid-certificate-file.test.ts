import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, ruleTester, TestWorkspace, v3Product, v4Package } from '../support/rule-tester';

const certificate = (name: string) => fixture(`certificates/${name}`);
const CONTOSO_DER = certificate('contoso-patch-signing.cer');

const patchCertificates = (sourceFile: string, id = 'PatchSigning') =>
  `<PatchCertificates>\n  <DigitalCertificate Id="${id}" SourceFile="${sourceFile}" />\n</PatchCertificates>`;

const fragment = (inner: string) => `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Fragment>\n${inner.split('\n').map((line) => `    ${line}`).join('\n')}\n  </Fragment>\n</Wix>\n`;

/** The DER inside a PEM fixture: its Base64 lines decoded. */
const derOf = (pem: Buffer) => Buffer.from(pem.toString('ascii').replace(/-----[^-]+-----|\s/g, ''), 'base64');

const crlf = (text: string) => text.replace(/\n/g, '\r\n');
const utf16le = (text: string) => Buffer.from(`\uFEFF${text}`, 'utf16le');

ruleTester('invalid-certificate-file', {
  valid: [
    { name: 'a DER certificate (WiX v4)', files: { 'Product.wxs': v4Package(patchCertificates('Signing\\contoso.cer')), 'Signing/contoso.cer': CONTOSO_DER } },
    { name: 'a DER certificate with an ECDSA key', files: { 'Product.wxs': v4Package(patchCertificates('northwind.cer')), 'northwind.cer': certificate('northwind-ecdsa.cer') } },
    { name: 'a DER certificate with BMPString names (WiX v3)', files: { 'Product.wxs': v3Product(patchCertificates('tailspin.cer')), 'tailspin.cer': certificate('tailspin-bmp-names.cer') } },
    { name: 'a DER certificate saved as .crt', files: { 'Product.wxs': v3Product(patchCertificates('contoso.crt')), 'contoso.crt': CONTOSO_DER } },
    { name: 'an expired certificate is still a certificate (expired-patch-certificate reports it)', files: { 'Product.wxs': v4Package(patchCertificates('old.cer')), 'old.cer': certificate('expired-2020.cer') } },
    { name: 'a file that does not exist (missing-certificate-file reports it)', files: { 'Product.wxs': v4Package(patchCertificates('contoso.cer')) } },
    {
      name: 'a path from a variable defined nowhere in the sources',
      files: { 'Product.wxs': v4Package(patchCertificates('$(var.SigningDir)\\contoso.cer')), 'contoso.cer': certificate('not-a-certificate.cer') },
    },
    {
      name: 'a fragment nothing links naming a text file',
      files: { 'Product.wxs': v4Package('<MediaTemplate EmbedCab="yes" />'), 'Signing.wxs': fragment(patchCertificates('notes.cer')), 'notes.cer': certificate('not-a-certificate.cer') },
    },
    {
      name: 'a DER certificate named from an included .wxi in UTF-16 with CRLF',
      files: {
        'Product.wxs': v3Product('<?include Signing.wxi ?>'),
        'Signing.wxi': utf16le(crlf(`<?xml version="1.0" encoding="utf-16"?>\n<Include>\n${patchCertificates('contoso.cer')}\n</Include>\n`)),
        'contoso.cer': CONTOSO_DER,
      },
    },
  ],
  invalid: [
    {
      name: 'a text file, fixed by naming a certificate of the workspace',
      files: { 'Product.wxs': v4Package(patchCertificates('contoso.cer')), 'contoso.cer': certificate('not-a-certificate.cer'), 'Signing/contoso-patch-signing.cer': CONTOSO_DER },
      findings: [{ line: 4, message: /^contoso\.cer is not an X\.509 certificate: not DER or PEM: the file is text/ }],
      fix: { title: /^Use Signing\\contoso-patch-signing\.cer \(CN=Contoso Patch Signing\)$/, files: { 'Product.wxs': v4Package(patchCertificates('Signing\\contoso-patch-signing.cer')) } },
    },
    {
      name: 'a PEM certificate: WiX would store the Base64 text; the fix names its DER copy',
      files: { 'Product.wxs': v3Product(patchCertificates('Signing\\contoso.pem')), 'Signing/contoso.pem': certificate('contoso-patch-signing.pem'), 'Signing/contoso.cer': CONTOSO_DER },
      findings: [{ line: 5, message: /holds CN=Contoso Patch Signing as PEM .*openssl x509 -in contoso\.pem -outform der -out contoso\.cer/ }],
      fix: { title: /^Use Signing\\contoso\.cer \(CN=Contoso Patch Signing\)$/, files: { 'Product.wxs': v3Product(patchCertificates('Signing\\contoso.cer')) } },
    },
    { name: 'a PEM file holding only a private key', files: { 'Product.wxs': v4Package(patchCertificates('signing.pem')), 'signing.pem': certificate('private-key-only.pem') }, findings: [{ line: 4, message: /PEM PRIVATE KEY block, not a CERTIFICATE/ }] },
    { name: 'a certificate request', files: { 'Product.wxs': v4Package(patchCertificates('request.pem')), 'request.pem': certificate('certificate-request.pem') }, findings: [{ line: 4, message: /CERTIFICATE REQUEST/ }] },
    { name: 'a truncated DER file', files: { 'Product.wxs': v4Package(patchCertificates('contoso.cer')), 'contoso.cer': certificate('truncated.cer') }, findings: [{ line: 4, message: /truncated: the certificate declares 862 bytes but the file holds only 100/ }] },
    {
      name: 'a DER private key saved as .cer: a SEQUENCE, but not a certificate, said once',
      files: { 'Product.wxs': v4Package(patchCertificates('signing.cer')), 'signing.cer': derOf(certificate('private-key-only.pem')) },
      findings: [{ line: 4, message: /^signing\.cer is not an X\.509 certificate: (?!.*X\.509)[^.]+ has the wrong type\./ }],
    },
    { name: 'an empty file', files: { 'Product.wxs': v3Product(patchCertificates('contoso.cer')), 'contoso.cer': certificate('empty.cer') }, findings: [{ line: 5, message: /empty file/ }] },
    { name: 'a PKCS#7 bundle (.p7b)', files: { 'Product.wxs': v4Package(patchCertificates('contoso.p7b')), 'contoso.p7b': certificate('contoso-patch-signing.p7b') }, findings: [{ line: 4, message: /PKCS#7 bundle/ }] },
    { name: 'a key store (.pfx)', files: { 'Product.wxs': v4Package(patchCertificates('contoso.pfx')), 'contoso.pfx': certificate('contoso-patch-signing.pfx') }, findings: [{ line: 4, message: /PKCS#12 key store/ }] },
    {
      name: 'in a fragment linked through ComponentGroupRef, reported in the fragment',
      files: {
        'Product.wxs': v4Package('<Feature Id="Main">\n  <ComponentGroupRef Id="Signing" />\n</Feature>'),
        'Signing.wxs': fragment(`<ComponentGroup Id="Signing" />\n${patchCertificates('$(sys.SOURCEFILEDIR)keys\\contoso.cer')}`),
        'keys/contoso.cer': certificate('not-a-certificate.cer'),
      },
      findings: [{ file: 'Signing.wxs', line: 5, message: /^keys\\contoso\.cer is not an X\.509 certificate/ }],
    },
    {
      name: 'in an included .wxi in UTF-16 with CRLF, reported in the .wxi',
      files: {
        'Signing.wxi': utf16le(crlf(`<?xml version="1.0" encoding="utf-16"?>\n<Include>\n${patchCertificates('contoso.cer')}\n</Include>\n`)),
        'Product.wxs': v3Product('<?include Signing.wxi ?>'),
        'contoso.cer': certificate('truncated.cer'),
      },
      findings: [{ line: 4 }],
    },
    {
      name: 'inside an <?ifdef?> that cannot be decided, with the condition named',
      files: { 'Product.wxs': v4Package(`<?ifdef SignPatches ?>\n${patchCertificates('contoso.cer')}\n<?endif?>`), 'contoso.cer': certificate('empty.cer') },
      findings: [{ line: 5, message: /only when <\?ifdef SignPatches\?>/ }],
    },
  ],
});

describe('invalid-certificate-file fixes', () => {
  it('offer DER certificates only, current ones first, and prefer the DER copy of a PEM certificate', () => {
    const workspace = new TestWorkspace({
      'Product.wxs': v4Package(patchCertificates('Signing\\contoso.pem')),
      'Signing/contoso.pem': certificate('contoso-patch-signing.pem'),
      'Signing/a-expired.cer': certificate('expired-2020.cer'),
      'Signing/b-fabrikam.cer': certificate('fabrikam-release.cer'),
      'Signing/z-contoso.cer': CONTOSO_DER,
      'Signing/broken.cer': certificate('truncated.cer'),
    });
    const [finding] = workspace.findings('invalid-certificate-file');
    assert.ok(finding);
    const useFixes = finding.fixes.filter((fix) => fix.title.startsWith('Use '));
    assert.deepEqual(
      useFixes.map((fix) => fix.title),
      ['Use Signing\\z-contoso.cer (CN=Contoso Patch Signing)', 'Use Signing\\b-fabrikam.cer (CN=Fabrikam Ingeniería S.L.)', 'Use Signing\\a-expired.cer (CN=Contoso Expired Signing)'],
    );
    assert.deepEqual(useFixes.map((fix) => fix.isPreferred === true), [true, false, false]);
  });
});
