// What a node audit knows of a host file: its kind, mode and owner as `stat` shows them, and
// its text. Plain data that the node source records and the checks read.

export type FileKind = 'file' | 'directory' | 'symlink' | 'other';

export type FileStat =
  | { exists: false; path: string }
  | { exists: true; error: string; path: string }
  | {
      exists: true;
      error?: undefined;
      path: string;
      kind: FileKind;
      /** Permission bits including setuid/setgid/sticky (st_mode & 07777). */
      mode: number;
      uid: number;
      gid: number;
      /** `stat -c %U:%G`: names from the host's passwd/group, else the numbers. */
      owner: string;
      size: number;
    };

export type TextRead = { ok: true; text: string } | { ok: false; missing: boolean; message: string };

/** `0644` as text, for evidence. */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(3, "0");
}

/** A directory's entries (host paths, sorted) and the subdirectories that could not be read. */
export interface DirListing {
  entries: string[];
  errors: string[];
}

/** The host files a node audit reads (src/sources/node/host.ts reads them from a filesystem). */
export interface HostFiles {
  /** Where the host filesystem is mounted (`/`, or `--root`). */
  readonly root: string;
  stat(hostPath: string): FileStat;
  readText(hostPath: string): TextRead;
  readBytes(hostPath: string): { ok: true; bytes: Buffer } | { ok: false; message: string };
  list(dir: string, recursive: boolean): DirListing;
  /** A file inside the container of a process (`PROC/PID/root/PATH`): static pods keep some files there. */
  readInContainer(procRoot: string, pid: number, path: string): { ok: true; text: string } | { ok: false; message: string };
}
