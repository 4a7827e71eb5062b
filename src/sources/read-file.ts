// Reading one manifest file safely: size limit, binary detection, clear errors.

import { promises as fs } from 'node:fs';

/** The text of a manifest file, and its permission bits (a fact some checks judge, recorded as the file is read). */
export async function readManifestText(file: string, maxBytes: number): Promise<{ text: string; mode: number } | { problem: string }> {
  let handle;
  try {
    handle = await fs.open(file, 'r');
    const { size, mode } = await handle.stat();
    if (size > maxBytes) {
      return { problem: `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit; not read (raise it with --max-file-size)` };
    }
    const buf = await handle.readFile();
    if (buf.subarray(0, 8192).includes(0)) return { problem: 'binary file (it contains NUL bytes), not YAML or JSON; not read' };
    return { text: buf.toString('utf8').replace(/^\uFEFF/, ''), mode: mode & 0o777 };
  } catch (err) {
    return { problem: describeFsError(err) };
  } finally {
    await handle?.close();
  }
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder, expected a file';
    case 'ELOOP': return 'too many symbolic links';
    default: return `could not read: ${e?.message ?? String(err)}`;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
