// Text edits on WiX sources that keep the file's indentation and line endings.

import type { TextEdit } from '../types';
import type { WixElement } from './preprocessor';
import type { SourceFile } from './source';

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function edit(source: SourceFile, start: number, end: number, newText: string): TextEdit {
  return { file: source.path, range: source.range({ start, end }), newText };
}

/** Removes an element; when it stands on lines of its own, the whole lines go, leaving no blank hole. */
export function removeElement(element: WixElement): TextEdit {
  const source = element.source;
  const { start, end } = element.xml.span;
  const lines = source.lines;
  const firstLine = lines.positionAt(start).line;
  const lastLine = lines.positionAt(end).line;
  const lineStart = lines.lineStart(firstLine);
  const lineEnd = lines.lineEnd(lastLine);
  if (isBlank(source.text, lineStart, start) && isBlank(source.text, end, lineEnd)) {
    return edit(source, lineStart, lines.lineEndWithBreak(lastLine), '');
  }
  // Shares a line with other content: take the element and the blanks before it.
  let from = start;
  while (from > lineStart && (source.text[from - 1] === ' ' || source.text[from - 1] === '\t')) from--;
  return edit(source, from, end, '');
}

/** Sets an attribute: replaces the value when present, else adds the attribute in the tag's own layout. */
export function setAttribute(element: WixElement, name: string, value: string): TextEdit {
  const source = element.source;
  const existing = element.attribute(name);
  if (existing?.valueSpan) return edit(source, existing.valueSpan.start, existing.valueSpan.end, value);
  const attributes = element.xml.attributes;
  const last = attributes[attributes.length - 1];
  const anchor = last ? last.span.end : element.xml.nameSpan.end;
  const lines = source.lines;
  const multiLine = last !== undefined && attributes.length > 1 && lines.positionAt(attributes[0].span.start).line !== lines.positionAt(last.span.start).line;
  if (multiLine) {
    // One attribute per line: put the new one on a line of its own, aligned with the last.
    const lastLine = lines.positionAt(last.span.start).line;
    return edit(source, anchor, anchor, `${lines.eol}${lines.indentOf(lastLine)}${name}="${value}"`);
  }
  return edit(source, anchor, anchor, ` ${name}="${value}"`);
}

/** Indentation steps found so far: fixes ask once per finding, and a file without indented tags is searched to its end. */
const indentUnits = new WeakMap<SourceFile, string>();

/** One indentation step as the file uses it (tabs, or the smallest space run). */
export function indentUnit(source: SourceFile): string {
  let unit = indentUnits.get(source);
  if (unit === undefined) indentUnits.set(source, (unit = findIndentUnit(source.text)));
  return unit;
}

function findIndentUnit(text: string): string {
  let smallest = Infinity;
  const pattern = /\n([ \t]+)</g;
  let match: RegExpExecArray | null;
  let sampled = 0;
  while ((match = pattern.exec(text)) && sampled++ < 200) {
    if (match[1].startsWith('\t')) return '\t';
    smallest = Math.min(smallest, match[1].length);
  }
  return smallest === Infinity || smallest === 0 ? '  ' : ' '.repeat(Math.min(smallest, 8));
}

/** Lines are written with two spaces per level; the file's own step replaces them. */
function inFileIndent(line: string, unit: string): string {
  return line.replace(/^(?:  )+/, (steps) => unit.repeat(steps.length / 2));
}

/**
 * Inserts lines as the first children of an element, indented one step deeper than it. Nesting
 * within the lines is written with two-space steps; each step becomes the file's own unit.
 */
export function insertFirstChild(parent: WixElement, lines: string[]): TextEdit {
  const source = parent.source;
  const index = source.lines;
  const eol = index.eol;
  const unit = indentUnit(source);
  const parentIndent = index.indentOf(index.positionAt(parent.xml.span.start).line);
  const firstChild = parent.xml.children.find((node) => node.kind === 'element' || node.kind === 'comment' || node.kind === 'pi');
  const childIndent = firstChild && index.positionAt(firstChild.span.start).line !== index.positionAt(parent.xml.span.start).line
    ? index.indentOf(index.positionAt(firstChild.span.start).line)
    : parentIndent + unit;
  const block = lines.map((line) => childIndent + inFileIndent(line, unit)).join(eol);
  const tagEnd = parent.xml.startTagSpan.end;
  if (parent.xml.selfClosing) {
    // <Package ... />  →  <Package ...> children </Package>
    const slash = source.text.lastIndexOf('/>', tagEnd);
    return edit(source, slash, tagEnd, `>${eol}${block}${eol}${parentIndent}</${parent.xml.name}>`);
  }
  return edit(source, tagEnd, tagEnd, `${eol}${block}`);
}

/** Inserts lines right after an element, at its indentation (a sibling that must come later, as v3 wants after <Package>). */
export function insertAfter(sibling: WixElement, lines: string[]): TextEdit {
  const source = sibling.source;
  const index = source.lines;
  const indent = index.indentOf(index.positionAt(sibling.xml.span.start).line);
  const end = sibling.xml.span.end;
  const unit = indentUnit(source);
  return edit(source, end, end, lines.map((line) => `${index.eol}${indent}${inFileIndent(line, unit)}`).join(''));
}
