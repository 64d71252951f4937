// The UI smoke test: the packaged .vsix installed into code-server the way a user installs it, a
// fresh copy of examples/ opened in Chromium, and only what a person sees checked, through the DOM:
// a Problems row of one of our rules, the code lens above <Package>, and the quick-fix menu of
// Ctrl+. whose fix changes the text and clears the Problems row. Then the same .vsix in a Spanish
// workbench: a Spanish diagnostic in the Problems panel. Screenshots of each step go to test-output/e2e/.
// Usage: node scripts/e2e/ui-smoke.mjs [--vsix <file>]   (without --vsix it runs `npm run package`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { Run, log } from './harness.mjs';
import { buildSpanishLanguagePack } from './spanish-language-pack.mjs';
import { OUTPUT_DIR, ROOT } from './tools.mjs';

const TIMEOUT_MS = 6 * 60_000;
const STEP_TIMEOUT_MS = 60_000;
/** Monaco renders spaces in editor lines as no-break spaces. */
const normalize = (text) => text.replace(/\u00a0/g, ' ');

/** Builds the .vsix with the project's own packaging script and returns its path. */
function packageExtension() {
  const { name, version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  log('packaging the extension (npm run package)');
  const result = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run package failed:\n${result.stdout}${result.stderr}`);
  const vsix = path.join(ROOT, 'build', `${name}-${version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`npm run package did not write ${path.relative(ROOT, vsix)}`);
  return vsix;
}

class Screens {
  constructor() {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    // Only this test's numbered screenshots of an earlier run; the extension tests' files stay.
    for (const entry of readdirSync(OUTPUT_DIR)) if (/^\d\d-.*\.png$/.test(entry)) rmSync(path.join(OUTPUT_DIR, entry));
    this.count = 0;
  }

  async take(page, name) {
    this.count += 1;
    const file = path.join(OUTPUT_DIR, `${String(this.count).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    return file;
  }
}

/** Runs one checked step; on failure saves a screenshot named after it and rethrows with the step's name. */
async function step(screens, page, name, action) {
  const started = Date.now();
  try {
    const result = await action();
    await screens.take(page, name);
    log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    await screens.take(page, `FAILED-${name}`).catch(() => undefined);
    throw new Error(`UI step "${name}" failed: ${error instanceof Error ? error.message : error}`);
  }
}

async function openWorkbench(page, url, workspace) {
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: STEP_TIMEOUT_MS });
  // The explorer lists the workspace once the remote file system answers.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'contoso-tools' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Opens the Problems panel and narrows it to rows that mention `text` (the tree is virtual: off-screen rows do not exist). */
async function showProblems(page, text) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.locator('.monaco-workbench').click({ position: { x: 800, y: 500 } });
    await page.keyboard.press('Control+Shift+M');
  }
  await panel.waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.locator('.part.panel .viewpane-filter input').first().fill(text);
}

function problemRow(page, text) {
  return page.locator('.markers-panel .monaco-list-row', { hasText: text });
}

async function englishSmoke(run, screens, page, vsix) {
  const profile = run.codeServerProfile({ name: 'code-server-en' });
  await run.codeServerCommand(profile, ['--install-extension', vsix], 'install-extension-en');
  if (!readdirSync(profile.extensionsDir).some((entry) => entry.startsWith('wix-uac.wix-uac-'))) throw new Error('--install-extension did not install wix-uac');
  const workspace = run.copyWorkspace('examples');
  const { url } = await run.startCodeServer(profile, { name: 'code-server-en' });

  await step(screens, page, 'workbench-open', () => openWorkbench(page, url, workspace));

  // examples/contoso-tools/Product.wxs sets InstallerVersion="200" next to PatchCertificates (README, step 1).
  const row = await step(screens, page, 'problems-row', async () => {
    await showProblems(page, 'installer-version-too-low');
    const found = problemRow(page, 'installer-version-too-low').first();
    await found.waitFor({ timeout: STEP_TIMEOUT_MS });
    const text = await found.innerText();
    if (!text.includes('InstallerVersion is 200')) throw new Error(`the row reads: ${text}`);
    return found;
  });

  await step(screens, page, 'code-lens-above-package', async () => {
    // Opening the problem opens Product.wxs at the finding, with the cursor on it.
    await row.dblclick();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const packageLine = editor.locator('.view-line', { hasText: /<Package\s/ }).first();
    await packageLine.waitFor({ timeout: STEP_TIMEOUT_MS });
    const lens = editor.locator('.codelens-decoration', { hasText: 'UAC patching:' }).first();
    await lens.waitFor({ timeout: STEP_TIMEOUT_MS });
    const lensText = normalize(await lens.innerText());
    if (!lensText.includes('disabled by MSIDISABLELUAPATCHING=1')) throw new Error(`the lens reads: ${lensText}`);
    // A lens is drawn in a view zone right above the line it belongs to.
    const [lensBox, lineBox] = [await lens.boundingBox(), await packageLine.boundingBox()];
    if (!lensBox || !lineBox || lensBox.y > lineBox.y || lineBox.y - (lensBox.y + lensBox.height) > lineBox.height) {
      throw new Error(`the lens is not right above <Package> (lens at y=${lensBox?.y}, <Package> at y=${lineBox?.y})`);
    }
  });

  const menuItem = await step(screens, page, 'quick-fix-menu', async () => {
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
    await menu.waitFor({ timeout: STEP_TIMEOUT_MS });
    const item = menu.locator('.monaco-list-row', { hasText: /InstallerVersion/ }).filter({ hasNotText: /^Suppress/ }).first();
    await item.waitFor({ timeout: STEP_TIMEOUT_MS });
    return item;
  });

  await step(screens, page, 'quick-fix-applied', async () => {
    await menuItem.click();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    // The fix raises InstallerVersion to Windows Installer 3.0 or later (schema 300+).
    await page.waitForFunction(
      () => {
        const lines = [...document.querySelectorAll('.editor-instance .view-line')].map((line) => line.textContent?.replace(/\u00a0/g, ' ') ?? '');
        const version = lines.map((line) => /InstallerVersion="(\d+)"/.exec(line)).find(Boolean);
        return version && Number(version[1]) >= 300;
      },
      undefined,
      { timeout: STEP_TIMEOUT_MS },
    );
    await problemRow(page, 'installer-version-too-low').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
    const line = await editor.locator('.view-line', { hasText: 'InstallerVersion' }).first().innerText();
    log(`  after the fix: ${normalize(line).trim()}`);
  });
}

async function spanishSmoke(run, screens, page, vsix) {
  const profile = run.codeServerProfile({ name: 'code-server-es' });
  await run.codeServerCommand(profile, ['--install-extension', vsix], 'install-extension-es');
  const workspace = run.copyWorkspace('examples');
  // VS Code registers a language pack (user-data/languagepacks.json) only when the server process
  // itself installs it, not from the --install-extension command line; so the server installs it
  // at start-up. code-server passes one --vscode-option value as a string where VS Code expects a
  // list, so the wix-uac .vsix, already installed above, is named as a second one (VS Code skips it).
  const languagePack = buildSpanishLanguagePack(run.path('language-pack-es'), run.env);
  const { url } = await run.startCodeServer(profile, {
    name: 'code-server-es',
    locale: 'es',
    vscodeOptions: [`install-extension=${languagePack}`, `install-extension=${vsix}`],
  });

  await step(screens, page, 'workbench-open-es', async () => {
    // The first page load starts VS Code's server, which installs the pack; the next one is in Spanish.
    await openWorkbench(page, url, workspace);
    await waitForLanguagePack(path.join(profile.userDataDir, 'languagepacks.json'), 'es');
    await openWorkbench(page, url, workspace);
  });
  await step(screens, page, 'problems-row-es', async () => {
    await showProblems(page, 'lua-patching-disabled');
    // Our language pack translates the panel's title: proof that the display language is Spanish.
    await page.locator('.part.panel .composite.title', { hasText: /PROBLEMAS/i }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    const row = problemRow(page, 'lua-patching-disabled').first();
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    const text = normalize(await row.innerText());
    // Microsoft's Spanish for "patch" is "revisión"; the English sentence must be gone.
    if (!/MSIDISABLELUAPATCHING/.test(text) || !/revisi[oó]n/i.test(text) || !/administrador/i.test(text) || /every patch needs an administrator/.test(text)) {
      throw new Error(`the Problems row is not in Spanish: ${text}`);
    }
    log(`  ${text.split('\n')[0]}`);
  });
}

async function waitForLanguagePack(registry, language) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    try {
      if (JSON.parse(readFileSync(registry, 'utf8'))[language]) return;
    } catch {
      // Not written yet.
    }
    if (Date.now() > deadline) throw new Error(`VS Code did not register a language pack for ${language} in ${registry}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function runUiSmoke({ vsix } = {}) {
  const packaged = vsix ?? packageExtension();
  const run = new Run('ui-smoke', { timeoutMs: TIMEOUT_MS });
  let ok = false;
  try {
    const screens = new Screens();
    const { page } = await run.startChromium();
    await englishSmoke(run, screens, page, packaged);
    await run.stopGroup('code-server-en');
    await spanishSmoke(run, screens, page, packaged);
    ok = true;
    log(`UI smoke test passed; screenshots in ${path.relative(ROOT, OUTPUT_DIR)}/`);
  } finally {
    await run.close({ keepLogs: !ok });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const vsixIndex = process.argv.indexOf('--vsix');
  runUiSmoke({ vsix: vsixIndex > 0 ? path.resolve(process.argv[vsixIndex + 1]) : undefined }).then(
    () => process.exit(0),
    (error) => {
      console.error(`[e2e] ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}
