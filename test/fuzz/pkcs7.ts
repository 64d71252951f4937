// Target `pkcs7`: Authenticode signatures and X.509 certificates.
//
// Signatures: the DigitalSignature stream of a real signed package, edited as a DER tree (wrong
// OIDs, tags, lengths, INTEGERs, times; dropped, doubled, swapped or grafted parts) or bytewise,
// written back into that package, and read the way the engine reads a package (checkPackage:
// PKCS#7 structure, signer info, certificates, timestamps and the MSI content digest). A byte
// flipped inside what the signature covers (the SpcIndirectDataContent, the authenticated
// attributes, the signature value) must never leave it valid.
//
// Certificates: the fixtures' .cer and .pem files and the certificates embedded in signatures,
// edited the same way and also wrapped in odd PEM, through parseCertificate.

import * as fc from 'fast-check';
import { parseCertificate, validityState } from '../../server/src/engine/certificates';
import { cloneTree, writeCfb, type CfbNode } from './cfb-writer';
import { seedsMatching } from './corpus';
import { applyDerEdits, derEdit, encodeDer, parseDer, type DerNode } from './der';
import { applyByteEdits, byteEdits, corpusPick } from './mutate';
import { checkPackage, packageFiles, packageFromFiles, packageSeeds, type PackageInput } from './package';
import { assertNoLeakedBug, invariant, type FuzzTarget, type InputFiles } from './target';

const SIGNATURE_STREAM = '\u0005DigitalSignature';

export type Pkcs7Input = ({ kind: 'package' } & PackageInput) | { kind: 'certificate'; bytes: Uint8Array };

interface SignedSeed {
  tree: CfbNode;
  version: 3 | 4;
  signature: Uint8Array;
  der: DerNode;
  /** [start, end) ranges of the signature the signer's signature covers, or that hold it. */
  signedRanges: Array<[number, number]>;
}

let signedCache: SignedSeed[] | undefined;

function signedSeeds(): SignedSeed[] {
  signedCache ??= packageSeeds()
    .filter((seed) => seed.signed && seed.tree && seed.bytes.length <= 64 * 1024)
    .flatMap((seed) => {
      const stream = seed.tree!.children.find((child) => child.name === SIGNATURE_STREAM);
      const der = stream && parseDer(stream.data);
      return stream && der ? [{ tree: seed.tree!, version: seed.version, signature: stream.data, der, signedRanges: signedRanges(stream.data) }] : [];
    });
  return signedCache;
}

/** Locates the covered parts with the same walk the verifier makes (ContentInfo → SignedData → …). */
function signedRanges(bytes: Uint8Array): Array<[number, number]> {
  const element = (offset: number): { tag: number; contentStart: number; end: number } => {
    let length = bytes[offset + 1];
    let contentStart = offset + 2;
    if (length > 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i];
      contentStart += count;
    }
    return { tag: bytes[offset], contentStart, end: contentStart + length };
  };
  const children = (offset: number): number[] => {
    const { contentStart, end } = element(offset);
    const list: number[] = [];
    for (let at = contentStart; at < end; at = element(at).end) list.push(at);
    return list;
  };
  const signedData = children(children(children(0)[1])[0]);
  const indirect = children(children(signedData[2])[1])[0];
  const signerInfo = children(children(signedData[signedData.length - 1])[0]);
  const ranges: Array<[number, number]> = [[element(indirect).contentStart, element(indirect).end]];
  let index = 3;
  if (bytes[signerInfo[index]] === 0xa0) {
    ranges.push([signerInfo[index], element(signerInfo[index]).end]);
    index++;
  }
  const encryptedDigest = element(signerInfo[index + 1]);
  ranges.push([encryptedDigest.contentStart, encryptedDigest.end]);
  return ranges;
}

function withSignature(seed: SignedSeed, signature: Uint8Array): Uint8Array {
  const tree = cloneTree(seed.tree);
  tree.children.find((child) => child.name === SIGNATURE_STREAM)!.data = signature;
  return writeCfb(tree, seed.version).bytes;
}

const editedSignature = (): fc.Arbitrary<Pkcs7Input> => {
  const seeds = signedSeeds();
  const donors = [...seeds.map((seed) => seed.der), ...certificateTrees()];
  return fc
    .record({ seed: fc.constantFrom(...seeds), edits: fc.array(derEdit, { minLength: 1, maxLength: 3 }), bytes: fc.option(byteEdits(2), { freq: 4 }) })
    .map(({ seed, edits, bytes }) => {
      let signature = encodeDer(applyDerEdits(seed.der, edits, donors));
      if (bytes) signature = applyByteEdits(signature, bytes);
      return { kind: 'package' as const, bytes: withSignature(seed, signature) };
    });
};

const tamperedSignature = (): fc.Arbitrary<Pkcs7Input> =>
  fc
    .record({ seed: fc.constantFrom(...signedSeeds()), range: fc.nat(), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) })
    .map(({ seed, range, at, xor }) => {
      const [start, end] = seed.signedRanges[range % seed.signedRanges.length];
      const signature = Uint8Array.from(seed.signature);
      signature[start + (at % (end - start))] ^= xor;
      return { kind: 'package' as const, bytes: withSignature(seed, signature), tampered: true };
    });

// ---- Certificates ----------------------------------------------------------------------------

let certificateCache: Uint8Array[] | undefined;

/** DER certificates: the fixture files (PEM decoded) and those embedded in signatures. */
function certificateDers(): Uint8Array[] {
  if (!certificateCache) {
    const ders: Uint8Array[] = [];
    for (const file of seedsMatching(/\.(cer|pem|crt|der)$/i)) {
      const parsed = parseCertificate(file.bytes);
      if (parsed.ok) ders.push(parsed.certificate.der);
    }
    for (const seed of signedSeeds()) {
      const signedData = seed.der.children?.[1]?.children?.[0];
      const certificates = signedData?.children?.find((child) => child.tag === 0xa0);
      for (const certificate of certificates?.children ?? []) ders.push(encodeDer(certificate));
    }
    const unique = new Map(ders.map((der) => [Buffer.from(der).toString('base64'), der]));
    certificateCache = [...unique.values()];
  }
  return certificateCache;
}

function certificateTrees(): DerNode[] {
  return certificateDers().flatMap((der) => {
    const tree = parseDer(der);
    return tree ? [tree] : [];
  });
}

const PEM_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE', 'PKCS7', 'PRIVATE KEY', 'CERTIFICATE REQUEST', ''];

interface PemWrapping {
  label: string;
  width: number;
  newline: string;
  before: string;
  after: string;
  damage: '' | 'no-end' | 'bad-base64' | 'headers';
}

const pemWrapping: fc.Arbitrary<PemWrapping> = fc.record({
  label: fc.constantFrom(...PEM_LABELS),
  width: fc.constantFrom(64, 76, 0, 1, 1000),
  newline: fc.constantFrom('\n', '\r\n', '\r'),
  before: fc.constantFrom('', 'Bag Attributes\n    friendlyName: x\n', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n', '\uFEFF'),
  after: fc.constantFrom('', '\n', '-----BEGIN CERTIFICATE-----\nAAAA\n', 'junk'),
  damage: fc.constantFrom<PemWrapping['damage']>('', 'no-end', 'bad-base64', 'headers'),
});

function pem(der: Uint8Array, how: PemWrapping): Uint8Array {
  const base64 = Buffer.from(der).toString('base64');
  const lines = how.width === 0 ? [base64] : base64.match(new RegExp(`.{1,${how.width}}`, 'g')) ?? [''];
  let body = lines.join(how.newline);
  if (how.damage === 'bad-base64') body = body.replace(/A/g, '*');
  const headers = how.damage === 'headers' ? `Proc-Type: 4,ENCRYPTED${how.newline}DEK-Info: DES-CBC,0123456789ABCDEF${how.newline}${how.newline}` : '';
  const end = how.damage === 'no-end' ? '' : `-----END ${how.label}-----${how.newline}`;
  return Buffer.from(`${how.before}-----BEGIN ${how.label}-----${how.newline}${headers}${body}${how.newline}${end}${how.after}`, 'latin1');
}

const editedCertificate = (): fc.Arbitrary<Pkcs7Input> => {
  const trees = certificateTrees();
  return fc
    .record({
      tree: fc.constantFrom(...trees),
      edits: fc.array(derEdit, { minLength: 1, maxLength: 3 }),
      bytes: fc.option(byteEdits(2), { freq: 4 }),
      wrapping: fc.option(pemWrapping, { freq: 3 }),
    })
    .map(({ tree, edits, bytes, wrapping }) => {
      let der = encodeDer(applyDerEdits(tree, edits, trees));
      if (bytes) der = applyByteEdits(der, bytes);
      return { kind: 'certificate' as const, bytes: wrapping ? pem(der, wrapping) : der };
    });
};

// ---- Checks ----------------------------------------------------------------------------------

const NOW = new Date('2026-06-01T00:00:00Z');

function checkCertificate(bytes: Uint8Array): void {
  const result = parseCertificate(bytes);
  if (!result.ok) {
    assertNoLeakedBug(result.reason, 'certificate');
    return;
  }
  const certificate = result.certificate;
  invariant(!Number.isNaN(certificate.notBefore.getTime()) && !Number.isNaN(certificate.notAfter.getTime()), 'a certificate read with an invalid date');
  invariant(/^[0-9A-F]{40}$/.test(certificate.sha1) && /^[0-9A-F]{64}$/.test(certificate.sha256), 'a certificate read without its thumbprints');
  invariant(typeof certificate.subject === 'string' && typeof certificate.issuer === 'string', 'a certificate read without subject or issuer');
  validityState(certificate, NOW);
  certificate.notBefore.toISOString();
  certificate.notAfter.toISOString();
}

export function checkPkcs7(input: Pkcs7Input): void {
  if (input.kind === 'certificate') checkCertificate(input.bytes);
  else checkPackage(input);
}

export const pkcs7Target: FuzzTarget<Pkcs7Input> = {
  name: 'pkcs7',
  summary: 'Authenticode PKCS#7 in signed packages (with the MSI content digest) and X.509 certificate files',
  seeds: () => [
    ...signedSeeds().map((seed) => ({ kind: 'package' as const, bytes: withSignature(seed, seed.signature) })),
    ...seedsMatching(/^test\/fixtures\/certificates\//).map((file) => ({ kind: 'certificate' as const, bytes: file.bytes })),
  ],
  arbitrary: (corpus) =>
    fc.oneof(
      { weight: 4, arbitrary: editedSignature() },
      { weight: 1, arbitrary: tamperedSignature() },
      { weight: 3, arbitrary: editedCertificate() },
      { weight: 2, arbitrary: fc.record({ base: corpusPick(corpus.entries), edits: byteEdits(3) }).map(({ base, edits }): Pkcs7Input => ({ kind: base.kind, bytes: applyByteEdits(base.bytes, edits) })) },
    ),
  check: checkPkcs7,
  toFiles: (input): InputFiles => (input.kind === 'certificate' ? new Map([['certificate.cer', input.bytes]]) : packageFiles(input)),
  fromFiles: (files: InputFiles): Pkcs7Input => {
    const certificate = files.get('certificate.cer');
    return certificate ? { kind: 'certificate', bytes: certificate } : { kind: 'package', ...packageFromFiles(files) };
  },
};

