// Paths that lead out of the workspace, and links that loop. In Restricted Mode nothing outside
// the workspace is opened, listed or looked at, whichever way a file names it (an .idt binary
// cell, a SourceFile, an include, a project's search path or item pattern), and what could not be
// read gives a notice instead of findings (test/workspace-trust.test.ts covers relative SourceFile
// and include paths and links to outside; these are the others). Links that loop end every walk:
// indexing, the analysis, and the language server's start, trusted or not.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfinedFileSystem, Engine, NodeFileSystem, OverlayFileSystem, type AnalysisResult } from '../../server/src/engine';
import { Editor, uriOf } from '../support/lsp-editor';
import { PACKAGES, packageFixture } from '../support/packages';
import { fixture, v4Package } from '../support/rule-tester';
import { physical, recordFsCalls, whereCallLanded } from '../support/fs-spy';
import { folderWith, removeFolders } from './support/folders';
import { describeMeasurement, MB, measure } from './support/measure';

after(removeFolders);

const CONTOSO_DER = fixture('certificates/contoso-patch-signing.cer');
const NOT_CHECKED = /^Not checked in Restricted Mode: checking this file means reading (.+), outside the workspace/;
const TODAY = new Date('2026-06-01T00:00:00Z');

/** The product-trusting.msi export, whose MsiDigitalCertificate row names a binary cell `cell`. */
function idtTables(cell: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const source = path.join(PACKAGES, 'product-trusting-idt');
  for (const name of fs.readdirSync(source).filter((entry) => entry.endsWith('.idt'))) files[name] = fs.readFileSync(path.join(source, name));
  files['MsiDigitalCertificate.idt'] = Buffer.from(`DigitalCertificate\tCertData\r\ns72\tv0\r\nMsiDigitalCertificate\tDigitalCertificate\r\nContosoPatchSigning\t${cell}\r\n`);
  return files;
}

/**
 * root/outside/  what the workspace names but Restricted Mode must not read
 * root/ws/       the workspace: one folder or source per way of naming outside
 */
function restrictedTree(): { root: string; ws: string; outside: string } {
  const files: Record<string, string | Buffer> = {
    'outside/secret.cer': CONTOSO_DER,
    'outside/Secret.wxi': '<Include xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <PatchCertificates>\n    <DigitalCertificate Id="Outside" SourceFile="secret.cer" />\n  </PatchCertificates>\n</Include>\n',
    'outside/Outside.wxs': `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Fragment>\n    <PatchCertificates>\n      <DigitalCertificate Id="Outside" SourceFile="secret.cer" />\n    </PatchCertificates>\n  </Fragment>\n</Wix>\n`,
    'outside/MsiDigitalCertificate/MsiDigitalCertificate.ContosoPatchSigning': CONTOSO_DER,
  };
  const root = folderWith(files);
  const ws = path.join(root, 'ws');
  const outside = path.join(root, 'outside');
  const write = (relative: string, content: string | Buffer): void => {
    const file = path.join(ws, ...relative.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  };
  const tables = (folder: string, cell: string): void => {
    for (const [name, content] of Object.entries(idtTables(cell))) write(`${folder}/${name}`, content);
  };
  // .idt binary cells: a relative path, an absolute path, a cell file that is a link, a cell folder that is a link.
  tables('cell-relative', '..\\..\\..\\outside\\secret.cer');
  tables('cell-absolute', path.join(outside, 'secret.cer'));
  tables('cell-link', 'MsiDigitalCertificate.ContosoPatchSigning');
  fs.mkdirSync(path.join(ws, 'cell-link', 'MsiDigitalCertificate'));
  fs.symlinkSync(path.join(outside, 'secret.cer'), path.join(ws, 'cell-link', 'MsiDigitalCertificate', 'MsiDigitalCertificate.ContosoPatchSigning'), 'file');
  tables('folder-link', 'MsiDigitalCertificate.ContosoPatchSigning');
  fs.symlinkSync(path.join(outside, 'MsiDigitalCertificate'), path.join(ws, 'folder-link', 'MsiDigitalCertificate'), 'dir');
  // Sources: an absolute SourceFile, an absolute include, a project's search path and item pattern.
  write('AbsoluteCert.wxs', v4Package(`<PatchCertificates>\n  <DigitalCertificate Id="Outside" SourceFile="${path.join(outside, 'secret.cer')}" />\n</PatchCertificates>`));
  write('AbsoluteInclude.wxs', v4Package(`<?include ${path.join(outside, 'Secret.wxi')} ?>`));
  write('search/Setup.wixproj', '<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <IncludeSearchPaths>..\\..\\outside</IncludeSearchPaths>\n  </PropertyGroup>\n</Project>\n');
  write('search/Product.wxs', v4Package('<?include Secret.wxi ?>'));
  write('items/Setup.wixproj', '<Project Sdk="WixToolset.Sdk/5.0.2">\n  <ItemGroup>\n    <Compile Include="..\\..\\outside\\*.wxs" />\n  </ItemGroup>\n</Project>\n');
  write('items/Product.wxs', v4Package('<PatchCertificates>\n  <DigitalCertificateRef Id="Outside" />\n</PatchCertificates>'));
  return { root, ws, outside };
}

/** The open files of each case, and the path the notice must name (relative to the file, as it says). */
const OPENED: Array<{ open: string; named: RegExp }> = [
  { open: 'cell-link/MsiDigitalCertificate.idt', named: /MsiDigitalCertificate\.ContosoPatchSigning \(through a link: .*outside.secret\.cer\)/ },
  { open: 'folder-link/MsiDigitalCertificate.idt', named: /MsiDigitalCertificate.MsiDigitalCertificate\.ContosoPatchSigning \(through a link: .*outside.MsiDigitalCertificate.MsiDigitalCertificate\.ContosoPatchSigning\)/ },
  { open: 'AbsoluteCert.wxs', named: /outside.secret\.cer$/ },
  { open: 'AbsoluteInclude.wxs', named: /outside.Secret\.wxi$/ },
  { open: 'search/Product.wxs', named: /outside/ },
  { open: 'items/Product.wxs', named: /outside/ },
];

function restrictedAnalysis(ws: string, relatives: string[]): { result: AnalysisResult; landed: string[] } {
  const files = relatives.map((relative) => path.join(ws, ...relative.split('/')));
  const buffers = files.map((file) => [file, fs.readFileSync(file, 'utf8')] as const);
  const { result, calls } = recordFsCalls(() => {
    const overlay = new OverlayFileSystem(new ConfinedFileSystem([ws]));
    for (const [file, text] of buffers) overlay.setBuffer(file, text, 1);
    return new Engine(overlay, { now: () => TODAY }).analyze({ roots: files, restricted: true });
  });
  return { result, landed: calls.map(whereCallLanded) };
}

describe('Restricted Mode reads nothing outside the workspace', () => {
  it('.idt binary cells naming a path are refused by the table reader itself, trusted or not, without a look at the path', () => {
    const { ws, outside } = restrictedTree();
    for (const folder of ['cell-relative', 'cell-absolute']) {
      const { result, landed } = restrictedAnalysis(ws, [`${folder}/MsiDigitalCertificate.idt`]);
      assert.deepEqual(landed.filter((file) => file.startsWith(outside)), [], folder);
      const notices = result.notices.filter((notice) => notice.file === path.join(ws, folder, 'MsiDigitalCertificate.idt')).map((notice) => notice.message);
      assert.ok(notices.some((message) => /binary cell ".+" must name a file in MsiDigitalCertificate/.test(message)), `${folder}: ${JSON.stringify(notices)}`);
    }
    const trusted = recordFsCalls(() => new Engine(new NodeFileSystem(), { now: () => TODAY }).analyze({ roots: [path.join(ws, 'cell-relative'), path.join(ws, 'cell-absolute')] }));
    assert.deepEqual(trusted.calls.map(({ file }) => physical(file)).filter((file) => file === path.join(outside, 'secret.cer')), [], 'the trusted analysis does not follow a path in a cell either');
  });

  it('no file system call lands outside for any other way of naming outside, and each file gets a notice naming the path', () => {
    const { ws } = restrictedTree();
    const { result, landed } = restrictedAnalysis(ws, OPENED.map(({ open }) => open));
    assert.deepEqual(landed.filter((file) => !(file === ws || file.startsWith(ws + path.sep))), []);
    for (const { open, named } of OPENED) {
      const file = path.join(ws, ...open.split('/'));
      assert.deepEqual(result.findings.filter((finding) => finding.file === file).map((finding) => finding.ruleId), [], `${open}: findings from a file that was not checked`);
      const notice = result.notices.find((candidate) => candidate.file === file && NOT_CHECKED.test(candidate.message));
      assert.ok(notice, `${open}: no "not checked" notice in ${JSON.stringify(result.notices)}`);
      assert.match(NOT_CHECKED.exec(notice.message)![1], named, open);
    }
  });

  it('what they name matters: the trusted analysis reads it and judges the files by it', () => {
    const { ws } = restrictedTree();
    const trusted = measure('analyze', { roots: [ws] }).value;
    const lensOf = (folder: string) => trusted.lenses.find((lens) => lens.file.startsWith(path.join(ws, folder)))?.title ?? '';
    for (const folder of ['cell-link', 'folder-link']) assert.match(lensOf(folder), /CN=Contoso Patch Signing/, `${folder}: the certificate behind the link was read`);
    for (const source of ['AbsoluteCert.wxs', 'AbsoluteInclude.wxs', 'search/Product.wxs']) {
      const file = path.join(ws, ...source.split('/'));
      assert.deepEqual(trusted.findings.filter((finding) => finding.file === file && finding.ruleId === 'missing-patch-certificate'), [], `${source}: the certificate outside was found`);
    }
  });
});

describe('a project item pattern that would walk the whole disk', () => {
  it('is left out with a notice (MSBuild warns of it as MSB5029), instead of a walk of every file on every analysis', (t) => {
    const climb = '..\\'.repeat(40);
    const folder = folderWith({
      'Setup.wixproj': `<Project Sdk="WixToolset.Sdk/5.0.2">\n  <ItemGroup>\n    <Compile Include="\\**\\*.wxs" />\n    <Compile Include="${climb}**\\*.wxs" />\n  </ItemGroup>\n</Project>\n`,
      'Product.wxs': v4Package('<Property Id="MSIDISABLELUAPATCHING" Value="1" />'),
    });
    const measured = measure('analyze', { roots: [folder] });
    t.diagnostic(describeMeasurement(measured));
    assert.ok(measured.ms < 5_000, describeMeasurement(measured));
    const notices = measured.value.notices.filter((notice) => notice.file === path.join(folder, 'Setup.wixproj')).map((notice) => notice.message);
    assert.deepEqual(notices, [
      `Compile Include="/**/*.wxs" would enumerate every file of ${path.parse(folder).root}; MSBuild warns of such wildcards too (MSB5029), and wix-uac leaves them out.`,
      `Compile Include="${climb.replace(/\\/g, '/')}**/*.wxs" would enumerate every file of ${path.parse(folder).root}; MSBuild warns of such wildcards too (MSB5029), and wix-uac leaves them out.`,
    ]);
    // The SDK's own **/*.wxs still compiles the product.
    assert.deepEqual(measured.value.findings.filter((finding) => finding.ruleId === 'lua-patching-disabled').map((finding) => path.basename(finding.file)), ['Product.wxs']);
  });
});

// ---- Links that loop --------------------------------------------------------------------------

/**
 * loops/             Product.wxs (a finding), sub/Sub.wxs, bin/Hotfix.msp, tables/ (an .idt database)
 *   self -> .            a folder that is itself
 *   up -> ..             the folder above, which holds loops/ again
 *   sub/back -> ../..    from below to above
 *   sub/again -> ../sub  a folder that is its own parent's child
 *   x -> y, y -> x       two links to each other (neither resolves)
 *   Loop.wxs -> Loop.wxs a file link to itself
 *   bin/Alias.msp -> Hotfix.msp
 */
function loopTree(): { root: string; loops: string } {
  const files: Record<string, string | Buffer> = {
    'loops/Product.wxs': v4Package('<Property Id="MSIDISABLELUAPATCHING" Value="1" />'),
    'loops/sub/Sub.wxs': '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Fragment />\n</Wix>\n',
    'loops/bin/Hotfix.msp': packageFixture('patch-unsigned.msp'),
  };
  for (const [name, content] of Object.entries(idtTables('MsiDigitalCertificate.ContosoPatchSigning'))) files[`loops/tables/${name}`] = content;
  files['loops/tables/MsiDigitalCertificate/MsiDigitalCertificate.ContosoPatchSigning'] = CONTOSO_DER;
  const root = folderWith(files);
  const loops = path.join(root, 'loops');
  const link = (target: string, at: string, type: 'dir' | 'file'): void => fs.symlinkSync(target, path.join(loops, ...at.split('/')), type);
  link('.', 'self', 'dir');
  link('..', 'up', 'dir');
  link('../..', 'sub/back', 'dir');
  link('../sub', 'sub/again', 'dir');
  link('y', 'x', 'file');
  link('x', 'y', 'file');
  link('Loop.wxs', 'Loop.wxs', 'file');
  link('Hotfix.msp', 'bin/Alias.msp', 'file');
  return { root, loops };
}

const REAL_FILES = ['Product.wxs', 'sub/Sub.wxs', 'bin/Hotfix.msp', 'bin/Alias.msp'];

describe('links that loop', () => {
  for (const workload of ['analyze', 'readPackagesThenAnalyze'] as const) {
    it(`${workload === 'analyze' ? 'Engine.analyze' : 'readPackages, then Engine.analyze'}: every walk ends, each real file is analysed once, in bounded time`, (t) => {
      const { loops } = loopTree();
      const measured = measure(workload, { roots: [loops] });
      t.diagnostic(`${workload}: ${describeMeasurement(measured)}`);
      assert.ok(measured.ms < 5_000, describeMeasurement(measured));
      assert.ok(measured.peakRssGrowth < 64 * MB, describeMeasurement(measured));
      const shown = measured.value;
      const analysed = shown.files.filter((file) => !file.includes(`${path.sep}tables${path.sep}`)).map((file) => path.relative(loops, file).split(path.sep).join('/'));
      assert.deepEqual(analysed.sort(), [...REAL_FILES].sort());
      assert.ok(shown.files.some((file) => file.endsWith(`${path.sep}tables${path.sep}Property.idt`)), 'the .idt database was read');
      assert.deepEqual(shown.findings.filter((finding) => finding.ruleId === 'lua-patching-disabled').map((finding) => path.relative(loops, finding.file)), ['Product.wxs']);
    });
  }

  it('Restricted Mode: a file opened through a loop of links is checked as itself', () => {
    const { loops } = loopTree();
    const throughLoop = path.join(loops, 'self', 'self', 'self', 'Product.wxs');
    const overlay = new OverlayFileSystem(new ConfinedFileSystem([loops]));
    overlay.setBuffer(throughLoop, fs.readFileSync(throughLoop, 'utf8'), 1);
    const started = performance.now();
    const result = new Engine(overlay, { now: () => TODAY }).analyze({ roots: [throughLoop], restricted: true });
    assert.ok(performance.now() - started < 5_000);
    assert.deepEqual(result.findings.map((finding) => finding.ruleId).sort(), ['lua-patching-disabled', 'missing-patch-certificate']);
  });
});

describe('the language server on a folder of looping links', { timeout: 120_000 }, () => {
  let editor: Editor | undefined;
  after(() => editor?.kill());

  for (const trusted of [true, false]) {
    it(`${trusted ? 'trusted' : 'Restricted Mode'}: indexing ends, the open file gets its diagnostics, and the server shuts down cleanly`, async () => {
      const { loops } = loopTree();
      editor = Editor.start();
      await editor.initialize({ folder: loops, capabilities: { window: { workDoneProgress: true } }, initializationOptions: { workspaceTrusted: trusted } });
      const product = path.join(loops, 'Product.wxs');
      editor.open(uriOf(product), fs.readFileSync(product, 'utf8'));
      await editor.latestDiagnostics(uriOf(product), 'lua-patching-disabled', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'lua-patching-disabled'));
      if (trusted) {
        // Indexing read the package too, through its real path only.
        await editor.latestDiagnostics(uriOf(path.join(loops, 'bin', 'Hotfix.msp')), 'unsigned-patch', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'unsigned-patch'));
      }
      assert.equal(await editor.stop(), 0);
      editor = undefined;
    });
  }
});
