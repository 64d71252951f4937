// Generates a synthetic WiX v4 source shaped like a harvested product (heat output around a
// hand-written Package), for benchmarks. Deterministic: the same arguments give the same bytes.
//
// Usage:
//   node scripts/generate-wix.mjs --components 20000 --out big.wxs   (~6 MB)
//   node scripts/generate-wix.mjs --size-mb 1 --out small.wxs        (component count chosen to reach the size)
//
// The file uses CRLF line endings like sources authored on Windows, and carries the constructs a
// WiX parser meets in practice: the XML declaration, preprocessor instructions (including a `>`
// inside `<?if ?>`), comments, non-ASCII text (one character outside the BMP, so offsets counted
// in code points instead of UTF-16 units show up), nested directories, registry values.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const COMPONENTS_PER_GROUP = 100;
const MODULES_PER_DIRECTORY = 25;

/**
 * The property the editing benchmark toggles between "0" and "1", one character at a time: 1 turns
 * UAC patching off, so every edit adds or removes a finding and the server has something to publish.
 */
export const TOGGLED_PROPERTY = 'MSIDISABLELUAPATCHING';

/** A GUID derived from a name, so every run writes the same ones. */
function guid(name) {
  const hex = createHash('sha1').update(`wix-uac-benchmark:${name}`).digest('hex').toUpperCase();
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}}`;
}

const pad = (n, width) => String(n).padStart(width, '0');
const FILE_KINDS = ['dll', 'exe', 'config', 'json', 'resources.dll', 'pdb', 'xml'];

/**
 * Returns the source text and the number of elements, attributes, comments and processing
 * instructions it contains (counted while writing, so parsers can be checked against them).
 */
export function generateWix({ components }) {
  const lines = [];
  const counts = { elements: 0, attributes: 0, comments: 0, processingInstructions: 0 };
  let depth = 0;
  const indent = () => '  '.repeat(depth);
  const attributes = (attrs) =>
    Object.entries(attrs)
      .map(([name, value]) => ` ${name}="${value}"`)
      .join('');
  const empty = (name, attrs) => {
    counts.elements++;
    counts.attributes += Object.keys(attrs).length;
    lines.push(`${indent()}<${name}${attributes(attrs)} />`);
  };
  const open = (name, attrs = {}) => {
    counts.elements++;
    counts.attributes += Object.keys(attrs).length;
    lines.push(`${indent()}<${name}${attributes(attrs)}>`);
    depth++;
  };
  const close = (name) => {
    depth--;
    lines.push(`${indent()}</${name}>`);
  };
  const comment = (text) => {
    counts.comments++;
    lines.push(`${indent()}<!-- ${text} -->`);
  };
  const instruction = (target, data) => {
    counts.processingInstructions++;
    lines.push(`${indent()}<?${target}${data ? ` ${data}` : ''} ?>`);
  };

  const groups = Math.ceil(components / COMPONENTS_PER_GROUP);
  const moduleName = (group) => `Module${pad(group + 1, 4)}`;
  const directoryId = (group) => `dir${pad(group + 1, 4)}`;
  const groupId = (group) => `cg${moduleName(group)}`;

  lines.push('<?xml version="1.0" encoding="utf-8"?>');
  counts.comments++;
  lines.push('<!-- Synthetic harvested source for wix-uac benchmarks: Contoso Suite, Fabrikam Å/Ω édition 𝄞 -->');
  open('Wix', { xmlns: 'http://wixtoolset.org/schemas/v4/wxs' });
  instruction('define', 'ProductVersion = "4.2.0.0"');
  instruction('define', 'SourceDir = "..\\..\\build\\Release"');
  instruction('define', 'MajorVersion = "4"');

  open('Package', {
    Name: 'Contoso Suite',
    Manufacturer: 'Contoso Ltd.',
    Version: '$(var.ProductVersion)',
    UpgradeCode: guid('upgrade-code'),
    Scope: 'perMachine',
    InstallerVersion: '500',
    Language: '1033',
  });
  empty('SummaryInformation', { Description: 'Contoso Suite — Werkzeuge für Ärzte', Manufacturer: 'Contoso Ltd.' });
  empty('MajorUpgrade', { DowngradeErrorMessage: 'A newer version of [ProductName] is already installed.' });
  empty('MediaTemplate', { EmbedCab: 'yes', CompressionLevel: 'high' });
  comment('Properties');
  empty('Property', { Id: 'ARPNOMODIFY', Value: '1' });
  empty('Property', { Id: 'ARPURLINFOABOUT', Value: 'https://contoso.example/suite?lang=en&amp;ref=arp' });
  empty('Property', { Id: TOGGLED_PROPERTY, Value: '0' });
  empty('Property', { Id: 'DISABLEADVTSHORTCUTS', Value: '1' });
  instruction('if', '$(var.MajorVersion) > 3');
  empty('Property', { Id: 'REBOOT', Value: 'ReallySuppress' });
  instruction('endif', '');
  comment('Certificates that may sign patches applied without elevation');
  open('PatchCertificates');
  empty('DigitalCertificate', { Id: 'ContosoPatchSigning', SourceFile: 'certs\\contoso-patch-signing.cer' });
  close('PatchCertificates');
  open('Feature', { Id: 'ProductFeature', Title: 'Contoso Suite', Level: '1', ConfigurableDirectory: 'INSTALLFOLDER' });
  for (let group = 0; group < groups; group++) empty('ComponentGroupRef', { Id: groupId(group) });
  close('Feature');
  close('Package');

  // Directory tree: INSTALLFOLDER / Area_NN / Module_NNNN
  open('Fragment');
  open('StandardDirectory', { Id: 'ProgramFiles6432Folder' });
  open('Directory', { Id: 'INSTALLFOLDER', Name: 'Contoso Suite' });
  for (let group = 0; group < groups; group++) {
    if (group % MODULES_PER_DIRECTORY === 0) {
      if (group > 0) close('Directory');
      const area = group / MODULES_PER_DIRECTORY + 1;
      open('Directory', { Id: `dirArea${pad(area, 2)}`, Name: area === 1 ? 'Überblick' : `Area${pad(area, 2)}` });
    }
    empty('Directory', { Id: directoryId(group), Name: moduleName(group) });
  }
  if (groups > 0) close('Directory');
  close('Directory');
  close('StandardDirectory');
  close('Fragment');

  // Harvested components, one ComponentGroup per module, one Fragment per group.
  for (let group = 0; group < groups; group++) {
    open('Fragment');
    comment(`Harvested from $(var.SourceDir)\\${moduleName(group)}`);
    open('ComponentGroup', { Id: groupId(group), Directory: directoryId(group) });
    const first = group * COMPONENTS_PER_GROUP;
    const last = Math.min(components, first + COMPONENTS_PER_GROUP);
    for (let n = first; n < last; n++) {
      const id = pad(n + 1, 6);
      const fileName = `file${id}.${FILE_KINDS[n % FILE_KINDS.length]}`;
      open('Component', { Id: `cmp${id}`, Guid: guid(`component-${n}`), Bitness: 'always64' });
      empty('File', { Id: `fil${id}`, KeyPath: 'yes', Source: `$(var.SourceDir)\\${moduleName(group)}\\${fileName}` });
      if (n % 3 === 0) {
        empty('RegistryValue', {
          Root: 'HKLM',
          Key: `Software\\Contoso\\Suite\\${moduleName(group)}`,
          Name: fileName,
          Type: 'string',
          Value: `[#fil${id}]`,
        });
      }
      if (n % 5 === 0) {
        empty('RegistryValue', {
          Root: 'HKLM',
          Key: `Software\\Contoso\\Suite\\${moduleName(group)}\\Versions`,
          Name: fileName,
          Type: 'integer',
          Value: String(n),
        });
      }
      close('Component');
    }
    close('ComponentGroup');
    close('Fragment');
  }
  close('Wix');
  return { text: lines.join('\r\n') + '\r\n', counts };
}

/** The number of components whose source is closest to (at least) `bytes` long. */
export function componentsForSize(bytes) {
  const sample = 1000;
  const base = Buffer.byteLength(generateWix({ components: 0 }).text);
  const perComponent = (Buffer.byteLength(generateWix({ components: sample }).text) - base) / sample;
  return Math.max(1, Math.ceil((bytes - base) / perComponent));
}

function main() {
  const { values } = parseArgs({
    options: {
      components: { type: 'string' },
      'size-mb': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const fail = (message) => {
    console.error(`generate-wix: ${message}`);
    console.error('usage: node scripts/generate-wix.mjs (--components N | --size-mb M) --out FILE');
    process.exit(2);
  };
  if (!values.out) fail('--out FILE is required');
  if ((values.components === undefined) === (values['size-mb'] === undefined)) fail('give exactly one of --components and --size-mb');
  let components;
  if (values.components !== undefined) {
    components = Number(values.components);
    if (!Number.isInteger(components) || components < 0) fail(`--components must be a whole number, not '${values.components}'`);
  } else {
    const megabytes = Number(values['size-mb']);
    if (!(megabytes > 0)) fail(`--size-mb must be a positive number, not '${values['size-mb']}'`);
    components = componentsForSize(megabytes * 1_000_000);
  }
  const { text } = generateWix({ components });
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  const bytes = Buffer.byteLength(text);
  console.log(`${out}: ${components} components, ${bytes} bytes (${(bytes / 1_000_000).toFixed(2)} MB)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
