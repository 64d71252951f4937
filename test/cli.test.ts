import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { exitStatus, run, type CliIo } from '../server/src/cli/cli';
import { formatters, type LintReport } from '../server/src/cli/format';
import { allRules } from '../server/src/engine/rules';
import type { Finding, Severity } from '../server/src/engine/types';

const repoRoot = path.join(__dirname, '..', '..');
const packageVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

// ---- Hand-built findings for the formatters -------------------------------------------------

const cwd = path.resolve('/work/contoso');
const product = path.join(cwd, 'installer', 'Product.wxs');
const include = path.join(cwd, 'installer', 'Certificates.wxi');
const clean = path.join(cwd, 'installer', 'Clean.wxs');

function finding(severity: Severity, ruleId: string, file: string, line: number, character: number, message: string, extra: Partial<Finding> = {}): Finding {
  return { ruleId, severity, message, file, range: { start: { line, character }, end: { line, character: character + 7 } }, fixes: [], ...extra };
}

const findings: Finding[] = [
  finding('error', 'invalid-certificate-file', include, 2, 4, 'certs\\patch.cer is not an X.509 certificate.', {
    range: { start: { line: 2, character: 4 }, end: { line: 3, character: 0 } },
    related: [{ file: product, range: { start: { line: 5, character: 6 }, end: { line: 5, character: 30 } }, message: 'Included here.' }],
  }),
  finding('warning', 'missing-patch-certificate', product, 3, 2, 'No patch certificate is listed,\nso patches need an administrator.', {
    fixes: [{
      title: 'Suppress missing-patch-certificate for this line',
      edits: [{ file: product, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, newText: '  <!-- wix-uac-disable-next-line missing-patch-certificate -->\n' }],
    }],
  }),
  finding('information', 'per-user-install', product, 11, 10, 'The product installs per user.'),
  finding('hint', 'expired-patch-certificate', product, 12, 0, 'The certificate has expired.'),
];
// The .wxi is not in `files`: it was analysed as part of Product.wxs but reports in itself.
const report: LintReport = { files: [clean, product], findings, cwd };
const options = { color: false, version: '9.8.7' };

describe('json format', () => {
  const output = JSON.parse(formatters.get('json')!(report, options)) as Array<{ filePath: string; messages: Array<Record<string, unknown>> }>;

  it('has one entry per file, sorted, including files without findings', () => {
    assert.deepEqual(output.map((entry) => entry.filePath), [include, clean, product]);
    assert.deepEqual(output[1].messages, []);
  });

  it('gives 1-based positions with the end after the last character', () => {
    assert.deepEqual(output[0].messages, [{
      ruleId: 'invalid-certificate-file', severity: 'error', message: 'certs\\patch.cer is not an X.509 certificate.',
      line: 3, column: 5, endLine: 4, endColumn: 1,
    }]);
    assert.deepEqual(output[2].messages.map((message) => [message.severity, message.line, message.column, message.endColumn]), [
      ['warning', 4, 3, 10],
      ['information', 12, 11, 18],
      ['hint', 13, 1, 8],
    ]);
  });
});

describe('msbuild format', () => {
  const lines = formatters.get('msbuild')!(report, options).split('\n');

  it('prints one canonical MSBuild line per finding, with absolute paths', () => {
    assert.deepEqual(lines, [
      `${include}(3,5): error invalid-certificate-file: certs\\patch.cer is not an X.509 certificate.`,
      `${product}(4,3): warning missing-patch-certificate: No patch certificate is listed, so patches need an administrator.`,
      `${product}(12,11): info per-user-install: The product installs per user.`,
      `${product}(13,1): info expired-patch-certificate: The certificate has expired.`,
      '',
    ]);
  });

  it('is read by the canonical error pattern MSBuild uses for tool output', () => {
    // MSBuild CanonicalError: origin(location): [subcategory] error|warning [code]: text
    const canonical = /^\s*(?<origin>[^:(]*(?:[a-zA-Z]:[^:(]*)?)\((?<location>\d+,\d+)\)\s*:\s*(?<category>error|warning)(?: \s*(?<code>[^: ]*))?\s*:(?<text>.*)$/i;
    const matched = lines.map((line) => canonical.exec(line)?.groups).filter((groups) => groups !== undefined);
    assert.deepEqual(matched.map((groups) => [groups.category, groups.code, groups.location]), [
      ['error', 'invalid-certificate-file', '3,5'],
      ['warning', 'missing-patch-certificate', '4,3'],
    ]);
  });
});

describe('sarif format', () => {
  const log = JSON.parse(formatters.get('sarif')!(report, options));
  const [sarifRun] = log.runs;

  it('is a SARIF 2.1.0 log naming the tool and every rule', () => {
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const driver = sarifRun.tool.driver;
    assert.equal(driver.name, 'wix-uac');
    assert.equal(driver.version, '9.8.7');
    assert.match(driver.informationUri, /^https:\/\//);
    assert.deepEqual(driver.rules.map((rule: { id: string }) => rule.id), allRules.map((rule) => rule.id));
    const certificateRule = driver.rules.find((rule: { id: string }) => rule.id === 'missing-certificate-file');
    assert.equal(certificateRule.defaultConfiguration.level, 'error');
    assert.equal(certificateRule.shortDescription.text, allRules.find((rule) => rule.id === 'missing-certificate-file')!.description);
    assert.match(certificateRule.helpUri, /^https:\/\/.*missing-certificate-file/);
  });

  it('has one result per finding pointing at its rule, file and 1-based region', () => {
    assert.equal(sarifRun.results.length, findings.length);
    for (const result of sarifRun.results) assert.equal(sarifRun.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.deepEqual(sarifRun.results.map((result: { level: string }) => result.level), ['error', 'warning', 'note', 'note']);

    const [invalid, missing] = sarifRun.results;
    assert.equal(invalid.message.text, 'certs\\patch.cer is not an X.509 certificate.');
    assert.deepEqual(invalid.locations[0].physicalLocation, {
      artifactLocation: { uri: 'installer/Certificates.wxi', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 5, endLine: 4, endColumn: 1 },
    });
    assert.match(sarifRun.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/\/(?:[A-Za-z]:\/)?work\/contoso\/$/);
    assert.equal(invalid.relatedLocations[0].message.text, 'Included here.');
    assert.equal(invalid.relatedLocations[0].physicalLocation.artifactLocation.uri, 'installer/Product.wxs');
    assert.deepEqual(invalid.relatedLocations[0].physicalLocation.region, { startLine: 6, startColumn: 7, endLine: 6, endColumn: 31 });

    assert.equal(missing.fixes[0].description.text, 'Suppress missing-patch-certificate for this line');
    assert.deepEqual(missing.fixes[0].artifactChanges[0].replacements[0], {
      deletedRegion: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 1 },
      insertedContent: { text: '  <!-- wix-uac-disable-next-line missing-patch-certificate -->\n' },
    });
  });

  it('percent-encodes relative paths and uses absolute URIs outside the working folder', () => {
    const spaced = path.join(cwd, 'My Installer', 'Product #2.wxs');
    const outside = path.resolve(cwd, '..', 'shared', 'Common.wxs');
    const log = JSON.parse(formatters.get('sarif')!({ cwd, files: [], findings: [finding('warning', 'lua-patching-disabled', spaced, 0, 0, 'm'), finding('warning', 'lua-patching-disabled', outside, 0, 0, 'm')] }, options));
    const [inside, elsewhere] = log.runs[0].results.map((result: { locations: Array<{ physicalLocation: { artifactLocation: unknown } }> }) => result.locations[0].physicalLocation.artifactLocation);
    assert.deepEqual(inside, { uri: 'My%20Installer/Product%20%232.wxs', uriBaseId: '%SRCROOT%' });
    assert.match(elsewhere.uri, /^file:\/\/\/.*shared\/Common\.wxs$/);
    assert.equal(elsewhere.uriBaseId, undefined);
  });
});

describe('text format', () => {
  const output = formatters.get('text')!(report, options);

  it('groups findings under each file, relative to the working folder, with a summary', () => {
    const blocks = output.trimEnd().split('\n\n');
    assert.equal(blocks.length, 3);
    assert.equal(blocks[0].split('\n')[0], path.join('installer', 'Certificates.wxi'));
    assert.equal(blocks[1].split('\n')[0], path.join('installer', 'Product.wxs'));
    assert.equal(blocks[2], '✖ 4 problems (1 error, 1 warning, 1 information, 1 hint)');
  });

  it('prints aligned rows of line:column, severity, message and rule id', () => {
    const rows = output.split('\n\n')[1].split('\n').slice(1);
    assert.equal(rows.length, 3);
    assert.match(rows[0], /^ {2}4:3 {4}warning {6}No patch certificate is listed, so patches need an administrator\. {2}missing-patch-certificate$/);
    assert.match(rows[1], /^ {2}12:11 +information +The product installs per user\. +per-user-install$/);
    const ruleColumn = rows.map((row) => row.search(/[a-z-]+$/));
    assert.equal(new Set(ruleColumn).size, 1, 'rule ids start in one column');
  });

  it('has no ANSI escapes without colour, and colours severities with it', () => {
    assert.doesNotMatch(output, /\x1b\[/);
    const colored = formatters.get('text')!(report, { ...options, color: true });
    assert.match(colored, /\x1b\[31merror\x1b\[0m/);
    assert.match(colored, /\x1b\[33mwarning\x1b\[0m/);
  });

  it('counts singular and plural, and says so when nothing was found', () => {
    assert.match(formatters.get('text')!({ ...report, findings: [findings[1]] }, options), /✖ 1 problem \(0 errors, 1 warning, 0 information\)\n$/);
    assert.equal(formatters.get('text')!({ ...report, findings: [] }, options), 'No problems found in 2 files.\n');
    assert.equal(formatters.get('text')!({ cwd, files: [clean], findings: [] }, options), 'No problems found in 1 file.\n');
  });
});

describe('exit status', () => {
  const warning = findings[1];
  const error = findings[0];
  const quiet = [findings[2], findings[3]];

  it('is 1 for any error-level finding', () => {
    assert.equal(exitStatus([error]), 1);
    assert.equal(exitStatus([error], 100), 1);
  });

  it('is 0 for warnings when no limit is given', () => {
    assert.equal(exitStatus([warning, warning, warning]), 0);
  });

  it('is 1 only when warnings exceed --max-warnings', () => {
    assert.equal(exitStatus([warning, warning], 2), 0);
    assert.equal(exitStatus([warning, warning, warning], 2), 1);
    assert.equal(exitStatus([warning], 0), 1);
  });

  it('never counts information or hints', () => {
    assert.equal(exitStatus(quiet, 0), 0);
    assert.equal(exitStatus([]), 0);
  });
});

// ---- The command line, in process ------------------------------------------------------------

function runInProcess(args: string[], terminal: Partial<CliIo> = {}): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { cwd: repoRoot, env: {}, stdoutIsTTY: false, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), ...terminal };
  const status = run(args, io);
  return { status, stdout, stderr };
}

describe('wix-uac usage', () => {
  const usageErrors: Array<[string[], RegExp]> = [
    [[], /missing command/],
    [['check'], /unknown command "check"/],
    [['lint', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['lint', '--format', 'xml'], /unknown format "xml": use text, json, sarif, msbuild/],
    [['lint', '--format'], /--format/],
    [['lint', '--max-warnings', 'many'], /--max-warnings needs a whole number/],
    [['lint', '--max-warnings=1.5'], /--max-warnings needs a whole number/],
    [['lint', '--max-warnings=-1'], /--max-warnings needs a whole number/],
    [['lint', 'test/fixtures/cli/no-such-folder'], /no such file or folder: test\/fixtures\/cli\/no-such-folder/],
    [['rules', 'extra'], /Unexpected argument 'extra'/],
  ];
  for (const [args, message] of usageErrors) {
    it(`exits 2 with one line on stderr for: wix-uac ${args.join(' ')}`, () => {
      const { status, stdout, stderr } = runInProcess(args);
      assert.equal(status, 2);
      assert.equal(stdout, '');
      assert.match(stderr, message);
      assert.match(stderr, /^wix-uac: [^\n]+\n$/);
    });
  }

  it('--help lists the commands and options', () => {
    const { status, stdout } = runInProcess(['--help']);
    assert.equal(status, 0);
    for (const word of ['lint', 'rules', '--format', 'text, json, sarif, msbuild', '--max-warnings', '--no-color', '--version', 'wix-uac.json']) {
      assert.ok(stdout.includes(word), `help mentions ${word}`);
    }
    assert.equal(runInProcess(['lint', '--help']).stdout, stdout);
  });

  it('colours text only on a terminal, unless --no-color or NO_COLOR says otherwise', () => {
    const args = ['lint', 'test/fixtures/cli/missing-certificate'];
    assert.match(runInProcess(args, { stdoutIsTTY: true }).stdout, /\x1b\[33mwarning\x1b\[0m/);
    assert.doesNotMatch(runInProcess(args, { stdoutIsTTY: false }).stdout, /\x1b\[/);
    assert.doesNotMatch(runInProcess([...args, '--no-color'], { stdoutIsTTY: true }).stdout, /\x1b\[/);
    assert.doesNotMatch(runInProcess(args, { stdoutIsTTY: true, env: { NO_COLOR: '1' } }).stdout, /\x1b\[/);
  });

  it('--version prints the version of package.json', () => {
    assert.deepEqual(runInProcess(['--version']), { status: 0, stdout: `${packageVersion}\n`, stderr: '' });
  });

  it('rules lists every rule with its default severity and description', () => {
    const { status, stdout } = runInProcess(['rules']);
    assert.equal(status, 0);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, allRules.length);
    for (const rule of allRules) assert.ok(lines.some((line) => line.startsWith(`${rule.id} `) && line.includes(` ${rule.defaultSeverity} `) && line.endsWith(rule.description)), rule.id);
  });
});

// ---- The built command (dist/cli.js) on real fixtures ----------------------------------------

const cliPath = path.join(repoRoot, 'dist', 'cli.js');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'cli');

function cli(args: string[], cwdForRun = fixtures): { status: number | null; stdout: string; stderr: string } {
  assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run "npm run build" first`);
  // The assertions are on English text: the machine's own locale must not choose the language.
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  delete env.NO_COLOR;
  delete env.LANGUAGE;
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: cwdForRun, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** 1-based line of the first occurrence of `text` in a fixture. */
function lineOf(fixture: string, text: string): number {
  const lines = fs.readFileSync(path.join(fixtures, fixture), 'utf8').split(/\r?\n/);
  const index = lines.findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `${text} in ${fixture}`);
  return index + 1;
}

type JsonOutput = Array<{ filePath: string; messages: Array<{ ruleId: string; severity: string; line: number }> }>;

function lintJson(args: string[]): { status: number | null; results: JsonOutput } {
  const { status, stdout, stderr } = cli(['lint', '--format', 'json', ...args]);
  assert.equal(stderr, '');
  return { status, results: JSON.parse(stdout) as JsonOutput };
}

describe('wix-uac lint (built)', () => {
  it('reports a per-machine product without patch certificates at its Package element', () => {
    const { status, results } = lintJson(['missing-certificate']);
    assert.equal(status, 0, 'warnings alone do not fail the run');
    assert.deepEqual(results.map((result) => result.filePath), [path.join(fixtures, 'missing-certificate', 'Product.wxs')]);
    assert.deepEqual(results[0].messages.map(({ ruleId, severity, line }) => ({ ruleId, severity, line })), [
      { ruleId: 'missing-patch-certificate', severity: 'warning', line: lineOf('missing-certificate/Product.wxs', '<Package ') },
    ]);
  });

  it('fails when warnings exceed --max-warnings', () => {
    assert.equal(cli(['lint', 'missing-certificate', '--max-warnings', '0']).status, 1);
    assert.equal(cli(['lint', 'missing-certificate', '--max-warnings', '1']).status, 0);
  });

  it('reports MSIDISABLELUAPATCHING in MSBuild format at the Property line', () => {
    const { status, stdout } = cli(['lint', 'lua-disabled', '--format', 'msbuild']);
    assert.equal(status, 0);
    const file = path.join(fixtures, 'lua-disabled', 'Product.wxs');
    const line = lineOf('lua-disabled/Product.wxs', '<Property Id="MSIDISABLELUAPATCHING"');
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1, stdout);
    assert.ok(lines[0].startsWith(`${file}(${line},`), lines[0]);
    assert.match(lines[0], /^.+\(\d+,\d+\): warning lua-patching-disabled: \S.*$/);
  });

  it('finds nothing in a per-machine product with a patch certificate', () => {
    const { status, results } = lintJson(['clean']);
    assert.equal(status, 0);
    assert.deepEqual(results, [{ filePath: path.join(fixtures, 'clean', 'Product.wxs'), messages: [] }]);
    const text = cli(['lint', 'clean']);
    assert.equal(text.stdout, 'No problems found in 1 file.\n');
  });

  it('honours inline suppression', () => {
    const { results } = lintJson(['suppressed']);
    assert.equal(results.length, 1);
    assert.deepEqual(results[0].messages, []);
  });

  it('applies wix-uac.json: severities and ignored folders', () => {
    const { status, results } = lintJson(['configured']);
    assert.equal(status, 1, 'the file raises the rule to an error');
    assert.deepEqual(results.map((result) => result.filePath), [path.join(fixtures, 'configured', 'Product.wxs')]);
    assert.deepEqual(results[0].messages.map(({ ruleId, severity }) => ({ ruleId, severity })), [{ ruleId: 'missing-patch-certificate', severity: 'error' }]);
  });

  it('walks folders and prints text grouped by relative path, without colour when piped', () => {
    const { status, stdout, stderr } = cli(['lint']);
    assert.equal(stderr, '');
    assert.equal(status, 1, 'configured/ holds an error');
    assert.doesNotMatch(stdout, /\x1b\[/);
    const headers = stdout.split('\n').filter((line) => /\.wxs$/.test(line));
    assert.deepEqual(headers, [
      path.join('configured', 'Product.wxs'),
      path.join('lua-disabled', 'Product.wxs'),
      path.join('missing-certificate', 'Product.wxs'),
    ]);
    assert.match(stdout, /\n✖ 3 problems \(1 error, 2 warnings, 0 information\)\n$/);
  });

  it('writes SARIF with paths relative to the working folder', () => {
    const { stdout } = cli(['lint', 'missing-certificate', 'lua-disabled', '--format', 'sarif']);
    const results = JSON.parse(stdout).runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
    assert.deepEqual(
      results.map((result) => [result.ruleId, result.locations[0].physicalLocation.artifactLocation.uri, result.locations[0].physicalLocation.region.startLine]),
      [
        ['lua-patching-disabled', 'lua-disabled/Product.wxs', lineOf('lua-disabled/Product.wxs', '<Property Id="MSIDISABLELUAPATCHING"')],
        ['missing-patch-certificate', 'missing-certificate/Product.wxs', lineOf('missing-certificate/Product.wxs', '<Package ')],
      ],
    );
  });

  it('exits 2 with one line on stderr for a bad option or path', () => {
    for (const args of [['lint', '--format', 'xml'], ['lint', 'no-such-folder']]) {
      const { status, stdout, stderr } = cli(args);
      assert.equal(status, 2);
      assert.equal(stdout, '');
      assert.match(stderr, /^wix-uac: [^\n]+\n$/);
    }
  });

  it('--version prints the version of package.json', () => {
    assert.equal(cli(['--version']).stdout, `${packageVersion}\n`);
  });
});

// ---- Packages, patches and .idt folders --------------------------------------------------------

const packageFixtures = path.join(repoRoot, 'test', 'fixtures', 'packages');
const contosoCertificate = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'certificates', 'contoso-patch-signing.cer'));

describe('wix-uac on packages and patches (built)', () => {
  it('lint fails on an unsigned patch and a patch its target does not trust, and passes a trusted one', () => {
    const run = (...names: string[]) => cli(['lint', '--format', 'json', ...names], packageFixtures);
    const failing = run('patch-unsigned.msp', 'patch-northwind.msp', 'product-trusting.msi');
    assert.equal(failing.status, 1);
    const results = JSON.parse(failing.stdout) as JsonOutput;
    const rules = results.flatMap((result) => result.messages.map((message) => `${path.basename(result.filePath)} ${message.ruleId} ${message.line}`)).sort();
    assert.deepEqual(rules, ['patch-northwind.msp untrusted-patch-signer 1', 'patch-unsigned.msp unsigned-patch 1']);
    const passing = run('patch-sha256.msp', 'product-trusting.msi');
    assert.equal(passing.status, 0, passing.stdout);
  });

  it('lint reads an .idt folder as one database', () => {
    const { status, stdout } = cli(['lint', 'product-trusting-idt'], packageFixtures);
    assert.equal(status, 0, stdout);
    assert.match(stdout, /No problems found in \d+ files/);
  });

  it('inspect prints the summary, tables and a verified signature with its trust', () => {
    const { status, stdout } = cli(['inspect', 'patch-sha256.msp', '--roots', '.'], packageFixtures);
    assert.equal(status, 0);
    assert.match(stdout, /^patch-sha256\.msp \(Windows Installer patch\)$/m);
    assert.match(stdout, /Template\s+\{6A1F2C3D-0000-4000-8000-00000000C0A1\}/);
    assert.match(stdout, /State\s+valid/);
    assert.match(stdout, /SHA-1 thumbprint\s+354A27977B17FEC59A1B1B9A91B2CEA5B2CCCE11/);
    assert.match(stdout, /Target\s+Contoso Tools 1\.0\.0\.0 \(product-trusting\.msi\) \{6A1F2C3D-0000-4000-8000-00000000C0A1\}: trusts the signer/);
  });

  it('inspect --format json --table shows one table as columns and rows', () => {
    const { status, stdout } = cli(['inspect', 'product-trusting.msi', '--format', 'json', '--table', 'Property'], packageFixtures);
    assert.equal(status, 0);
    const inspection = JSON.parse(stdout) as { kind: string; tables: { name: string; columns: { name: string }[]; rows: string[][] }[] };
    assert.equal(inspection.kind, 'msi');
    assert.deepEqual(inspection.tables.map((table) => table.name), ['Property']);
    assert.deepEqual(inspection.tables[0].columns.map((column) => column.name), ['Property', 'Value']);
    assert.ok(inspection.tables[0].rows.some(([name, value]) => name === 'ProductCode' && value === '{6A1F2C3D-0000-4000-8000-00000000C0A1}'));
  });

  it('inspect says why a broken package cannot be read, with exit status 1', () => {
    const { status, stdout } = cli(['inspect', 'hostile/truncated.msi'], packageFixtures);
    assert.equal(status, 1);
    assert.match(stdout, /truncated\.msi: cannot be read: /);
  });

  it('extract-cert writes the signer certificate, byte for byte the .cer it was signed with', () => {
    const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-cli-')), 'signer.cer');
    const { status, stdout } = cli(['extract-cert', 'patch-sha256-dse.msp', '-o', output], packageFixtures);
    assert.equal(status, 0);
    assert.match(stdout, /CN=Contoso Patch Signing/);
    assert.deepEqual(fs.readFileSync(output), contosoCertificate);
    fs.rmSync(path.dirname(output), { recursive: true });
  });

  it('extract-cert on an unsigned patch exits 2 and says so', () => {
    const { status, stderr } = cli(['extract-cert', 'patch-unsigned.msp', '-o', '/nonexistent/x.cer'], packageFixtures);
    assert.equal(status, 2);
    assert.match(stderr, /patch-unsigned\.msp is not signed/);
  });
});

// ---- The bundled examples (what `npm start` prints) ----------------------------------------------

it("npm start's example shows patch findings", () => {
  // examples/make-patches.sh builds both patches. The Fabrikam signer's subject and SHA-1 are
  // openssl's: `osslsigncode extract-signature -pem`, then `openssl pkcs7 -print_certs | openssl
  // x509 -fingerprint -sha1`. A run with --new-key changes the thumbprint.
  const fabrikamSignerSha1 = 'D6E19F7E4DF296298F32A2EE5A7CF5FF27B20895';
  const fabrikamPatch = path.join('examples', 'fabrikam-agent', 'bin', 'Release', 'FabrikamAgent-Hotfix1.msp');
  const contosoPatch = path.join('examples', 'contoso-tools', 'bin', 'Release', 'ContosoTools-Hotfix1.msp');
  const agent = path.join('examples', 'fabrikam-agent', 'Agent.wxs');

  const { status, stdout, stderr } = cli(['lint', '--format', 'json', 'examples'], repoRoot);
  assert.equal(stderr, '');
  assert.equal(status, 1, 'the untrusted Fabrikam patch is an error');
  const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; severity: string; line: number; message: string }> }>;
  const messagesOf = (file: string) => {
    const result = results.find((entry) => entry.filePath === path.join(repoRoot, file));
    assert.ok(result, `${file} was analysed`);
    return result.messages;
  };

  const fabrikam = messagesOf(fabrikamPatch);
  assert.deepEqual(fabrikam.map(({ ruleId, severity, line }) => ({ ruleId, severity, line })), [{ ruleId: 'untrusted-patch-signer', severity: 'error', line: 1 }]);
  assert.match(fabrikam[0].message, new RegExp(`signed by CN=Fabrikam Patch Signing \\(SHA-1 ${fabrikamSignerSha1}\\)`));
  assert.match(fabrikam[0].message, /its target Fabrikam Agent 3\.1\.0\.0 \(Agent\.wxs\) lists no certificate/);
  // Signed by the certificate Product.wxs lists, for the ProductCode Product.wxs sets: nothing to say.
  assert.deepEqual(messagesOf(contosoPatch), []);
  // …and judged, not skipped for want of a target (Template as `msiinfo suminfo` prints it).
  const contosoInspection = cli(['inspect', contosoPatch, '--roots', 'examples'], repoRoot);
  assert.equal(contosoInspection.status, 0);
  assert.match(contosoInspection.stdout, /Target\s+Contoso Tools 1\.2\.0 \(Product\.wxs\) \{B43F7A2E-61C8-4D95-8E0B-2C7D5A9F1E36\}: trusts the signer/);
  assert.deepEqual(messagesOf(agent).map((message) => message.ruleId), ['missing-patch-certificate']);

  // The product's finding offers the certificate that signed its patch, first.
  const sarif = JSON.parse(cli(['lint', '--format', 'sarif', 'examples'], repoRoot).stdout) as {
    runs: Array<{
      results: Array<{
        ruleId: string;
        locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
        fixes?: Array<{ description: { text: string }; artifactChanges: Array<{ artifactLocation: { uri: string }; replacements: Array<{ insertedContent: { text?: string; binary?: string } }> }> }>;
      }>;
    }>;
  };
  const agentFinding = sarif.runs[0].results.find((result) => result.ruleId === 'missing-patch-certificate' && result.locations[0].physicalLocation.artifactLocation.uri === 'examples/fabrikam-agent/Agent.wxs');
  assert.ok(agentFinding?.fixes, 'missing-patch-certificate on Agent.wxs has fixes');
  assert.match(agentFinding.fixes[0].description.text, /^Extract signer certificate from FabrikamAgent-Hotfix1\.msp \(CN=Fabrikam Patch Signing\) to \S+\.cer and add it to PatchCertificates$/);
  // The certificate file it creates is part of the fix: DER bytes that openssl reads as the signer.
  const [created, edited] = agentFinding.fixes[0].artifactChanges;
  assert.match(created.artifactLocation.uri, /^examples\/fabrikam-agent\/\S+\.cer$/);
  assert.equal(edited.artifactLocation.uri, 'examples/fabrikam-agent/Agent.wxs');
  const der = Buffer.from(created.replacements[0].insertedContent.binary ?? '', 'base64');
  const subject = spawnSync('openssl', ['x509', '-inform', 'DER', '-noout', '-subject'], { input: der, encoding: 'utf8' });
  if (!subject.error) assert.match(subject.stdout, /CN ?= ?Fabrikam Patch Signing/);
});
