// The host filesystem a node audit reads: the real one (`/`) or one mounted elsewhere
// (`--root DIR`). Paths are always host paths (`/etc/kubernetes/admin.conf`); the root is
// prefixed when reading. User and group names come from the root's own etc/passwd and
// etc/group, as `stat -c %U:%G` would print them on that host.

import * as nodeFs from 'node:fs';
import path from 'node:path';
import type { FileStat, HostFiles, TextRead } from '../../inventory/host-files.js';

/** The filesystem calls a Host makes; injectable so tests can simulate permission errors. */
export interface FsLayer {
  lstatSync(p: string): nodeFs.Stats;
  statSync(p: string): nodeFs.Stats;
  readFileSync(p: string): Buffer;
  readdirSync(p: string): string[];
}

export const REAL_FS: FsLayer = {
  lstatSync: (p) => nodeFs.lstatSync(p),
  statSync: (p) => nodeFs.statSync(p),
  readFileSync: (p) => nodeFs.readFileSync(p),
  readdirSync: (p) => nodeFs.readdirSync(p),
};

/** Files bigger than this are not read as text (a config file is never this large). */
const MAX_TEXT_BYTES = 8 * 1024 * 1024;

export class Host implements HostFiles {
  private readonly users: Map<number, string>;
  private readonly groups: Map<number, string>;

  constructor(readonly root: string, private readonly fs: FsLayer = REAL_FS) {
    this.users = this.readIdNames('/etc/passwd');
    this.groups = this.readIdNames('/etc/group');
  }

  /** Where a host path lives in this process's filesystem. */
  real(hostPath: string): string {
    return path.join(this.root, path.posix.normalize('/' + hostPath));
  }

  /** Follows symlinks, as `stat -L` would (kube-bench uses `stat -c`, which does not; a symlink's own mode is always 777, so the target is what matters). */
  stat(hostPath: string): FileStat {
    let st: nodeFs.Stats;
    try {
      st = this.fs.statSync(this.real(hostPath));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { exists: false, path: hostPath };
      return { exists: true, error: describeFsError(err), path: hostPath };
    }
    return {
      exists: true,
      path: hostPath,
      kind: st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'symlink' : 'other',
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      owner: `${this.userName(st.uid)}:${this.groupName(st.gid)}`,
      size: st.size,
    };
  }

  readText(hostPath: string): TextRead {
    try {
      const st = this.fs.statSync(this.real(hostPath));
      if (st.isDirectory()) return { ok: false, missing: false, message: `${hostPath} is a directory, not a file` };
      if (st.size > MAX_TEXT_BYTES) return { ok: false, missing: false, message: `${hostPath} is larger than ${MAX_TEXT_BYTES} bytes; not read` };
      return { ok: true, text: this.fs.readFileSync(this.real(hostPath)).toString('utf8') };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      return { ok: false, missing: code === 'ENOENT' || code === 'ENOTDIR', message: `${hostPath}: ${describeFsError(err)}` };
    }
  }

  readBytes(hostPath: string): { ok: true; bytes: Buffer } | { ok: false; message: string } {
    try {
      return { ok: true, bytes: this.fs.readFileSync(this.real(hostPath)) };
    } catch (err) {
      return { ok: false, message: `${hostPath}: ${describeFsError(err)}` };
    }
  }

  /**
   * Entries under a directory (host paths), sorted. `recursive` walks subdirectories
   * (without following symlinked directories). Unreadable directories are reported in `errors`.
   */
  list(dir: string, recursive: boolean): { entries: string[]; errors: string[] } {
    const entries: string[] = [];
    const errors: string[] = [];
    const walk = (d: string) => {
      let names: string[];
      try {
        names = this.fs.readdirSync(this.real(d)).sort();
      } catch (err) {
        errors.push(`${d}: ${describeFsError(err)}`);
        return;
      }
      for (const name of names) {
        const child = path.posix.join(d, name);
        entries.push(child);
        if (!recursive) continue;
        try {
          if (this.fs.lstatSync(this.real(child)).isDirectory()) walk(child);
        } catch (err) {
          errors.push(`${child}: ${describeFsError(err)}`);
        }
      }
    };
    walk(dir);
    return { entries, errors };
  }

  /** Read where the process sees it, not under --root: /proc/PID/root is the container's own filesystem. */
  readInContainer(procRoot: string, pid: number, hostPath: string): { ok: true; text: string } | { ok: false; message: string } {
    try {
      return { ok: true, text: nodeFs.readFileSync(`${procRoot}/${pid}/root${hostPath}`, 'utf8') };
    } catch (err) {
      return { ok: false, message: describeFsError(err) };
    }
  }

  userName(uid: number): string {
    return this.users.get(uid) ?? String(uid);
  }

  groupName(gid: number): string {
    return this.groups.get(gid) ?? String(gid);
  }

  /** name:x:id:… lines. A root without the file still knows that id 0 is root. */
  private readIdNames(file: string): Map<number, string> {
    const names = new Map<number, string>();
    const read = this.readText(file);
    if (!read.ok) return new Map([[0, 'root']]);
    for (const line of read.text.split('\n')) {
      const [name, , id] = line.split(':');
      const n = Number(id);
      if (name && id !== undefined && /^\d+$/.test(id) && !names.has(n)) names.set(n, name);
    }
    return names;
  }
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    default:
      return e?.message ?? String(err);
  }
}
