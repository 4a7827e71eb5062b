// Reading one input file safely: regular files only, the bytes actually read capped (a device
// or a file that grows while read reports no size, or a wrong one), binary detection, clear errors.
//
// The file is opened with O_NONBLOCK, so opening a FIFO (a named pipe planted as `x.yaml`)
// returns at once instead of waiting for a writer; the open descriptor is then checked with
// fstat, so a file swapped between a stat and the open is still judged by what was opened.
// Devices (`/dev/zero` behind a symlink), FIFOs and sockets are refused, never read.

import { constants, promises as fs, closeSync, fstatSync, openSync, readSync } from 'node:fs';

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** The text of a manifest file, and its permission bits (a fact some checks judge, recorded as the file is read). */
export async function readManifestText(file: string, maxBytes: number): Promise<{ text: string; mode: number; byteBase?: number } | { problem: string }> {
  const read = await readRegularFile(file, maxBytes);
  if ('problem' in read) return read;
  const buf = read.bytes;
  if (buf.subarray(0, 8192).includes(0)) return { problem: 'binary file (it contains NUL bytes), not YAML or JSON; not read' };
  const decoded = buf.toString('utf8');
  const text = decoded.replace(/^\uFEFF/, '');
  // Where the text starts in the file's bytes, when it is the bytes decoded exactly (no invalid
  // UTF-8 replaced by U+FFFD): positions can then be found by reading parts of the file again.
  const exact = !text.includes('\uFFFD') || Buffer.byteLength(decoded) === buf.length;
  return { text, mode: read.mode, ...(exact ? { byteBase: text.length === decoded.length ? 0 : 3 } : {}) };
}

/** The whole content of a regular file of at most `maxBytes` bytes, or why not. */
export async function readRegularFile(file: string, maxBytes: number): Promise<{ bytes: Buffer; mode: number } | { problem: string }> {
  let handle;
  try {
    handle = await fs.open(file, OPEN_FLAGS);
    const st = await handle.stat();
    if (!st.isFile()) return { problem: notRegular(st) };
    if (st.size > maxBytes) return { problem: tooLarge(st.size, maxBytes) };
    // Read at most one byte more than allowed, whatever the size said: the file may have grown.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size - total, 64 * 1024), maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { problem: `file grew past the ${formatBytes(maxBytes)} limit while it was read; not read (raise it with --max-file-size)` };
    }
    return { bytes: Buffer.concat(chunks, total), mode: st.mode & 0o777 };
  } catch (err) {
    return { problem: describeFsError(err) };
  } finally {
    await handle?.close();
  }
}

/** The same, synchronously (the node audit reads its few files this way). Throws the fs error. */
export function readRegularFileSync(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error(notRegular(st)), { code: 'ENOTREGULAR' });
    if (st.size > maxBytes) throw Object.assign(new Error(tooLarge(st.size, maxBytes)), { code: 'EFBIG' });
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size - total, 64 * 1024), maxBytes + 1 - total));
      const bytesRead = readSync(fd, buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw Object.assign(new Error(`grew past the ${formatBytes(maxBytes)} limit while it was read; not read`), { code: 'EFBIG' });
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function notRegular(st: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  const what = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO (named pipe)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
  return `is ${what}, not a regular file; not read`;
}

function tooLarge(size: number, maxBytes: number): string {
  return `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit; not read (raise it with --max-file-size)`;
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder, expected a file';
    case 'ELOOP': return 'too many symbolic links';
    case 'ENOSPC': return 'no space left on the device';
    case 'EROFS': return 'the file system is read-only';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'ENOTREGULAR':
    case 'EFBIG': return e.message;
    default: return `could not read: ${e?.message ?? String(err)}`;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
