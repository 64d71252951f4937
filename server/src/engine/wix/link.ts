// Which sections a package gets. The WiX linker starts from the entry section (Product,
// Package, Module, Bundle, Patch) and pulls in every Fragment that defines a symbol referenced
// by what is already linked, transitively. Unreferenced fragments never reach the package.

import type { WixElement } from './preprocessor';

export const ENTRY_SECTIONS = new Set(['Product', 'Package', 'Module', 'Bundle', 'Patch', 'PatchCreation']);

export interface LinkedEntry {
  entry: WixElement;
  /** The entry itself followed by the fragments it links, in discovery order. */
  sections: WixElement[];
}

/** Top-level sections of preprocessed `<Wix>` roots. In WiX v3 a `<Package>` below `<Product>` is not a section. */
export function sectionsOf(roots: WixElement[]): WixElement[] {
  const sections: WixElement[] = [];
  for (const root of roots) {
    if (root.name !== 'Wix') continue;
    for (const child of root.children) if (ENTRY_SECTIONS.has(child.name) || child.name === 'Fragment') sections.push(child);
  }
  return sections;
}

export function link(sections: WixElement[]): LinkedEntry[] {
  // Only kinds something refers to can pull a fragment in (see referencedSymbol); reading the Id
  // of every File and RegistryValue of a harvested source would be wasted work.
  const referencedKinds = new Set<string>();
  // Indexed loops here and below: they run over every element once, mostly before the code is optimised.
  for (const section of sections) {
    const elements = section.descendants();
    for (let i = 0; i < elements.length; i++) {
      const kinds = kindsReferencedBy(elements[i].name);
      for (let k = 0; k < kinds.length; k++) referencedKinds.add(kinds[k]);
    }
  }
  const definers = new Map<string, WixElement[]>();
  /** The kinds of symbol each fragment defines. */
  const kindsDefinedBy = new Map<WixElement, Set<string>>();
  for (const section of sections) {
    if (section.name !== 'Fragment') continue;
    const elements = section.descendants();
    for (let i = 0; i < elements.length; i++) {
      const symbol = definedSymbol(elements[i], referencedKinds);
      if (symbol === undefined) continue;
      const list = definers.get(symbol);
      if (list) list.push(section);
      else definers.set(symbol, [section]);
      const kind = symbol.slice(0, symbol.indexOf(':'));
      const kinds = kindsDefinedBy.get(section);
      if (kinds) kinds.add(kind);
      else kindsDefinedBy.set(section, new Set([kind]));
    }
  }
  return sections
    .filter((section) => section.name !== 'Fragment')
    .map((entry) => {
      // A reference can only pull in a fragment that defines its kind and is not linked yet: once
      // every such fragment is in (the one Directory tree of a harvested source, say), the
      // thousands of elements that refer to that kind need not be read.
      const unlinkedOfKind = new Map<string, number>();
      for (const kinds of kindsDefinedBy.values()) for (const kind of kinds) unlinkedOfKind.set(kind, (unlinkedOfKind.get(kind) ?? 0) + 1);
      const mayPullIn = (kind: string): boolean => (unlinkedOfKind.get(kind) ?? 0) > 0;
      const linked = new Set<WixElement>([entry]);
      const queue = [entry];
      while (queue.length > 0) {
        const elements = queue.shift()!.descendants();
        for (let i = 0; i < elements.length; i++) {
          const element = elements[i];
          if (!kindsReferencedBy(element.name).some(mayPullIn)) continue;
          const symbol = referencedSymbol(element);
          if (symbol === undefined) continue;
          for (const fragment of definers.get(symbol) ?? []) {
            if (linked.has(fragment)) continue;
            linked.add(fragment);
            queue.push(fragment);
            for (const kind of kindsDefinedBy.get(fragment) ?? []) unlinkedOfKind.set(kind, unlinkedOfKind.get(kind)! - 1);
          }
        }
      }
      return { entry, sections: [...linked] };
    });
}

const NO_KINDS: readonly string[] = [];
const DIRECTORY: readonly string[] = ['Directory'];
const CUSTOM_ACTION: readonly string[] = ['CustomAction'];
const BINARY_OR_FILE: readonly string[] = ['Binary', 'File'];

/** The kinds of symbol an element of this name may refer to; referencedSymbol reads which one. */
function kindsReferencedBy(name: string): readonly string[] {
  if (name.endsWith('Ref')) return [name.slice(0, -3)];
  if (name === 'Custom') return CUSTOM_ACTION;
  if (name === 'Component' || name === 'ComponentGroup') return DIRECTORY;
  if (name === 'CustomAction') return BINARY_OR_FILE;
  return NO_KINDS;
}

function definedSymbol(element: WixElement, referencedKinds: Set<string>): string | undefined {
  const name = element.name;
  if (name === 'SetProperty' || name === 'SetDirectory') {
    const id = element.value('Id');
    const action = element.value('Action') ?? (id ? `Set${id}` : undefined);
    return action ? `CustomAction:${action}` : undefined;
  }
  if (!referencedKinds.has(name)) return undefined;
  const id = element.value('Id');
  return id ? `${name}:${id}` : undefined;
}

function referencedSymbol(element: WixElement): string | undefined {
  const name = element.name;
  if (name.endsWith('Ref')) {
    const id = element.value('Id');
    return id ? `${name.slice(0, -3)}:${id}` : undefined;
  }
  if (name === 'Custom') {
    const action = element.value('Action');
    return action ? `CustomAction:${action}` : undefined;
  }
  if (name === 'Component' || name === 'ComponentGroup') {
    const directory = element.value('Directory');
    return directory ? `Directory:${directory}` : undefined;
  }
  if (name === 'CustomAction') {
    // The DLL or file a custom action runs from (v4 BinaryRef/FileRef, v3 BinaryKey/FileKey).
    const binary = element.value('BinaryRef') ?? element.value('BinaryKey');
    if (binary) return `Binary:${binary}`;
    const file = element.value('FileRef') ?? element.value('FileKey');
    return file ? `File:${file}` : undefined;
  }
  return undefined;
}
