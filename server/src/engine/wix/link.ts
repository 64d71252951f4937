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
  const definers = new Map<string, WixElement[]>();
  for (const section of sections) {
    if (section.name !== 'Fragment') continue;
    for (const element of section.descendants()) {
      for (const symbol of definedSymbols(element)) {
        const list = definers.get(symbol);
        if (list) list.push(section);
        else definers.set(symbol, [section]);
      }
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
          for (const symbol of referencedSymbols(element)) {
            for (const fragment of definers.get(symbol) ?? []) {
              if (!linked.has(fragment)) {
                linked.add(fragment);
                queue.push(fragment);
              }
            }
          }
        }
      }
      return { entry, sections: [...linked] };
    });
}

function definedSymbols(element: WixElement): string[] {
  if (element.name.endsWith('Ref')) return [];
  const id = element.value('Id');
  if (element.name === 'SetProperty' || element.name === 'SetDirectory') {
    const action = element.value('Action') ?? (id ? `Set${id}` : undefined);
    return action ? [`CustomAction:${action}`] : [];
  }
  return id ? [`${element.name}:${id}`] : [];
}

function referencedSymbols(element: WixElement): string[] {
  const symbols: string[] = [];
  const id = element.value('Id');
  if (element.name.endsWith('Ref') && id) symbols.push(`${element.name.slice(0, -3)}:${id}`);
  if (element.name === 'Custom') {
    const action = element.value('Action');
    if (action) symbols.push(`CustomAction:${action}`);
  }
  const directory = element.value('Directory');
  if (directory && (element.name === 'Component' || element.name === 'ComponentGroup')) symbols.push(`Directory:${directory}`);
  return symbols;
}
