import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');

function sources(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

it('the engine imports neither vscode, the LSP libraries nor the adapters', () => {
  const offenders: string[] = [];
  for (const file of sources(path.join(root, 'server', 'src', 'engine'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|require\()\s*['"]([^'"]+)['"]/g)) {
      const target = match[1];
      if (/^vscode(-languageserver|-languageclient|-jsonrpc)?(\/|$)/.test(target) || /\.\.\/(lsp|cli)\b|client\//.test(target)) {
        offenders.push(`${path.relative(root, file)} imports ${target}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});
