// Our signature verdict on every signed fixture equals osslsigncode's, and so do the signer, the
// digest algorithm and the time of an RFC 3161 timestamp: always against what expected.json
// recorded, and live against `osslsigncode verify` when it is installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseCertificate } from '../../server/src/engine/certificates';
import { verifyPackageSignature, type PackageSignature } from '../../server/src/engine/package/authenticode';
import { bufferByteSource } from '../../server/src/engine/package/byte-source';
import { openCompoundFile } from '../../server/src/engine/package/cfb';

const packages = resolve(__dirname, '../../../test/fixtures/packages');

interface ExpectedPackage {
  kind: 'msi' | 'msp';
  signed?: boolean;
  osslsigncodeAtSigningTime?: { verdict: 'valid' | 'invalid'; contentDigestMatches: boolean };
  digestAlgorithm?: string;
  signer?: { certificate: string; sha1: string };
  /** osslsigncode's "Timestamp time" of an RFC 3161 timestamp, ISO 8601. */
  timestamp?: string;
  /** The timestamp authority's certificate, which osslsigncode is given as -TSA-CAfile. */
  timestampAuthority?: { certificate: string; sha1: string };
  storages?: string[];
}
const expected = JSON.parse(readFileSync(resolve(packages, 'expected.json'), 'utf8')) as Record<string, ExpectedPackage>;
const signedFixtures = Object.entries(expected).filter(([, want]) => want.signed);

const osslsigncodeMissing = spawnSync('osslsigncode', ['--version'], { encoding: 'utf8' }).error !== undefined;
const skipLive = osslsigncodeMissing ? 'osslsigncode is not installed (apt-get install osslsigncode)' : false;

function verify(name: string): PackageSignature {
  return verifyPackageSignature(openCompoundFile(bufferByteSource(readFileSync(resolve(packages, name)))));
}

/** The PEM next to a .cer that expected.json names. */
function pemOf(certificate: { certificate: string }): string {
  return resolve(packages, certificate.certificate.replace(/\.cer$/, '.pem'));
}

/** osslsigncode's "Timestamp time: Jun  1 00:05:00 2024 GMT" line, as a Date. */
function timestampTimeIn(output: string): Date | undefined {
  const line = /^\s*Timestamp time: (.+)$/m.exec(output);
  return line ? new Date(line[1]) : undefined;
}

/**
 * A moment inside the signer certificate's validity. Whether a certificate has expired is not a
 * signature failure here (Windows Installer judges it), so osslsigncode is asked about a time at
 * which the certificate was valid and its verdict is about the signature alone.
 */
function timeInsideValidity(pemPath: string): number {
  const parsed = parseCertificate(readFileSync(pemPath));
  if (!parsed.ok) assert.fail(`${pemPath}: ${parsed.reason}`);
  const { notBefore, notAfter } = parsed.certificate;
  return Math.floor((notBefore.getTime() + notAfter.getTime()) / 2 / 1000);
}

test('the fixtures include signed patches that osslsigncode accepts and rejects', () => {
  const verdicts = signedFixtures.map(([, want]) => want.osslsigncodeAtSigningTime?.verdict);
  assert.ok(verdicts.includes('valid') && verdicts.includes('invalid'), 'expected.json lost entries; rerun scripts/fixtures/make-packages.sh');
});

test('the signed fixtures include a product, a timestamp, an ECDSA signer, SHA-1 and a sub-storage', () => {
  const wants = signedFixtures.map(([, want]) => want);
  const lost = 'expected.json lost entries; rerun scripts/fixtures/make-packages.sh';
  assert.ok(wants.some((want) => want.kind === 'msi'), lost);
  assert.ok(wants.some((want) => want.timestamp !== undefined && want.timestampAuthority !== undefined), lost);
  assert.ok(wants.some((want) => want.digestAlgorithm === 'SHA1'), lost);
  assert.ok(wants.some((want) => (want.storages?.length ?? 0) > 0), lost);
  const keyTypes = wants.map((want) => new X509Certificate(readFileSync(resolve(packages, want.signer!.certificate))).publicKey.asymmetricKeyType);
  assert.ok(keyTypes.includes('rsa') && keyTypes.includes('ec'), lost);
});

describe('our verdict equals the one osslsigncode recorded in expected.json', () => {
  for (const [name, want] of signedFixtures) {
    test(name, () => {
      const signature = verify(name);
      assert.equal(signature.state, want.osslsigncodeAtSigningTime?.verdict, signature.problems.join('; '));
      assert.equal(signature.signer?.sha1, want.signer?.sha1);
      assert.equal(signature.digestAlgorithm, want.digestAlgorithm?.toLowerCase());
      assert.equal(signature.timestamp?.toISOString(), want.timestamp === undefined ? undefined : new Date(want.timestamp).toISOString());
      const digestMismatch = signature.problems.includes('the content digest does not match: the package changed after it was signed');
      assert.equal(digestMismatch, !want.osslsigncodeAtSigningTime?.contentDigestMatches);
    });
  }
});

describe('our verdict equals `osslsigncode verify` run now', () => {
  for (const [name, want] of signedFixtures) {
    test(name, { skip: skipLive }, () => {
      const pem = pemOf(want.signer!);
      // A timestamp authority is trusted for its timestamp only; whether a TSA is trusted is not
      // ours to judge, so osslsigncode is given this one to check the token's signature.
      const tsa = want.timestampAuthority ? ['-TSA-CAfile', pemOf(want.timestampAuthority)] : [];
      const run = spawnSync('osslsigncode', [
        'verify', '-CAfile', pem, ...tsa, '-time', String(timeInsideValidity(pem)), '-in', resolve(packages, name),
      ], { encoding: 'utf8' });
      const said = `osslsigncode said:\n${run.stdout}\n${run.stderr}`;
      const theirs = run.status === 0 ? 'valid' : 'invalid';
      const ours = verify(name);
      assert.equal(ours.state, theirs, `${said}\nwe said: ${ours.problems.join('; ')}`);
      assert.equal(ours.timestamp?.toISOString(), timestampTimeIn(run.stdout)?.toISOString(), said);
      if (want.timestampAuthority) assert.match(run.stdout, /^Timestamp Server Signature verification: ok$/m, said);
    });
  }

  test('an unsigned patch: osslsigncode finds no signature, we say unsigned', { skip: skipLive }, () => {
    const run = spawnSync('osslsigncode', ['verify', '-in', resolve(packages, 'patch-unsigned.msp')], { encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    assert.match(`${run.stdout}${run.stderr}`, /has no signature/);
    assert.equal(verify('patch-unsigned.msp').state, 'unsigned');
  });
});
