// Hostile and huge XML, each through the engine on a real folder, as `wix-uac lint` and the
// language server run it: external entities, entity expansion bombs, 50 MB on one line, 100 000
// levels of nesting, invalid UTF-8 and UTF-16. Time and peak memory are measured in a fresh
// process per case (support/measure.ts); at the end the language server gets a folder of them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CodeLensRequest, HoverRequest, type CodeLens, type Diagnostic, type Hover } from 'vscode-languageserver-protocol/node';
import { Engine, NodeFileSystem } from '../../server/src/engine';
import { SDP_NAMESPACE } from '../../server/src/engine/manifest/sdp';
import { MAX_ELEMENT_DEPTH } from '../../server/src/engine/wix/preprocessor';
import { Editor, uriOf } from '../support/lsp-editor';
import { recordFsCalls } from '../support/fs-spy';
import { folderWith, removeFolders } from './support/folders';
import { describeMeasurement, MB, measure, type Measured } from './support/measure';
import type { Shown } from './support/workloads';

after(removeFolders);

/** The time every case must stay within: generous for a loaded machine, far below a hang or a quadratic step. */
const TIME_LIMIT_MS = 5_000;

const V4 = 'http://wixtoolset.org/schemas/v4/wxs';
const PACKAGE = 'Package Name="Hostile" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"';
/** The property that turns UAC patching off: each case checks that wix-uac still finds it. */
const DISABLES = '<Property Id="MSIDISABLELUAPATCHING" Value="1" />';
/** Where lua-patching-disabled points in DISABLES: the value. */
const DISABLES_VALUE = DISABLES.indexOf('1"');

function assertWithin(t: TestContext, measured: Measured<unknown>, limits: { ms: number; bytes: number }, what: string): void {
  t.diagnostic(`${what}: ${describeMeasurement(measured)}`);
  assert.ok(measured.ms < limits.ms, `${what}: ${describeMeasurement(measured)}, over ${limits.ms} ms`);
  assert.ok(measured.peakRssGrowth < limits.bytes, `${what}: ${describeMeasurement(measured)}, over ${Math.round(limits.bytes / MB)} MB`);
}

/** Line (0-based) and character of the first `needle` in `text`. */
function positionOf(text: string, needle: string, from = 0): { line: number; character: number } {
  const offset = text.indexOf(needle, from);
  assert.ok(offset >= 0, `no ${needle} in the test text`);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - lineStart };
}

const findingsOf = (shown: Shown, file: string, ruleId?: string) => shown.findings.filter((finding) => finding.file === file && (ruleId === undefined || finding.ruleId === ruleId));
const noticesOf = (shown: Shown, file: string) => shown.notices.filter((notice) => notice.file === file);

// ---- External entities ------------------------------------------------------------------------

const SECRET = `wix-uac-secret-${randomUUID()}`;

/**
 * A folder whose sources declare external entities, an external DTD and an XInclude, all naming
 * files of the folder (and /etc/passwd). Read, `disable.txt` would turn UAC patching off and
 * `secret.txt` would show up in a message.
 */
function entityFolder(): { folder: string; entities: string; external: string; secretFiles: string[] } {
  const folder = folderWith({ 'secret.txt': SECRET, 'disable.txt': '1', 'secret.dtd': `<!ENTITY leaked "${SECRET}">\n<!ENTITY disable "1">\n` });
  const secretFiles = ['secret.txt', 'disable.txt', 'secret.dtd'].map((name) => path.join(folder, name));
  const entities = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!DOCTYPE Wix [',
    '  <!ENTITY passwd SYSTEM "file:///etc/passwd">',
    '  <!ENTITY secret SYSTEM "secret.txt">',
    `  <!ENTITY secretUrl SYSTEM "${pathToFileURL(secretFiles[0]).href}">`,
    '  <!ENTITY disable SYSTEM "disable.txt">',
    '  <!ENTITY public PUBLIC "-//Contoso//Secret//EN" "secret.txt">',
    '  <!ENTITY % external SYSTEM "secret.dtd">',
    '  %external;',
    ']>',
    `<Wix xmlns="${V4}" xmlns:xi="http://www.w3.org/2001/XInclude">`,
    `  <Package Name="&secret;" Manufacturer="&passwd;" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">`,
    '    <Property Id="MSIDISABLELUAPATCHING" Value="&disable;" />',
    '    <Property Id="LEAK">&secret;&secretUrl;&public;&leaked;&passwd;</Property>',
    '    <xi:include href="secret.txt" parse="text" />',
    '  </Package>',
    '</Wix>',
    '',
  ].join('\n');
  const external = `<?xml version="1.0"?>\n<!DOCTYPE Wix SYSTEM "secret.dtd">\n<Wix xmlns="${V4}">\n  <${PACKAGE}>\n    <Property Id="MSIDISABLELUAPATCHING" Value="&disable;" />\n    <Property Id="LEAK" Value="&leaked;" />\n  </Package>\n</Wix>\n`;
  fs.writeFileSync(path.join(folder, 'Entities.wxs'), entities);
  fs.writeFileSync(path.join(folder, 'External.wxs'), external);
  return { folder, entities, external, secretFiles };
}

/** What would show if something read them: the secret, and the first line of /etc/passwd where there is one. */
function leakedContent(): string[] {
  const passwd = fs.existsSync('/etc/passwd') ? fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0] : undefined;
  return passwd ? [SECRET, passwd] : [SECRET];
}

describe('external entities are never read', () => {
  it('no SYSTEM or PUBLIC entity, external DTD or XInclude is opened, looked at, or shown, and &disable; stays a literal', () => {
    const { folder, entities, secretFiles } = entityFolder();
    const file = path.join(folder, 'Entities.wxs');
    // Every reference, where an editor asks for a hover as the pointer passes over it.
    const references = [...entities.matchAll(/&\w+;/g)].map((match) => positionOf(entities, match[0], match.index));
    const { result, calls } = recordFsCalls(() => {
      const analysis = new Engine(new NodeFileSystem()).analyze({ roots: [folder] });
      return { analysis, hovers: references.map((position) => analysis.hover(file, position)) };
    });
    assert.ok(calls.some((call) => call.file === file), 'the spy saw the source being read');
    const forbidden = new Set([...secretFiles, path.resolve('/etc/passwd')]);
    assert.deepEqual(calls.filter((call) => forbidden.has(call.file)), [], 'a file named by an entity, the DTD or the XInclude was touched');

    const { findings, notices, lenses } = result.analysis;
    const everything = JSON.stringify({ findings, notices, lenses, hovers: result.hovers });
    for (const content of leakedContent()) assert.ok(!everything.includes(content), `the output shows ${content}`);

    // Expanded, &disable; would be 1 and the finding would say UAC patching is off.
    const disabled = findings.filter((finding) => finding.ruleId === 'lua-patching-disabled');
    assert.deepEqual(disabled.map((finding) => [path.basename(finding.file), finding.range.start.line]), [['Entities.wxs', 12], ['External.wxs', 4]]);
    for (const finding of disabled) {
      assert.match(finding.message, /to "&disable;"/);
      assert.doesNotMatch(finding.message, /to "1"/);
    }
  });
});

// ---- Entity expansion bombs -------------------------------------------------------------------

/** Billion laughs (general and parameter entities) and a quadratic blowup: ~10^12 characters and 1 GB if expanded. */
function laughs(): string {
  const definitions = ['<!ENTITY lol0 "lol">', '<!ENTITY % pe0 "lol">'];
  for (let level = 1; level <= 9; level++) {
    definitions.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`);
    definitions.push(`<!ENTITY % pe${level} "${`&#37;pe${level - 1};`.repeat(10)}">`);
  }
  definitions.push('%pe9;', `<!ENTITY big "${'x'.repeat(100_000)}">`);
  return [
    '<?xml version="1.0"?>',
    `<!DOCTYPE Wix [\n  ${definitions.join('\n  ')}\n]>`,
    `<Wix xmlns="${V4}">`,
    `  <${PACKAGE} Description="&lol9;">`,
    '    <Property Id="MSIDISABLELUAPATCHING" Value="&lol9;" />',
    `    <Property Id="LAUGHS">${'&lol9;'.repeat(1000)}</Property>`,
    `    <Property Id="BIG" Value="${'&big;'.repeat(10_000)}" />`,
    '  </Package>',
    '</Wix>',
    '',
  ].join('\n');
}

describe('entity definitions are never expanded', () => {
  it('billion laughs and a quadratic blowup: the references stay as written, in bounded time and memory', (t) => {
    const folder = folderWith({ 'Laughs.wxs': laughs() });
    const measured = measure('analyze', { roots: [folder] });
    assertWithin(t, measured, { ms: TIME_LIMIT_MS, bytes: 64 * MB }, 'billion laughs');
    const [disabled, ...others] = findingsOf(measured.value, path.join(folder, 'Laughs.wxs'), 'lua-patching-disabled');
    assert.deepEqual(others, []);
    assert.match(disabled.message, /to "&lol9;"/);
  });
});

// ---- 50 MB on one line ------------------------------------------------------------------------

const FIFTY_MB = 50 * MB;
const repeated = (unit: string): string => unit.repeat(Math.ceil(FIFTY_MB / unit.length));
const HEAD = `<Wix xmlns="${V4}"><${PACKAGE}>${DISABLES}`;
const TAIL = '</Package></Wix>';

/**
 * Single-line documents of at least 50 MB. `memory` bounds the peak growth as a multiple of the
 * file size: the file's bytes and its text are already 2x; the element-dense source keeps a tree.
 */
const ONE_LINE: Array<{ shape: string; text: () => string | Buffer; memory: number; limitMs?: number }> = [
  {
    shape: 'a harvested source: 230 000 components',
    text: () =>
      HEAD +
      Array.from({ length: 232_000 }, (_, i) => `<Component Id="c${i}" Guid="*" Directory="INSTALLFOLDER"><File Id="f${i}" Source="files\\file${i}.dll" KeyPath="yes"/><RegistryValue Root="HKLM" Key="Software\\Contoso\\k${i}" Name="n" Value="v" Type="string"/></Component>`).join('') +
      TAIL,
    memory: 12,
    // Every element is kept and linked: this is the size benchmark's file eight times over.
    limitMs: 30_000,
  },
  { shape: 'one attribute value', text: () => `${HEAD}<Property Id="HUGE" Value="${repeated('a')}" />${TAIL}`, memory: 4 },
  { shape: 'one text', text: () => `${HEAD}<Property Id="HUGE">${repeated('a')}</Property>${TAIL}`, memory: 4 },
  { shape: 'one comment full of suppression directives', text: () => `${HEAD}<!-- ${repeated('wix-uac-disable ')} -->${TAIL}`, memory: 12 },
  { shape: 'a suppression directive padded with spaces (a backtracking trap)', text: () => `${HEAD}<!-- wix-uac-disable a${repeated(' ')}b -->${TAIL}`, memory: 4 },
  { shape: 'an attribute value never closed', text: () => `${HEAD}<Property Id="HUGE" Value="${repeated('a')}`, memory: 4 },
  { shape: 'a processing instruction never finished', text: () => `${HEAD}<?define Huge = "${repeated('a')}`, memory: 4 },
  { shape: "'<' that starts no tag, 50 million times", text: () => `${HEAD}<Property Id="HUGE">${repeated('<')}</Property>${TAIL}`, memory: 6 },
  { shape: '12 million unquoted attributes in one tag', text: () => `${HEAD}<Property Id="HUGE" ${repeated('a=b ')}/>${TAIL}`, memory: 12 },
  { shape: '10 million attributes after a namespace declaration', text: () => `${HEAD}<Property xmlns:x="urn:x" Id="HUGE" ${repeated('a="" ')}/>${TAIL}`, memory: 6 },
  { shape: '12 million end tags that close nothing', text: () => `${HEAD}${repeated('</x>')}${TAIL}`, memory: 6 },
  { shape: '9 million entity and character references', text: () => `${HEAD}<Property Id="HUGE">${repeated('&amp;&#x41;')}</Property>${TAIL}`, memory: 12 },
  { shape: 'an internal DTD subset of 3 million declarations before the root', text: () => `<!DOCTYPE Wix [${repeated('<!ENTITY a "b">')}]>${HEAD}${TAIL}`, memory: 4 },
  {
    shape: 'text with invalid UTF-8 every 100 bytes',
    text: () => Buffer.concat([Buffer.from(`${HEAD}<Property Id="HUGE">`), Buffer.from(repeated(`${'a'.repeat(99)}\u0000`).replace(/\u0000/g, '\u00ff'), 'latin1'), Buffer.from(`</Property>${TAIL}`)]),
    memory: 6,
  },
];

describe('50 MB on one line', () => {
  for (const { shape, text, memory, limitMs = TIME_LIMIT_MS } of ONE_LINE) {
    it(`${shape}: found what it holds, in bounded time and memory`, (t) => {
      const content = text();
      const expected = { line: 0, character: content.indexOf(DISABLES) + DISABLES_VALUE };
      const folder = folderWith({ 'Huge.wxs': content });
      const size = content.length;
      const file = path.join(folder, 'Huge.wxs');
      // The hover explains the property's name.
      const measured = measure('analyze', { roots: [folder], hovers: [{ file, line: 0, character: content.indexOf(DISABLES) + DISABLES.indexOf('MSIDISABLE') }] });
      fs.rmSync(folder, { recursive: true, force: true });
      assertWithin(t, measured, { ms: limitMs, bytes: memory * size }, `${shape} (${(size / MB).toFixed(0)} MB)`);
      const disabled = findingsOf(measured.value, file, 'lua-patching-disabled');
      assert.deepEqual(disabled.map(({ line, character }) => ({ line, character })), [expected]);
      assert.ok(measured.value.hovers[0]?.includes('MSIDISABLELUAPATCHING'), 'no hover on the property');
    });
  }

  it('a file of 50 MB without markup: a notice that nothing in it is checked', (t) => {
    const folder = folderWith({ 'NotXml.wxs': repeated('x') });
    const measured = measure('analyze', { roots: [folder] });
    assertWithin(t, measured, { ms: TIME_LIMIT_MS, bytes: 4 * FIFTY_MB }, 'no markup');
    assert.deepEqual(
      noticesOf(measured.value, path.join(folder, 'NotXml.wxs')).map((notice) => notice.message),
      ['No XML element in this file, so nothing in it is checked. If it is a WiX source, check its encoding.'],
    );
  });
});

// ---- 100 000 levels of nesting ----------------------------------------------------------------

const DEPTH = 100_000;
const DEEPEST = '<Component Id="Deepest"><RegistryValue Root="HKLM" Key="Software\\Policies\\Microsoft\\Windows\\Installer" Name="DisableLUAPatching" Value="1" Type="integer" /></Component>';
const levels = (open: (level: number) => string): string => Array.from({ length: DEPTH }, (_, level) => open(level)).join('\n');

/**
 * The property after the deep subtree: finding it shows the scanner and the preprocessor came back
 * up. The Package itself lacks PatchCertificates (missing-patch-certificate on line 2).
 */
const deepSource = (subtree: string): string => `<Wix xmlns="${V4}">\n  <${PACKAGE}>\n    <StandardDirectory Id="ProgramFiles6432Folder">\n${subtree}\n    </StandardDirectory>\n    ${DISABLES}\n  </Package>\n</Wix>\n`;

/** The elements from <Wix> (level 1) down: the first one whose children are left out is at level MAX_ELEMENT_DEPTH + 1. */
const LEVEL_LEFT_OUT = MAX_ELEMENT_DEPTH + 1;

const DEEP: Array<{ shape: string; files: () => Record<string, string>; checked: string; deepestHover?: true; depthNoticeLine?: (text: string) => number; findsProperty: boolean }> = [
  {
    shape: 'closed properly',
    files: () => ({ 'Deep.wxs': deepSource(`${levels((level) => `<Directory Id="D${level}" Name="d">`)}${DEEPEST}${'</Directory>'.repeat(DEPTH)}`) }),
    checked: 'Deep.wxs',
    deepestHover: true,
    // <Wix>, <Package>, <StandardDirectory>, then the Directory elements one per line from line 3.
    depthNoticeLine: () => 3 + (LEVEL_LEFT_OUT - 4),
    findsProperty: true,
  },
  {
    shape: 'never closed',
    files: () => ({ 'Deep.wxs': `<Wix xmlns="${V4}">\n  <${PACKAGE}>\n    ${DISABLES}\n${levels((level) => `<Directory Id="D${level}">`)}\n` }),
    checked: 'Deep.wxs',
    depthNoticeLine: () => 3 + (LEVEL_LEFT_OUT - 3),
    findsProperty: true,
  },
  {
    shape: 'followed by 100 000 end tags of another name',
    files: () => ({ 'Deep.wxs': deepSource(`${levels((level) => `<Directory Id="D${level}">`)}${'</Feature>'.repeat(DEPTH)}`) }),
    checked: 'Deep.wxs',
    findsProperty: true,
  },
  {
    shape: 'each level declaring its own namespace prefix',
    files: () => ({ 'Deep.wxs': deepSource(`${levels((level) => `<d${level}:Directory xmlns:d${level}="${V4}" Id="D${level}">`)}${DEEPEST}${Array.from({ length: DEPTH }, (_, level) => `</d${DEPTH - 1 - level}:Directory>`).join('')}`) }),
    checked: 'Deep.wxs',
    deepestHover: true,
    findsProperty: true,
  },
  {
    shape: 'inside an include',
    files: () => ({
      'Product.wxs': `<Wix xmlns="${V4}">\n  <${PACKAGE}>\n    <?include Deep.wxi ?>\n  </Package>\n</Wix>\n`,
      'Deep.wxi': `<Include xmlns="${V4}">\n  <StandardDirectory Id="ProgramFiles6432Folder">\n${levels((level) => `<Directory Id="D${level}">`)}${DEEPEST}${'</Directory>'.repeat(DEPTH)}\n  </StandardDirectory>\n  ${DISABLES}\n</Include>\n`,
    }),
    checked: 'Deep.wxi',
    findsProperty: true,
  },
  {
    shape: 'in a project file',
    files: () => ({
      'Deep.wixproj': `<Project Sdk="WixToolset.Sdk/5.0.2">\n${levels(() => '<PropertyGroup>')}${'</PropertyGroup>'.repeat(DEPTH)}\n</Project>\n`,
      'Product.wxs': `<Wix xmlns="${V4}">\n  <${PACKAGE}>\n    ${DISABLES}\n  </Package>\n</Wix>\n`,
    }),
    checked: 'Product.wxs',
    findsProperty: true,
  },
  {
    shape: 'in a publishing manifest',
    files: () => ({
      'Deep.sdp': `<sdp:SoftwareDistributionPackage xmlns:sdp="${SDP_NAMESPACE}">\n${levels(() => '<sdp:InstallableItem>')}${'</sdp:InstallableItem>'.repeat(DEPTH)}\n</sdp:SoftwareDistributionPackage>\n`,
      'Product.wxs': `<Wix xmlns="${V4}">\n  <${PACKAGE}>\n    ${DISABLES}\n  </Package>\n</Wix>\n`,
    }),
    checked: 'Product.wxs',
    findsProperty: true,
  },
];

describe('100 000 levels of nesting', () => {
  for (const { shape, files, checked, deepestHover, depthNoticeLine, findsProperty } of DEEP) {
    it(`${shape}: no stack overflow, what lies above found, in bounded time and memory`, (t) => {
      const contents = files();
      const folder = folderWith(contents);
      const text = contents[checked];
      const file = path.join(folder, checked);
      const hovers = deepestHover ? [{ file, ...positionOf(text, 'DisableLUAPatching') }] : [];
      const size = Object.values(contents).reduce((sum, content) => sum + content.length, 0);
      const measured = measure('analyze', { roots: [folder], hovers });
      assertWithin(t, measured, { ms: TIME_LIMIT_MS, bytes: 64 * MB + 30 * size }, `${shape} (${(size / MB).toFixed(1)} MB)`);
      const shown = measured.value;
      if (findsProperty) {
        const property = positionOf(text, DISABLES);
        assert.deepEqual(findingsOf(shown, file, 'lua-patching-disabled').map(({ line, character }) => ({ line, character })), [{ line: property.line, character: property.character + DISABLES_VALUE }]);
      }
      if (depthNoticeLine) {
        const notice = noticesOf(shown, file).find((candidate) => candidate.message.includes(`nested more than ${MAX_ELEMENT_DEPTH} levels`));
        assert.equal(notice?.line, depthNoticeLine(text), `no depth notice on the element where the tree stops: ${JSON.stringify(noticesOf(shown, file))}`);
      }
      // The hover reads the XML itself, which keeps every level: the deepest policy value still explains itself.
      if (deepestHover) assert.match(shown.hovers[0] ?? '', /DisableLUAPatching/);
    });
  }
});

// ---- Invalid UTF-8 and UTF-16 -----------------------------------------------------------------

const SOURCE = `<Wix xmlns="${V4}">\n  <Package Name="Caf\u00e9 Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\n    ${DISABLES}\n  </Package>\n</Wix>\n`;
const utf16le = (text: string): Buffer => Buffer.from(text, 'utf16le');
const utf16be = (text: string): Buffer => utf16le(text).swap16();
const BOM = { utf8: Buffer.from([0xef, 0xbb, 0xbf]), utf16le: Buffer.from([0xff, 0xfe]), utf16be: Buffer.from([0xfe, 0xff]) };
/** `bytes` with `inserted` put before the first occurrence of `before` (itself encoded as the file is). */
function inserted(bytes: Buffer, before: Buffer, insertion: number[]): Buffer {
  const at = bytes.indexOf(before);
  assert.ok(at >= 0);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(insertion), bytes.subarray(at)]);
}

const NOT_VALID = (encoding: string) => `The file is not valid ${encoding}; undecodable bytes were replaced.`;
const WRONG_MARK = (mark: string, readAs: string) => `The file starts with a ${mark} byte order mark, but the text after it is not ${mark}; it was read as ${readAs}.`;

/** Each file, and the notice it must get; every one of them still has its finding on line 3. */
const ENCODINGS: Record<string, { bytes: Buffer; notice: string }> = {
  'invalid-utf8.wxs': { bytes: inserted(Buffer.from(SOURCE), Buffer.from('Version'), [0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0x20]), notice: NOT_VALID('UTF-8') },
  'utf8-cut-at-end.wxs': { bytes: Buffer.concat([Buffer.from(SOURCE), Buffer.from([0xe2, 0x82])]), notice: NOT_VALID('UTF-8') },
  'lone-high-surrogate.wxs': { bytes: Buffer.concat([BOM.utf16le, inserted(utf16le(SOURCE), utf16le('Version'), [0x00, 0xd8, 0x20, 0x00])]), notice: NOT_VALID('UTF-16LE') },
  'lone-low-surrogate.wxs': { bytes: Buffer.concat([BOM.utf16le, inserted(utf16le(SOURCE), utf16le('Version'), [0x00, 0xdc, 0x20, 0x00])]), notice: NOT_VALID('UTF-16LE') },
  'odd-byte-count.wxs': { bytes: Buffer.concat([BOM.utf16le, utf16le(SOURCE), Buffer.from([0x41])]), notice: NOT_VALID('UTF-16LE') },
  'odd-byte-count-without-bom.wxs': { bytes: Buffer.concat([utf16le(SOURCE), Buffer.from([0x41])]), notice: NOT_VALID('UTF-16LE') },
  'utf16be-lone-surrogate.wxs': { bytes: Buffer.concat([BOM.utf16be, inserted(utf16be(SOURCE), utf16be('Version'), [0xd8, 0x00, 0x00, 0x20])]), notice: NOT_VALID('UTF-16BE') },
  'utf16le-mark-on-utf8.wxs': { bytes: Buffer.concat([BOM.utf16le, Buffer.from(SOURCE)]), notice: WRONG_MARK('UTF-16LE', 'UTF-8') },
  'utf16be-mark-on-utf8.wxs': { bytes: Buffer.concat([BOM.utf16be, Buffer.from(SOURCE)]), notice: WRONG_MARK('UTF-16BE', 'UTF-8') },
  'utf8-mark-on-utf16le.wxs': { bytes: Buffer.concat([BOM.utf8, utf16le(SOURCE)]), notice: WRONG_MARK('UTF-8', 'UTF-16LE') },
  'utf16be-mark-on-utf16le.wxs': { bytes: Buffer.concat([BOM.utf16be, utf16le(SOURCE)]), notice: WRONG_MARK('UTF-16BE', 'UTF-16LE') },
};

describe('invalid UTF-8 and UTF-16', () => {
  it('each file gets a notice that says what is wrong with its bytes, and is still checked', (t) => {
    const folder = folderWith(Object.fromEntries(Object.entries(ENCODINGS).map(([name, { bytes }]) => [name, bytes])));
    const measured = measure('analyze', { roots: [folder] });
    assertWithin(t, measured, { ms: TIME_LIMIT_MS, bytes: 64 * MB }, `${Object.keys(ENCODINGS).length} files`);
    for (const [name, { notice }] of Object.entries(ENCODINGS)) {
      const file = path.join(folder, name);
      assert.deepEqual(noticesOf(measured.value, file).map((candidate) => candidate.message), [notice], name);
      assert.deepEqual(findingsOf(measured.value, file, 'lua-patching-disabled').map((finding) => finding.line), [2], name);
    }
  });

  it('UTF-32 and binary content named .wxs: a notice that nothing in it is checked', () => {
    // Every byte value but '<', so no tag can appear by chance.
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256).filter((byte) => byte !== 0x3c));
    const folder = folderWith({ 'utf32.wxs': Buffer.from(SOURCE.replace(/[^]/g, (c) => `${c}\u0000\u0000\u0000`), 'latin1'), 'binary.wxs': binary });
    const shown = measure('analyze', { roots: [folder] }).value;
    const nothingChecked = 'No XML element in this file, so nothing in it is checked. If it is a WiX source, check its encoding.';
    // UTF-32's 'é' (E9 00 00 00) is not UTF-8 either.
    for (const name of ['utf32.wxs', 'binary.wxs']) assert.deepEqual(noticesOf(shown, path.join(folder, name)).map((notice) => notice.message), [NOT_VALID('UTF-8'), nothingChecked], name);
  });
});

// ---- Through the language server --------------------------------------------------------------

describe('the language server on a folder of hostile XML', { timeout: 120_000 }, () => {
  let editor: Editor | undefined;
  after(() => editor?.kill());

  it('publishes each file its findings, answers hovers and code lenses, shows no entity content, and shuts down cleanly', async () => {
    const { folder, entities } = entityFolder();
    const deep = deepSource(`${levels((level) => `<Directory Id="D${level}" Name="d">`)}${DEEPEST}${'</Directory>'.repeat(DEPTH)}`);
    const huge = `${HEAD}<Property Id="HUGE" Value="${repeated('a')}" />${TAIL}`;
    const good = `<Wix xmlns="${V4}">\n  <${PACKAGE}>\n    ${DISABLES}\n  </Package>\n</Wix>\n`;
    const written: Record<string, string | Buffer> = { 'Deep.wxs': deep, 'Laughs.wxs': laughs(), 'Huge.wxs': huge, 'Good.wxs': good, 'WrongMark.wxs': ENCODINGS['utf16le-mark-on-utf8.wxs'].bytes };
    for (const [name, content] of Object.entries(written)) fs.writeFileSync(path.join(folder, name), content);
    const uri = (name: string) => uriOf(path.join(folder, name));

    editor = Editor.start();
    await editor.initialize({ folder, capabilities: { textDocument: { hover: { contentFormat: ['markdown'] } }, window: { workDoneProgress: true } } });
    const codes = (diagnostics: Diagnostic[]) => diagnostics.map((diagnostic) => diagnostic.code);
    const hasDisabled = (diagnostics: Diagnostic[]) => codes(diagnostics).includes('lua-patching-disabled');
    const published = new Map<string, Diagnostic[]>();
    for (const name of ['Good.wxs', 'Deep.wxs', 'Laughs.wxs', 'Huge.wxs', 'WrongMark.wxs', 'Entities.wxs', 'External.wxs']) {
      published.set(name, await editor.latestDiagnostics(uri(name), 'lua-patching-disabled', hasDisabled));
    }
    assert.ok(published.get('Deep.wxs')!.some((diagnostic) => String(diagnostic.message).includes(`nested more than ${MAX_ELEMENT_DEPTH} levels`)));
    assert.ok(published.get('WrongMark.wxs')!.some((diagnostic) => String(diagnostic.message).includes('byte order mark')));
    const hugeFinding = published.get('Huge.wxs')!.find((diagnostic) => diagnostic.code === 'lua-patching-disabled')!;
    assert.deepEqual(hugeFinding.range.start, { line: 0, character: huge.indexOf(DISABLES) + DISABLES_VALUE });

    // Hovers: on the deepest policy value, and on every entity reference.
    const deepestHover = await editor.request<Hover | null>(HoverRequest.type, { textDocument: { uri: uri('Deep.wxs') }, position: positionOf(deep, 'DisableLUAPatching') });
    assert.match(JSON.stringify(deepestHover?.contents ?? null), /DisableLUAPatching/);
    const entityHovers: (Hover | null)[] = [];
    for (const match of entities.matchAll(/&\w+;/g)) {
      entityHovers.push(await editor.request<Hover | null>(HoverRequest.type, { textDocument: { uri: uri('Entities.wxs') }, position: positionOf(entities, match[0], match.index) }));
    }
    const lenses = await editor.request<CodeLens[]>(CodeLensRequest.type, { textDocument: { uri: uri('Deep.wxs') } });
    assert.ok(lenses.length > 0, 'no status line above the deep package');

    // Typing in the open deep document: renaming the property after the subtree removes its finding.
    editor.open(uri('Deep.wxs'), deep);
    const property = positionOf(deep, 'MSIDISABLELUAPATCHING');
    editor.change(uri('Deep.wxs'), 2, [{ range: { start: property, end: property }, text: 'X' }]);
    await editor.nextDiagnostics(uri('Deep.wxs'), 'no lua-patching-disabled after the edit', (diagnostics) => !hasDisabled(diagnostics));

    const everything = JSON.stringify({ diagnostics: [...editor.diagnostics.entries()], entityHovers, lenses, log: editor.log });
    for (const content of leakedContent()) assert.ok(!everything.includes(content), `the editor was shown ${content}`);
    assert.equal(await editor.stop(), 0);
  });
});
