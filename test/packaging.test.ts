// What users install, built from this checkout's dist/ (`npm test` builds first): the .vsix that
// VS Code installs, and the npm package `wix-uac` that CI pipelines (`npx wix-uac lint`) and other
// editors (`wix-uac-language-server --stdio`) install. Each is checked for what it holds, and the
// npm package is installed offline and run.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import picomatch from 'picomatch';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  DidOpenTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { allRules } from '../server/src/engine/rules';

const repoRoot = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as PackageManifest;
const vsceScript = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const contosoTools = path.join(repoRoot, 'examples', 'contoso-tools');

// Sizes measured on 0.1.0 (bundles not minified, with the Spanish messages built in; the .vsix with
// the walkthrough, translations, grammars and icon): the .vsix was 496,530 bytes and the npm tarball
// 548,338 bytes. The bounds leave about 50% for growth; crossing one means something large got in (a
// source map, node_modules, fixtures).
const VSIX_MAX_BYTES = 745_000;
const NPM_TARBALL_MAX_BYTES = 820_000;

/** Generous for a slow CI machine; a hung child fails the test with a message instead of hanging it. */
const COMMAND_TIMEOUT_MS = 60_000;
const LSP_WAIT_MS = 15_000;

interface PackageManifest {
  name: string;
  version: string;
  main: string;
  icon: string;
  l10n?: string;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  engines: Record<string, string>;
  contributes: {
    grammars?: Array<{ path: string }>;
    languages?: Array<{ configuration?: string }>;
    jsonValidation?: Array<{ url: string }>;
    walkthroughs?: Array<{ steps: Array<{ media: Record<string, unknown> }> }>;
  };
}

/**
 * The environment without what `npm test` exports to its scripts (npm_config_prefix, _local_prefix…),
 * so the npm commands below behave the same under `npm test` and under `node --test`.
 */
const childEnvironment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

function run(command: string, args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd: repoRoot,
    env: childEnvironment,
    encoding: 'utf8',
    timeout: COMMAND_TIMEOUT_MS,
    // A prompt (vsce asks before packaging with some warnings) must fail, not wait for a user.
    stdio: ['ignore', 'pipe', 'pipe'],
    // npm is a .cmd script on Windows, which Node starts only through a shell.
    shell: command === 'npm.cmd',
  });
  if (result.error) throw result.error;
  return result;
}

function mustSucceed(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(result.status, 0, `${what} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function requireBuilt(): void {
  for (const bundle of ['dist/extension.js', 'dist/server.js', 'dist/cli.js']) {
    assert.ok(fs.existsSync(path.join(repoRoot, bundle)), `${bundle} is missing: run "npm run build" first`);
  }
}

/** Paths that match none of the patterns (exact names or picomatch globs). */
function outsideAllowlist(paths: string[], exact: string[], globs: string[]): string[] {
  const matches = picomatch(globs, { dot: true });
  return paths.filter((entry) => !exact.includes(entry) && !matches(entry));
}

/** Paths a user's package must never carry, whatever the allowlist says. */
function development(paths: string[]): string[] {
  return paths.filter((entry) => /(^|\/)(node_modules|src|test|fixtures|out|bench|examples)\//.test(entry) || /\.(ts|map|vsix|tgz)$/.test(entry));
}

/** Every module a bundle requires by name: it must be built into Node (or, for the client, be VS Code). */
function requiredModules(bundle: string): string[] {
  return [...new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]))].sort();
}

function notBuiltIn(modules: string[], alsoProvided: string[] = []): string[] {
  return modules.filter((name) => !builtinModules.includes(name.replace(/^node:/, '')) && !alsoProvided.includes(name));
}

describe('the .vsix', () => {
  let scratch: string;
  let vsceOutput: string;
  let vsixSize: number;
  let entries: string[];
  let zip: JSZip;

  before(async () => {
    requireBuilt();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-vsix-'));
    // vsce is run directly rather than through npx, so the output checked is vsce's alone.
    const result = run(process.execPath, [vsceScript, 'package', '--no-dependencies', '--out', scratch + path.sep]);
    vsceOutput = mustSucceed(result, 'vsce package') + result.stderr;
    const vsix = path.join(scratch, `${manifest.name}-${manifest.version}.vsix`);
    vsixSize = fs.statSync(vsix).size;
    zip = await JSZip.loadAsync(fs.readFileSync(vsix));
    entries = Object.values(zip.files).filter((entry) => !entry.dir).map((entry) => entry.name).sort();
  });

  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('is packaged by vsce without a warning', () => {
    assert.doesNotMatch(vsceOutput, /WARNING|warn/i);
  });

  it('holds only what VS Code runs or reads', () => {
    // vsce renames README.md, CHANGELOG.md and LICENSE to readme.md, changelog.md and LICENSE.txt.
    const exact = ['[Content_Types].xml', 'extension.vsixmanifest', 'extension/package.json', 'extension/readme.md',
      'extension/changelog.md', 'extension/LICENSE.txt', 'extension/dist/extension.js', 'extension/dist/server.js',
      'extension/images/icon.png', 'extension/package.nls.json'];
    const globs = ['extension/package.nls.*.json', 'extension/syntaxes/**/*.json', 'extension/schemas/*.json',
      'extension/l10n/bundle.l10n*.json', 'extension/media/**/*.{md,svg,png,gif,jpg,jpeg}'];
    assert.deepEqual(outsideAllowlist(entries, exact, globs), []);
    assert.deepEqual(development(entries), []);
    // The server's translations are compiled into dist/server.js; a copy beside it would be dead weight.
    assert.deepEqual(entries.filter((entry) => entry.includes('server.l10n')), []);
  });

  it('holds every file its manifest names, in every language', async () => {
    const packaged = JSON.parse(await zip.file('extension/package.json')!.async('string')) as PackageManifest;
    // A walkthrough step names its page as `%key%`, which package.nls.json and package.nls.es.json
    // turn into one file per language.
    const translations = await Promise.all(entries.filter((entry) => /^extension\/package\.nls(\.[^.]+)?\.json$/.test(entry))
      .map(async (entry) => JSON.parse(await zip.file(entry)!.async('string')) as Record<string, string>));
    const inEveryLanguage = (value: string): string[] => {
      const key = /^%(.+)%$/.exec(value)?.[1];
      return key === undefined ? [value] : translations.map((strings) => strings[key] ?? `${value} (not in every package.nls*.json)`);
    };
    const named = [
      packaged.main,
      packaged.icon,
      ...(packaged.contributes.grammars ?? []).map((grammar) => grammar.path),
      ...(packaged.contributes.languages ?? []).flatMap((language) => (language.configuration ? [language.configuration] : [])),
      ...(packaged.contributes.jsonValidation ?? []).map((validation) => validation.url).filter((url) => !/^https?:/.test(url)),
      ...(packaged.contributes.walkthroughs ?? []).flatMap((walkthrough) => walkthrough.steps.flatMap((step) => walkthroughMedia(step.media))),
    ].flatMap(inEveryLanguage);
    const missing = named.map((file) => `extension/${path.posix.normalize(file)}`).filter((entry) => !entries.includes(entry));
    assert.deepEqual(missing, []);
    assert.ok(packaged.contributes.grammars?.length, 'the manifest contributes no grammar');
  });

  it('holds the server, the client, the Spanish translations and the Marketplace files', () => {
    const required = ['extension/dist/extension.js', 'extension/dist/server.js', 'extension/readme.md', 'extension/changelog.md',
      'extension/LICENSE.txt', 'extension/package.nls.json', 'extension/package.nls.es.json',
      `extension/${path.posix.normalize(path.posix.join(manifest.l10n ?? 'l10n', 'bundle.l10n.es.json'))}`];
    assert.deepEqual(required.filter((entry) => !entries.includes(entry)), []);
  });

  it('has a 128×128 PNG icon that the Marketplace manifest names', async () => {
    const icon = await zip.file(`extension/${path.posix.normalize(manifest.icon)}`)!.async('nodebuffer');
    assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
    // The IHDR chunk opens every PNG: width and height are its first two big-endian words.
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
    const vsixManifest = await zip.file('extension.vsixmanifest')!.async('string');
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Icons\.Default" Path="extension\/images\/icon\.png"/);
    assert.match(vsixManifest, /<Categories>Linters,Programming Languages<\/Categories>/);
  });

  it('runs on Node and VS Code alone: the bundles require nothing that is not built in', async () => {
    const client = requiredModules(await zip.file('extension/dist/extension.js')!.async('string'));
    const server = requiredModules(await zip.file('extension/dist/server.js')!.async('string'));
    assert.deepEqual(notBuiltIn(client, ['vscode']), []);
    assert.deepEqual(notBuiltIn(server), []);
  });

  it(`stays under ${VSIX_MAX_BYTES} bytes`, () => {
    assert.ok(vsixSize < VSIX_MAX_BYTES, `the .vsix is ${vsixSize} bytes`);
  });
});

interface PackedFile { path: string; size: number; mode: number }
interface PackResult { filename: string; size: number; files: PackedFile[] }

/** `npm pack --json` output. npm's own warnings (an unknown config key) go to stderr and are not read. */
function packed(stdout: string): PackResult {
  const results = JSON.parse(stdout) as PackResult[];
  assert.equal(results.length, 1);
  return results[0];
}

/** The tests below start the installed commands through npm's POSIX bin links (Windows gets .cmd shims). */
const runsInstalledCommands = { skip: process.platform === 'win32' && 'starts the POSIX bin links' };

describe('the npm package', () => {
  let scratch: string;
  let installed: string;
  let binaries: string;
  let contents: PackResult;

  before(() => {
    requireBuilt();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-npm-'));
    // --ignore-scripts: prepack would rebuild dist/ under other tests; `npm test` has just built it.
    contents = packed(mustSucceed(run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch]), 'npm pack'));
    installed = path.join(scratch, 'install');
    // Offline and with its own cache: the package has no dependencies, so nothing is fetched.
    mustSucceed(run(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--cache', path.join(scratch, 'cache'),
      '--prefix', installed, path.join(scratch, contents.filename)]), 'npm install of the packed tarball');
    binaries = path.join(installed, 'node_modules', '.bin');
  });

  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('holds the two commands and their documents, nothing else', () => {
    // The client bundle is left out (it needs VS Code); the schema is in for other editors' JSON servers.
    assert.deepEqual(contents.files.map((file) => file.path).sort(), [
      'CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli.js', 'dist/server.js', 'package.json', 'schemas/wix-uac.schema.json',
    ]);
  });

  it('names commands that exist in the package and start with a node shebang', () => {
    assert.deepEqual(manifest.bin, { 'wix-uac': 'dist/cli.js', 'wix-uac-language-server': 'dist/server.js' });
    for (const file of Object.values(manifest.bin)) {
      assert.ok(contents.files.some((packedFile) => packedFile.path === file), `${file} is not in the package`);
      assert.match(fs.readFileSync(path.join(installed, 'node_modules', manifest.name, file), 'utf8'), /^#!\/usr\/bin\/env node\n/);
    }
  });

  it('installs nothing else: every dependency is bundled', () => {
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), []);
    assert.deepEqual(fs.readdirSync(path.join(installed, 'node_modules')).filter((name) => !name.startsWith('.')), [manifest.name]);
    assert.ok(manifest.engines.node, 'engines.node tells npm users which Node runs the bundles');
  });

  it(`stays under ${NPM_TARBALL_MAX_BYTES} bytes`, () => {
    assert.ok(contents.size < NPM_TARBALL_MAX_BYTES, `the tarball is ${contents.size} bytes`);
  });

  it('runs `wix-uac rules` from the installed package', runsInstalledCommands, () => {
    const output = mustSucceed(run(path.join(binaries, 'wix-uac'), ['rules']), 'wix-uac rules');
    const listed = output.split('\n').map((line) => line.split(/\s+/)[0]).filter(Boolean);
    assert.deepEqual(listed.sort(), allRules.map((rule) => rule.id).sort());
  });

  it('reports its own version, read from the installed package.json', runsInstalledCommands, () => {
    assert.equal(mustSucceed(run(path.join(binaries, 'wix-uac'), ['--version']), 'wix-uac --version').trim(), manifest.version);
  });

  it('lints examples/contoso-tools from the installed package', runsInstalledCommands, () => {
    const result = run(path.join(binaries, 'wix-uac'), ['lint', contosoTools, '--format', 'json']);
    // The three warnings of the README's walkthrough, step 1; warnings only, so the exit status is 0.
    const report = JSON.parse(mustSucceed(result, 'wix-uac lint')) as Array<{ filePath: string; messages: Array<{ ruleId: string; severity: string }> }>;
    const warnings = report.flatMap((file) => file.messages.filter((message) => message.severity === 'warning').map((message) => `${path.basename(file.filePath)} ${message.ruleId}`));
    assert.deepEqual(warnings.sort(), [
      'Policies.wxs lua-patching-policy-disabled',
      'Product.wxs installer-version-too-low',
      'Product.wxs lua-patching-disabled',
    ]);
  });

  it('speaks Spanish with --locale es, from the translations built into the bundle', runsInstalledCommands, () => {
    // l10n/server.l10n.es.json is in neither package: the installed CLI has only what esbuild put in dist/cli.js.
    const findings = (locale: string): Array<{ ruleId: string; message: string }> => {
      const report = JSON.parse(mustSucceed(run(path.join(binaries, 'wix-uac'), ['--locale', locale, 'lint', contosoTools, '--format', 'json']), `wix-uac --locale ${locale} lint`)) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
      return report.flatMap((file) => file.messages);
    };
    const english = findings('en');
    const spanish = findings('es');
    assert.deepEqual(spanish.map((finding) => finding.ruleId), english.map((finding) => finding.ruleId), 'rule ids are not translated');
    assert.ok(spanish.some((finding, index) => finding.message !== english[index].message), `no message is in Spanish:\n${spanish.map((finding) => finding.message).join('\n')}`);
  });

  it('starts `wix-uac-language-server --stdio`, analyses an opened file and shuts down', runsInstalledCommands, async (t) => {
    const server: ChildProcess = spawn(path.join(binaries, 'wix-uac-language-server'), ['--stdio'], { stdio: 'pipe', env: childEnvironment });
    const stderr: string[] = [];
    server.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    const connection: ProtocolConnection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    t.after(() => {
      connection.dispose();
      if (server.exitCode === null && server.signalCode === null) server.kill();
    });
    const within = <T>(promise: Promise<T>, what: string): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Timed out after ${LSP_WAIT_MS} ms: ${what}\n${stderr.join('')}`)), LSP_WAIT_MS);
      });
      return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
    };

    const product = path.join(contosoTools, 'Product.wxs');
    const productUri = pathToFileURL(product).href;
    const diagnostics = new Promise<Diagnostic[]>((resolve) => {
      connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
        if (params.uri === productUri && params.diagnostics.length > 0) resolve(params.diagnostics);
      });
    });
    connection.listen();

    // A minimal client: no workspace folder and no optional capability, as a plain LSP editor starts.
    const initialized = await within(connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {}, clientInfo: { name: 'packaging test' },
    }), 'initialize') as InitializeResult;
    assert.ok(initialized.capabilities.codeActionProvider, 'the server offers quick fixes');
    assert.ok(initialized.capabilities.codeLensProvider, 'the server offers code lenses');
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: productUri, languageId: 'xml', version: 1, text: fs.readFileSync(product, 'utf8') },
    });
    const codes = (await within(diagnostics, 'diagnostics for Product.wxs')).map((diagnostic) => String(diagnostic.code));
    assert.ok(codes.includes('lua-patching-disabled') && codes.includes('installer-version-too-low'), `diagnostics: ${codes.join(', ')}`);

    await within(connection.sendRequest(ShutdownRequest.type), 'shutdown');
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await within(exited, 'exit after shutdown'), 0);
  });
});

/** The files a walkthrough step shows: `image` may be one path or one per theme; `markdown` and `svg` are paths. */
function walkthroughMedia(media: Record<string, unknown>): string[] {
  const files: string[] = [];
  for (const value of [media.image, media.markdown, media.svg]) {
    if (typeof value === 'string') files.push(value);
    else if (value && typeof value === 'object') files.push(...Object.values(value).filter((file): file is string => typeof file === 'string'));
  }
  return files;
}
