import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { bufferByteSource } from '../../server/src/engine/package/byte-source';
import { type CfbEntry, type CompoundFile, openCompoundFile, UnreadablePackageError } from '../../server/src/engine/package/cfb';
import {
  type ContentDigest,
  type DigestAlgorithm,
  packageContentDigest,
  type PackageSignature,
  signatureBytes,
  verifyPackageSignature,
  verifySignatureBytes,
} from '../../server/src/engine/package/authenticode';

// Fixtures and expected.json come from scripts/fixtures/make-packages.sh and
// make-signed-extras.sh: osslsigncode signed them, and expected.json holds osslsigncode's
// verdicts and digests and openssl's thumbprints.
const fixtures = resolve(__dirname, '../../../test/fixtures');
const fixture = (relativePath: string): Buffer => readFileSync(resolve(fixtures, relativePath));

interface ExpectedPackage {
  signed?: boolean;
  msiDigitalSignatureEx?: boolean;
  osslsigncodeAtSigningTime?: { verdict: 'valid' | 'invalid'; contentDigestMatches: boolean };
  contentDigest?: string;
  digestAlgorithm?: string;
  signer?: { certificate: string; sha1: string };
  /** The RFC 3161 token's time as osslsigncode prints it ("Timestamp time"), ISO 8601. */
  timestamp?: string;
  /** Sub-storage names as libmsi lists them (`_Storages`). */
  storages?: string[];
}
const expected = JSON.parse(fixture('packages/expected.json').toString('utf8')) as Record<string, ExpectedPackage>;
/** The fixed signing time make-packages.sh passes to `osslsigncode sign -time`. */
const SIGNED_AT = '2024-06-01T00:00:00.000Z';
const CONTOSO_SHA1 = '354A27977B17FEC59A1B1B9A91B2CEA5B2CCCE11';

function open(name: string): CompoundFile {
  return openCompoundFile(bufferByteSource(fixture(`packages/${name}`)));
}

function verify(name: string): PackageSignature {
  return verifyPackageSignature(open(name));
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

describe('signed patches verify as osslsigncode verifies them', () => {
  for (const name of ['patch-sha256.msp', 'patch-sha1.msp', 'patch-sha256-dse.msp']) {
    test(name, () => {
      const want = expected[name];
      const signature = verify(name);
      assert.equal(signature.state, 'valid', signature.problems.join('; '));
      assert.deepEqual(signature.problems, []);
      assert.equal(signature.digestAlgorithm, want.digestAlgorithm?.toLowerCase());
      assert.equal(signature.signer?.sha1, want.signer?.sha1);
      assert.equal(signature.signer?.subject, 'CN=Contoso Patch Signing, O=Contoso Ltd, C=US');
      assert.deepEqual(signature.certificates.map((cert) => cert.sha1), [want.signer?.sha1]);
      assert.equal(signature.hasMsiDigitalSignatureEx, want.msiDigitalSignatureEx);
      assert.equal(signature.signingTime?.toISOString(), SIGNED_AT);
      assert.equal(signature.timestamp, undefined, 'the fixtures carry no timestamp');
    });
  }

  test('the computed content digest is the one osslsigncode reads from the signature', () => {
    for (const name of ['patch-sha256.msp', 'patch-sha1.msp', 'patch-sha256-dse.msp', 'patch-northwind.msp', 'patch-no-target.msp']) {
      const want = expected[name];
      const algorithm = want.digestAlgorithm?.toLowerCase() as DigestAlgorithm;
      const computed = packageContentDigest(open(name), algorithm);
      assert.equal(hex(computed.digest), want.contentDigest, name);
      assert.deepEqual(computed.problems, [], name);
    }
  });

  test('a signer the product may not trust still has a valid signature (trust is judged elsewhere)', () => {
    const signature = verify('patch-northwind.msp');
    assert.equal(signature.state, 'valid');
    assert.equal(signature.signer?.sha1, expected['patch-northwind.msp'].signer?.sha1);
    assert.equal(signature.signer?.subjectCommonName, 'Northwind Patch Signing');
  });

  test('an expired signer certificate is not a signature failure; its dates are reported', () => {
    const signature = verify('patch-expired-signer.msp');
    assert.equal(signature.state, 'valid', signature.problems.join('; '));
    assert.equal(signature.signer?.sha1, expected['patch-expired-signer.msp'].signer?.sha1);
    assert.equal(signature.signer?.notAfter.toISOString(), '2021-12-31T23:59:59.000Z');
    assert.equal(signature.signingTime?.toISOString(), '2020-06-01T00:00:00.000Z');
  });
});

describe('packages that are not signed as they claim', () => {
  test('a patch changed after signing has a content digest mismatch, and its signer is still named', () => {
    const signature = verify('patch-tampered.msp');
    assert.equal(signature.state, 'invalid');
    assert.deepEqual(signature.problems, ['the content digest does not match: the package changed after it was signed']);
    assert.equal(signature.signer?.sha1, CONTOSO_SHA1);
    assert.notEqual(hex(packageContentDigest(open('patch-tampered.msp'), 'sha256').digest), expected['patch-tampered.msp'].contentDigest);
  });

  test('a package without a DigitalSignature stream is unsigned, not invalid', () => {
    for (const name of ['patch-unsigned.msp', 'product-trusting.msi']) {
      const signature = verify(name);
      assert.equal(signature.state, 'unsigned', name);
      assert.deepEqual(signature.problems, [], name);
      assert.equal(signature.signer, undefined, name);
      assert.deepEqual(signature.certificates, [], name);
      assert.equal(signatureBytes(open(name)), undefined, name);
    }
  });

  test('a changed stream time in a package with MsiDigitalSignatureEx breaks the pre-hash and the content digest', () => {
    const file = open('patch-sha256-dse.msp');
    const summary = file.rootChild('\u0005SummaryInformation')!;
    const changed = withEntry(file, summary, { modified: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]) });
    const signature = verifyPackageSignature(changed);
    assert.equal(signature.state, 'invalid');
    assert.deepEqual(signature.problems, [
      'the MsiDigitalSignatureEx pre-hash does not match: stream names, sizes or timestamps in the package changed after it was signed',
      'the content digest does not match: the package changed after it was signed',
    ]);
  });

  test('the same metadata change is invisible to a signature without MsiDigitalSignatureEx', () => {
    const file = open('patch-sha256.msp');
    const summary = file.rootChild('\u0005SummaryInformation')!;
    const signature = verifyPackageSignature(withEntry(file, summary, { modified: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]) }));
    assert.equal(signature.state, 'valid', signature.problems.join('; '));
  });

  test('an MsiDigitalSignatureEx stream of the wrong size is named', () => {
    const file = open('patch-sha256-dse.msp');
    const prehash = file.rootChild('\u0005MsiDigitalSignatureEx')!;
    const signature = verifyPackageSignature(withStreamBytes(file, prehash, new Uint8Array(20)));
    assert.equal(signature.state, 'invalid');
    assert.equal(signature.problems[0], 'the MsiDigitalSignatureEx stream holds 20 bytes, not the 32-byte SHA-256 pre-hash the signature needs');
  });

  test('a storage where the signature stream belongs', () => {
    const file = open('patch-sha256.msp');
    const entry = file.rootChild('\u0005DigitalSignature')!;
    const signature = verifyPackageSignature(withEntry(file, entry, { kind: 'storage' }));
    assert.equal(signature.state, 'invalid');
    assert.deepEqual(signature.problems, ['the package holds a storage named DigitalSignature where the signature stream belongs']);
  });

  test('a signature stream over 1 MiB is not read', () => {
    const file = open('patch-sha256.msp');
    const entry = file.rootChild('\u0005DigitalSignature')!;
    const signature = verifyPackageSignature(withEntry(file, entry, { size: 5_000_000 }));
    assert.equal(signature.state, 'invalid');
    assert.deepEqual(signature.problems, ['the signature stream is 5000000 bytes; signatures are a few KiB, and streams over 1048576 bytes are not read']);
  });

  test('a stream that cannot be read while hashing makes the signature invalid with the reader\'s reason', () => {
    const file = open('patch-sha256.msp');
    const broken: CompoundFile = {
      ...view(file),
      streamChunks(entry) {
        if (entry.name !== '\u0005SummaryInformation') return file.streamChunks(entry);
        throw new UnreadablePackageError('sector chain loop in stream SummaryInformation (sector 3 comes back)');
      },
    };
    const signature = verifyPackageSignature(broken);
    assert.equal(signature.state, 'invalid');
    assert.deepEqual(signature.problems, [
      'the package could not be read to compute its content digest: sector chain loop in stream SummaryInformation (sector 3 comes back)',
    ]);
  });
});

describe('a signed product whose stream names sort differently byte-wise than by code unit', () => {
  const name = 'product-trusting-signed.msi';

  test('the fixture pins the order: its root sorts one way by bytes and another by UTF-16 code unit', () => {
    // Authenticode sorts by memcmp of the UTF-16LE names with their terminators. Table streams
    // (0x4840…) and the binary-cell stream (0x4596…) order differently by code unit.
    const names = open(name).root.children
      .filter((child) => !['\u0005DigitalSignature', '\u0005MsiDigitalSignatureEx'].includes(child.name))
      .map((child) => child.nameBytes);
    const byBytes = [...names].sort((a, b) => Buffer.compare(Buffer.concat([a, Buffer.alloc(2)]), Buffer.concat([b, Buffer.alloc(2)])));
    const units = (bytes: Uint8Array): number[] => Array.from({ length: bytes.length / 2 }, (_, i) => bytes[2 * i] | (bytes[2 * i + 1] << 8));
    const byUnits = [...names].sort((a, b) => {
      const [left, right] = [units(a), units(b)];
      for (let i = 0; i < Math.min(left.length, right.length); i++) if (left[i] !== right[i]) return left[i] - right[i];
      return left.length - right.length;
    });
    assert.notDeepEqual(byBytes.map(hex), byUnits.map(hex));
  });

  test('its content digest is the one osslsigncode computed, so the byte-wise order is the one used', () => {
    const computed = packageContentDigest(open(name), 'sha256');
    assert.equal(hex(computed.digest), expected[name].contentDigest);
    assert.deepEqual(computed.problems, []);
  });

  test('it verifies, signed by contoso', () => {
    const signature = verify(name);
    assert.equal(signature.state, 'valid', signature.problems.join('; '));
    assert.equal(signature.signer?.sha1, expected[name].signer?.sha1);
    assert.equal(signature.digestAlgorithm, expected[name].digestAlgorithm?.toLowerCase());
    assert.equal(signature.hasMsiDigitalSignatureEx, false);
    assert.equal(signature.signingTime?.toISOString(), SIGNED_AT);
  });
});

describe('a patch with an RFC 3161 timestamp', () => {
  const name = 'patch-timestamped.msp';
  const stored = (): Buffer => Buffer.from(signatureBytes(open(name))!);
  const storedDigest = (): ContentDigest => ({ digest: Buffer.from(expected[name].contentDigest!, 'hex'), problems: [] });

  test('our timestamp is the time of the timestamp authority, as osslsigncode reads it', () => {
    const signature = verify(name);
    assert.equal(signature.state, 'valid', signature.problems.join('; '));
    assert.ok(expected[name].timestamp, 'expected.json records the timestamp');
    assert.equal(signature.timestamp?.toISOString(), new Date(expected[name].timestamp!).toISOString());
    // The signer's own clock is another attribute, five minutes earlier.
    assert.equal(signature.signingTime?.toISOString(), SIGNED_AT);
    assert.notEqual(signature.timestamp?.getTime(), signature.signingTime?.getTime());
    assert.equal(signature.signer?.sha1, expected[name].signer?.sha1);
    assert.equal(hex(packageContentDigest(open(name), 'sha256').digest), expected[name].contentDigest);
  });

  test('a changed time in the token breaks the timestamp authority\'s message digest', () => {
    const signedTime = Buffer.from(expected[name].timestamp!.replace(/[-:T]/g, '')); // the GeneralizedTime "20240601000500Z"
    const changedTime = Buffer.from(signedTime);
    changedTime[11] ^= 1; // minute 05 → 04
    const verdict = verifySignatureBytes(replaceOnce(stored(), signedTime, changedTime), storedDigest);
    assert.equal(verdict.state, 'invalid');
    assert.deepEqual(verdict.problems, ['the RFC 3161 timestamp\'s message digest does not match the signed content: the signature was altered']);
  });

  test('a changed timestamp signature value is caught', () => {
    // The token is the signature's last attribute, and its signature value the token's last field.
    const bytes = stored();
    bytes[bytes.length - 1] ^= 1;
    const verdict = verifySignatureBytes(bytes, storedDigest);
    assert.deepEqual(verdict.problems, [
      'the RFC 3161 timestamp\'s signature does not verify with the public key of its certificate: the signature was altered or made with another key',
    ]);
  });

  test('a token made for another signature value is named', () => {
    // The token's message imprint is the SHA-256 of the signer's signature value: find that value.
    const bytes = stored();
    const octetString256 = Buffer.from([0x04, 0x82, 0x01, 0x00]);
    let valueAt = -1;
    for (let at = bytes.indexOf(octetString256); at >= 0; at = bytes.indexOf(octetString256, at + 1)) {
      const imprint = createHash('sha256').update(bytes.subarray(at + 4, at + 4 + 256)).digest();
      if (bytes.includes(imprint)) valueAt = at + 4;
    }
    assert.ok(valueAt > 0, 'the signer\'s 256-byte RSA signature value whose hash the token holds');
    bytes[valueAt + 100] ^= 1;
    assert.deepEqual(verifySignatureBytes(bytes, storedDigest).problems, [
      'the signer\'s signature does not verify with the public key of its certificate: the signature was altered or made with another key',
      'the RFC 3161 timestamp was made for a different signature: its message imprint does not match this signature',
    ]);
  });
});

describe('a patch signed with an ECDSA P-256 key', () => {
  const name = 'patch-ecdsa.msp';

  test('verifies as osslsigncode verifies it', () => {
    const signature = verify(name);
    assert.equal(signature.state, 'valid', signature.problems.join('; '));
    assert.equal(signature.signer?.sha1, expected[name].signer?.sha1);
    assert.equal(signature.signer?.subjectCommonName, 'Contoso ECDSA Patch Signing');
    assert.equal(signature.digestAlgorithm, expected[name].digestAlgorithm?.toLowerCase());
    const key = new X509Certificate(signature.signer!.der).publicKey;
    assert.equal(key.asymmetricKeyType, 'ec');
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(hex(packageContentDigest(open(name), 'sha256').digest), expected[name].contentDigest);
  });

  test('a changed ECDSA signature value is caught', () => {
    // The DER ECDSA-Sig-Value is the SignerInfo's last field: its last byte is the end of s.
    const bytes = Buffer.from(signatureBytes(open(name))!);
    bytes[bytes.length - 1] ^= 1;
    const verdict = verifySignatureBytes(bytes, () => ({ digest: Buffer.from(expected[name].contentDigest!, 'hex'), problems: [] }));
    assert.deepEqual(verdict.problems, [
      'the signer\'s signature does not verify with the public key of its certificate: the signature was altered or made with another key',
    ]);
  });
});

describe('a patch with a sub-storage, signed with MsiDigitalSignatureEx', () => {
  const name = 'patch-with-transform.msp';
  const subStorage = (file: CompoundFile): CfbEntry => {
    const storages = file.root.children.filter((child) => child.kind === 'storage');
    assert.deepEqual(storages.map((storage) => storage.name), expected[name].storages, 'the sub-storages libmsi lists');
    return storages[0];
  };

  test('verifies, and its content digest (sub-storage included) is the one osslsigncode computed', () => {
    const signature = verify(name);
    assert.equal(signature.state, 'valid', signature.problems.join('; '));
    assert.equal(signature.hasMsiDigitalSignatureEx, true);
    assert.equal(signature.signer?.sha1, expected[name].signer?.sha1);
    const computed = packageContentDigest(open(name), 'sha256');
    assert.equal(hex(computed.digest), expected[name].contentDigest);
    assert.deepEqual(computed.problems, []);
    assert.ok(subStorage(open(name)).children.length > 0);
  });

  test('a changed stream inside the sub-storage breaks the content digest only', () => {
    const file = open(name);
    const inner = subStorage(file).children.find((child) => child.kind === 'stream' && child.size > 0)!;
    const changed = Buffer.from(file.readStream(inner));
    changed[0] ^= 1; // same size: the pre-hash, which sees sizes and not contents, stays right
    const signature = verifyPackageSignature({
      ...view(file),
      readStream: (entry, limit) => (entry === inner ? changed : file.readStream(entry, limit)),
      streamChunks: (entry) => (entry === inner ? [changed] : file.streamChunks(entry)),
    });
    assert.deepEqual(signature.problems, ['the content digest does not match: the package changed after it was signed']);
  });

  test('a changed sub-storage CLSID breaks the pre-hash and the content digest', () => {
    const file = open(name);
    const storage = subStorage(file);
    // libmsi leaves the storage's CLSID all zeros; give it the transform CLSID {000C1082-…} instead.
    assert.equal(hex(storage.clsid), '00000000000000000000000000000000');
    const transformClsid = Buffer.from('82100C0000000000C000000000000046', 'hex');
    const signature = verifyPackageSignature(withEntry(file, storage, { clsid: transformClsid }));
    assert.deepEqual(signature.problems, [
      'the MsiDigitalSignatureEx pre-hash does not match: stream names, sizes or timestamps in the package changed after it was signed',
      'the content digest does not match: the package changed after it was signed',
    ]);
  });

  test('a changed sub-storage time breaks the pre-hash and the content digest', () => {
    const file = open(name);
    const signature = verifyPackageSignature(withEntry(file, subStorage(file), { modified: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]) }));
    assert.deepEqual(signature.problems, [
      'the MsiDigitalSignatureEx pre-hash does not match: stream names, sizes or timestamps in the package changed after it was signed',
      'the content digest does not match: the package changed after it was signed',
    ]);
  });
});

describe('the PKCS#7 layer on its own', () => {
  const stored = Buffer.from(signatureBytes(open('patch-sha256.msp'))!);
  const storedDigest = Buffer.from(expected['patch-sha256.msp'].contentDigest!, 'hex');
  const rightDigest = (algorithm: DigestAlgorithm): ContentDigest => {
    assert.equal(algorithm, 'sha256');
    return { digest: storedDigest, problems: [] };
  };
  const problemsOf = (bytes: Uint8Array, digest = rightDigest): string[] => {
    const verdict = verifySignatureBytes(bytes, digest);
    assert.equal(verdict.state, verdict.problems.length === 0 ? 'valid' : 'invalid');
    return verdict.problems;
  };

  test('the stored stream is the DER signature, and verifies against osslsigncode\'s content digest', () => {
    assert.equal(stored[0], 0x30);
    assert.deepEqual(problemsOf(stored), []);
  });

  test('another content digest is a mismatch', () => {
    assert.deepEqual(problemsOf(stored, () => ({ digest: Buffer.alloc(32, 7), problems: [] })),
      ['the content digest does not match: the package changed after it was signed']);
  });

  test('garbage is reported, never thrown', () => {
    assert.deepEqual(problemsOf(new Uint8Array(0)), ['the signature stream is empty']);
    assert.match(problemsOf(Buffer.from('not a signature at all'))[0], /^the signature is not valid DER|^the signature is malformed/);
    for (let length = 1; length < stored.length; length += 97) {
      const problems = problemsOf(stored.subarray(0, length));
      assert.equal(problems.length, 1, `cut at ${length}`);
      assert.match(problems[0], /^the signature is not valid DER: .*(truncated|declares \d+ bytes but only \d+ follow)/, `cut at ${length}`);
    }
  });

  test('a change to any byte the signature covers makes it invalid', () => {
    // Only unsigned bookkeeping may change without notice: SignedData's version and digest
    // algorithm list (before the signed content's type), the embedded certificate (whose
    // thumbprint is what trust is judged on), and the SignerInfo's version.
    const contentTypeAt = stored.indexOf(oidDer('1.3.6.1.4.1.311.2.1.4'));
    const certificate = fixture('certificates/contoso-patch-signing.cer');
    const certificateAt = stored.indexOf(certificate);
    const signerVersionAt = stored.indexOf(Buffer.from([0x02, 0x01, 0x01]), certificateAt + certificate.length);
    assert.ok(contentTypeAt > 0 && certificateAt > contentTypeAt && signerVersionAt > certificateAt);
    const unsigned = (offset: number): boolean => (offset >= 20 && offset < contentTypeAt - 2)
      || (offset >= certificateAt && offset < certificateAt + certificate.length)
      || (offset >= signerVersionAt && offset < signerVersionAt + 3);
    const unnoticed: number[] = [];
    for (let offset = 0; offset < stored.length; offset++) {
      const bytes = Buffer.from(stored);
      bytes[offset] ^= 0x5a;
      const verdict = verifySignatureBytes(bytes, rightDigest);
      assert.equal(verdict.state === 'invalid', verdict.problems.length > 0, `offset ${offset}`);
      if (verdict.state === 'valid' && !unsigned(offset)) unnoticed.push(offset);
    }
    assert.deepEqual(unnoticed, []);
  });

  test('trailing bytes after the signature are named', () => {
    assert.deepEqual(problemsOf(Buffer.concat([stored, Buffer.from('junk')])), ['4 unexpected bytes follow the PKCS#7 signature in the signature stream']);
    assert.deepEqual(problemsOf(Buffer.concat([stored, Buffer.alloc(8)])), [], 'zero padding is tolerated');
  });

  test('a ContentInfo that is not SignedData', () => {
    const bytes = replaceOnce(stored, oidDer('1.2.840.113549.1.7.2'), oidDer('1.2.840.113549.1.7.1'));
    assert.deepEqual(problemsOf(bytes), ['the signature is not PKCS#7 SignedData (its content type is 1.2.840.113549.1.7.1)']);
  });

  test('signed content that is not SpcIndirectDataContent', () => {
    const bytes = replaceOnce(stored, oidDer('1.3.6.1.4.1.311.2.1.4'), oidDer('1.3.6.1.4.1.311.2.1.9'));
    assert.deepEqual(problemsOf(bytes), ['the signed content is not Authenticode\'s SpcIndirectDataContent (its type is 1.3.6.1.4.1.311.2.1.9)']);
  });

  test('a signature made for another subject interface package (not the MSI one)', () => {
    const msiSip = Buffer.from('F1100C0000000000C000000000000046', 'hex');
    const cabSip = Buffer.from('F1100C0000000000C000000000000047', 'hex');
    assert.deepEqual(problemsOf(replaceOnce(stored, msiSip, cabSip)), [
      'the signature is not for a Windows Installer package: it names the subject interface package {000C10F1-0000-0000-C000-000000000047}, not the MSI one {000C10F1-0000-0000-C000-000000000046}',
    ]);
  });

  test('a DigestInfo whose algorithm does not fit its digest length', () => {
    // SHA-256's OID appears in SignedData.digestAlgorithms, then in the DigestInfo, then in the SignerInfo.
    const bytes = replaceNth(stored, oidDer('2.16.840.1.101.3.4.2.1'), oidDer('2.16.840.1.101.3.4.2.3'), 1);
    const verdict = verifySignatureBytes(bytes, () => assert.fail('no digest is computed for a malformed DigestInfo'));
    assert.equal(verdict.digestAlgorithm, 'sha512');
    assert.deepEqual(verdict.problems, [
      'the signed content digest is 32 bytes, but a SHA-512 digest is 64',
      // The edit is inside the signed SpcIndirectDataContent, so the signer's digest no longer fits it either.
      'the signer\'s message digest does not match the signed content: the signature was altered',
    ]);
  });

  test('an unsupported or unknown digest algorithm', () => {
    const noDigest = (): ContentDigest => assert.fail('no digest is computed with an unsupported algorithm');
    const sha224 = replaceNth(stored, oidDer('2.16.840.1.101.3.4.2.1'), oidDer('2.16.840.1.101.3.4.2.4'), 1);
    assert.equal(problemsOf(sha224, noDigest)[0],
      'the content digest uses SHA-224 (2.16.840.1.101.3.4.2.4), which is not supported (SHA-1, SHA-256, SHA-384 and SHA-512 are)');
    const unknown = replaceNth(stored, oidDer('2.16.840.1.101.3.4.2.1'), oidDer('2.16.840.1.101.3.4.2.99'), 1);
    const verdict = verifySignatureBytes(unknown, noDigest);
    assert.equal(verdict.digestAlgorithm, '2.16.840.1.101.3.4.2.99');
    assert.equal(verdict.problems[0],
      'the content digest uses the unknown digest algorithm 2.16.840.1.101.3.4.2.99, which is not supported (SHA-1, SHA-256, SHA-384 and SHA-512 are)');
    const signerSha224 = replaceNth(stored, oidDer('2.16.840.1.101.3.4.2.1'), oidDer('2.16.840.1.101.3.4.2.4'), 2);
    assert.deepEqual(problemsOf(signerSha224),
      ['the signer uses SHA-224 (2.16.840.1.101.3.4.2.4), which is not supported (SHA-1, SHA-256, SHA-384 and SHA-512 are)']);
  });

  test('a changed authenticated attribute breaks the RSA signature', () => {
    // The signingTime attribute: UTCTime "240601000000Z" → "250601000000Z".
    const bytes = replaceOnce(stored, Buffer.from('240601000000Z'), Buffer.from('250601000000Z'));
    const verdict = verifySignatureBytes(bytes, rightDigest);
    assert.equal(verdict.signingTime?.toISOString(), '2025-06-01T00:00:00.000Z');
    assert.deepEqual(verdict.problems, [
      'the signer\'s signature does not verify with the public key of its certificate: the signature was altered or made with another key',
    ]);
  });

  test('a changed signature value', () => {
    const bytes = Buffer.from(stored);
    bytes[bytes.length - 1] ^= 1; // the encrypted digest is the SignerInfo's last field
    assert.deepEqual(problemsOf(bytes), [
      'the signer\'s signature does not verify with the public key of its certificate: the signature was altered or made with another key',
    ]);
  });

  test('a signer whose certificate is not embedded', () => {
    const signature = verifyPackageSignature(open('patch-sha256.msp'));
    const serial = Buffer.from(signature.signer!.serialNumber, 'hex');
    // The serial appears in the certificate, then in the SignerInfo's issuerAndSerialNumber.
    const bytes = replaceNth(stored, serial, Buffer.from(serial).fill(0x42, serial.length - 1), 1);
    const verdict = verifySignatureBytes(bytes, rightDigest);
    assert.equal(verdict.signer, undefined);
    assert.equal(verdict.certificates.length, 1);
    assert.deepEqual(verdict.problems, ['the signer\'s certificate is not embedded in the signature, so its signature cannot be checked']);
  });

  test('a content digest callback that throws becomes a problem', () => {
    assert.deepEqual(problemsOf(stored, () => { throw new Error('disk on fire'); }),
      ['the package could not be read to compute its content digest: disk on fire']);
  });

  test('SHA-1 signatures ask for a SHA-1 digest', () => {
    const sha1 = signatureBytes(open('patch-sha1.msp'))!;
    const asked: string[] = [];
    const verdict = verifySignatureBytes(sha1, (algorithm) => {
      asked.push(algorithm);
      return { digest: Buffer.from(expected['patch-sha1.msp'].contentDigest!, 'hex'), problems: [] };
    });
    assert.deepEqual(asked, ['sha1']);
    assert.equal(verdict.state, 'valid');
  });
});

/** DER of an OBJECT IDENTIFIER (arcs below 2^28, enough for the OIDs here). */
function oidDer(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const body: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const digits: number[] = [];
    let value = arc;
    do {
      digits.unshift(value & 0x7f);
      value = Math.floor(value / 128);
    } while (value > 0);
    body.push(...digits.map((digit, index) => (index < digits.length - 1 ? digit | 0x80 : digit)));
  }
  return Buffer.from([0x06, body.length, ...body]);
}

/** A copy with the n-th (0-based) occurrence of `from` replaced by `to` (same length, so the DER stays well-formed). */
function replaceNth(bytes: Uint8Array, from: Uint8Array, to: Uint8Array, n: number): Buffer {
  assert.equal(from.length, to.length);
  const copy = Buffer.from(bytes);
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = copy.indexOf(from, at + 1);
    assert.ok(at >= 0, `occurrence ${i} of ${hex(from)} not found`);
  }
  copy.set(to, at);
  return copy;
}

function replaceOnce(bytes: Uint8Array, from: Uint8Array, to: Uint8Array): Buffer {
  return replaceNth(bytes, from, to, 0);
}

/** The file's members as a plain object, so a test can replace some of them. */
function view(file: CompoundFile): CompoundFile {
  return {
    root: file.root,
    majorVersion: file.majorVersion,
    readStream: (entry, limit) => file.readStream(entry, limit),
    streamChunks: (entry) => file.streamChunks(entry),
    rootChild: (name) => file.rootChild(name),
    describe: (entry) => file.describe(entry),
  };
}

/** The same package with one directory entry's metadata changed, as a rewritten directory would read. */
function withEntry(file: CompoundFile, target: CfbEntry, change: Partial<CfbEntry>): CompoundFile {
  const changed = { ...target, ...change };
  const swap = (entry: CfbEntry): CfbEntry => (entry === target ? changed : entry);
  const root = { ...file.root, children: file.root.children.map(swap) };
  const original = (entry: CfbEntry): CfbEntry => (entry === changed ? target : entry);
  return {
    ...view(file),
    root,
    rootChild: (name) => {
      const entry = file.rootChild(name);
      return entry && swap(entry);
    },
    readStream: (entry, limit) => {
      if (limit !== undefined && entry.size > limit) throw new UnreadablePackageError(`stream is ${entry.size} bytes`);
      return file.readStream(original(entry), limit);
    },
    streamChunks: (entry) => file.streamChunks(original(entry)),
  };
}

/** The same package with one stream's content replaced. */
function withStreamBytes(file: CompoundFile, target: CfbEntry, bytes: Uint8Array): CompoundFile {
  const changed: CfbEntry = { ...target, size: bytes.length };
  const view = withEntry(file, target, changed);
  return {
    ...view,
    readStream: (entry, limit) => (entry.name === target.name ? bytes : view.readStream(entry, limit)),
    streamChunks: (entry) => (entry.name === target.name ? [bytes] : view.streamChunks(entry)),
  };
}
