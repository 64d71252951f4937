// Writes compound files ([MS-CFB]) from a tree of storages and streams, and says where every
// structure landed (header fields, FAT and mini FAT entries, directory entries, stream bytes),
// so the fuzzer can damage exactly one structure of an otherwise valid package. Written for the
// fuzzer: the project's reader is package/cfb.ts.

export interface CfbNode {
  /** The name as stored (already packed for MSI streams). */
  name: string;
  kind: 'root' | 'storage' | 'stream';
  clsid: Uint8Array;
  stateBits: number;
  created: Uint8Array;
  modified: Uint8Array;
  data: Uint8Array;
  children: CfbNode[];
}

export interface CfbLayout {
  version: 3 | 4;
  sectorSize: number;
  /** Sectors after the header. */
  sectorCount: number;
  fatSectors: number[];
  directorySectors: number[];
  miniFatSectors: number[];
  miniStreamSectors: number[];
  /** Directory entry offsets in the file, by entry id (0 = root). */
  entryOffsets: number[];
  /** Per entry id: the stream's sectors (regular) or mini sectors, and whether mini. */
  chains: Array<{ sectors: number[]; mini: boolean } | undefined>;
  /** Per entry id: file ranges holding the stream's bytes, in order. */
  dataRanges: Array<Array<[number, number]>>;
  /** Entry ids in the order the writer numbered them. */
  nodes: CfbNode[];
}

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const FAT_MARK = 0xfffffffd;
const NO_STREAM = 0xffffffff;
const MINI_CUTOFF = 4096;

export function writeCfb(root: CfbNode, version: 3 | 4 = 3): { bytes: Uint8Array; layout: CfbLayout } {
  const sectorSize = version === 3 ? 512 : 4096;
  // Number the entries breadth-first: the root is 0.
  const nodes: CfbNode[] = [root];
  for (let index = 0; index < nodes.length; index++) nodes.push(...nodes[index].children);
  const idOf = new Map(nodes.map((node, id) => [node, id]));

  // Mini stream: small streams, each in whole 64-byte mini sectors.
  const miniChains: Array<number[] | undefined> = [];
  let miniSectorCount = 0;
  nodes.forEach((node, id) => {
    if (node.kind !== 'stream' || node.data.length === 0 || node.data.length >= MINI_CUTOFF) return;
    const count = Math.ceil(node.data.length / 64);
    miniChains[id] = Array.from({ length: count }, (_, i) => miniSectorCount + i);
    miniSectorCount += count;
  });
  const miniStreamBytes = miniSectorCount * 64;

  const perSector = sectorSize / 4;
  const directorySectorCount = Math.ceil((nodes.length * 128) / sectorSize);
  const miniFatSectorCount = Math.ceil((miniSectorCount * 4) / sectorSize);
  const miniStreamSectorCount = Math.ceil(miniStreamBytes / sectorSize);
  const bigCounts = nodes.map((node) => (node.kind === 'stream' && node.data.length >= MINI_CUTOFF ? Math.ceil(node.data.length / sectorSize) : 0));
  const contentSectors = directorySectorCount + miniFatSectorCount + miniStreamSectorCount + bigCounts.reduce((a, b) => a + b, 0);
  let fatSectorCount = 1;
  while (fatSectorCount * perSector < contentSectors + fatSectorCount) fatSectorCount++;
  if (fatSectorCount > 109) throw new Error('the fuzzer writes packages that need no DIFAT');

  let next = 0;
  const take = (count: number): number[] => Array.from({ length: count }, () => next++);
  const fatSectors = take(fatSectorCount);
  const directorySectors = take(directorySectorCount);
  const miniFatSectors = take(miniFatSectorCount);
  const miniStreamSectors = take(miniStreamSectorCount);
  const bigChains = bigCounts.map((count) => (count > 0 ? take(count) : undefined));
  const sectorCount = next;

  const bytes = new Uint8Array(sectorSize * (sectorCount + 1));
  const view = new DataView(bytes.buffer);
  const sectorOffset = (sector: number): number => (sector + 1) * sectorSize;

  // Header.
  bytes.set(SIGNATURE, 0);
  view.setUint16(24, 0x003e, true);
  view.setUint16(26, version, true);
  view.setUint16(28, 0xfffe, true);
  view.setUint16(30, version === 3 ? 9 : 12, true);
  view.setUint16(32, 6, true);
  view.setUint32(40, version === 3 ? 0 : directorySectorCount, true);
  view.setUint32(44, fatSectorCount, true);
  view.setUint32(48, directorySectors[0], true);
  view.setUint32(56, MINI_CUTOFF, true);
  view.setUint32(60, miniFatSectors.length > 0 ? miniFatSectors[0] : END_OF_CHAIN, true);
  view.setUint32(64, miniFatSectors.length, true);
  view.setUint32(68, END_OF_CHAIN, true);
  view.setUint32(72, 0, true);
  for (let index = 0; index < 109; index++) view.setUint32(76 + index * 4, index < fatSectors.length ? fatSectors[index] : FREE, true);

  // FAT.
  const fat = new Uint32Array(fatSectorCount * perSector).fill(FREE);
  for (const sector of fatSectors) fat[sector] = FAT_MARK;
  const link = (chain: number[], table: Uint32Array): void => chain.forEach((sector, i) => (table[sector] = i + 1 < chain.length ? chain[i + 1] : END_OF_CHAIN));
  link(directorySectors, fat);
  link(miniFatSectors, fat);
  link(miniStreamSectors, fat);
  for (const chain of bigChains) if (chain) link(chain, fat);
  fatSectors.forEach((sector, index) => {
    for (let entry = 0; entry < perSector; entry++) view.setUint32(sectorOffset(sector) + entry * 4, fat[index * perSector + entry], true);
  });

  // Mini FAT.
  const miniFat = new Uint32Array(miniFatSectorCount * perSector).fill(FREE);
  for (const chain of miniChains) if (chain) link(chain, miniFat);
  miniFatSectors.forEach((sector, index) => {
    for (let entry = 0; entry < perSector; entry++) view.setUint32(sectorOffset(sector) + entry * 4, miniFat[index * perSector + entry], true);
  });

  // Stream bytes.
  const dataRanges: Array<Array<[number, number]>> = nodes.map(() => []);
  const chains: CfbLayout['chains'] = nodes.map(() => undefined);
  const miniOffset = (miniSector: number): number => sectorOffset(miniStreamSectors[Math.floor((miniSector * 64) / sectorSize)]) + ((miniSector * 64) % sectorSize);
  nodes.forEach((node, id) => {
    const mini = miniChains[id];
    const big = bigChains[id];
    if (mini) {
      chains[id] = { sectors: mini, mini: true };
      mini.forEach((miniSector, i) => {
        const piece = node.data.subarray(i * 64, (i + 1) * 64);
        bytes.set(piece, miniOffset(miniSector));
        dataRanges[id].push([miniOffset(miniSector), piece.length]);
      });
    } else if (big) {
      chains[id] = { sectors: big, mini: false };
      big.forEach((sector, i) => {
        const piece = node.data.subarray(i * sectorSize, (i + 1) * sectorSize);
        bytes.set(piece, sectorOffset(sector));
        dataRanges[id].push([sectorOffset(sector), piece.length]);
      });
    }
  });

  // Directory: each storage's children as a balanced binary tree of siblings.
  const entryOffsets = nodes.map((_, id) => sectorOffset(directorySectors[Math.floor((id * 128) / sectorSize)]) + ((id * 128) % sectorSize));
  const left = new Array<number>(nodes.length).fill(NO_STREAM);
  const right = new Array<number>(nodes.length).fill(NO_STREAM);
  const child = new Array<number>(nodes.length).fill(NO_STREAM);
  const build = (ids: number[]): number => {
    if (ids.length === 0) return NO_STREAM;
    const middle = ids.length >> 1;
    left[ids[middle]] = build(ids.slice(0, middle));
    right[ids[middle]] = build(ids.slice(middle + 1));
    return ids[middle];
  };
  nodes.forEach((node, id) => {
    if (node.kind === 'stream') return;
    const ids = node.children.map((c) => idOf.get(c)!).sort((a, b) => compareNames(nodes[a].name, nodes[b].name));
    child[id] = build(ids);
  });
  // Unused entries of the last directory sector.
  for (let id = nodes.length; id < (directorySectorCount * sectorSize) / 128; id++) {
    const offset = sectorOffset(directorySectors[Math.floor((id * 128) / sectorSize)]) + ((id * 128) % sectorSize);
    view.setUint32(offset + 68, NO_STREAM, true);
    view.setUint32(offset + 72, NO_STREAM, true);
    view.setUint32(offset + 76, NO_STREAM, true);
  }
  nodes.forEach((node, id) => {
    const offset = entryOffsets[id];
    const name = node.name.slice(0, 31);
    for (let i = 0; i < name.length; i++) view.setUint16(offset + i * 2, name.charCodeAt(i), true);
    view.setUint16(offset + 64, (name.length + 1) * 2, true);
    bytes[offset + 66] = node.kind === 'root' ? 5 : node.kind === 'storage' ? 1 : 2;
    bytes[offset + 67] = 1;
    view.setUint32(offset + 68, left[id], true);
    view.setUint32(offset + 72, right[id], true);
    view.setUint32(offset + 76, child[id], true);
    bytes.set(node.clsid.subarray(0, 16), offset + 80);
    view.setUint32(offset + 96, node.stateBits >>> 0, true);
    bytes.set(node.created.subarray(0, 8), offset + 100);
    bytes.set(node.modified.subarray(0, 8), offset + 108);
    let start = END_OF_CHAIN;
    let size = 0;
    if (node.kind === 'root') {
      start = miniStreamSectors.length > 0 ? miniStreamSectors[0] : END_OF_CHAIN;
      size = miniStreamBytes;
    } else if (node.kind === 'stream') {
      start = miniChains[id]?.[0] ?? bigChains[id]?.[0] ?? END_OF_CHAIN;
      size = node.data.length;
    }
    view.setUint32(offset + 116, start, true);
    view.setUint32(offset + 120, size, true);
    view.setUint32(offset + 124, 0, true);
  });

  return {
    bytes,
    layout: { version, sectorSize, sectorCount, fatSectors, directorySectors, miniFatSectors, miniStreamSectors, entryOffsets, chains, dataRanges, nodes },
  };
}

/** [MS-CFB] order of siblings: shorter names first, then by upper-cased UTF-16 units. */
function compareNames(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  const upperA = a.toUpperCase();
  const upperB = b.toUpperCase();
  return upperA < upperB ? -1 : upperA > upperB ? 1 : 0;
}

/** A deep copy, so mutations of one input never reach the corpus entry it came from. */
export function cloneTree(node: CfbNode): CfbNode {
  return { ...node, clsid: Uint8Array.from(node.clsid), created: Uint8Array.from(node.created), modified: Uint8Array.from(node.modified), data: node.data, children: node.children.map(cloneTree) };
}
