// Random access to a file's bytes. Packages can be hundreds of megabytes: readers ask for the
// sectors they need instead of loading the whole file.
import * as nodeFs from 'fs';

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset`; fewer only at the end of the file. */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

export function bufferByteSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    close: () => undefined,
  };
}

/** An open file read with positioned reads; undefined when it cannot be opened. */
export function fileByteSource(filePath: string): ByteSource | undefined {
  let descriptor: number;
  let size: number;
  try {
    descriptor = nodeFs.openSync(filePath, 'r');
    size = nodeFs.fstatSync(descriptor).size;
  } catch {
    return undefined;
  }
  let closed = false;
  return {
    size,
    read(offset, length) {
      const wanted = Math.max(0, Math.min(length, size - offset));
      const buffer = Buffer.allocUnsafe(wanted);
      let done = 0;
      while (done < wanted) {
        const count = nodeFs.readSync(descriptor, buffer, done, wanted - done, offset + done);
        if (count === 0) break;
        done += count;
      }
      return done === wanted ? buffer : buffer.subarray(0, done);
    },
    close() {
      if (closed) return;
      closed = true;
      nodeFs.closeSync(descriptor);
    },
  };
}
