// A WiX <Patch> and what it is about: the products it targets, the .msp it builds, and the
// signers its PatchFamily/DigitalCertificateRef elements add to the targets' MsiPatchCertificate
// table for later patches.

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { CertificateInfo, CertificateReadResult } from '../certificates';
import type { FileSystem } from '../fs';
import { isProductCode, normalizeProductCode, type DatabaseModel } from '../package/model';
import { productTarget, type TargetProduct, type TargetsByCode } from '../package/trust';
import { isInside, toHostPath } from '../paths';
import type { LinkedEntry } from './link';
import { patchCertificate, resolveAuthoredPath, type PatchCertificateEntry, type ProductModel } from './model';
import type { WixElement } from './preprocessor';
import { referencedProject, type CompilationUnit, type WixProject } from './project';
import { inspectSigning, type SigningSetup } from './signing';
import { WIX_V3_NAMESPACE, type SourceCache, type SourceFile } from './source';

export interface PatchFamilyModel {
  element: WixElement;
  id?: string;
  version?: string;
  /** PatchFamily/@ProductCode: the family applies only to this product. */
  productCode?: string;
  certificateRefs: CertificateRefModel[];
}

export interface CertificateRefModel {
  element: WixElement;
  id?: string;
  /** The DigitalCertificate it names, found in a product's PatchCertificates in the workspace. */
  definition?: PatchCertificateEntry;
  /** Its certificate, when the file is readable DER. */
  certificate?: CertificateInfo;
}

export interface PatchBaselineModel {
  element: WixElement;
  id?: string;
  /** v4 PatchBaseline/@BaselineFile and @UpdateFile, resolved like any source path. */
  baselineFile?: PatchFileReference;
  updateFile?: PatchFileReference;
}

export interface PatchFileReference {
  attribute: string;
  authored: string;
  /** The file found in the workspace, if any. */
  resolvedPath?: string;
  /** Where it was looked for. */
  searched: string[];
  /** References the path depends on that the sources do not define (e.g. `var.Product.TargetPath`). */
  unresolved: string[];
}

/** How a target was found: "TargetProductCode", "PatchBaseline/@BaselineFile", "ProjectReference"… */
export interface PatchTarget {
  target: TargetProduct;
  via: string;
}

/** A built .msp in the workspace that is this patch's output, and why we think so. */
export interface BuiltPatch {
  database: DatabaseModel;
  via: string;
}

export interface PatchModel {
  wixVersion: 3 | 4;
  element: WixElement;
  /** Patch/@Id when it is a literal GUID (the PatchCode). */
  patchCode?: string;
  displayName?: string;
  families: PatchFamilyModel[];
  /** TargetProductCode/@Id values other than "*". */
  targetProductCodes: { code: string; element: WixElement }[];
  baselines: PatchBaselineModel[];
  unit: CompilationUnit;
  /** The .wixproj that builds it, parsed, when there is one. */
  projectSource?: SourceFile;
  /** How that project signs what it builds (its own targets and what MSBuild imports into it). */
  signing?: SigningSetup;
  targets: PatchTarget[];
  /** ProductCodes the patch names that no product in the workspace has. */
  missingTargets: string[];
  builds: BuiltPatch[];
}

export interface PatchInputs {
  /** The <Patch> entries the linker found, with their units. */
  entries: { linked: LinkedEntry; unit: CompilationUnit }[];
  products: ProductModel[];
  databases: DatabaseModel[];
  /** Every project read in this analysis, by path. */
  projects: Map<string, WixProject>;
  byCode: TargetsByCode;
  /** Every DigitalCertificate element of the analysed sources, linked or not, with its unit. */
  certificateElements(): { element: WixElement; unit: CompilationUnit }[];
  fs: FileSystem;
  sources: SourceCache;
  readCertificate(filePath: string): CertificateReadResult;
}

/**
 * Models each patch, finds its targets and built .msp files, and records the signers its
 * PatchFamily/DigitalCertificateRef elements add to its targets for later patches.
 */
export function buildPatches(inputs: PatchInputs): PatchModel[] {
  const productTargets = new Map<ProductModel, TargetProduct>();
  for (const targets of inputs.byCode.values()) for (const target of targets) if ('product' in target.source) productTargets.set(target.source.product, target);
  const targetOf = (product: ProductModel): TargetProduct => {
    let target = productTargets.get(product);
    if (!target) {
      target = productTarget(product, inputs.readCertificate);
      productTargets.set(product, target);
    }
    return target;
  };
  // Several <Patch> entries of one project share its signing step: read its MSBuild files once.
  const signing = new Map<string, SigningSetup>();
  const signingOf = (project: WixProject): SigningSetup => {
    let setup = signing.get(project.path);
    if (!setup) signing.set(project.path, (setup = inspectSigning(project.path, inputs.fs, inputs.sources)));
    return setup;
  };
  const patches = inputs.entries.map(({ linked, unit }) => buildPatch(linked, unit, inputs, targetOf, signingOf));
  for (const patch of patches) {
    // A product whose ProductCode the build generates (v4 without ProductCode, v3 Id="*") is found
    // through the patch source only; the .msp built from it names that generated code. Judge the
    // build against the targets its source found.
    for (const { database } of patch.builds) {
      for (const code of database.targetProductCodes) {
        const key = normalizeProductCode(code);
        if (!inputs.byCode.has(key) && patch.targets.length > 0) inputs.byCode.set(key, patch.targets.map(({ target }) => target));
      }
    }
  }
  for (const patch of patches) {
    const label = `${patchName(patch)} (${path.basename(patch.element.source.path)})`;
    for (const family of patch.families) {
      for (const reference of family.certificateRefs) {
        if (!reference.certificate) continue;
        // The rows land in whichever installed product the patch applies to: every build of the
        // same ProductCode in the workspace, not only the baseline the patch was made from.
        const receivers = new Set(patch.targets.map(({ target }) => target));
        for (const { target } of patch.targets) for (const sameCode of inputs.byCode.get(normalizeProductCode(target.productCode)) ?? []) receivers.add(sameCode);
        for (const target of receivers) target.addedSigners.push({ certificate: reference.certificate, patchLabel: label, builds: patch.builds.map((build) => build.database) });
      }
    }
  }
  return patches;
}

/** What the patch is called in messages: DisplayName, the built file, or the project's output name. */
export function patchName(patch: PatchModel): string {
  return patch.displayName ?? (patch.builds[0] ? path.basename(patch.builds[0].database.path, '.msp') : undefined) ?? patch.unit.project?.outputName ?? path.basename(patch.element.source.path, '.wxs');
}

function buildPatch(
  linked: LinkedEntry,
  unit: CompilationUnit,
  inputs: PatchInputs,
  targetOf: (product: ProductModel) => TargetProduct,
  signingOf: (project: WixProject) => SigningSetup,
): PatchModel {
  const element = linked.entry;
  const elements = linked.sections.flatMap((section) => [section, ...section.descendants()]);
  const id = element.value('Id');
  const project = unit.project;
  const patch: PatchModel = {
    wixVersion: element.namespaceUri === WIX_V3_NAMESPACE ? 3 : 4,
    element,
    patchCode: id && isProductCode(id) ? id : undefined,
    displayName: element.value('DisplayName') || undefined,
    families: elements.filter((candidate) => candidate.name === 'PatchFamily').map((family) => patchFamily(family, elements, unit, inputs)),
    targetProductCodes: elements
      .filter((candidate) => candidate.name === 'TargetProductCode')
      .map((candidate) => ({ code: candidate.value('Id')?.trim() ?? '', element: candidate }))
      .filter((entry) => isProductCode(entry.code)),
    baselines: elements.filter((candidate) => candidate.name === 'PatchBaseline').map((baseline) => ({
      element: baseline,
      id: baseline.value('Id'),
      baselineFile: fileReference(baseline, 'BaselineFile', unit, inputs.fs),
      updateFile: fileReference(baseline, 'UpdateFile', unit, inputs.fs),
    })),
    unit,
    projectSource: project ? inputs.sources.get(project.path) : undefined,
    signing: project ? signingOf(project) : undefined,
    targets: [],
    missingTargets: [],
    builds: [],
  };

  const add = (target: TargetProduct, via: string): void => {
    if (!patch.targets.some((existing) => existing.target === target)) patch.targets.push({ target, via });
  };
  const byCode = (code: string, via: string): void => {
    const found = inputs.byCode.get(normalizeProductCode(code)) ?? [];
    for (const target of found) add(target, via);
    if (found.length === 0 && !patch.missingTargets.some((missing) => normalizeProductCode(missing) === normalizeProductCode(code))) patch.missingTargets.push(code);
  };
  for (const baseline of patch.baselines) {
    // The baseline is what is installed; the updated image stands in for it (a small update keeps
    // the ProductCode) only when the baseline is not in the workspace, e.g. an archived RTM build.
    for (const reference of [baseline.baselineFile, baseline.updateFile]) {
      if (!reference) continue;
      const via = `PatchBaseline ${baseline.id ?? ''}/@${reference.attribute}`.replace('  ', ' ');
      const database = reference.resolvedPath ? inputs.databases.find((candidate) => candidate.path === reference.resolvedPath && candidate.isProduct) : undefined;
      const targets = database
        ? (inputs.byCode.get(normalizeProductCode(database.productCode ?? '')) ?? []).filter((candidate) => 'database' in candidate.source && candidate.source.database === database)
        : productsBuiltBy(reference, inputs, project).map(targetOf);
      for (const target of targets) add(target, via);
      if (targets.length > 0) break;
    }
  }
  for (const { code } of patch.targetProductCodes) byCode(code, 'TargetProductCode');
  for (const family of patch.families) if (family.productCode) byCode(family.productCode, `PatchFamily ${family.id ?? ''}/@ProductCode`.replace('  ', ' '));
  if (project) {
    for (const referencePath of project.projectReferences) {
      const referenced = inputs.projects.get(referencePath);
      if (!referenced || !/^(package|product)$/i.test(referenced.outputType)) continue;
      for (const product of productsOfProject(referenced, inputs.products)) add(targetOf(product), `ProjectReference ${path.basename(referencePath)}`);
    }
  }
  patch.builds = builtPatches(patch, inputs);
  if (patch.targets.length === 0) {
    // A v3 patch takes its targets from the transforms on pyro's command line; its build names them.
    for (const { database } of patch.builds) for (const code of database.targetProductCodes) byCode(code, l10n.t('the Template of {0}', path.basename(database.path)));
  }
  return patch;
}

function patchFamily(family: WixElement, elements: WixElement[], unit: CompilationUnit, inputs: PatchInputs): PatchFamilyModel {
  const productCode = family.value('ProductCode')?.trim();
  return {
    element: family,
    id: family.value('Id'),
    version: family.value('Version'),
    productCode: productCode && isProductCode(productCode) ? productCode : undefined,
    certificateRefs: family.descendants()
      .filter((child) => child.name === 'DigitalCertificateRef')
      .map((reference) => {
        const id = reference.value('Id');
        const definition = id ? certificateDefinition(id, elements, unit, inputs) : undefined;
        const read = definition?.resolvedPath ? inputs.readCertificate(definition.resolvedPath) : undefined;
        return { element: reference, id, definition, certificate: read?.ok && read.certificate.encoding === 'der' ? read.certificate : undefined };
      }),
  };
}

/** The DigitalCertificate a reference names: in the patch's own sources first, then in any product's PatchCertificates. */
function certificateDefinition(id: string, patchElements: WixElement[], unit: CompilationUnit, inputs: PatchInputs): PatchCertificateEntry | undefined {
  const own = patchElements.find((element) => element.name === 'DigitalCertificate' && element.value('Id') === id);
  if (own) return patchCertificate(own, unit, inputs.fs);
  for (const product of inputs.products) {
    const entry = product.patchCertificates.find((candidate) => candidate.id === id);
    if (entry) return entry;
  }
  // A fragment of the product's project that the product does not link (yet) still says which file is meant.
  const anywhere = inputs.certificateElements().find(({ element }) => element.value('Id') === id);
  return anywhere ? patchCertificate(anywhere.element, anywhere.unit, inputs.fs) : undefined;
}

function fileReference(element: WixElement, attribute: string, unit: CompilationUnit, fs: FileSystem): PatchFileReference | undefined {
  const found = resolveAuthoredPath(element, attribute, unit, fs);
  return found ? { attribute, authored: found.authored, resolvedPath: found.resolvedPath, searched: found.searched, unresolved: found.unresolved } : undefined;
}

/**
 * Products a baseline path stands for when it is not a readable product in the workspace: a
 * path into a project's output folder (`..\Product\bin\Release\Product.msi`, or a .wixpdb), or
 * `$(var.Product.TargetPath)`, which the WiX build defines for a ProjectReference.
 */
function productsBuiltBy(reference: PatchFileReference, inputs: PatchInputs, patchProject: WixProject | undefined): ProductModel[] {
  for (const unresolved of reference.unresolved) {
    const named = patchProject && referencedProject(unresolved, patchProject);
    const referenced = named && /^Target(?:Path|Dir|FileName|Name)$/.test(named.property) ? inputs.projects.get(named.path) : undefined;
    if (referenced) return productsOfProject(referenced, inputs.products);
  }
  if (reference.unresolved.length > 0) return [];
  const authoredName = path.basename(toHostPath(reference.authored)).replace(/\.(msi|wixpdb)$/i, '').toLowerCase();
  const paths = reference.resolvedPath ? [reference.resolvedPath] : reference.searched;
  for (const project of inputs.projects.values()) {
    const inOutput = paths.some((candidate) => isInside(project.folder, candidate));
    if (inOutput && project.outputName.toLowerCase() === authoredName) return productsOfProject(project, inputs.products);
  }
  return [];
}

function productsOfProject(project: WixProject, products: ProductModel[]): ProductModel[] {
  return products.filter((product) => product.kind === 'product' && product.unit.project === project);
}

/** The .msp files in the workspace this patch builds: same PatchCode, or the project's output name below its folder. */
function builtPatches(patch: PatchModel, inputs: PatchInputs): BuiltPatch[] {
  const patches = inputs.databases.filter((database) => database.kind === 'msp');
  if (patch.patchCode) {
    const code = normalizeProductCode(patch.patchCode);
    const same = patches.filter((database) => database.patchCode && normalizeProductCode(database.patchCode) === code);
    if (same.length > 0) return same.map((database) => ({ database, via: l10n.t('same PatchCode') }));
  }
  const project = patch.unit.project;
  const folder = project?.folder ?? patch.element.source.folder;
  const name = `${project?.outputName ?? path.basename(patch.element.source.path, path.extname(patch.element.source.path))}.msp`.toLowerCase();
  // obj/ holds the build's intermediate copy; bin/ (or the OutputPath) the one that ships.
  const isIntermediate = (file: string): boolean => path.relative(folder, file).split(path.sep).some((part) => part.toLowerCase() === 'obj');
  return patches
    .filter((database) => isInside(folder, database.path) && !isIntermediate(database.path) && path.basename(database.path).toLowerCase() === name)
    .map((database) => ({ database, via: project ? l10n.t('output of {0}', path.basename(project.path)) : l10n.t('named after {0}', path.basename(patch.element.source.path)) }));
}
