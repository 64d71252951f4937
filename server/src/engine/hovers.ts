// Short explanations on the names that matter for UAC patching.

import * as l10n from '@vscode/l10n';
import type { CertificateReadResult } from './certificates';
import { describeCertificate } from './rules/certificate-fixes';
import { DISABLE_PROPERTY } from './rules/lua-patching-disabled';
import type { Hover, Position, Span } from './types';
import { ruleDocUrl } from './types';
import type { ProductModel } from './wix/model';
import type { SourceFile } from './wix/source';
import type { XmlElement, XmlNode } from './xml/parser';

/** Markdown, read when a hover is asked for: in the language of that moment. */
const EXPLANATIONS = {
  property: () =>
    l10n.t('**{0}** — set to 1, Windows Installer refuses least-privilege (UAC) patching for this product: every patch then needs an administrator, even one signed with a certificate from MsiPatchCertificate.', DISABLE_PROPERTY),
  policy: () =>
    l10n.t("**DisableLUAPatching** (machine policy under {0}) — non-zero disables UAC patching for every product on the machine. It is an administrator's setting; a package should not write it.", '`HKLM\\Software\\Policies\\Microsoft\\Windows\\Installer`'),
  patchCertificates: () =>
    l10n.t('**PatchCertificates** — fills the MsiPatchCertificate table: the certificates whose signed patches a non-administrator may apply to this per-machine product without a UAC prompt (Windows Installer 3.0 or later).'),
  digitalCertificate: () => l10n.t('**DigitalCertificate** — a row of MsiDigitalCertificate; its `SourceFile` is the DER certificate (.cer) that signs your patches.'),
};

export function hoverAt(source: SourceFile, position: Position, products: ProductModel[], readCertificate: (filePath: string) => CertificateReadResult): Hover | undefined {
  const offset = source.lines.offsetAt(position);
  const element = elementAt(source.xml.children, offset);
  if (!element) return undefined;
  const within = (span: Span | undefined): span is Span => span !== undefined && offset >= span.start && offset <= span.end;
  const make = (span: Span, text: string, ruleId: string): Hover => ({ range: source.range(span), contents: `${text}\n\n[wix-uac: ${ruleId}](${ruleDocUrl(ruleId)})` });

  for (const attribute of element.attributes) {
    if (!within(attribute.valueSpan) && !within(attribute.nameSpan)) continue;
    if (attribute.value === DISABLE_PROPERTY) return make(attribute.valueSpan ?? attribute.nameSpan, EXPLANATIONS.property(), 'lua-patching-disabled');
    if (attribute.value?.toLowerCase() === 'disableluapatching' && element.localName === 'RegistryValue') {
      return make(attribute.valueSpan ?? attribute.nameSpan, EXPLANATIONS.policy(), 'lua-patching-policy-disabled');
    }
  }
  if (!within(element.nameSpan)) return undefined;
  if (element.localName === 'PatchCertificates') return make(element.nameSpan, EXPLANATIONS.patchCertificates(), 'missing-patch-certificate');
  if (element.localName === 'DigitalCertificate') {
    return make(element.nameSpan, EXPLANATIONS.digitalCertificate() + certificateDetails(element, products, readCertificate), 'missing-certificate-file');
  }
  return undefined;
}

function certificateDetails(element: XmlElement, products: ProductModel[], readCertificate: (filePath: string) => CertificateReadResult): string {
  for (const product of products) {
    const entry = product.patchCertificates.find((candidate) => candidate.element.xml === element);
    if (!entry?.resolvedPath) continue;
    const result = readCertificate(entry.resolvedPath);
    if (!result.ok) return `\n\n\`${entry.sourceFile?.value}\`: ${result.reason}`;
    const c = result.certificate;
    const rows: [string, string][] = [
      [l10n.t({ message: 'Subject', comment: ['Of a certificate: the name it is issued to'] }), describeCertificate(c)],
      [l10n.t({ message: 'Issuer', comment: ['Of a certificate'] }), c.issuer],
      ['SHA-1', `\`${c.sha1}\``],
      [l10n.t({ message: 'Valid', comment: ['Of a certificate: followed by its validity period'] }), `${c.notBefore.toISOString().slice(0, 10)} – ${c.notAfter.toISOString().slice(0, 10)}`],
    ];
    return `\n\n| | |\n|---|---|\n${rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n')}`;
  }
  return '';
}

/** The innermost element whose start tag contains the offset (a loop, not recursion: documents can nest deeper than the stack). */
function elementAt(nodes: XmlNode[], offset: number): XmlElement | undefined {
  let siblings = nodes;
  for (;;) {
    const node = siblings.find((candidate) => candidate.kind === 'element' && offset >= candidate.span.start && offset <= candidate.span.end) as XmlElement | undefined;
    if (!node || offset <= node.startTagSpan.end) return node;
    siblings = node.children;
  }
}
