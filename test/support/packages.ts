// Built packages, patches and .idt folders from test/fixtures/packages (made by
// scripts/fixtures/make-packages.sh with wixl, msibuild, osslsigncode and openssl).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UnreadablePackageError } from '../../server/src/engine/package/cfb';
import { FIXTURES, fixture, type Files } from './rule-tester';

export const PACKAGES = path.join(FIXTURES, 'packages');

/** What the real tools reported about each fixture (ProductCodes, verdicts, thumbprints). */
export const expected = JSON.parse(fs.readFileSync(path.join(PACKAGES, 'expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;

/** A package fixture's bytes, e.g. 'patch-sha256.msp' or 'hostile/truncated.msi'. */
export function packageFixture(name: string): Buffer {
  return fixture(`packages/${name}`);
}

/** Workspace files for packages, each under its own name. */
export function packages(...names: string[]): Files {
  return Object.fromEntries(names.map((name) => [path.basename(name), packageFixture(name)]));
}

/**
 * The .idt export of product-trusting.msi (msiinfo export) under `folder/`, with some table files
 * replaced (text) or left out (null). Binary cell files come along.
 */
export function idtFolder(folder: string, changes: Record<string, string | null> = {}): Files {
  const source = path.join(PACKAGES, 'product-trusting-idt');
  const files: Files = {};
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(source, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else files[`${folder}/${child}`] = fs.readFileSync(path.join(source, child));
    }
  };
  walk('');
  for (const [name, content] of Object.entries(changes)) {
    if (content === null) delete files[`${folder}/${name}`];
    else files[`${folder}/${name}`] = content;
  }
  return files;
}

/** The text of one table file of that export. */
export function idtText(name: string): string {
  return fs.readFileSync(path.join(PACKAGES, 'product-trusting-idt', name), 'utf8');
}

/** Asserts an UnreadablePackageError whose reason matches, within a second. */
export function assertUnreadable(action: () => unknown, reason: RegExp): void {
  const started = Date.now();
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof UnreadablePackageError, `expected UnreadablePackageError, got ${String(error)}`);
    assert.match(error.message, reason);
    return true;
  });
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
}
