// The same mocha suite (test/e2e/suite) in desktop VS Code, through @vscode/test-electron: for
// machines that can download VS Code from Microsoft's update server (update.code.visualstudio.com).
// Machines that cannot — the CI machines of this project among them — run the suite in code-server
// with `npm run test:e2e` instead; here this script fails with a message that says so.
// On Linux without a display, run it under `xvfb-run -a`.
// Usage: node scripts/e2e/electron-tests.mjs [--grep <pattern>]   (after `npm run build` and `tsc -p tsconfig.e2e.json`)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { Run, log } from './harness.mjs';
import { CACHE_DIR, ROOT, SUITE_INDEX } from './tools.mjs';

/** The VS Code that code-server 4.139.1 bundles, so both harnesses test against the same release. */
const VSCODE_VERSION = '1.139.1';
const TIMEOUT_MS = 15 * 60_000;
const DOWNLOAD_IDLE_TIMEOUT_MS = 20_000;

async function main() {
  if (!existsSync(SUITE_INDEX)) throw new Error(`${path.relative(ROOT, SUITE_INDEX)} is missing: compile the suite with \`npx tsc -p tsconfig.e2e.json\`.`);
  const grepIndex = process.argv.indexOf('--grep');
  const grep = grepIndex > 0 ? process.argv[grepIndex + 1] : undefined;

  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: path.join(CACHE_DIR, 'vscode-test'), timeout: DOWNLOAD_IDLE_TIMEOUT_MS });
  } catch (error) {
    throw new Error(
      `npm run test:electron needs VS Code ${VSCODE_VERSION}, downloaded from Microsoft's update server, and the download failed: ` +
        `${error instanceof Error ? error.message : error}\n` +
        'On a machine without access to update.code.visualstudio.com, run the same suite in code-server: `npm run test:e2e` (docs/testing.md).',
    );
  }

  const run = new Run('electron-tests', { timeoutMs: TIMEOUT_MS });
  let exitCode = 1;
  try {
    const workspace = run.copyWorkspace('examples');
    const userDataDir = run.path('vscode', 'user-data');
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    writeFileSync(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify({ 'files.autoSave': 'off', 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false }, null, 2)}\n`);
    log(`running the suite in VS Code ${VSCODE_VERSION} on a copy of examples/`);
    exitCode = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: SUITE_INDEX,
      extensionTestsEnv: { ...run.env, ...(grep ? { WIX_UAC_E2E_GREP: grep } : {}) },
      launchArgs: [workspace, '--user-data-dir', userDataDir, '--extensions-dir', run.path('vscode', 'extensions'), '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (error) {
    // runTests rejects when VS Code exits with a non-zero code: the suite's failures are above.
    console.error(`[e2e] ${error instanceof Error ? error.message : error}`);
  } finally {
    await run.close({ keepLogs: exitCode !== 0 });
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[e2e] ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
