import * as l10n from '@vscode/l10n';
import type { CertificateReadResult } from '../certificates';
import { relativeWithSlashes } from '../paths';
import type { DatabaseModel, RowRef } from '../package/model';
import type { TargetsByCode } from '../package/trust';
import type { Fix, RelatedLocation, RuleMeta, Severity, Span } from '../types';
import type { WixElement } from '../wix/preprocessor';
import type { BundleModel, PatchCertificateEntry, ProductModel } from '../wix/model';
import type { PatchModel } from '../wix/patch';
import type { SourceFile } from '../wix/source';
import type { XmlElement } from '../xml/parser';
import type { SdpManifest } from '../manifest/sdp';
import type { PatchReference } from '../patch-references';

export interface WorkspaceCertificate {
  path: string;
  result: CertificateReadResult;
}

/** A package file or .idt folder that could not be read as a database. */
export interface UnreadablePackage {
  path: string;
  reason: string;
}

export interface RuleContext {
  products: ProductModel[];
  bundles: BundleModel[];
  /** WiX <Patch> entries with their targets and built .msp files. */
  patches: PatchModel[];
  /** WSUS/SCUP publishing manifests. */
  manifests: SdpManifest[];
  /** Built packages and patches (.msi, .msp) and .idt folders that were read. */
  databases: DatabaseModel[];
  unreadablePackages: UnreadablePackage[];
  now: Date;
  /** Reads a certificate file (cached by version). */
  readCertificate(filePath: string): CertificateReadResult;
  /** Certificate files found under the analysed roots, readable or not. */
  workspaceCertificates(): WorkspaceCertificate[];
  fileExists(filePath: string): boolean;
  /** Where WiX patches, publishing manifests and bundles name a built .msp of the workspace. */
  patchReferences(): PatchReference[];
  /** Products a patch can target (WiX sources with a literal ProductCode, built products), by normalised ProductCode. */
  targets(): TargetsByCode;
  report(finding: FindingDraft): void;
}

export type FindingDraft = SourceFindingDraft | XmlFindingDraft | DatabaseFindingDraft;

interface DraftCommon {
  message: string;
  /**
   * A lesser level for a weaker case of the rule (e.g. information for a value that is not 1).
   * Configuration that changes the rule's severity leaves it alone; "off" still silences it.
   */
  severity?: Severity;
  fixes?: Fix[];
  related?: RelatedLocation[];
}

export interface SourceFindingDraft extends DraftCommon {
  /** The element the finding is about; gives the file, the suppression line and any <?if?> condition. */
  element: WixElement;
  /** What to underline; defaults to the element's name. */
  span?: Span;
}

/** A finding in an XML file that is not WiX source (a .wixproj, a publishing manifest). */
export interface XmlFindingDraft extends DraftCommon {
  source: SourceFile;
  node: XmlElement;
  /** What to underline; defaults to the element's name. */
  span?: Span;
}

export interface DatabaseFindingDraft extends DraftCommon {
  /** The file, and for an .idt row its 0-based line; a package's findings go on its line 1. */
  at: DatabaseLocation;
}

export interface DatabaseLocation {
  file: string;
  line?: number;
}

export function rowLocation(at: RowRef): DatabaseLocation {
  return { file: at.table.file, line: at.row.line };
}

/** Related information pointing at a database row (an .idt line, or the package file). */
export function relatedRow(at: RowRef, message: string): RelatedLocation {
  const line = at.row.line ?? 0;
  return { file: at.table.file, range: { start: { line, character: 0 }, end: { line, character: 0 } }, message };
}

export interface Rule extends RuleMeta {
  check(context: RuleContext): void;
}

/**
 * " (only when <?ifdef Debug?>)" for authoring inside an undecided preprocessor block, with its
 * leading space; messages place it right after what it qualifies.
 */
export function conditionNote(element: WixElement): string {
  return element.condition ? ` ${l10n.t('(only when {0})', element.condition)}` : '';
}

/** "Product.wxs:12" — where something is authored, for messages and lenses. */
export function where(element: WixElement): string {
  const line = element.source.lines.positionAt(element.xml.span.start).line + 1;
  const name = element.source.path.split(/[\\/]/).pop();
  return `${name}:${line}`;
}

export function related(element: WixElement, message: string, span: Span = element.xml.nameSpan): RelatedLocation {
  return { file: element.source.path, range: element.source.range(span), message };
}

/** Products that are real packages (not merge modules) and, by default, install per-machine. */
export function perMachineProducts(context: RuleContext): ProductModel[] {
  return context.products.filter((product) => product.kind === 'product' && product.scope.perMachine);
}

/** Each listed DigitalCertificate once (a fragment may be linked into several products), with the first product that lists it. */
export function uniquePatchCertificates(context: RuleContext): { product: ProductModel; entry: PatchCertificateEntry }[] {
  const seen = new Set<WixElement>();
  const entries: { product: ProductModel; entry: PatchCertificateEntry }[] = [];
  for (const product of context.products) {
    for (const entry of product.patchCertificates) {
      if (seen.has(entry.element)) continue;
      seen.add(entry.element);
      entries.push({ product, entry });
    }
  }
  return entries;
}

/**
 * Reports a finding on a built .msp and again on each place that names it (the <Patch> that
 * builds it, a publishing manifest, a bundle's MspPackage), each pointing at the other.
 */
export function reportOnPatch(context: RuleContext, patch: DatabaseModel, finding: Omit<DatabaseFindingDraft, 'at'>): void {
  const references = context.patchReferences().filter((reference) => reference.database === patch);
  context.report({
    ...finding,
    at: { file: patch.path },
    related: [
      ...(finding.related ?? []),
      ...references.map((reference) => ({ file: reference.source.path, range: reference.source.range(reference.node.nameSpan), message: l10n.t('named by {0}', reference.description) })),
    ],
  });
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  for (const reference of references) {
    const relativePath = relativeWithSlashes(reference.source.folder, patch.path);
    const draft: DraftCommon = {
      ...finding,
      message: referencedPatchMessage(reference.kind, relativePath, finding.message),
      related: [{ file: patch.path, range: top, message: l10n.t('the built patch') }, ...(finding.related ?? [])],
    };
    if (reference.element) context.report({ ...draft, element: reference.element });
    else context.report({ ...draft, source: reference.source, node: reference.node });
  }
}

/** The finding of a .msp as reported where the file is named: "Built patch bin/Hotfix.msp: …". */
function referencedPatchMessage(kind: PatchReference['kind'], relativePath: string, message: string): string {
  switch (kind) {
    case 'patch':
      return l10n.t('Built patch {0}: {1}', relativePath, message);
    case 'manifest':
      return l10n.t('Published file {0}: {1}', relativePath, message);
    case 'bundle':
      return l10n.t('Chained patch {0}: {1}', relativePath, message);
  }
}
