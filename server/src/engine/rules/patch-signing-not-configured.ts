/**
 * Flags a .wixproj that builds a patch and has no step that signs it. WiX has no target that
 * signs a .msp (the SDK's signing hooks run for packages, merge modules and bundles only), so an
 * unsigned patch is what such a project produces, and Windows Installer applies an unsigned patch
 * only with administrator rights.
 */

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { validityState, type CertificateInfo } from '../certificates';
import type { PatchModel } from '../wix/patch';
import { signingTargetFixes } from '../wix/signing';
import { describeCertificate } from './certificate-fixes';
import { related, type Rule } from './rule';

export const patchSigningNotConfigured: Rule = {
  id: 'patch-signing-not-configured',
  defaultSeverity: 'warning',
  get description() {
    return l10n.t('A .wixproj that builds a patch has no step that signs it after the build (signtool, AzureSignTool, osslsigncode or another Sign* target).');
  },
  check(context) {
    const byProject = new Map<string, PatchModel[]>();
    for (const patch of context.patches) {
      const project = patch.unit.project;
      // A library's <Patch> is built by the project that links it, not by the library.
      if (!project || !patch.projectSource || project.outputType.toLowerCase() === 'library') continue;
      byProject.set(project.path, [...(byProject.get(project.path) ?? []), patch]);
    }
    for (const [projectPath, patches] of byProject) {
      const setup = patches[0].signing;
      if (!setup || setup.step) continue;
      const source = patches[0].projectSource!;
      const root = source.xml.root;
      if (!root) continue;
      const project = patches[0].unit.project!;
      const certificates = targetCertificates(patches, context.now);
      const projectName = path.basename(projectPath);
      const problem =
        project.outputType.toLowerCase() === 'patch'
          ? l10n.t('{0} builds the patch {1} but no step of the build signs it: Windows Installer applies an unsigned patch only with administrator rights, so non-administrators get a UAC prompt.', projectName, `${project.outputName}.msp`)
          : l10n.t('{0} builds a patch ({1}) but no step of the build signs it: Windows Installer applies an unsigned patch only with administrator rights, so non-administrators get a UAC prompt.', projectName, path.basename(patches[0].element.source.path));
      const signCommand = 'signtool sign /fd SHA256 /tr … /td SHA256';
      const remedy =
        certificates.length > 0
          ? l10n.t('Add a target that runs after the build and signs the .msp with SHA-256 and a timestamp ({0}), using a certificate the target products list in PatchCertificates such as {1}.', signCommand, certificates.map(describeCertificate).join(l10n.t(' or ')))
          : l10n.t('Add a target that runs after the build and signs the .msp with SHA-256 and a timestamp ({0}), using a certificate the target products list in PatchCertificates.', signCommand);
      context.report({
        source,
        node: root,
        message: [problem, remedy, ...setup.ineffective.map((entry) => entry.explanation)].join(' '),
        fixes: signingTargetFixes(
          source,
          certificates.map((certificate) => ({ sha1: certificate.sha1, description: describeCertificate(certificate) })),
        ),
        related: patches.map((patch) => related(patch.element, l10n.t('the patch this project builds'))),
      });
    }
  },
};

/** The targets' listed certificates, each once, valid today first; expired ones are left out (they cannot sign a new patch). */
function targetCertificates(patches: PatchModel[], now: Date): CertificateInfo[] {
  const seen = new Set<string>();
  const certificates: CertificateInfo[] = [];
  for (const patch of patches) {
    for (const { target } of patch.targets) {
      for (const certificate of target.certificates) {
        if (seen.has(certificate.sha1) || validityState(certificate, now) === 'expired') continue;
        seen.add(certificate.sha1);
        certificates.push(certificate);
      }
    }
  }
  const rank = (certificate: CertificateInfo): number => (validityState(certificate, now) === 'valid' ? 0 : 1);
  return certificates.map((certificate, index) => ({ certificate, index })).sort((a, b) => rank(a.certificate) - rank(b.certificate) || a.index - b.index).map(({ certificate }) => certificate);
}
