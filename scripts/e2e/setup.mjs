// Gets what the real-VS-Code tests need and npm ci does not bring:
//  - system packages: a Chromium, and what code-server's native modules build with (pkg-config,
//    the Kerberos headers, a C++ toolchain, Python for node-gyp). Installed with apt-get when this
//    runs as root on Debian/Ubuntu; anywhere else the missing packages are named and setup fails;
//  - Node 24 from the npm package node-<platform>-<arch> (code-server refuses other majors);
//  - code-server, installed with that Node, into .e2e/ (gitignored).
// Each step is skipped when the cache already holds the pinned version, so a warm run takes a second.
// Usage: node scripts/e2e/setup.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CACHE_DIR,
  CODE_SERVER_ENTRY,
  CODE_SERVER_INSTALL_DIR,
  CODE_SERVER_MARKER,
  CODE_SERVER_VERSION,
  NODE_BINARY,
  NODE_BIN_DIR,
  NODE_DIR,
  NODE_INSTALL_DIR,
  NODE_PACKAGE,
  NODE_VERSION,
  ROOT,
  chromiumPath,
} from './tools.mjs';

const started = Date.now();

/** A tool the tests need, how to tell it is there, and the Debian/Ubuntu package that brings it. */
const SYSTEM_REQUIREMENTS = [
  { what: 'Chromium (the browser the workbench runs in)', debianPackage: 'chromium', present: () => chromiumPath() !== undefined },
  { what: 'pkg-config', debianPackage: 'pkg-config', present: () => commandExists('pkg-config') },
  { what: 'Kerberos development headers (code-server’s kerberos module)', debianPackage: 'libkrb5-dev', present: () => spawnSync('pkg-config', ['--exists', 'krb5-gssapi']).status === 0 },
  { what: 'a C++ compiler (node-gyp)', debianPackage: 'g++', present: () => commandExists('g++') || commandExists('c++') },
  { what: 'make (node-gyp)', debianPackage: 'make', present: () => commandExists('make') },
  { what: 'Python 3 (node-gyp)', debianPackage: 'python3', present: () => commandExists('python3') },
];

function commandExists(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function shown(folder) {
  const relative = path.relative(ROOT, folder);
  return relative.startsWith('..') ? folder : relative;
}

function log(message) {
  console.log(`[e2e setup] ${message}`);
}

function fail(message) {
  console.error(`[e2e setup] ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  return result.status === 0;
}

function ensureSystemPackages() {
  if (process.platform !== 'linux') {
    fail(`the real-VS-Code tests run code-server and Chromium on Linux; this is ${process.platform}. Use \`npm run test:electron\` here instead (docs/testing.md).`);
  }
  const missing = () => SYSTEM_REQUIREMENTS.filter((requirement) => !requirement.present());
  let absent = missing();
  if (absent.length === 0) return;
  const packages = absent.map((requirement) => requirement.debianPackage);
  const isRoot = process.getuid?.() === 0;
  if (isRoot && commandExists('apt-get')) {
    log(`installing ${packages.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!run('apt-get', ['update', '-qq'], { env }) || !run('apt-get', ['install', '-y', '-qq', ...packages], { env })) {
      fail(`apt-get could not install ${packages.join(' ')}.`);
    }
    absent = missing();
    if (absent.length === 0) return;
  }
  const list = absent.map((requirement) => `  - ${requirement.what} (Debian/Ubuntu package: ${requirement.debianPackage})`).join('\n');
  fail(
    `the real-VS-Code tests need system packages that are missing:\n${list}\n` +
      `Install them, e.g. \`sudo apt-get install ${absent.map((requirement) => requirement.debianPackage).join(' ')}\`` +
      ` (this setup installs them itself only when it runs as root with apt-get). A Chromium elsewhere on the` +
      ` machine can be named with WIX_UAC_E2E_CHROMIUM=/path/to/chromium.`,
  );
}

/** The environment for the npm runs below: no npm_* variables of an outer `npm test` (its prefix would win). */
function npmEnvironment() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  // Node 24 first on PATH, so npm, code-server's postinstall and node-gyp all run on it, and
  // node-gyp builds against its headers rather than the ones a user npmrc may point at.
  env.PATH = `${NODE_BIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`;
  env.npm_config_nodedir = NODE_DIR;
  return env;
}

function installedNodeVersion() {
  if (!existsSync(NODE_BINARY)) return undefined;
  const result = spawnSync(NODE_BINARY, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
}

function writeManifest(folder, dependencies) {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  // A manifest of its own makes the folder npm's prefix, so nothing lands in the repository's node_modules.
  writeFileSync(path.join(folder, 'package.json'), `${JSON.stringify({ private: true, description: 'Cache of the real-VS-Code tests (scripts/e2e/setup.mjs)', dependencies }, null, 2)}\n`);
}

function ensureNode() {
  if (installedNodeVersion() === NODE_VERSION) {
    log(`Node ${NODE_VERSION} is in ${shown(NODE_INSTALL_DIR)}`);
    return;
  }
  log(`installing Node ${NODE_VERSION} (npm package ${NODE_PACKAGE}) into ${shown(NODE_INSTALL_DIR)}`);
  writeManifest(NODE_INSTALL_DIR, { [NODE_PACKAGE]: NODE_VERSION });
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  if (!run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: NODE_INSTALL_DIR, env })) {
    fail(`npm could not install ${NODE_PACKAGE}@${NODE_VERSION}. Is the npm registry reachable? (A machine that is not Linux/macOS on x64/arm64 has no such package.)`);
  }
  const version = installedNodeVersion();
  if (version !== NODE_VERSION) fail(`${NODE_BINARY} reports ${version ?? 'nothing'}, expected ${NODE_VERSION}.`);
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(CODE_SERVER_MARKER, 'utf8'));
  } catch {
    return undefined;
  }
}

function ensureCodeServer() {
  const marker = readMarker();
  if (marker?.codeServer === CODE_SERVER_VERSION && marker?.node === NODE_VERSION && existsSync(CODE_SERVER_ENTRY)) {
    log(`code-server ${CODE_SERVER_VERSION} is in ${shown(CODE_SERVER_INSTALL_DIR)}`);
    return;
  }
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} into ${shown(CODE_SERVER_INSTALL_DIR)} (builds native modules; a few minutes)`);
  writeManifest(CODE_SERVER_INSTALL_DIR, { 'code-server': CODE_SERVER_VERSION });
  // npm warns "Unknown env config nodedir": npm itself ignores it, node-gyp reads it. Harmless.
  if (!run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: CODE_SERVER_INSTALL_DIR, env: npmEnvironment() })) {
    fail(
      `npm could not install code-server ${CODE_SERVER_VERSION}. Its native modules need pkg-config, libkrb5-dev,` +
        ' g++, make and python3; the output above says which step failed.',
    );
  }
  // code-server writes a default config under HOME even for --version: give it a throwaway one.
  const home = mkdtempSync(path.join(os.tmpdir(), 'wix-uac-e2e-setup-'));
  const homeEnv = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share') };
  const version = spawnSync(NODE_BINARY, [CODE_SERVER_ENTRY, '--version'], { encoding: 'utf8', env: { ...npmEnvironment(), ...homeEnv } });
  rmSync(home, { recursive: true, force: true });
  if (version.status !== 0 || !version.stdout.split('\n').some((line) => line.startsWith(`${CODE_SERVER_VERSION} `))) {
    fail(`the installed code-server does not run: ${(version.stderr || version.stdout || '').trim()}`);
  }
  writeFileSync(CODE_SERVER_MARKER, `${JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION }, null, 2)}\n`);
}

ensureSystemPackages();
mkdirSync(CACHE_DIR, { recursive: true });
ensureNode();
ensureCodeServer();
log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (Chromium: ${chromiumPath()})`);
