// The pipeline: files → compilation units → preprocessed sources → linked packages → model →
// rules → findings, then configuration and inline suppression.

import * as path from 'path';
import type { AnalysisResult, AnalyzeOptions, Notice } from './api';
import { parseCertificate, type CertificateReadResult } from './certificates';
import { ConfigResolver, effectiveSeverity, isIgnored } from './config';
import type { FileSystem } from './fs';
import { hoverAt } from './hovers';
import { productLenses } from './lenses';
import type { FindingDraft, RuleContext, WorkspaceCertificate } from './rules/rule';
import { rules } from './rules';
import { Suppressions, suppressNextLineFix } from './suppression';
import type { Finding, Lens } from './types';
import { link, sectionsOf } from './wix/link';
import { buildBundle, buildProduct, type BundleModel, type ProductModel } from './wix/model';
import { preprocess, type WixElement } from './wix/preprocessor';
import { collectFiles, compilationUnits } from './wix/project';
import { SourceCache, WIX_V3_NAMESPACE, type SourceFile } from './wix/source';

export interface EngineOptions {
  /** Clock for certificate validity checks; tests pin it. */
  now?: () => Date;
}

interface Draft extends FindingDraft {
  ruleId: string;
  defaultSeverity: Finding['severity'];
}

export class Engine {
  private readonly sources: SourceCache;
  private readonly configs: ConfigResolver;
  private readonly certificates = new Map<string, { version: string; result: CertificateReadResult }>();

  constructor(readonly fs: FileSystem, readonly options: EngineOptions = {}) {
    this.sources = new SourceCache(fs);
    this.configs = new ConfigResolver(fs);
  }

  readCertificate(filePath: string): CertificateReadResult {
    const version = this.fs.version(filePath) ?? '';
    const cached = this.certificates.get(filePath);
    if (cached && cached.version === version) return cached.result;
    const bytes = this.fs.readFile(filePath);
    const result: CertificateReadResult = bytes ? parseCertificate(bytes) : { ok: false, reason: 'the file cannot be read' };
    this.certificates.set(filePath, { version, result });
    return result;
  }

  analyze(options: AnalyzeOptions): AnalysisResult {
    const roots = options.roots.map((root) => path.resolve(root));
    const files = collectFiles(this.fs, roots);
    const notices: Notice[] = [];
    const units = compilationUnits(this.fs, files, this.sources, roots);
    const products: ProductModel[] = [];
    const bundles: BundleModel[] = [];
    const analysed = new Set<string>();

    for (const unit of units) {
      const roots: WixElement[] = [];
      for (const sourcePath of unit.sources) {
        const source = this.sources.get(sourcePath);
        if (!source) {
          notices.push({ file: sourcePath, message: 'The file cannot be read.' });
          continue;
        }
        if (source.decodeWarning) notices.push({ file: sourcePath, message: source.decodeWarning });
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
      for (const linked of link(sectionsOf(roots))) {
        const entry = linked.entry;
        if (entry.name === 'Bundle') bundles.push(buildBundle(linked));
        else if (entry.name === 'Product' || entry.name === 'Package' || entry.name === 'Module') {
          products.push(buildProduct(linked, wixVersionOf(entry), unit, this.fs));
        }
      }
    }

    const drafts = this.runRules(products, bundles, files.certificates);
    const findings = this.finish(drafts, options, notices);
    const lenses: Lens[] = productLenses(products, (filePath) => this.readCertificate(filePath), this.now());
    // Files matched by an ignore glob are not reported as analysed either.
    const analysedFiles = [...analysed].filter((file) => /\.(wxs|wxi)$/i.test(file) && !isIgnored(file, this.configs.forFile(file))).sort();
    for (const file of analysedFiles) {
      const config = this.configs.forFile(file);
      for (const problem of config.problems) notices.push({ file: config.file ?? file, message: problem });
    }
    return {
      files: analysedFiles,
      findings,
      lenses: lenses.filter((lens) => !isIgnored(lens.file, this.configs.forFile(lens.file))),
      notices: dedupeNotices(notices),
      hover: (file, position) => {
        const source = this.sources.get(file);
        return source ? hoverAt(source, position, products, (filePath) => this.readCertificate(filePath)) : undefined;
      },
    };
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private runRules(products: ProductModel[], bundles: BundleModel[], certificateFiles: string[]): Draft[] {
    const drafts: Draft[] = [];
    let workspaceCertificates: WorkspaceCertificate[] | undefined;
    for (const rule of rules) {
      const context: RuleContext = {
        products,
        bundles,
        now: this.now(),
        readCertificate: (filePath) => this.readCertificate(filePath),
        workspaceCertificates: () => (workspaceCertificates ??= certificateFiles.map((filePath) => ({ path: filePath, result: this.readCertificate(filePath) }))),
        report: (draft) => drafts.push({ ...draft, ruleId: rule.id, defaultSeverity: rule.defaultSeverity }),
      };
      try {
        rule.check(context);
      } catch (error) {
        // One faulty rule must not take the others' results with it.
        const first = products[0]?.element ?? bundles[0]?.element;
        if (first) {
          drafts.push({
            element: first,
            ruleId: rule.id,
            defaultSeverity: 'error',
            message: `Internal error in rule ${rule.id}: ${error instanceof Error ? error.message : String(error)}. Please report it.`,
          });
        }
      }
    }
    return drafts;
  }

  /** Severity from configuration, ignore globs, inline suppression, the suppress fix, and de-duplication. */
  private finish(drafts: Draft[], options: AnalyzeOptions, notices: Notice[]): Finding[] {
    const suppressionsByFile = new Map<string, Suppressions>();
    const suppressionsOf = (source: SourceFile): Suppressions => {
      let suppressions = suppressionsByFile.get(source.path);
      if (!suppressions) {
        suppressions = new Suppressions(source.xml.comments.map((comment) => ({ text: comment.value, ...source.range(comment.span) })));
        for (const problem of suppressions.problems) notices.push({ file: source.path, message: problem.message, range: problem.range });
        suppressionsByFile.set(source.path, suppressions);
      }
      return suppressions;
    };
    const findings = new Map<string, Finding>();
    for (const draft of drafts) {
      const source = draft.element.source;
      const config = this.configs.forFile(source.path);
      const configured = effectiveSeverity(draft.ruleId, draft.defaultSeverity, config, options.severityOverrides);
      if (configured === 'off' || isIgnored(source.path, config)) continue;
      const range = source.range(draft.span ?? draft.element.xml.nameSpan);
      // A finding on a continuation line of a start tag is suppressed from above the tag.
      const tagLine = source.lines.positionAt(draft.element.xml.span.start).line;
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
      const key = `${finding.ruleId}\0${finding.file}\0${range.start.line}:${range.start.character}\0${finding.message}`;
      if (!findings.has(key)) findings.set(key, finding);
    }
    return [...findings.values()].sort(
      (a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId),
    );
  }
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
