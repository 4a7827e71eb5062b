// The one way kubeharden writes an output file (scan -o, collect -o, fix --write, generated
// keys): a complete new file, renamed over the target only once it is on disk.
//
// Output folders may be shared (a CI workspace, /tmp), so another user can plant names in them.
// - The temporary file has a random name and is created exclusively with O_NOFOLLOW: a planted
//   file or symlink at that name makes the create fail, never redirects the write.
// - It is fsync'ed before the rename, so a crash leaves the old file or the new one, never half.
// - An existing target keeps its mode and, where permitted, its owner and group (the mode is set
//   with fchmod, which the umask does not touch).
// - A target that is a symbolic link is either followed deliberately (the link's final target is
//   replaced, the link stays: `fix --write` on a symlinked manifest fixes the manifest) or
//   refused (`symlinks: 'refuse'`, for report and snapshot outputs, where a link at the output
//   name in a shared folder is more likely planted than meant).
// - A target whose mode grants no write permission at all is read-only on purpose: refused.
// - On any failure the temporary file is removed and the error names the file and the cause
//   (permission denied, no space left) instead of a stack trace.

import { constants, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export class WriteError extends Error {}

export interface AtomicWriteOptions {
  /** What to do when the target is a symbolic link. */
  symlinks: 'follow' | 'refuse';
  /** Mode of a file that does not exist yet (before the umask); default 0o666, as any new file. */
  newFileMode?: number;
  /** Refuse to replace an existing file (generated secrets without --force). */
  exclusive?: boolean;
  /** The filesystem calls; tests replace `write` to stand in for a full disk, which cannot be made here. */
  io?: Partial<AtomicIo>;
}

export interface AtomicIo {
  write(handle: fs.FileHandle, data: string | Buffer): Promise<void>;
}

const DEFAULT_IO: AtomicIo = {
  write: async (handle, data) => {
    await handle.writeFile(data);
  },
};

/** The content: a whole text, or a producer that writes it in pieces (a large snapshot). */
export type Content = string | Buffer | ((write: (chunk: string) => Promise<void>) => Promise<void>);

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** Writes `content` to `file` atomically; returns the path actually written (a followed link's target). */
export async function writeFileAtomically(file: string, content: Content, options: AtomicWriteOptions): Promise<string> {
  const io = { ...DEFAULT_IO, ...options.io };
  const target = await resolveTarget(file, options);
  const existing = await fs.stat(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new WriteError(`cannot write ${file}: ${describeWriteError(err)}`);
  });
  if (existing) {
    if (options.exclusive) throw new WriteError(`${file} exists; add --force to replace it`);
    if (!existing.isFile()) throw new WriteError(`cannot write ${file}: it is not a regular file`);
    if ((existing.mode & 0o222) === 0) throw new WriteError(`${file} is read-only (mode ${(existing.mode & 0o7777).toString(8).padStart(4, '0')}); not rewritten — make it writable first if it should change`);
  }
  const dir = path.dirname(target);
  const temporary = path.join(dir, `.${path.basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    // A new file gets its mode at creation, through the umask as any new file does.
    handle = await fs.open(temporary, CREATE_FLAGS, existing ? 0o600 : options.newFileMode ?? 0o666);
    if (existing) {
      await handle.chmod(existing.mode & 0o7777);
      if (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.()) {
        // Only root may give a file away; anyone else keeps the file as theirs.
        await handle.chown(existing.uid, existing.gid).catch(() => undefined);
      }
    }
    if (typeof content === 'function') await writeInPieces(handle, content, io);
    else await io.write(handle, content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temporary, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    if (err instanceof WriteError) throw err;
    throw new WriteError(`cannot write ${file}: ${describeWriteError(err)}`);
  }
  await syncFolder(dir);
  return target;
}

async function resolveTarget(file: string, options: AtomicWriteOptions): Promise<string> {
  let link;
  try {
    link = await fs.lstat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw new WriteError(`cannot write ${file}: ${describeWriteError(err)}`);
  }
  if (!link.isSymbolicLink()) return file;
  if (options.symlinks === 'refuse') {
    throw new WriteError(`${file} is a symbolic link; not written through it (remove the link or give the real path)`);
  }
  try {
    return await fs.realpath(file);
  } catch (err) {
    throw new WriteError(`cannot write ${file}: it is a symbolic link that does not resolve (${describeWriteError(err)})`);
  }
}

async function writeInPieces(handle: fs.FileHandle, produce: (write: (chunk: string) => Promise<void>) => Promise<void>, io: AtomicIo): Promise<void> {
  // Pieces are gathered to about 64 KiB per write call (a snapshot has one piece per object):
  // larger strings would go straight to V8's old generation and pile up there until a full
  // collection, a report's worth of them.
  let pending: string[] = [];
  let size = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    await io.write(handle, text);
  };
  await produce(async (chunk) => {
    pending.push(chunk);
    size += chunk.length;
    if (size >= 64 * 1024) await flush();
  });
  await flush();
}

async function syncFolder(dir: string): Promise<void> {
  // The rename itself is made durable by syncing the folder; not every platform allows it.
  const handle = await fs.open(dir, constants.O_RDONLY).catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close().catch(() => undefined);
}

export function describeWriteError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM': return 'permission denied (EACCES)';
    case 'ENOSPC': return 'no space left on the device (ENOSPC)';
    case 'EDQUOT': return 'disk quota exceeded (EDQUOT)';
    case 'EROFS': return 'the file system is read-only (EROFS)';
    case 'ENOENT': return 'the folder does not exist (ENOENT)';
    case 'ENOTDIR': return 'a part of the path is not a folder (ENOTDIR)';
    case 'EISDIR': return 'it is a folder (EISDIR)';
    case 'EEXIST': return 'a file appeared at the temporary name (EEXIST); try again';
    case 'ELOOP': return 'too many symbolic links (ELOOP)';
    default: return e?.message ?? String(err);
  }
}
