// One end-to-end run: a scratch folder with its own HOME, XDG folders and TMPDIR; code-server and
// Chromium each started in a process group of their own; and a cleanup that kills both whole
// groups and removes the scratch folder however the run ends (success, failure, global timeout,
// SIGINT/SIGTERM). VS Code's extension hosts and Chromium's helpers are children in those groups,
// which is why they are killed as groups: left alone, an extension host lingers for hours.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CODE_SERVER_ENTRY, NODE_BINARY, NODE_BIN_DIR, OUTPUT_DIR, ROOT, chromiumPath } from './tools.mjs';

const STARTUP_TIMEOUT_MS = 60_000;
const GRACE_PERIOD_MS = 5_000;

/** Chromium flags for a headless, offline, throwaway browser (no sandbox: these machines run as root). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--window-size=1600,1000',
];

/** User settings for every test workbench: nothing saves or updates behind the test's back. */
const USER_SETTINGS = {
  'files.autoSave': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

export function log(message) {
  console.log(`[e2e] ${message}`);
}

export class Run {
  /** @param {string} name used in the scratch folder's name and the messages */
  constructor(name, { timeoutMs }) {
    this.name = name;
    // WIX_UAC_E2E_TIMEOUT_S overrides the run's global timeout (a slow machine, or checking the timeout itself).
    timeoutMs = Number(process.env.WIX_UAC_E2E_TIMEOUT_S) * 1000 || timeoutMs;
    this.scratch = mkdtempSync(path.join(os.tmpdir(), `wix-uac-${name}-`));
    this.logDir = path.join(this.scratch, 'logs');
    // Logs kept by an earlier failed run of the same name would be mistaken for this run's.
    rmSync(path.join(OUTPUT_DIR, 'logs', name), { recursive: true, force: true });
    /** @type {{ name: string, pid: number }[]} process groups to kill at the end */
    this.groups = [];
    /** @type {import('playwright-core').Browser | undefined} */
    this.browser = undefined;
    this.closed = false;
    this.env = this.isolatedEnvironment();

    this.onSignal = (signal) => {
      console.error(`[e2e] ${signal}: stopping ${this.name}`);
      void this.close({ keepLogs: true }).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, this.onSignal);
    // The last resort when the process ends without close(): synchronous kills and removal.
    this.onExit = () => this.closeSync();
    process.on('exit', this.onExit);
    this.timer = setTimeout(() => {
      console.error(`[e2e] ${this.name} did not finish within ${timeoutMs / 1000} s: stopping it`);
      void this.close({ keepLogs: true }).finally(() => process.exit(1));
    }, timeoutMs);
  }

  /** HOME, XDG_* and TMPDIR inside the scratch folder; Node 24 first on PATH; nothing of an outer npm or VS Code. */
  isolatedEnvironment() {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|VSCODE_|ELECTRON_)/i.test(name)));
    const home = path.join(this.scratch, 'home');
    const folders = {
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_STATE_HOME: path.join(home, '.local', 'state'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_RUNTIME_DIR: path.join(this.scratch, 'runtime'),
      TMPDIR: path.join(this.scratch, 'tmp'),
    };
    for (const folder of Object.values(folders)) mkdirSync(folder, { recursive: true, mode: 0o700 });
    mkdirSync(this.logDir, { recursive: true });
    return {
      ...env,
      ...folders,
      TMP: folders.TMPDIR,
      TEMP: folders.TMPDIR,
      PATH: `${NODE_BIN_DIR}${path.delimiter}${env.PATH ?? ''}`,
      // A gallery without a service URL turns the Marketplace off: no lookups the tests did not ask for.
      EXTENSIONS_GALLERY: '{}',
    };
  }

  path(...segments) {
    return path.join(this.scratch, ...segments);
  }

  /** A fresh copy of a folder of the repository (the tests edit it), inside the scratch folder. */
  copyWorkspace(relativeSource) {
    this.workspaceCount = (this.workspaceCount ?? 0) + 1;
    const target = this.path(`workspace-${this.workspaceCount}`, path.basename(relativeSource));
    cpSync(path.join(ROOT, relativeSource), target, { recursive: true });
    return target;
  }

  /** Starts `command` in a new session and process group (setsid), logging to logs/<name>.log. */
  startGroup(name, command, args) {
    const child = spawn(command, args, { cwd: this.scratch, env: this.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // A command that cannot start has no pid; the 'error' event says why (waitForOutput reports it).
    if (child.pid !== undefined) this.groups.push({ name, pid: child.pid });
    const logFile = createWriteStream(path.join(this.logDir, `${name}.log`));
    let output = '';
    const collect = (chunk) => {
      logFile.write(chunk);
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', () => logFile.end());
    return { child, output: () => output };
  }

  /** Waits for `pattern` in a started group's output; fails with the output's tail if the process ends first. */
  waitForOutput(name, started, pattern, timeoutMs = STARTUP_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(started.output());
        if (match) {
          finish();
          resolve(match);
        }
      };
      const onExit = (code, signal) => {
        finish();
        reject(new Error(`${name} exited (${signal ?? `code ${code}`}) before it was ready:\n${tail(started.output())}`));
      };
      const onError = (error) => {
        finish();
        reject(new Error(`${name} could not start: ${error.message}`));
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${name} was not ready within ${timeoutMs / 1000} s:\n${tail(started.output())}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        started.child.stdout.off('data', check);
        started.child.stderr.off('data', check);
        started.child.off('exit', onExit);
        started.child.off('error', onError);
      };
      started.child.stdout.on('data', check);
      started.child.stderr.on('data', check);
      started.child.on('exit', onExit);
      started.child.on('error', onError);
      check();
    });
  }

  /**
   * A code-server profile: user data (with the test user settings) and extensions folders of its own.
   * @param {{ name?: string, settings?: Record<string, unknown> }} options
   */
  codeServerProfile({ name = 'code-server', settings = {} } = {}) {
    const profile = { userDataDir: this.path(name, 'user-data'), extensionsDir: this.path(name, 'extensions') };
    mkdirSync(path.join(profile.userDataDir, 'User'), { recursive: true });
    mkdirSync(profile.extensionsDir, { recursive: true });
    writeFileSync(path.join(profile.userDataDir, 'User', 'settings.json'), `${JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2)}\n`);
    return profile;
  }

  /** Runs the code-server CLI to completion (e.g. --install-extension) in its own process group. */
  async codeServerCommand(profile, args, name = 'code-server-cli') {
    const started = this.startGroup(name, NODE_BINARY, [CODE_SERVER_ENTRY, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, ...args]);
    const [code, signal] = await new Promise((resolve) => {
      started.child.on('exit', (...result) => resolve(result));
      started.child.on('error', (error) => resolve([null, error.message]));
    });
    await this.killGroup(this.groups.find((group) => group.pid === started.child.pid));
    if (code !== 0) throw new Error(`code-server ${args.join(' ')} failed (${signal ?? `code ${code}`}):\n${tail(started.output())}`);
    return started.output();
  }

  /**
   * Starts code-server on a free port of 127.0.0.1 and returns its address.
   * @param {{ userDataDir: string, extensionsDir: string }} profile
   * @param {{ smokeTestDriver?: boolean, locale?: string, vscodeOptions?: string[], name?: string }} options
   */
  async startCodeServer(profile, { smokeTestDriver = false, locale, vscodeOptions = [], name = 'code-server' } = {}) {
    const args = [
      CODE_SERVER_ENTRY,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--bind-addr', '127.0.0.1:0',
      '--user-data-dir', profile.userDataDir,
      '--extensions-dir', profile.extensionsDir,
    ];
    // Without the smoke-test driver, code-server ignores the extension-test payload of the URL.
    if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
    if (locale) args.push('--locale', locale);
    for (const option of vscodeOptions) args.push('--vscode-option', option);
    const started = this.startGroup(name, NODE_BINARY, args);
    const [, url] = await this.waitForOutput('code-server', started, /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//);
    const port = Number(new URL(url).port);
    log(`code-server listening on ${url}`);
    return { url, port };
  }

  /** Starts Chromium in its own process group and profile, and connects Playwright to it over CDP. */
  async startChromium() {
    const executable = chromiumPath();
    if (!executable) throw new Error('No Chromium found: run `node scripts/e2e/setup.mjs`, or set WIX_UAC_E2E_CHROMIUM.');
    const args = [...CHROMIUM_FLAGS, `--user-data-dir=${this.path('chromium-profile')}`, '--remote-debugging-port=0', 'about:blank'];
    const started = this.startGroup('chromium', executable, args);
    const [, endpoint] = await this.waitForOutput('Chromium', started, /DevTools listening on (ws:\/\/\S+)/);
    this.browser = await chromium.connectOverCDP(endpoint);
    const context = this.browser.contexts()[0];
    const page = context.pages()[0] ?? (await context.newPage());
    return { browser: this.browser, context, page };
  }

  /** Stops everything and removes the scratch folder; with keepLogs, first copies logs/ to test-output/e2e/logs/<run>. */
  async close({ keepLogs = false } = {}) {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(signal, this.onSignal);
    try {
      await withTimeout(this.browser?.close(), GRACE_PERIOD_MS);
    } catch {
      // The browser is killed with its group below.
    }
    for (const group of [...this.groups].reverse()) await this.killGroup(group);
    this.killStragglers();
    if (keepLogs) this.keepLogs();
    removeFolder(this.scratch);
    process.off('exit', this.onExit);
  }

  /** What close() does, without waiting: for process exit. */
  closeSync() {
    if (this.closed) return;
    this.closed = true;
    for (const group of this.groups) signalGroup(group.pid, 'SIGKILL');
    this.killStragglers();
    removeFolder(this.scratch);
  }

  /** Stops the process group started under `name` before the run ends. */
  async stopGroup(name) {
    await this.killGroup(this.groups.find((group) => group.name === name));
  }

  /** SIGTERM to the whole group, then SIGKILL to whatever is left after the grace period. */
  async killGroup(group) {
    if (!group || !groupAlive(group.pid)) return;
    signalGroup(group.pid, 'SIGTERM');
    const deadline = Date.now() + GRACE_PERIOD_MS;
    while (groupAlive(group.pid) && Date.now() < deadline) await sleep(100);
    if (groupAlive(group.pid)) {
      signalGroup(group.pid, 'SIGKILL');
      while (groupAlive(group.pid) && Date.now() < deadline + GRACE_PERIOD_MS) await sleep(100);
    }
    if (groupAlive(group.pid)) console.error(`[e2e] process group ${group.pid} (${group.name}) survived SIGKILL`);
  }

  /**
   * Processes that left our groups (a helper that called setsid itself) still carry our scratch HOME
   * in their environment: find them by it, on Linux, and kill them by pid.
   */
  killStragglers() {
    if (process.platform !== 'linux') return;
    const marker = `HOME=${this.env.HOME}\0`;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      let environment;
      try {
        environment = readFileSync(`/proc/${entry}/environ`, 'latin1');
      } catch {
        continue;
      }
      if (`${environment}\0`.includes(marker)) {
        console.error(`[e2e] killing process ${entry}, left over from ${this.name}`);
        try {
          process.kill(Number(entry), 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  }

  keepLogs() {
    const target = path.join(OUTPUT_DIR, 'logs', this.name);
    try {
      rmSync(target, { recursive: true, force: true });
      cpSync(this.logDir, target, { recursive: true });
      console.error(`[e2e] logs kept in ${path.relative(ROOT, target)}`);
    } catch (error) {
      console.error(`[e2e] could not keep the logs: ${error.message}`);
    }
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function removeFolder(folder) {
  for (let attempt = 0; attempt < 5 && existsSync(folder); attempt++) {
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch {
      // A process was still writing into it: retry.
      spawnSync('sleep', ['0.2']);
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout(promise, ms) {
  let timer;
  try {
    return await Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function tail(text, lines = 30) {
  return text.split('\n').slice(-lines).join('\n');
}
