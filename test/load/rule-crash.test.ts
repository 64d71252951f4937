// One rule that throws must cost one internal-error finding, on the file it was checking, and
// nothing else: the other rules' findings stay as they are without it, and the language server
// keeps serving. The faulty rule (faulty-rule.ts) is injected through EngineOptions.rules, and
// into the language server through a test entry point (faulty-rule-server.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeLensRequest, DiagnosticSeverity, HoverRequest, MessageType, type CodeLens, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { Engine, MemoryFileSystem, type Finding } from '../../server/src/engine';
import { setLocale } from '../../server/src/engine/l10n';
import { rules } from '../../server/src/engine/rules';
import { Editor, uriOf } from '../support/lsp-editor';
import { FAULTY_RULE_ID, faultyPairRule, faultyRule, TRIGGER_PROPERTY } from './faulty-rule';

const WORKSPACE = path.resolve('/workspace');
const NOW = new Date('2026-06-01T00:00:00Z');
const TEST_SERVER = path.join(__dirname, 'faulty-rule-server.js');

/** A per-machine product that turns UAC patching off and lists no certificate: two findings of two rules. */
const product = (name: string, extraProperty = ''): string => `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">
  <Package Name="${name}" Manufacturer="Contoso" Version="1.0.0" UpgradeCode="{6B1D3F0E-2C4A-4E5B-9D7F-1A2B3C4D5E6F}">
    <Property Id="MSIDISABLELUAPATCHING" Value="1" />${extraProperty}
  </Package>
</Wix>
`;
const trigger = `\n    <Property Id="${TRIGGER_PROPERTY}" Value="on" />`;

const files = {
  'Alpha/Product.wxs': product('Alpha'),
  'Beta/Product.wxs': product('Beta', trigger),
};

function analyze(ruleSet: typeof rules, onInternalError?: (what: string, error: unknown) => void): Finding[] {
  const fs = new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([name, text]) => [path.join(WORKSPACE, name), text])));
  return new Engine(fs, { now: () => NOW, rules: ruleSet, onInternalError }).analyze({ roots: [WORKSPACE] }).findings;
}

const messageOf = (diagnostic: Diagnostic): string => (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value);
const describeFinding = (finding: Finding): string => `${finding.ruleId} ${path.relative(WORKSPACE, finding.file)}:${finding.range.start.line} ${finding.severity} ${finding.message}`;

describe('a rule that throws (engine)', () => {
  it('costs one internal-error finding on the file it was checking, and no other rule any finding', () => {
    const contained: { what: string; error: unknown }[] = [];
    const findings = analyze([...rules, faultyRule], (what, error) => contained.push({ what, error }));
    const withoutIt = analyze(rules);
    assert.ok(withoutIt.some((finding) => finding.ruleId === 'lua-patching-disabled') && withoutIt.some((finding) => finding.ruleId === 'missing-patch-certificate'), withoutIt.map(describeFinding).join('\n'));

    const others = findings.filter((finding) => finding.ruleId !== FAULTY_RULE_ID);
    assert.deepEqual(others.map(describeFinding), withoutIt.map(describeFinding));

    const internalErrors = findings.filter((finding) => finding.ruleId === FAULTY_RULE_ID && finding.severity === 'error');
    assert.equal(internalErrors.length, 1, findings.map(describeFinding).join('\n'));
    const [internalError] = internalErrors;
    // Beta is the second product: the finding is where the rule failed, not on the first file.
    assert.equal(internalError.file, path.join(WORKSPACE, 'Beta', 'Product.wxs'));
    assert.equal(internalError.range.start.line, 2, 'on the Package element');
    assert.match(internalError.message, /^wix-uac internal error in rule faulty-rule: Cannot read properties of undefined \(reading 'text'\)\. Please report it\.$/);

    // What the rule reported before it threw (Alpha) is kept; nothing of it on Beta but the error.
    const reported = findings.filter((finding) => finding.ruleId === FAULTY_RULE_ID && finding.severity === 'information');
    assert.deepEqual(reported.map(describeFinding), [`${FAULTY_RULE_ID} Alpha/Product.wxs:2 information checked Alpha`]);

    // The adapter gets the exception itself once, with its stack, for its log.
    assert.equal(contained.length, 1);
    assert.equal(contained[0].what, `rule ${FAULTY_RULE_ID}`);
    assert.ok(contained[0].error instanceof TypeError);
    assert.match((contained[0].error as Error).stack ?? '', /faulty-rule\.js:\d+/);
  });

  it('puts the finding on the first file when no single file makes the rule throw', () => {
    const findings = analyze([...rules, faultyPairRule]);
    const internalErrors = findings.filter((finding) => finding.ruleId === faultyPairRule.id);
    assert.deepEqual(internalErrors.map(describeFinding), [
      `${faultyPairRule.id} Alpha/Product.wxs:2 error wix-uac internal error in rule faulty-pair-rule: two products are more than this rule can take. Please report it.`,
    ]);
    assert.deepEqual(
      findings.filter((finding) => finding.ruleId !== faultyPairRule.id).map(describeFinding),
      analyze(rules).map(describeFinding),
    );
  });

  it('says it in Spanish', () => {
    setLocale('es');
    try {
      const internalError = analyze([...rules, faultyRule]).find((finding) => finding.ruleId === FAULTY_RULE_ID && finding.severity === 'error');
      assert.match(internalError?.message ?? '', /^Error interno de wix-uac en la regla faulty-rule: .+\. Notifíquelo, por favor\.$/);
    } finally {
      setLocale('en');
    }
  });
});

describe('a rule that throws (language server with the faulty rule, over stdio)', { timeout: 60_000 }, () => {
  let workspace: string;
  let editor: Editor;
  const betaPath = (): string => path.join(workspace, 'Beta', 'Product.wxs');
  const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((diagnostic) => String(diagnostic.code)).sort();
  const internalErrorsIn = (diagnostics: Diagnostic[]): Diagnostic[] =>
    diagnostics.filter((diagnostic) => diagnostic.code === FAULTY_RULE_ID && diagnostic.severity === DiagnosticSeverity.Error);
  const loggedCrashes = (): string[] => editor.log.filter((line) => line.type === MessageType.Error && line.message.includes(`rule ${FAULTY_RULE_ID}`)).map((line) => line.message);

  before(async () => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-faulty-rule-')));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
      fs.writeFileSync(path.join(workspace, name), text);
    }
    editor = Editor.start(TEST_SERVER);
    await editor.initialize({ folder: workspace, capabilities: { textDocument: { codeLens: {}, hover: { contentFormat: ['markdown'] } } } });
  });

  after(() => {
    editor?.kill();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('publishes one internal-error diagnostic on the file, the other rules’ diagnostics beside it, and logs the stack', async () => {
    const beta = await editor.latestDiagnostics(uriOf(betaPath()), 'the internal error', (diagnostics) => internalErrorsIn(diagnostics).length > 0);
    assert.equal(internalErrorsIn(beta).length, 1);
    assert.match(messageOf(internalErrorsIn(beta)[0]), /^wix-uac internal error in rule faulty-rule: /);
    assert.deepEqual(codes(beta), ['faulty-rule', 'lua-patching-disabled', 'missing-patch-certificate']);
    const alpha = editor.diagnostics.get(uriOf(path.join(workspace, 'Alpha', 'Product.wxs'))) ?? [];
    assert.deepEqual(codes(alpha), ['faulty-rule', 'lua-patching-disabled', 'missing-patch-certificate']);
    assert.equal(internalErrorsIn(alpha).length, 0);

    await editor.until('the crash in the server log', () => loggedCrashes().length > 0);
    assert.match(loggedCrashes()[0], /TypeError: Cannot read properties of undefined \(reading 'text'\)\n\s+at /);
  });

  it('keeps serving while the crash repeats on every edit, logs it once, and recovers when the input changes', async () => {
    const uri = uriOf(betaPath());
    let text = fs.readFileSync(betaPath(), 'utf8');
    editor.open(uri, text);
    for (let version = 2; version <= 6; version++) {
      text = text.replace('Name="Beta', 'Name="Beta ');
      editor.change(uri, version, [{ text }]);
      const lenses = await editor.request<CodeLens[]>(CodeLensRequest.type, { textDocument: { uri } });
      assert.ok(Array.isArray(lenses));
    }
    await editor.request<unknown>(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 5 } });
    assert.equal(internalErrorsIn(editor.diagnostics.get(uri) ?? []).length, 1);
    assert.equal(loggedCrashes().length, 1, loggedCrashes().join('\n---\n'));

    // Without the property that trips the rule, the rule reports normally again.
    editor.change(uri, 7, [{ text: text.replace(trigger, '') }]);
    const fixed = await editor.latestDiagnostics(uri, 'no internal error', (diagnostics) => internalErrorsIn(diagnostics).length === 0);
    assert.deepEqual(codes(fixed), ['faulty-rule', 'lua-patching-disabled', 'missing-patch-certificate']);
    assert.equal(editor.publicationsOf(uri).at(-1)?.version, 7);
  });
});
