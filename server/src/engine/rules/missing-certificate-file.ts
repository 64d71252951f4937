/** Flags a DigitalCertificate whose SourceFile names no existing file, or no file at all. */

import { authoredRelativePath } from '../paths';
import type { PatchCertificateEntry } from '../wix/model';
import { useExistingCertificateFixes } from './certificate-fixes';
import { conditionNote, type Rule, uniquePatchCertificates } from './rule';

const CONSEQUENCE = 'The build fails, and no MsiPatchCertificate row can be written.';

export const missingCertificateFile: Rule = {
  id: 'missing-certificate-file',
  defaultSeverity: 'error',
  description: 'A DigitalCertificate SourceFile does not exist.',
  check(context) {
    for (const { product, entry: certificate } of uniquePatchCertificates(context)) {
      if (certificate.unresolvable || certificate.resolvedPath) continue;
      const authored = certificate.sourceFile?.value.trim() ?? '';
      if (authored !== '' && certificate.searched.length === 0) continue;
      const element = certificate.element;
      const note = conditionNote(element);
      context.report({
        element,
        span: element.attribute('SourceFile')?.valueSpan,
        message:
          authored === ''
            ? `This DigitalCertificate has ${certificate.sourceFile ? 'an empty SourceFile' : 'no SourceFile'}${note}. ${CONSEQUENCE} Name the DER certificate (.cer) that signs your patches.`
            : `Certificate file not found: ${shownPath(certificate)}${whereLooked(certificate, product.unit.project?.folder)}${note}. ${CONSEQUENCE}`,
        fixes: useExistingCertificateFixes(element, product, context),
      });
    }
  },
};

/** The path as written; after variables, as the path from this source's folder. */
function shownPath(certificate: PatchCertificateEntry): string {
  const resolved = certificate.sourceFile?.value.trim() ?? '';
  const written = certificate.element.attribute('SourceFile')?.value?.trim();
  if (written === undefined || written === resolved) return resolved;
  return `${written} (${authoredRelativePath(certificate.element.source.folder, certificate.searched[0])})`;
}

/** With a project, both places WiX may resolve the path from, relative to the project folder. */
function whereLooked(certificate: PatchCertificateEntry, projectFolder: string | undefined): string {
  if (projectFolder === undefined || certificate.searched.length < 2) return '';
  const [fromSource, fromProject] = certificate.searched.map((candidate) => authoredRelativePath(projectFolder, candidate));
  return ` (neither ${fromSource}, next to this source, nor ${fromProject}, from the project folder where WiX resolves it under MSBuild, exists)`;
}
