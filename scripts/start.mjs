// `npm start`: lints the bundled examples with the built CLI. The examples are meant to have
// findings, so exit status 1 ("error-level findings": what would fail a CI build) is the
// expected outcome here and is reported as such; any other failure still fails.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'lint', 'examples', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (result.status === 1) {
  console.log('\nwix-uac exited with status 1: the examples have error-level findings, as intended (in CI this status fails the build).');
  process.exit(0);
}
process.exit(result.status ?? 1);
