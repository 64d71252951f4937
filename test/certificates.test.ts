import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import {
  CERTIFICATE_EXTENSIONS,
  type CertificateInfo,
  parseCertificate,
  validityState,
} from '../server/src/engine/certificates';

// Fixtures and expected.json come from test/fixtures/certificates/make-certificates.sh (OpenSSL).
const fixtures = resolve(__dirname, '../../test/fixtures/certificates');
const fixture = (name: string): Buffer => readFileSync(resolve(fixtures, name));

interface OpensslView {
  encoding: 'der' | 'pem';
  commonName: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  sha1: string;
  sha256: string;
  notBefore: string;
  notAfter: string;
}
const expected = JSON.parse(fixture('expected.json').toString('utf8')) as Record<string, OpensslView>;

function read(bytes: Uint8Array): CertificateInfo {
  const result = parseCertificate(bytes);
  if (!result.ok) assert.fail(`expected a certificate, got: ${result.reason}`);
  return result.certificate;
}

function reasonFor(bytes: Uint8Array): string {
  const result = parseCertificate(bytes);
  if (result.ok) assert.fail(`expected a failure, got a certificate for ${result.certificate.subject}`);
  return result.reason;
}

describe('readable certificates read as OpenSSL reads them', () => {
  for (const [file, openssl] of Object.entries(expected)) {
    test(file, () => {
      const cert = read(fixture(file));
      assert.equal(cert.subject, openssl.subject);
      assert.equal(cert.subjectCommonName, openssl.commonName);
      assert.equal(cert.issuer, openssl.issuer);
      assert.equal(cert.serialNumber, openssl.serialNumber);
      assert.equal(cert.sha1, openssl.sha1);
      assert.equal(cert.sha256, openssl.sha256);
      assert.equal(cert.notBefore.toISOString(), openssl.notBefore);
      assert.equal(cert.notAfter.toISOString(), openssl.notAfter);
      assert.equal(cert.encoding, openssl.encoding);
    });
  }

  test('the fixtures cover both encodings, non-ASCII names, an ECDSA key and a GeneralizedTime', () => {
    assert.ok(Object.keys(expected).length >= 7, 'expected.json lost entries; rerun make-certificates.sh');
  });
});

describe('subject names', () => {
  test('a UTF8String name keeps its accented letters', () => {
    const cert = read(fixture('fabrikam-release.cer'));
    assert.equal(cert.subjectCommonName, 'Fabrikam Ingeniería S.L.');
    assert.equal(cert.subject, 'CN=Fabrikam Ingeniería S.L., O=Fabrikam, C=ES');
  });

  test('a BMPString name decodes from UTF-16, and a comma in a value is escaped', () => {
    const cert = read(fixture('tailspin-bmp-names.cer'));
    assert.equal(cert.subjectCommonName, 'Tailspin Toys Zürich');
    assert.equal(cert.subject, 'CN=Tailspin Toys Zürich, O=Tailspin Toys\\, Inc., C=CH');
  });

  test('the serial number drops the zero byte DER adds before a high bit', () => {
    assert.equal(read(fixture('fabrikam-release.cer')).serialNumber, '8BADF00D');
  });
});

describe('DER and PEM', () => {
  const der = fixture('contoso-patch-signing.cer');
  const pem = fixture('contoso-patch-signing.pem');

  test('the same certificate in DER and PEM has the same thumbprints and DER bytes', () => {
    const fromDer = read(der);
    const fromPem = read(pem);
    assert.equal(fromPem.sha1, fromDer.sha1);
    assert.equal(fromPem.sha256, fromDer.sha256);
    assert.deepEqual(fromPem.der, fromDer.der);
    assert.deepEqual(fromDer.der, new Uint8Array(der));
    assert.equal(fromDer.encoding, 'der');
    assert.equal(fromPem.encoding, 'pem');
  });

  test('a PEM with Windows line ends and a byte order mark still reads', () => {
    const windowsPem = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pem.toString('latin1').replace(/\n/g, '\r\n'), 'latin1')]);
    assert.equal(read(windowsPem).sha1, read(der).sha1);
  });

  test('in a PEM holding a key and then certificates, the first CERTIFICATE block is read', () => {
    const fabrikamPem = `-----BEGIN CERTIFICATE-----\n${fixture('fabrikam-release.cer').toString('base64')}\n-----END CERTIFICATE-----\n`;
    const bundle = Buffer.concat([fixture('contoso-patch-signing.key'), Buffer.from('Bag Attributes: none\n'), pem, Buffer.from(fabrikamPem)]);
    assert.equal(read(bundle).sha1, read(der).sha1);
  });
});

describe('unreadable files say why', () => {
  const cases: Array<[file: string, reason: string | RegExp]> = [
    ['empty.cer', 'empty file'],
    ['not-a-certificate.cer', /^not DER or PEM: the file is text \("This is not a certificate\./],
    ['private-key-only.pem', 'the file holds a PEM PRIVATE KEY block, not a CERTIFICATE'],
    ['contoso-patch-signing.key', 'the file holds a PEM PRIVATE KEY block, not a CERTIFICATE'],
    ['certificate-request.pem', 'the file holds a PEM CERTIFICATE REQUEST block, not a CERTIFICATE'],
    ['truncated.cer', `truncated: the certificate declares ${fixture('contoso-patch-signing.cer').length} bytes but the file holds only 100`],
    ['contoso-patch-signing.p7b', /^the file is a PKCS#7 bundle \(\.p7b\), not a single certificate/],
    ['contoso-patch-signing.pfx', /^the file is a PKCS#12 key store \(\.pfx\), not a certificate/],
  ];
  for (const [file, reason] of cases) {
    test(file, () => {
      if (typeof reason === 'string') assert.equal(reasonFor(fixture(file)), reason);
      else assert.match(reasonFor(fixture(file)), reason);
    });
  }

  test('bytes after the certificate', () => {
    const padded = Buffer.concat([fixture('contoso-patch-signing.cer'), Buffer.from([0, 0])]);
    assert.match(reasonFor(padded), /^2 unexpected bytes follow the certificate/);
  });

  test('a binary file that is not DER', () => {
    assert.match(reasonFor(Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00])), /^not DER or PEM: the file starts with bytes 4D 5A 90 00 03 00;/);
  });

  test('DER that is not a certificate', () => {
    assert.match(reasonFor(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])), /^Certificate should have 3 parts, not 1/);
  });

  test('a PEM CERTIFICATE block without its END line', () => {
    const pem = fixture('contoso-patch-signing.pem').toString('latin1');
    assert.match(reasonFor(Buffer.from(pem.replace('-----END CERTIFICATE-----', ''), 'latin1')), /^malformed PEM:/);
  });

  test('files over 1 MiB are refused without being parsed', () => {
    assert.match(reasonFor(Buffer.alloc(1024 * 1024 + 1, 0x30)), /over 1 MiB are not read$/);
  });

  test('deeply nested DER gives a reason instead of exhausting the stack', () => {
    const nested = Buffer.alloc(200_000);
    for (let i = 0; i < nested.length; i += 2) nested.set([0x30, 0x80], i);
    assert.match(reasonFor(nested), /^malformed DER:/);
  });
});

describe('validityState', () => {
  const contoso = read(fixture('contoso-patch-signing.cer'));
  const at = (iso: string) => new Date(iso);

  test('notBefore and notAfter are both inside the validity period', () => {
    assert.equal(validityState(contoso, at('2023-12-31T23:59:59Z')), 'not-yet-valid');
    assert.equal(validityState(contoso, at('2024-01-01T00:00:00Z')), 'valid');
    assert.equal(validityState(contoso, at('2049-12-31T23:59:59Z')), 'valid');
    assert.equal(validityState(contoso, at('2050-01-01T00:00:00Z')), 'expired');
  });

  test('the expired and future fixtures, seen in 2025', () => {
    assert.equal(validityState(read(fixture('expired-2020.cer')), at('2025-06-01T00:00:00Z')), 'expired');
    assert.equal(validityState(read(fixture('not-yet-valid.cer')), at('2025-06-01T00:00:00Z')), 'not-yet-valid');
  });
});

test('certificate files are recognised by extension; key stores and bundles are not', () => {
  for (const file of Object.keys(expected)) assert.ok(CERTIFICATE_EXTENSIONS.includes(extname(file)), file);
  assert.ok(!CERTIFICATE_EXTENSIONS.includes('.pfx'));
  assert.ok(!CERTIFICATE_EXTENSIONS.includes('.p7b'));
});

test('never throws on random or damaged input', () => {
  // Seeded, so a failure reproduces.
  let seed = 0x5eed;
  const random = () => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const randomBytes = (length: number) => Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
  const certificate = fixture('contoso-patch-signing.cer');
  const inputs: Buffer[] = [];
  for (let i = 0; i < 300; i++) {
    const body = randomBytes(Math.floor(random() * 1200));
    inputs.push(body);
    // A plausible DER header (SEQUENCE, two length bytes) with the length sometimes right.
    const length = random() < 0.5 ? body.length : Math.floor(random() * 0x10000);
    inputs.push(Buffer.concat([Buffer.from([0x30, 0x82, length >> 8, length & 0xff]), body]));
    // The real certificate with a few bytes changed.
    const damaged = Buffer.from(certificate);
    for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
      damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
    }
    inputs.push(damaged);
    inputs.push(Buffer.from(`-----BEGIN CERTIFICATE-----\n${body.toString('base64')}\n-----END CERTIFICATE-----\n`));
  }
  for (const [index, input] of inputs.entries()) {
    let result: ReturnType<typeof parseCertificate>;
    try {
      result = parseCertificate(input);
    } catch (error) {
      assert.fail(`input #${index} threw: ${String(error)}`);
    }
    if (result.ok) assert.match(result.certificate.sha1, /^[0-9A-F]{40}$/, `input #${index}`);
    else assert.ok(result.reason.length > 0, `input #${index}`);
  }
});
