import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

// Compiled to out/test/package/: the fixtures stay in the source tree.
const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

// Sanity of the committed package fixtures (scripts/fixtures/make-packages.sh): expected.json
// describes files that exist, and what it records is consistent with the files next to it.
const packages = path.join(FIXTURES, 'packages');
const expected = JSON.parse(readFileSync(path.join(packages, 'expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;

interface SignedEntry {
  signed: true;
  osslsigncode: { verdict: 'valid' | 'invalid'; message: string; contentDigestMatches: boolean };
  osslsigncodeAtSigningTime: { verdict: 'valid' | 'invalid'; message: string; contentDigestMatches: boolean };
  digestAlgorithm: string;
  signer: { certificate: string; sha1: string };
}

const AGREED = [
  'product-trusting.msi',
  'product-no-certificates.msi',
  'product-lua-disabled.msi',
  'product-dangling.msi',
  'patch-unsigned.msp',
  'patch-sha256.msp',
  'patch-sha1.msp',
  'patch-sha256-dse.msp',
  'patch-northwind.msp',
  'patch-expired-signer.msp',
  'patch-tampered.msp',
  'patch-no-target.msp',
  // scripts/fixtures/make-signed-extras.sh
  'product-trusting-signed.msi',
  'patch-timestamped.msp',
  'patch-ecdsa.msp',
  'patch-with-transform.msp',
];

const HOSTILE = [
  'fat-cycle.msi',
  'sector-out-of-range.msi',
  'absurd-stream-size.msi',
  'truncated.msi',
  'directory-cycle.msi',
  'string-index-out-of-range.msi',
  'not-a-cfb.msi',
];

describe('package fixtures', () => {
  test('expected.json describes exactly the packages in the folder, all of the agreed ones', () => {
    const onDisk = readdirSync(packages).filter((name) => /\.ms[ip]$/.test(name)).sort();
    assert.deepEqual(Object.keys(expected).sort(), onDisk);
    assert.deepEqual(onDisk, [...AGREED].sort());
  });

  test('each package is a small compound file', () => {
    for (const name of AGREED) {
      const bytes = readFileSync(path.join(packages, name));
      assert.equal(bytes.subarray(0, 8).toString('hex'), 'd0cf11e0a1b11ae1', name);
      assert.ok(bytes.length < 64 * 1024, `${name} is ${bytes.length} bytes`);
    }
  });

  test('signed entries name an existing signer certificate whose SHA-1 is the recorded one', () => {
    for (const [name, entry] of Object.entries(expected)) {
      if (entry.signed !== true) continue;
      const signed = entry as unknown as SignedEntry;
      const certificate = path.join(packages, signed.signer.certificate);
      assert.ok(existsSync(certificate), `${name}: ${signed.signer.certificate}`);
      const fingerprint = new X509Certificate(readFileSync(certificate)).fingerprint.replace(/:/g, '');
      assert.equal(signed.signer.sha1, fingerprint, name);
      assert.match(signed.digestAlgorithm, /^SHA(1|256)$/, name);
      assert.match(signed.osslsigncode.verdict, /^(valid|invalid)$/, name);
    }
  });

  test('the verdicts cover valid, tampered and expired signatures, SHA-1 and SHA-256, with and without MsiDigitalSignatureEx', () => {
    const signed = (name: string) => expected[name] as unknown as SignedEntry;
    assert.equal(signed('patch-sha256.msp').osslsigncode.verdict, 'valid');
    assert.equal(signed('patch-sha1.msp').digestAlgorithm, 'SHA1');
    assert.equal(expected['patch-sha256-dse.msp'].msiDigitalSignatureEx, true);
    assert.equal(signed('patch-tampered.msp').osslsigncode.contentDigestMatches, false);
    assert.equal(signed('patch-expired-signer.msp').osslsigncode.verdict, 'invalid');
    assert.equal(signed('patch-expired-signer.msp').osslsigncodeAtSigningTime.verdict, 'valid');
    assert.equal(expected['patch-unsigned.msp'].signed, false);
  });

  test('the trusted signer is the committed contoso certificate', () => {
    const certificates = JSON.parse(readFileSync(path.join(FIXTURES, 'certificates', 'expected.json'), 'utf8'));
    const contoso = certificates['contoso-patch-signing.cer'].sha1;
    assert.equal((expected['patch-sha256.msp'] as unknown as SignedEntry).signer.sha1, contoso);
    assert.deepEqual(expected['product-trusting.msi'].digitalCertificates, { ContosoPatchSigning: { sha1: contoso } });
  });

  test('the exported .idt folder and the hostile files exist', () => {
    assert.ok(statSync(path.join(packages, 'product-trusting-idt', 'Property.idt')).isFile());
    for (const name of HOSTILE) assert.ok(statSync(path.join(packages, 'hostile', name)).isFile(), name);
  });
});
