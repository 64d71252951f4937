// The grammar snippets in test/grammar (vscode-tmgrammar-test files: source lines with ^^^ scope
// assertions under them), run twice: by the vscode-tmgrammar-test command line as a grammar author
// runs it (`npm run test:grammar`), and through vscode-textmate 9, the engine VS Code tokenizes with
// (the command line brings its own, older copy). Either failing fails `npm test` with the report.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { parseRawGrammar, Registry } from 'vscode-textmate';
import { parseGrammarTestCase, runGrammarTestCase } from 'vscode-tmgrammar-test/dist/unit/index';

const repoRoot = path.join(__dirname, '..', '..');
const snippetFolder = path.join(repoRoot, 'test', 'grammar');
/** VS Code's own XML grammar, which the WiX injections are injected into. */
const xmlGrammar = require.resolve('tm-grammars/grammars/xml.json');

interface GrammarContribution {
  scopeName: string;
  path: string;
  language?: string;
  injectTo?: string[];
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { grammars: GrammarContribution[]; languages: Array<{ id: string; extensions?: string[] }> };
};
const snippets = fs.readdirSync(snippetFolder).filter((name) => /\.test\.\w+$/.test(name)).sort();

describe('grammar snippets (test/grammar)', () => {
  it('cover every grammar package.json contributes', () => {
    const tested = new Set(snippets.map((name) => fs.readFileSync(path.join(snippetFolder, name), 'utf8').match(/^\S+ SYNTAX TEST "([^"]+)"/)?.[1]));
    assert.ok(tested.has('source.idt'), 'no snippet for the .idt grammar');
    assert.ok(tested.has('text.xml'), 'no snippet for the WiX injections');
    for (const grammar of manifest.contributes.grammars) {
      assert.ok(tested.has(grammar.scopeName) || grammar.injectTo?.some((scope) => tested.has(scope)), `no snippet exercises ${grammar.scopeName}`);
    }
  });

  it('pass vscode-tmgrammar-test', () => {
    const cli = path.join(repoRoot, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
    const result = spawnSync(process.execPath, [cli, '--compact', '-g', xmlGrammar, 'test/grammar/*.test.*'], { cwd: repoRoot, encoding: 'utf8' });
    const report = `${result.stdout}${result.stderr}`;
    assert.equal(result.status, 0, `vscode-tmgrammar-test failed:\n${report}`);
    // The command line prints one line per snippet file; a glob that matched nothing would also say so.
    for (const name of snippets) assert.match(report, new RegExp(`${name.replace(/\./g, '\\.')} run successfuly`), `${name} was not run`);
  });

  describe('through vscode-textmate 9', () => {
    let registry: Registry;
    before(async () => {
      const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
      await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
      const files = new Map<string, string>([['text.xml', xmlGrammar]]);
      for (const grammar of manifest.contributes.grammars) files.set(grammar.scopeName, path.join(repoRoot, grammar.path));
      registry = new Registry({
        onigLib: Promise.resolve({ createOnigScanner: oniguruma.createOnigScanner, createOnigString: oniguruma.createOnigString }),
        loadGrammar: async (scopeName) => {
          const file = files.get(scopeName);
          return file ? parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
        },
        getInjections: (scopeName) => manifest.contributes.grammars.filter((grammar) => grammar.injectTo?.includes(scopeName)).map((grammar) => grammar.scopeName),
      });
    });

    for (const name of snippets) {
      it(name, async () => {
        const testCase = parseGrammarTestCase(fs.readFileSync(path.join(snippetFolder, name), 'utf8'));
        // The runner is typed against its own copy of vscode-textmate; it only calls loadGrammar and tokenizeLine.
        const failures = await runGrammarTestCase(registry as unknown as Parameters<typeof runGrammarTestCase>[0], testCase);
        const lines = fs.readFileSync(path.join(snippetFolder, name), 'utf8').split(/\r?\n/);
        const report = failures.map((failure) => {
          const problems = [failure.missing.length ? `missing ${failure.missing.join(' ')}` : '', failure.unexpected.length ? `unexpected ${failure.unexpected.join(' ')}` : ''].filter(Boolean).join('; ');
          return `${name}:${failure.line + 1} columns ${failure.start}-${failure.end} (${JSON.stringify(lines[failure.line])}): ${problems}; actual ${failure.actual.join(' ')}`;
        });
        assert.deepEqual(report, []);
      });
    }
  });

  it('the .idt grammar is what syntaxes/idt.tmLanguage.mjs generates', () => {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'syntaxes', 'idt.tmLanguage.mjs'), '--check'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('gives .idt files the Windows Installer table language', () => {
    const idt = manifest.contributes.languages.find((language) => language.id === 'idt');
    assert.deepEqual(idt?.extensions, ['.idt']);
    assert.equal(manifest.contributes.grammars.find((grammar) => grammar.language === 'idt')?.scopeName, 'source.idt');
  });
});
