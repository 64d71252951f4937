// The pipeline: files → compilation units → preprocessed sources → linked packages → model →
// rules → findings, then configuration and inline suppression.

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { AnalysisResult, AnalyzeOptions, InspectOptions, Notice } from './api';
import { certificateSizeProblem, parseCertificate, type CertificateReadResult } from './certificates';
import { ConfigResolver, effectiveSeverity, isIgnored, type LoadedConfig } from './config';
import type { FileSystem } from './fs';
import { hoverAt } from './hovers';
import { databaseLenses, patchSourceLenses, productLenses } from './lenses';
import { readIdtDatabase } from './package/idt';
import { inspectDatabase, inspectStreams, type PackageInspection } from './package/inspect';
import { productsByCode, type TargetsByCode } from './package/trust';
import { buildDatabaseModel, type DatabaseModel } from './package/model';
import { listPackageStreams } from './package/msi-database';
import { readPackage, withCompoundFile, type PackageReadResult } from './package/reader';
import { analyzeRestricted } from './restricted';
import type { DatabaseFindingDraft, FindingDraft, Rule, RuleContext, SourceFindingDraft, UnreadablePackage, WorkspaceCertificate, XmlFindingDraft } from './rules/rule';
import { rules } from './rules';
import { Suppressions, suppressNextLineFix } from './suppression';
import { decodeXmlBytes, LineIndex } from './text';
import { mayBeSdpManifest, readSdpManifests, type SdpManifest } from './manifest/sdp';
import type { Finding, Lens, Range } from './types';
import { link, sectionsOf } from './wix/link';
import { buildBundle, buildProduct, type BundleModel, type ProductModel } from './wix/model';
import { preprocess, type WixElement } from './wix/preprocessor';
import { patchReferences, type PatchReference } from './patch-references';
import { buildPatches, type PatchInputs, type PatchModel } from './wix/patch';
import { collectFiles, compilationUnits, type CompilationUnit, type WixProject, type WorkspaceFiles } from './wix/project';
import { SourceCache, WIX_V3_NAMESPACE, type SourceFile } from './wix/source';

export interface EngineOptions {
  /** Clock for certificate validity checks; tests pin it. */
  now?: () => Date;
  /** The rules to run; every rule by default. Tests add a faulty one to see that it is contained. */
  rules?: readonly Rule[];
  /**
   * Told about each exception the engine contained (a rule's check, the status lines, a hover),
   * with its stack, for the adapter's log; users see an internal-error finding instead.
   */
  onInternalError?: (what: string, error: unknown) => void;
}

type Draft = FindingDraft & {
  ruleId: string;
  defaultSeverity: Finding['severity'];
};

/** Databases read for one analysis: packages (cached by file version) and .idt folders. */
interface Databases {
  models: DatabaseModel[];
  unreadable: UnreadablePackage[];
  /** The files they were read from (packages and .idt files), for the analysed-file list. */
  files: string[];
}

interface Models {
  files: WorkspaceFiles;
  notices: Notice[];
  products: ProductModel[];
  bundles: BundleModel[];
  manifests: SdpManifest[];
  patchEntries: PatchInputs['entries'];
  projects: Map<string, WixProject>;
  /** Preprocessed <Wix> roots of each unit, linked or not. */
  unitRoots: { unit: CompilationUnit; roots: WixElement[] }[];
  databases: Databases;
  /** Sources and includes that were read. */
  analysed: Set<string>;
}

export class Engine {
  private readonly sources: SourceCache;
  private readonly configs: ConfigResolver;
  private readonly certificates = new Map<string, { version: string; result: CertificateReadResult }>();
  private readonly packages = new Map<string, { version: string; result: PackageReadResult }>();
  /** Whether an .xml file on disk may be a publishing manifest, by file version. */
  private readonly manifestSniffs = new Map<string, { version: string; mayBe: boolean }>();
  /** Line tables of .idt files, to turn a row's line into a range. */
  private readonly tableLines = new Map<string, { version: string; lines: LineIndex }>();

  constructor(readonly fs: FileSystem, readonly options: EngineOptions = {}) {
    this.sources = new SourceCache(fs);
    this.configs = new ConfigResolver(fs);
  }

  readCertificate(filePath: string): CertificateReadResult {
    const version = this.fs.version(filePath) ?? '';
    const cached = this.certificates.get(filePath);
    if (cached && cached.version === version) return cached.result;
    const bytes = this.readCertificateBytes(filePath);
    const result: CertificateReadResult =
      bytes === undefined ? { ok: false, reason: l10n.t('the file cannot be read') } : 'tooLarge' in bytes ? { ok: false, reason: bytes.tooLarge } : parseCertificate(bytes);
    this.certificates.set(filePath, { version, result });
    return result;
  }

  /**
   * A certificate file's bytes; a file too large to be one is not read at all (a SourceFile can
   * name anything, a gigabyte file included). An editor buffer is the text as typed.
   */
  private readCertificateBytes(filePath: string): Uint8Array | { tooLarge: string } | undefined {
    if (this.fs.openText?.(filePath) !== undefined) return this.fs.readFile(filePath);
    const source = this.fs.openBytes(filePath);
    if (!source) return undefined;
    try {
      const tooLarge = certificateSizeProblem(source.size);
      return tooLarge ? { tooLarge } : source.read(0, source.size);
    } finally {
      source.close();
    }
  }

  /** Reads a package or patch (cached by version): hashing a large patch is done once per build of it. */
  readPackage(filePath: string): PackageReadResult {
    const version = this.fs.version(filePath) ?? '';
    const cached = this.packages.get(filePath);
    if (cached && cached.version === version) return cached.result;
    const result = readPackage(this.fs, filePath);
    this.packages.set(filePath, { version, result });
    return result;
  }

  /**
   * Reads every package under the roots ahead of analysis, yielding between files so a language
   * server stays responsive and can report progress; `analyze` then finds them cached.
   */
  async readPackages(roots: string[], progress?: (done: number, total: number, file: string) => void, isCancelled?: () => boolean): Promise<void> {
    const files = collectFiles(this.fs, roots.map((root) => path.resolve(root))).packages;
    for (const [index, file] of files.entries()) {
      if (isCancelled?.()) return;
      progress?.(index, files.length, file);
      this.readPackage(file);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Everything the rules look at: sources linked into products and bundles, and the databases. */
  private buildModels(givenRoots: string[]): Models {
    const roots = givenRoots.map((root) => path.resolve(root));
    const files = collectFiles(this.fs, roots);
    const notices: Notice[] = [];
    const units = compilationUnits(this.fs, files, this.sources, roots);
    const products: ProductModel[] = [];
    const bundles: BundleModel[] = [];
    const patchEntries: PatchInputs['entries'] = [];
    const unitRoots: Models['unitRoots'] = [];
    const projects = new Map<string, WixProject>();
    const analysed = new Set<string>();

    for (const unit of units) {
      if (unit.project) {
        projects.set(unit.project.path, unit.project);
        for (const problem of unit.project.problems) notices.push({ file: unit.project.path, message: problem });
      }
      const roots: WixElement[] = [];
      for (const sourcePath of unit.sources) {
        const source = this.sources.get(sourcePath);
        if (!source) {
          notices.push({ file: sourcePath, message: l10n.t('The file cannot be read.') });
          continue;
        }
        if (source.decodeWarning) notices.push({ file: sourcePath, message: source.decodeWarning });
        // Text but no element (binary content, UTF-32, a wrong encoding): say so rather than report nothing.
        if (!source.xml.root && /\S/.test(source.text)) notices.push({ file: sourcePath, message: l10n.t('No XML element in this file, so nothing in it is checked. If it is a WiX source, check its encoding.') });
        const preprocessed = preprocess(source, {
          fs: this.fs,
          sources: this.sources,
          defines: unit.project?.defines ?? new Map(),
          includeSearchPaths: unit.project?.includeSearchPaths ?? [],
          currentDirectory: unit.project?.folder,
          platform: unit.project?.platform,
        });
        analysed.add(sourcePath);
        for (const include of preprocessed.includes) analysed.add(include);
        for (const notice of preprocessed.notices) notices.push({ file: notice.source.path, message: notice.message, range: notice.source.range(notice.span) });
        if (preprocessed.root) roots.push(preprocessed.root);
      }
      unitRoots.push({ unit, roots });
      for (const linked of link(sectionsOf(roots))) {
        const entry = linked.entry;
        if (entry.name === 'Bundle') bundles.push(buildBundle(linked, unit, this.fs));
        else if (entry.name === 'Patch') patchEntries.push({ linked, unit });
        else if (entry.name === 'Product' || entry.name === 'Package' || entry.name === 'Module') {
          products.push(buildProduct(linked, wixVersionOf(entry), unit, this.fs));
        }
      }
    }

    const databases = this.readDatabases(files.packages, files.idtFiles, notices);
    const manifests = this.readManifests(files.manifestCandidates, notices);
    for (const manifest of manifests) analysed.add(manifest.source.path);
    return { files, notices, products, bundles, manifests, patchEntries, projects, unitRoots, databases, analysed };
  }

  /**
   * The content of one database (a package, an .idt file or folder) for the package view and
   * `wix-uac inspect`, judged against the products found under the roots.
   */
  inspect(filePath: string, options: InspectOptions & { roots: string[] }): PackageInspection {
    const target = path.resolve(filePath);
    const models = this.buildModels([...options.roots, databaseFolderOf(target)]);
    const { databases } = models;
    const { targets } = this.resolvePatches(models);
    return (
      this.inspectIn(databases, targets, target, options) ??
      { file: target, error: l10n.t('not a Windows Installer database (.msi, .msp, .mst, or a folder of .idt files)'), summary: [], tables: [] }
    );
  }

  /** The inspection of a database read in this analysis, or undefined when it was not among them. */
  private inspectIn(databases: Databases, targets: () => TargetsByCode, target: string, options: InspectOptions): PackageInspection | undefined {
    const unreadable = databases.unreadable.find((entry) => entry.path === target);
    if (unreadable) return { file: target, error: unreadable.reason, summary: [], tables: [] };
    const model = databases.models.find((candidate) => candidate.path === databaseFolderOf(target));
    if (!model) return undefined;
    const inspection = inspectDatabase(model, targets(), this.now(), options);
    if (model.kind === 'idt') return inspection;
    const streams = withCompoundFile(this.fs, target, listPackageStreams);
    return streams.ok ? { ...inspection, streams: inspectStreams(streams.value) } : inspection;
  }

  /**
   * The products patches can target (built once per analysis, and only when something asks) and
   * the WiX patches with their targets. Patches come first: their DigitalCertificateRef elements
   * add signers to the targets that later patches are judged by.
   */
  private resolvePatches(models: Models): { targets: () => TargetsByCode; patches: PatchModel[] } {
    const readCertificate = (filePath: string): CertificateReadResult => this.readCertificate(filePath);
    let byCode: TargetsByCode | undefined;
    const targets = (): TargetsByCode => (byCode ??= productsByCode(models.products, models.databases.models, readCertificate));
    if (models.patchEntries.length === 0) return { targets, patches: [] };
    const patches = buildPatches({
      entries: models.patchEntries,
      products: models.products,
      databases: models.databases.models,
      projects: models.projects,
      byCode: targets(),
      certificateElements: () =>
        models.unitRoots.flatMap(({ unit, roots }) => roots.flatMap((root) => root.descendants().filter((element) => element.name === 'DigitalCertificate').map((element) => ({ element, unit })))),
      fs: this.fs,
      sources: this.sources,
      readCertificate,
    });
    return { targets, patches };
  }

  analyze(options: AnalyzeOptions): AnalysisResult {
    if (options.restricted) return analyzeRestricted(this.fs, options.roots, (roots) => this.analyze({ ...options, roots, restricted: false }));
    const models = this.buildModels(options.roots);
    const { files, notices, products, bundles, manifests, databases, analysed } = models;
    const { targets, patches } = this.resolvePatches(models);
    for (const patch of patches) if (patch.projectSource) analysed.add(patch.projectSource.path);
    const references = patchReferences(patches, manifests, bundles, databases.models);
    const drafts = this.runRules({ products, bundles, patches, manifests, databases: databases.models, unreadablePackages: databases.unreadable, references, certificateFiles: files.certificates, targets });
    const findings = this.finish(drafts, options, notices);
    // Status lines are contained like rules: a producer that throws loses its lines, not the findings.
    const lensFailures: string[] = [];
    const lensesOf = (what: string, produce: () => Lens[]): Lens[] => {
      try {
        return produce();
      } catch (error) {
        this.options.onInternalError?.(what, error);
        lensFailures.push(error instanceof Error ? error.message : String(error));
        return [];
      }
    };
    const lenses: Lens[] = [
      ...lensesOf('product status lines', () => productLenses(products, databases.models, (filePath) => this.readCertificate(filePath), this.now())),
      ...lensesOf('database status lines', () => databaseLenses(databases.models, targets, this.now())),
    ];
    if (references.length > 0 || patches.length > 0 || manifests.length > 0) {
      lenses.push(...lensesOf('patch status lines', () => patchSourceLenses(patches, manifests, references, targets(), databases.models, this.now())));
    }
    for (const file of databases.files) analysed.add(file);
    // Files matched by an ignore glob are not reported as analysed either.
    const analysedFiles = [...analysed].filter((file) => /\.(wxs|wxi|msi|msp|mst|idt|sdp|xml|wixproj)$/i.test(file) && !isIgnored(file, this.configs.forFile(file))).sort();
    // Which file's lines were being made is not known: the notice goes on the first file.
    if (lensFailures.length > 0 && analysedFiles.length > 0) {
      notices.push({ file: analysedFiles[0], message: l10n.t('wix-uac internal error while making the status lines: {0}. Please report it.', lensFailures[0]) });
    }
    for (const file of analysedFiles) {
      const config = this.configs.forFile(file);
      for (const problem of config.problems) notices.push({ file: config.file ?? file, message: problem });
    }
    return {
      files: analysedFiles,
      findings,
      lenses: lenses.filter((lens) => !isIgnored(lens.file, this.configs.forFile(lens.file))),
      notices: dedupeNotices(notices),
      inspect: (file, inspectOptions = {}) => this.inspectIn(databases, targets, path.resolve(file), inspectOptions),
      hover: (file, position) => {
        const source = this.sources.get(file);
        try {
          return source ? hoverAt(source, position, products, (filePath) => this.readCertificate(filePath)) : undefined;
        } catch (error) {
          this.options.onInternalError?.('hover', error);
          return undefined;
        }
      },
    };
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Publishing manifests: .sdp files, and .xml files whose root is sdp:SoftwareDistributionPackage. */
  private readManifests(candidates: string[], notices: Notice[]): SdpManifest[] {
    const manifests: SdpManifest[] = [];
    for (const file of candidates) {
      const isSdp = /\.sdp$/i.test(file);
      if (!isSdp && !this.mayBeManifest(file)) continue;
      const source = this.sources.get(file);
      // A vendor catalog holds many packages in one file.
      const found = source ? readSdpManifests(source) : [];
      manifests.push(...found);
      if (found.length === 0 && isSdp) notices.push({ file, message: l10n.t('Not a Software Distribution Package: the root element is not {0}.', 'sdp:SoftwareDistributionPackage') });
    }
    return manifests;
  }

  /**
   * Reads the first 4 KiB of an .xml file on disk, once per version of it: most .xml files of a
   * workspace are not manifests, and some are large.
   */
  private mayBeManifest(file: string): boolean {
    const open = this.fs.openText?.(file);
    if (open !== undefined) return mayBeSdpManifest(open);
    const version = this.fs.version(file) ?? '';
    const cached = this.manifestSniffs.get(file);
    if (cached && cached.version === version) return cached.mayBe;
    const bytes = this.fs.openBytes(file);
    if (!bytes) return false;
    let mayBe: boolean;
    try {
      mayBe = mayBeSdpManifest(decodeXmlBytes(bytes.read(0, 4096)).text);
    } finally {
      bytes.close();
    }
    this.manifestSniffs.set(file, { version, mayBe });
    return mayBe;
  }

  private readDatabases(packageFiles: string[], idtFiles: string[], notices: Notice[]): Databases {
    const databases: Databases = { models: [], unreadable: [], files: [...packageFiles, ...idtFiles] };
    for (const file of packageFiles) {
      const result = this.readPackage(file);
      if (result.ok) databases.models.push(result.model);
      else databases.unreadable.push({ path: file, reason: result.reason });
    }
    // Each folder of .idt files is one database. They are small text files: read on every analysis.
    const folders = new Map<string, string[]>();
    for (const file of idtFiles) {
      const folder = path.dirname(file);
      const tableFiles = folders.get(folder);
      if (tableFiles) tableFiles.push(file);
      else folders.set(folder, [file]);
    }
    for (const [folder, tableFiles] of folders) {
      const { database, problems } = readIdtDatabase(this.fs, folder, tableFiles);
      for (const problem of problems) notices.push({ file: problem.file, message: problem.message, range: this.lineRange(problem.file, problem.line) });
      databases.models.push(buildDatabaseModel(database));
    }
    return databases;
  }

  private runRules(models: RuleSubjects & { references: PatchReference[]; certificateFiles: string[]; targets: () => TargetsByCode }): Draft[] {
    const { references, certificateFiles, targets } = models;
    const drafts: Draft[] = [];
    let workspaceCertificates: WorkspaceCertificate[] | undefined;
    const contextOf = (subjects: RuleSubjects, report: RuleContext['report']): RuleContext => ({
      ...subjects,
      now: this.now(),
      readCertificate: (filePath) => this.readCertificate(filePath),
      fileExists: (filePath) => this.fs.exists(filePath),
      targets,
      patchReferences: () => references,
      workspaceCertificates: () => (workspaceCertificates ??= certificateFiles.map((filePath) => ({ path: filePath, result: this.readCertificate(filePath) }))),
      report,
    });
    for (const rule of this.options.rules ?? rules) {
      try {
        rule.check(contextOf(models, (draft) => drafts.push({ ...draft, ruleId: rule.id, defaultSeverity: rule.defaultSeverity })));
      } catch (error) {
        // One faulty rule must not take the others' results with it. What it reported before it
        // threw are findings like any other; one more says that it failed, where it failed.
        this.options.onInternalError?.(`rule ${rule.id}`, error);
        const place = crashPlace(rule, models, contextOf);
        const message = l10n.t('wix-uac internal error in rule {0}: {1}. Please report it.', rule.id, error instanceof Error ? error.message : String(error));
        if (place) drafts.push({ ...place, ruleId: rule.id, defaultSeverity: 'error', severity: 'error', message });
      }
    }
    return drafts;
  }

  /** Severity from configuration, ignore globs, inline suppression, the suppress fix, and de-duplication. */
  private finish(drafts: Draft[], options: AnalyzeOptions, notices: Notice[]): Finding[] {
    // Looked up once per file: a file with thousands of findings would otherwise look for
    // wix-uac.json in each of its folders thousands of times.
    const configs = new Map<string, LoadedConfig>();
    const configOf = (file: string): LoadedConfig => {
      let config = configs.get(file);
      if (!config) configs.set(file, (config = this.configs.forFile(file)));
      return config;
    };
    const suppressionsByFile = new Map<string, Suppressions>();
    const suppressionsOf = (source: SourceFile): Suppressions => {
      let suppressions = suppressionsByFile.get(source.path);
      if (!suppressions) {
        // Only a comment that names wix-uac can be a directive; placing the others (one per
        // fragment of a harvested source) would walk the lines of the whole file.
        const directives = source.xml.comments.filter((comment) => comment.value.includes('wix-uac-'));
        suppressions = new Suppressions(directives.map((comment) => ({ text: comment.value, ...source.range(comment.span) })));
        for (const problem of suppressions.problems) notices.push({ file: source.path, message: problem.message, range: problem.range });
        suppressionsByFile.set(source.path, suppressions);
      }
      return suppressions;
    };
    const findings = new Map<string, Finding>();
    const add = (finding: Finding): void => {
      const key = `${finding.ruleId}\0${finding.file}\0${finding.range.start.line}:${finding.range.start.character}\0${finding.message}`;
      if (!findings.has(key)) findings.set(key, finding);
    };
    for (const draft of drafts) {
      if ('at' in draft) {
        const finding = this.databaseFinding(draft, options, configOf(draft.at.file));
        if (finding) add(finding);
        continue;
      }
      const { source, node } = 'element' in draft ? { source: draft.element.source, node: draft.element.xml } : draft;
      const config = configOf(source.path);
      const configured = effectiveSeverity(draft.ruleId, draft.defaultSeverity, config, options.severityOverrides);
      if (configured === 'off' || isIgnored(source.path, config)) continue;
      const range = source.range(draft.span ?? node.nameSpan);
      // A finding on a continuation line of a start tag is suppressed from above the tag.
      const tagLine = source.lines.positionAt(node.span.start).line;
      const suppressions = suppressionsOf(source);
      if (suppressions.isSuppressed(draft.ruleId, range.start.line) || suppressions.isSuppressed(draft.ruleId, tagLine)) continue;
      const finding: Finding = {
        ruleId: draft.ruleId,
        severity: draft.severity ?? configured,
        message: draft.message,
        file: source.path,
        range,
        fixes: [...(draft.fixes ?? []), suppressNextLineFix(source.path, source.lines, tagLine, draft.ruleId)],
        ...(draft.related ? { related: draft.related } : {}),
      };
      add(finding);
    }
    return [...findings.values()].sort(
      (a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId),
    );
  }

  /** A finding in a package (line 1) or on an .idt row. Tables have no comments, so no inline suppression. */
  private databaseFinding(draft: DatabaseFindingDraft & Pick<Draft, 'ruleId' | 'defaultSeverity'>, options: AnalyzeOptions, config: LoadedConfig): Finding | undefined {
    const { file, line } = draft.at;
    const configured = effectiveSeverity(draft.ruleId, draft.defaultSeverity, config, options.severityOverrides);
    if (configured === 'off' || isIgnored(file, config)) return undefined;
    return {
      ruleId: draft.ruleId,
      severity: draft.severity ?? configured,
      message: draft.message,
      file,
      range: this.lineRange(file, line),
      fixes: draft.fixes ?? [],
      ...(draft.related ? { related: draft.related } : {}),
    };
  }

  /** The whole of a text file's line (an .idt row), or the start of a binary file. */
  private lineRange(file: string, line: number | undefined): Range {
    if (line === undefined) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const version = this.fs.version(file) ?? '';
    let cached = this.tableLines.get(file);
    if (!cached || cached.version !== version) {
      const text = this.fs.openText?.(file) ?? Buffer.from(this.fs.readFile(file) ?? []).toString('utf8');
      cached = { version, lines: new LineIndex(text) };
      this.tableLines.set(file, cached);
    }
    const { lines } = cached;
    return { start: { line, character: 0 }, end: lines.positionAt(lines.lineEnd(line)) };
  }
}

/** An .idt file stands for the database of its folder; a package is its own database. */
function databaseFolderOf(file: string): string {
  return /\.idt$/i.test(file) ? path.dirname(file) : file;
}

function wixVersionOf(entry: WixElement): 3 | 4 {
  return entry.namespaceUri === WIX_V3_NAMESPACE ? 3 : 4;
}

function dedupeNotices(notices: Notice[]): Notice[] {
  const seen = new Set<string>();
  return notices.filter((notice) => {
    const key = `${notice.file}\0${notice.range?.start.line ?? ''}\0${notice.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What rules go through, each item in one file. */
type RuleSubjects = Pick<RuleContext, 'products' | 'bundles' | 'patches' | 'manifests' | 'databases' | 'unreadablePackages'>;

type FindingPlace = Pick<SourceFindingDraft, 'element'> | Pick<XmlFindingDraft, 'source' | 'node'> | Pick<DatabaseFindingDraft, 'at'>;

/**
 * Where a rule that threw was looking: the first subject (product, bundle, patch, manifest,
 * database) that makes it throw when checked on its own; the first subject of all when none does
 * alone; undefined when there is nothing to point at. Runs only after a crash; what the rule
 * reports on those runs is dropped.
 */
function crashPlace(rule: Rule, subjects: RuleSubjects, contextOf: (subjects: RuleSubjects, report: RuleContext['report']) => RuleContext): FindingPlace | undefined {
  const none: RuleSubjects = { products: [], bundles: [], patches: [], manifests: [], databases: [], unreadablePackages: [] };
  const candidates: { alone: RuleSubjects; place: FindingPlace }[] = [
    ...subjects.products.map((product) => ({ alone: { ...none, products: [product] }, place: { element: product.element } })),
    ...subjects.bundles.map((bundle) => ({ alone: { ...none, bundles: [bundle] }, place: { element: bundle.element } })),
    ...subjects.patches.map((patch) => ({ alone: { ...none, patches: [patch] }, place: { element: patch.element } })),
    ...subjects.manifests.map((manifest) => ({ alone: { ...none, manifests: [manifest] }, place: { source: manifest.source, node: manifest.root } })),
    ...subjects.databases.map((database) => ({ alone: { ...none, databases: [database] }, place: { at: { file: databaseFileOf(database) } } })),
    ...subjects.unreadablePackages.map((unreadable) => ({ alone: { ...none, unreadablePackages: [unreadable] }, place: { at: { file: unreadable.path } } })),
  ];
  const ignore = (): void => undefined;
  for (const candidate of candidates) {
    try {
      rule.check(contextOf(candidate.alone, ignore));
    } catch {
      return candidate.place;
    }
  }
  return candidates[0]?.place;
}

/** A file that stands for a database in Problems: the package, or an .idt folder's Property table (else its first table). */
function databaseFileOf(database: DatabaseModel): string {
  if (database.kind !== 'idt') return database.path;
  const tables = [...database.database.tables.values()];
  return (database.database.tables.get('Property') ?? tables[0])?.file ?? database.path;
}
