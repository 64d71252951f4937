// The mocha suite of test/e2e/suite inside the real extension host of code-server (VS Code 1.139),
// driven by Chromium: the extension is loaded from this repository as an extension under
// development, the tests from out-e2e/, the workspace is a fresh copy of examples/.
// Exit code: the suite's (0 when every test passed).
// Usage: node scripts/e2e/extension-tests.mjs [--grep <pattern>]
// (run `node scripts/e2e/setup.mjs`, `npm run build` and `tsc -p tsconfig.e2e.json` first; `npm run test:e2e` does.)
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { Run, log } from './harness.mjs';
import { OUTPUT_DIR, ROOT, SUITE_INDEX } from './tools.mjs';

const TIMEOUT_MS = 6 * 60_000;
const FAILURE_SCREENSHOT = 'extension-tests-failure.png';
/** test/e2e/suite/index.ts logs this before mocha's report; what the workbench logs before it goes to logs/workbench.log. */
const REPORT_START = 'wix-uac end-to-end suites:';
/** The workbench's own messages that can interleave with mocha's report (they stay in workbench.log). */
const WORKBENCH_CHATTER = /^\[[\w.: -]+\] |additional builtin extensions/;

export async function runExtensionTests({ grep } = {}) {
  if (!existsSync(SUITE_INDEX)) throw new Error(`${path.relative(ROOT, SUITE_INDEX)} is missing: compile the suite with \`npx tsc -p tsconfig.e2e.json\`.`);
  if (!existsSync(path.join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build`.');
  rmSync(path.join(OUTPUT_DIR, FAILURE_SCREENSHOT), { force: true });
  rmSync(path.join(OUTPUT_DIR, 'logs', 'extension-tests-workbench'), { recursive: true, force: true });
  const run = new Run('extension-tests', { timeoutMs: TIMEOUT_MS });
  let exitCode = 1;
  try {
    const workspace = run.copyWorkspace('examples');
    const profile = run.codeServerProfile();
    const { url, port } = await run.startCodeServer(profile, { smokeTestDriver: true });
    const { page } = await run.startChromium();

    let finished;
    const extensionHostExit = new Promise((resolve) => (finished = resolve));
    // The workbench calls these page functions when it runs with the smoke-test driver: the
    // extension host's log lines (mocha's report among them), then the tests' exit code with the logs.
    const workbenchLog = createWriteStream(run.path('logs', 'workbench.log'));
    let reporting = false;
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      workbenchLog.write(`[${level}] ${line}\n`);
      reporting ||= line.startsWith(REPORT_START);
      if (reporting && !WORKBENCH_CHATTER.test(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      if (code !== 0) saveWorkbenchLogs(logs);
      finished(code);
    });

    // The folder and the extension paths are on the code-server machine: vscode-remote URIs of its authority.
    const remote = (filePath) => `vscode-remote://127.0.0.1:${port}${filePath}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(SUITE_INDEX)],
    ];
    if (grep) payload.push(['extensionEnvironment', JSON.stringify({ WIX_UAC_E2E_GREP: grep })]);
    log(`running the suite on a copy of examples/ in ${url}`);
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    exitCode = await extensionHostExit;
    await new Promise((resolve) => workbenchLog.end(resolve));
    if (exitCode !== 0) await screenshot(page, FAILURE_SCREENSHOT);
    return exitCode;
  } finally {
    await run.close({ keepLogs: exitCode !== 0 });
  }
}

function saveWorkbenchLogs(logs) {
  if (!Array.isArray(logs)) return;
  const folder = path.join(OUTPUT_DIR, 'logs', 'extension-tests-workbench');
  for (const { relativePath, contents } of logs) {
    const target = path.join(folder, relativePath);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, contents);
  }
}

async function screenshot(page, name) {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT_DIR, name) }).catch(() => undefined);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const grepIndex = process.argv.indexOf('--grep');
  runExtensionTests({ grep: grepIndex > 0 ? process.argv[grepIndex + 1] : undefined }).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`[e2e] ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}
