// Inputs the fuzzer found that crashed or hung a parser, kept in
// test/fixtures/fuzz-regressions/<target>/<case>/ with a case.json that says what they did and
// what fixed it. Each must now pass its target's check within the time bound.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REGRESSIONS } from './fuzz/corpus';
import { replay } from './fuzz/runner';
import type { InputFiles } from './fuzz/target';
import { targetNamed } from './fuzz/targets';

const TIME_LIMIT_MS = 1000;

function readCase(folder: string): InputFiles {
  const files: InputFiles = new Map();
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const name = prefix + entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${name}/`);
      else if (name !== 'case.json') files.set(name, fs.readFileSync(path.join(dir, entry.name)));
    }
  };
  walk(folder, '');
  return files;
}

describe('fuzz regressions', () => {
  const targetFolders = fs.existsSync(REGRESSIONS) ? fs.readdirSync(REGRESSIONS).sort() : [];
  it('are kept per target', () => {
    assert.ok(targetFolders.length > 0);
    for (const name of targetFolders) assert.ok(targetNamed(name), `${name} is not a fuzz target`);
  });
  for (const name of targetFolders) {
    const target = targetNamed(name);
    if (!target) continue;
    for (const caseName of fs.readdirSync(path.join(REGRESSIONS, name)).sort()) {
      const folder = path.join(REGRESSIONS, name, caseName);
      const description = JSON.parse(fs.readFileSync(path.join(folder, 'case.json'), 'utf8')) as { kind: string };
      it(`${name}/${caseName}: no longer a ${description.kind}`, () => {
        const failure = replay(target, readCase(folder), TIME_LIMIT_MS);
        assert.equal(failure, undefined, failure && `${failure.kind}: ${failure.message}`);
      });
    }
  }
});
