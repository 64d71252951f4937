// An error-tolerant XML scanner that keeps exact offsets for every name and value.
// Chosen over the library candidates by measurement (docs/architecture.md): none of them
// combines recovery on half-typed documents, attribute-value offsets, `?>`-terminated
// processing instructions and speed on multi-megabyte harvested sources.
// It never reads a DTD's entity declarations: only the five predefined entities and
// character references are decoded, so no entity is ever expanded or fetched.

import type { Span } from '../types';

export interface XmlAttribute {
  name: string;
  nameSpan: Span;
  /** Decoded value (predefined entities and character references), undefined when the attribute has no value. */
  value?: string;
  /** Offsets of the value between its quotes. */
  valueSpan?: Span;
  /** The whole attribute, name to closing quote. */
  span: Span;
}

export interface XmlElement {
  kind: 'element';
  name: string;
  prefix: string;
  localName: string;
  /** Namespace URI resolved from the in-scope xmlns declarations ('' when none). */
  namespaceUri: string;
  nameSpan: Span;
  attributes: XmlAttribute[];
  /** The attribute of that name (case-sensitive, as in WiX). */
  getAttribute(name: string): XmlAttribute | undefined;
  children: XmlNode[];
  parent?: XmlElement;
  /** From `<` of the start tag to the end of the end tag (or of the last recovered content). */
  span: Span;
  /** From `<` to `>` of the start tag (or to where the tag was cut off). */
  startTagSpan: Span;
  endTagSpan?: Span;
  selfClosing: boolean;
}

export interface XmlText {
  kind: 'text';
  value: string;
  span: Span;
}

export interface XmlComment {
  kind: 'comment';
  /** Text between `<!--` and `-->`. */
  value: string;
  span: Span;
}

export interface XmlProcessingInstruction {
  kind: 'pi';
  target: string;
  targetSpan: Span;
  /** Text after the target, trimmed. */
  data: string;
  dataSpan: Span;
  span: Span;
}

export type XmlNode = XmlElement | XmlText | XmlComment | XmlProcessingInstruction;

export interface XmlError {
  message: string;
  span: Span;
}

export interface XmlDocument {
  /** Top-level nodes: the root element(s) and the prolog's processing instructions and comments. */
  children: XmlNode[];
  /** The first top-level element. */
  root?: XmlElement;
  comments: XmlComment[];
  errors: XmlError[];
}

const LT = 60; // <
const GT = 62; // >
const SLASH = 47;
const EQ = 61;
const QUOT = 34;
const APOS = 39;
const QUESTION = 63;
const BANG = 33;

/** Errors kept per document (a few MB at most). */
const MAX_ERRORS = 100_000;
/** Attributes kept per start tag: WiX elements have a few dozen at most. */
const MAX_ATTRIBUTES = 1000;

function isWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0x80;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** Shared by every element without children; `append` replaces it before adding one. */
const NO_CHILDREN: XmlNode[] = [];

/**
 * An element of the tree. Offsets are plain numbers and attributes are read on first use:
 * a harvested source has tens of thousands of elements whose attributes no rule ever asks for.
 */
class Element implements XmlElement {
  namespaceUri = '';
  parent?: XmlElement;
  children: XmlNode[] = NO_CHILDREN;
  selfClosing = false;
  /** End of the start tag, and of the whole element. */
  tagEnd: number;
  end: number;
  /** Where the end tag starts (it ends where the element does), -1 without one. */
  endTagStart = -1;
  private attributeList?: XmlAttribute[];
  /** The one attribute looked up before the list was read, and what was found. */
  private lookedName?: string;
  private lookedAttribute?: XmlAttribute;

  constructor(private readonly text: string, readonly name: string, readonly start: number, readonly nameEnd: number) {
    this.tagEnd = this.end = nameEnd;
  }

  get prefix(): string {
    const colon = this.name.indexOf(':');
    return colon > 0 ? this.name.slice(0, colon) : '';
  }

  get localName(): string {
    const colon = this.name.indexOf(':');
    return colon > 0 ? this.name.slice(colon + 1) : this.name;
  }

  get kind(): 'element' {
    return 'element';
  }

  get nameSpan(): Span {
    return { start: this.start + 1, end: this.nameEnd };
  }

  get span(): Span {
    return { start: this.start, end: this.end };
  }

  get startTagSpan(): Span {
    return { start: this.start, end: this.tagEnd };
  }

  get endTagSpan(): Span | undefined {
    return this.endTagStart < 0 ? undefined : { start: this.endTagStart, end: this.end };
  }

  get attributes(): XmlAttribute[] {
    return (this.attributeList ??= readWellFormedAttributes(this.text, this.nameEnd, this.tagEnd));
  }

  getAttribute(name: string): XmlAttribute | undefined {
    // The first lookup on a tag not read yet reads just that attribute (linking and the rules ask
    // one attribute of thousands of elements, some of them twice); looking up another one reads
    // the whole list once.
    let list = this.attributeList;
    if (!list) {
      if (this.lookedName === name) return this.lookedAttribute;
      if (this.lookedName === undefined) {
        this.lookedName = name;
        return (this.lookedAttribute = readWellFormedAttributes(this.text, this.nameEnd, this.tagEnd, name)[0]);
      }
      list = this.attributes;
    }
    for (const attribute of list) if (attribute.name === name) return attribute;
    return undefined;
  }

  setAttributes(attributes: XmlAttribute[]): void {
    this.attributeList = attributes;
  }
}

function nodeEnd(node: XmlNode): number {
  return node instanceof Element ? node.end : node.span.end;
}

/** An attribute of a well-formed tag: offsets kept as numbers, spans made when asked for. */
class WellFormedAttribute implements XmlAttribute {
  constructor(
    readonly name: string,
    readonly value: string,
    private readonly nameStart: number,
    private readonly valueStart: number,
    private readonly valueEnd: number,
  ) {}

  get nameSpan(): Span {
    return { start: this.nameStart, end: this.nameStart + this.name.length };
  }

  get valueSpan(): Span {
    return { start: this.valueStart, end: this.valueEnd };
  }

  get span(): Span {
    return { start: this.nameStart, end: this.valueEnd + 1 };
  }
}

/** Attributes of a start tag the scanner already found well-formed (quoted values, no stray characters). */
function readWellFormedAttributes(text: string, from: number, to: number, only?: string): XmlAttribute[] {
  const attributes: XmlAttribute[] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (!isNameStart(c)) {
      i++;
      continue;
    }
    const nameStart = i;
    while (i < to && isNameChar(text.charCodeAt(i))) i++;
    const nameEnd = i;
    while (i < to && text.charCodeAt(i) !== QUOT && text.charCodeAt(i) !== APOS) i++;
    const quote = text.charCodeAt(i);
    const close = text.indexOf(quote === QUOT ? '"' : "'", i + 1);
    if (i >= to || close < 0 || close >= to) break;
    if (only !== undefined && (nameEnd - nameStart !== only.length || !text.startsWith(only, nameStart))) {
      i = close + 1;
      continue;
    }
    attributes.push(new WellFormedAttribute(only ?? text.slice(nameStart, nameEnd), decodeEntities(text.slice(i + 1, close)), nameStart, i + 1, close));
    if (only !== undefined) break; // The first of that name is the one asked for.
    if (attributes.length === MAX_ATTRIBUTES) break;
    i = close + 1;
  }
  return attributes;
}

/** Slots of the tag-name table: a power of two, well above the element kinds of a WiX source. */
const NAME_SLOTS = 512;

export function parseXml(text: string): XmlDocument {
  return new Scanner(text).parse();
}

class Scanner {
  private pos = 0;
  private readonly errors: XmlError[] = [];
  private readonly comments: XmlComment[] = [];
  private readonly topLevel: XmlNode[] = [];
  private readonly open: Element[] = [];
  /** Set by scanPlainTag: whether the tag it read ended with '/>'. */
  private plainTagSelfClosing = false;
  /** Namespace scopes parallel to `open`: each holds only the declarations of its element. */
  private readonly scopes: (Map<string, string> | undefined)[] = [];
  /**
   * For each prefix, the URIs the open elements declare for it, innermost last: resolving a
   * prefix is one lookup however deep the element is (a walk up the scopes made deep nesting quadratic).
   */
  private readonly inScope = new Map<string, string[]>();
  /** The default namespace in scope (inScope's last for ''): most elements have no prefix and declare nothing. */
  private defaultNamespace = '';
  /** How many elements of each name are open: kept from the first stray end tag below deep nesting on (see isOpen). */
  private openCounts?: Map<string, number>;
  /** Built on the first cut-off start tag; one pass keeps recovery linear on broken files. */
  private tagIndex?: Map<string, TagsOfName>;
  /** Recent tag names by a hash of their characters (see nameAt). */
  private readonly names: (string | undefined)[] = new Array(NAME_SLOTS);

  constructor(private readonly text: string) {}

  parse(): XmlDocument {
    const text = this.text;
    const length = text.length;
    // Where the text not added yet starts: a stray '<' stays in the text around it (one node, not one per '<').
    let textStart = 0;
    while (this.pos < length) {
      const lt = text.indexOf('<', this.pos);
      if (lt < 0) break;
      const next = text.charCodeAt(lt + 1);
      if (!isNameStart(next) && next !== SLASH && next !== QUESTION && next !== BANG) {
        this.error(`'<' must start a tag; write &lt; for a literal '<'`, lt, lt + 1);
        this.pos = lt + 1;
        continue;
      }
      if (lt > textStart) this.addText(textStart, lt);
      this.pos = lt;
      if (next === SLASH) this.endTag();
      else if (next === QUESTION) this.processingInstruction();
      else if (next === BANG) this.markupDeclaration();
      else this.startTag();
      textStart = this.pos;
    }
    if (textStart < length) this.addText(textStart, length);
    for (let i = this.open.length - 1; i >= 0; i--) {
      const element = this.open[i];
      this.error(`<${element.name}> is not closed`, element.nameSpan.start, element.nameSpan.end);
      element.end = length;
    }
    const root = this.topLevel.find((node): node is XmlElement => node.kind === 'element');
    return { children: this.topLevel, root, comments: this.comments, errors: this.errors };
  }

  private error(message: string, start: number, end: number): void {
    // A hostile file can hold an error every few bytes; the first ones say what is wrong.
    if (this.errors.length === MAX_ERRORS) return;
    this.errors.push({ message, span: { start, end: Math.max(start, end) } });
  }

  private append(node: XmlNode): void {
    const parent = this.open[this.open.length - 1];
    if (parent) {
      if (node.kind === 'element') node.parent = parent;
      if (parent.children === NO_CHILDREN) parent.children = [];
      parent.children.push(node);
      parent.end = Math.max(parent.end, nodeEnd(node));
    } else {
      this.topLevel.push(node);
    }
  }

  private addText(start: number, end: number): void {
    if (this.open.length === 0) return; // Whitespace or stray characters outside the root carry no authoring.
    // Indentation between elements carries nothing either; skipping it keeps large files cheap.
    let i = start;
    while (i < end && isWhitespace(this.text.charCodeAt(i))) i++;
    if (i === end) return;
    const raw = this.text.slice(start, end);
    this.append({ kind: 'text', value: decodeEntities(raw), span: { start, end } });
  }

  /**
   * The tag name between the offsets, shared with the earlier tags of that name: a harvested
   * source spells `Component` 40 000 times, and one string is less for the garbage collector.
   */
  private nameAt(start: number, end: number): string {
    const text = this.text;
    const length = end - start;
    if (length === 0) return '';
    const slot = (length * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(start + (length >> 1)) * 3 + text.charCodeAt(end - 1)) & (NAME_SLOTS - 1);
    const known = this.names[slot];
    if (known !== undefined && known.length === length && text.startsWith(known, start)) return known;
    return (this.names[slot] = text.slice(start, end));
  }

  private readName(from: number): number {
    let end = from;
    while (end < this.text.length && isNameChar(this.text.charCodeAt(end))) end++;
    return end;
  }

  private skipWhitespace(from: number): number {
    let i = from;
    while (i < this.text.length && isWhitespace(this.text.charCodeAt(i))) i++;
    return i;
  }

  private startTag(): void {
    const text = this.text;
    const start = this.pos;
    const nameEnd = this.readName(start + 1);
    const name = this.nameAt(start + 1, nameEnd);
    const element = new Element(text, name, start, nameEnd);
    let i = this.scanPlainTag(nameEnd);
    let closed = i >= 0;
    let scope: Map<string, string> | undefined;
    if (closed) {
      element.selfClosing = this.plainTagSelfClosing;
    } else {
      // Namespace declarations or something malformed: read every attribute now, with errors.
      const attributes: XmlAttribute[] = [];
      i = nameEnd;
      while (i < text.length) {
        i = this.skipWhitespace(i);
        const c = text.charCodeAt(i);
        if (c === GT) {
          i++;
          closed = true;
          break;
        }
        if (c === SLASH && text.charCodeAt(i + 1) === GT) {
          i += 2;
          element.selfClosing = true;
          closed = true;
          break;
        }
        if (c === LT || i >= text.length) break;
        if (isNameStart(c)) {
          i = this.attribute(attributes, i);
          // Past the cap the rest of the tag is skipped unread, to its end.
          if (attributes.length > MAX_ATTRIBUTES) {
            attributes.pop();
            this.error(`<${name}> has more than ${MAX_ATTRIBUTES} attributes; the others are not read`, i, i);
            i = this.skipRestOfTag(i);
          }
          continue;
        }
        const junkEnd = this.skipJunk(i);
        this.error(`Unexpected '${text.slice(i, Math.min(junkEnd, i + 20))}' in <${name}>`, i, junkEnd);
        i = junkEnd;
      }
      element.setAttributes(attributes);
      if (!closed) this.error(`The start tag <${name}> is not finished: '>' expected`, start + 1, nameEnd);
      scope = this.declareNamespaces(attributes);
    }
    element.tagEnd = element.end = i;
    this.pos = i;
    element.namespaceUri = scope === undefined && name.indexOf(':') < 0 ? this.defaultNamespace : (this.resolvePrefix(element.prefix, scope) ?? '');
    this.append(element);
    // A start tag cut off while typing (`<Property Id="A`) has no content, or it would adopt the
    // siblings below it; unless an end tag later closes it (only its '>' is missing).
    if (!element.selfClosing && (closed || this.hasEndTag(name, i))) {
      this.push(element, scope);
    }
  }

  /**
   * Skips the attributes of a well-formed start tag without building them; returns the offset
   * after its '>' or '/>', or -1 when the tag declares namespaces or is malformed.
   */
  private scanPlainTag(from: number): number {
    const text = this.text;
    // No '<' stands in a well-formed tag: its values all close before the next one, which one
    // native search finds; values are then skipped by searching for their closing quote.
    let nextTag = text.indexOf('<', from);
    if (nextTag < 0) nextTag = text.length;
    let i = from;
    for (;;) {
      while (i < nextTag && isWhitespace(text.charCodeAt(i))) i++;
      const c = text.charCodeAt(i);
      if (c === GT) {
        this.plainTagSelfClosing = false;
        return i + 1;
      }
      if (c === SLASH && text.charCodeAt(i + 1) === GT) {
        this.plainTagSelfClosing = true;
        return i + 2;
      }
      if (!isNameStart(c) || text.startsWith('xmlns', i)) return -1;
      i++;
      while (i < nextTag && isNameChar(text.charCodeAt(i))) i++;
      while (i < nextTag && isWhitespace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== EQ) return -1;
      i++;
      while (i < nextTag && isWhitespace(text.charCodeAt(i))) i++;
      const quote = text.charCodeAt(i);
      if (quote !== QUOT && quote !== APOS) return -1;
      const close = text.indexOf(quote === QUOT ? '"' : "'", i + 1);
      if (close < 0 || close > nextTag) return -1;
      i = close + 1;
    }
  }

  /** Whether an end tag `</name>` after `from` is left over once same-named elements nested there are paired. */
  private hasEndTag(name: string, from: number): boolean {
    this.tagIndex ??= indexTags(this.text);
    const tags = this.tagIndex.get(name);
    if (!tags) return false;
    let low = 0;
    let high = tags.offsets.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (tags.offsets[mid] < from) low = mid + 1;
      else high = mid;
    }
    // Walking on from tag `low`, the depth drops below its start exactly when some later
    // running depth is lower than the one before `low`.
    return low < tags.offsets.length && tags.lowestFrom[low] < (low === 0 ? 0 : tags.depthAfter[low - 1]);
  }

  /** Where a tag ends ('>', '/>', or a '<' that starts the next tag) from inside it, quoted values skipped. */
  private skipRestOfTag(from: number): number {
    const text = this.text;
    let quote = 0;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LT) return i;
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === QUOT || c === APOS) quote = c;
      else if (c === GT || (c === SLASH && text.charCodeAt(i + 1) === GT)) return i;
    }
    return text.length;
  }

  /** Characters that cannot start an attribute: skip to something that can, or to the end of the tag. */
  private skipJunk(from: number): number {
    let i = from + 1;
    while (i < this.text.length) {
      const c = this.text.charCodeAt(i);
      if (isWhitespace(c) || c === GT || c === LT || c === SLASH || isNameStart(c)) break;
      i++;
    }
    return i;
  }

  private attribute(attributes: XmlAttribute[], from: number): number {
    const text = this.text;
    const nameEnd = this.readName(from);
    const name = text.slice(from, nameEnd);
    const attribute: XmlAttribute = { name, nameSpan: { start: from, end: nameEnd }, span: { start: from, end: nameEnd } };
    attributes.push(attribute);
    let i = this.skipWhitespace(nameEnd);
    if (text.charCodeAt(i) !== EQ) {
      this.error(`Attribute ${name} has no value: '=' expected`, from, nameEnd);
      return nameEnd;
    }
    i = this.skipWhitespace(i + 1);
    const quote = text.charCodeAt(i);
    if (quote !== QUOT && quote !== APOS) {
      // Unquoted value: take it up to whitespace or the end of the tag, and say what is wrong.
      let end = i;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if (isWhitespace(c) || c === GT || c === LT || (c === SLASH && text.charCodeAt(end + 1) === GT)) break;
        end++;
      }
      if (end > i) {
        attribute.value = decodeEntities(text.slice(i, end));
        attribute.valueSpan = { start: i, end };
        this.error(`The value of ${name} must be quoted`, i, end);
      } else {
        this.error(`Attribute ${name} has no value`, from, nameEnd);
      }
      attribute.span.end = end;
      return end;
    }
    const valueStart = i + 1;
    const close = text.indexOf(quote === QUOT ? '"' : "'", valueStart);
    // '<' is not allowed in attribute values: when it comes first, the value was never closed
    // (a half-typed attribute) and what follows is the next tag.
    // Looked for within the value only: searching on past it would make many attributes quadratic.
    let lt = -1;
    if (close < 0) lt = text.indexOf('<', valueStart);
    else for (let k = valueStart; k < close && lt < 0; k++) if (text.charCodeAt(k) === LT) lt = k;
    if (close >= 0 && lt < 0) {
      attribute.value = decodeEntities(text.slice(valueStart, close));
      attribute.valueSpan = { start: valueStart, end: close };
      attribute.span.end = close + 1;
      return close + 1;
    }
    let end = lt < 0 ? text.length : lt;
    // Keep the value on its line: a newline before the next tag usually ends the half-typed value.
    const newline = text.slice(valueStart, end).search(/[\r\n]/);
    if (newline >= 0) end = valueStart + newline;
    attribute.value = decodeEntities(text.slice(valueStart, end));
    attribute.valueSpan = { start: valueStart, end };
    attribute.span.end = end;
    this.error(`The value of ${name} is not closed: ${String.fromCharCode(quote)} expected`, from, end);
    return end;
  }

  private declareNamespaces(attributes: XmlAttribute[]): Map<string, string> | undefined {
    let scope: Map<string, string> | undefined;
    for (const attribute of attributes) {
      if (attribute.name === 'xmlns') (scope ??= new Map()).set('', attribute.value ?? '');
      else if (attribute.name.startsWith('xmlns:')) (scope ??= new Map()).set(attribute.name.slice(6), attribute.value ?? '');
    }
    return scope;
  }

  private resolvePrefix(prefix: string, ownScope: Map<string, string> | undefined): string | undefined {
    if (prefix === 'xml') return XML_NAMESPACE;
    const own = ownScope?.get(prefix);
    if (own !== undefined) return own;
    const declared = this.inScope.get(prefix);
    return declared?.[declared.length - 1];
  }

  /** Opens an element: its content follows until its end tag. */
  private push(element: Element, scope: Map<string, string> | undefined): void {
    this.open.push(element);
    if (this.openCounts) this.countOpen(element.name, 1);
    this.scopes.push(scope);
    if (!scope) return;
    for (const [prefix, uri] of scope) {
      const uris = this.inScope.get(prefix);
      if (uris) uris.push(uri);
      else this.inScope.set(prefix, [uri]);
    }
    this.defaultNamespace = this.resolvePrefix('', undefined) ?? '';
  }

  /**
   * Whether an element of that name is open. Deep down it is counted rather than searched for:
   * a search per stray end tag would make many of them below deep nesting quadratic.
   */
  private isOpen(name: string): boolean {
    if (!this.openCounts) {
      if (this.open.length <= 64) return this.open.some((element) => element.name === name);
      this.openCounts = new Map();
      for (const element of this.open) this.countOpen(element.name, 1);
    }
    return (this.openCounts.get(name) ?? 0) > 0;
  }

  private countOpen(name: string, step: 1 | -1): void {
    this.openCounts!.set(name, (this.openCounts!.get(name) ?? 0) + step);
  }

  /** Closes the innermost open element, and ends the scope of its namespace declarations. */
  private pop(): Element {
    const element = this.open.pop()!;
    if (this.openCounts) this.countOpen(element.name, -1);
    const scope = this.scopes.pop();
    if (scope) {
      for (const prefix of scope.keys()) this.inScope.get(prefix)!.pop();
      this.defaultNamespace = this.resolvePrefix('', undefined) ?? '';
    }
    return element;
  }

  private endTag(): void {
    const text = this.text;
    const start = this.pos;
    const nameEnd = this.readName(start + 2);
    const name = this.nameAt(start + 2, nameEnd);
    let i = this.skipWhitespace(nameEnd);
    if (text.charCodeAt(i) === GT) i++;
    else this.error(`The end tag </${name}> is not finished: '>' expected`, start, i);
    this.pos = i;
    if (name === '') {
      this.error(`An end tag needs a name`, start, i);
      return;
    }
    let match = this.open.length - 1;
    if (match < 0 || this.open[match].name !== name) {
      if (!this.isOpen(name)) {
        this.error(`</${name}> closes nothing: no <${name}> is open`, start + 2, nameEnd);
        return;
      }
      while (this.open[match].name !== name) match--;
    }
    // Elements opened after the matching one were never closed: close them here.
    while (this.open.length - 1 > match) {
      const unclosed = this.pop();
      this.error(`<${unclosed.name}> is not closed before </${name}>`, unclosed.nameSpan.start, unclosed.nameSpan.end);
      unclosed.end = start;
    }
    const element = this.pop();
    element.endTagStart = start;
    element.end = i;
    // Nothing is appended to a closed element: trim the spare room pushing left in its list.
    if (element.children !== NO_CHILDREN && element.children.length < 16) element.children = element.children.slice();
    const parent = this.open[this.open.length - 1];
    if (parent) parent.end = Math.max(parent.end, i);
  }

  private processingInstruction(): void {
    const text = this.text;
    const start = this.pos;
    const targetEnd = this.readName(start + 2);
    const target = text.slice(start + 2, targetEnd);
    let end: number;
    let dataEnd: number;
    // Whichever comes first: the closing ?>, or a line that starts with a tag. One scan that
    // stops there keeps many instructions in one file linear.
    const closeOrTagLine = /\?>|[\r\n][ \t]*</g;
    closeOrTagLine.lastIndex = targetEnd;
    const found = closeOrTagLine.exec(text);
    if (found && found[0] === '?>') {
      dataEnd = found.index;
      end = found.index + 2;
    } else {
      // Unfinished: the instruction ends with its line rather than swallowing the tags below it.
      dataEnd = end = found ? found.index : text.length;
      this.error(`<?${target} is not finished: '?>' expected`, start, Math.max(targetEnd, start + 2));
    }
    if (target === '') this.error(`A processing instruction needs a name after '<?'`, start, start + 2);
    let dataStart = this.skipWhitespace(targetEnd);
    if (dataStart > dataEnd) dataStart = dataEnd;
    let trimmedEnd = dataEnd;
    while (trimmedEnd > dataStart && isWhitespace(text.charCodeAt(trimmedEnd - 1))) trimmedEnd--;
    this.pos = end;
    this.append({
      kind: 'pi',
      target,
      targetSpan: { start: start + 2, end: targetEnd },
      data: text.slice(dataStart, trimmedEnd),
      dataSpan: { start: dataStart, end: trimmedEnd },
      span: { start, end },
    });
  }

  private markupDeclaration(): void {
    const text = this.text;
    const start = this.pos;
    if (text.startsWith('<!--', start)) {
      const close = text.indexOf('-->', start + 4);
      const end = close < 0 ? text.length : close + 3;
      if (close < 0) this.error('The comment is not closed: --> expected', start, start + 4);
      const comment: XmlComment = { kind: 'comment', value: text.slice(start + 4, close < 0 ? text.length : close), span: { start, end } };
      this.comments.push(comment);
      this.append(comment);
      this.pos = end;
      return;
    }
    if (text.startsWith('<![CDATA[', start)) {
      const close = text.indexOf(']]>', start + 9);
      const end = close < 0 ? text.length : close + 3;
      if (close < 0) this.error('The CDATA section is not closed: ]]> expected', start, start + 9);
      if (this.open.length > 0) {
        this.append({ kind: 'text', value: text.slice(start + 9, close < 0 ? text.length : close), span: { start, end } });
      }
      this.pos = end;
      return;
    }
    // <!DOCTYPE …> and other declarations: skipped, internal subset included. Entity
    // declarations in it are deliberately ignored — never expanded, never fetched.
    let i = start + 2;
    let depth = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 91) depth++; // [
      else if (c === 93) depth--; // ]
      else if (c === QUOT || c === APOS) {
        const close = text.indexOf(String.fromCharCode(c), i + 1);
        if (close < 0) break;
        i = close;
      } else if (c === GT && depth <= 0) break;
      i++;
    }
    if (i >= text.length) this.error('The declaration is not closed', start, start + 2);
    this.pos = Math.min(i + 1, text.length);
  }
}

/** The start and end tags of one name, in text order, with the running nesting depth. */
interface TagsOfName {
  offsets: number[];
  /** Depth after each tag: +1 for a start tag that is not self-closing, -1 for an end tag. */
  depthAfter: number[];
  /** The lowest depthAfter from each tag to the last. */
  lowestFrom: number[];
}

function indexTags(text: string): Map<string, TagsOfName> {
  const index = new Map<string, TagsOfName>();
  const tag = /<(\/?)([A-Za-z_:\u0080-\uffff][\w.:\u0080-\uffff-]*)(?:[^<>]*?(\/?)>)?/g;
  for (let match = tag.exec(text); match; match = tag.exec(text)) {
    const step = match[1] === '/' ? -1 : match[3] === '/' ? 0 : 1;
    if (step === 0) continue;
    let tags = index.get(match[2]);
    if (!tags) index.set(match[2], (tags = { offsets: [], depthAfter: [], lowestFrom: [] }));
    tags.offsets.push(match.index);
    tags.depthAfter.push((tags.depthAfter[tags.depthAfter.length - 1] ?? 0) + step);
  }
  for (const tags of index.values()) {
    let lowest = Infinity;
    for (let i = tags.depthAfter.length - 1; i >= 0; i--) tags.lowestFrom[i] = lowest = Math.min(lowest, tags.depthAfter[i]);
  }
  return index;
}

/** A Map, not an object literal: `&constructor;` must not find Object.prototype.constructor. */
const PREDEFINED = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** One reference, tried at an '&' (sticky): a hexadecimal or decimal character reference, or an entity name. */
const REFERENCE = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));/y;

/**
 * Decodes the five predefined entities and character references; anything else stays as written.
 * A loop over the '&'s rather than a replace callback: millions of references in one text took
 * seconds and gigabytes that way.
 */
export function decodeEntities(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp < 0) return raw;
  const parts: string[] = [];
  let from = 0;
  for (; amp >= 0; amp = raw.indexOf('&', amp + 1)) {
    REFERENCE.lastIndex = amp;
    const match = REFERENCE.exec(raw);
    if (!match) continue;
    let decoded: string | undefined;
    if (match[3] !== undefined) decoded = PREDEFINED.get(match[3]);
    else {
      const code = match[1] !== undefined ? parseInt(match[1], 16) : parseInt(match[2], 10);
      if (code > 0 && code <= 0x10ffff) decoded = String.fromCodePoint(code);
    }
    if (decoded === undefined) continue;
    if (amp > from) parts.push(raw.slice(from, amp));
    parts.push(decoded);
    from = REFERENCE.lastIndex;
    amp = from - 1;
  }
  if (from === 0) return raw;
  if (from < raw.length) parts.push(raw.slice(from));
  return parts.join('');
}

/** The attribute of that name (case-sensitive, as in WiX). */
export function attr(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.getAttribute(name);
}

export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((node): node is XmlElement => node.kind === 'element');
}

/** Concatenated text content of the element's direct text children. */
export function innerText(element: XmlElement): string {
  let value = '';
  for (const child of element.children) if (child.kind === 'text') value += child.value;
  return value;
}
