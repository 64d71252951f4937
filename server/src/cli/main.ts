// Entry of the `wix-uac` command (bundled to dist/cli.js).
import * as l10n from '@vscode/l10n';
import { EXIT_USAGE, run } from './cli';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // A reader that stops early (`wix-uac lint | head`) is not a failure worth a message.
  if (error.code !== 'EPIPE') process.stderr.write(`wix-uac: ${l10n.t('cannot write the output: {0}', error.message)}\n`);
  process.exit(error.code === 'EPIPE' ? process.exitCode ?? 0 : EXIT_USAGE);
});

// exitCode rather than exit(): piped output is flushed before the process ends.
process.exitCode = run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
