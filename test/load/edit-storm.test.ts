// The language server under a storm of keystrokes: 1 000 incremental edits, as fast as a client can
// send them, to an open product source and to the include it pulls in (open too). Whatever the
// server folds together or skips, the diagnostics it leaves in the editor must be those of the final
// texts — checked against a fresh analysis of those texts and against what the rules say about
// them — with the version of the text they were computed from, and a code-lens request right
// after the storm must be answered promptly.
//
// Measured on the development machine (2 cores, other test suites running beside it; three runs):
// 500 edits are sent in 176–785 ms; settling by itself, the server publishes the last time 166–264 ms
// after the last edit; a code lens sent right after the last edit is answered in 42–211 ms, one
// after the server settled in 1–11 ms. More in docs/robustness.md, "Server under load".
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeLensRequest, DiagnosticSeverity, type CodeLens, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Engine, NodeFileSystem, OverlayFileSystem, type Finding, type Notice } from '../../server/src/engine';
import { Editor, uriOf } from '../support/lsp-editor';

const repoRoot = path.join(__dirname, '..', '..', '..');
const signingCertificate = path.join(repoRoot, 'test', 'fixtures', 'certificates', 'contoso-patch-signing.cer');

const EDITS = 1_000;
const HARVESTED_COMPONENTS = 1_000;
/** Generous: the answer includes the analysis of whatever the storm left pending, on a busy CI machine. */
const CODE_LENS_BOUND_MS = 3_000;
/** How long without a publication counts as "the server has settled". */
const QUIET_MS = 750;

/** The state the edits move around in; the final text's expected findings follow from it. */
interface StormState {
  installerVersion: '200' | '301' | '500';
  scope: 'perMachine' | 'perUser';
  /** Value of the DisableUacPatching define in the include, which the product's MSIDISABLELUAPATCHING takes. */
  disableDefine: '0' | '1';
  /** The DisableLUAPatching machine policy the include's component writes. */
  policy: '0' | '1';
}

const INITIAL: StormState = { installerVersion: '500', scope: 'perMachine', disableDefine: '0', policy: '0' };

function productText(state: StormState): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- notes: -->',
    '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">',
    `  <Package Name="Storm" Manufacturer="Contoso Ltd" Version="1.0.0" ProductCode="{0B9E4A52-7C1D-4F3E-8A6B-2D5C9E1F7A30}"`,
    `           UpgradeCode="{5D2C8B17-9E4A-4B6F-A3D1-7C0E2F5B8A94}" Scope="${state.scope}" InstallerVersion="${state.installerVersion}">`,
    '    <?include Common.wxi ?>',
    '    <PatchCertificates>',
    '      <DigitalCertificate Id="ContosoPatchSigning" SourceFile="contoso-patch-signing.cer" />',
    '    </PatchCertificates>',
    '    <Property Id="MSIDISABLELUAPATCHING" Value="$(var.DisableUacPatching)" />',
    '    <Feature Id="Main">',
    '      <ComponentGroupRef Id="Harvested" />',
    '    </Feature>',
    '  </Package>',
    '  <Fragment>',
    '    <StandardDirectory Id="ProgramFiles6432Folder">',
    '      <Directory Id="INSTALLFOLDER" Name="Storm" />',
    '    </StandardDirectory>',
    '    <ComponentGroup Id="Harvested" Directory="INSTALLFOLDER">',
  ];
  for (let n = 0; n < HARVESTED_COMPONENTS; n++) {
    const id = String(n).padStart(6, '0');
    lines.push(`      <Component Id="cmp${id}" Guid="{6A1F2C3D-0000-4000-8000-${id.padStart(12, '0')}}">`);
    lines.push(`        <File Id="fil${id}" KeyPath="yes" Source="bin\\file${id}.dll" />`);
    lines.push(`        <RegistryValue Root="HKLM" Key="Software\\Contoso\\Storm" Name="file${id}" Type="string" Value="[#fil${id}]" />`);
    lines.push('      </Component>');
  }
  lines.push('    </ComponentGroup>', '  </Fragment>', '</Wix>', '');
  return lines.join('\n');
}

function includeText(state: StormState): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<Include xmlns="http://wixtoolset.org/schemas/v4/wxs">',
    `  <?define DisableUacPatching = "${state.disableDefine}" ?>`,
    '  <Component Id="Policy" Directory="INSTALLFOLDER">',
    `    <RegistryValue Root="HKLM" Key="Software\\Policies\\Microsoft\\Windows\\Installer" Name="DisableLUAPatching" Type="integer" Value="${state.policy}" />`,
    '  </Component>',
    '</Include>',
    '',
  ].join('\n');
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An open buffer kept in step with the server, edited through ranges as an editor does. */
class OpenBuffer {
  document: TextDocument;

  constructor(
    private readonly editor: Editor,
    readonly path: string,
    text: string,
  ) {
    this.document = TextDocument.create(uriOf(path), 'xml', 1, text);
    editor.open(this.uri, text);
  }

  get uri(): string {
    return this.document.uri;
  }

  get text(): string {
    return this.document.getText();
  }

  get version(): number {
    return this.document.version;
  }

  /** Replaces `length` characters at `offset` with `text` and sends the change. */
  splice(offset: number, length: number, text: string): void {
    const range = { start: this.document.positionAt(offset), end: this.document.positionAt(offset + length) };
    const version = this.version + 1;
    TextDocument.update(this.document, [{ range, text }], version);
    this.editor.change(this.uri, version, [{ range, text }]);
  }

  /** Sets the first quoted value after `anchor` (after `name=` when a name is given). */
  setValue(anchor: string, value: string, name = ''): void {
    const from = this.text.indexOf(anchor);
    assert.ok(from >= 0, `no ${anchor} in ${this.path}`);
    const match = new RegExp(`${name}="([^"]*)"`).exec(this.text.slice(from));
    assert.ok(match, `no ${name}="…" after ${anchor}`);
    const valueStart = from + match.index + match[0].indexOf('"') + 1;
    this.splice(valueStart, match[1].length, value);
  }

  lineOf(needle: string): number {
    const offset = this.text.indexOf(needle);
    assert.ok(offset >= 0, `no ${needle} in ${this.path}`);
    return this.document.positionAt(offset).line;
  }
}

const severityOf: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};
const rangeText = ({ start, end }: Diagnostic['range']): string => `${start.line}:${start.character}-${end.line}:${end.character}`;
const messageOf = (diagnostic: Diagnostic): string => (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value);
const describeDiagnostic = (diagnostic: Diagnostic): string => `${diagnostic.code ?? 'notice'} ${rangeText(diagnostic.range)} ${diagnostic.severity} ${messageOf(diagnostic)}`;
const describeFinding = (finding: Finding): string => `${finding.ruleId} ${rangeText(finding.range)} ${severityOf[finding.severity]} ${finding.message}`;
const describeNotice = (notice: Notice): string =>
  `notice ${rangeText(notice.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } })} ${severityOf[notice.severity ?? 'warning']} ${notice.message}`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('language server under an edit storm (dist/server.js --stdio)', { timeout: 180_000 }, () => {
  let workspace: string;
  let editor: Editor;
  let product: OpenBuffer;
  let include: OpenBuffer;
  const state: StormState = { ...INITIAL };
  const next = random(0x5eed);
  /** A blank line added before `marker`, or (half the time, when there is one) taken away again: everything below it moves. */
  const toggleBlankLine = (buffer: OpenBuffer, marker: string): void => {
    const at = buffer.text.indexOf(marker);
    if (buffer.text.slice(at - 2, at) === '\n\n' && next() < 0.5) buffer.splice(at - 1, 1, '');
    else buffer.splice(at, 0, '\n');
  };
  /** Publications per URI before the first storm: the first analysis read the files on disk, before they were opened. */
  const publishedBeforeStorms = new Map<string, number>();

  before(async () => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-storm-')));
    fs.writeFileSync(path.join(workspace, 'Product.wxs'), productText(INITIAL));
    fs.writeFileSync(path.join(workspace, 'Common.wxi'), includeText(INITIAL));
    fs.copyFileSync(signingCertificate, path.join(workspace, 'contoso-patch-signing.cer'));
    editor = Editor.start();
    await editor.initialize({ folder: workspace, capabilities: { textDocument: { codeLens: {}, publishDiagnostics: { versionSupport: true } } } });
    product = new OpenBuffer(editor, path.join(workspace, 'Product.wxs'), productText(INITIAL));
    include = new OpenBuffer(editor, path.join(workspace, 'Common.wxi'), includeText(INITIAL));
    await editor.latestDiagnostics(product.uri, 'the first analysis', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'lua-patching-disabled'));
    for (const buffer of [product, include]) publishedBeforeStorms.set(buffer.uri, editor.publicationsOf(buffer.uri).length);
  });

  after(() => {
    editor?.kill();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** One random edit: a value a rule reads, typing in a comment, or a line added or removed above the findings. */
  function randomEdit(): void {
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
    switch (pick(['version', 'scope', 'typing', 'line', 'define', 'policy', 'include-line'] as const)) {
      case 'version':
        state.installerVersion = pick(['200', '301', '500'] as const);
        product.setValue('<Package ', state.installerVersion, 'InstallerVersion');
        break;
      case 'scope':
        state.scope = pick(['perMachine', 'perUser'] as const);
        product.setValue('<Package ', state.scope, 'Scope');
        break;
      case 'typing': {
        // Characters typed into (or deleted from) the comment: columns move on that line only.
        const end = product.text.indexOf(' -->');
        const typed = end - product.text.indexOf('notes:') - 'notes:'.length;
        // Backspace removes a whole character, both halves of a surrogate pair.
        const last = /[\udc00-\udfff]/.test(product.text[end - 1]) ? 2 : 1;
        if (typed > 0 && next() < 0.4) product.splice(end - last, last, '');
        else product.splice(end, 0, pick(['a', 'é', ' ', '𝄞', '<', '"']));
        break;
      }
      case 'line':
        // Above the Package: every finding below moves.
        toggleBlankLine(product, '<Wix');
        break;
      case 'define':
        state.disableDefine = pick(['0', '1'] as const);
        include.setValue('<?define DisableUacPatching', state.disableDefine);
        break;
      case 'policy':
        state.policy = pick(['0', '1'] as const);
        include.setValue('Name="DisableLUAPatching"', state.policy, 'Value');
        break;
      case 'include-line':
        toggleBlankLine(include, '  <Component');
        break;
    }
  }

  /** Sends `count` edits as fast as the pipe takes them, with the odd pause of a few milliseconds (a typist's burst, a paste). */
  async function storm(count: number): Promise<number> {
    const started = performance.now();
    for (let edit = 0; edit < count; edit++) {
      randomEdit();
      if (edit % 50 === 49) await sleep(Math.floor(next() * 5));
    }
    return performance.now() - started;
  }

  /** What the rules say the final texts must produce, by file: rule ids with the line and severity. */
  function expectedByRules(): { product: string[]; include: string[] } {
    const expectedProduct = [`lua-patching-disabled ${product.lineOf('"MSIDISABLELUAPATCHING"')} ${state.disableDefine === '1' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information}`];
    if (state.installerVersion === '200') expectedProduct.push(`installer-version-too-low ${product.lineOf('InstallerVersion=')} ${DiagnosticSeverity.Warning}`);
    if (state.scope === 'perUser') expectedProduct.push(`per-user-install ${product.lineOf('<PatchCertificates>')} ${DiagnosticSeverity.Information}`);
    const expectedInclude = state.policy === '1' ? [`lua-patching-policy-disabled ${include.lineOf('Name="DisableLUAPatching"')} ${DiagnosticSeverity.Warning}`] : [];
    return { product: expectedProduct.sort(), include: expectedInclude };
  }

  /** A fresh engine's findings and notices for the final buffers, as the server would publish them. */
  function freshAnalysis(): { product: string[]; include: string[] } {
    const overlay = new OverlayFileSystem(new NodeFileSystem());
    overlay.setBuffer(product.path, product.text, product.version);
    overlay.setBuffer(include.path, include.text, include.version);
    const result = new Engine(overlay).analyze({ roots: [workspace] });
    const of = (file: string): string[] =>
      [...result.findings.filter((finding) => finding.file === file).map(describeFinding), ...result.notices.filter((notice) => notice.file === file).map(describeNotice)].sort();
    return { product: of(product.path), include: of(include.path) };
  }

  function assertFinalDiagnostics(when: string): void {
    const published = (buffer: OpenBuffer): Diagnostic[] => editor.diagnostics.get(buffer.uri) ?? [];
    const fresh = freshAnalysis();
    assert.deepEqual(published(product).map(describeDiagnostic).sort(), fresh.product, `${when}: Product.wxs differs from a fresh analysis of its final text`);
    assert.deepEqual(published(include).map(describeDiagnostic).sort(), fresh.include, `${when}: Common.wxi differs from a fresh analysis of its final text`);
    const byRules = (buffer: OpenBuffer): string[] => published(buffer).map((diagnostic) => `${diagnostic.code} ${diagnostic.range.start.line} ${diagnostic.severity}`).sort();
    const expected = expectedByRules();
    assert.deepEqual(byRules(product), expected.product, `${when}: Product.wxs in state ${JSON.stringify(state)}`);
    assert.deepEqual(byRules(include), expected.include, `${when}: Common.wxi in state ${JSON.stringify(state)}`);
  }

  /** Since the storms began, every publication for an open document says which version it is of, and versions never go back. */
  function assertVersionsInOrder(buffer: OpenBuffer): void {
    const versions = editor.publicationsOf(buffer.uri).slice(publishedBeforeStorms.get(buffer.uri)).map((publication) => publication.version);
    assert.ok(
      versions.every((version) => typeof version === 'number'),
      `${path.basename(buffer.path)}: a publication without a version: ${JSON.stringify(versions)}`,
    );
    const numbers = versions as number[];
    assert.ok(
      numbers.every((version, index) => index === 0 || version >= numbers[index - 1]),
      `${path.basename(buffer.path)}: versions went back: ${numbers.join(' ')}`,
    );
    assert.ok(numbers.every((version) => version <= buffer.version));
  }

  it('leaves the diagnostics of the final texts after 500 edits once it settles by itself, then answers a code lens promptly', async () => {
    const stormMs = await storm(EDITS / 2);
    const lastEdit = performance.now();
    // Settled: no publication for QUIET_MS after the last edit (bounded: the server must settle).
    const count = (): number => editor.publicationsOf(product.uri).length + editor.publicationsOf(include.uri).length;
    let publications = count();
    let lastPublication = lastEdit;
    while (performance.now() - lastPublication < QUIET_MS) {
      assert.ok(performance.now() - lastEdit < 30_000, 'the server kept publishing for 30 s after the storm');
      await sleep(10);
      if (count() !== publications) {
        publications = count();
        lastPublication = performance.now();
      }
    }
    const settledAfter = lastPublication - lastEdit;
    assertFinalDiagnostics('settled by itself');
    assertVersionsInOrder(product);
    assertVersionsInOrder(include);

    const lensStart = performance.now();
    await editor.request<CodeLens[]>(CodeLensRequest.type, { textDocument: { uri: product.uri } });
    const lensMs = performance.now() - lensStart;
    console.log(`edit storm (settling): ${EDITS / 2} edits sent in ${Math.round(stormMs)} ms, last publication ${Math.round(settledAfter)} ms after the last edit, code lens then ${Math.round(lensMs)} ms`);
    assert.ok(lensMs < CODE_LENS_BOUND_MS, `code lens took ${Math.round(lensMs)} ms`);
  });

  it('answers a code lens sent right after 500 more edits promptly, with the final texts already analysed', async () => {
    const stormMs = await storm(EDITS / 2);
    const lensStart = performance.now();
    const lenses = await editor.request<CodeLens[]>(CodeLensRequest.type, { textDocument: { uri: product.uri } });
    const lensMs = performance.now() - lensStart;
    console.log(`edit storm (code lens at once): ${EDITS / 2} edits sent in ${Math.round(stormMs)} ms, code lens answered ${Math.round(lensMs)} ms after the last edit`);
    assert.ok(lensMs < CODE_LENS_BOUND_MS, `code lens took ${Math.round(lensMs)} ms`);
    // The server analyses pending changes before it answers, and publishes before the answer goes out.
    assertFinalDiagnostics('right after the code lens');
    assertVersionsInOrder(product);
    assertVersionsInOrder(include);
    // The lens above the Package is there, and on the Package's line as the final text has it.
    assert.ok(lenses.some((lens) => lens.range.start.line === product.lineOf('<Package ')), JSON.stringify(lenses));
  });

  it('stamps the diagnostics of an edit with that edit’s version', async () => {
    state.installerVersion = state.installerVersion === '200' ? '500' : '200';
    product.setValue('<Package ', state.installerVersion, 'InstallerVersion');
    const has = state.installerVersion === '200';
    await editor.latestDiagnostics(product.uri, `installer-version-too-low ${has ? 'present' : 'gone'}`, (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'installer-version-too-low') === has);
    assert.equal(editor.publicationsOf(product.uri).at(-1)?.version, product.version);
    assertFinalDiagnostics('after one more edit');
  });
});
