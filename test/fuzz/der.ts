// DER as a tree the fuzzer can edit: a real signature or certificate is parsed once, one node is
// changed (an OID, a tag, an INTEGER, a time, a child dropped, doubled or swapped, a subtree from
// another file grafted in, a length written long-form, indefinite or wrong), and the tree is
// encoded again with every other length right. Written for the fuzzer: it trusts its seeds.

import * as fc from 'fast-check';

export interface DerNode {
  tag: number;
  /** Primitive content; undefined when the node has children. */
  content?: Uint8Array;
  children?: DerNode[];
  /** An OCTET STRING or BIT STRING whose content is DER itself (kept as children). */
  wrapped?: boolean;
  length?: LengthMode;
}

export type LengthMode = { kind: 'long'; extra: number } | { kind: 'indefinite' } | { kind: 'wrong'; delta: number } | { kind: 'huge' };

/** Parses DER that is known to be valid; inner DER of OCTET STRINGs (TSTInfo, extensions) is parsed too. */
export function parseDer(bytes: Uint8Array): DerNode | undefined {
  const result = parseElement(bytes, 0, bytes.length);
  return result && result.end === bytes.length ? result.node : undefined;
}

function parseElement(bytes: Uint8Array, offset: number, limit: number): { node: DerNode; end: number } | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length === 0x80) return undefined;
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4 || start + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i];
    start += count;
  }
  const end = start + length;
  if (end > limit) return undefined;
  const content = bytes.subarray(start, end);
  if (tag & 0x20) {
    const children = parseChildren(bytes, start, end);
    return children ? { node: { tag, children }, end } : undefined;
  }
  if ((tag === 0x04 || tag === 0x03) && content.length > 2) {
    const innerStart = tag === 0x03 ? start + 1 : start;
    if (tag !== 0x03 || bytes[start] === 0) {
      const children = bytes[innerStart] === 0x30 || bytes[innerStart] === 0x31 ? parseChildren(bytes, innerStart, end) : undefined;
      if (children && children.length === 1) return { node: { tag, children, wrapped: true }, end };
    }
  }
  return { node: { tag, content: Uint8Array.from(content) }, end };
}

function parseChildren(bytes: Uint8Array, start: number, end: number): DerNode[] | undefined {
  const children: DerNode[] = [];
  for (let offset = start; offset < end;) {
    const child = parseElement(bytes, offset, end);
    if (!child) return undefined;
    children.push(child.node);
    offset = child.end;
  }
  return children;
}

export function encodeDer(node: DerNode): Uint8Array {
  let content: Buffer;
  if (node.children) {
    const inner = Buffer.concat(node.children.map((child) => Buffer.from(encodeDer(child))));
    content = node.wrapped && node.tag === 0x03 ? Buffer.concat([Buffer.from([0]), inner]) : inner;
  } else {
    content = Buffer.from(node.content ?? new Uint8Array(0));
  }
  const mode = node.length;
  if (mode?.kind === 'indefinite') return Buffer.concat([Buffer.from([node.tag, 0x80]), content, Buffer.from([0, 0])]);
  let length = content.length;
  if (mode?.kind === 'wrong') length = Math.max(0, length + mode.delta);
  if (mode?.kind === 'huge') return Buffer.concat([Buffer.from([node.tag, 0x84, 0x7f, 0xff, 0xff, 0xff]), content]);
  return Buffer.concat([Buffer.from([node.tag]), encodeLength(length, mode?.kind === 'long' ? mode.extra : 0), content]);
}

function encodeLength(length: number, extra: number): Buffer {
  if (length < 0x80 && extra === 0) return Buffer.from([length]);
  const digits: number[] = [];
  for (let value = length; value > 0; value = Math.floor(value / 256)) digits.unshift(value & 0xff);
  for (let i = 0; i < extra; i++) digits.unshift(0);
  if (digits.length === 0) digits.push(0);
  return Buffer.from([0x80 | digits.length, ...digits]);
}

export function preorder(root: DerNode): Array<{ node: DerNode; parent?: DerNode }> {
  const all: Array<{ node: DerNode; parent?: DerNode }> = [];
  const stack: Array<{ node: DerNode; parent?: DerNode }> = [{ node: root }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    all.push(item);
    for (const child of [...(item.node.children ?? [])].reverse()) stack.push({ node: child, parent: item.node });
  }
  return all;
}

export function cloneDer(node: DerNode): DerNode {
  return { ...node, content: node.content && Uint8Array.from(node.content), children: node.children?.map(cloneDer) };
}

// ---- Edits -----------------------------------------------------------------------------------

function oid(text: string): Uint8Array {
  const parts = text.split('.').map(Number);
  const bytes = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const digits: number[] = [];
    for (let value = part; ; value = Math.floor(value / 128)) {
      digits.unshift(value & 0x7f);
      if (value < 128) break;
    }
    bytes.push(...digits.map((digit, i) => (i < digits.length - 1 ? digit | 0x80 : digit)));
  }
  return Uint8Array.from(bytes);
}

/** OIDs a signature or certificate may name instead of the right one. */
const OIDS = [
  '1.2.840.113549.1.7.2', '1.2.840.113549.1.7.1', '1.3.6.1.4.1.311.2.1.4', '1.3.6.1.4.1.311.2.1.30', '1.3.6.1.4.1.311.2.1.15', '1.3.6.1.4.1.311.2.1.25',
  '1.3.14.3.2.26', '2.16.840.1.101.3.4.2.1', '2.16.840.1.101.3.4.2.2', '2.16.840.1.101.3.4.2.3', '2.16.840.1.101.3.4.2.4', '1.2.840.113549.2.5',
  '1.2.840.113549.1.1.1', '1.2.840.113549.1.1.5', '1.2.840.113549.1.1.11', '1.2.840.113549.1.1.10', '1.2.840.10045.2.1', '1.2.840.10045.4.3.2',
  '1.2.840.10040.4.1', '1.3.101.112', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.5', '1.2.840.113549.1.9.6',
  '1.3.6.1.4.1.311.3.3.1', '1.2.840.113549.1.9.16.1.4', '2.5.29.14', '2.5.4.3', '2.5.4.6', '1.2.3.4.5.6.7.8.9.4294967295', '2.999.18446744073709551615',
].map(oid);
const ODD_OID_CONTENT = [Uint8Array.from([]), Uint8Array.from([0x80]), Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), Uint8Array.from([0x2a, 0x80])];
const TAGS = [0x30, 0x31, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x1e, 0xa0, 0xa1, 0xa3, 0x80, 0x81, 0x00];
const INTEGERS = [[], [0], [0x80], [0xff], [0, 0, 1], [0x7f], new Array(40).fill(0xff), [0, 0x80], [1, 0, 0, 0, 0, 0, 0, 0, 0]].map((bytes) => Uint8Array.from(bytes));
const TIMES = [
  '000101000000Z', '491231235959Z', '500101000000Z', '991231235959Z', '19700101000000Z', '99991231235959Z', '00000101000000Z', '20261301000000Z',
  '20260230000000Z', '260601000000+0100', '2606010000Z', 'xxxxxxxxxxxxZ', '', '20260601000000.999Z', '202606010000006Z',
].map((text) => Uint8Array.from(Buffer.from(text, 'latin1')));

export type DerEdit =
  | { op: 'oid'; at: number; choice: number; odd: boolean }
  | { op: 'tag'; at: number; tag: number }
  | { op: 'drop'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'swap'; at: number }
  | { op: 'content'; at: number; bytes: Uint8Array }
  | { op: 'cut'; at: number; keep: number }
  | { op: 'integer'; at: number; choice: number }
  | { op: 'time'; at: number; choice: number }
  | { op: 'length'; at: number; mode: LengthMode }
  | { op: 'graft'; at: number; donor: number; from: number }
  | { op: 'nest'; at: number; depth: number };

export const derEdit: fc.Arbitrary<DerEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('oid' as const), at: fc.nat(), choice: fc.nat(), odd: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('tag' as const), at: fc.nat(), tag: fc.constantFrom(...TAGS) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swap' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('content' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cut' as const), at: fc.nat(), keep: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('integer' as const), at: fc.nat(), choice: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('time' as const), at: fc.nat(), choice: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('length' as const),
      at: fc.nat(),
      mode: fc.oneof(
        fc.record({ kind: fc.constant('long' as const), extra: fc.integer({ min: 1, max: 3 }) }),
        fc.record({ kind: fc.constant('indefinite' as const) }),
        fc.record({ kind: fc.constant('wrong' as const), delta: fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0) }),
        fc.record({ kind: fc.constant('huge' as const) }),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('graft' as const), at: fc.nat(), donor: fc.nat(), from: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(200, 1500)) }) },
);

/** Applies the edits to a copy of `root`; `donors` lend subtrees to grafts. */
export function applyDerEdits(root: DerNode, edits: readonly DerEdit[], donors: readonly DerNode[]): DerNode {
  const tree = cloneDer(root);
  for (const edit of edits) {
    const all = preorder(tree);
    const pick = (filter: (node: DerNode) => boolean): { node: DerNode; parent?: DerNode } | undefined => {
      const matching = all.filter((item) => filter(item.node));
      return matching.length === 0 ? undefined : matching[edit.at % matching.length];
    };
    const any = all[edit.at % all.length];
    switch (edit.op) {
      case 'oid': {
        const target = pick((node) => node.tag === 0x06);
        if (target) target.node.content = edit.odd ? ODD_OID_CONTENT[edit.choice % ODD_OID_CONTENT.length] : OIDS[edit.choice % OIDS.length];
        break;
      }
      case 'tag':
        any.node.tag = edit.tag;
        break;
      case 'drop':
      case 'duplicate':
      case 'swap': {
        const siblings = any.parent?.children;
        if (!siblings) break;
        const index = siblings.indexOf(any.node);
        if (edit.op === 'drop') siblings.splice(index, 1);
        else if (edit.op === 'duplicate') siblings.splice(index, 0, cloneDer(any.node));
        else if (index + 1 < siblings.length) [siblings[index], siblings[index + 1]] = [siblings[index + 1], siblings[index]];
        break;
      }
      case 'content':
        any.node.children = undefined;
        any.node.wrapped = undefined;
        any.node.content = edit.bytes;
        break;
      case 'cut': {
        const bytes = any.node.content ?? encodeDer({ ...any.node, tag: any.node.tag }).subarray(2);
        any.node.children = undefined;
        any.node.wrapped = undefined;
        any.node.content = bytes.subarray(0, edit.keep % (bytes.length + 1));
        break;
      }
      case 'integer': {
        const target = pick((node) => node.tag === 0x02);
        if (target) target.node.content = INTEGERS[edit.choice % INTEGERS.length];
        break;
      }
      case 'time': {
        const target = pick((node) => node.tag === 0x17 || node.tag === 0x18);
        if (target) {
          const value = TIMES[edit.choice % TIMES.length];
          target.node.content = value;
          target.node.tag = value.length >= 15 ? 0x18 : 0x17;
        }
        break;
      }
      case 'length':
        any.node.length = edit.mode;
        break;
      case 'graft': {
        if (donors.length === 0 || !any.parent?.children) break;
        const donorNodes = preorder(donors[edit.donor % donors.length]);
        const graft = cloneDer(donorNodes[edit.from % donorNodes.length].node);
        const siblings = any.parent.children;
        siblings[siblings.indexOf(any.node)] = graft;
        break;
      }
      case 'nest': {
        let wrapped: DerNode = { ...any.node };
        for (let i = 0; i < edit.depth; i++) wrapped = { tag: 0x30, children: [wrapped] };
        Object.assign(any.node, wrapped, { content: undefined, wrapped: undefined, length: undefined });
        break;
      }
    }
  }
  return tree;
}
