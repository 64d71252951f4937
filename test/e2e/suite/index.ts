// The entry point VS Code loads from --extensionTestsPath: runs the end-to-end suites with mocha
// inside the extension host and rejects when a test fails, which sets the run's exit code.
import * as path from 'node:path';

// The quick-fix suite edits the workspace, so it runs after the suites that read it as shipped.
const SUITES = ['diagnostics', 'code-lenses', 'package-view', 'quick-fixes'];
const REPORT_START = 'wix-uac end-to-end suites:';

export async function run(): Promise<void> {
  // mocha is an ES module; the extension host loads this file as CommonJS.
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 90_000 });
  const only = process.env.WIX_UAC_E2E_GREP;
  if (only) mocha.grep(only);
  for (const name of SUITES) mocha.addFile(path.join(__dirname, `${name}.test.js`));
  // The harness prints the extension host's log from this line on: mocha's report.
  console.log(`${REPORT_START} ${SUITES.join(', ')}`);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} end-to-end test${failures === 1 ? '' : 's'} failed`);
}
