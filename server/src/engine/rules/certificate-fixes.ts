// Quick fixes that point authoring at a certificate file found in the workspace.

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { validityState, type CertificateInfo, type CertificateReadResult } from '../certificates';
import { authoredRelativePath } from '../paths';
import type { DatabaseModel } from '../package/model';
import type { Fix } from '../types';
import { insertAfter, insertFirstChild, setAttribute } from '../wix/edits';
import type { ProductModel } from '../wix/model';
import type { WixElement } from '../wix/preprocessor';
import type { RuleContext } from './rule';

export interface CertificateChoice {
  path: string;
  certificate: CertificateInfo;
}

/**
 * DER certificates of the workspace, currently valid ones first. PEM files are left out: WiX
 * copies the file into CertData byte for byte, and Windows Installer needs the DER bytes there.
 */
export function certificateChoices(context: RuleContext): CertificateChoice[] {
  const choices: CertificateChoice[] = [];
  for (const candidate of context.workspaceCertificates()) {
    if (candidate.result.ok && candidate.result.certificate.encoding === 'der') choices.push({ path: candidate.path, certificate: candidate.result.certificate });
  }
  const rank = (choice: CertificateChoice): number => (validityState(choice.certificate, context.now) === 'valid' ? 0 : 1);
  return choices.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

/**
 * The DER certificates a product lists in PatchCertificates, where the file resolves and reads.
 * A PEM file lands in CertData as text and never matches a signer: only DER counts.
 */
export function listedCertificates(product: ProductModel, readCertificate: (filePath: string) => CertificateReadResult): CertificateInfo[] {
  return product.patchCertificates.flatMap((entry) => {
    const result = entry.resolvedPath ? readCertificate(entry.resolvedPath) : undefined;
    return result?.ok && result.certificate.encoding === 'der' ? [result.certificate] : [];
  });
}

export function describeCertificate(certificate: CertificateInfo): string {
  return certificate.subjectCommonName ? `CN=${certificate.subjectCommonName}` : certificate.subject;
}

/**
 * SourceFile as WiX should read it. WiX resolves relative paths against the compiler's working
 * folder (the project folder under MSBuild), so a source outside that folder anchors the path
 * at $(sys.SOURCEFILEDIR).
 */
export function sourceFileValue(element: WixElement, certificatePath: string, projectFolder: string | undefined): string {
  const relative = authoredRelativePath(element.source.folder, certificatePath);
  const anchored = projectFolder !== undefined && path.resolve(projectFolder) !== path.resolve(element.source.folder);
  return escapeAttributeValue(anchored ? `$(sys.SOURCEFILEDIR)${relative}` : relative);
}

/** File names may hold `&` ("R&D Signing.cer"); written raw it would break the XML. */
function escapeAttributeValue(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

export function certificateId(certificate: CertificateInfo | undefined): string {
  // "Fabrikam Ingeniería S.L." → FabrikamIngenieriaSL: identifiers are ASCII.
  const name = (certificate?.subjectCommonName ?? 'PatchSigning').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const words = name.match(/[A-Za-z0-9]+/g) ?? ['PatchSigning'];
  const id = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  return (/^[A-Za-z_]/.test(id) ? id : `Cert${id}`).slice(0, 72);
}

/** One fix per certificate file in the workspace, else one with a path to fill in. */
export function addPatchCertificatesFixes(product: ProductModel, context: RuleContext): Fix[] {
  const element = product.element;
  const build = (title: string, id: string, sourceFile: string, isPreferred: boolean): Fix => ({
    title,
    isPreferred,
    edits: [insertPatchCertificates(product, ['<PatchCertificates>', `  <DigitalCertificate Id="${id}" SourceFile="${sourceFile}" />`, '</PatchCertificates>'])],
  });
  const choices = certificateChoices(context);
  if (choices.length === 0) {
    return [build(l10n.t('Add PatchCertificates (fill in the path of your patch-signing certificate)'), 'PatchSigning', 'PatchSigning.cer', false)];
  }
  return choices.map((choice, index) => {
    const sourceFile = sourceFileValue(element, choice.path, product.unit.project?.folder);
    return build(l10n.t('Add patch certificate {0} ({1})', describeCertificate(choice.certificate), authoredRelativePath(element.source.folder, choice.path)), certificateId(choice.certificate), sourceFile, index === 0);
  });
}

/**
 * Fixes that set a DigitalCertificate's SourceFile to a DER certificate of the workspace. When
 * the authored file holds a known certificate in the wrong form, its DER copy comes first.
 */
export function useExistingCertificateFixes(certificateElement: WixElement, product: ProductModel, context: RuleContext, sameAs?: CertificateInfo): Fix[] {
  const choices = certificateChoices(context);
  const isSame = (choice: CertificateChoice): boolean => sameAs !== undefined && choice.certificate.sha1 === sameAs.sha1;
  return [...choices.filter(isSame), ...choices.filter((choice) => !isSame(choice))].map((choice) => ({
    title: l10n.t('Use {0} ({1})', authoredRelativePath(certificateElement.source.folder, choice.path), describeCertificate(choice.certificate)),
    ...(isSame(choice) ? { isPreferred: true } : {}),
    edits: [setAttribute(certificateElement, 'SourceFile', sourceFileValue(certificateElement, choice.path, product.unit.project?.folder))],
  }));
}

/** The v3 schema wants <Package> first in <Product>; v4's <Package> takes the block as its first child. */
function insertPatchCertificates(product: ProductModel, lines: string[]) {
  const v3Package = product.wixVersion === 3 ? product.packageElement : undefined;
  return v3Package && v3Package.source === product.element.source ? insertAfter(v3Package, lines) : insertFirstChild(product.element, lines);
}

/**
 * "Extract signer certificate from Hotfix.msp": writes the patch's signer certificate (DER, as
 * embedded in the signature) next to the product's source and lists it in PatchCertificates.
 * When a file with that certificate is already in the workspace, that file is used instead.
 */
export function extractSignerFix(product: ProductModel, patch: DatabaseModel, context: RuleContext): Fix | undefined {
  const signer = patch.signature?.signer;
  if (!signer) return undefined;
  if (listedCertificates(product, context.readCertificate).some((listed) => listed.sha256 === signer.sha256)) return undefined;
  const element = product.element;
  const id = uniqueCertificateId(product, certificateId(signer));
  const existing = certificateChoices(context).find((choice) => choice.certificate.sha256 === signer.sha256);
  const patchName = path.basename(patch.path);
  if (existing) {
    return {
      title: l10n.t('Add patch certificate {0} ({1}), which signed {2}', describeCertificate(signer), authoredRelativePath(element.source.folder, existing.path), patchName),
      edits: [addDigitalCertificate(product, id, sourceFileValue(element, existing.path, product.unit.project?.folder))],
    };
  }
  const target = freeFileName(context, path.join(element.source.folder, `${id}.cer`));
  return {
    title: l10n.t('Extract signer certificate from {0} ({1}) to {2} and add it to PatchCertificates', patchName, describeCertificate(signer), path.basename(target)),
    createFiles: [{ file: target, base64: Buffer.from(signer.der).toString('base64') }],
    edits: [addDigitalCertificate(product, id, sourceFileValue(element, target, product.unit.project?.folder))],
  };
}

function uniqueCertificateId(product: ProductModel, wanted: string): string {
  const taken = new Set(product.patchCertificates.map((entry) => entry.id));
  let id = wanted;
  for (let n = 2; taken.has(id); n++) id = `${wanted.slice(0, 68)}${n}`;
  return id;
}

/** The wanted path, or a numbered one when a different file already has that name. */
function freeFileName(context: RuleContext, wanted: string): string {
  let candidate = wanted;
  for (let n = 2; context.fileExists(candidate); n++) candidate = wanted.replace(/\.cer$/, `-${n}.cer`);
  return candidate;
}

/** Adds a DigitalCertificate to the product's first PatchCertificates, or a whole new block. */
function addDigitalCertificate(product: ProductModel, id: string, sourceFile: string) {
  const line = `<DigitalCertificate Id="${id}" SourceFile="${sourceFile}" />`;
  const container = product.patchCertificatesElements[0];
  return container ? insertFirstChild(container, [line]) : insertPatchCertificates(product, ['<PatchCertificates>', `  ${line}`, '</PatchCertificates>']);
}
