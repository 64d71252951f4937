// Verifies the Authenticode signature of a Windows Installer package (.msi / .msp): the PKCS#7
// SignedData in `\x05DigitalSignature`, the content digest of the package it signs, and the
// signer's signature over it. Every failure becomes a sentence in `problems`; nothing throws.
//
// The PKCS#7 is walked with a small DER reader over the stored bytes rather than a re-encoded
// tree: the message digest and the signature cover exact byte ranges of the stream, and a
// re-encoding (as node-forge's toDer produces) is not guaranteed to reproduce them.
import * as l10n from '@vscode/l10n';
import type { Hash } from 'node:crypto';
import forge from '../forge';
import { nodeCrypto, parseCertificate, type CertificateInfo } from '../certificates';
import type { CfbEntry, CompoundFile } from './cfb';

export interface PackageSignature {
  state: 'unsigned' | 'valid' | 'invalid';
  /** Why it is invalid, each a sentence a user understands. Empty when valid or unsigned. */
  problems: string[];
  /** The content digest's algorithm, from the signed DigestInfo (a dotted OID when unknown). */
  digestAlgorithm?: DigestAlgorithm | string;
  /** The signer's certificate (matched by issuer + serial number, or subject key identifier), when embedded. */
  signer?: CertificateInfo;
  /** Every readable certificate embedded in the SignedData. */
  certificates: CertificateInfo[];
  hasMsiDigitalSignatureEx: boolean;
  /** The signingTime authenticated attribute, when present (the signer's clock; not proof of time). */
  signingTime?: Date;
  /**
   * The time of an Authenticode countersignature or RFC 3161 timestamp, when present. Its
   * signature and its link to this signature are checked; whether its issuer is a trusted
   * timestamp authority is not.
   */
  timestamp?: Date;
}

/** The digest algorithms Authenticode signatures use, by node:crypto name. */
export type DigestAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** The package's content digest as the signature should have signed it, plus anything found wrong on the way. */
export interface ContentDigest {
  digest: Uint8Array;
  problems: string[];
}

/** The signature streams Authenticode leaves out of the content digest. */
export const DIGITAL_SIGNATURE_STREAM = '\u0005DigitalSignature';
export const MSI_DIGITAL_SIGNATURE_EX_STREAM = '\u0005MsiDigitalSignatureEx';

/** Real signatures are a few KiB (certificate chain included); a larger stream is not read. */
export const MAX_SIGNATURE_STREAM_BYTES = 1024 * 1024;

/** Checks the package's signature; never throws. */
export function verifyPackageSignature(file: CompoundFile): PackageSignature {
  let signatureEntry: CfbEntry | undefined;
  let prehashEntry: CfbEntry | undefined;
  try {
    signatureEntry = file.rootChild(DIGITAL_SIGNATURE_STREAM);
    prehashEntry = file.rootChild(MSI_DIGITAL_SIGNATURE_EX_STREAM);
  } catch (error) {
    return invalid([l10n.t("the package's directory could not be read: {0}", messageOf(error))], false);
  }
  const hasMsiDigitalSignatureEx = prehashEntry !== undefined;
  if (!signatureEntry) return { state: 'unsigned', problems: [], certificates: [], hasMsiDigitalSignatureEx };
  if (signatureEntry.kind !== 'stream') {
    return invalid([l10n.t('the package holds a storage named {0} where the signature stream belongs', 'DigitalSignature')], hasMsiDigitalSignatureEx);
  }
  if (signatureEntry.size > MAX_SIGNATURE_STREAM_BYTES) {
    return invalid([
      l10n.t('the signature stream is {0} bytes; signatures are a few KiB, and streams over {1} bytes are not read', signatureEntry.size, MAX_SIGNATURE_STREAM_BYTES),
    ], hasMsiDigitalSignatureEx);
  }
  let signature: Uint8Array;
  try {
    signature = file.readStream(signatureEntry, MAX_SIGNATURE_STREAM_BYTES);
  } catch (error) {
    return invalid([l10n.t('the signature stream could not be read: {0}', messageOf(error))], hasMsiDigitalSignatureEx);
  }
  const verdict = verifySignatureBytes(signature, (algorithm) => packageContentDigest(file, algorithm));
  return { ...verdict, hasMsiDigitalSignatureEx };
}

/** The raw `\x05DigitalSignature` bytes (a DER PKCS#7 ContentInfo), or undefined when absent or unreadable. */
export function signatureBytes(file: CompoundFile): Uint8Array | undefined {
  try {
    const entry = file.rootChild(DIGITAL_SIGNATURE_STREAM);
    if (!entry || entry.kind !== 'stream' || entry.size > MAX_SIGNATURE_STREAM_BYTES) return undefined;
    return file.readStream(entry, MAX_SIGNATURE_STREAM_BYTES);
  } catch {
    return undefined;
  }
}

/**
 * Checks a DigitalSignature stream's PKCS#7 against the content digest `contentDigest` computes
 * with the algorithm the signature names. Separate from the package so the PKCS#7 layer can be
 * checked on its own; never throws (a throwing `contentDigest` becomes a problem).
 */
export function verifySignatureBytes(
  signature: Uint8Array,
  contentDigest: (algorithm: DigestAlgorithm) => ContentDigest,
): Omit<PackageSignature, 'hasMsiDigitalSignatureEx'> {
  const result: Omit<PackageSignature, 'hasMsiDigitalSignatureEx'> = { state: 'valid', problems: [], certificates: [] };
  try {
    checkSignedData(signature, contentDigest, result);
  } catch (error) {
    result.problems.push(error instanceof SignatureProblem ? error.message : l10n.t('the signature could not be read: {0}', messageOf(error)));
  }
  result.state = result.problems.length === 0 ? 'valid' : 'invalid';
  return result;
}

/**
 * The MSI content digest: every stream's bytes and every storage's CLSID, in Authenticode's
 * order, without the signature streams; with `\x05MsiDigitalSignatureEx`, prefixed by the
 * pre-hash of the names, sizes and times (computed here, and compared with the stored one).
 * Streams are hashed chunk by chunk, so memory stays flat however large the package is.
 */
export function packageContentDigest(file: CompoundFile, algorithm: DigestAlgorithm): ContentDigest {
  const problems: string[] = [];
  const hash = nodeCrypto().createHash(algorithm);
  const prehashEntry = file.rootChild(MSI_DIGITAL_SIGNATURE_EX_STREAM);
  if (prehashEntry) {
    const prehash = nodeCrypto().createHash(algorithm);
    feedMetadata(file.root, prehash, true, new Set());
    const computed = prehash.digest();
    // As osslsigncode does, the signed digest uses the pre-hash of the package as it is; the
    // stored copy is compared separately so that a stale one is named as such.
    hash.update(computed);
    const storedSize = prehashEntry.kind === 'stream' ? prehashEntry.size : undefined;
    const stored = storedSize !== undefined && storedSize <= 1024 ? file.readStream(prehashEntry, 1024) : undefined;
    if (stored?.length !== computed.length) {
      problems.push(
        storedSize === undefined
          ? l10n.t('{0} is a storage, not the {1}-byte {2} pre-hash the signature needs', 'MsiDigitalSignatureEx', computed.length, ALGORITHM_LABELS[algorithm])
          : l10n.t('the {0} stream holds {1} bytes, not the {2}-byte {3} pre-hash the signature needs', 'MsiDigitalSignatureEx', storedSize, computed.length, ALGORITHM_LABELS[algorithm]),
      );
    } else if (!Buffer.from(stored).equals(computed)) {
      problems.push(l10n.t('the {0} pre-hash does not match: stream names, sizes or timestamps in the package changed after it was signed', 'MsiDigitalSignatureEx'));
    }
  }
  feedContent(file, file.root, hash, true, new Set());
  return { digest: hash.digest(), problems };
}

// ---------------------------------------------------------------------------------------------
// Content digest

function isSignatureStream(entry: CfbEntry): boolean {
  return entry.name === DIGITAL_SIGNATURE_STREAM || entry.name === MSI_DIGITAL_SIGNATURE_EX_STREAM;
}

/** Authenticode's order: memcmp of the UTF-16LE names with their terminators; on a tie the longer name first. */
function compareForDigest(a: CfbEntry, b: CfbEntry): number {
  const left = withTerminator(a.nameBytes);
  const right = withTerminator(b.nameBytes);
  const common = Math.min(left.length, right.length);
  const order = Buffer.compare(left.subarray(0, common), right.subarray(0, common));
  if (order !== 0) return order;
  return right.length - left.length;
}

function withTerminator(name: Uint8Array): Buffer {
  const bytes = Buffer.alloc(name.length + 2);
  bytes.set(name);
  return bytes;
}

function childrenInDigestOrder(storage: CfbEntry, isRoot: boolean, seen: Set<CfbEntry>): CfbEntry[] {
  if (seen.has(storage)) throw new Error(l10n.t('storage {0} appears twice in the directory tree', JSON.stringify(storage.name)));
  seen.add(storage);
  return storage.children.filter((child) => !(isRoot && isSignatureStream(child))).sort(compareForDigest);
}

function feedContent(file: CompoundFile, storage: CfbEntry, hash: Hash, isRoot: boolean, seen: Set<CfbEntry>): void {
  for (const child of childrenInDigestOrder(storage, isRoot, seen)) {
    if (child.kind === 'stream') {
      for (const chunk of file.streamChunks(child)) hash.update(chunk);
    } else {
      feedContent(file, child, hash, false, seen);
    }
  }
  hash.update(storage.clsid);
}

/** The MsiDigitalSignatureEx pre-hash input, field for field as osslsigncode computes it (its msi_prehash_dir). */
function feedMetadata(storage: CfbEntry, hash: Hash, isRoot: boolean, seen: Set<CfbEntry>): void {
  if (!isRoot) hash.update(storage.nameBytes);
  hash.update(storage.clsid);
  hash.update(uint32(storage.stateBits));
  if (!isRoot) {
    hash.update(storage.created);
    hash.update(storage.modified);
  }
  for (const child of childrenInDigestOrder(storage, isRoot, seen)) {
    if (child.kind === 'stream') {
      hash.update(child.nameBytes);
      hash.update(uint32(child.size)); // the low half of the size field
      hash.update(uint32(child.stateBits));
      hash.update(child.created);
      hash.update(child.modified);
    } else {
      feedMetadata(child, hash, false, seen);
    }
  }
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// PKCS#7 / Authenticode structure

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  spcIndirectDataContent: '1.3.6.1.4.1.311.2.1.4',
  spcSipInfo: '1.3.6.1.4.1.311.2.1.30',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  counterSignature: '1.2.840.113549.1.9.6',
  rfc3161Timestamp: '1.3.6.1.4.1.311.3.3.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  subjectKeyIdentifier: '2.5.29.14',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

const DIGEST_ALGORITHMS: Record<string, DigestAlgorithm> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const UNSUPPORTED_DIGESTS: Record<string, string> = {
  '1.2.840.113549.2.5': 'MD5',
  '1.2.840.113549.2.2': 'MD2',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
};
const ALGORITHM_LABELS: Record<DigestAlgorithm, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };
const DIGEST_LENGTHS: Record<DigestAlgorithm, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** The signature algorithms a SignerInfo may name, by the key they need. */
const SIGNATURE_ALGORITHMS: Record<string, 'rsa' | 'ec'> = {
  [OID.rsaEncryption]: 'rsa',
  '1.2.840.113549.1.1.5': 'rsa', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.11': 'rsa', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'rsa', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13': 'rsa', // sha512WithRSAEncryption
  [OID.ecPublicKey]: 'ec',
  '1.2.840.10045.4.1': 'ec', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.2': 'ec', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'ec', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4': 'ec', // ecdsa-with-SHA512
};

/** {000C10F1-0000-0000-C000-000000000046} as the GUID's 16 stored bytes (first three fields little-endian). */
const MSI_SIP_GUID = Buffer.from('F1100C0000000000C000000000000046', 'hex');
const MSI_SIP_TEXT = '{000C10F1-0000-0000-C000-000000000046}';

/** A failure whose message is already the sentence shown to the user. */
class SignatureProblem extends Error {}

type Verdict = Omit<PackageSignature, 'hasMsiDigitalSignatureEx'>;

function checkSignedData(signature: Uint8Array, contentDigest: (algorithm: DigestAlgorithm) => ContentDigest, result: Verdict): void {
  const bytes = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength);
  if (bytes.length === 0) throw new SignatureProblem(l10n.t('the signature stream is empty'));
  const contentInfo = readElement(bytes, 0, bytes.length, l10n.t('the signature'));
  if (bytes.subarray(contentInfo.end).some((b) => b !== 0)) {
    throw new SignatureProblem(l10n.t('{0} unexpected bytes follow the PKCS#7 signature in the signature stream', bytes.length - contentInfo.end));
  }
  const [contentType, wrappedSignedData] = sequenceOf(contentInfo, l10n.t('the signature (PKCS#7 ContentInfo)'), 2);
  const type = oidOf(contentType, l10n.t("the signature's content type"));
  if (type !== OID.signedData) throw new SignatureProblem(l10n.t('the signature is not PKCS#7 SignedData (its content type is {0})', type));
  const signedDataLabel = l10n.t('the SignedData');
  const signedData = explicit(wrappedSignedData, 0, signedDataLabel);
  const parts = sequenceOf(signedData, signedDataLabel);
  if (parts.length < 4) throw new SignatureProblem(l10n.t('the SignedData is incomplete: it needs a version, digest algorithms, content and signer infos'));
  const [, , encapsulated, ...rest] = parts;
  const certificateSet = rest.find((part) => part.tag === 0xa0);
  const signerInfos = rest[rest.length - 1];

  const certificates = readCertificates(certificateSet);
  result.certificates = certificates.map((cert) => cert.info);

  // The signed content: SpcIndirectDataContent { SpcAttributeTypeAndOptionalValue, DigestInfo }.
  const [encapsulatedType, wrappedIndirectData] = sequenceOf(encapsulated, l10n.t('the signed content'), 2);
  const encapsulatedOid = oidOf(encapsulatedType, l10n.t("the signed content's type"));
  if (encapsulatedOid !== OID.spcIndirectDataContent) {
    throw new SignatureProblem(l10n.t("the signed content is not Authenticode's SpcIndirectDataContent (its type is {0})", encapsulatedOid));
  }
  const indirectDataLabel = l10n.t('the SpcIndirectDataContent');
  const indirectData = explicit(wrappedIndirectData, 0, indirectDataLabel);
  const [attributeTypeAndValue, digestInfo] = sequenceOf(indirectData, indirectDataLabel, 2);
  checkMsiSip(attributeTypeAndValue);
  const [digestAlgorithmId, storedDigest] = sequenceOf(digestInfo, l10n.t('the DigestInfo'), 2);
  const digestOid = algorithmOid(digestAlgorithmId, l10n.t("the DigestInfo's algorithm"));
  const digestAlgorithm = DIGEST_ALGORITHMS[digestOid];
  result.digestAlgorithm = digestAlgorithm ?? UNSUPPORTED_DIGESTS[digestOid]?.toLowerCase().replace('-', '') ?? digestOid;
  const signedDigest = octetsOf(storedDigest, l10n.t("the DigestInfo's digest"));
  if (!digestAlgorithm) {
    result.problems.push(l10n.t('the content digest uses {0}, which is not supported (SHA-1, SHA-256, SHA-384 and SHA-512 are)', describeDigest(digestOid)));
  } else if (signedDigest.length !== DIGEST_LENGTHS[digestAlgorithm]) {
    result.problems.push(l10n.t('the signed content digest is {0} bytes, but a {1} digest is {2}', signedDigest.length, ALGORITHM_LABELS[digestAlgorithm], DIGEST_LENGTHS[digestAlgorithm]));
  } else {
    let computed: ContentDigest | undefined;
    try {
      computed = contentDigest(digestAlgorithm);
    } catch (error) {
      result.problems.push(l10n.t('the package could not be read to compute its content digest: {0}', messageOf(error)));
    }
    if (computed) {
      result.problems.push(...computed.problems);
      if (!Buffer.from(computed.digest).equals(signedDigest)) {
        result.problems.push(l10n.t('the content digest does not match: the package changed after it was signed'));
      }
    }
  }

  // Authenticode has exactly one SignerInfo; its messageDigest covers the SpcIndirectDataContent's
  // value octets, without the SEQUENCE's own tag and length.
  const signers = setOf(signerInfos, l10n.t("the SignedData's signer infos"));
  if (signers.length !== 1) throw new SignatureProblem(l10n.t('the signature has {0} signer infos; Authenticode requires exactly one', signers.length));
  const signer = checkSignerInfo(signers[0], certificates, contentOf(indirectData), OID.spcIndirectDataContent, signerLabel(), result.problems);
  if (signer.certificate) result.signer = signer.certificate;
  if (signer.signingTime) result.signingTime = signer.signingTime;
  const timestamp = readTimestamp(signer, certificates, result.problems);
  if (timestamp) result.timestamp = timestamp;
}

/** The SpcSipInfo must name the MSI subject interface package, or the signature is for another kind of file. */
function checkMsiSip(attributeTypeAndValue: Der): void {
  const [type, value] = sequenceOf(attributeTypeAndValue, l10n.t("the SpcIndirectDataContent's data"), 2);
  const typeOid = oidOf(type, l10n.t("the SpcIndirectDataContent's data type"));
  if (typeOid !== OID.spcSipInfo) {
    throw new SignatureProblem(
      typeOid === '1.3.6.1.4.1.311.2.1.15'
        ? l10n.t("the signature is not for a Windows Installer package: its data type is {0} (a PE image's, as signed executables carry), not SpcSipInfo", typeOid)
        : typeOid === '1.3.6.1.4.1.311.2.1.25'
          ? l10n.t("the signature is not for a Windows Installer package: its data type is {0} (a CAB file's), not SpcSipInfo", typeOid)
          : l10n.t('the signature is not for a Windows Installer package: its data type is {0}, not SpcSipInfo', typeOid),
    );
  }
  const fields = sequenceOf(value, l10n.t('the SpcSipInfo'));
  if (fields.length < 2) throw new SignatureProblem(l10n.t('the SpcSipInfo is incomplete: it has no SIP GUID'));
  const guid = octetsOf(fields[1], l10n.t("the SpcSipInfo's GUID"));
  if (!guid.equals(MSI_SIP_GUID)) {
    throw new SignatureProblem(l10n.t('the signature is not for a Windows Installer package: it names the subject interface package {0}, not the MSI one {1}', guidText(guid), MSI_SIP_TEXT));
  }
}

interface EmbeddedCertificate {
  info: CertificateInfo;
  issuer: Buffer;
  serial: Buffer;
  subjectKeyIdentifier?: Buffer;
}

/** The certificates a signer can be matched against; unreadable ones (and attribute certificates) are left out. */
function readCertificates(certificateSet: Der | undefined): EmbeddedCertificate[] {
  if (!certificateSet) return [];
  const found: EmbeddedCertificate[] = [];
  for (const element of childrenOf(certificateSet, l10n.t('the embedded certificates'))) {
    if (element.tag !== 0x30) continue;
    const parsed = parseCertificate(wholeOf(element));
    const identity = parsed.ok ? certificateIdentity(element) : undefined;
    if (parsed.ok && identity) found.push({ info: parsed.certificate, ...identity });
  }
  return found;
}

/** What a SignerInfo names its certificate by; undefined for a certificate whose fields cannot be found. */
function certificateIdentity(certificate: Der): Omit<EmbeddedCertificate, 'info'> | undefined {
  let fields: Der[];
  try {
    const label = l10n.t('a certificate');
    fields = sequenceOf(sequenceOf(certificate, label)[0], label);
  } catch {
    return undefined;
  }
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // the optional [0] version
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  if (serial?.tag !== 0x02 || issuer?.tag !== 0x30) return undefined;
  const extensions = fields.find((field) => field.tag === 0xa3);
  let subjectKeyIdentifier: Buffer | undefined;
  try {
    subjectKeyIdentifier = extensions ? readSubjectKeyIdentifier(extensions) : undefined;
  } catch {
    // Without a readable key identifier the certificate can still be matched by issuer and serial number.
  }
  return { issuer: wholeOf(issuer), serial: contentOf(serial), ...(subjectKeyIdentifier ? { subjectKeyIdentifier } : {}) };
}

function readSubjectKeyIdentifier(wrappedExtensions: Der): Buffer | undefined {
  const extensionsLabel = l10n.t('the extensions');
  for (const extension of sequenceOf(explicit(wrappedExtensions, 3, extensionsLabel), extensionsLabel)) {
    const parts = sequenceOf(extension, l10n.t('an extension'));
    if (parts.length >= 2 && oidOf(parts[0], l10n.t('an extension id')) === OID.subjectKeyIdentifier) {
      const label = l10n.t('the subject key identifier');
      const inner = octetsOf(parts[parts.length - 1], label);
      return octetsOf(readElement(inner, 0, inner.length, label), label);
    }
  }
  return undefined;
}

interface SignerCheck {
  certificate?: CertificateInfo;
  signingTime?: Date;
  encryptedDigest?: Buffer;
  unauthenticatedAttributes?: Der;
}

/**
 * Checks one SignerInfo: the messageDigest attribute against `signedContent`, and the signature
 * over the authenticated attributes with the matching certificate's key. `who` starts each problem.
 */
function checkSignerInfo(signerInfo: Der, certificates: EmbeddedCertificate[], signedContent: Buffer,
  expectedContentType: string | undefined, who: string, problems: string[]): SignerCheck {
  const fields = sequenceOf(signerInfo, l10n.t("{0}'s SignerInfo", who));
  const [, identifier, digestAlgorithmId] = fields;
  let index = 3;
  const authenticated = fields[index]?.tag === 0xa0 ? fields[index++] : undefined;
  const signatureAlgorithmId = fields[index++];
  const encryptedDigestElement = fields[index++];
  const unauthenticated = fields[index]?.tag === 0xa1 ? fields[index] : undefined;
  if (!identifier || !digestAlgorithmId || !signatureAlgorithmId || !encryptedDigestElement) {
    throw new SignatureProblem(l10n.t("{0}'s SignerInfo is incomplete", who));
  }
  const result: SignerCheck = { encryptedDigest: octetsOf(encryptedDigestElement, l10n.t("{0}'s signature value", who)) };
  if (unauthenticated) result.unauthenticatedAttributes = unauthenticated;

  const certificate = findSignerCertificate(identifier, certificates, who);
  if (certificate) {
    result.certificate = certificate.info;
  } else {
    problems.push(l10n.t("{0}'s certificate is not embedded in the signature, so its signature cannot be checked", who));
  }

  const digestOid = algorithmOid(digestAlgorithmId, l10n.t("{0}'s digest algorithm", who));
  const digestAlgorithm = DIGEST_ALGORITHMS[digestOid];
  if (!digestAlgorithm) {
    problems.push(l10n.t('{0} uses {1}, which is not supported (SHA-1, SHA-256, SHA-384 and SHA-512 are)', who, describeDigest(digestOid)));
    return result;
  }
  if (!authenticated) {
    problems.push(l10n.t("{0}'s SignerInfo has no authenticated attributes; Authenticode requires them", who));
    return result;
  }

  const attributes = readAttributes(authenticated, who);
  const contentTypes = attributes.get(OID.contentType);
  if (expectedContentType !== undefined) {
    const signedType = contentTypes?.length === 1 ? oidOf(contentTypes[0], l10n.t("{0}'s contentType attribute", who)) : undefined;
    if (signedType === undefined) {
      problems.push(l10n.t("{0}'s contentType attribute is missing instead of the signed content's type {1}", who, expectedContentType));
    } else if (signedType !== expectedContentType) {
      problems.push(l10n.t("{0}'s contentType attribute names {1} instead of the signed content's type {2}", who, signedType, expectedContentType));
    }
  }
  const digests = attributes.get(OID.messageDigest);
  if (digests?.length !== 1) {
    problems.push(l10n.t("{0}'s authenticated attributes have no single messageDigest", who));
  } else {
    const expected = nodeCrypto().createHash(digestAlgorithm).update(signedContent).digest();
    if (!octetsOf(digests[0], l10n.t("{0}'s messageDigest", who)).equals(expected)) {
      problems.push(l10n.t("{0}'s message digest does not match the signed content: the signature was altered", who));
    }
  }
  const signingTimes = attributes.get(OID.signingTime);
  if (signingTimes?.length === 1) result.signingTime = timeOf(signingTimes[0], l10n.t("{0}'s signingTime", who));

  if (certificate) {
    // The signature covers the DER of the attributes as a SET OF, not with their [0] IMPLICIT tag.
    const signedAttributes = Buffer.from(wholeOf(authenticated));
    signedAttributes[0] = 0x31;
    const problem = checkSignatureValue(certificate.info, signatureAlgorithmId, digestAlgorithm, signedAttributes, result.encryptedDigest!, who);
    if (problem) problems.push(problem);
  }
  return result;
}

function findSignerCertificate(identifier: Der, certificates: EmbeddedCertificate[], who: string): EmbeddedCertificate | undefined {
  if (identifier.tag === 0x80) {
    const keyId = contentOf(identifier);
    return certificates.find((cert) => cert.subjectKeyIdentifier?.equals(keyId));
  }
  const [issuer, serial] = sequenceOf(identifier, l10n.t("{0}'s issuer and serial number", who), 2);
  const issuerBytes = wholeOf(issuer);
  const serialBytes = integerOf(serial, l10n.t("{0}'s serial number", who));
  return certificates.find((cert) => cert.issuer.equals(issuerBytes) && cert.serial.equals(serialBytes));
}

/** The problem with the signature value, or undefined when it verifies. */
function checkSignatureValue(certificate: CertificateInfo, signatureAlgorithmId: Der, digestAlgorithm: DigestAlgorithm,
  signedBytes: Buffer, signatureValue: Buffer, who: string): string | undefined {
  const algorithm = algorithmOid(signatureAlgorithmId, l10n.t("{0}'s signature algorithm", who));
  const keyKind = SIGNATURE_ALGORITHMS[algorithm];
  if (!keyKind) return l10n.t('{0} uses the signature algorithm {1}, which is not supported (RSA PKCS#1 v1.5 and ECDSA are)', who, algorithm);
  let ok: boolean;
  try {
    const key = new (nodeCrypto().X509Certificate)(certificate.der).publicKey;
    if (key.asymmetricKeyType !== keyKind) {
      const kind = keyKind === 'rsa' ? 'RSA' : 'ECDSA';
      return key.asymmetricKeyType
        ? l10n.t("{0}'s signature is {1} but its certificate holds {2} key", who, kind, key.asymmetricKeyType)
        : l10n.t("{0}'s signature is {1} but its certificate holds an unknown key", who, kind);
    }
    ok = keyKind === 'rsa'
      ? nodeCrypto().verify(digestAlgorithm, signedBytes, { key, padding: nodeCrypto().constants.RSA_PKCS1_PADDING }, signatureValue)
      : nodeCrypto().verify(digestAlgorithm, signedBytes, { key, dsaEncoding: 'der' }, signatureValue);
  } catch (error) {
    return l10n.t("{0}'s signature could not be checked: {1}", who, messageOf(error));
  }
  return ok ? undefined : l10n.t("{0}'s signature does not verify with the public key of its certificate: the signature was altered or made with another key", who);
}

/**
 * The time of an Authenticode countersignature or an RFC 3161 timestamp token, after checking
 * that it signs this signature's value. Whether its issuer is a trusted TSA is not judged here.
 */
function readTimestamp(signer: SignerCheck, certificates: EmbeddedCertificate[], problems: string[]): Date | undefined {
  if (!signer.unauthenticatedAttributes || !signer.encryptedDigest) return undefined;
  const attributes = readAttributes(signer.unauthenticatedAttributes, signerLabel());
  const counterSignatures = attributes.get(OID.counterSignature);
  if (counterSignatures?.length) {
    const who = l10n.t('the timestamp countersignature');
    const check = checkSignerInfo(counterSignatures[0], certificates, signer.encryptedDigest, undefined, who, problems);
    if (!check.signingTime) problems.push(l10n.t('{0} has no signing time', who));
    return check.signingTime;
  }
  const tokens = attributes.get(OID.rfc3161Timestamp);
  if (tokens?.length) return readRfc3161Timestamp(tokens[0], certificates, signer.encryptedDigest, problems);
  return undefined;
}

function readRfc3161Timestamp(token: Der, outerCertificates: EmbeddedCertificate[], signatureValue: Buffer, problems: string[]): Date | undefined {
  const who = l10n.t('the RFC 3161 timestamp');
  const [type, wrapped] = sequenceOf(token, l10n.t("{0}'s ContentInfo", who), 2);
  const contentTypeLabel = l10n.t("{0}'s content type", who);
  if (oidOf(type, contentTypeLabel) !== OID.signedData) throw new SignatureProblem(l10n.t('{0} is not PKCS#7 SignedData', who));
  const signedDataLabel = l10n.t("{0}'s SignedData", who);
  const parts = sequenceOf(explicit(wrapped, 0, signedDataLabel), signedDataLabel);
  if (parts.length < 4) throw new SignatureProblem(l10n.t("{0}'s SignedData is incomplete", who));
  const [, , encapsulated, ...rest] = parts;
  const certificates = [...readCertificates(rest.find((part) => part.tag === 0xa0)), ...outerCertificates];
  const [contentType, wrappedContent] = sequenceOf(encapsulated, l10n.t("{0}'s content", who), 2);
  if (oidOf(contentType, contentTypeLabel) !== OID.tstInfo) throw new SignatureProblem(l10n.t('{0} does not hold a TSTInfo', who));
  const tstInfoLabel = l10n.t("{0}'s TSTInfo", who);
  const tstInfoBytes = octetsOf(explicit(wrappedContent, 0, tstInfoLabel), tstInfoLabel);
  const tstInfo = sequenceOf(readElement(tstInfoBytes, 0, tstInfoBytes.length, tstInfoLabel), tstInfoLabel);
  if (tstInfo.length < 5) throw new SignatureProblem(l10n.t("{0}'s TSTInfo is incomplete", who));
  const imprintLabel = l10n.t("{0}'s message imprint", who);
  const [imprintAlgorithmId, imprint] = sequenceOf(tstInfo[2], imprintLabel, 2);
  const imprintAlgorithm = DIGEST_ALGORITHMS[algorithmOid(imprintAlgorithmId, l10n.t("{0}'s imprint algorithm", who))];
  if (!imprintAlgorithm) {
    problems.push(l10n.t("{0}'s message imprint uses an unsupported digest algorithm", who));
  } else if (!octetsOf(imprint, imprintLabel).equals(nodeCrypto().createHash(imprintAlgorithm).update(signatureValue).digest())) {
    problems.push(l10n.t('{0} was made for a different signature: its message imprint does not match this signature', who));
  }
  const signers = setOf(rest[rest.length - 1], l10n.t("{0}'s signer infos", who));
  if (signers.length !== 1) throw new SignatureProblem(l10n.t('{0} has {1} signer infos instead of one', who, signers.length));
  checkSignerInfo(signers[0], certificates, tstInfoBytes, OID.tstInfo, who, problems);
  return timeOf(tstInfo[4], l10n.t("{0}'s time", who));
}

/** Attributes by OID, each with its values. */
function readAttributes(attributes: Der, who: string): Map<string, Der[]> {
  const byType = new Map<string, Der[]>();
  const attributeLabel = l10n.t('an attribute of {0}', who);
  const attributeTypeLabel = l10n.t('an attribute type of {0}', who);
  for (const attribute of childrenOf(attributes, l10n.t("{0}'s attributes", who))) {
    const [type, values] = sequenceOf(attribute, attributeLabel, 2);
    const oid = oidOf(type, attributeTypeLabel);
    byType.set(oid, [...(byType.get(oid) ?? []), ...setOf(values, l10n.t("the values of {0}'s attribute {1}", who, oid))]);
  }
  return byType;
}

function describeDigest(oid: string): string {
  const name = UNSUPPORTED_DIGESTS[oid];
  return name ? `${name} (${oid})` : l10n.t('the unknown digest algorithm {0}', oid);
}

function guidText(bytes: Buffer): string {
  if (bytes.length !== 16) return l10n.t('of {0} bytes ({1})', bytes.length, bytes.toString('hex').toUpperCase());
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex').toUpperCase();
  };
  return `{${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}}`;
}

// ---------------------------------------------------------------------------------------------
// A strict DER reader over the stored bytes: elements keep their offsets.

interface Der {
  /** The identifier octet (class, constructed bit and tag number below 31). */
  tag: number;
  bytes: Buffer;
  start: number;
  contentStart: number;
  end: number;
}

function readElement(bytes: Buffer, offset: number, limit: number, what: string): Der {
  const truncated = (): SignatureProblem => new SignatureProblem(l10n.t('the signature is not valid DER: {0} is truncated', what));
  if (offset + 2 > limit) throw truncated();
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new SignatureProblem(l10n.t('the signature is not valid DER: {0} uses a multi-byte tag, which no PKCS#7 field has', what));
  let length = bytes[offset + 1];
  let contentStart = offset + 2;
  if (length === 0x80) throw new SignatureProblem(l10n.t('the signature is not valid DER: {0} uses an indefinite length (BER), which DER forbids', what));
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4) throw new SignatureProblem(l10n.t('the signature is not valid DER: {0} declares a {1}-byte length', what, count));
    if (contentStart + count > limit) throw truncated();
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i];
    contentStart += count;
  }
  if (contentStart + length > limit) {
    throw new SignatureProblem(l10n.t('the signature is not valid DER: {0} declares {1} bytes but only {2} follow', what, length, limit - contentStart));
  }
  return { tag, bytes, start: offset, contentStart, end: contentStart + length };
}

function childrenOf(element: Der, what: string): Der[] {
  if ((element.tag & 0x20) === 0) throw new SignatureProblem(l10n.t('the signature is malformed: {0} is not a constructed element', what));
  const children: Der[] = [];
  const part = l10n.t('a part of {0}', what);
  for (let offset = element.contentStart; offset < element.end;) {
    const child = readElement(element.bytes, offset, element.end, part);
    children.push(child);
    offset = child.end;
  }
  return children;
}

function sequenceOf(element: Der | undefined, what: string, size?: number): Der[] {
  if (!element || element.tag !== 0x30) throw new SignatureProblem(l10n.t('the signature is malformed: {0} is not a SEQUENCE', what));
  const children = childrenOf(element, what);
  if (size !== undefined && children.length < size) {
    throw new SignatureProblem(l10n.t('the signature is malformed: {0} has {1} parts instead of {2}', what, children.length, size));
  }
  return children;
}

function setOf(element: Der | undefined, what: string): Der[] {
  if (!element || element.tag !== 0x31) throw new SignatureProblem(l10n.t('the signature is malformed: {0} is not a SET', what));
  return childrenOf(element, what);
}

/** The single element inside a context-specific [n] EXPLICIT wrapper. */
function explicit(element: Der | undefined, tagNumber: number, what: string): Der {
  if (!element || element.tag !== (0xa0 | tagNumber)) throw new SignatureProblem(l10n.t('the signature is malformed: {0} is missing', what));
  const [inner] = childrenOf(element, what);
  if (!inner) throw new SignatureProblem(l10n.t('the signature is malformed: {0} is empty', what));
  return inner;
}

function contentOf(element: Der): Buffer {
  return element.bytes.subarray(element.contentStart, element.end);
}

function wholeOf(element: Der): Buffer {
  return element.bytes.subarray(element.start, element.end);
}

function octetsOf(element: Der | undefined, what: string): Buffer {
  if (!element || element.tag !== 0x04) throw new SignatureProblem(l10n.t('the signature is malformed: {0} is not an OCTET STRING', what));
  return contentOf(element);
}

function integerOf(element: Der | undefined, what: string): Buffer {
  if (!element || element.tag !== 0x02 || element.end === element.contentStart) {
    throw new SignatureProblem(l10n.t('the signature is malformed: {0} is not an INTEGER', what));
  }
  return contentOf(element);
}

function oidOf(element: Der | undefined, what: string): string {
  if (!element || element.tag !== 0x06 || element.end === element.contentStart) {
    throw new SignatureProblem(l10n.t('the signature is malformed: {0} is not an OBJECT IDENTIFIER', what));
  }
  return forge.asn1.derToOid(contentOf(element).toString('binary'));
}

function algorithmOid(element: Der | undefined, what: string): string {
  const [oid] = sequenceOf(element, what, 1);
  return oidOf(oid, what);
}

function timeOf(element: Der, what: string): Date {
  const text = contentOf(element).toString('latin1');
  const date = element.tag === 0x17 ? forge.asn1.utcTimeToDate(text)
    : element.tag === 0x18 ? forge.asn1.generalizedTimeToDate(text)
    : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new SignatureProblem(l10n.t('the signature is malformed: {0} is not a valid time', what));
  return date;
}

function invalid(problems: string[], hasMsiDigitalSignatureEx: boolean): PackageSignature {
  return { state: 'invalid', problems, certificates: [], hasMsiDigitalSignatureEx };
}

/** Who a main-signature problem is about; the timestamps have their own. */
function signerLabel(): string {
  return l10n.t('the signer');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
