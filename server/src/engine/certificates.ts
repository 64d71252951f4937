// Reads X.509 certificate files — the files a WiX `DigitalCertificate/@SourceFile` names and
// the signer certificates embedded in signed patches — without ever throwing.
import * as l10n from '@vscode/l10n';
import type * as Crypto from 'node:crypto';
import type Forge from 'node-forge';
import forge from './forge';

/**
 * node:crypto, loaded when a certificate is first read: a lint of sources without certificates
 * never needs it, and loading it is a measurable part of the CLI's start-up.
 */
export function nodeCrypto(): typeof Crypto {
  return require('node:crypto') as typeof Crypto;
}

export interface CertificateInfo {
  /**
   * Distinguished name in RFC 4514 order (most specific RDN first, as OpenSSL's `dn_rev`
   * and Windows show it), RDNs joined by ", ", multi-valued RDNs by " + ", values escaped
   * per RFC 4514, non-string values as `#` + hex DER. Attribute names follow OpenSSL's short
   * names (CN, O, OU, C, L, ST, emailAddress, serialNumber, …); unknown ones are dotted OIDs.
   * Example: "CN=Contoso Patch Signing, O=Contoso Ltd, C=US".
   */
  subject: string;
  /** The most specific CN of the subject, unescaped. */
  subjectCommonName?: string;
  /** Same format as `subject`. */
  issuer: string;
  /** Uppercase hex of the serial number's bytes, without DER's leading zero sign byte (as OpenSSL prints it). */
  serialNumber: string;
  /** Uppercase hex SHA-1 of the DER bytes, no separators: the thumbprint `signtool /sha1` takes. */
  sha1: string;
  /** Uppercase hex SHA-256 of the DER bytes. */
  sha256: string;
  notBefore: Date;
  notAfter: Date;
  /** How the file stored the certificate. Windows Installer's CertData expects DER. */
  encoding: 'der' | 'pem';
  /** The certificate's DER bytes (a copy), for byte-wise comparison with embedded certificates. */
  der: Uint8Array;
}

export type CertificateReadResult =
  | { ok: true; certificate: CertificateInfo }
  | { ok: false; reason: string };

/**
 * File extensions treated as certificate files. `.crt` and `.pem` may hold either encoding;
 * PKCS#7 bundles (.p7b) and key stores (.pfx) are not certificates and are named as such
 * when read.
 */
export const CERTIFICATE_EXTENSIONS: readonly string[] = ['.cer', '.crt', '.der', '.pem'];

/** Real certificates are a few kilobytes; anything bigger is not one and is not worth parsing. */
export const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;

/** Reads a DER or PEM certificate (the first CERTIFICATE block of a PEM file). */
export function parseCertificate(bytes: Uint8Array): CertificateReadResult {
  try {
    return { ok: true, certificate: readCertificate(bytes) };
  } catch (error) {
    const reason = error instanceof UnreadableCertificate
      ? error.message
      : l10n.t('malformed certificate: {0}', error instanceof Error ? error.message : String(error));
    return { ok: false, reason };
  }
}

/** Why a file of `size` bytes is not read as a certificate, or undefined when its size is fine: checked before reading a file. */
export function certificateSizeProblem(size: number): string | undefined {
  if (size <= MAX_CERTIFICATE_FILE_BYTES) return undefined;
  return l10n.t('the file is {0} MiB; certificate files are a few KiB, and files over 1 MiB are not read', (size / 1024 / 1024).toFixed(1));
}

/** RFC 5280: the certificate is valid from notBefore through notAfter, both included. */
export function validityState(cert: CertificateInfo, now: Date): 'valid' | 'expired' | 'not-yet-valid' {
  if (now.getTime() < cert.notBefore.getTime()) return 'not-yet-valid';
  if (now.getTime() > cert.notAfter.getTime()) return 'expired';
  return 'valid';
}

/** A failure whose message is already the reason shown to the user. */
class UnreadableCertificate extends Error {}

function readCertificate(bytes: Uint8Array): CertificateInfo {
  if (bytes.length === 0) throw new UnreadableCertificate(l10n.t('empty file'));
  const tooLarge = certificateSizeProblem(bytes.length);
  if (tooLarge) throw new UnreadableCertificate(tooLarge);
  if (bytes[0] === 0x30) return readDer(bytes, 'der');
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN ')) return readDer(pemCertificateBody(text), 'pem');
  throw new UnreadableCertificate(l10n.t('not DER or PEM: {0}', describeStart(bytes)));
}

const PEM_CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);

function pemCertificateBody(text: string): Uint8Array {
  let blocks: Forge.pem.ObjectPEM[];
  try {
    blocks = forge.pem.decode(text);
  } catch (error) {
    throw new UnreadableCertificate(
      l10n.t('malformed PEM: no complete {0} / {1} block with a base64 body ({2})', '-----BEGIN …-----', '-----END …-----', (error as Error).message));
  }
  const certificate = blocks.find((block) => PEM_CERTIFICATE_LABELS.has(block.type));
  if (!certificate) {
    const labels = [...new Set(blocks.map((block) => block.type))];
    throw new UnreadableCertificate(
      labels.length === 1
        ? l10n.t('the file holds a PEM {0} block, not a CERTIFICATE', labels[0])
        : l10n.t('the file holds PEM {0} blocks, not a CERTIFICATE', labels.join(', ')),
    );
  }
  if (certificate.body.length === 0) throw new UnreadableCertificate(l10n.t('the PEM CERTIFICATE block is empty'));
  return Buffer.from(certificate.body, 'binary');
}

const { Class, Type } = forge.asn1;
type Asn1 = Forge.asn1.Asn1;
// forge also takes an options object (its typings know only `strict`). Keeping BIT STRINGs as
// bytes stops forge from guessing whether they hold nested DER (an ECDSA signature does).
const fromDer = forge.asn1.fromDer as unknown as (
  bytes: string, options: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean }) => Asn1;

function readDer(der: Uint8Array, encoding: 'der' | 'pem'): CertificateInfo {
  const declared = declaredDerSize(der);
  if (declared !== undefined && declared > der.length) {
    throw new UnreadableCertificate(
      encoding === 'pem'
        ? l10n.t('truncated: the certificate declares {0} bytes but the PEM block holds only {1}', declared, der.length)
        : l10n.t('truncated: the certificate declares {0} bytes but the file holds only {1}', declared, der.length),
    );
  }
  if (declared !== undefined && declared < der.length) {
    throw new UnreadableCertificate(
      l10n.t('{0} unexpected bytes follow the certificate; a certificate file holds exactly one certificate', der.length - declared));
  }
  let root: Asn1;
  try {
    root = fromDer(Buffer.from(der).toString('binary'), { strict: true, parseAllBytes: true, decodeBitStrings: false });
  } catch (error) {
    // forge's messages end with a period; ours follow it with more text.
    throw new UnreadableCertificate(l10n.t('malformed DER: {0}', (error as Error).message.replace(/\.$/, '')));
  }
  const otherContainer = recognizeOtherContainer(root);
  if (otherContainer) throw new UnreadableCertificate(otherContainer);

  const [tbs, signatureAlgorithm, signature] = sequence(root, 'Certificate', 3);
  sequence(signatureAlgorithm, 'signatureAlgorithm');
  expect(signature, Type.BITSTRING, 'signature');
  const fields = sequence(tbs, 'tbsCertificate');
  const hasVersion = fields[0]?.tagClass === Class.CONTEXT_SPECIFIC && fields[0].type === 0;
  const [serial, , issuer, validity, subject, subjectPublicKeyInfo] = fields.slice(hasVersion ? 1 : 0);
  const [notBefore, notAfter] = sequence(validity, 'validity', 2);
  sequence(subjectPublicKeyInfo, 'subjectPublicKeyInfo');
  const subjectName = readName(subject, 'subject');

  const copy = new Uint8Array(der);
  return {
    subject: subjectName.text,
    ...(subjectName.commonName !== undefined ? { subjectCommonName: subjectName.commonName } : {}),
    issuer: readName(issuer, 'issuer').text,
    serialNumber: serialHex(expect(serial, Type.INTEGER, 'serialNumber')),
    sha1: nodeCrypto().createHash('sha1').update(copy).digest('hex').toUpperCase(),
    sha256: nodeCrypto().createHash('sha256').update(copy).digest('hex').toUpperCase(),
    notBefore: readTime(notBefore, 'notBefore'),
    notAfter: readTime(notAfter, 'notAfter'),
    encoding,
    der: copy,
  };
}

/** Header + content size the outermost DER element claims, or undefined when its length field is unusable. */
function declaredDerSize(der: Uint8Array): number | undefined {
  if (der.length < 2) return undefined;
  if (der[1] < 0x80) return 2 + der[1];
  const lengthBytes = der[1] & 0x7f;
  if (lengthBytes === 0 || lengthBytes > 4 || der.length < 2 + lengthBytes) return undefined;
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + der[2 + i];
  return 2 + lengthBytes + length;
}

const OID_PKCS7_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_PKCS7_DATA = '1.2.840.113549.1.7.1';

/** Names the DER containers people export instead of a certificate, so the reason says what to do. */
function recognizeOtherContainer(root: Asn1): string | undefined {
  const [first, second] = Array.isArray(root.value) ? root.value : [];
  if (isOid(first, OID_PKCS7_SIGNED_DATA)) {
    return l10n.t('the file is a PKCS#7 bundle (.p7b), not a single certificate; export the signing certificate alone as DER (.cer)');
  }
  const contentType = second && Array.isArray(second.value) ? second.value[0] : undefined;
  if (first?.type === Type.INTEGER && first.value === '\x03' && isOid(contentType, OID_PKCS7_DATA)) {
    return l10n.t('the file is a PKCS#12 key store (.pfx), not a certificate; export the certificate without its private key as DER (.cer)');
  }
  return undefined;
}

function isOid(node: Asn1 | undefined, oid: string): boolean {
  return node?.tagClass === Class.UNIVERSAL && node.type === Type.OID && typeof node.value === 'string'
    && forge.asn1.derToOid(node.value) === oid;
}

function sequence(node: Asn1 | undefined, what: string, size?: number): Asn1[] {
  if (!node || node.tagClass !== Class.UNIVERSAL || node.type !== Type.SEQUENCE || !Array.isArray(node.value)) {
    throw new UnreadableCertificate(l10n.t('{0} is not a SEQUENCE', what));
  }
  if (size !== undefined && node.value.length !== size) {
    throw new UnreadableCertificate(l10n.t('{0} should have {2} parts, not {1}', what, node.value.length, size));
  }
  return node.value;
}

function expect(node: Asn1 | undefined, type: number, what: string): string {
  if (!node || node.tagClass !== Class.UNIVERSAL || node.type !== type || typeof node.value !== 'string') {
    throw new UnreadableCertificate(l10n.t('{0} has the wrong type', what));
  }
  return node.value;
}

function serialHex(integer: string): string {
  const bytes = Buffer.from(integer, 'binary');
  const isSignPadding = bytes.length > 1 && bytes[0] === 0 && bytes[1] >= 0x80;
  return (isSignPadding ? bytes.subarray(1) : bytes).toString('hex').toUpperCase();
}

function readTime(node: Asn1 | undefined, what: string): Date {
  const date = node?.type === Type.UTCTIME ? forge.asn1.utcTimeToDate(expect(node, Type.UTCTIME, what))
    : node?.type === Type.GENERALIZEDTIME ? forge.asn1.generalizedTimeToDate(expect(node, Type.GENERALIZEDTIME, what))
    : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new UnreadableCertificate(l10n.t('{0} is not a valid UTCTime or GeneralizedTime', what));
  }
  return date;
}

// OpenSSL's short names, so `subject` reads the same as `openssl x509 -subject` output.
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};
const OID_COMMON_NAME = '2.5.4.3';

// String types without a constant in forge.asn1.Type.
const NUMERIC_STRING = 18;
const TELETEX_STRING = 20;
const VISIBLE_STRING = 26;
const SINGLE_BYTE_STRING_TYPES = new Set<number>(
  [Type.PRINTABLESTRING, Type.IA5STRING, NUMERIC_STRING, TELETEX_STRING, VISIBLE_STRING]);

function readName(name: Asn1 | undefined, what: string): { text: string; commonName?: string } {
  let commonName: string | undefined;
  const rdns = sequence(name, what).map((rdn) => {
    if (rdn.tagClass !== Class.UNIVERSAL || rdn.type !== Type.SET || !Array.isArray(rdn.value)) {
      throw new UnreadableCertificate(l10n.t('{0} holds a part that is not a SET', what));
    }
    return rdn.value.map((attribute) => {
      const [type, value] = sequence(attribute, l10n.t('an attribute of the {0}', what), 2);
      const oid = forge.asn1.derToOid(expect(type, Type.OID, l10n.t('an attribute type of the {0}', what)));
      const text = attributeText(value);
      if (oid === OID_COMMON_NAME && text !== undefined) commonName = text;
      const valueText = text === undefined ? `#${forge.util.bytesToHex(forge.asn1.toDer(value).getBytes())}` : escapeAttributeValue(text);
      return `${ATTRIBUTE_NAMES[oid] ?? oid}=${valueText}`;
    }).join(' + ');
  });
  // The DER sequence runs from the root (C=…) to the most specific RDN; show the latter first.
  const text = rdns.reverse().join(', ');
  // The last CN in DER order is the most specific one.
  return commonName === undefined ? { text } : { text, commonName };
}

/** The value as text, or undefined when it is not a string type we decode (shown as hex DER). */
function attributeText(value: Asn1): string | undefined {
  if (value.tagClass !== Class.UNIVERSAL || typeof value.value !== 'string') return undefined;
  if (value.type === Type.UTF8) return Buffer.from(value.value, 'binary').toString('utf8');
  if (value.type === Type.BMPSTRING) return value.value; // forge already decodes UTF-16BE to a string
  // Teletex is read as Latin-1, as OpenSSL and Windows do.
  if (SINGLE_BYTE_STRING_TYPES.has(value.type)) return value.value;
  return undefined;
}

function escapeAttributeValue(value: string): string {
  let escaped = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) {
      escaped += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    } else if (',+"\\<>;'.includes(c) || (i === 0 && (c === '#' || c === ' ')) || (i === value.length - 1 && c === ' ')) {
      escaped += `\\${c}`;
    } else {
      escaped += c;
    }
  }
  return escaped;
}

function describeStart(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 40);
  const isText = head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
  if (isText) {
    const firstLine = Buffer.from(head).toString('latin1').split(/\r?\n/)[0];
    return l10n.t('the file is text ("{0}…") without a {1} line', firstLine, '-----BEGIN CERTIFICATE-----');
  }
  const hex = Buffer.from(bytes.subarray(0, 8)).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');
  return l10n.t('the file starts with bytes {0}; a DER certificate starts with 30', hex);
}
