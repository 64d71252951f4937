// What a built database means for UAC patching, in the terms the rules need: the same facts the
// WiX model gives for sources (scope, installer version, properties, registry writes, patch
// certificates), read from tables, each with the row it came from.

import * as l10n from '@vscode/l10n';
import { parseCertificate, type CertificateInfo, type CertificateReadResult } from '../certificates';
import type { PackageSignature } from './authenticode';
import { cellText, columnIndex, type Database, type Row, type Table } from './database';

/** Where a fact lives: a row of a table (an .idt line, or the package file itself). */
export interface RowRef {
  table: Table;
  row: Row;
}

export interface DatabaseProperty {
  name: string;
  value: string;
  /** A Property row, or a type-51 custom action (sets `name` to the formatted `value`). */
  authoring: 'Property' | 'CustomAction';
  /** The custom action's name, for type-51 rows. */
  action?: string;
  at: RowRef;
}

export interface DatabaseRegistryWrite {
  /** The Registry table's Root: -1 HKMU, 0 HKCR, 1 HKCU, 2 HKLM, 3 HKU. */
  root: number;
  key: string;
  name?: string;
  value?: string;
  at: RowRef;
}

export interface DigitalCertificateRow {
  id: string;
  /** The CertData bytes read as a certificate; undefined when the cell is empty or its stream/file missing. */
  certificate?: CertificateReadResult;
  /** Why the bytes could not be read (missing stream or file). */
  missing?: string;
  at: RowRef;
}

export interface PatchCertificateRow {
  id: string;
  digitalCertificateId: string;
  /** The MsiDigitalCertificate row it names, if there is one. */
  digitalCertificate?: DigitalCertificateRow;
  at: RowRef;
}

export interface DatabaseScope {
  perMachine: boolean;
  /** Why, in words: "the ALLUSERS property is 1". */
  reason: string;
  at?: RowRef;
}

export interface DatabaseModel {
  database: Database;
  path: string;
  kind: Database['kind'];
  /** A product database (has a ProductCode), not a patch, transform or partial table export. */
  isProduct: boolean;
  productCode?: string;
  productName?: string;
  productVersion?: string;
  scope: DatabaseScope;
  /** Summary PID 14 (page count): the schema / minimum Windows Installer version. */
  installerVersion?: number;
  properties: DatabaseProperty[];
  registryWrites: DatabaseRegistryWrite[];
  digitalCertificates: DigitalCertificateRow[];
  patchCertificates: PatchCertificateRow[];
  /** Tables that name an MsiDigitalCertificate row (MsiDigitalSignature, MsiPackageCertificate, MsiPatchCertificate). */
  certificateReferences: { table: string; digitalCertificateId: string; at: RowRef }[];
  /** For a patch: the target ProductCodes from the summary Template. */
  targetProductCodes: string[];
  /** For a patch: its PatchCode, the first GUID of the summary Revision Number. */
  patchCode?: string;
  /** For a package file: its Authenticode signature. */
  signature?: PackageSignature;
}

/** Reads the facts out of a database. Binary certificate cells are read now (they are small). */
export function buildDatabaseModel(database: Database, signature?: PackageSignature): DatabaseModel {
  const properties = readProperties(database);
  const digitalCertificates = rowsOf(database, 'MsiDigitalCertificate').map(({ table, row }) => readDigitalCertificate(table, row));
  const byId = new Map(digitalCertificates.map((certificate) => [certificate.id, certificate]));
  const patchCertificates = rowsOf(database, 'MsiPatchCertificate').map(({ table, row }): PatchCertificateRow => {
    const digitalCertificateId = cellText(table, row, 'DigitalCertificate_') ?? '';
    return { id: cellText(table, row, 'PatchCertificate') ?? '', digitalCertificateId, digitalCertificate: byId.get(digitalCertificateId), at: { table, row } };
  });
  const productCode = propertyValue(properties, 'ProductCode');
  return {
    database,
    path: database.path,
    kind: database.kind,
    isProduct: productCode !== undefined && (database.kind === 'msi' || database.kind === 'idt'),
    productCode,
    productName: propertyValue(properties, 'ProductName'),
    productVersion: propertyValue(properties, 'ProductVersion'),
    scope: readScope(properties),
    installerVersion: database.summary.pageCount,
    properties,
    registryWrites: rowsOf(database, 'Registry').map(({ table, row }) => ({
      root: Number(cellText(table, row, 'Root')),
      key: cellText(table, row, 'Key') ?? '',
      name: cellText(table, row, 'Name'),
      value: cellText(table, row, 'Value'),
      at: { table, row },
    })),
    digitalCertificates,
    patchCertificates,
    certificateReferences: ['MsiDigitalSignature', 'MsiPackageCertificate', 'MsiPatchCertificate'].flatMap((name) =>
      rowsOf(database, name).flatMap(({ table, row }) => {
        const id = cellText(table, row, 'DigitalCertificate_');
        return id === undefined ? [] : [{ table: name, digitalCertificateId: id, at: { table, row } }];
      }),
    ),
    targetProductCodes: database.kind === 'msp' ? productCodesIn(database.summary.template ?? '') : [],
    // The Revision Number holds the PatchCode followed by obsolete codes, without separators.
    patchCode: database.kind === 'msp' ? /\{[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}/.exec(database.summary.revision ?? '')?.[0] : undefined,
    signature,
  };
}

/** `{6A1F…}` in one form, for comparing ProductCodes written with or without braces, in any case. */
export function normalizeProductCode(code: string): string {
  return code.trim().replace(/^\{|\}$/g, '').toUpperCase();
}

/** A GUID as a ProductCode is written, with or without braces; "*" and variables are not one. */
export function isProductCode(text: string): boolean {
  return /^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?$/.test(text.trim());
}

export function productCodesIn(template: string): string[] {
  return template.split(/[;,]/).map((part) => part.trim()).filter(isProductCode);
}

/** The certificates a database's MsiPatchCertificate rows name, where their CertData is readable. */
export function listedDatabaseCertificates(database: DatabaseModel): CertificateInfo[] {
  return database.patchCertificates.flatMap((row) => {
    const result = row.digitalCertificate?.certificate;
    return result?.ok ? [result.certificate] : [];
  });
}

/** "the Property table (Property.idt:12)" or "the Property table" — where a row is, in words. */
export function describeRow(at: RowRef): string {
  const file = at.table.file.split(/[\\/]/).pop();
  return at.row.line !== undefined ? `${file}:${at.row.line + 1}` : l10n.t('the {0} table', at.table.name);
}

function rowsOf(database: Database, tableName: string): RowRef[] {
  const table = database.tables.get(tableName);
  return table ? table.rows.map((row) => ({ table, row })) : [];
}

function readProperties(database: Database): DatabaseProperty[] {
  const properties: DatabaseProperty[] = [];
  for (const at of rowsOf(database, 'Property')) {
    const name = cellText(at.table, at.row, 'Property');
    if (name) properties.push({ name, value: cellText(at.table, at.row, 'Value') ?? '', authoring: 'Property', at });
  }
  for (const at of rowsOf(database, 'CustomAction')) {
    // Type 51 (low 6 bits): sets the property named in Source to the formatted Target.
    const type = Number(cellText(at.table, at.row, 'Type'));
    const name = cellText(at.table, at.row, 'Source');
    if ((type & 0x3f) === 51 && name) {
      properties.push({ name, value: cellText(at.table, at.row, 'Target') ?? '', authoring: 'CustomAction', action: cellText(at.table, at.row, 'Action'), at });
    }
  }
  return properties;
}

function propertyValue(properties: DatabaseProperty[], name: string): string | undefined {
  return properties.find((property) => property.authoring === 'Property' && property.name === name)?.value;
}

/** Windows Installer's reading of ALLUSERS and MSIINSTALLPERUSER when nobody overrides them on the command line. */
function readScope(properties: DatabaseProperty[]): DatabaseScope {
  const allUsers = properties.find((property) => property.authoring === 'Property' && property.name === 'ALLUSERS');
  if (!allUsers || allUsers.value.trim() === '') return { perMachine: false, reason: l10n.t('no ALLUSERS property: Windows Installer installs per-user') };
  const value = allUsers.value.trim();
  if (value === '1') return { perMachine: true, reason: l10n.t('the ALLUSERS property is 1'), at: allUsers.at };
  if (value === '2') {
    const perUser = propertyValue(properties, 'MSIINSTALLPERUSER')?.trim() === '1';
    return perUser
      ? { perMachine: false, reason: l10n.t('ALLUSERS is 2 and MSIINSTALLPERUSER is 1 (per-user unless chosen otherwise)'), at: allUsers.at }
      : { perMachine: true, reason: l10n.t('ALLUSERS is 2 (per-machine for administrators)'), at: allUsers.at };
  }
  // Only "", 1 and 2 are documented; read other values as the WiX model does (not per-machine).
  return { perMachine: false, reason: l10n.t('the ALLUSERS property is "{0}"', value), at: allUsers.at };
}

function readDigitalCertificate(table: Table, row: Row): DigitalCertificateRow {
  const id = cellText(table, row, 'DigitalCertificate') ?? '';
  const cell = row.cells[columnIndex(table, 'CertData')];
  if (!cell || typeof cell !== 'object') return { id, missing: l10n.t('the CertData cell is empty'), at: { table, row } };
  const bytes = cell.read();
  if (!bytes) return { id, missing: l10n.t('CertData ({0}) cannot be read', cell.name), at: { table, row } };
  return { id, certificate: parseCertificate(bytes), at: { table, row } };
}
