// One input's files as one byte string (name and content, length-prefixed), so a worker can
// leave the input it is running where the watchdog finds it if the worker has to be stopped.

import type { InputFiles } from './target';

export function frameFiles(files: InputFiles): Uint8Array {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32LE(files.size);
  parts.push(count);
  for (const [name, bytes] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const header = Buffer.alloc(8);
    header.writeUInt32LE(nameBytes.length, 0);
    header.writeUInt32LE(bytes.length, 4);
    parts.push(header, nameBytes, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return Buffer.concat(parts);
}

export function unframeFiles(framed: Uint8Array): InputFiles {
  const bytes = Buffer.from(framed.buffer, framed.byteOffset, framed.byteLength);
  const files: InputFiles = new Map();
  const count = bytes.readUInt32LE(0);
  let offset = 4;
  for (let index = 0; index < count; index++) {
    const nameLength = bytes.readUInt32LE(offset);
    const length = bytes.readUInt32LE(offset + 4);
    offset += 8;
    const name = bytes.toString('utf8', offset, offset + nameLength);
    offset += nameLength;
    files.set(name, Uint8Array.from(bytes.subarray(offset, offset + length)));
    offset += length;
  }
  return files;
}
