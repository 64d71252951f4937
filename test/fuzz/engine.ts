// Target `engine`: whole workspaces through Engine.analyze — projects, sources, includes,
// wix-uac.json, certificates, packages, .idt folders and manifests together, the way the language
// server and the CLI run it, trusted and in Restricted Mode — then hovers, the package view and
// every fix. Workspaces are the fixture and example folders with files damaged, removed, added or
// replaced by generated ones, and workspaces made entirely of generated files.

import * as fc from 'fast-check';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/engine';
import { MemoryFileSystem } from '../../server/src/engine/fs';
import { LineIndex } from '../../server/src/engine/text';
import type { Finding, Range } from '../../server/src/engine/types';
import { seedFolder } from './corpus';
import { applyByteEdits, applyTextEdits, byteEdits, corpusPick, textEdits, type ByteEdit, type TextEdit } from './mutate';
import { packageSeeds } from './package';
import { assertNoLeakedBug, invariant, type FuzzTarget, type InputFiles } from './target';
import { wixDocument } from './wix';

export interface EngineInput {
  /** Paths inside the workspace, with forward slashes. */
  files: Array<{ name: string; bytes: Uint8Array }>;
  /** Restricted Mode: only these files are open (and analysed). */
  restricted?: string[];
}

/** Folders that are whole workspaces: examples and fixture projects. */
const WORKSPACES = [
  'examples', 'test/fixtures/patch-sources/v3', 'test/fixtures/patch-sources/v4', 'test/fixtures/cli/configured', 'test/fixtures/cli/lua-disabled',
  'test/fixtures/cli/missing-certificate', 'test/fixtures/cli/clean', 'test/fixtures/cli/suppressed', 'test/fixtures/lsp', 'test/fixtures/manifests',
];

const MAX_FILE = 64 * 1024;

function engineSeeds(): EngineInput[] {
  const seeds = WORKSPACES.map((folder) => ({
    files: [...seedFolder(folder)].filter(([name, bytes]) => bytes.length <= MAX_FILE && !name.endsWith('.md')).map(([name, bytes]) => ({ name, bytes })),
  }));
  // The package fixtures with the .idt export and the certificates they name.
  const packages = [...seedFolder('test/fixtures/packages')].filter(([name, bytes]) => bytes.length <= MAX_FILE && !/\.(md|json|key)$/.test(name) && !name.startsWith('hostile/'));
  seeds.push({ files: packages.map(([name, bytes]) => ({ name, bytes })) });
  return seeds.filter((seed) => seed.files.length > 0);
}

// ---- Generated files -------------------------------------------------------------------------

/** Globs picomatch cannot compile, or compiles into expressions that backtrack on long names. */
const HOSTILE_GLOBS = ['*a*a*a*a*a*a*a*ab', '**/*a*a*a/**/*a*a*ab', '+(*a)b', '*(a|aa)*(a|aa)c', 'x'.repeat(70_000), `${'{a,b}'.repeat(20)}*`];
/** A name such globs backtrack on. */
const LONG_NAME = 'a'.repeat(60);

const project: fc.Arbitrary<string> = fc
  .record({
    sdk: fc.constantFrom('Sdk="WixToolset.Sdk/4.0.5"', 'ToolsVersion="4.0"', '', 'Sdk=""'),
    outputType: fc.constantFrom('Package', 'Patch', 'Bundle', 'Module', 'Library', '', 'junk'),
    outputName: fc.constantFrom('ContosoTools', 'Hotfix', '$(ProjectName)', '', '..\\..\\x', 'a/b'),
    defines: fc.constantFrom('A=1;Version=1.2.3', 'Inc=a.wxi;$(DefineConstants)', ';;', '=1', 'A', 'A=$(A)', 'Product.TargetPath=bin\\Release\\ContosoTools.msi'),
    searchPaths: fc.constantFrom('inc', '..\\inc;$(ProjectDir)', '', '/etc'),
    platform: fc.constantFrom('x64', 'x86', '', 'arm64', '$(Platform)'),
    defaults: fc.constantFrom('', '<EnableDefaultCompileItems>false</EnableDefaultCompileItems>', '<EnableDefaultCompileItems>junk</EnableDefaultCompileItems>'),
    compile: fc.array(fc.constantFrom('Product.wxs', '*.wxs', '**\\*.wxs', '..\\**\\*.wxs', '**', 'src\\**\\*.wxs', '$(MSBuildThisFileDirectory)x.wxs', '{a,b}.wxs', '[', '/etc/passwd', ...HOSTILE_GLOBS), { maxLength: 3 }),
    references: fc.array(fc.constantFrom('..\\Product\\Product.wixproj', 'Product.wixproj', 'missing.wixproj', '..\\..\\..\\x.wixproj', ''), { maxLength: 2 }),
    condition: fc.constantFrom('', " Condition=\" '$(Configuration)' == 'Release' \"", ' Condition="junk"'),
  })
  .map((p) => {
    const compile = p.compile.map((include) => `    <Compile Include="${include}"${p.condition} />`).join('\n');
    const references = p.references.map((include) => `    <ProjectReference Include="${include}" />`).join('\n');
    return `<Project ${p.sdk}>\n  <PropertyGroup${p.condition}>\n    <OutputType>${p.outputType}</OutputType>\n    <OutputName>${p.outputName}</OutputName>\n    <DefineConstants>${p.defines}</DefineConstants>\n    <IncludeSearchPaths>${p.searchPaths}</IncludeSearchPaths>\n    <Platform>${p.platform}</Platform>\n    ${p.defaults}\n  </PropertyGroup>\n  <ItemGroup>\n${compile}\n${references}\n  </ItemGroup>\n</Project>\n`;
  });

const RULE_IDS = ['lua-patching-disabled', 'unsigned-patch', 'missing-patch-certificate', 'per-user-install', 'nonexistent-rule', '*', ''];

const config: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      rules: fc.dictionary(fc.constantFrom(...RULE_IDS), fc.constantFrom<unknown>('off', 'error', 'warning', 'hint', 'information', 'loud', 1, null, [], {})),
      ignore: fc.array(fc.constantFrom('generated/**', '**', '*.wxs', '[', '!x', '../**', '', '**/*.msp', ...HOSTILE_GLOBS), { maxLength: 3 }),
      extra: fc.option(fc.constantFrom<unknown>(['rules'], 42, 'x'), { freq: 4 }),
    })
    .map(({ rules, ignore, extra }) => JSON.stringify(extra === null ? { rules, ignore } : { rules, ignore, extends: extra }, null, 2)),
  fc.constantFrom('', '{', '[]', 'null', '{"rules": "x"}', '{"ignore": [1, 2]}', '\uFEFF{}', '{"rules": {"unsigned-patch": "off",}}', '/* comment */ {}'),
);

const PLACES = ['', 'src/', 'inc/', 'bin/Release/', 'certificates/', 'db/', 'publish/', 'Product/', 'Patch/', 'node_modules/', '.git/', 'a/b/c/'];

interface GeneratedFile {
  name: string;
  bytes: Uint8Array;
}

function generatedFile(): fc.Arbitrary<GeneratedFile> {
  const packages = packageSeeds().filter((seed) => seed.bytes.length <= MAX_FILE);
  const certificates = [...seedFolder('test/fixtures/certificates')].filter(([name]) => /\.(cer|pem|crt)$/.test(name)).map(([, bytes]) => bytes);
  const place = fc.constantFrom(...PLACES);
  const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(place, fc.constantFrom('Product.wxs', 'Patch.wxs', 'Bundle.wxs', 'Fragment.wxs', 'x.WXS', `${LONG_NAME}.wxs`), wixDocument('Wix')).map(([dir, name, text]) => ({ name: dir + name, bytes: utf8(text) })) },
    { weight: 2, arbitrary: fc.tuple(place, fc.constantFrom('a.wxi', 'b.wxi', 'c.wxi', 'Version.wxi'), wixDocument('Include')).map(([dir, name, text]) => ({ name: dir + name, bytes: utf8(text) })) },
    { weight: 2, arbitrary: fc.tuple(place, fc.constantFrom('Product.wixproj', 'Patch.wixproj', 'Bundle.wixproj'), project).map(([dir, name, text]) => ({ name: dir + name, bytes: utf8(text) })) },
    { weight: 1, arbitrary: fc.tuple(place, config).map(([dir, text]) => ({ name: `${dir}wix-uac.json`, bytes: utf8(text) })) },
    { weight: 1, arbitrary: fc.tuple(place, fc.constantFrom('signing.cer', 'contoso-patch-signing.cer', 'x.pem', 'y.crt'), fc.constantFrom(...certificates), fc.option(byteEdits(2), { freq: 3 })).map(([dir, name, bytes, edits]) => ({ name: dir + name, bytes: edits ? applyByteEdits(bytes, edits) : bytes })) },
    { weight: 2, arbitrary: fc.tuple(place, fc.constantFrom('Hotfix.msp', 'ContosoTools.msi', 'x.mst', 'Product.msi'), fc.constantFrom(...packages), fc.option(byteEdits(2), { freq: 3 })).map(([dir, name, seed, edits]) => ({ name: dir + name, bytes: edits ? applyByteEdits(seed.bytes, edits) : seed.bytes })) },
    { weight: 1, arbitrary: fc.tuple(place, fc.constantFrom('Property.idt', 'MsiPatchCertificate.idt', 'MsiDigitalCertificate.idt', 'Registry.idt'), fc.constantFrom(...idtLines())).map(([dir, name, text]) => ({ name: dir + name, bytes: utf8(text) })) },
    { weight: 1, arbitrary: fc.tuple(place, fc.constantFrom('update.sdp', 'catalog.xml', 'other.xml'), fc.constantFrom(...manifestTexts())).map(([dir, name, text]) => ({ name: dir + name, bytes: utf8(text) })) },
  );
}

function idtLines(): string[] {
  const folder = seedFolder('test/fixtures/packages/product-trusting-idt');
  return ['Property.idt', 'MsiPatchCertificate.idt', 'MsiDigitalCertificate.idt', 'Registry.idt', '_SummaryInformation.idt']
    .map((name) => folder.get(name))
    .filter((bytes): bytes is Uint8Array => bytes !== undefined)
    .map((bytes) => Buffer.from(bytes).toString('utf8'))
    .concat(['Property\tValue\r\ns72\tl0\r\nProperty\tProperty\r\nALLUSERS\t2\r\nMSIINSTALLPERUSER\t1\r\n', 'x\n']);
}

function manifestTexts(): string[] {
  return [...seedFolder('test/fixtures/manifests')].filter(([name]) => /\.(sdp|xml)$/.test(name)).map(([, bytes]) => Buffer.from(bytes).toString('utf8'));
}

type WorkspaceEdit =
  | { op: 'text'; which: number; edits: TextEdit[] }
  | { op: 'bytes'; which: number; edits: ByteEdit[] }
  | { op: 'delete'; which: number }
  | { op: 'add'; file: GeneratedFile }
  | { op: 'move'; which: number; to: string };

const TEXT_FILE = /\.(wxs|wxi|wixproj|json|idt|sdp|xml)$/i;

function workspaceEdit(): fc.Arbitrary<WorkspaceEdit> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('text' as const), which: fc.nat(), edits: textEdits(4) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('bytes' as const), which: fc.nat(), edits: byteEdits(3) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), which: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('add' as const), file: generatedFile() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('move' as const), which: fc.nat(), to: fc.constantFrom(...PLACES) }) },
  );
}

function applyWorkspaceEdits(base: EngineInput, edits: readonly WorkspaceEdit[]): EngineInput {
  const files = [...base.files];
  for (const edit of edits) {
    if (edit.op === 'add') {
      files.push(edit.file);
      continue;
    }
    if (files.length === 0) continue;
    // Text edits go to text files (sources, projects, tables, manifests), byte edits anywhere.
    const candidates = edit.op === 'text' ? files.filter((file) => TEXT_FILE.test(file.name)) : files;
    if (candidates.length === 0) continue;
    const file = candidates[edit.which % candidates.length];
    const index = files.indexOf(file);
    switch (edit.op) {
      case 'text':
        files[index] = { name: file.name, bytes: Buffer.from(applyTextEdits(Buffer.from(file.bytes).toString('utf8'), edit.edits), 'utf8') };
        break;
      case 'bytes':
        files[index] = { name: file.name, bytes: applyByteEdits(file.bytes, edit.edits) };
        break;
      case 'delete':
        files.splice(index, 1);
        break;
      case 'move':
        files[index] = { name: edit.to + path.posix.basename(file.name), bytes: file.bytes };
        break;
    }
  }
  const byName = new Map(files.map((file) => [file.name, file]));
  return { files: [...byName.values()], ...(base.restricted ? { restricted: base.restricted } : {}) };
}

function arbitrary(corpus: EngineInput[]): fc.Arbitrary<EngineInput> {
  const restricted = (input: EngineInput, pick: number[] | null): EngineInput => {
    if (!pick || input.files.length === 0) return { files: input.files };
    const open = [...new Set(pick.map((index) => input.files[index % input.files.length].name))];
    return { files: input.files, restricted: open };
  };
  const mutated = fc
    .record({ base: corpusPick(corpus), edits: fc.array(workspaceEdit(), { minLength: 1, maxLength: 4 }), open: fc.option(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), { freq: 5 }) })
    .map(({ base, edits, open }) => restricted(applyWorkspaceEdits(base, edits), open));
  const generated = fc
    .record({ files: fc.array(generatedFile(), { minLength: 1, maxLength: 8 }), open: fc.option(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), { freq: 5 }) })
    .map(({ files, open }) => restricted(applyWorkspaceEdits({ files: [] }, files.map((file) => ({ op: 'add' as const, file }))), open));
  return fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: generated });
}

// ---- Checks ----------------------------------------------------------------------------------

const ROOT = path.resolve('/fuzz/ws');
const NOW = new Date('2026-06-01T00:00:00Z');

/** Line tables of the workspace's text files, built once per input (findings can be thousands). */
type Lines = (file: string) => LineIndex | undefined;

function lineTables(fs: MemoryFileSystem): Lines {
  const tables = new Map<string, LineIndex | undefined>();
  return (file) => {
    if (!tables.has(file)) {
      const bytes = fs.readFile(file);
      tables.set(file, bytes && /\.(wxs|wxi|wixproj|idt|sdp|xml|json)$/i.test(file) ? new LineIndex(Buffer.from(bytes).toString('utf8')) : undefined);
    }
    return tables.get(file);
  };
}

function checkRange(range: Range, file: string, lines: Lines, what: string): void {
  const { start, end } = range;
  invariant([start.line, start.character, end.line, end.character].every((n) => Number.isInteger(n) && n >= 0), `${what}: a range with a negative or fractional position`);
  invariant(start.line < end.line || (start.line === end.line && start.character <= end.character), `${what}: a range that ends before it starts`);
  const table = lines(file);
  if (!table) return;
  // Decoding (UTF-16, code pages) can change the line count a little; a line far past the end cannot be right.
  invariant(end.line <= table.lineCount + 1, `${what}: a range on line ${end.line + 1} of a ${table.lineCount}-line file`);
}

function checkFinding(finding: Finding, lines: Lines): void {
  const where = `${path.relative(ROOT, finding.file)} (${finding.ruleId})`;
  assertNoLeakedBug(finding.message, where);
  checkRange(finding.range, finding.file, lines, where);
  for (const related of finding.related ?? []) {
    assertNoLeakedBug(related.message, `${where}, related`);
    checkRange(related.range, related.file, lines, `${where}, related`);
  }
  for (const fix of finding.fixes) {
    assertNoLeakedBug(fix.title, `${where}, fix`);
    for (const edit of fix.edits) {
      checkRange(edit.range, edit.file, lines, `${where}, fix "${fix.title}"`);
      // Applying the edit to the text the fix was made for must work.
      const table = lines(edit.file);
      if (table) invariant(table.offsetAt(edit.range.start) <= table.offsetAt(edit.range.end), `${where}, fix "${fix.title}": an edit that ends before it starts`);
    }
    for (const create of fix.createFiles ?? []) invariant(Buffer.from(create.base64, 'base64').length > 0 || create.base64 === '', `${where}: a fix creates a file with bad base64`);
  }
}

export function checkEngine(input: EngineInput): void {
  const fs = new MemoryFileSystem();
  for (const file of input.files) fs.write(path.join(ROOT, ...file.name.split('/')), file.bytes);
  const engine = new Engine(fs, { now: () => NOW });
  const roots = input.restricted ? input.restricted.map((name) => path.join(ROOT, ...name.split('/'))) : [ROOT];
  const result = engine.analyze({ roots, restricted: input.restricted !== undefined });
  const lines = lineTables(fs);
  for (const finding of result.findings) {
    invariant(!/^Internal error in rule/.test(finding.message), `rule ${finding.ruleId} crashed: ${finding.message}`);
    checkFinding(finding, lines);
  }
  for (const notice of result.notices) {
    assertNoLeakedBug(notice.message, `notice on ${path.relative(ROOT, notice.file)}`);
    if (notice.range) checkRange(notice.range, notice.file, lines, `notice on ${path.relative(ROOT, notice.file)}`);
  }
  for (const lens of result.lenses) {
    assertNoLeakedBug(lens.title, `lens on ${path.relative(ROOT, lens.file)}`);
    checkRange(lens.range, lens.file, lines, `lens on ${path.relative(ROOT, lens.file)}`);
  }
  // What the editor asks next: hovers in the sources, the package view of each database.
  for (const file of result.files) {
    if (/\.(wxs|wxi)$/i.test(file)) {
      for (let line = 0; line < 60; line += 3) {
        const hover = result.hover(file, { line, character: 5 });
        if (hover) assertNoLeakedBug(hover.contents, `hover in ${path.relative(ROOT, file)}`);
      }
    } else if (/\.(msi|msp|mst|idt)$/i.test(file)) {
      const inspection = result.inspect(file, { maxRows: 5 });
      if (inspection?.error) assertNoLeakedBug(inspection.error, `package view of ${path.relative(ROOT, file)}`);
      if (inspection?.status) assertNoLeakedBug(inspection.status, `package view of ${path.relative(ROOT, file)}`);
    }
  }
}

export const engineTarget: FuzzTarget<EngineInput> = {
  name: 'engine',
  summary: 'whole workspaces through Engine.analyze (trusted and Restricted Mode), hovers, package views, fixes',
  seeds: engineSeeds,
  arbitrary: (corpus) => arbitrary(corpus.entries),
  check: checkEngine,
  toFiles: (input): InputFiles => {
    const files: InputFiles = new Map(input.files.map((file) => [`workspace/${file.name}`, file.bytes]));
    if (input.restricted) files.set('input.json', Buffer.from(`${JSON.stringify({ restricted: input.restricted }, null, 2)}\n`));
    return files;
  },
  fromFiles: (files: InputFiles): EngineInput => {
    const options = files.has('input.json') ? (JSON.parse(Buffer.from(files.get('input.json')!).toString('utf8')) as { restricted?: string[] }) : {};
    const workspace = [...files].filter(([name]) => name.startsWith('workspace/')).map(([name, bytes]) => ({ name: name.slice('workspace/'.length), bytes }));
    return { files: workspace, ...(options.restricted ? { restricted: options.restricted } : {}) };
  },
};

