// The UI smoke test: the packaged .vsix installed into code-server the way a user installs it, a
// fresh copy of examples/ opened in Chromium, and only what a person sees checked, through the DOM:
// a Problems row of one of our rules, the code lens above <Package>, and the quick-fix menu of
// Ctrl+. whose fix changes the text and clears the Problems row; then the walkthrough, opened from
// the command palette, with its first step checked off by its own button. Then the same .vsix in a
// Spanish workbench: a Spanish diagnostic in the Problems panel, and the walkthrough in Spanish.
// Screenshots of each step go to test-output/e2e/.
// Usage: node scripts/e2e/ui-smoke.mjs [--vsix <file>]   (without --vsix it runs `npm run package`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { Run, log } from './harness.mjs';
import { buildSpanishLanguagePack } from './spanish-language-pack.mjs';
import { OUTPUT_DIR, ROOT } from './tools.mjs';

const TIMEOUT_MS = 6 * 60_000;
const STEP_TIMEOUT_MS = 60_000;
/**
 * The secondary side bar (an empty chat view here) would take 300 px from the editor, leaving the
 * walkthrough too narrow to show its pages beside its steps.
 */
const LAYOUT_SETTINGS = { 'workbench.secondarySideBar.defaultVisibility': 'hidden' };
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

/**
 * The first Problems row that mentions `text`: opens the panel and narrows it with its filter (the
 * tree is virtual: off-screen rows do not exist). Until the row shows, the panel is opened and the
 * filter typed again every few seconds, because a workbench that is still restoring its layout
 * can close the panel or re-create the filter after the first attempt. On timeout the error says
 * what the panel showed instead.
 */
async function findProblemRow(page, text) {
  const panel = page.locator('.markers-panel');
  const filter = page.locator('.part.panel .viewpane-filter input:visible').first();
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!(await panel.isVisible())) {
      await page.locator('.monaco-workbench').click({ position: { x: 800, y: 500 } });
      await page.keyboard.press('Control+Shift+M');
    }
    try {
      await panel.waitFor({ timeout: 5_000 });
      if ((await filter.inputValue({ timeout: 5_000 })) !== text) await filter.fill(text);
      await row.waitFor({ timeout: 5_000 });
      return row;
    } catch {
      // Not there yet: open and filter again.
    }
  }
  const shown = (await panel.isVisible()) ? normalize(await panel.innerText()).slice(0, 600) : 'the Problems panel is not open';
  const typed = await filter.inputValue({ timeout: 1_000 }).catch(() => '(no filter box)');
  throw new Error(`no Problems row mentions ${text} after ${STEP_TIMEOUT_MS / 1000} s; filter: "${typed}"; panel: ${shown}`);
}

/**
 * The walkthrough as package.json and its package.nls file for `language` describe it: what a user
 * types in the command palette to open it, its title, its step titles, the label of the first
 * step's button and the heading of the first step's page.
 */
function expectedWalkthrough(language) {
  const nlsFile = language === 'en' ? 'package.nls.json' : `package.nls.${language}.json`;
  const nls = JSON.parse(readFileSync(path.join(ROOT, nlsFile), 'utf8'));
  const text = (key) => {
    // A key missing from the translation would show English and let the Spanish check pass on English text.
    if (typeof nls[key] !== 'string') throw new Error(`${nlsFile} has no "${key}"`);
    return nls[key];
  };
  const localized = (value) => {
    const key = /^%(.+)%$/.exec(value)?.[1];
    return key ? text(key) : value;
  };
  const { contributes } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const walkthrough = contributes.walkthroughs.find((candidate) => candidate.id === 'uacPatching');
  const [analyze] = walkthrough.steps;
  const button = /\[([^\]]+)\]\(command:wix-uac\.analyzeWorkspace\)/.exec(localized(analyze.description))?.[1];
  const pageFile = localized(analyze.media.markdown);
  const heading = /^# (.+)$/m.exec(readFileSync(path.join(ROOT, pageFile), 'utf8'))?.[1];
  if (!button || !heading) throw new Error(`the first walkthrough step has no "Analyze workspace" button or ${pageFile} no heading`);
  return {
    command: `${text('command.category')}: ${text('command.openWalkthrough.title')}`,
    title: localized(walkthrough.title),
    stepTitles: walkthrough.steps.map((step) => localized(step.title)),
    button,
    heading: heading.replace(/[`*_]/g, ''),
  };
}

/** Runs a command the way a user does: F1, its title, and a click on its row. */
async function runFromPalette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: STEP_TIMEOUT_MS });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: STEP_TIMEOUT_MS });
  await row.click();
}

/**
 * Opens the walkthrough from the command palette and checks what VS Code renders of it: the title,
 * the three step titles in order and, in the webview beside them, the first step's page.
 * Returns the locator of the walkthrough's details slide.
 */
async function openWalkthrough(page, expected) {
  // The panel would take half the walkthrough's height, and its steps would scroll out of sight.
  if (await page.locator('.part.panel').isVisible()) {
    await page.keyboard.press('Control+J');
    await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  }
  await runFromPalette(page, expected.command);
  const details = page.locator('.gettingStartedSlideDetails');
  const title = details.locator('h2.category-title');
  await title.waitFor({ timeout: STEP_TIMEOUT_MS });
  if (normalize(await title.innerText()).trim() !== expected.title) throw new Error(`the walkthrough's title reads: ${await title.innerText()}`);
  const stepTitles = details.locator('button.getting-started-step h3.step-title');
  await stepTitles.nth(expected.stepTitles.length - 1).waitFor({ timeout: STEP_TIMEOUT_MS });
  const shown = (await stepTitles.allInnerTexts()).map((text) => normalize(text).trim());
  if (JSON.stringify(shown) !== JSON.stringify(expected.stepTitles)) throw new Error(`the steps read: ${shown.join(' | ')}`);
  for (const title of await stepTitles.all()) {
    if (!(await isOnScreen(title))) throw new Error(`the step "${await title.innerText()}" is scrolled out of sight`);
  }
  await waitForWebviewText(page, expected.heading);
  return details;
}

/** True when the element is what a click at its middle would hit: in the viewport and not clipped or covered. */
function isOnScreen(locator) {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && element.contains(hit);
  });
}

/**
 * Walkthrough pages are drawn in a webview: frames of their own, laid over the editor. A webview
 * keeps its text while VS Code hides it (a walkthrough narrower than 950 px hides its pages), so
 * the frame that holds `text` must also be on screen.
 */
async function waitForWebviewText(page, text) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let hidden = false;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const body = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      if (!normalize(body).includes(text)) continue;
      let outermost = frame;
      while (outermost.parentFrame() && outermost.parentFrame() !== page.mainFrame()) outermost = outermost.parentFrame();
      const element = await outermost.frameElement().catch(() => undefined);
      const box = element && (await element.isVisible()) ? await element.boundingBox() : null;
      if (box && box.width >= 200 && box.height >= 100) return;
      hidden = true;
    }
    if (Date.now() > deadline) throw new Error(hidden ? `the webview with "${text}" is not shown` : `no webview shows "${text}"`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function englishSmoke(run, screens, page, vsix) {
  const profile = run.codeServerProfile({ name: 'code-server-en', settings: LAYOUT_SETTINGS });
  await run.codeServerCommand(profile, ['--install-extension', vsix], 'install-extension-en');
  if (!readdirSync(profile.extensionsDir).some((entry) => entry.startsWith('wix-uac.wix-uac-'))) throw new Error('--install-extension did not install wix-uac');
  const workspace = run.copyWorkspace('examples');
  const { url } = await run.startCodeServer(profile, { name: 'code-server-en' });

  await step(screens, page, 'workbench-open', () => openWorkbench(page, url, workspace));

  // examples/contoso-tools/Product.wxs sets InstallerVersion="200" next to PatchCertificates (README, step 1).
  const row = await step(screens, page, 'problems-row', async () => {
    const found = await findProblemRow(page, 'installer-version-too-low');
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
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'installer-version-too-low' }).first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
    const line = await editor.locator('.view-line', { hasText: 'InstallerVersion' }).first().innerText();
    log(`  after the fix: ${normalize(line).trim()}`);
  });

  const english = expectedWalkthrough('en');
  const details = await step(screens, page, 'walkthrough', () => openWalkthrough(page, english));

  await step(screens, page, 'walkthrough-step-checked', async () => {
    const analyze = details.locator('button.getting-started-step', { has: page.locator('h3.step-title', { hasText: english.stepTitles[0] }) });
    const checkbox = analyze.locator('[data-done-step-id]');
    // A fresh profile has done nothing yet: a step shown checked already would prove nothing.
    if ((await checkbox.getAttribute('aria-checked')) !== 'false') throw new Error('the first step is checked before its button was used');
    await analyze.locator('.button-container .monaco-button', { hasText: english.button }).click();
    // The command ran (its summary) and VS Code checked the step off (its completion event).
    await page.locator('.notification-toast', { hasText: /wix-uac: \d+ findings? in \d+ files?\./ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await analyze.locator('[data-done-step-id][aria-checked="true"].complete').waitFor({ timeout: STEP_TIMEOUT_MS });
  });
}

async function spanishSmoke(run, screens, page, vsix) {
  const profile = run.codeServerProfile({ name: 'code-server-es', settings: LAYOUT_SETTINGS });
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
    const row = await findProblemRow(page, 'lua-patching-disabled');
    // Our language pack translates the panel's title: proof that the display language is Spanish.
    await page.locator('.part.panel .composite.title', { hasText: /PROBLEMAS/i }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    const text = normalize(await row.innerText());
    // Microsoft's Spanish for "patch" is "revisión"; the English sentence must be gone.
    if (!/MSIDISABLELUAPATCHING/.test(text) || !/revisi[oó]n/i.test(text) || !/administrador/i.test(text) || /every patch needs an administrator/.test(text)) {
      throw new Error(`the Problems row is not in Spanish: ${text}`);
    }
    log(`  ${text.split('\n')[0]}`);
  });

  await step(screens, page, 'walkthrough-es', () => openWalkthrough(page, expectedWalkthrough('es')));
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
