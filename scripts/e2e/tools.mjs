// Where the end-to-end tests find their tools: Node 24 and code-server in the repository's .e2e/
// cache (put there by setup.mjs), and the system's Chromium.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** WIX_UAC_E2E_CACHE moves the cache, e.g. to a folder a CI system keeps between runs. */
export const CACHE_DIR = process.env.WIX_UAC_E2E_CACHE ? path.resolve(process.env.WIX_UAC_E2E_CACHE) : path.join(ROOT, '.e2e');
export const OUTPUT_DIR = path.join(ROOT, 'test-output', 'e2e');

/** code-server 4.139.1 bundles VS Code 1.139.1 and runs only on Node 24. */
export const CODE_SERVER_VERSION = '4.139.1';
/** The npm registry's node-<platform>-<arch> packages hold a real Node binary with its headers. */
export const NODE_VERSION = '24.21.0';
export const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;

export const NODE_INSTALL_DIR = path.join(CACHE_DIR, 'node');
export const NODE_DIR = path.join(NODE_INSTALL_DIR, 'node_modules', NODE_PACKAGE);
export const NODE_BIN_DIR = path.join(NODE_DIR, 'bin');
export const NODE_BINARY = path.join(NODE_BIN_DIR, 'node');

export const CODE_SERVER_INSTALL_DIR = path.join(CACHE_DIR, 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_INSTALL_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Written once an install finished and code-server answered `--version`: what the cache holds. */
export const CODE_SERVER_MARKER = path.join(CODE_SERVER_INSTALL_DIR, 'installed.json');

/** The compiled mocha suite (tsconfig.e2e.json). */
export const SUITE_INDEX = path.join(ROOT, 'out-e2e', 'test', 'e2e', 'suite', 'index.js');

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** WIX_UAC_E2E_CHROMIUM wins; otherwise the first Chromium or Chrome installed in the usual place. */
export function chromiumPath() {
  const chosen = process.env.WIX_UAC_E2E_CHROMIUM;
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  return CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
}
