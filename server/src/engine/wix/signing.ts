// Does a .wixproj sign the patch it builds? WiX has no target that signs a .msp: the Signing
// target of the WiX SDK (v4+ WixToolset.Signing.targets) and of WiX v3's wix.targets calls
// SignCabs/SignMsi for packages, SignMsm for merge modules and SignContainers/SignBundleEngine/
// SignBundle for bundles, and none of them for a patch. A patch is signed only by a step of the
// project's own: a target that runs signtool or an equivalent, in the project or in a file MSBuild
// imports into it (Directory.Build.props/.targets, <Import>).
//
// MSBuild is read here as it evaluates: files in import order, the last definition of a target
// wins, Directory.Build.* come in through Microsoft.Common.props/.targets (so SDK-style projects
// get them and WiX v3 projects, whose wix.targets imports neither, do not).

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { FileSystem } from '../fs';
import { globMatcher } from '../glob';
import { relativeWithSlashes, findExisting, toHostPath } from '../paths';
import type { Fix } from '../types';
import { attr, childElements, innerText, type XmlElement } from '../xml/parser';
import { indentUnit } from './edits';
import type { SourceCache, SourceFile } from './source';

export interface SigningStep {
  /** The file that holds it: the project, a Directory.Build.* file or an imported file. */
  file: string;
  source: SourceFile;
  /** The Exec or signing task, the Target (when only its name says it signs), or the PostBuildEvent property. */
  node: XmlElement;
  /** "target SignPatch in ../../Directory.Build.targets (AzureSignTool)" */
  description: string;
}

/** Signing authored where it never runs for a patch. */
export interface IneffectiveSigning extends SigningStep {
  /** A sentence saying why, e.g. "target SignMsi in Hotfix.wixproj (signtool) never runs for a patch: …". */
  explanation: string;
}

export interface SigningSetup {
  step?: SigningStep;
  ineffective: IneffectiveSigning[];
  /** Every MSBuild file read: the project and what it imports, for re-analysis when one changes. */
  files: string[];
}

/** The step that signs what the project builds, if any. */
export function findSigningStep(projectPath: string, fs: FileSystem, sources: SourceCache): SigningStep | undefined {
  return inspectSigning(projectPath, fs, sources).step;
}

/** The signing step, and signing that is authored but never runs for a patch (to explain a finding). */
export function inspectSigning(projectPath: string, fs: FileSystem, sources: SourceCache): SigningSetup {
  const project = sources.get(projectPath);
  const root = project?.xml.root;
  if (!project || !root || root.localName !== 'Project') return { ineffective: [], files: [] };
  const evaluation = new Evaluation(projectPath, fs, sources);
  evaluation.evaluateProject(project, root);
  return evaluation.analyse();
}

const MAX_IMPORT_DEPTH = 16;
const MAX_FILES = 200;

interface TargetDefinition {
  name: string;
  element?: XmlElement;
  source?: SourceFile;
  /** For the empty targets that imported build logic defines: who defines them. */
  standard?: string;
}

/** Targets that Microsoft.Common.CurrentVersion.targets defines empty for projects to override. */
const COMMON_EMPTY_TARGETS = ['BeforeBuild', 'AfterBuild', 'BeforeRebuild', 'AfterRebuild', 'BeforeClean', 'AfterClean', 'BeforeResolveReferences', 'AfterResolveReferences', 'BeforeCompile', 'AfterCompile', 'BeforePublish', 'AfterPublish'];
/** WiX's signing hooks, and which output makes WiX call each one. */
const WIX_SIGNING_HOOKS = new Map<string, 'package' | 'module' | 'bundle'>([
  ['signcabs', 'package'],
  ['signmsi', 'package'],
  ['signmsm', 'module'],
  ['signcontainers', 'bundle'],
  ['signbundleengine', 'bundle'],
  ['signbundle', 'bundle'],
]);
/** Targets WiX's Signing target runs for every output type, patches included, when SignOutput is true. */
const WIX_SIGNING_BRACKETS = new Set(['beforesigning', 'aftersigning']);
/** What WiX v3's wix.targets defines empty (it imports no Microsoft.Common.targets). */
const WIX3_EMPTY_TARGETS = ['BeforeBuild', 'AfterBuild', 'BeforeRebuild', 'AfterRebuild', 'BeforeClean', 'AfterClean', 'BeforeResolveReferences', 'AfterResolveReferences', 'BeforeCompileAndLink', 'AfterCompileAndLink', 'BeforeSigning', 'AfterSigning', 'SignMsm', 'SignCabs', 'SignMsi', 'SignContainers', 'SignBundleEngine', 'SignBundle'];

/** Commands that sign a file (a `verify` or `extract` run of the same tool does not). */
const SIGNING_COMMANDS: { pattern: RegExp; tool: string | (() => string) }[] = [
  { pattern: command('signtool', /\s+sign\b/), tool: 'signtool' },
  { pattern: command('azuresigntool', /\s+sign\b/), tool: 'AzureSignTool' },
  { pattern: command('osslsigncode', /(?!\s+(?:verify|extract-signature|remove-signature|extract-data)\b)/), tool: 'osslsigncode' },
  { pattern: command('jsign(?:-[\\d.]+)?', /(?!\s+(?:extract|remove|tag)\b)/), tool: 'jsign' },
  { pattern: /\bSet-AuthenticodeSignature\b/i, tool: 'Set-AuthenticodeSignature' },
  { pattern: command('sign', /\s+code\b/), tool: () => l10n.t('the Sign CLI') },
  { pattern: command('relic', /\s+sign\b/), tool: 'relic' },
  { pattern: command('signclient', /\s+sign\b/), tool: 'SignClient' },
  { pattern: command('smctl', /\s+sign\b/), tool: 'smctl' },
];
/** A script whose name says it signs (sign.ps1, Sign-Patch.cmd), not one that checks signatures. */
const SIGNING_SCRIPT = /(?:^|[\s"'\\/])(sign(?!ature)[\w.-]*\.(?:ps1|cmd|bat|sh))\b/i;

/** `name` as a program (optionally .exe/.cmd/.bat/.jar, optionally quoted) followed by `rest`. */
function command(name: string, rest: RegExp): RegExp {
  return new RegExp(`(?:^|[\\s"'\\\\/()=&|;])${name}(?:\\.exe|\\.cmd|\\.bat|\\.jar)?(?=["'\\s]|$)["']?${rest.source}`, 'i');
}

class Evaluation {
  /** Property values by lower-case name, as far as they can be known without running the build. */
  private readonly properties = new Map<string, string>();
  private readonly definitions: TargetDefinition[] = [];
  private readonly sources: SourceFile[] = [];
  private readonly postBuildEvents: { source: SourceFile; element: XmlElement }[] = [];
  private readonly visited = new Set<string>();
  private readonly projectFolder: string;
  private signOutputSomewhere = false;
  private directoryBuildProps = false;
  private directoryBuildTargets = false;

  constructor(
    private readonly projectPath: string,
    private readonly fs: FileSystem,
    private readonly cache: SourceCache,
  ) {
    this.projectFolder = path.dirname(projectPath);
  }

  evaluateProject(project: SourceFile, root: XmlElement): void {
    // <Project Sdk="…"> and <Sdk Name="…"/> import the SDK's props first and its targets last.
    const implicitSdk = Boolean(attr(root, 'Sdk')?.value?.trim()) || childElements(root).some((child) => child.localName === 'Sdk');
    if (implicitSdk) this.importDirectoryBuild('props', 0);
    this.visit(project, 0);
    if (implicitSdk) this.importCommonTargets(0, l10n.t('the SDK (Microsoft.Common.targets)'));
  }

  private visit(source: SourceFile, depth: number): void {
    const key = process.platform === 'win32' ? source.path.toLowerCase() : source.path;
    // MSBuild ignores a second import of the same file, which also ends import cycles.
    if (this.visited.has(key) || this.visited.size >= MAX_FILES) return;
    this.visited.add(key);
    this.sources.push(source);
    const root = source.xml.root;
    if (!root) return;
    for (const child of childElements(root)) this.visitElement(child, source, depth);
  }

  private visitElement(element: XmlElement, source: SourceFile, depth: number): void {
    switch (element.localName) {
      case 'PropertyGroup':
        for (const property of childElements(element)) this.setProperty(property, source, Boolean(attr(element, 'Condition') || attr(property, 'Condition')));
        break;
      case 'Choose':
        for (const branch of childElements(element)) {
          for (const child of childElements(branch)) {
            if (child.localName === 'PropertyGroup') for (const property of childElements(child)) this.setProperty(property, source, true);
            else if (child.localName === 'Choose') this.visitElement(child, source, depth);
          }
        }
        break;
      case 'Import':
        this.importElement(element, source, depth);
        break;
      case 'ImportGroup':
        for (const child of childElements(element)) if (child.localName === 'Import') this.importElement(child, source, depth);
        break;
      case 'Target': {
        const name = attr(element, 'Name')?.value?.trim();
        if (name) this.definitions.push({ name, element, source });
        break;
      }
    }
  }

  private setProperty(property: XmlElement, source: SourceFile, conditional: boolean): void {
    const lower = property.localName.toLowerCase();
    const value = this.expand(innerText(property).trim(), source).text;
    if (lower === 'postbuildevent' && value) this.postBuildEvents.push({ source, element: property });
    if (lower === 'signoutput' && value.toLowerCase() === 'true') this.signOutputSomewhere = true;
    // A conditional value (a default, or one configuration's) is taken only when nothing set the property before.
    if (!conditional || !this.properties.has(lower)) this.properties.set(lower, value);
  }

  private importElement(element: XmlElement, source: SourceFile, depth: number): void {
    const project = attr(element, 'Project')?.value?.trim();
    if (!project) return;
    if (attr(element, 'Sdk')?.value?.trim()) {
      if (/sdk\.props$/i.test(project)) this.importDirectoryBuild('props', depth);
      else if (/sdk\.targets$/i.test(project)) this.importCommonTargets(depth, l10n.t('the SDK (Microsoft.Common.targets)'));
      return;
    }
    const fileName = project.split(/[\\/]/).pop() ?? '';
    if (/^Microsoft\.Common\.props$/i.test(fileName)) {
      this.importDirectoryBuild('props', depth);
      return;
    }
    if (/^Microsoft\.(?:Common|Common\.CurrentVersion|CSharp|VisualBasic|FSharp)\.targets$/i.test(fileName)) {
      this.importCommonTargets(depth, fileName);
      return;
    }
    if (/\$\(WixTargetsPath\)/i.test(project) || /^wix(?:20\d\d|200x)?\.targets$/i.test(fileName)) {
      this.importWix3Targets(depth);
      return;
    }
    if (depth >= MAX_IMPORT_DEPTH) return;
    for (const file of this.resolveImport(project, source)) {
      const imported = this.cache.get(file);
      if (imported?.xml.root?.localName === 'Project') this.visit(imported, depth + 1);
    }
  }

  /** Microsoft.Common.targets: its empty BeforeBuild/AfterBuild replace earlier ones, then Directory.Build.targets. */
  private importCommonTargets(depth: number, label: string): void {
    this.importCustom('CustomBeforeMicrosoftCommonTargets', depth);
    for (const name of COMMON_EMPTY_TARGETS) this.definitions.push({ name, standard: label });
    this.importCustom('CustomAfterMicrosoftCommonTargets', depth);
    this.importDirectoryBuild('targets', depth);
  }

  /** WiX v3's wix.targets defines its hooks empty and imports neither Microsoft.Common.targets nor Directory.Build.*. */
  private importWix3Targets(depth: number): void {
    this.importCustom('CustomBeforeWixTargets', depth);
    for (const name of WIX3_EMPTY_TARGETS) this.definitions.push({ name, standard: 'wix.targets' });
    this.importCustom('CustomAfterWixTargets', depth);
  }

  /** Files named by CustomBefore…/CustomAfter… properties; the importing file is WiX's or MSBuild's, so only absolute paths resolve. */
  private importCustom(property: string, depth: number): void {
    const value = this.properties.get(property.toLowerCase());
    if (!value || value.includes('$(')) return;
    const file = findExisting(this.fs, toHostPath(value));
    const imported = file && path.isAbsolute(toHostPath(value)) ? this.cache.get(file) : undefined;
    if (imported?.xml.root?.localName === 'Project' && depth < MAX_IMPORT_DEPTH) this.visit(imported, depth + 1);
  }

  /** The first Directory.Build.props/.targets from the project folder up, as Microsoft.Common.props/.targets import it. */
  private importDirectoryBuild(kind: 'props' | 'targets', depth: number): void {
    if (kind === 'props' ? this.directoryBuildProps : this.directoryBuildTargets) return;
    if (kind === 'props') this.directoryBuildProps = true;
    else this.directoryBuildTargets = true;
    const switchName = kind === 'props' ? 'importdirectorybuildprops' : 'importdirectorybuildtargets';
    if (this.properties.get(switchName)?.toLowerCase() === 'false') return;
    const custom = this.properties.get(kind === 'props' ? 'directorybuildpropspath' : 'directorybuildtargetspath');
    const file = custom && !custom.includes('$(') ? findExisting(this.fs, path.resolve(this.projectFolder, toHostPath(custom))) : fileAbove(this.fs, this.projectFolder, `Directory.Build.${kind}`);
    const imported = file ? this.cache.get(file) : undefined;
    if (imported?.xml.root?.localName === 'Project' && depth < MAX_IMPORT_DEPTH) this.visit(imported, depth + 1);
  }

  /** The local files an Import names: relative to the importing file, with `*`/`?` in the file name; none when it needs the build. */
  private resolveImport(project: string, source: SourceFile): string[] {
    const expanded = this.expand(project, source);
    if (!expanded.complete || !expanded.text.trim()) return [];
    const full = path.resolve(source.folder, toHostPath(expanded.text.trim()));
    if (!/[*?]/.test(full)) {
      const found = findExisting(this.fs, full);
      return found ? [found] : [];
    }
    const folder = path.dirname(full);
    if (/[*?]/.test(folder)) return [];
    const matches = globMatcher(path.basename(full), { nocase: true, dot: true });
    return this.fs
      .readDirectory(folder)
      .filter((entry) => entry.isFile && matches(entry.name))
      .map((entry) => path.join(folder, entry.name))
      .sort();
  }

  /** Replaces $(Property) and the path functions Directory.Build files chain with; `complete` is false when something needs the build. */
  private expand(value: string, source: SourceFile): { text: string; complete: boolean } {
    let complete = true;
    let text = value.replace(/\$\(([A-Za-z_][\w.-]*)\)/g, (whole, name: string) => {
      const known = this.builtIn(name.toLowerCase(), source) ?? this.properties.get(name.toLowerCase());
      if (known === undefined) complete = false;
      return known ?? whole;
    });
    text = text.replace(/\$\(\[(MSBuild|System\.IO\.Path)\]::(\w+)\(([^()]*)\)\)/gi, (whole, type: string, name: string, rawArguments: string) => {
      const args = rawArguments.split(',').map((argument) => argument.trim().replace(/^(['`"])(.*)\1$/, '$2'));
      const result = this.callFunction(type.toLowerCase(), name.toLowerCase(), args, source);
      if (result === undefined) complete = false;
      return result ?? whole;
    });
    if (/[$@%]\(/.test(text)) complete = false;
    return { text, complete };
  }

  private callFunction(type: string, name: string, args: string[], source: SourceFile): string | undefined {
    if (args.some((argument) => /[$@%]\(/.test(argument))) return undefined;
    if (type === 'msbuild' && name === 'getpathoffileabove' && args[0]) {
      return fileAbove(this.fs, path.resolve(source.folder, toHostPath(args[1] || source.folder)), args[0]) ?? '';
    }
    if (type === 'msbuild' && name === 'getdirectorynameoffileabove' && args[1]) {
      const found = fileAbove(this.fs, path.resolve(source.folder, toHostPath(args[0] || source.folder)), args[1]);
      return found ? path.dirname(found) : '';
    }
    if (type === 'system.io.path' && name === 'combine' && args.length > 0) return path.join(...args.map(toHostPath));
    return undefined;
  }

  /** MSBuild's reserved properties; MSBuildThisFile… describe the file being read. */
  private builtIn(lower: string, source: SourceFile): string | undefined {
    const project = this.projectPath;
    switch (lower) {
      case 'msbuildthisfiledirectory':
        return source.folder + path.sep;
      case 'msbuildthisfile':
        return path.basename(source.path);
      case 'msbuildthisfilefullpath':
        return source.path;
      case 'msbuildthisfilename':
        return path.basename(source.path, path.extname(source.path));
      case 'msbuildthisfileextension':
        return path.extname(source.path);
      case 'msbuildprojectdirectory':
        return this.projectFolder;
      case 'projectdir':
        return this.projectFolder + path.sep;
      case 'msbuildprojectfullpath':
      case 'projectpath':
        return project;
      case 'msbuildprojectfile':
      case 'projectfilename':
        return path.basename(project);
      case 'msbuildprojectname':
      case 'projectname':
        return path.basename(project, path.extname(project));
      case 'msbuildprojectextension':
      case 'projectext':
        return path.extname(project);
      default:
        return undefined;
    }
  }

  analyse(): SigningSetup {
    const effective = new Map<string, TargetDefinition>();
    for (const definition of this.definitions) effective.set(definition.name.toLowerCase(), definition);
    const ineffective: IneffectiveSigning[] = [];
    const signing: SigningStep[] = [];
    const namedOnly: SigningStep[] = [];
    for (const definition of this.definitions) {
      const { element, source } = definition;
      if (!element || !source) continue;
      const evidence = this.evidence(element, source);
      const named = isSigningTargetName(definition.name) && doesSomething(element);
      if (!evidence && !named) continue;
      const lower = definition.name.toLowerCase();
      const step: SigningStep = {
        file: source.path,
        source,
        node: evidence?.node ?? element,
        description: evidence ? l10n.t('target {0} in {1} ({2})', definition.name, this.where(source), evidence.tool) : l10n.t('target {0} in {1}', definition.name, this.where(source)),
      };
      const last = effective.get(lower)!;
      const hook = WIX_SIGNING_HOOKS.get(lower);
      if (last !== definition) {
        const explanation = last.standard
          ? l10n.t('{0} never runs: {1}, imported after it, defines an empty {2} that replaces it (the last definition of a target wins); hook the step in with AfterTargets="Build" instead.', capitalize(step.description), last.standard, last.name)
          : l10n.t('{0} never runs: the {1} in {2} replaces it.', capitalize(step.description), last.name, this.where(last.source!));
        ineffective.push({ ...step, explanation });
      } else if (hook && !this.isWired(element, definition.name)) {
        const explanation =
          hook === 'package'
            ? l10n.t('{0} never runs for a patch: WiX calls {1} only when it builds a package (.msi).', capitalize(step.description), definition.name)
            : hook === 'module'
              ? l10n.t('{0} never runs for a patch: WiX calls {1} only when it builds a merge module (.msm).', capitalize(step.description), definition.name)
              : l10n.t('{0} never runs for a patch: WiX calls {1} only when it builds a bundle.', capitalize(step.description), definition.name);
        ineffective.push({ ...step, explanation });
      } else if (WIX_SIGNING_BRACKETS.has(lower) && !this.signOutputSomewhere && !this.isWired(element, definition.name)) {
        ineffective.push({ ...step, explanation: l10n.t('{0} runs only when SignOutput is true, and no file of the project sets it.', capitalize(step.description)) });
      } else if (evidence) signing.push(step);
      else namedOnly.push(step);
    }
    const postBuild = this.postBuildEvents.flatMap(({ source, element }) => {
      const tool = signingTool(this.expand(innerText(element), source).text);
      return tool ? [{ file: source.path, source, node: element, description: l10n.t('{0} in {1} ({2})', 'PostBuildEvent', this.where(source), tool) }] : [];
    });
    const step = signing[0] ?? postBuild[0] ?? namedOnly[0];
    return { ...(step ? { step } : {}), ineffective, files: this.sources.map((source) => source.path) };
  }

  /** The element of a target that signs: an Exec running a signing tool, or a task whose name says it signs. */
  private evidence(target: XmlElement, source: SourceFile): { node: XmlElement; tool: string } | undefined {
    for (const task of childElements(target)) {
      const name = task.localName;
      if (name === 'PropertyGroup' || name === 'ItemGroup' || name === 'OnError') continue;
      if (name.toLowerCase() === 'exec') {
        const tool = signingTool(this.expand(attr(task, 'Command')?.value ?? '', source).text);
        if (tool) return { node: task, tool };
      } else if (isSigningTaskName(name)) return { node: task, tool: l10n.t('{0} task', name) };
    }
    return undefined;
  }

  /**
   * Whether something makes a target run: its own AfterTargets/BeforeTargets, or its name in
   * another target's DependsOnTargets, a CallTarget/MSBuild Targets list, a *DependsOn property
   * or the project's InitialTargets/DefaultTargets. (Another target's AfterTargets naming it
   * runs that target after it, but does not make it run.)
   */
  private isWired(target: XmlElement, name: string): boolean {
    if (attr(target, 'AfterTargets')?.value?.trim() || attr(target, 'BeforeTargets')?.value?.trim()) return true;
    const lower = name.toLowerCase();
    const names = (value: string | undefined, source: SourceFile): boolean =>
      value !== undefined &&
      this.expand(value, source)
        .text.split(';')
        .some((entry) => entry.trim().toLowerCase() === lower);
    for (const source of this.sources) {
      const root = source.xml.root;
      if (!root) continue;
      if (names(attr(root, 'InitialTargets')?.value, source) || names(attr(root, 'DefaultTargets')?.value, source)) return true;
      const stack = [...childElements(root)];
      while (stack.length > 0) {
        const element = stack.pop()!;
        if (element === target) continue;
        if (element.localName === 'Target' && names(attr(element, 'DependsOnTargets')?.value, source)) return true;
        if ((element.localName === 'CallTarget' || element.localName === 'MSBuild') && names(attr(element, 'Targets')?.value, source)) return true;
        if (element.parent?.localName === 'PropertyGroup' && names(innerText(element), source)) return true;
        stack.push(...childElements(element));
      }
    }
    return false;
  }

  /** The file as the project's author finds it: its name next to the project, else a relative path. */
  private where(source: SourceFile): string {
    return relativeWithSlashes(this.projectFolder, source.path);
  }
}

/** The first `name` in the folder or one above it (case-insensitive, as on Windows). */
function fileAbove(fs: FileSystem, startFolder: string, name: string): string | undefined {
  let folder = startFolder;
  for (let level = 0; level < 64; level++) {
    const found = findExisting(fs, path.join(folder, name));
    if (found) return found;
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
  return undefined;
}

function signingTool(commandLine: string): string | undefined {
  for (const { pattern, tool } of SIGNING_COMMANDS) if (pattern.test(commandLine)) return typeof tool === 'string' ? tool : tool();
  const script = SIGNING_SCRIPT.exec(commandLine);
  return script ? l10n.t('script {0}', script[1]) : undefined;
}

/** Sign, SignPatch, sign_msp, Signing… but not SignatureCheck or Signal: checking a signature is not signing. */
function isSigningTargetName(name: string): boolean {
  return /^sign/i.test(name) && !/^sign(?:ature|al)/i.test(name);
}

/** A task whose name has the word Sign in it (SignFile, AzureSignTool, SignTool, CodeSign), split at camel case. */
function isSigningTaskName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.toLowerCase());
  return words.some((word) => word === 'sign' || word === 'signtool' || word === 'codesign' || word === 'signer');
}

/** A target with a task or with DependsOnTargets; an empty one (as WiX and MSBuild define their hooks) does nothing. */
function doesSomething(target: XmlElement): boolean {
  if (attr(target, 'DependsOnTargets')?.value?.trim()) return true;
  return childElements(target).some((child) => child.localName !== 'PropertyGroup' && child.localName !== 'ItemGroup');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// The quick fix: a SignPatch target after the build.

/** An RFC 3161 time-stamping service that signtool's /tr takes; CI can pass another. */
export const DEFAULT_TIMESTAMP_URL = 'http://timestamp.digicert.com';

/**
 * Fixes that add, before `</Project>`, properties for the thumbprint and the timestamp URL
 * (defaults that `/p:` on the command line overrides) and a SignPatch target that runs
 * `signtool sign /sha1 … /fd SHA256 /tr … /td SHA256` on the built patch after the build. One fix
 * per certificate, the first preferred; without a certificate, one with an empty thumbprint to fill
 * in. A project without its `</Project>` (being typed) gets none.
 */
export function signingTargetFixes(project: SourceFile, certificates: { sha1: string; description: string }[]): Fix[] {
  const root = project.xml.root;
  const endTag = root?.endTagSpan;
  if (!root || root.localName !== 'Project' || !endTag) return [];
  const lines = project.lines;
  const endLine = lines.positionAt(endTag.start).line;
  const rootIndent = lines.indentOf(lines.positionAt(root.span.start).line);
  const unit = indentUnit(project);
  const indent = rootIndent + unit;
  const eol = lines.eol;
  const targetName = freeTargetName(root, 'SignPatch');
  const patchFile = patchToSign(root);
  const spaced = /\n[ \t]*\r?\n[ \t]*<(?!\/)/.test(project.text.slice(root.startTagSpan.end, endTag.start));
  const build = (title: string, thumbprint: string, comment: string, isPreferred: boolean): Fix => {
    // The block is written with two-space steps; each becomes the file's own unit.
    const block = signingBlock(targetName, thumbprint, comment, patchFile).map((line) => indent + line.replace(/^(?: {2})+/, (steps) => unit.repeat(steps.length / 2)));
    const lineStart = lines.lineStart(endLine);
    const onOwnLine = project.text.slice(lineStart, endTag.start).trim() === '';
    // A file that keeps blank lines between its groups gets one before the block too.
    const separator = spaced && endLine > 0 && project.text.slice(lines.lineStart(endLine - 1), lines.lineEnd(endLine - 1)).trim() !== '' ? eol : '';
    const edit = onOwnLine
      ? { file: project.path, range: project.range({ start: lineStart, end: lineStart }), newText: separator + block.map((line) => line + eol).join('') }
      : { file: project.path, range: project.range({ start: endTag.start, end: endTag.start }), newText: eol + block.join(eol) + eol + rootIndent };
    return { title, ...(isPreferred ? { isPreferred: true } : {}), edits: [edit] };
  };
  const unique = certificates.filter((certificate, index) => certificates.findIndex((other) => other.sha1.toUpperCase() === certificate.sha1.toUpperCase()) === index);
  if (unique.length === 0) {
    return [
      build(
        l10n.t("Add a {0} target (signtool, SHA-256, timestamped); fill in your certificate's SHA-1 thumbprint", targetName),
        '',
        'Put here the SHA-1 thumbprint of your patch-signing certificate: one that the target products list in PatchCertificates (MsiPatchCertificate), installed in the certificate store of the machine that builds. CI can pass it with /p:PatchSigningCertificateThumbprint=...',
        false,
      ),
    ];
  }
  return unique.map((certificate, index) =>
    build(
      l10n.t('Add a {0} target (signtool, SHA-256, timestamped) with {1} (SHA-1 {2})', targetName, certificate.description, certificate.sha1.toUpperCase()),
      certificate.sha1.toUpperCase(),
      `${certificate.description}, a certificate the target products list in PatchCertificates. signtool finds it by thumbprint in the certificate store; CI can pass another with /p:PatchSigningCertificateThumbprint=...`,
      index === 0,
    ),
  );
}

/** What to sign: the built .msp; a project that is no WiX SDK patch project (WiX v3) leaves the .msp to pyro, so it names the file. */
interface PatchFile {
  /** The expression in the Exec command. */
  expression: string;
  /** For WiX v3: a property holding the path, with its default and a comment. */
  property?: { name: string; value: string; comment: string };
}

function patchToSign(root: XmlElement): PatchFile {
  const sdk = Boolean(attr(root, 'Sdk')?.value?.trim()) || everyElement(root).some((element) => element.localName === 'Sdk' || (element.localName === 'Import' && attr(element, 'Sdk')));
  const outputsPatch = everyElement(root).some((element) => element.localName === 'OutputType' && element.parent?.localName === 'PropertyGroup' && innerText(element).trim().toLowerCase() === 'patch');
  if (sdk || outputsPatch) return { expression: '$(TargetPath)' };
  // WiX v3's MSBuild targets build no .msp (OutputType is Package, Module, Library, Bundle or
  // PatchCreation): pyro makes it, in a step of the project's own whose output is the file to sign.
  const pyroOutput = findPyroOutput(root);
  return {
    expression: '$(PatchSigningFile)',
    property: {
      name: 'PatchSigningFile',
      value: pyroOutput ?? '$(TargetDir)$(TargetName).msp',
      comment: pyroOutput ? 'The patch that pyro writes.' : 'WiX v3 builds no .msp itself: put here the path of the patch that your pyro step writes.',
    },
  };
}

/** The -out of a pyro run in the project (a Pyro task's OutputFile, or `pyro … -out x.msp` in an Exec). */
function findPyroOutput(root: XmlElement): string | undefined {
  for (const element of everyElement(root)) {
    if (element.localName === 'Pyro') {
      const output = attr(element, 'OutputFile')?.value?.trim();
      if (output) return output;
    }
    if (element.localName === 'Exec') {
      const commandLine = attr(element, 'Command')?.value ?? '';
      const match = /\bpyro(?:\.exe)?["']?\s[\s\S]*?-out\s+(?:"([^"]+)"|(\S+))/i.exec(commandLine);
      if (match) return match[1] ?? match[2];
    }
  }
  return undefined;
}

function signingBlock(targetName: string, thumbprint: string, comment: string, patchFile: PatchFile): string[] {
  const condition = (name: string): string => `Condition="'$(${name})' == ''"`;
  const lines = [
    '<PropertyGroup>',
    `  <!-- ${commentText(comment)} -->`,
    `  <PatchSigningCertificateThumbprint ${condition('PatchSigningCertificateThumbprint')}>${escapeText(thumbprint)}</PatchSigningCertificateThumbprint>`,
    `  <PatchSigningTimestampUrl ${condition('PatchSigningTimestampUrl')}>${escapeText(DEFAULT_TIMESTAMP_URL)}</PatchSigningTimestampUrl>`,
  ];
  if (patchFile.property) {
    const { name, value, comment: fileComment } = patchFile.property;
    lines.push(`  <!-- ${commentText(fileComment)} -->`, `  <${name} ${condition(name)}>${escapeText(value)}</${name}>`);
  }
  lines.push('</PropertyGroup>', `<Target Name="${escapeAttribute(targetName)}" AfterTargets="Build">`);
  if (!thumbprint) lines.push(`  <Error Condition="'$(PatchSigningCertificateThumbprint)' == ''" Text="${escapeAttribute('Set PatchSigningCertificateThumbprint to the SHA-1 thumbprint of the certificate that signs the patch.')}" />`);
  const commandLine = `signtool.exe sign /sha1 $(PatchSigningCertificateThumbprint) /fd SHA256 /tr $(PatchSigningTimestampUrl) /td SHA256 "${patchFile.expression}"`;
  lines.push(`  <Exec Command="${escapeAttribute(commandLine)}" />`, '</Target>');
  return lines;
}

/** SignPatch, or SignPatch2… when the project already has a target of that name. */
function freeTargetName(root: XmlElement, wanted: string): string {
  const taken = new Set(
    everyElement(root)
      .filter((element) => element.localName === 'Target')
      .map((element) => attr(element, 'Name')?.value?.trim().toLowerCase()),
  );
  let name = wanted;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${wanted}${n}`;
  return name;
}

function everyElement(root: XmlElement): XmlElement[] {
  const all: XmlElement[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const element = stack.pop()!;
    all.push(element);
    stack.push(...childElements(element));
  }
  return all;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** XML comments cannot hold `--` (a subject may); nor end in `-`. */
function commentText(value: string): string {
  return value.replace(/--/g, '- -').replace(/-$/, '- ');
}
