// A database as the read-only package view and `wix-uac inspect` show it: summary information,
// tables as columns and rows, and the signature with its verdict and trust. Plain data, ready
// for JSON.

import * as l10n from '@vscode/l10n';
import { validityState } from '../certificates';
import { describeCertificate } from '../rules/certificate-fixes';
import { patchStatus } from '../lenses';
import { databaseReadiness } from '../readiness';
import type { InspectOptions } from '../api';
import type { DatabaseKind, SummaryInformation } from './database';
import type { DatabaseModel } from './model';
import type { PackageStream } from './msi-database';
import { printableStreamName } from './msi-names';
import { describeCertificates, patchTrust, type PatchTrust, type TargetsByCode } from './trust';

export interface InspectedTable {
  name: string;
  columns: { name: string; type: string; key: boolean; nullable: boolean }[];
  rows: string[][];
  rowCount: number;
  /** Rows left out because of `maxRows`. */
  omittedRows: number;
}

export interface InspectedSigner {
  subject: string;
  issuer: string;
  serialNumber: string;
  sha1: string;
  sha256: string;
  notBefore: string;
  notAfter: string;
  validity: 'valid' | 'expired' | 'not-yet-valid';
}

export interface InspectedSignature {
  state: 'unsigned' | 'valid' | 'invalid';
  problems: string[];
  digestAlgorithm?: string;
  hasMsiDigitalSignatureEx: boolean;
  signingTime?: string;
  timestamp?: string;
  signer?: InspectedSigner;
  certificateCount: number;
  /** For a patch with a valid signature: what its targets in the workspace say about the signer. */
  trust?: {
    state: 'trusted' | 'untrusted' | 'undecided' | 'no-target';
    /**
     * `status`: the target's own UAC-patching readiness ("ready — trusts …", "disabled by …").
     * `once`: set when the signer is trusted only after an earlier patch that adds it is applied.
     */
    targets: { productCode: string; product: string; trusts: boolean | undefined; once?: string; lists: string; status: string }[];
    missingTargets: string[];
  };
}

export interface PackageInspection {
  file: string;
  kind?: DatabaseKind;
  /** Why the file could not be read; nothing else is filled in then. */
  error?: string;
  /** One line: UAC-patching readiness of a product, or signature and trust of a patch. */
  status?: string;
  /** `name` is in the user's language; `property` names the summary information property for programs. */
  summary: { property: keyof SummaryInformation; name: string; value: string }[];
  tables: InspectedTable[];
  /** A package's streams and storages (a patch's transforms are storages), names unpacked and printable (`\x05SummaryInformation`). */
  streams?: PackageStream[];
  signature?: InspectedSignature;
}

/** The summary information properties in the order Windows shows them, with their names in the user's language. */
function summaryLabels(): [keyof SummaryInformation, string][] {
  return [
    ['title', l10n.t({ message: 'Title', comment: ['Summary information property'] })],
    ['subject', l10n.t({ message: 'Subject', comment: ['Summary information property'] })],
    ['author', l10n.t({ message: 'Author', comment: ['Summary information property'] })],
    ['keywords', l10n.t({ message: 'Keywords', comment: ['Summary information property'] })],
    ['comments', l10n.t({ message: 'Comments', comment: ['Summary information property'] })],
    ['template', l10n.t({ message: 'Template', comment: ['Summary information property: the platforms and languages of the package'] })],
    ['revision', l10n.t({ message: 'Revision number', comment: ['Summary information property: the package code, or for a patch its patch code and targets'] })],
    ['lastSavedBy', l10n.t({ message: 'Last saved by', comment: ['Summary information property'] })],
    ['created', l10n.t({ message: 'Created', comment: ['Summary information property: creation time'] })],
    ['lastSaved', l10n.t({ message: 'Last saved', comment: ['Summary information property: time'] })],
    ['lastPrinted', l10n.t({ message: 'Last printed', comment: ['Summary information property: time'] })],
    ['pageCount', l10n.t({ message: 'Page count (installer version)', comment: ['Summary information property'] })],
    ['wordCount', l10n.t({ message: 'Word count (source flags)', comment: ['Summary information property'] })],
    ['characterCount', l10n.t({ message: 'Character count', comment: ['Summary information property'] })],
    ['application', l10n.t({ message: 'Creating application', comment: ['Summary information property'] })],
    ['security', l10n.t({ message: 'Security', comment: ['Summary information property'] })],
    ['codepage', l10n.t({ message: 'Codepage', comment: ['Summary information property'] })],
  ];
}

export function inspectDatabase(model: DatabaseModel, byCode: TargetsByCode, now: Date, options: InspectOptions = {}): PackageInspection {
  const summary = summaryLabels().flatMap(([property, name]) => {
    const value = model.database.summary[property];
    return value === undefined ? [] : [{ property, name, value: value instanceof Date ? value.toISOString() : String(value) }];
  });
  const tables = [...model.database.tables.values()]
    .filter((table) => options.table === undefined || table.name === options.table)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((table): InspectedTable => {
      const shown = options.maxRows === undefined ? table.rows : table.rows.slice(0, options.maxRows);
      return {
        name: table.name,
        columns: table.columns.map((column) => ({ name: column.name, type: columnType(column), key: column.key, nullable: column.nullable })),
        rows: shown.map((row) => row.cells.map((cell) => (cell === null ? '' : typeof cell === 'object' ? `[${l10n.t('binary: {0}', cell.name)}]` : String(cell)))),
        rowCount: table.rows.length,
        omittedRows: table.rows.length - shown.length,
      };
    });
  const status = model.kind === 'msp' ? patchStatus(model, byCode, now) : model.isProduct ? l10n.t('UAC patching: {0}', databaseReadiness(model).text) : undefined;
  return { file: model.path, kind: model.kind, ...(status ? { status } : {}), summary, tables, ...(model.signature ? { signature: inspectSignature(model, byCode, now) } : {}) };
}

function inspectSignature(model: DatabaseModel, byCode: TargetsByCode, now: Date): InspectedSignature {
  const signature = model.signature!;
  const signer = signature.signer;
  const inspected: InspectedSignature = {
    state: signature.state,
    problems: signature.problems,
    ...(signature.digestAlgorithm ? { digestAlgorithm: signature.digestAlgorithm } : {}),
    hasMsiDigitalSignatureEx: signature.hasMsiDigitalSignatureEx,
    ...(signature.signingTime ? { signingTime: signature.signingTime.toISOString() } : {}),
    ...(signature.timestamp ? { timestamp: signature.timestamp.toISOString() } : {}),
    certificateCount: signature.certificates.length,
  };
  if (signer) {
    inspected.signer = {
      subject: signer.subject,
      issuer: signer.issuer,
      serialNumber: signer.serialNumber,
      sha1: signer.sha1,
      sha256: signer.sha256,
      notBefore: signer.notBefore.toISOString(),
      notAfter: signer.notAfter.toISOString(),
      validity: validityState(signer, now),
    };
  }
  if (model.kind === 'msp' && signature.state === 'valid' && signer) {
    const trust = patchTrust(model, signer, byCode);
    const targets = trust.targets.map((target) => ({
      productCode: target.productCode,
      product: target.label,
      trusts: trust.trustedBy.includes(target) || trust.trustedAfter.some((entry) => entry.target === target) ? true : trust.untrustedBy.includes(target) ? false : undefined,
      lists: target.incomplete ?? describeCertificates(target.certificates),
      ...trustedAfterNote(trust.trustedAfter.find((entry) => entry.target === target)),
      status: target.status,
    }));
    const state = trust.untrustedBy.length > 0 ? 'untrusted' : trust.trustedBy.length + trust.trustedAfter.length > 0 ? 'trusted' : trust.undecided.length > 0 ? 'undecided' : 'no-target';
    inspected.trust = { state, targets, missingTargets: trust.missingTargets };
  }
  return inspected;
}

/** "once Contoso Tools Hotfix 2 (Patch.wxs) is applied", for a target that trusts the signer through an earlier patch. */
function trustedAfterNote(entry: PatchTrust['trustedAfter'][number] | undefined): { once?: string } {
  return entry ? { once: l10n.t('once {0} is applied (it adds {1})', entry.by.patchLabel, describeCertificate(entry.by.certificate)) } : {};
}

function columnType(column: { type: string; size: number; nullable: boolean; localizable: boolean }): string {
  // The .idt type code: s72, S0, L64, i2, I4, v0…
  const letter = column.type === 'integer' ? 'i' : column.type === 'binary' ? 'v' : column.localizable ? 'l' : 's';
  return `${column.nullable ? letter.toUpperCase() : letter}${column.size}`;
}

/** Streams as the view and `inspect` show them: control characters in names made visible. */
export function inspectStreams(streams: PackageStream[]): PackageStream[] {
  return streams.map((stream) => ({ ...stream, name: printableStreamName(stream.name), children: inspectStreams(stream.children) }));
}
