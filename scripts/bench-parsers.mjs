// Measures the XML parser candidates for the WiX engine, in one process, on the same inputs:
// parse time and retained heap on a ~6 MB harvested source (with `xmllint --noout` on the same
// file as a reference), whether the offsets of element names, attribute names and values are
// exact, and what each recovers from half-typed and hostile documents.
//
// Usage: npm run bench:parsers [-- --runs 5 --components 20000]
// Prints markdown tables (see docs/benchmarks.md).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import esbuild from 'esbuild';
import { QuoteType, Tokenizer } from 'htmlparser2';
import sax from 'sax';
import { SaxesParser } from 'saxes';
import xmlTools from '@xml-tools/parser';
import { generateWix } from './generate-wix.mjs';
import { formatTable, median, root, timeProcess, workDir, xmllintVersion } from './bench.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

// ---------------------------------------------------------------------------------------------
// Every candidate produces an outline: the elements with their attributes, the processing
// instructions, comments and text it saw, and the offsets it can give. Offsets are UTF-16 indexes
// into the source (what a JavaScript string and LSP positions use); -1 when not known.

function newOutline() {
  return { elements: [], instructions: [], comments: [], texts: [], errors: 0 };
}

const attribute = (name, nameStart, value, valueStart, valueEnd) => ({ name, nameStart, value, valueStart, valueEnd });

/**
 * sax and saxes announce an attribute when they have read its closing quote and give no offsets,
 * so the offsets are read back from the source. Gives -1 offsets when the text does not allow it.
 */
function attributeEndingAt(text, after, reportedName, value) {
  const closingQuote = after - 1;
  const quote = text[closingQuote];
  if (quote !== '"' && quote !== "'") return attribute(reportedName, -1, value, -1, -1);
  const openingQuote = text.lastIndexOf(quote, closingQuote - 1);
  let i = openingQuote - 1;
  while (/\s/.test(text[i])) i--;
  if (text[i] !== '=') return attribute(reportedName, -1, value, -1, -1);
  i--;
  while (/\s/.test(text[i])) i--;
  const nameStart = i + 1 - reportedName.length;
  const name = text.slice(nameStart, i + 1);
  if (name.toLowerCase() !== reportedName.toLowerCase()) return attribute(reportedName, -1, value, -1, -1);
  return attribute(name, nameStart, value, openingQuote + 1, closingQuote);
}

/** Splits `<?target data?>` contents the way every candidate is compared: target, then trimmed data. */
function instruction(body) {
  const match = /^([^\s?]*)\s*([\s\S]*?)\s*$/.exec(body);
  return { target: match[1], data: match[2] };
}

const htmlparser2Candidate = {
  name: 'htmlparser2 Tokenizer (xmlMode)',
  pkg: 'htmlparser2',
  offsets: 'native',
  reportsErrors: false,
  parse(text) {
    const outline = newOutline();
    let element;
    let current;
    let depth = 0;
    const tokenizer = new Tokenizer(
      { xmlMode: true, decodeEntities: true },
      {
        onopentagname(start, end) {
          element = { name: text.slice(start, end), nameStart: start, attributes: [] };
          outline.elements.push(element);
        },
        onattribname(start, end) {
          current = attribute(text.slice(start, end), start, '', -1, -1);
          element.attributes.push(current);
        },
        onattribdata(start, end) {
          if (current.valueStart < 0) current.valueStart = start;
          current.value += text.slice(start, end);
        },
        onattribentity(codePoint) {
          current.value += String.fromCodePoint(codePoint);
        },
        onattribend(quote, end) {
          if (quote === QuoteType.NoValue) current.value = undefined;
          else {
            current.valueEnd = quote === QuoteType.Unquoted ? end : end - 1;
            if (current.valueStart < 0) current.valueStart = current.valueEnd;
          }
        },
        onopentagend() {
          depth++;
        },
        onselfclosingtag() {},
        onclosetag() {
          depth--;
        },
        ontext(start, end) {
          if (depth > 0) outline.texts.push(text.slice(start, end));
        },
        ontextentity(codePoint) {
          if (depth > 0) outline.texts.push(String.fromCodePoint(codePoint));
        },
        onprocessinginstruction(start, end) {
          outline.instructions.push(instruction(text.slice(start, end)));
        },
        oncomment(start, end, endOffset) {
          outline.comments.push({ start, end: end - endOffset });
        },
        oncdata() {},
        ondeclaration() {},
        onend() {},
      },
    );
    tokenizer.write(text);
    tokenizer.end();
    return outline;
  },
  outline: (result) => result,
};

const saxCandidate = {
  name: 'sax (non-strict)',
  pkg: 'sax',
  offsets: 'read back',
  parse(text) {
    const outline = newOutline();
    const parser = sax.parser(false, { position: true });
    let element;
    let depth = 0;
    parser.onerror = () => {
      outline.errors++;
      parser.resume();
    };
    // Non-strict sax upper-cases names (WiX is case-sensitive): take them from the source.
    parser.onopentagstart = (tag) => {
      const start = parser.startTagPosition;
      const name = text.substr(start, tag.name.length);
      element = { name, nameStart: name.toUpperCase() === tag.name ? start : -1, attributes: [] };
      outline.elements.push(element);
    };
    parser.onattribute = (attr) => element.attributes.push(attributeEndingAt(text, parser.position, attr.name, attr.value));
    parser.onopentag = () => depth++;
    parser.onclosetag = () => depth--;
    parser.ontext = (value) => {
      if (depth > 0) outline.texts.push(value);
    };
    parser.onprocessinginstruction = (pi) => outline.instructions.push(instruction(`${pi.name} ${pi.body}`));
    parser.oncomment = () => {
      const end = parser.position - 2; // the position is that of the final '>'
      outline.comments.push({ start: text.lastIndexOf('<!--', end) + 4, end });
    };
    parser.write(text).close();
    return outline;
  },
  outline: (result) => result,
};

const saxesCandidate = {
  name: 'saxes (strict, errors reported)',
  pkg: 'saxes',
  offsets: 'read back',
  parse(text) {
    const outline = newOutline();
    const parser = new SaxesParser({ position: true });
    let element;
    let depth = 0;
    parser.on('error', () => outline.errors++);
    parser.on('opentagstart', (tag) => {
      const start = text.lastIndexOf('<', parser.position - 1) + 1;
      element = { name: tag.name, nameStart: text.startsWith(tag.name, start) ? start : -1, attributes: [] };
      outline.elements.push(element);
    });
    parser.on('attribute', (attr) => element.attributes.push(attributeEndingAt(text, parser.position, attr.name, attr.value)));
    parser.on('opentag', (tag) => {
      if (!tag.isSelfClosing) depth++;
    });
    parser.on('closetag', (tag) => {
      if (!tag.isSelfClosing) depth--;
    });
    parser.on('text', (value) => {
      if (depth > 0) outline.texts.push(value);
    });
    parser.on('processinginstruction', (pi) => outline.instructions.push(instruction(`${pi.target} ${pi.body}`)));
    parser.on('comment', () => {
      const end = parser.position - 2; // the position is that of the final '>'
      outline.comments.push({ start: text.lastIndexOf('<!--', end) + 4, end });
    });
    parser.write(text).close();
    return outline;
  },
  outline: (result) => result,
};

const xmlToolsCandidate = {
  name: '@xml-tools/parser (Chevrotain CST)',
  pkg: '@xml-tools/parser',
  offsets: 'native',
  parse: (text) => xmlTools.parse(text),
  outline(result) {
    const outline = newOutline();
    outline.errors = result.lexErrors.length + result.parseErrors.length;
    const comment = (token) => outline.comments.push({ start: token.startOffset + 4, end: token.endOffset - 2 });
    const pi = (token) => outline.instructions.push(instruction(token.image.slice(2, -2)));
    const visitElement = (node) => {
      const name = node.children.Name?.[0];
      if (!name) return;
      const element = { name: name.image, nameStart: name.startOffset, attributes: [] };
      outline.elements.push(element);
      for (const attr of node.children.attribute ?? []) {
        const attrName = attr.children.Name?.[0];
        const value = attr.children.STRING?.[0];
        if (!attrName) continue;
        element.attributes.push(
          value
            ? attribute(attrName.image, attrName.startOffset, value.image.slice(1, -1), value.startOffset + 1, value.endOffset)
            : attribute(attrName.image, attrName.startOffset, undefined, -1, -1),
        );
      }
      for (const content of node.children.content ?? []) {
        for (const [kind, items] of Object.entries(content.children)) {
          for (const item of items) {
            if (kind === 'element') visitElement(item);
            else if (kind === 'Comment') comment(item);
            else if (kind === 'PROCESSING_INSTRUCTION') pi(item);
            else if (kind === 'chardata') for (const token of Object.values(item.children).flat()) outline.texts.push(token.image);
            else if (kind === 'reference') for (const token of Object.values(item.children).flat()) outline.texts.push(token.image);
          }
        }
      }
    };
    const document = result.cst.children;
    for (const misc of document.misc ?? []) {
      for (const token of misc.children.Comment ?? []) comment(token);
      for (const token of misc.children.PROCESSING_INSTRUCTION ?? []) pi(token);
    }
    for (const element of document.element ?? []) visitElement(element);
    return outline;
  },
};

/** The project's own scanner, bundled from its TypeScript source when it exists. */
async function projectScannerCandidate() {
  const source = path.join(root, 'server/src/engine/xml/parser.ts');
  const name = 'server/src/engine/xml/parser.ts (parseXml)';
  if (!fs.existsSync(source)) return { name, skipped: 'not written yet' };
  const outfile = path.join(workDir, 'parsers', 'project-xml-parser.mjs');
  try {
    await esbuild.build({ entryPoints: [source], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
  } catch (error) {
    return { name, skipped: `does not build: ${error.message.split('\n')[0]}` };
  }
  const { parseXml } = await import(`${pathToFileURL(outfile).href}?${Date.now()}`);
  if (typeof parseXml !== 'function') return { name, skipped: 'exports no parseXml' };
  return {
    name,
    offsets: 'native',
    parse: (text) => parseXml(text),
    outline(document) {
      const outline = newOutline();
      outline.errors = document.errors.length;
      const visit = (node, depth) => {
        if (node.kind === 'element') {
          outline.elements.push({
            name: node.name,
            nameStart: node.nameSpan.start,
            attributes: node.attributes.map((a) => attribute(a.name, a.nameSpan.start, a.value, a.valueSpan?.start ?? -1, a.valueSpan?.end ?? -1)),
          });
          for (const child of node.children) visit(child, depth + 1);
        } else if (node.kind === 'pi') outline.instructions.push({ target: node.target, data: node.data });
        else if (node.kind === 'comment') outline.comments.push({ start: node.span.start + 4, end: node.span.start + 4 + node.value.length });
        else if (node.kind === 'text' && depth > 0) outline.texts.push(node.value);
      };
      for (const node of document.children) visit(node, 0);
      return outline;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Checks against the source itself, never against another parser.

function exactElement(text, element) {
  return element.nameStart > 0 && text[element.nameStart - 1] === '<' && text.startsWith(element.name, element.nameStart);
}

function exactAttribute(text, attr) {
  if (attr.nameStart < 0 || !text.startsWith(attr.name, attr.nameStart)) return false;
  if (attr.value === undefined) return true;
  const quote = text[attr.valueStart - 1];
  const raw = text.slice(attr.valueStart, attr.valueEnd);
  return (quote === '"' || quote === "'") && text[attr.valueEnd] === quote && !raw.includes(quote) && (raw.includes('&') || raw === attr.value);
}

function exactComment(text, comment) {
  return text.startsWith('<!--', comment.start - 4) && text.startsWith('-->', comment.end);
}

const withoutXmlDeclaration = (instructions) => instructions.filter((pi) => pi.target !== 'xml');

/** Element starts a reader sees, in order: `<Name` for each expected name, searched from the previous one. */
function expectedElements(text, names) {
  let from = 0;
  return names.map((name) => {
    const pattern = new RegExp(`<${name}(?=[\\s/>]|$)`, 'g');
    pattern.lastIndex = from;
    const match = pattern.exec(text);
    if (!match) throw new Error(`test input lacks <${name}`);
    from = match.index + 1;
    return { name, nameStart: match.index + 1 };
  });
}

/** Complete `name="value"` pairs outside markup declarations, PIs and comments: the attributes a reader sees. */
function expectedAttributes(text) {
  const visible = text.replace(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[\s\S]*?\]>/g, (m) => ' '.repeat(m.length));
  const found = [];
  for (const match of visible.matchAll(/\s([A-Za-z_][\w.:-]*)="([^"<\r\n]*)"/g)) {
    const nameStart = match.index + 1;
    const valueStart = nameStart + match[1].length + 2;
    found.push({ name: match[1], nameStart, valueStart, valueEnd: valueStart + match[2].length });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Half-typed and hostile documents.

const CRLF = '\r\n';
const BASE = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">',
  '  <Package Name="Contoso" Manufacturer="Contoso Ltd." Version="1.0.0.0" UpgradeCode="{6BF000EE-EF77-0C61-B14F-7B362AF00CBC}">',
  '    <Property Id="A" Value="1" />',
  '    <Property Id="B" Value="2" />',
  '    <PatchCertificates>',
  '      <DigitalCertificate Id="Signing" SourceFile="signing.cer" />',
  '    </PatchCertificates>',
  '  </Package>',
  '</Wix>',
  '',
].join(CRLF);
const ALL = ['Wix', 'Package', 'Property', 'Property', 'PatchCertificates', 'DigitalCertificate'];
const MARKER = 'ENTITY-CONTENT-5e1f';

function replaceOnce(text, from, to) {
  if (!text.includes(from)) throw new Error(`test input lacks ${from}`);
  return text.replace(from, to);
}

function brokenInputs(secretFile) {
  const entityDocument = (declaration) =>
    [
      '<?xml version="1.0" encoding="utf-8"?>',
      `<!DOCTYPE Wix [${declaration}]>`,
      '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">',
      '  <Property Id="A" Value="&e;" />&e;',
      '</Wix>',
      '',
    ].join(CRLF);
  const cut = BASE.indexOf('<Property Id="A" Value="') + '<Property Id="A" Value="'.length;
  return [
    { name: 'unclosed tag at end of file `<Property Id="A" Value="`', text: BASE.slice(0, cut), expect: ['Wix', 'Package', 'Property'] },
    { name: 'value missing its closing quote `Value="1 />`', text: replaceOnce(BASE, 'Value="1" />', 'Value="1 />'), expect: ALL },
    { name: 'attribute without value `Value />`', text: replaceOnce(BASE, 'Value="1" />', 'Value />'), expect: ALL },
    { name: 'stray `<` on a line of its own', text: replaceOnce(BASE, '    <Property Id="B"', `    <${CRLF}    <Property Id="B"`), expect: ALL },
    { name: 'start tag not finished `<Property Id="A"`', text: replaceOnce(BASE, '<Property Id="A" Value="1" />', '<Property Id="A"'), expect: ALL },
    { name: 'unclosed element (no `</PatchCertificates>`)', text: replaceOnce(BASE, `    </PatchCertificates>${CRLF}`, ''), expect: ALL },
    { name: 'mismatched end tag `</PatchCertificate>`', text: replaceOnce(BASE, '</PatchCertificates>', '</PatchCertificate>'), expect: ALL },
    {
      name: '`<?define X = "1" ?>`, `<?if $(var.A) > 2 ?>`',
      text: replaceOnce(
        replaceOnce(BASE, `  <Package`, `  <?define X = "1" ?>${CRLF}  <Package`),
        '    <Property Id="B" Value="2" />',
        `    <?if $(var.A) > 2 ?>${CRLF}    <Property Id="B" Value="2" />${CRLF}    <?endif?>`,
      ),
      expect: ALL,
      instructions: [
        { target: 'define', data: 'X = "1"' },
        { target: 'if', data: '$(var.A) > 2' },
        { target: 'endif', data: '' },
      ],
    },
    {
      name: 'instructions and an element on one line `<?if $(var.A) = 1 ?><Property … /><?endif?>`',
      text: replaceOnce(BASE, '    <Property Id="B" Value="2" />', '    <?if $(var.A) = 1 ?><Property Id="B" Value="2" /><?endif?>'),
      expect: ALL,
      instructions: [
        { target: 'if', data: '$(var.A) = 1' },
        { target: 'endif', data: '' },
      ],
    },
    {
      name: 'external entity `<!ENTITY e SYSTEM "file:///…">` + `&e;`',
      text: entityDocument(`<!ENTITY e SYSTEM "${pathToFileURL(secretFile).href}">`),
      expect: ['Wix', 'Property'],
      entity: true,
    },
    { name: 'internal entity `<!ENTITY e "…">` + `&e;`', text: entityDocument(`<!ENTITY e "${MARKER}">`), expect: ['Wix', 'Property'], entity: true },
  ];
}

/** Runs `action` while recording every attempt to open `file` through node:fs. */
function watchingReads(file, action) {
  const opened = [];
  const names = ['readFileSync', 'openSync', 'readFile', 'open', 'createReadStream'];
  const originals = names.map((name) => fs[name]);
  names.forEach((name, i) => {
    fs[name] = (target, ...rest) => {
      if (String(target).includes(path.basename(file))) opened.push(`${name}(${target})`);
      return originals[i].call(fs, target, ...rest);
    };
  });
  syncBuiltinESMExports();
  try {
    return { value: action(), opened };
  } finally {
    names.forEach((name, i) => (fs[name] = originals[i]));
    syncBuiltinESMExports();
  }
}

function runBrokenInput(candidate, input, secretFile) {
  let outline = newOutline();
  let threw;
  const { opened } = watchingReads(secretFile, () => {
    try {
      outline = candidate.outline(candidate.parse(input.text));
    } catch (error) {
      threw = error instanceof Error ? error.message.split('\n')[0] : String(error);
    }
  });
  const expected = expectedElements(input.text, input.expect);
  const matched = outline.elements.filter((e) => expected.some((x) => e.name === x.name && e.nameStart === x.nameStart));
  const recovered = matched.length;
  const spurious = outline.elements.length - recovered;
  const attributes = outline.elements.flatMap((e) => e.attributes);
  const humanAttributes = expectedAttributes(input.text);
  const attributesExact = humanAttributes.filter((x) =>
    attributes.some((a) => a.name === x.name && a.nameStart === x.nameStart && a.valueStart === x.valueStart && a.valueEnd === x.valueEnd),
  ).length;
  const notes = [];
  if (threw) notes.push(`threw: ${threw}`);
  if (input.instructions) {
    const seen = withoutXmlDeclaration(outline.instructions);
    const ok = input.instructions.every((pi, i) => seen[i]?.target === pi.target && seen[i]?.data === pi.data);
    notes.push(ok ? 'PIs exact' : `PIs wrong: ${JSON.stringify(seen)}`);
  }
  if (input.entity) {
    // Where `&e;` stands: the Property's Value and the text of <Wix>.
    const replaced = [...outline.texts, ...matched.flatMap((e) => e.attributes.map((a) => a.value ?? ''))].some((value) => value.includes(MARKER));
    if (opened.length) notes.push(`READ THE FILE: ${opened.join(', ')}`);
    if (replaced) notes.push('EXPANDED THE ENTITY');
    if (!opened.length && !replaced) notes.push('not expanded, not read');
  }
  return { recovered, expected: expected.length, spurious, attributesExact, attributesExpected: humanAttributes.length, errors: outline.errors, notes };
}

// ---------------------------------------------------------------------------------------------
// Speed and heap on the large source.

function retainedHeap(candidate, text) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const result = candidate.parse(text);
  gc();
  const after = process.memoryUsage().heapUsed;
  void result; // kept alive until here on purpose: the retained heap is what the result costs
  return after - before;
}

function measureLarge(candidate, text, counts, runs) {
  for (let i = 0; i < 2; i++) candidate.parse(text); // warm-up: let the JIT compile the hot paths
  const times = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const start = performance.now();
    candidate.parse(text);
    times.push(performance.now() - start);
  }
  const heap = retainedHeap(candidate, text);
  const outline = candidate.outline(candidate.parse(text));
  const attributes = outline.elements.flatMap((e) => e.attributes);
  const instructions = withoutXmlDeclaration(outline.instructions);
  return {
    median: median(times),
    min: Math.min(...times),
    max: Math.max(...times),
    heap,
    elements: `${outline.elements.filter((e) => exactElement(text, e)).length}/${counts.elements}`,
    attributes: `${attributes.filter((a) => exactAttribute(text, a)).length}/${counts.attributes}`,
    comments: `${outline.comments.filter((c) => exactComment(text, c)).length}/${counts.comments}`,
    instructions: `${instructions.length}/${counts.processingInstructions}`,
    piWithGreaterThan: instructions.some((pi) => pi.target === 'if' && pi.data === '$(var.MajorVersion) > 3'),
  };
}

function packageVersion(pkg) {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

async function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, components: { type: 'string', default: '20000' } } });
  const runs = Number(values.runs);
  const components = Number(values.components);
  if (!(runs >= 1) || !(components >= 1)) throw new Error('--runs and --components must be positive numbers');

  const dir = path.join(workDir, 'parsers');
  fs.mkdirSync(dir, { recursive: true });
  const { text, counts } = generateWix({ components });
  const largeFile = path.join(dir, `harvested-${components}.wxs`);
  fs.writeFileSync(largeFile, text);
  const secretFile = path.join(dir, 'secret.txt');
  fs.writeFileSync(secretFile, MARKER);

  const candidates = [htmlparser2Candidate, saxCandidate, saxesCandidate, xmlToolsCandidate, await projectScannerCandidate()];
  const active = candidates.filter((c) => !c.skipped);
  const label = (c) => (c.pkg ? `${c.name} ${packageVersion(c.pkg)}` : c.name);

  console.log(`## Parsers on a ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB harvested source (${components} components)`);
  const cpus = os.cpus();
  console.log(`\nNode ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim()}, load average ${os.loadavg()[0].toFixed(2)} at start; median of ${runs} runs after 2 warm-up runs, same process.\n`);
  const xmllint = timeProcess('xmllint', ['--noout', largeFile], { runs });
  const rows = [[`xmllint --noout (reference: whole process, libxml ${xmllintVersion()})`, xmllint.median.toFixed(0), `${xmllint.min.toFixed(0)}–${xmllint.max.toFixed(0)}`, '', '', '', '', '', '', '']];
  for (const candidate of active) {
    process.stderr.write(`measuring ${candidate.name}…\n`);
    const r = measureLarge(candidate, text, counts, runs);
    rows.push([
      label(candidate),
      r.median.toFixed(0),
      `${r.min.toFixed(0)}–${r.max.toFixed(0)}`,
      (r.heap / 2 ** 20).toFixed(0),
      candidate.offsets,
      r.elements,
      r.attributes,
      r.comments,
      r.instructions,
      r.piWithGreaterThan ? 'yes' : 'NO',
    ]);
  }
  console.log(
    formatTable(
      ['parser', 'median ms', 'min–max ms', 'retained heap MB', 'offsets', 'element names exact', 'attributes exact', 'comments exact', 'PIs', '`>` in `<?if ?>`'],
      rows,
    ),
  );
  for (const c of candidates.filter((c) => c.skipped)) console.log(`\n${c.name}: skipped (${c.skipped}).`);

  console.log('\n## Half-typed and hostile documents\n');
  console.log('Each cell: elements recovered with exact name offsets / elements a reader sees (+ spurious ones); complete `name="value"` attributes recovered with exact name and value offsets / attributes a reader sees; errors reported; notes.\n');
  const inputs = brokenInputs(secretFile);
  const brokenRows = inputs.map((input) => [
    input.name,
    ...active.map((candidate) => {
      const r = runBrokenInput(candidate, input, secretFile);
      const spurious = r.spurious > 0 ? ` (+${r.spurious})` : '';
      return [`el ${r.recovered}/${r.expected}${spurious}`, `attr ${r.attributesExact}/${r.attributesExpected}`, candidate.reportsErrors === false ? 'reports no errors' : `${r.errors} err`, ...r.notes].join('; ');
    }),
  ]);
  console.log(formatTable(['input', ...active.map(label)], brokenRows));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`bench-parsers: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
