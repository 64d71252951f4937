// The WiX preprocessor, as far as analysis needs it: variables, includes and conditional blocks.
// Conditions are evaluated with three values (true, false, unknown). A block whose condition
// cannot be decided here (it depends on a command-line or environment variable) is kept, and
// its elements carry the condition, so rules can say "inside <?if …?>" — see docs/preprocessor.md.

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { FileSystem } from '../fs';
import { findExisting, isAbsoluteAuthoredPath, toHostPath } from '../paths';
import type { Span } from '../types';
import type { XmlAttribute, XmlElement, XmlNode, XmlProcessingInstruction } from '../xml/parser';
import type { SourceCache, SourceFile } from './source';

/** A value after variable substitution; references that could not be resolved stay as written. */
export interface Resolved {
  value: string;
  unresolved: string[];
}

const NO_UNRESOLVED: readonly string[] = Object.freeze([]);

/**
 * Variables in effect at one point of one file. Elements share it until a `<?define?>` changes
 * the variables, so substitution can wait until a rule asks for a value.
 */
export class SubstitutionScope {
  constructor(
    readonly variables: Pick<ReadonlyMap<string, string>, 'get'>,
    readonly source: SourceFile | undefined,
    private readonly options: Pick<PreprocessOptions, 'currentDirectory' | 'platform'>,
  ) {}

  /** Replaces $(var.X), $(X), $(sys.X); $$ escapes a dollar. Unknown references stay as written. */
  substitute(raw: string): Resolved {
    if (raw.indexOf('$') < 0) return { value: raw, unresolved: NO_UNRESOLVED as string[] };
    const unresolved: string[] = [];
    const value = raw.replace(/\$\$|\$\(([^()]*)\)/g, (whole, reference: string | undefined) => {
      if (reference === undefined) return '$';
      const resolved = this.lookup(reference.trim());
      if (resolved === undefined) {
        unresolved.push(whole);
        return whole;
      }
      return resolved;
    });
    return { value, unresolved };
  }

  lookup(reference: string): string | undefined {
    const dot = reference.indexOf('.');
    const namespace = dot < 0 ? 'var' : reference.slice(0, dot).toLowerCase();
    const name = dot < 0 ? reference : reference.slice(dot + 1);
    if (namespace === 'var') return this.variables.get(name);
    if (namespace !== 'sys') return undefined;
    return systemVariable(name, this.source, this.options);
  }
}

/** Shared by every element without children (most of a harvested source); addChild replaces it. */
const NO_CHILDREN: WixElement[] = Object.freeze([]) as unknown as WixElement[];

export class WixElement {
  /** Written through addChild only. */
  children: WixElement[] = NO_CHILDREN;
  /** Local name: `Package`, `Property`… (WiX elements are told apart by namespace, not prefix). */
  readonly name: string;
  /** Only values that needed substitution are kept. */
  private resolvedCache?: Map<string, Resolved>;
  private textCache?: Resolved;
  private descendantsCache?: WixElement[];

  constructor(
    readonly xml: XmlElement,
    readonly source: SourceFile,
    readonly parent: WixElement | undefined,
    /** The undecided preprocessor conditions this element depends on, e.g. `<?ifdef Debug?>`. */
    readonly condition: string | undefined,
    private readonly scope: SubstitutionScope,
  ) {
    this.name = xml.localName;
  }

  get namespaceUri(): string {
    return this.xml.namespaceUri;
  }

  addChild(child: WixElement): void {
    if (this.children === NO_CHILDREN) this.children = [child];
    else this.children.push(child);
  }

  attribute(name: string): XmlAttribute | undefined {
    return this.xml.getAttribute(name);
  }

  /** Attribute value after preprocessor substitution. */
  value(name: string): string | undefined {
    // Most values hold no reference: answered without building a Resolved (linking and the
    // rules ask this of thousands of elements).
    const raw = this.attribute(name);
    if (!raw) return undefined;
    const value = raw.value ?? '';
    return value.indexOf('$') < 0 ? value : this.resolved(name)?.value;
  }

  resolved(name: string): Resolved | undefined {
    const cached = this.resolvedCache?.get(name);
    if (cached) return cached;
    const attribute = this.attribute(name);
    if (!attribute) return undefined;
    const raw = attribute.value ?? '';
    if (raw.indexOf('$') < 0) return { value: raw, unresolved: NO_UNRESOLVED as string[] };
    const resolved = this.scope.substitute(raw);
    (this.resolvedCache ??= new Map()).set(name, resolved);
    return resolved;
  }

  /** Inner text after substitution (`<Property Id="X">1</Property>`), trimmed. */
  get text(): Resolved {
    if (!this.textCache) {
      let raw = '';
      for (const node of this.xml.children) if (node.kind === 'text') raw += node.value;
      const resolved = this.scope.substitute(raw);
      this.textCache = { value: resolved.value.trim(), unresolved: resolved.unresolved };
    }
    return this.textCache;
  }

  get nameSpan(): Span {
    return this.xml.nameSpan;
  }

  /** Set by the preprocessor, which creates elements in document order anyway (see Preprocessor.inOrder). */
  setDescendants(descendants: WixElement[]): void {
    this.descendantsCache = descendants;
  }

  /** Every element below this one, in document order. */
  descendants(): WixElement[] {
    if (!this.descendantsCache) {
      const all: WixElement[] = [];
      const stack: WixElement[] = [...this.children].reverse();
      while (stack.length > 0) {
        const element = stack.pop()!;
        all.push(element);
        for (let i = element.children.length - 1; i >= 0; i--) stack.push(element.children[i]);
      }
      this.descendantsCache = all;
    }
    return this.descendantsCache;
  }

  ancestor(localName: string): WixElement | undefined {
    for (let current = this.parent; current; current = current.parent) if (current.name === localName) return current;
    return undefined;
  }
}

export interface PreprocessorNotice {
  source: SourceFile;
  span: Span;
  message: string;
}

export interface PreprocessOptions {
  fs: FileSystem;
  sources: SourceCache;
  /** Variables known before the file starts: the project's DefineConstants. */
  defines: Map<string, string>;
  includeSearchPaths: string[];
  /** Folder MSBuild runs the compiler in ($(sys.CURRENTDIR)); unknown without a project. */
  currentDirectory?: string;
  platform?: string;
}

export interface PreprocessedFile {
  source: SourceFile;
  /** The `<Wix>` root (or `<Include>` when a .wxi is analysed on its own). */
  root?: WixElement;
  /** Files read through `<?include?>`, in order. */
  includes: string[];
  notices: PreprocessorNotice[];
}

type Truth = true | false | undefined;

interface ConditionalFrame {
  /** Whether the current branch is compiled: true, false or unknown. */
  active: Truth;
  /** Whether some earlier branch of this block was taken. */
  taken: Truth;
  text: string;
  /** After its <?else?>: a further <?else?> (an error WiX reports) must not wrap the text again. */
  inElse?: boolean;
  /** What this block and the ones around it decide for the nodes inside: set by `settle`. */
  state?: { skip: boolean; condition: string | undefined };
}

const MAX_INCLUDE_DEPTH = 32;
/** The instructions that open, switch or close a conditional block. */
const CONDITIONAL_TARGETS = new Set(['if', 'ifdef', 'ifndef', 'elseif', 'else', 'endif', 'foreach', 'endforeach']);
/**
 * Elements and instructions one source may take in through includes, and include instructions
 * it may resolve (each looks on disk). Each include is spliced in again wherever it is named, so
 * a few lines that include a file thousands of times, or includes that each include the next one
 * twice, would otherwise expand without bound.
 */
export const MAX_INCLUDED_NODES = 50_000;
export const MAX_INCLUDE_INSTRUCTIONS = 5_000;
/** Longer include paths are not looked up: no file has one (Linux's PATH_MAX), and resolving it again at every inclusion is slow. */
const MAX_INCLUDE_PATH = 4096;
/**
 * WiX's schema nests a few dozen levels at most. Deeper elements are left out of the tree, so no
 * recursive walk of it (here, in linking, the model, the rules) can exhaust the stack on a hostile file.
 */
export const MAX_ELEMENT_DEPTH = 500;

export function preprocess(source: SourceFile, options: PreprocessOptions): PreprocessedFile {
  return new Preprocessor(options).run(source);
}

class Preprocessor {
  /** Replaced, never changed in place: elements keep the scope that was current where they stand. */
  private variables: VariablesAt;
  private readonly variableHistory: VariableHistory;
  private scope?: SubstitutionScope;
  /** Names removed by <?undef?>: not defined, whatever the command line said. */
  private readonly undefinedNames = new Set<string>();
  private readonly includeStack: string[] = [];
  private readonly includes: string[] = [];
  private readonly notices: PreprocessorNotice[] = [];
  /** Elements and instructions taken in through includes, and include instructions met, so far (see MAX_INCLUDED_NODES). */
  private includedNodes = 0;
  private includeInstructions = 0;
  private includeBudgetSpent = false;
  /** Every element created, in document order: the descendants of an element follow it. */
  private readonly inOrder: WixElement[] = [];
  /** Elements being built, from the root down to the current one. */
  private depth = 0;
  private reportedDepth = false;

  constructor(private readonly options: PreprocessOptions) {
    this.variableHistory = new VariableHistory(options.defines);
    this.variables = this.variableHistory.current();
  }

  run(source: SourceFile): PreprocessedFile {
    const rootXml = source.xml.root;
    if (!rootXml) return { source, includes: [], notices: [] };
    this.includeStack.push(source.path);
    // Instructions before the root (<?define?>, <?include Config.wxi?>) apply to the whole file.
    const prolog = source.xml.children.filter((node) => node.kind === 'pi' && node.span.start < rootXml.span.start);
    if (prolog.length > 0) this.nodes(prolog, source, new WixElement(rootXml, source, undefined, undefined, this.scopeFor(source)), undefined);
    const root = this.element(rootXml, source, undefined, undefined);
    this.includeStack.pop();
    return { source, root, includes: this.includes, notices: this.notices };
  }

  private element(xml: XmlElement, source: SourceFile, parent: WixElement | undefined, condition: string | undefined): WixElement {
    const element = new WixElement(xml, source, parent, condition, this.scopeFor(source));
    const first = this.inOrder.push(element);
    if (this.includeStack.length > 1) this.includedNodes++;
    if (xml.children.length === 0) return element;
    if (this.depth >= MAX_ELEMENT_DEPTH) {
      if (!this.reportedDepth) {
        this.reportedDepth = true;
        this.notices.push({ source, span: xml.nameSpan, message: l10n.t('Elements are nested more than {0} levels deep here; wix-uac does not analyse what lies deeper.', MAX_ELEMENT_DEPTH) });
      }
      return element;
    }
    this.depth++;
    this.nodes(xml.children, source, element, condition);
    this.depth--;
    // Its children are all in: trim the spare room pushing left in the list.
    if (element.children.length > 1 && element.children.length < 16) element.children = element.children.slice();
    // Linking and the model walk each section (a child of the root): its elements are the ones created since.
    if (this.depth === 1) element.setDescendants(this.inOrder.slice(first));
    return element;
  }

  private scopeFor(source: SourceFile): SubstitutionScope {
    if (!this.scope || this.scope.source !== source || this.scope.variables !== this.variables) {
      this.scope = new SubstitutionScope(this.variables, source, this.options);
    }
    return this.scope;
  }

  private setVariable(name: string, value: string | undefined): void {
    this.variables = this.variableHistory.set(name, value);
  }

  /** Walks one list of siblings; conditional blocks nest within a list, as WiX requires. */
  private nodes(nodes: XmlNode[], source: SourceFile, parent: WixElement, inherited: string | undefined): void {
    if (!nodes.some(isInstruction)) {
      // Most lists hold no instruction (a Component's File and RegistryValue): every element is
      // kept, under the conditions around the list. Indexed, as this runs for every element.
      for (let i = 0; i < nodes.length; i++) {
        const node = nodes[i];
        if (node.kind === 'element') parent.addChild(this.element(node, source, parent, inherited));
      }
      return;
    }
    const frames: ConditionalFrame[] = [];
    const foreachVariables: string[] = [];
    const outside = { skip: false, condition: inherited };
    const state = (): { skip: boolean; condition: string | undefined } => (frames.length === 0 ? outside : frames[frames.length - 1].state!);
    // Each block keeps what it and the blocks around it decide, so neither thousands of elements
    // nor thousands of open <?if?>s make every node walk all the blocks (or join their texts again).
    const [before, between, after] = conjunctionParts();
    const settle = (frame: ConditionalFrame, around: { skip: boolean; condition: string | undefined }): void => {
      const condition = frame.active !== undefined ? around.condition : around.condition ? before + around.condition + between + frame.text + after : frame.text;
      frame.state = { skip: around.skip || frame.active === false, condition: around.skip ? around.condition : condition };
    };
    for (const node of nodes) {
      if (node.kind === 'pi') {
        if (this.includeStack.length > 1) this.includedNodes++;
        this.instruction(node, source, parent, frames, foreachVariables, state);
        // An opening instruction pushed a block, an <?else?> changed one: only the innermost.
        if (CONDITIONAL_TARGETS.has(node.target) && frames.length > 0) settle(frames[frames.length - 1], frames.length > 1 ? frames[frames.length - 2].state! : outside);
        continue;
      }
      if (node.kind !== 'element') continue;
      const { skip, condition } = state();
      if (skip) continue;
      parent.addChild(this.element(node, source, parent, condition));
    }
    if (frames.length > 0) {
      const last = nodes[nodes.length - 1];
      this.notices.push({ source, span: last ? last.span : parent.xml.nameSpan, message: l10n.t('{0} <?if?> block(s) are not closed with <?endif?>', frames.length) });
    }
  }

  private instruction(
    pi: XmlProcessingInstruction,
    source: SourceFile,
    parent: WixElement,
    frames: ConditionalFrame[],
    foreachVariables: string[],
    state: () => { skip: boolean; condition: string | undefined },
  ): void {
    const describe = `<?${pi.target}${pi.data ? ' ' + pi.data : ''}?>`;
    switch (pi.target) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const truth = this.evaluateOpening(pi, source);
        frames.push({ active: truth, taken: truth, text: describe });
        return;
      }
      case 'elseif': {
        const frame = frames[frames.length - 1];
        if (!frame) return this.stray(pi, source);
        const truth = frame.taken === true ? false : this.evaluate(pi.data, source);
        frame.active = frame.taken === false ? truth : frame.taken === true ? false : truth === false ? false : undefined;
        frame.taken = frame.taken === true || truth === true ? true : frame.taken === false && truth === false ? false : undefined;
        frame.text = describe;
        frame.inElse = false;
        return;
      }
      case 'else': {
        const frame = frames[frames.length - 1];
        if (!frame) return this.stray(pi, source);
        frame.active = frame.taken === undefined ? undefined : !frame.taken;
        frame.taken = true;
        // Wrapping again at each of thousands of <?else?>s made the text, and the time, grow quadratically.
        if (!frame.inElse) frame.text = l10n.t('<?else?> of {0}', frame.text);
        frame.inElse = true;
        return;
      }
      case 'endif':
        if (!frames.pop()) this.stray(pi, source);
        return;
      case 'foreach': {
        // The body is kept once, with the loop variable unknown.
        const name = /^(\w+)/.exec(pi.data)?.[1];
        if (name) {
          foreachVariables.push(name);
          this.setVariable(name, undefined);
        }
        frames.push({ active: true, taken: true, text: describe });
        return;
      }
      case 'endforeach':
        foreachVariables.pop();
        if (!frames.pop()) this.stray(pi, source);
        return;
    }
    if (state().skip) return;
    switch (pi.target) {
      case 'define': {
        const match = /^([A-Za-z_][\w.]*)\s*(?:=\s*(.*))?$/s.exec(pi.data);
        if (!match) {
          this.notices.push({ source, span: pi.span, message: l10n.t('Cannot read {0}: expected {1}', describe, '<?define Name = "value"?>') });
          return;
        }
        const raw = (match[2] ?? '').trim().replace(/^"(.*)"$/s, '$1');
        this.setVariable(match[1], this.substitute(raw, source).value);
        this.undefinedNames.delete(match[1]);
        return;
      }
      case 'undef': {
        const name = pi.data.trim().replace(/^var\./, '');
        this.setVariable(name, undefined);
        this.undefinedNames.add(name);
        return;
      }
      case 'include':
        this.include(pi, source, parent, state().condition);
        return;
    }
  }

  private stray(pi: XmlProcessingInstruction, source: SourceFile): void {
    this.notices.push({ source, span: pi.span, message: l10n.t('{0} without a matching opening instruction', `<?${pi.target}?>`) });
  }

  private evaluateOpening(pi: XmlProcessingInstruction, source: SourceFile): Truth {
    if (pi.target === 'if') return this.evaluate(pi.data, source);
    const defined = this.isDefined(pi.data.trim(), source);
    return pi.target === 'ifdef' ? defined : defined === undefined ? undefined : !defined;
  }

  /** `<?ifdef Name?>` also takes `var.Name`, `sys.Name` and `env.Name`. */
  private isDefined(reference: string, source: SourceFile): Truth {
    if (this.lookup(reference, source) !== undefined) return true;
    if (this.undefinedNames.has(reference.replace(/^var\./, ''))) return false;
    // A name not defined in the sources may still come from the command line or the environment.
    return undefined;
  }

  private include(pi: XmlProcessingInstruction, source: SourceFile, parent: WixElement, condition: string | undefined): void {
    if (this.includedNodes >= MAX_INCLUDED_NODES || this.includeInstructions >= MAX_INCLUDE_INSTRUCTIONS) {
      if (!this.includeBudgetSpent) {
        this.includeBudgetSpent = true;
        this.notices.push({ source, span: pi.dataSpan, message: l10n.t('The includes expand to more than {0} elements and instructions or {1} includes; this include and the ones after it are not followed', MAX_INCLUDED_NODES, MAX_INCLUDE_INSTRUCTIONS) });
      }
      return;
    }
    this.includeInstructions++;
    // Checked before and after substitution: each inclusion of the file holding it does this again.
    const tooLong = (length: number): boolean => {
      if (length <= MAX_INCLUDE_PATH) return false;
      this.notices.push({ source, span: pi.dataSpan, message: l10n.t('The include path is {0} characters long; no file has such a path', length) });
      return true;
    };
    if (tooLong(pi.data.length)) return;
    const authored = this.substitute(pi.data.trim().replace(/^"(.*)"$/, '$1'), source);
    if (authored.unresolved.length > 0) {
      this.notices.push({ source, span: pi.dataSpan, message: l10n.t('Cannot resolve {0} in the include path; its content is not analysed', authored.unresolved.join(', ')) });
      return;
    }
    if (tooLong(authored.value.length)) return;
    const target = this.resolveInclude(authored.value, source);
    if (!target) {
      this.notices.push({ source, span: pi.dataSpan, message: l10n.t('Include file not found: {0}', authored.value) });
      return;
    }
    if (this.includeStack.includes(target)) {
      this.notices.push({ source, span: pi.dataSpan, message: l10n.t('{0} includes itself (directly or through other includes); not followed', authored.value) });
      return;
    }
    // The stack holds the compiled source too: its length is the depth of the include to come.
    if (this.includeStack.length > MAX_INCLUDE_DEPTH) {
      this.notices.push({ source, span: pi.dataSpan, message: l10n.t('{0} is not followed: wix-uac follows includes up to {1} levels deep', authored.value, MAX_INCLUDE_DEPTH) });
      return;
    }
    const included = this.options.sources.get(target);
    if (!included) {
      this.notices.push({ source, span: pi.dataSpan, message: l10n.t('Cannot read include file {0}', target) });
      return;
    }
    this.includes.push(target);
    const root = included.xml.root;
    if (!root) return;
    this.includeStack.push(target);
    // The <Include> root's children take the place of the instruction.
    this.nodes(root.localName === 'Include' ? root.children : [root], included, parent, condition);
    this.includeStack.pop();
  }

  private resolveInclude(authored: string, source: SourceFile): string | undefined {
    const hostPath = toHostPath(authored);
    if (isAbsoluteAuthoredPath(authored)) return findExisting(this.options.fs, hostPath);
    for (const folder of [source.folder, ...this.options.includeSearchPaths]) {
      const found = findExisting(this.options.fs, path.resolve(folder, hostPath));
      if (found) return found;
    }
    return undefined;
  }

  substitute(raw: string, source: SourceFile): Resolved {
    return this.scopeFor(source).substitute(raw);
  }

  private lookup(reference: string, source: SourceFile): string | undefined {
    return this.scopeFor(source).lookup(reference);
  }

  /** Three-valued evaluation of an <?if?> expression. */
  evaluate(expression: string, source: SourceFile): Truth {
    try {
      const parser = new ConditionParser(tokenize(expression), (reference) => this.lookupOperand(reference, source));
      const result = parser.parseExpression();
      return parser.atEnd() ? result : undefined;
    } catch {
      return undefined;
    }
  }

  private lookupOperand(token: string, source: SourceFile): string | undefined {
    if (token.startsWith('$(')) {
      const resolved = this.substitute(token, source);
      return resolved.unresolved.length > 0 ? undefined : resolved.value;
    }
    return token;
  }
}

function isInstruction(node: XmlNode): boolean {
  return node.kind === 'pi';
}

/**
 * The variables of one walk through a file and its includes, kept as each name's history of
 * values: a `<?define?>` or `<?undef?>` appends to it, and a point of the walk is a version
 * number. Elements keep the version current where they stand. (Copying every variable on each
 * define, so that elements could keep a map, made thousands of defines quadratic.)
 */
class VariableHistory {
  private version = 0;
  private readonly histories = new Map<string, { versions: number[]; values: Array<string | undefined> }>();

  constructor(defines: Iterable<[string, string]>) {
    for (const [name, value] of defines) this.record(name, value);
  }

  /** A new value (undefined: removed); returns the variables from then on. */
  set(name: string, value: string | undefined): VariablesAt {
    this.version++;
    this.record(name, value);
    return this.current();
  }

  current(): VariablesAt {
    return new VariablesAt(this, this.version);
  }

  valueAt(name: string, version: number): string | undefined {
    const history = this.histories.get(name);
    if (!history) return undefined;
    // The last value recorded at or before `version`.
    let low = 0;
    let high = history.versions.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (history.versions[middle] <= version) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? undefined : history.values[low - 1];
  }

  private record(name: string, value: string | undefined): void {
    let history = this.histories.get(name);
    if (!history) this.histories.set(name, (history = { versions: [], values: [] }));
    history.versions.push(this.version);
    history.values.push(value);
  }
}

/** The variables at one point of the walk. */
class VariablesAt {
  constructor(private readonly history: VariableHistory, private readonly version: number) {}

  get(name: string): string | undefined {
    return this.history.valueAt(name, this.version);
  }
}

/**
 * What `l10n.t('{0} and {1}')` puts before, between and after the two conditions it joins, so a
 * longer condition is built by concatenation instead of formatting an ever longer text.
 */
function conjunctionParts(): [string, string, string] {
  const joined = l10n.t('{0} and {1}', '\u0001', '\u0002');
  const first = joined.indexOf('\u0001');
  const second = joined.indexOf('\u0002');
  return first >= 0 && second > first ? [joined.slice(0, first), joined.slice(first + 1, second), joined.slice(second + 1)] : ['', ' and ', ''];
}

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(\$\([^()]*\)|"[^"]*"|'[^']*'|~=|!=|<=|>=|=|<|>|\(|\)|[^\s=!<>~()"]+)/gy;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(expression))) {
    tokens.push(match[1]);
    consumed = pattern.lastIndex;
  }
  if (expression.slice(consumed).trim() !== '') throw new Error('unreadable condition');
  return tokens;
}

const COMPARISONS = new Set(['=', '!=', '~=', '<', '>', '<=', '>=']);

class ConditionParser {
  private index = 0;

  constructor(private readonly tokens: string[], private readonly lookup: (token: string) => string | undefined) {}

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  parseExpression(): Truth {
    let left = this.parseAnd();
    while (this.peekKeyword('or')) {
      this.index++;
      const right = this.parseAnd();
      left = left === true || right === true ? true : left === false && right === false ? false : undefined;
    }
    return left;
  }

  private parseAnd(): Truth {
    let left = this.parseNot();
    while (this.peekKeyword('and')) {
      this.index++;
      const right = this.parseNot();
      left = left === false || right === false ? false : left === true && right === true ? true : undefined;
    }
    return left;
  }

  private parseNot(): Truth {
    if (this.peekKeyword('not')) {
      this.index++;
      const value = this.parseNot();
      return value === undefined ? undefined : !value;
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Truth {
    const token = this.tokens[this.index++];
    if (token === undefined) throw new Error('condition ends early');
    if (token === '(') {
      const value = this.parseExpression();
      if (this.tokens[this.index++] !== ')') throw new Error('unbalanced parenthesis');
      return value;
    }
    const left = this.operand(token);
    const operator = this.tokens[this.index];
    if (!operator || !COMPARISONS.has(operator)) return undefined; // A bare operand decides nothing here.
    this.index++;
    const rightToken = this.tokens[this.index++];
    if (rightToken === undefined) throw new Error('comparison without right side');
    const right = this.operand(rightToken);
    if (left === undefined || right === undefined) return undefined;
    return compare(left, operator, right);
  }

  private operand(token: string): string | undefined {
    if (/^(["']).*\1$/s.test(token)) return token.slice(1, -1);
    return this.lookup(token);
  }

  private peekKeyword(keyword: string): boolean {
    return this.tokens[this.index]?.toLowerCase() === keyword;
  }
}

function compare(left: string, operator: string, right: string): Truth {
  switch (operator) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '~=':
      return left.toLowerCase() === right.toLowerCase();
  }
  const a = Number(left);
  const b = Number(right);
  if (left.trim() === '' || right.trim() === '' || Number.isNaN(a) || Number.isNaN(b)) return undefined;
  switch (operator) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

function systemVariable(name: string, source: SourceFile | undefined, options: Pick<PreprocessOptions, 'currentDirectory' | 'platform'>): string | undefined {
  switch (name.toUpperCase()) {
    case 'SOURCEFILEDIR':
      return source ? source.folder + path.sep : undefined;
    case 'SOURCEFILEPATH':
      return source?.path;
    case 'CURRENTDIR':
      return options.currentDirectory ? options.currentDirectory + path.sep : undefined;
    case 'PLATFORM':
    case 'BUILDARCH':
      return options.platform;
    default:
      return undefined;
  }
}
