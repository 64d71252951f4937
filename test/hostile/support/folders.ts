// Temporary folders on the real disk, as a workspace is: the engine walks them with NodeFileSystem.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];

/** A new folder holding `files` (relative paths with '/'); its real path, so links inside resolve to it. */
export function folderWith(files: Record<string, string | Uint8Array>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-hostile-')));
  made.push(root);
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}

/** For `after`: removes every folder made so far. */
export function removeFolders(): void {
  for (const root of made.splice(0)) fs.rmSync(root, { recursive: true, force: true });
}
