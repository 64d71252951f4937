// Huge and malformed .idt tables through the engine: a folder of product-trusting.msi's export
// (test/fixtures/packages/product-trusting-idt) whose Property.idt is replaced. Each is answered in
// bounded time and memory, and the row that disables UAC patching is still found where there is one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PACKAGES } from '../support/packages';
import { folderWith, removeFolders } from './support/folders';
import { describeMeasurement, MB, measure } from './support/measure';

after(removeFolders);

const HEADER = 'Property\tValue\r\ns72\tl0\r\nProperty\tProperty\r\n';
const DISABLING_ROW = 'MSIDISABLELUAPATCHING\t1\r\n';

/**
 * Property.idt shapes; `disablingLine` is the 0-based line of the disabling row, when there is one.
 * `memory` bounds the peak growth as a multiple of the file: a row costs a few hundred bytes of
 * model (its cells and its line), so a file of short rows costs more than one of long cells.
 */
const TABLES: Array<{ shape: string; text: () => string; disablingLine?: number; notice?: RegExp; memory?: number }> = [
  { shape: 'a 50 MB cell', text: () => `${HEADER}${DISABLING_ROW}HUGE\t${'a'.repeat(50 * MB)}\r\n`, disablingLine: 3 },
  { shape: 'a million rows', text: () => `${HEADER}${Array.from({ length: 1_000_000 }, (_, i) => `P${i}\tv\r\n`).join('')}${DISABLING_ROW}`, disablingLine: 1_000_003, memory: 40 },
  { shape: 'a row of 10 million tabs', text: () => `${HEADER}X\t${'\t'.repeat(10 * MB)}\r\n${DISABLING_ROW}`, disablingLine: 4, notice: /10485762 values but Property has 2 columns; row ignored/, memory: 20 },
  { shape: '100 000 columns', text: () => `${Array.from({ length: 100_000 }, (_, i) => `C${i}`).join('\t')}\r\n${Array.from({ length: 100_000 }, () => 's72').join('\t')}\r\nProperty\tC0\r\n` },
  { shape: '50 MB without a line break', text: () => 'x'.repeat(50 * MB), notice: /not a table: an \.idt file starts with three lines/ },
];

function tableFolder(property: string): string {
  const source = path.join(PACKAGES, 'product-trusting-idt');
  const files: Record<string, string | Buffer> = {};
  for (const name of fs.readdirSync(source)) if (name.endsWith('.idt')) files[name] = fs.readFileSync(path.join(source, name));
  for (const name of fs.readdirSync(path.join(source, 'MsiDigitalCertificate'))) files[`MsiDigitalCertificate/${name}`] = fs.readFileSync(path.join(source, 'MsiDigitalCertificate', name));
  files['Property.idt'] = property;
  return folderWith(files);
}

describe('huge and malformed .idt tables', () => {
  for (const { shape, text, disablingLine, notice, memory = 8 } of TABLES) {
    it(`${shape}: answered in bounded time and memory`, (t) => {
      const content = text();
      const folder = tableFolder(content);
      const file = path.join(folder, 'Property.idt');
      const measured = measure('analyze', { roots: [folder] });
      t.diagnostic(`${shape} (${(content.length / MB).toFixed(1)} MB): ${describeMeasurement(measured)}`);
      assert.ok(measured.ms < 5_000, describeMeasurement(measured));
      assert.ok(measured.peakRssGrowth < 64 * MB + memory * content.length, describeMeasurement(measured));
      const disabled = measured.value.findings.filter((finding) => finding.ruleId === 'lua-patching-disabled' && finding.file === file);
      assert.deepEqual(disabled.map((finding) => finding.line), disablingLine === undefined ? [] : [disablingLine]);
      const notices = measured.value.notices.filter((candidate) => candidate.file === file).map((candidate) => candidate.message);
      if (notice) assert.ok(notices.some((message) => notice.test(message)), JSON.stringify(notices));
    });
  }
});
