// Target `wix`: WiX sources and their includes through the decoder, the XML scanner and the
// preprocessor, as the engine reads them (SourceCache, then preprocess).

import * as fc from 'fast-check';
import * as path from 'node:path';
import { MemoryFileSystem } from '../../server/src/engine/fs';
import { decodeXmlBytes } from '../../server/src/engine/text';
import { preprocess, type WixElement } from '../../server/src/engine/wix/preprocessor';
import { SourceCache, type SourceFile } from '../../server/src/engine/wix/source';
import type { XmlDocument, XmlElement, XmlNode } from '../../server/src/engine/xml/parser';
import { seedFiles } from './corpus';
import { applyTextEdits, corpusPick, textEdits, type TextEdit } from './mutate';
import { assertNoLeakedBug, assertSpan, invariant, type FuzzTarget, type InputFiles } from './target';
import { AWKWARD_STRINGS, encodeText, encoding, prolog, renderNodes, renderOptions, xmlNodes, type EncodedText, type Vocabulary, type XmlNodeSpec } from './xml-gen';

export const WIX_V3 = 'http://schemas.microsoft.com/wix/2006/wi';
export const WIX_V4 = 'http://wixtoolset.org/schemas/v4/wxs';

/** Elements the model, the linker and the rules read, and a few they do not. */
const ELEMENTS = [
  'Product', 'Package', 'Module', 'Bundle', 'Patch', 'Fragment', 'Property', 'SetProperty', 'CustomAction', 'Registry', 'RegistryKey',
  'RegistryValue', 'Component', 'ComponentRef', 'ComponentGroup', 'ComponentGroupRef', 'Directory', 'DirectoryRef', 'StandardDirectory',
  'Feature', 'FeatureRef', 'PropertyRef', 'CustomActionRef', 'PatchCertificates', 'PackageCertificates', 'DigitalCertificate',
  'DigitalCertificateRef', 'PatchFamily', 'PatchFamilyRef', 'PatchBaseline', 'PatchInformation', 'TargetProductCode', 'TargetProductCodes',
  'Media', 'MediaTemplate', 'Chain', 'MspPackage', 'MspPackagePayload', 'MsiPackage', 'MsiProperty', 'Upgrade', 'MajorUpgrade', 'File',
  'Binary', 'Icon', 'Include', 'Wix', 'Condition', 'Launch', 'SummaryInformation', 'Validate', 'ServiceInstall', 'util:RegistrySearch',
];

const ATTRIBUTES = [
  'Id', 'Name', 'Value', 'Version', 'Manufacturer', 'UpgradeCode', 'ProductCode', 'Language', 'InstallerVersion', 'InstallScope', 'Scope',
  'InstallPrivileges', 'Compressed', 'Secure', 'Root', 'Key', 'Type', 'Action', 'Guid', 'Directory', 'SourceFile', 'Source', 'Property',
  'Execute', 'After', 'Before', 'Sequence', 'Supersede', 'Classification', 'AllowRemoval', 'BaselineFile', 'UpdateFile', 'DisplayName',
  'Platform', 'Codepage', 'KeyPath', 'Description', 'Condition', 'ProductVersion', 'Message', 'xmlns', 'xmlns:util', 'Level',
];

/** Values that decide verdicts (scope, versions, the LUA policy key) or break readers. */
const VALUES = [
  ...AWKWARD_STRINGS, 'perUser', 'perMachine', 'limited', 'elevated', 'HKLM', 'HKCU', 'HKMU', 'HKCR', 'HKU',
  'Software\\Policies\\Microsoft\\Windows\\Installer', 'DisableLUAPatching', 'MSIDISABLELUAPATCHING', 'ALLUSERS', 'MSIINSTALLPERUSER',
  'MSIFASTINSTALL', '1', '2', '200', '300', '301', '405', '500', '9999999999', '3.1', 'yes', 'no', 'integer', 'string', 'write',
  '{12345678-1234-1234-1234-123456789ABC}', '12345678-1234-1234-1234-123456789abc', '*', 'PUT-GUID-HERE', '{00000000-0000-0000-0000-000000000000}',
  'certificates\\contoso-patch-signing.cer', 'certificates/contoso-patch-signing.cer', '$(var.CertDir)\\signing.cer',
  'bin\\Release\\ContosoTools.msi', '$(var.Product.TargetPath)', 'Hotfix.msp', 'x64', 'x86', 'arm64', 'Update', 'Hotfix', 'Security Updates',
  '$(var.A)', '$(var.B)', '$(var.Version)', '$(Version)', '$(var.Inc)',
];

const VARIABLES = ['A', 'B', 'Version', 'Inc', 'CertDir', 'Undefined', 'var.A', 'sys.PLATFORM', 'env.PATH', 'Debug'];

const expression: fc.Arbitrary<string> = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { maxDepth: 4 },
    fc.tuple(fc.constantFrom('$(var.A)', '$(var.Version)', 'A', '"1"', "'x'", '$(sys.PLATFORM)', '$(env.PATH)', '$(var.Undefined)', '5', '$(var.A'),
      fc.constantFrom('=', '!=', '~=', '<', '>', '<=', '>=', '=='), fc.constantFrom('"1"', '1', '"x64"', "''", '$(var.B)', '10', '')).map((parts) => parts.join(' ')),
    fc.constantFrom(...VARIABLES),
    fc.tuple(tie('expression'), fc.constantFrom(' and ', ' or ', ' AND ', ' Or '), tie('expression')).map((parts) => parts.join('')),
    tie('expression').map((inner) => `not ${inner}`),
    tie('expression').map((inner) => `(${inner})`),
    fc.constantFrom('(', ')', '((', 'not', 'and', '"unterminated', '$(', '', '1 = 1 = 1'),
  ),
})).expression;

const variableValue = fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 12 }));

export const preprocessorInstruction: fc.Arbitrary<{ target: string; data: string }> = fc.oneof(
  fc.record({ target: fc.constant('define'), data: fc.tuple(fc.constantFrom(...VARIABLES, 'bad name', '1x'), fc.constantFrom(' = ', '=', ' '), variableValue, fc.boolean()).map(([name, eq, value, quoted]) => `${name}${eq}${quoted ? `"${value}"` : value}`) }),
  fc.record({ target: fc.constantFrom('if', 'elseif'), data: expression }),
  fc.record({ target: fc.constantFrom('ifdef', 'ifndef', 'undef'), data: fc.constantFrom(...VARIABLES, '') }),
  fc.record({ target: fc.constantFrom('else', 'endif', 'endforeach'), data: fc.constantFrom('', 'junk') }),
  fc.record({ target: fc.constant('foreach'), data: fc.constantFrom('X in a;b;c', 'X in $(var.A)', 'in', '', 'X') }),
  fc.record({ target: fc.constant('include'), data: fc.constantFrom('a.wxi', 'b.wxi', 'inc/c.wxi', 'c.wxi', 'main.wxs', '"a.wxi"', '$(var.Inc)', '$(sys.SOURCEFILEDIR)a.wxi', 'missing.wxi', '/etc/passwd', '../../../etc/passwd', '', 'a.wxi junk') }),
  fc.record({ target: fc.constantFrom('error', 'warning', 'pragma', 'xml', 'xml-stylesheet', 'Define', 'unknown', ''), data: fc.string({ maxLength: 10 }) }),
);

export const wixVocabulary: Vocabulary = {
  elements: fc.constantFrom(...ELEMENTS),
  attribute: fc.tuple(fc.constantFrom(...ATTRIBUTES), variableValue),
  instruction: preprocessorInstruction,
  text: fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 20 })),
  comment: fc.constantFrom(' wix-uac-disable-next-line lua-patching-disabled ', ' wix-uac-disable ', ' wix-uac-enable ', ' wix-uac-disable-line * ', ' wix-uac-disable-next-line ', ' plain ', ''),
};

/** A whole source: prolog, a `<Wix>` (or `<Include>`) root in some namespace, generated content. */
export function wixDocument(rootName: 'Wix' | 'Include'): fc.Arbitrary<string> {
  return fc
    .record({
      prolog,
      namespace: fc.constantFrom(WIX_V4, WIX_V3, '', 'urn:wrong'),
      prefixed: fc.boolean().map((yes) => yes && rootName === 'Wix'),
      nodes: xmlNodes(wixVocabulary),
      render: renderOptions,
    })
    .map(({ prolog: head, namespace, prefixed, nodes, render }) => {
      const prefix = prefixed ? 'wix:' : '';
      const declaration = namespace === '' ? '' : prefixed ? ` xmlns:wix="${namespace}"` : ` xmlns="${namespace}"`;
      const body = renderNodes(nodes, { ...render, prefix }, 1);
      return `${head}<${prefix}${rootName}${declaration}>${render.newline}${body}</${prefix}${rootName}>${render.newline}`;
    });
}

// ---- Inputs ----------------------------------------------------------------------------------

/** A main source and its include files, by path relative to the source's folder. */
export interface WixInput {
  files: Array<{ name: string; bytes: Uint8Array }>;
}

const INCLUDE_NAMES = ['a.wxi', 'b.wxi', 'inc/c.wxi'];

const generated: fc.Arbitrary<WixInput> = fc
  .record({
    main: wixDocument('Wix'),
    includes: fc.array(wixDocument('Include'), { maxLength: 3 }),
    mainEncoding: encoding,
    edits: fc.oneof({ weight: 2, arbitrary: fc.constant([] as TextEdit[]) }, { weight: 1, arbitrary: textEdits(3) }),
  })
  .map(({ main, includes, mainEncoding, edits }) => ({
    files: [
      { name: 'main.wxs', bytes: encodeText(applyTextEdits(main, edits), mainEncoding) },
      ...includes.map((text, index) => ({ name: INCLUDE_NAMES[index], bytes: Buffer.from(text, 'utf8') as Uint8Array })),
    ],
  }));

function mutated(corpus: WixInput[]): fc.Arbitrary<WixInput> {
  return fc
    .record({ base: corpusPick(corpus), edits: textEdits(5), how: encoding, target: fc.nat() })
    .map(({ base, edits, how, target }) => {
      // Mutate one of the files (usually the main source); the others come along unchanged.
      const index = target % 4 === 0 && base.files.length > 1 ? 1 + (target % (base.files.length - 1)) : 0;
      const files = base.files.map((file, i) => {
        if (i !== index) return file;
        const decoded = decodeXmlBytes(file.bytes).text;
        return { name: file.name, bytes: encodeText(applyTextEdits(decoded, edits), i === 0 ? how : { encoding: 'utf-8', label: '', edits: [] }) };
      });
      return { files };
    });
}

/** Every .wxs of the fixtures and examples, with the .wxi files beside it. */
function wixSeeds(): WixInput[] {
  const all = seedFiles();
  const seeds: WixInput[] = [];
  for (const source of all.filter((file) => /\.wxs$/i.test(file.path))) {
    const folder = path.posix.dirname(source.path);
    const includes = all.filter((file) => /\.wxi$/i.test(file.path) && path.posix.dirname(file.path) === folder);
    seeds.push({ files: [{ name: 'main.wxs', bytes: source.bytes }, ...includes.map((file) => ({ name: path.posix.basename(file.path), bytes: file.bytes }))] });
  }
  return seeds;
}

// ---- Checks ----------------------------------------------------------------------------------

const FOLDER = path.resolve('/fuzz/src');

/** Offsets of every node inside the document, children inside their parent and in order. */
export function checkXmlDocument(document: XmlDocument, length: number, file: string): void {
  for (const error of document.errors) {
    assertSpan(error.span, length, `${file}: XML error span`);
    assertNoLeakedBug(error.message, `${file}: XML error`);
  }
  const stack: Array<{ node: XmlNode; parent?: XmlElement }> = document.children.map((node) => ({ node }));
  while (stack.length > 0) {
    const { node, parent } = stack.pop()!;
    assertSpan(node.span, length, `${file}: ${node.kind}`);
    if (parent) {
      invariant(node.span.start >= parent.span.start && node.span.end <= parent.span.end,
        `${file}: a child of <${parent.name}> (${node.span.start}–${node.span.end}) lies outside it (${parent.span.start}–${parent.span.end})`);
    }
    if (node.kind === 'pi') {
      assertSpan(node.dataSpan, length, `${file}: <?${node.target}?> data`);
      assertSpan(node.targetSpan, length, `${file}: <?${node.target}?> target`);
    }
    if (node.kind !== 'element') continue;
    assertSpan(node.nameSpan, length, `${file}: <${node.name}> name`);
    assertSpan(node.startTagSpan, length, `${file}: <${node.name}> start tag`);
    invariant(node.startTagSpan.start === node.span.start && node.startTagSpan.end <= node.span.end, `${file}: <${node.name}> start tag lies outside the element`);
    if (node.endTagSpan) assertSpan(node.endTagSpan, length, `${file}: </${node.name}>`);
    // Lookups by name for the first attributes only: a lookup is linear in the attribute count,
    // and checking all of thousands would make this check, not the parser, quadratic.
    for (const [index, attribute] of node.attributes.entries()) {
      assertSpan(attribute.span, length, `${file}: attribute ${attribute.name}`);
      assertSpan(attribute.nameSpan, length, `${file}: attribute ${attribute.name} name`);
      if (attribute.valueSpan) assertSpan(attribute.valueSpan, length, `${file}: attribute ${attribute.name} value`);
      invariant(attribute.span.start >= node.startTagSpan.start && attribute.span.end <= node.startTagSpan.end,
        `${file}: attribute ${attribute.name} lies outside the start tag of <${node.name}>`);
      if (index < 20) invariant(node.getAttribute(attribute.name) !== undefined, `${file}: <${node.name}> lists ${attribute.name} but getAttribute misses it`);
    }
    let previous = -1;
    for (const child of node.children) {
      invariant(child.span.start >= previous, `${file}: children of <${node.name}> are out of order`);
      previous = child.span.start;
      stack.push({ node: child, parent: node });
    }
  }
}

/** Reads every attribute and text through substitution, walks the tree, checks notice spans. */
export function checkPreprocessed(root: WixElement | undefined, sourceOf: (element: WixElement) => SourceFile): void {
  if (!root) return;
  for (const element of [root, ...root.descendants()]) {
    const source = sourceOf(element);
    assertSpan(element.nameSpan, source.text.length, `${source.path}: <${element.name}>`);
    // Rules ask for a few attributes by name; asking for all of thousands would be quadratic here.
    for (const attribute of element.xml.attributes.slice(0, 20)) {
      const resolved = element.resolved(attribute.name);
      invariant(resolved !== undefined, `${source.path}: <${element.name}> has ${attribute.name} but resolved() gives nothing`);
    }
    void element.text;
  }
}

function checkSource(source: SourceFile): void {
  checkXmlDocument(source.xml, source.text.length, source.path);
  if (source.decodeWarning) assertNoLeakedBug(source.decodeWarning, `${source.path}: decoding`);
  // Positions at both ends and in between must map back to offsets inside the text.
  const lines = source.lines;
  for (const offset of [0, source.text.length >> 1, source.text.length]) {
    const position = lines.positionAt(offset);
    invariant(lines.offsetAt(position) <= source.text.length, `${source.path}: offsetAt(positionAt(${offset})) is past the end`);
  }
}

export function checkWix(input: WixInput): void {
  const fs = new MemoryFileSystem();
  for (const file of input.files) fs.write(path.join(FOLDER, file.name), file.bytes);
  const sources = new SourceCache(fs);
  const main = sources.get(path.join(FOLDER, input.files[0].name));
  invariant(main !== undefined, 'the main source could not be read from memory');
  checkSource(main);
  const result = preprocess(main, {
    fs,
    sources,
    defines: new Map([['A', '1'], ['Version', '1.2.3'], ['Inc', 'a.wxi']]),
    includeSearchPaths: [path.join(FOLDER, 'inc')],
    currentDirectory: FOLDER,
    platform: 'x64',
  });
  for (const include of new Set(result.includes)) {
    const included = sources.get(include);
    if (included) checkSource(included);
  }
  checkPreprocessed(result.root, (element) => element.source);
  for (const notice of result.notices) {
    assertSpan(notice.span, notice.source.text.length, `${notice.source.path}: preprocessor notice`);
    assertNoLeakedBug(notice.message, `${notice.source.path}: preprocessor notice`);
    notice.source.range(notice.span);
  }
}

export const wixTarget: FuzzTarget<WixInput> = {
  name: 'wix',
  summary: 'WiX sources and includes: decoding, XML scanner, preprocessor',
  seeds: wixSeeds,
  arbitrary: (corpus) => fc.oneof({ weight: 1, arbitrary: generated }, { weight: 1, arbitrary: mutated(corpus.entries) }),
  check: checkWix,
  toFiles: (input) => new Map(input.files.map((file) => [file.name, file.bytes])),
  fromFiles: (files: InputFiles) => {
    // main.wxs first, its includes after it.
    const names = [...files.keys()].sort((a, b) => Number(b === 'main.wxs') - Number(a === 'main.wxs') || (a < b ? -1 : 1));
    return { files: names.map((name) => ({ name, bytes: files.get(name)! })) };
  },
};

export type { XmlNodeSpec, EncodedText };
