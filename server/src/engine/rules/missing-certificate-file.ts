/** Flags a DigitalCertificate whose SourceFile names no existing file, or no file at all. */

import * as l10n from '@vscode/l10n';
import { authoredRelativePath } from '../paths';
import type { PatchCertificateEntry } from '../wix/model';
import { useExistingCertificateFixes } from './certificate-fixes';
import { conditionNote, type Rule, uniquePatchCertificates } from './rule';

export const missingCertificateFile: Rule = {
  id: 'missing-certificate-file',
  defaultSeverity: 'error',
  get description() {
    return l10n.t('A DigitalCertificate SourceFile does not exist.');
  },
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
          authored !== ''
            ? l10n.t('Certificate file not found: {0}{1}{2}. The build fails, and no MsiPatchCertificate row can be written.', shownPath(certificate), whereLooked(certificate, product.unit.project?.folder), note)
            : certificate.sourceFile
              ? l10n.t('This DigitalCertificate has an empty SourceFile{0}. The build fails, and no MsiPatchCertificate row can be written. Name the DER certificate (.cer) that signs your patches.', note)
              : l10n.t('This DigitalCertificate has no SourceFile{0}. The build fails, and no MsiPatchCertificate row can be written. Name the DER certificate (.cer) that signs your patches.', note),
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
  return ` ${l10n.t('(neither {0}, next to this source, nor {1}, from the project folder where WiX resolves it under MSBuild, exists)', fromSource, fromProject)}`;
}
