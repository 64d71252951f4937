// Our signature verdict on every signed fixture equals osslsigncode's: always against the verdicts
// recorded in expected.json, and live against `osslsigncode verify` when it is installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseCertificate } from '../../server/src/engine/certificates';
import { verifyPackageSignature, type PackageSignature } from '../../server/src/engine/package/authenticode';
import { bufferByteSource } from '../../server/src/engine/package/byte-source';
import { openCompoundFile } from '../../server/src/engine/package/cfb';

const packages = resolve(__dirname, '../../../test/fixtures/packages');

interface ExpectedPackage {
  signed?: boolean;
  osslsigncodeAtSigningTime?: { verdict: 'valid' | 'invalid'; contentDigestMatches: boolean };
  signer?: { certificate: string; sha1: string };
}
const expected = JSON.parse(readFileSync(resolve(packages, 'expected.json'), 'utf8')) as Record<string, ExpectedPackage>;
const signedFixtures = Object.entries(expected).filter(([, want]) => want.signed);

const osslsigncodeMissing = spawnSync('osslsigncode', ['--version'], { encoding: 'utf8' }).error !== undefined;
const skipLive = osslsigncodeMissing ? 'osslsigncode is not installed (apt-get install osslsigncode)' : false;

function verify(name: string): PackageSignature {
  return verifyPackageSignature(openCompoundFile(bufferByteSource(readFileSync(resolve(packages, name)))));
}

/** The signer's PEM next to the .cer that expected.json names. */
function signerPem(want: ExpectedPackage): string {
  return resolve(packages, want.signer!.certificate.replace(/\.cer$/, '.pem'));
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

describe('our verdict equals the one osslsigncode recorded in expected.json', () => {
  for (const [name, want] of signedFixtures) {
    test(name, () => {
      const signature = verify(name);
      assert.equal(signature.state, want.osslsigncodeAtSigningTime?.verdict, signature.problems.join('; '));
      assert.equal(signature.signer?.sha1, want.signer?.sha1);
      const digestMismatch = signature.problems.includes('the content digest does not match: the package changed after it was signed');
      assert.equal(digestMismatch, !want.osslsigncodeAtSigningTime?.contentDigestMatches);
    });
  }
});

describe('our verdict equals `osslsigncode verify` run now', () => {
  for (const [name, want] of signedFixtures) {
    test(name, { skip: skipLive }, () => {
      const pem = signerPem(want);
      const run = spawnSync('osslsigncode', [
        'verify', '-CAfile', pem, '-time', String(timeInsideValidity(pem)), '-in', resolve(packages, name),
      ], { encoding: 'utf8' });
      const theirs = run.status === 0 ? 'valid' : 'invalid';
      const ours = verify(name);
      assert.equal(ours.state, theirs, `osslsigncode said:\n${run.stdout}\n${run.stderr}\nwe said: ${ours.problems.join('; ')}`);
    });
  }

  test('an unsigned patch: osslsigncode finds no signature, we say unsigned', { skip: skipLive }, () => {
    const run = spawnSync('osslsigncode', ['verify', '-in', resolve(packages, 'patch-unsigned.msp')], { encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    assert.match(`${run.stdout}${run.stderr}`, /has no signature/);
    assert.equal(verify('patch-unsigned.msp').state, 'unsigned');
  });
});
