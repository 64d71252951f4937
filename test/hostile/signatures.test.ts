// Hostile certificates and signatures through the engine and the language server: garbage DER,
// wrong OIDs, enormous certificates, digests of the wrong length. Each must be a finding
// (`invalid-certificate-file`, `invalid-patch-signature`) with its reason, never an exception,
// and the server must keep answering. Signature streams are the real ones of
// test/fixtures/packages/patch-sha256.msp with bytes changed in place (same length), found by
// the DER they hold; the parsers' own cases are in test/package/authenticode.test.ts and
// test/certificates.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CodeLensRequest, HoverRequest, type CodeLens, type Diagnostic, type Hover } from 'vscode-languageserver-protocol/node';
import { bufferByteSource } from '../../server/src/engine/package/byte-source';
import { openCompoundFile } from '../../server/src/engine/package/cfb';
import { INSPECT_REQUEST } from '../../server/src/lsp/server';
import { Editor, uriOf } from '../support/lsp-editor';
import { packageFixture } from '../support/packages';
import { fixture } from '../support/rule-tester';
import { Layout, rewriteMiniStream, wholeChainPackage } from './support/cfb-layout';
import { folderWith, removeFolders } from './support/folders';
import { describeMeasurement, MB, measure } from './support/measure';

after(removeFolders);

const CONTOSO_DER = fixture('certificates/contoso-patch-signing.cer');
const CONTOSO_PEM = fixture('certificates/contoso-patch-signing.pem').toString('latin1');

/** Where the `n`th (0-based) occurrence of `pattern` starts. */
function nth(bytes: Buffer, pattern: number[], n: number): number {
  let at = -1;
  for (let index = 0; index <= n; index++) {
    at = bytes.indexOf(Buffer.from(pattern), at + 1);
    assert.ok(at >= 0, `occurrence ${index} of ${Buffer.from(pattern).toString('hex')} is missing`);
  }
  return at;
}

// DER of the OIDs changed below (tag 06, length, value).
const OID = {
  rsaEncryption: [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
  sha256WithRsa: [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
  signedData: [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02],
  spcIndirectDataContent: [0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x04],
  spcSipInfo: [0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x1e],
  sha256: [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
  commonName: [0x06, 0x03, 0x55, 0x04, 0x03],
};
/** The last byte of an OID's value: changing it makes another OID of the same length. */
const lastByteOf = (bytes: Buffer, oid: number[], occurrence = 0): number => nth(bytes, oid, occurrence) + oid.length - 1;

// ---- Certificate files ------------------------------------------------------------------------

const derWith = (edit: (bytes: Buffer) => void): Buffer => {
  const bytes = Buffer.from(CONTOSO_DER);
  edit(bytes);
  return bytes;
};

const TEN_MB = 10 * MB;
const NOT_READ = (mib: string) => new RegExp(`the file is ${mib} MiB; certificate files are a few KiB, and files over 1 MiB are not read`);

/** Certificate files and what invalid-certificate-file must say of each. */
const CERTIFICATE_FILES: Record<string, { bytes: () => Buffer; reason: RegExp }> = {
  'garbage.cer': { bytes: () => Buffer.concat([Buffer.from([0x30, 0x82, 0x03, 0x00]), Buffer.from(Array.from({ length: 768 }, (_, i) => (i * 37 + 11) & 0xff))]), reason: /malformed DER: Too few bytes to read ASN\.1 value/ },
  'length-beyond-file.cer': { bytes: () => derWith((bytes) => bytes.writeUInt16BE(0xfff0, 2)), reason: /truncated: the certificate declares 65524 bytes but the file holds only \d+/ },
  'indefinite-lengths.cer': { bytes: () => Buffer.from([0x30, 0x80, 0x30, 0x80, 0x00, 0x00, 0x00, 0x00]), reason: /^(?![^]*X\.509[^]*X\.509)[^]*Certificate should have 3 parts, not 1/ },
  'nested-200000-deep.cer': { bytes: () => Buffer.concat(Array.from({ length: 200_000 }, () => Buffer.from([0x30, 0x80]))), reason: /malformed DER: ASN\.1 parsing error: Max depth exceeded/ },
  'padded-10mb.cer': { bytes: () => Buffer.concat([CONTOSO_DER, Buffer.alloc(TEN_MB, 0x41)]), reason: NOT_READ('10.0') },
  'sequence-10mb.cer': {
    bytes: () => {
      const bytes = Buffer.alloc(TEN_MB + 6);
      bytes.writeUInt8(0x30, 0);
      bytes.writeUInt8(0x84, 1);
      bytes.writeUInt32BE(TEN_MB, 2);
      for (let i = 6; i < bytes.length; i += 2) bytes.writeUInt16BE(0x3000, i);
      return bytes;
    },
    reason: NOT_READ('10.0'),
  },
  'base64-10mb.pem': { bytes: () => Buffer.from(`-----BEGIN CERTIFICATE-----\n${'QUFB'.repeat(TEN_MB / 4)}\n-----END CERTIFICATE-----\n`), reason: NOT_READ('10.0') },
  'five-thousand.pem': { bytes: () => Buffer.from(CONTOSO_PEM.repeat(5000)), reason: NOT_READ('\\d+\\.\\d') },
};

/** Sparse files that claim gigabytes on disk (a SourceFile may name anything): never read. */
const SPARSE_CERTIFICATES: Record<string, { size: number; reason: RegExp }> = {
  'sparse-1900mb.cer': { size: 1900 * MB, reason: NOT_READ('1900.0') },
  'sparse-3gb.cer': { size: 3072 * MB, reason: NOT_READ('3072.0') },
};

/** Certificates with one OID changed that still parse: they are certificates, with another key or name type. */
const ODD_OIDS: Record<string, () => Buffer> = {
  'unknown-key-algorithm.cer': () => derWith((bytes) => void (bytes[lastByteOf(bytes, OID.rsaEncryption)] = 0x7f)),
  'unknown-signature-algorithm.cer': () => derWith((bytes) => void (bytes[lastByteOf(bytes, OID.sha256WithRsa)] = 0x7f)),
  'unknown-name-attribute.cer': () => derWith((bytes) => void (bytes[lastByteOf(bytes, OID.commonName)] = 0x7f)),
};

function certificateFolder(sparse: boolean): { folder: string; product: string; names: string[] } {
  const files: Record<string, Buffer> = {};
  for (const [name, { bytes }] of Object.entries(CERTIFICATE_FILES)) files[name] = bytes();
  for (const [name, bytes] of Object.entries(ODD_OIDS)) files[name] = bytes();
  const folder = folderWith(files);
  const names = [...Object.keys(files)];
  if (sparse) {
    for (const [name, { size }] of Object.entries(SPARSE_CERTIFICATES)) {
      fs.writeFileSync(path.join(folder, name), CONTOSO_DER);
      fs.truncateSync(path.join(folder, name), size);
      names.push(name);
    }
  }
  const product = [
    '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">',
    '  <Package Name="Hostile" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">',
    '    <PatchCertificates>',
    ...names.map((name, index) => `      <DigitalCertificate Id="C${index}" SourceFile="${name}" />`),
    '    </PatchCertificates>',
    '  </Package>',
    '</Wix>',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(folder, 'Product.wxs'), product);
  return { folder, product: path.join(folder, 'Product.wxs'), names };
}

/** The line of each name's DigitalCertificate in Product.wxs. */
const lineOfCertificate = (names: string[], name: string): number => 3 + names.indexOf(name);

describe('hostile certificate files named by DigitalCertificate/@SourceFile', () => {
  const sparse = process.platform !== 'win32';

  it('each is invalid-certificate-file with its reason; gigabyte files are not read; no exception', (t) => {
    const { folder, product, names } = certificateFolder(sparse);
    // A hover on each DigitalCertificate reads its certificate too.
    const hovers = names.map((name) => ({ file: product, line: lineOfCertificate(names, name), character: 8 }));
    const measured = measure('analyze', { roots: [folder], hovers });
    t.diagnostic(`${names.length} certificate files: ${describeMeasurement(measured)}`);
    assert.ok(measured.ms < 5_000, describeMeasurement(measured));
    // Files over 1 MiB are refused by their size, unread: 70 MB of them and two sparse gigabytes cost nothing.
    assert.ok(measured.peakRssGrowth < 32 * MB, describeMeasurement(measured));
    const findings = measured.value.findings.filter((finding) => finding.ruleId === 'invalid-certificate-file');
    const expected = { ...CERTIFICATE_FILES, ...(sparse ? SPARSE_CERTIFICATES : {}) };
    for (const [name, { reason }] of Object.entries(expected)) {
      const onLine = findings.filter((finding) => finding.line === lineOfCertificate(names, name));
      assert.equal(onLine.length, 1, `${name}: ${JSON.stringify(findings.map((finding) => [finding.line, finding.message]))}`);
      assert.match(onLine[0].message, reason, name);
      assert.doesNotMatch(onLine[0].message, /\.\./, `${name}: a reason ending in a period, followed by another`);
      assert.match(measured.value.hovers[names.indexOf(name)] ?? '', reason, `the hover on ${name}`);
    }
  });

  it('a certificate with an unknown key, signature or name OID is still read as the certificate it is', () => {
    const { folder, names } = certificateFolder(false);
    const shown = measure('analyze', { roots: [folder], hovers: Object.keys(ODD_OIDS).map((name) => ({ file: path.join(folder, 'Product.wxs'), line: lineOfCertificate(names, name), character: 8 })) }).value;
    for (const [index, name] of Object.keys(ODD_OIDS).entries()) {
      assert.deepEqual(shown.findings.filter((finding) => finding.line === lineOfCertificate(names, name)).map((finding) => finding.ruleId), [], name);
      // The hover shows what was read: the subject, with the changed attribute as its dotted OID.
      assert.match(shown.hovers[index] ?? '', name === 'unknown-name-attribute.cer' ? /2\.5\.4\.127=Contoso Patch Signing/ : /CN=Contoso Patch Signing/, name);
    }
  });
});

// ---- Patch signatures -------------------------------------------------------------------------

/** patch-sha256.msp with its signature stream's bytes changed in place. */
function patchWithSignature(edit: (signature: Buffer) => void): Buffer {
  const original = packageFixture('patch-sha256.msp');
  const file = openCompoundFile(bufferByteSource(original));
  const signature = Buffer.from(file.readStream(file.rootChild('\u0005DigitalSignature')!));
  edit(signature);
  const layout = new Layout(Buffer.from(original));
  rewriteMiniStream(layout, '\u0005DigitalSignature', signature);
  return layout.bytes;
}

/** Damaged signatures of a patch whose target (product-trusting.msi) lists its signer: each must be invalid-patch-signature. */
const SIGNATURES: Record<string, { edit: (signature: Buffer) => void; reason: RegExp }> = {
  'garbage-der.msp': {
    edit: (signature) => signature.forEach((_, index) => (signature[index] = (index * 131 + 7) & 0xff)),
    reason: /the signature is not valid DER/,
  },
  'length-4gb.msp': {
    edit: (signature) => {
      signature[1] = 0x84;
      signature.writeUInt32BE(0xffffff00, 2);
    },
    reason: /the signature is not valid DER: the signature declares 4294967040 bytes but only \d+ follow/,
  },
  'certificate-length-64kb.msp': {
    // The [0] certificates field: its two length bytes say 65535.
    edit: (signature) => signature.writeUInt16BE(0xffff, nth(signature, [0xa0, 0x82], 0) + 2),
    reason: /the signature is not valid DER: a part of the signature \(PKCS#7 ContentInfo\) declares 65535 bytes/,
  },
  'not-signed-data.msp': { edit: (signature) => void (signature[lastByteOf(signature, OID.signedData)] = 0x01), reason: /the signature is not PKCS#7 SignedData \(its content type is 1\.2\.840\.113549\.1\.7\.1\)/ },
  'not-indirect-data.msp': { edit: (signature) => void (signature[lastByteOf(signature, OID.spcIndirectDataContent)] = 0x0f), reason: /the signed content is not Authenticode's SpcIndirectDataContent \(its type is 1\.3\.6\.1\.4\.1\.311\.2\.1\.15\)/ },
  'not-msi-sip.msp': { edit: (signature) => void (signature[lastByteOf(signature, OID.spcSipInfo)] = 0x1f), reason: /its data type is 1\.3\.6\.1\.4\.1\.311\.2\.1\.31, not SpcSipInfo/ },
  // The second SHA-256 OID is the DigestInfo's (after SignedData's digestAlgorithms); the third the signer's.
  'digest-says-sha512.msp': { edit: (signature) => void (signature[lastByteOf(signature, OID.sha256, 1)] = 0x03), reason: /the signed content digest is 32 bytes, but a SHA-512 digest is 64/ },
  'digest-unknown.msp': { edit: (signature) => void (signature[lastByteOf(signature, OID.sha256, 1)] = 0x7f), reason: /the content digest uses the unknown digest algorithm 2\.16\.840\.1\.101\.3\.4\.2\.127, which is not supported/ },
  'signer-digest-sha512.msp': { edit: (signature) => void (signature[lastByteOf(signature, OID.sha256, 2)] = 0x03), reason: /message digest does not match the signed content/ },
  'signer-key-unknown.msp': { edit: (signature) => void (signature[lastByteOf(signature, OID.rsaEncryption)] = 0x7f), reason: /the signer's signature could not be checked/ },
  'cut-short.msp': { edit: (signature) => signature.fill(0, signature.length - 300), reason: /the signature is not valid DER: a part of the signer's SignerInfo is truncated/ },
};

function signatureFolder(): string {
  const files: Record<string, Buffer> = { 'product-trusting.msi': packageFixture('product-trusting.msi') };
  for (const [name, { edit }] of Object.entries(SIGNATURES)) files[name] = patchWithSignature(edit);
  return folderWith(files);
}

describe('hostile patch signatures', () => {
  it('each is invalid-patch-signature with its reason, within a second each', (t) => {
    const folder = signatureFolder();
    const measured = measure('readPackagesThenAnalyze', { roots: [folder], inspect: Object.keys(SIGNATURES).map((name) => path.join(folder, name)) });
    const count = Object.keys(SIGNATURES).length;
    t.diagnostic(`${count} patches: ${describeMeasurement(measured)}`);
    assert.ok(measured.ms < count * 1_000, describeMeasurement(measured));
    assert.ok(measured.peakRssGrowth < 32 * MB, describeMeasurement(measured));
    for (const [index, [name, { reason }]] of Object.entries(SIGNATURES).entries()) {
      const findings = measured.value.findings.filter((finding) => finding.file === path.join(folder, name));
      assert.deepEqual(findings.map((finding) => finding.ruleId), ['invalid-patch-signature'], name);
      assert.match(findings[0].message, reason, name);
      assert.ok(measured.value.inspections[index] && 'tables' in measured.value.inspections[index]!, `${name}: the package view shows its tables`);
    }
    // The unchanged patch is valid: the damage is what each finding is about.
    const intact = folderWith({ 'product-trusting.msi': packageFixture('product-trusting.msi'), 'patch-sha256.msp': packageFixture('patch-sha256.msp') });
    assert.deepEqual(measure('analyze', { roots: [intact] }).value.findings.map((finding) => finding.ruleId), []);
  });

  it('a 10 MB CertData in a package: read within the limits, refused as a certificate, within a second', (t) => {
    const folder = folderWith({});
    const file = path.join(folder, 'certdata-10mb.msi');
    const { writes, fileSize } = wholeChainPackage(packageFixture('product-trusting.msi'), 'MsiDigitalCertificate.ContosoPatchSigning', TEN_MB, TEN_MB + 2 * MB);
    const handle = fs.openSync(file, 'w');
    for (const { offset, bytes } of writes) fs.writeSync(handle, bytes, 0, bytes.length, offset);
    fs.ftruncateSync(handle, fileSize);
    fs.closeSync(handle);
    const measured = measure('readPackagesThenAnalyze', { roots: [folder] });
    t.diagnostic(`10 MB CertData: ${describeMeasurement(measured)}`);
    assert.ok(measured.ms < 1_000, describeMeasurement(measured));
    assert.ok(measured.peakRssGrowth < 4 * TEN_MB, describeMeasurement(measured));
    assert.deepEqual(measured.value.lenses.filter((lens) => lens.file === file).map((lens) => lens.title), ['UAC patching: not ready — no readable certificate in MsiDigitalCertificate']);
  });
});

// ---- Through the language server --------------------------------------------------------------

describe('the language server on hostile certificates and signatures', { timeout: 120_000 }, () => {
  let editor: Editor | undefined;
  after(() => editor?.kill());

  it('publishes every finding, answers hovers, code lenses and the package view, and shuts down cleanly', async () => {
    const { folder, product, names } = certificateFolder(process.platform !== 'win32');
    for (const [name, { edit }] of Object.entries(SIGNATURES)) fs.writeFileSync(path.join(folder, name), patchWithSignature(edit));
    fs.writeFileSync(path.join(folder, 'product-trusting.msi'), packageFixture('product-trusting.msi'));
    editor = Editor.start();
    await editor.initialize({ folder, capabilities: { textDocument: { hover: { contentFormat: ['markdown'] } }, window: { workDoneProgress: true } } });

    const certificateFindings = (diagnostics: Diagnostic[]) => diagnostics.filter((diagnostic) => diagnostic.code === 'invalid-certificate-file');
    const expectedCertificates = Object.keys(CERTIFICATE_FILES).length + (process.platform !== 'win32' ? Object.keys(SPARSE_CERTIFICATES).length : 0);
    await editor.latestDiagnostics(uriOf(product), `${expectedCertificates} invalid-certificate-file`, (diagnostics) => certificateFindings(diagnostics).length === expectedCertificates);
    for (const [name, { reason }] of Object.entries(SIGNATURES)) {
      const [diagnostic] = await editor.latestDiagnostics(uriOf(path.join(folder, name)), 'invalid-patch-signature', (diagnostics) => diagnostics.some((candidate) => candidate.code === 'invalid-patch-signature'));
      assert.match(String(diagnostic.message), reason, name);
    }
    for (const name of names) {
      const hover = await editor.request<Hover | null>(HoverRequest.type, { textDocument: { uri: uriOf(product) }, position: { line: lineOfCertificate(names, name), character: 8 } });
      assert.match(JSON.stringify(hover?.contents ?? null), /DigitalCertificate/, name);
    }
    const lenses = await editor.request<CodeLens[]>(CodeLensRequest.type, { textDocument: { uri: uriOf(product) } });
    assert.ok(lenses.length > 0);
    const view = await editor.request<{ error?: string; tables?: unknown[] }>({ method: INSPECT_REQUEST }, { uri: uriOf(path.join(folder, 'garbage-der.msp')) });
    assert.ok(view.tables && view.tables.length > 0, 'the package view of a patch with a broken signature shows its tables');
    assert.equal(await editor.stop(), 0);
  });
});
