// End-to-end benchmark of the built programs against `xmllint --noout` measured in the same run:
//  (a) `node dist/cli.js lint <~6 MB source> --format json`, whole process, vs xmllint on that file
//      (the runs of both, of `--version` and of Node alone take turns, so load changes hit all alike);
//  (b) the language server over stdio: one-character edits of a ~1 MB open document, time from
//      didChange to the publishDiagnostics that follows, vs xmllint on the 1 MB file;
//  (c) `node dist/cli.js lint <~100 MB signed package>` (read it, hash every stream, check the
//      Authenticode signature) vs `osslsigncode verify` on the same file. The package is built
//      once with wixl and signed with osslsigncode (Debian: apt-get install wixl osslsigncode).
// It reports numbers; it does not pass or fail (exit code 1 only when something could not run).
//
// Usage: npm run bench [-- --runs 7 --edits 20]   (npm run bench builds dist/ first)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import rpc from 'vscode-languageserver-protocol/node';
import { componentsForSize, generateWix, TOGGLED_PROPERTY } from './generate-wix.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const workDir = path.join(root, 'bench', '.work');

const LARGE_COMPONENTS = 20_000;
const EDITED_SOURCE_BYTES = 1_000_000;
/** How long to wait for a diagnostics notification before deciding the server sent none. */
const PUBLISH_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 60_000;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Wall time of a whole process, from spawn to exit, after one warm-up run (file cache, node compile cache). */
export function timeProcess(command, args, { runs, exitCodes = [0] }) {
  return timeInterleaved([[command, args, exitCodes]], { runs })[0];
}

/**
 * Wall times of several commands whose runs take turns (A, B, C, A, B, C…) after one warm-up round:
 * on a shared machine the load changes from second to second, and ratios of series measured one
 * after the other would mostly measure that. Each entry: [command, args, exitCodes?].
 */
export function timeInterleaved(commands, { runs }) {
  const times = commands.map(() => []);
  const last = [];
  for (let round = 0; round <= runs; round++) {
    commands.forEach(([command, args, exitCodes = [0]], index) => {
      const start = performance.now();
      const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
      const elapsed = performance.now() - start;
      if (result.error) {
        const hint = result.error.code === 'ENOENT' && command === 'xmllint' ? ' (Debian/Ubuntu: apt-get install libxml2-utils)' : '';
        throw new Error(`cannot run ${command}: ${result.error.message}${hint}`);
      }
      if (!exitCodes.includes(result.status)) {
        throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}:\n${result.stderr.slice(0, 2000)}`);
      }
      if (round > 0) times[index].push(elapsed);
      last[index] = result;
    });
  }
  return times.map((series, index) => ({ median: median(series), min: Math.min(...series), max: Math.max(...series), stdout: last[index].stdout }));
}

export function xmllintVersion() {
  const banner = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).stderr ?? '';
  const number = Number(/libxml version (\d+)/.exec(banner)?.[1]);
  return number ? `${Math.floor(number / 10000)}.${Math.floor(number / 100) % 100}.${number % 100}` : 'unknown';
}

export function formatTable(headers, rows) {
  const cell = (value) => String(value).replaceAll('|', '\\|');
  return [headers, headers.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n');
}

const ms = (value) => (value === undefined ? 'n/a' : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
const ratio = (value, reference) => (value === undefined ? 'n/a' : `${(value / reference).toFixed(2)}×`);

function writeSource(file, components) {
  const { text } = generateWix({ components });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return text;
}

// ---------------------------------------------------------------------------------------------
// (a) the command line

function benchmarkCli(cli, runs) {
  const file = path.join(workDir, 'cli', `harvested-${LARGE_COMPONENTS}.wxs`);
  const text = writeSource(file, LARGE_COMPONENTS);
  process.stderr.write(`timing the CLI and xmllint on ${file}…\n`);
  const [lint, xmllint, startup, node] = timeInterleaved(
    [
      // Exit code 1 means "findings at error level", which is a normal outcome of lint.
      [process.execPath, [cli, 'lint', file, '--format', 'json'], [0, 1]],
      ['xmllint', ['--noout', file]],
      // The floors under any lint time: starting Node and loading the bundle, and Node alone.
      [process.execPath, [cli, '--version']],
      [process.execPath, ['-e', '0']],
    ],
    { runs },
  );
  try {
    JSON.parse(lint.stdout);
  } catch {
    throw new Error(`dist/cli.js lint --format json did not print JSON; it printed:\n${lint.stdout.slice(0, 500)}`);
  }
  return { bytes: Buffer.byteLength(text), lint, xmllint, startup, node };
}

// ---------------------------------------------------------------------------------------------
// (b) the language server

/** A stdio connection to the server that keeps every publishDiagnostics for one document. */
async function startServer(serverJs, folder) {
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const published = [];
  let onPublish;
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
    published.push({ ...params, at: performance.now() });
    onPublish?.();
  });
  // Answer what a server may ask an editor: no settings, yes to registrations.
  connection.onRequest(rpc.ConfigurationRequest.type, (params) => params.items.map(() => null));
  connection.onRequest(() => null);
  connection.onNotification(() => {});
  connection.listen();

  const withTimeout = (promise, what) =>
    Promise.race([
      promise,
      exited.then((code) => Promise.reject(new Error(`the server exited (${code}) during ${what}:\n${stderr.slice(0, 2000)}`))),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer to ${what} within ${REQUEST_TIMEOUT_MS / 1000} s`)), REQUEST_TIMEOUT_MS).unref()),
    ]);

  const folderUri = pathToFileURL(folder).href;
  const initialized = await withTimeout(
    connection.sendRequest(rpc.InitializeRequest.type, {
      processId: process.pid,
      rootUri: folderUri,
      workspaceFolders: [{ uri: folderUri, name: path.basename(folder) }],
      capabilities: {
        textDocument: { synchronization: {}, publishDiagnostics: { versionSupport: true } },
        workspace: { configuration: true, workspaceFolders: true },
      },
    }),
    'initialize',
  );
  await connection.sendNotification(rpc.InitializedNotification.type, {});

  return {
    capabilities: initialized.capabilities,
    published,
    request: (type, params, what) => withTimeout(connection.sendRequest(type, params), what),
    notify: (type, params) => connection.sendNotification(type, params),
    /** The first diagnostics for `uri` (at `version` when the server says which) after index `from`, or undefined on timeout. */
    nextPublish(uri, from, version) {
      const find = () => published.slice(from).find((p) => p.uri === uri && (p.version === undefined || p.version === null || p.version >= version));
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          onPublish = undefined;
          resolve(undefined);
        }, PUBLISH_TIMEOUT_MS);
        const check = () => {
          const found = find();
          if (!found) return;
          clearTimeout(timer);
          onPublish = undefined;
          resolve(found);
        };
        onPublish = check;
        check();
      });
    },
    async stop() {
      await withTimeout(connection.sendRequest(rpc.ShutdownRequest.type), 'shutdown').catch(() => {});
      await connection.sendNotification(rpc.ExitNotification.type).catch(() => {});
      const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 5_000))]);
      if (!stopped) child.kill();
      connection.dispose();
    },
  };
}

/** The LSP position of a UTF-16 offset (lines end at \n; a \r before it belongs to the line). */
function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

async function benchmarkServer(serverJs, runs, edits) {
  const folder = path.join(workDir, 'lsp');
  const components = componentsForSize(EDITED_SOURCE_BYTES);
  const file = path.join(folder, 'harvested-1mb.wxs');
  let text = writeSource(file, components);
  const uri = pathToFileURL(file).href;
  const needle = `<Property Id="${TOGGLED_PROPERTY}" Value="`;
  const valueOffset = text.indexOf(needle) + needle.length;
  const valuePosition = positionAt(text, valueOffset);

  // xmllint runs in the pauses between edits, so both series see the same load.
  const xmllintTimes = [];
  timeProcess('xmllint', ['--noout', file], { runs: 1 }); // A warm-up that fails early, with the reason, when xmllint is missing.
  const timeXmllint = () => {
    const start = performance.now();
    const result = spawnSync('xmllint', ['--noout', file]);
    if (result.status !== 0) throw new Error(`xmllint --noout ${file} exited with ${result.status ?? result.signal}`);
    xmllintTimes.push(performance.now() - start);
  };

  process.stderr.write(`timing the language server and xmllint on ${file}…\n`);
  const server = await startServer(serverJs, folder);
  try {
    const sync = server.capabilities.textDocumentSync;
    const syncKind = typeof sync === 'number' ? sync : sync?.change ?? rpc.TextDocumentSyncKind.None;
    if (syncKind === rpc.TextDocumentSyncKind.None) throw new Error('the server does not accept document changes (textDocumentSync.change is None)');

    // Opened, then asked for code lenses: the server answers from an analysis of the open text, so
    // the answer marks the moment the document is analysed, whether or not diagnostics were sent.
    const openStart = performance.now();
    await server.notify(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'wix', version: 1, text } });
    await server.request(rpc.CodeLensRequest.type, { textDocument: { uri } }, 'the first code lens request');
    const openMs = performance.now() - openStart;
    await new Promise((resolve) => setTimeout(resolve, 300)); // let any diagnostics of the opening arrive

    let version = 1;
    const edit = async () => {
      version++;
      const character = text[valueOffset] === '0' ? '1' : '0';
      text = text.slice(0, valueOffset) + character + text.slice(valueOffset + 1);
      const range = { start: valuePosition, end: { line: valuePosition.line, character: valuePosition.character + 1 } };
      const contentChanges = syncKind === rpc.TextDocumentSyncKind.Incremental ? [{ range, text: character }] : [{ text }];
      const sent = performance.now();
      await server.notify(rpc.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
      return sent;
    };

    // Edit → diagnostics: each edit flips the property between 0 and 1, which adds or removes a
    // finding, so a server that publishes only changed diagnostics still has something to send.
    const publishTimes = [];
    let missing;
    for (let i = 0; i < edits; i++) {
      const from = server.published.length;
      const sent = await edit();
      const publish = await server.nextPublish(uri, from, version);
      if (!publish) {
        missing = `no publishDiagnostics for ${path.basename(file)} within ${PUBLISH_TIMEOUT_MS / 1000} s of the edit to version ${version} (the edit flips ${TOGGLED_PROPERTY} between 0 and 1, which changes its finding; the server sent nothing)`;
        break;
      }
      publishTimes.push(publish.at - sent);
      timeXmllint();
      await new Promise((resolve) => setTimeout(resolve, 50)); // a pause between keystrokes
    }

    // Edit → fresh answer: a request right after the edit is answered from an analysis of the new
    // text, without the server's wait for more keystrokes. Measurable whatever the engine finds.
    const answerTimes = [];
    for (let i = 0; i < edits; i++) {
      const sent = await edit();
      await server.request(rpc.CodeLensRequest.type, { textDocument: { uri } }, 'a code lens request');
      answerTimes.push(performance.now() - sent);
      timeXmllint();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const xmllint = { median: median(xmllintTimes), min: Math.min(...xmllintTimes), max: Math.max(...xmllintTimes) };
    return {
      bytes: Buffer.byteLength(text),
      xmllint,
      openMs,
      publish: publishTimes.length ? median(publishTimes) : undefined,
      publishMin: publishTimes.length ? Math.min(...publishTimes) : undefined,
      publishCount: publishTimes.length,
      missing,
      answer: median(answerTimes),
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// (c) signature verification of a large package

const LARGE_PACKAGE_BYTES = 100 * 1024 * 1024;

/** A signed ~100 MB package: wixl embeds the (incompressible) payload as one cabinet stream. */
function makeLargeSignedPackage() {
  const folder = path.join(workDir, 'package');
  const signed = path.join(folder, 'large-signed.msi');
  if (existsSync(signed)) return signed;
  mkdirSync(folder, { recursive: true });
  const payload = Buffer.alloc(LARGE_PACKAGE_BYTES);
  // A cheap deterministic pseudo-random fill: incompressible, so the cabinet stays ~100 MB.
  let state = 0x2545f491;
  for (let i = 0; i < payload.length; i += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    payload.writeInt32LE(state | 0, i);
  }
  writeFileSync(path.join(folder, 'payload.bin'), payload);
  writeFileSync(
    path.join(folder, 'large.wxs'),
    `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="{6A1F2C3D-0000-4000-8000-0000000B0001}" Name="Benchmark" Language="1033" Version="1.0.0.0" Manufacturer="Contoso Ltd" UpgradeCode="{6A1F2C3D-0000-4000-8000-0000000B0002}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" />
    <Media Id="1" Cabinet="payload.cab" EmbedCab="yes" />
    <Directory Id="TARGETDIR" Name="SourceDir"><Directory Id="ProgramFilesFolder"><Directory Id="INSTALLDIR" Name="Benchmark">
      <Component Id="Payload" Guid="{6A1F2C3D-0000-4000-8000-0000000B0003}"><File Id="Payload" Source="payload.bin" KeyPath="yes" /></Component>
    </Directory></Directory></Directory>
    <Feature Id="Main" Level="1"><ComponentRef Id="Payload" /></Feature>
  </Product>
</Wix>
`,
  );
  const run = (command, args) => {
    const result = spawnSync(command, args, { cwd: folder, encoding: 'utf8' });
    if (result.error || result.status !== 0) {
      const hint = result.error?.code === 'ENOENT' ? ' (Debian/Ubuntu: apt-get install wixl osslsigncode)' : '';
      throw new Error(`cannot run ${command}${hint}: ${result.error?.message ?? result.stderr.slice(0, 2000)}`);
    }
  };
  const certificates = path.join(root, 'test', 'fixtures', 'certificates');
  run('wixl', ['-o', 'large.msi', 'large.wxs']);
  run('osslsigncode', ['sign', '-certs', path.join(certificates, 'contoso-patch-signing.pem'), '-key', path.join(certificates, 'contoso-patch-signing.key'), '-h', 'sha256', '-in', 'large.msi', '-out', signed]);
  return signed;
}

export function benchmarkVerify(cli, runs) {
  const file = makeLargeSignedPackage();
  process.stderr.write(`timing signature verification of ${file}…\n`);
  const certificate = path.join(root, 'test', 'fixtures', 'certificates', 'contoso-patch-signing.pem');
  const [lint, osslsigncode] = timeInterleaved(
    [
      [process.execPath, [cli, 'lint', file, '--format', 'json'], [0, 1]],
      ['osslsigncode', ['verify', '-CAfile', certificate, '-in', file]],
    ],
    { runs },
  );
  const findings = JSON.parse(lint.stdout).flatMap((result) => result.messages.map((message) => message.ruleId));
  if (findings.includes('invalid-patch-signature') || findings.includes('unreadable-package')) throw new Error(`the benchmark package did not verify: ${findings.join(', ')}`);
  return { bytes: statSync(file).size, lint, osslsigncode };
}

function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** The targets of issue 6, as ratios against the reference measured in the same run. */
const TARGETS = { cli: 1.5, edit: 2, verify: 1.2 };

/** "≤ 1.5× — met" or "≤ 1.5× — not met"; the benchmark reports, it does not fail. */
function target(limit, value, reference) {
  if (value === undefined) return `≤ ${limit}×`;
  return `≤ ${limit}× — ${value / reference <= limit ? 'met' : '**not met**'}`;
}

async function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, edits: { type: 'string', default: '20' } } });
  const runs = Number(values.runs);
  const edits = Number(values.edits);
  if (!(runs >= 1) || !(edits >= 1)) throw new Error('--runs and --edits must be positive numbers');
  const cli = path.join(root, 'dist', 'cli.js');
  const serverJs = path.join(root, 'dist', 'server.js');
  for (const program of [cli, serverJs]) if (!existsSync(program)) throw new Error(`${path.relative(root, program)} is missing: run npm run build first`);
  const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;

  // Timings on a shared machine move with its load: it is reported from start to end.
  const loadBefore = os.loadavg()[0];
  const a = benchmarkCli(cli, runs);
  const b = await benchmarkServer(serverJs, runs, edits);
  const c = benchmarkVerify(cli, runs);
  const loadAfter = os.loadavg()[0];

  const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
  console.log(`wix-uac ${version}; xmllint from libxml ${xmllintVersion()}; ${machine()}; load average ${loadBefore.toFixed(2)} at start, ${loadAfter.toFixed(2)} at end (${os.cpus().length} CPUs).`);
  console.log(`Medians of ${runs} runs (processes, taking turns with the reference's) and ${edits} edits (xmllint between them); each ratio is against the reference on the same file in the same run.\n`);
  console.log(
    formatTable(
      ['measurement', 'wix-uac', 'xmllint --noout', 'ratio', 'target'],
      [
        [`CLI: \`lint --format json\`, ${mb(a.bytes)} (${LARGE_COMPONENTS} components), whole process`, ms(a.lint.median), ms(a.xmllint.median), ratio(a.lint.median, a.xmllint.median), target(TARGETS.cli, a.lint.median, a.xmllint.median)],
        ['CLI start-up: `--version` (Node start + bundle load, the floor under every lint)', ms(a.startup.median), ms(a.xmllint.median), ratio(a.startup.median, a.xmllint.median), ''],
        ['Node alone: `node -e 0` (the floor under the floor)', ms(a.node.median), ms(a.xmllint.median), ratio(a.node.median, a.xmllint.median), ''],
        [`Server: one-character edit → publishDiagnostics, ${mb(b.bytes)}`, ms(b.publish), ms(b.xmllint.median), ratio(b.publish, b.xmllint.median), target(TARGETS.edit, b.publish, b.xmllint.median)],
        [`Server: one-character edit → answer to a request (no debounce), ${mb(b.bytes)}`, ms(b.answer), ms(b.xmllint.median), ratio(b.answer, b.xmllint.median), ''],
        [`Server: didOpen → first answer, ${mb(b.bytes)}`, ms(b.openMs), '', '', ''],
      ],
    ),
  );
  // The fastest runs are the ones least disturbed by other work on the machine: their ratio is a second opinion.
  console.log(`\nCLI min–max ${ms(a.lint.min)}–${ms(a.lint.max)}; xmllint ${ms(a.xmllint.min)}–${ms(a.xmllint.max)} (6 MB), ${ms(b.xmllint.min)}–${ms(b.xmllint.max)} (1 MB). Ratio of the fastest runs: CLI ${ratio(a.lint.min, a.xmllint.min)}, edit → publish ${ratio(b.publishMin, b.xmllint.min)}.`);
  console.log(
    `\n${formatTable(
      ['measurement', 'wix-uac', 'osslsigncode verify', 'ratio', 'target'],
      [[`CLI: \`lint\` of a signed ${mb(c.bytes)} package (read, hash, verify), whole process`, ms(c.lint.median), ms(c.osslsigncode.median), ratio(c.lint.median, c.osslsigncode.median), target(TARGETS.verify, c.lint.median, c.osslsigncode.median)]],
    )}`,
  );
  console.log(`\nVerify min–max ${ms(c.lint.min)}–${ms(c.lint.max)}; osslsigncode ${ms(c.osslsigncode.min)}–${ms(c.osslsigncode.max)}.`);
  if (b.missing) console.log(`\nEdit → publishDiagnostics measured on ${b.publishCount} of ${edits} edits: ${b.missing}.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`bench: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
