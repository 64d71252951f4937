// Places outside a patch that name its built .msp: the WiX <Patch> that builds it, a publishing
// manifest's OriginFile, a Burn bundle's MspPackage. What is wrong with the .msp is shown there
// too, since that is where the author is working.

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { SdpManifest } from './manifest/sdp';
import type { DatabaseModel } from './package/model';
import { isInside } from './paths';
import type { BundleModel } from './wix/model';
import type { PatchModel } from './wix/patch';
import { referencedProject } from './wix/project';
import type { WixElement } from './wix/preprocessor';
import type { SourceFile } from './wix/source';
import type { XmlElement } from './xml/parser';

export interface PatchReference {
  kind: 'patch' | 'manifest' | 'bundle';
  source: SourceFile;
  node: XmlElement;
  /** The WiX element, for references in WiX sources (suppression, preprocessor conditions). */
  element?: WixElement;
  /** "the <Patch> that builds it", "the publishing manifest Hotfix.sdp", "the bundle's MspPackage". */
  description: string;
  database: DatabaseModel;
}

export function patchReferences(patches: PatchModel[], manifests: SdpManifest[], bundles: BundleModel[], databases: DatabaseModel[]): PatchReference[] {
  const references: PatchReference[] = [];
  for (const patch of patches) {
    for (const { database } of patch.builds) {
      references.push({ kind: 'patch', source: patch.element.source, node: patch.element.xml, element: patch.element, description: l10n.t('the <Patch> in {0}', path.basename(patch.element.source.path)), database });
    }
  }
  const patchFiles = databases.filter((database) => database.kind === 'msp');
  for (const manifest of manifests) {
    for (const item of manifest.items) {
      const origin = item.originFile;
      if (!origin?.fileName) continue;
      for (const database of filesNamed(origin.fileName, manifest.source.folder, patchFiles)) {
        references.push({ kind: 'manifest', source: manifest.source, node: origin.element, description: l10n.t('the publishing manifest {0}', path.basename(manifest.source.path)), database });
      }
    }
  }
  for (const bundle of bundles) {
    for (const msp of bundle.mspPackages) {
      for (const database of bundlePatchFiles(msp.sourceFile, bundle, patches, patchFiles)) {
        references.push({ kind: 'bundle', source: msp.element.source, node: msp.element.xml, element: msp.element, description: l10n.t('the MspPackage in {0}', path.basename(msp.element.source.path)), database });
      }
    }
  }
  return references;
}

/**
 * The .msp files an OriginFile/@FileName names: a manifest names only the file, so the copies
 * nearest the manifest (its folder, then below it) win over copies elsewhere in the workspace.
 */
function filesNamed(fileName: string, folder: string, patchFiles: DatabaseModel[]): DatabaseModel[] {
  const name = path.basename(fileName.replace(/\\/g, '/')).toLowerCase();
  const named = patchFiles.filter((database) => path.basename(database.path).toLowerCase() === name);
  const beside = named.filter((database) => path.dirname(database.path) === folder);
  if (beside.length > 0) return beside;
  const below = named.filter((database) => isInside(folder, database.path));
  return below.length > 0 ? below : named;
}

/** The file an MspPackage ships: its SourceFile, or the output of a referenced patch project ($(var.Hotfix.TargetPath)). */
function bundlePatchFiles(sourceFile: BundleModel['mspPackages'][number]['sourceFile'], bundle: BundleModel, patches: PatchModel[], patchFiles: DatabaseModel[]): DatabaseModel[] {
  if (!sourceFile) return [];
  if (sourceFile.resolvedPath) return patchFiles.filter((database) => database.path === sourceFile.resolvedPath);
  const project = bundle.unit.project;
  for (const unresolved of sourceFile.unresolved) {
    const named = project && referencedProject(unresolved, project);
    if (named?.property === 'TargetPath') return patches.filter((patch) => patch.unit.project?.path === named.path).flatMap((patch) => patch.builds.map((build) => build.database));
  }
  return [];
}
