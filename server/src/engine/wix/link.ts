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
  // Only kinds something refers to can pull a fragment in; reading the Id of every File and
  // RegistryValue of a harvested source would be wasted work.
  const referencedKinds = new Set<string>(['CustomAction', 'Directory', 'Binary', 'File']);
  for (const section of sections) {
    for (const element of section.descendants()) if (element.name.endsWith('Ref')) referencedKinds.add(element.name.slice(0, -3));
  }
  const definers = new Map<string, WixElement[]>();
  for (const section of sections) {
    if (section.name !== 'Fragment') continue;
    for (const element of section.descendants()) {
      const symbol = definedSymbol(element, referencedKinds);
      if (symbol === undefined) continue;
      const list = definers.get(symbol);
      if (list) list.push(section);
      else definers.set(symbol, [section]);
    }
  }
  return sections
    .filter((section) => section.name !== 'Fragment')
    .map((entry) => {
      const linked = new Set<WixElement>([entry]);
      const queue = [entry];
      while (queue.length > 0) {
        const section = queue.shift()!;
        for (const element of section.descendants()) {
          const symbol = referencedSymbol(element);
          if (symbol === undefined) continue;
          for (const fragment of definers.get(symbol) ?? []) {
            if (!linked.has(fragment)) {
              linked.add(fragment);
              queue.push(fragment);
            }
          }
        }
      }
      return { entry, sections: [...linked] };
    });
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
