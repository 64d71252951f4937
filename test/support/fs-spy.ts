// Records every path handed to the synchronous `fs` functions the engine reads with, while a step
// runs in this process: proof that something was never opened, listed or looked at.
import nodeFsModule = require('node:fs');
import * as path from 'node:path';

export interface FsCall {
  name: string;
  file: string;
}

const SPIED = ['readFileSync', 'openSync', 'statSync', 'lstatSync', 'readdirSync', 'readlinkSync', 'realpathSync', 'existsSync', 'accessSync', 'opendirSync'] as const;

export function recordFsCalls<T>(step: () => T): { result: T; calls: FsCall[] } {
  const calls: FsCall[] = [];
  const nodeFs = nodeFsModule as unknown as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  const spy = <F extends (...args: never[]) => unknown>(name: string, original: F): F =>
    function (this: unknown, ...args: Parameters<F>) {
      const target = args[0] as unknown;
      if (typeof target === 'string' || target instanceof URL || Buffer.isBuffer(target)) calls.push({ name, file: path.resolve(String(target instanceof URL ? target.pathname : target)) });
      return original.apply(this, args);
    } as F;
  for (const name of SPIED) {
    const original = nodeFs[name] as ((...args: never[]) => unknown) & { native?: (...args: never[]) => unknown };
    originals.set(name, original);
    const wrapped = spy(name, original) as typeof original;
    if (original.native) wrapped.native = spy(name, original.native);
    nodeFs[name] = wrapped;
  }
  try {
    return { result: step(), calls };
  } finally {
    for (const [name, original] of originals) nodeFs[name] = original;
  }
}

/** Where a path is on disk once its links are followed (for a path that does not exist, its nearest existing folder's). */
export function physical(file: string): string {
  try {
    return nodeFsModule.realpathSync(file);
  } catch {
    const parent = path.dirname(file);
    return parent === file ? file : path.join(physical(parent), path.basename(file));
  }
}

/** Where on disk a recorded call looked: lstat and readlink look at a link itself, every other call goes where its links lead. */
export function whereCallLanded({ name, file }: FsCall): string {
  return name === 'lstatSync' || name === 'readlinkSync' ? path.join(physical(path.dirname(file)), path.basename(file)) : physical(file);
}
