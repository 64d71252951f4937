// What a linked package means to Windows Installer, in the terms the rules need: scope,
// InstallerVersion, properties, registry writes and patch certificates, each with the element
// that authored it.

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { FileSystem } from '../fs';
import { findExisting, isAbsoluteAuthoredPath, isForeignAbsolutePath, toHostPath } from '../paths';
import type { LinkedEntry } from './link';
import type { Resolved, WixElement } from './preprocessor';
import type { CompilationUnit } from './project';

export type PropertyAuthoring = 'Property' | 'SetProperty' | 'CustomAction' | 'MsiProperty';

export interface PropertyAssignment {
  name: string;
  value: Resolved;
  authoring: PropertyAuthoring;
  element: WixElement;
  /** Attribute holding the name; the value is in `valueAttribute`, or in the inner text when that is undefined. */
  nameAttribute: string;
  valueAttribute?: string;
}

export interface RegistryWrite {
  element: WixElement;
  /** HKLM, HKCU, HKCR, HKU or HKMU (HKLM for per-machine, HKCU for per-user installs). */
  root?: string;
  key: string;
  name?: string;
  value?: string;
  type?: string;
}

export interface PatchCertificateEntry {
  element: WixElement;
  id?: string;
  /** SourceFile after substitution; undefined when the attribute is missing. */
  sourceFile?: Resolved;
  /** The file found on disk, if any. */
  resolvedPath?: string;
  /** Paths tried, for the message when nothing was found. */
  searched: string[];
  /** True when the path holds references (bind paths, undefined variables) that cannot be resolved here. */
  unresolvable: boolean;
}

export type ScopeName = 'perMachine' | 'perUser' | 'perMachineOrUser' | 'perUserOrMachine';

export interface ScopeInfo {
  scope: ScopeName;
  /** What Windows Installer does by default for this package. */
  perMachine: boolean;
  /** Why, in words: "Package/@Scope is perUser". */
  reason: string;
  element?: WixElement;
  attribute?: string;
  /**
   * References the scope depends on that the sources do not define (a `-d` value): the scope is
   * then unknown, and `scope`/`perMachine` only the likelier reading (per-machine).
   */
  unresolved?: string[];
}

export interface InstallerVersionInfo {
  value: number;
  reason: string;
  /** The element holding InstallerVersion (authored or not): v3 Product/Package, v4 Package. */
  element: WixElement;
  authored: boolean;
  /**
   * References in the authored value that the sources do not define (a `-d` or per-configuration
   * value): the real version is then unknown, and `value` is only the compiler's default.
   */
  unresolved: string[];
}

export interface ProductModel {
  kind: 'product' | 'module';
  wixVersion: 3 | 4;
  /** v3 `<Product>`, v4 `<Package>`, or `<Module>`. */
  element: WixElement;
  /** Where package attributes live: v3 `<Product><Package>`, v4 the `<Package>` itself. */
  packageElement?: WixElement;
  name?: string;
  productCode?: string;
  scope: ScopeInfo;
  installerVersion: InstallerVersionInfo;
  properties: PropertyAssignment[];
  registryWrites: RegistryWrite[];
  patchCertificatesElements: WixElement[];
  patchCertificates: PatchCertificateEntry[];
  /** Every element the package gets. */
  elements: WixElement[];
  unit: CompilationUnit;
}

export interface BundleModel {
  element: WixElement;
  msiProperties: PropertyAssignment[];
  /** Chain items that install a patch, with the .msp they name. */
  mspPackages: { element: WixElement; sourceFile?: AuthoredPath }[];
  elements: WixElement[];
  unit: CompilationUnit;
}

export function buildProduct(linked: LinkedEntry, wixVersion: 3 | 4, unit: CompilationUnit, fs: FileSystem): ProductModel {
  const entry = linked.entry;
  const elements = linkedElements(linked);
  const read = elementsRead(elements);
  const packageElement = wixVersion === 3 ? entry.children.find((child) => child.name === 'Package') : entry;
  const properties = propertyAssignments(read.propertyElements);
  const scope = wixVersion === 3 ? scopeV3(packageElement, properties) : scopeV4(entry);
  const patchCertificatesElements = read.patchCertificates;
  return {
    kind: entry.name === 'Module' ? 'module' : 'product',
    wixVersion,
    element: entry,
    packageElement,
    name: entry.value('Name'),
    productCode: wixVersion === 3 ? entry.value('Id') : entry.value('ProductCode'),
    scope,
    installerVersion: installerVersion(wixVersion, packageElement ?? entry, unit),
    properties,
    registryWrites: read.registryValues.map((element) => new AuthoredRegistryWrite(element)),
    patchCertificatesElements,
    patchCertificates: patchCertificatesElements
      .flatMap((container) => container.children.filter((child) => child.name === 'DigitalCertificate'))
      .map((certificate) => patchCertificate(certificate, unit, fs)),
    elements,
    unit,
  };
}

export function buildBundle(linked: LinkedEntry, unit: CompilationUnit, fs: FileSystem): BundleModel {
  const elements = linkedElements(linked);
  const mspPackages = elements
    .filter((element) => element.name === 'MspPackage')
    .map((element) => {
      // v4 may name the file in a child <MspPackagePayload SourceFile>; v3 and v4 in @SourceFile.
      const payload = element.children.find((child) => child.name === 'MspPackagePayload');
      const sourceFile = resolveAuthoredPath(element, 'SourceFile', unit, fs) ?? (payload ? resolveAuthoredPath(payload, 'SourceFile', unit, fs) : undefined);
      return { element, sourceFile };
    });
  return { element: linked.entry, msiProperties: propertyAssignments(elements).filter((p) => p.authoring === 'MsiProperty'), mspPackages, elements, unit };
}

/**
 * The elements the product model reads, picked out in one pass over the package: a harvested
 * source has tens of thousands of others, and each pass over all of them costs milliseconds in
 * a one-shot run, before the code is optimised (hence also the indexed loop: a for-of costs an
 * iterator result per element there).
 */
function elementsRead(elements: WixElement[]): { propertyElements: WixElement[]; registryValues: WixElement[]; patchCertificates: WixElement[] } {
  const propertyElements: WixElement[] = [];
  const registryValues: WixElement[] = [];
  const patchCertificates: WixElement[] = [];
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    switch (element.name) {
      case 'RegistryValue':
        registryValues.push(element);
        break;
      case 'Property':
      case 'SetProperty':
      case 'CustomAction':
      case 'MsiProperty':
        propertyElements.push(element);
        break;
      case 'PatchCertificates':
        patchCertificates.push(element);
        break;
    }
  }
  return { propertyElements, registryValues, patchCertificates };
}

function propertyAssignments(elements: WixElement[]): PropertyAssignment[] {
  const assignments: PropertyAssignment[] = [];
  for (const element of elements) {
    switch (element.name) {
      case 'Property': {
        const name = element.value('Id');
        if (!name) break;
        const value = element.resolved('Value');
        if (value) assignments.push({ name, value, authoring: 'Property', element, nameAttribute: 'Id', valueAttribute: 'Value' });
        else if (element.text.value !== '') assignments.push({ name, value: element.text, authoring: 'Property', element, nameAttribute: 'Id' });
        break;
      }
      case 'SetProperty': {
        const name = element.value('Id');
        const value = element.resolved('Value');
        if (name && value) assignments.push({ name, value, authoring: 'SetProperty', element, nameAttribute: 'Id', valueAttribute: 'Value' });
        break;
      }
      case 'CustomAction': {
        // Type 51: a custom action that sets a property to a formatted value.
        const name = element.value('Property');
        const value = element.resolved('Value');
        if (name && value) assignments.push({ name, value, authoring: 'CustomAction', element, nameAttribute: 'Property', valueAttribute: 'Value' });
        break;
      }
      case 'MsiProperty': {
        const name = element.value('Name');
        const value = element.resolved('Value');
        if (name && value) assignments.push({ name, value, authoring: 'MsiProperty', element, nameAttribute: 'Name', valueAttribute: 'Value' });
        break;
      }
    }
  }
  return assignments;
}

/** A scope decided at build time; rules that depend on the scope leave such a product alone. */
function unknownScope(what: string, unresolved: string[], element: WixElement, attribute: string): ScopeInfo {
  return { scope: 'perMachine', perMachine: true, reason: l10n.t('{0} depends on {1}, which the sources do not define', what, unresolved.join(', ')), element, attribute, unresolved };
}

function scopeV3(packageElement: WixElement | undefined, properties: PropertyAssignment[]): ScopeInfo {
  const installScopeUnresolved = packageElement?.resolved('InstallScope')?.unresolved ?? [];
  if (packageElement && installScopeUnresolved.length > 0) return unknownScope('Package/@InstallScope', installScopeUnresolved, packageElement, 'InstallScope');
  const installScope = packageElement?.value('InstallScope');
  if (installScope === 'perMachine') return { scope: 'perMachine', perMachine: true, reason: l10n.t('{0} is {1}', 'Package/@InstallScope', 'perMachine'), element: packageElement, attribute: 'InstallScope' };
  if (installScope === 'perUser') return { scope: 'perUser', perMachine: false, reason: l10n.t('{0} is {1}', 'Package/@InstallScope', 'perUser'), element: packageElement, attribute: 'InstallScope' };
  const allUsers = [...properties].reverse().find((p) => p.name === 'ALLUSERS' && p.authoring === 'Property');
  if (allUsers) {
    const where = { element: allUsers.element, attribute: allUsers.valueAttribute ?? allUsers.nameAttribute };
    if (allUsers.value.unresolved.length > 0) return unknownScope(l10n.t('The ALLUSERS property'), allUsers.value.unresolved, where.element, where.attribute);
    const value = allUsers.value.value.trim();
    if (value === '1') return { scope: 'perMachine', perMachine: true, reason: l10n.t('the ALLUSERS property is 1'), ...where };
    if (value === '2') {
      const perUser = properties.some((p) => p.name === 'MSIINSTALLPERUSER' && p.value.value.trim() === '1');
      return perUser
        ? { scope: 'perUserOrMachine', perMachine: false, reason: l10n.t('ALLUSERS is 2 and MSIINSTALLPERUSER is 1 (per-user unless chosen otherwise)'), ...where }
        : { scope: 'perMachineOrUser', perMachine: true, reason: l10n.t('ALLUSERS is 2 (per-machine for administrators)'), ...where };
    }
    return { scope: 'perUser', perMachine: false, reason: l10n.t('the ALLUSERS property is "{0}"', value), ...where };
  }
  if (packageElement?.value('InstallPrivileges') === 'limited') {
    return { scope: 'perUser', perMachine: false, reason: l10n.t('{0} is {1}', 'Package/@InstallPrivileges', 'limited'), element: packageElement, attribute: 'InstallPrivileges' };
  }
  return { scope: 'perUser', perMachine: false, reason: l10n.t('no InstallScope and no ALLUSERS property (WiX v3 default: per-user)'), element: packageElement };
}

function scopeV4(packageElement: WixElement): ScopeInfo {
  const unresolved = packageElement.resolved('Scope')?.unresolved ?? [];
  if (unresolved.length > 0) return unknownScope('Package/@Scope', unresolved, packageElement, 'Scope');
  const scope = packageElement.value('Scope');
  const where = { element: packageElement, attribute: scope === undefined ? undefined : 'Scope' };
  switch (scope) {
    case 'perUser':
      return { scope, perMachine: false, reason: l10n.t('{0} is {1}', 'Package/@Scope', 'perUser'), ...where };
    case 'perMachineOrUser':
      return { scope, perMachine: true, reason: l10n.t('{0} is {1} (ALLUSERS=2, per-machine by default)', 'Package/@Scope', 'perMachineOrUser'), ...where };
    case 'perUserOrMachine':
      return { scope, perMachine: false, reason: l10n.t('{0} is {1} (ALLUSERS=2 with MSIINSTALLPERUSER=1, per-user by default)', 'Package/@Scope', 'perUserOrMachine'), ...where };
    case 'perMachine':
      return { scope, perMachine: true, reason: l10n.t('{0} is {1}', 'Package/@Scope', 'perMachine'), ...where };
    default:
      return { scope: 'perMachine', perMachine: true, reason: l10n.t('{0} defaults to {1} in WiX v4 and later', 'Package/@Scope', 'perMachine'), ...where };
  }
}

function installerVersion(wixVersion: 3 | 4, element: WixElement, unit: CompilationUnit): InstallerVersionInfo {
  const authored = element.resolved('InstallerVersion');
  const platform = (element.value('Platform') ?? unit.project?.platform ?? '').toLowerCase();
  // The compilers raise a too-low or missing value on 64-bit platforms.
  const minimum = /arm/.test(platform) ? 500 : /x64|intel64|ia64/.test(platform) ? 200 : 0;
  const byDefault = wixVersion === 4 ? 500 : Math.max(minimum, 100);
  if (authored && authored.unresolved.length > 0) {
    return { value: byDefault, reason: l10n.t('{0} depends on {1}, which the sources do not define', 'InstallerVersion', authored.unresolved.join(', ')), element, authored: true, unresolved: authored.unresolved };
  }
  const parsed = authored !== undefined && /^\s*\d+\s*$/.test(authored.value) ? Number(authored.value) : undefined;
  const known = { element, unresolved: [] };
  if (parsed !== undefined) {
    return parsed >= minimum
      ? { value: parsed, reason: l10n.t('{0} is {1}', 'InstallerVersion', parsed), authored: true, ...known }
      : { value: minimum, reason: l10n.t('InstallerVersion is {0}, raised to {1} for {2}', parsed, minimum, platform), authored: true, ...known };
  }
  const reason =
    wixVersion === 4
      ? l10n.t('WiX v4 and later default InstallerVersion to 500')
      : minimum > 0
        ? l10n.t('WiX v3 defaults InstallerVersion to {0} on {1}', minimum, platform)
        : l10n.t('WiX v3 defaults InstallerVersion to 100 when it is not authored');
  return { value: byDefault, reason, authored: false, ...known };
}

/**
 * A RegistryValue read on demand: a harvested source has thousands, and the rules look at the
 * name of each but at the key, root and value of the few that write the policy only.
 */
class AuthoredRegistryWrite implements RegistryWrite {
  private place?: { root?: string; key: string };

  constructor(readonly element: WixElement) {}

  get root(): string | undefined {
    return this.location().root;
  }

  get key(): string {
    return this.location().key;
  }

  get name(): string | undefined {
    return this.element.value('Name');
  }

  get value(): string | undefined {
    return this.element.value('Value') ?? (this.element.text.value || undefined);
  }

  get type(): string | undefined {
    return this.element.value('Type');
  }

  /** Root and key, completed from the enclosing RegistryKey elements. */
  private location(): { root?: string; key: string } {
    if (this.place) return this.place;
    const element = this.element;
    const keys: string[] = [];
    let root = element.value('Root');
    for (let ancestor = element.parent; ancestor; ancestor = ancestor.parent) {
      if (ancestor.name !== 'RegistryKey') continue;
      const key = ancestor.value('Key');
      if (key) keys.unshift(key);
      root ??= ancestor.value('Root');
    }
    const own = element.value('Key');
    if (own) keys.push(own);
    const key = keys.map((part) => part.replace(/^\\+|\\+$/g, '')).filter((part) => part !== '').join('\\');
    return (this.place = { root, key });
  }
}

export function patchCertificate(element: WixElement, unit: CompilationUnit, fs: FileSystem): PatchCertificateEntry {
  const sourceFile = element.resolved('SourceFile');
  const entry: PatchCertificateEntry = { element, id: element.value('Id'), sourceFile, searched: [], unresolvable: false };
  const found = resolveAuthoredPath(element, 'SourceFile', unit, fs);
  if (!found) return entry;
  return { ...entry, searched: found.searched, resolvedPath: found.resolvedPath, unresolvable: found.unresolvable };
}

export interface AuthoredPath {
  /** The value after substitution. */
  authored: string;
  /** The file found on disk, if any. */
  resolvedPath?: string;
  /** Paths tried. */
  searched: string[];
  /** True when the path holds references (bind paths, undefined variables) that cannot be resolved here. */
  unresolvable: boolean;
  /** The undefined references, e.g. `$(var.Product.TargetPath)`. */
  unresolved: string[];
}

/** A file path authored in an attribute, found the way the WiX compiler would find it; undefined when empty. */
export function resolveAuthoredPath(element: WixElement, attribute: string, unit: CompilationUnit, fs: FileSystem): AuthoredPath | undefined {
  const value = element.resolved(attribute);
  const authored = value?.value.trim() ?? '';
  if (!value || authored === '') return undefined;
  // Build-time references, and drive-letter or UNC paths on a host that has neither, cannot be checked here.
  if (value.unresolved.length > 0 || /!\(/.test(authored) || isForeignAbsolutePath(authored)) {
    return { authored, searched: [], unresolvable: true, unresolved: value.unresolved };
  }
  // WiX resolves relative paths against the compiler's working folder (the project's, under
  // MSBuild); authors usually think relative to the source. Both are tried.
  const candidates = isAbsoluteAuthoredPath(authored)
    ? [toHostPath(authored)]
    : [element.source.folder, unit.project?.folder].filter((folder): folder is string => folder !== undefined).map((folder) => path.resolve(folder, toHostPath(authored)));
  const searched = [...new Set(candidates)];
  const resolvedPath = searched.map((candidate) => findExisting(fs, candidate)).find((found) => found !== undefined);
  return { authored, resolvedPath, searched, unresolvable: false, unresolved: [] };
}

/** The linked sections and everything in them, in document order. */
function linkedElements(linked: LinkedEntry): WixElement[] {
  const elements: WixElement[] = [];
  for (const section of linked.sections) {
    elements.push(section);
    // Copied in native chunks: element by element (or by spreading, which iterates) costs
    // milliseconds on a harvested source before the code is optimised, and one push of all of
    // them could exceed the arguments a call takes.
    const descendants = section.descendants();
    for (let from = 0; from < descendants.length; from += 10_000) elements.push(...descendants.slice(from, from + 10_000));
  }
  return elements;
}
