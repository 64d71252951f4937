// Opens a built package or patch and reads what the rules need, closing the file before returning.
// Every failure becomes a reason for `unreadable-package`; nothing here throws.

import * as l10n from '@vscode/l10n';
import type { FileSystem } from '../fs';
import { verifyPackageSignature } from './authenticode';
import { openCompoundFile, UnreadablePackageError, type CompoundFile } from './cfb';
import { buildDatabaseModel, type DatabaseModel } from './model';
import { readMsiDatabase } from './msi-database';

export type PackageReadResult = { ok: true; model: DatabaseModel } | { ok: false; reason: string };

export function readPackage(fs: FileSystem, filePath: string): PackageReadResult {
  const result = withCompoundFile(fs, filePath, (file) => {
    const database = readMsiDatabase(file, filePath);
    // Certificates are read from the file while it is open; the model keeps no handle on it.
    return buildDatabaseModel(database, verifyPackageSignature(file));
  });
  return result.ok ? { ok: true, model: result.value } : result;
}

/** Runs `read` on the open compound file; turns every failure into a reason. */
export function withCompoundFile<T>(fs: FileSystem, filePath: string, read: (file: CompoundFile) => T): { ok: true; value: T } | { ok: false; reason: string } {
  const source = fs.openBytes(filePath);
  if (!source) return { ok: false, reason: l10n.t('the file cannot be read') };
  try {
    return { ok: true, value: read(openCompoundFile(source)) };
  } catch (error) {
    if (error instanceof UnreadablePackageError) return { ok: false, reason: error.message };
    // A reader bug must not pass for a verdict on the file: say so plainly.
    return { ok: false, reason: l10n.t('internal error while reading it ({0}); please report it', error instanceof Error ? error.message : String(error)) };
  } finally {
    source.close();
  }
}
