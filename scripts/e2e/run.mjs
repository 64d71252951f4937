// `npm run test:e2e` after setup, build and compile: the extension-host suite, then the UI smoke
// test on the packaged .vsix. Both run even when the first fails; the exit code is 1 if either did.
import { runExtensionTests } from './extension-tests.mjs';
import { log } from './harness.mjs';
import { runUiSmoke } from './ui-smoke.mjs';

async function attempt(name, action) {
  const started = Date.now();
  try {
    const passed = await action();
    log(`${name}: ${passed ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return passed;
  } catch (error) {
    console.error(`[e2e] ${name}: ${error instanceof Error ? error.message : error}`);
    log(`${name}: FAILED in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return false;
  }
}

const suitePassed = await attempt('extension tests in code-server', async () => (await runExtensionTests()) === 0);
const smokePassed = await attempt('UI smoke test on the .vsix', async () => {
  await runUiSmoke();
  return true;
});
process.exit(suitePassed && smokePassed ? 0 : 1);
