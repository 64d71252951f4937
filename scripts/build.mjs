// Bundles the three programs into dist/: the VS Code client, the language server and the CLI.
// Usage: node scripts/build.mjs [--watch]
//
// Not minified: the bundles stay readable, so a stack trace from a user's machine points at real
// names and lines even without the source maps (which are built for local debugging but not shipped).
import * as esbuild from 'esbuild';
import { chmod } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  minify: false,
  logLevel: 'info',
};

// The two programs the npm package installs as commands (`bin`): the CLI (`wix-uac`) and the
// language server for editors other than VS Code (`wix-uac-language-server --stdio`). VS Code runs
// dist/server.js through `node` itself; Node skips the `#!` line.
const commandFiles = new Set(['dist/cli.js', 'dist/server.js']);
const shebang = { js: '#!/usr/bin/env node' };

/** @type {import('esbuild').BuildOptions[]} */
const programs = [
  // `vscode` is provided by the extension host at run time.
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', banner: shebang },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: shebang },
];

// npm sets the executable bit on `bin` files at install time, but that is not the only way they
// are run: a checkout runs ./dist/cli.js directly.
const makeCommandsExecutable = {
  name: 'make-commands-executable',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length === 0 && commandFiles.has(build.initialOptions.outfile)) {
        await chmod(path.join(root, build.initialOptions.outfile), 0o755);
      }
    });
  },
};

const options = programs.map((program) => ({ ...common, ...program, plugins: [makeCommandsExecutable] }));

if (watch) {
  for (const program of options) await (await esbuild.context(program)).watch();
} else {
  const results = await Promise.allSettled(options.map((program) => esbuild.build(program)));
  // esbuild has already printed the errors (logLevel 'info'); only the exit code is left to set.
  if (results.some((result) => result.status === 'rejected')) process.exitCode = 1;
}
