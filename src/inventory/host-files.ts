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

/**
 * The host files of a node audit as facts. Checks read a node through this record and never
 * through the filesystem: while the engine evaluates a check (`evaluateRecorded`) the record is
 * frozen, so a file not yet recorded answers "not recorded" and is noted; the engine then has
 * the reader load every noted file and evaluates again, until the check asks for nothing new.
 * The reader (src/sources/node/host.ts) is the only part that touches the filesystem. Outside
 * an evaluation (the node source itself, baselines, tests that call a check directly) a file
 * is loaded the first time it is asked for.
 */
export class RecordedHost implements HostFiles {
  readonly root: string;
  private readonly stats = new Map<string, FileStat>();
  private readonly texts = new Map<string, TextRead>();
  private readonly listings = new Map<string, DirListing>();
  private readonly containerTexts = new Map<string, { ok: true; text: string } | { ok: false; message: string }>();
  private readonly noted = new Map<string, () => void>();
  private frozen = false;

  constructor(readonly reader: HostFiles) {
    this.root = reader.root;
  }

  stat(hostPath: string): FileStat {
    return this.recorded('stat', this.stats, hostPath, () => this.reader.stat(hostPath), { exists: true, error: NOT_RECORDED, path: hostPath });
  }

  readText(hostPath: string): TextRead {
    return this.recorded('text', this.texts, hostPath, () => this.reader.readText(hostPath), { ok: false, missing: false, message: `${hostPath}: ${NOT_RECORDED}` });
  }

  /** File contents for hashes (node baselines): read by the source, never by a check. */
  readBytes(hostPath: string): { ok: true; bytes: Buffer } | { ok: false; message: string } {
    return this.reader.readBytes(hostPath);
  }

  list(dir: string, recursive: boolean): DirListing {
    return this.recorded('list', this.listings, `${recursive ? 'r' : 'd'}:${dir}`, () => this.reader.list(dir, recursive), { entries: [], errors: [`${dir}: ${NOT_RECORDED}`] });
  }

  readInContainer(procRoot: string, pid: number, path: string): { ok: true; text: string } | { ok: false; message: string } {
    return this.recorded('container', this.containerTexts, `${procRoot}\u0000${pid}\u0000${path}`, () => this.reader.readInContainer(procRoot, pid, path), { ok: false, message: NOT_RECORDED });
  }

  /**
   * Evaluates `evaluate` over recorded files only: what it asks for and is not recorded is
   * loaded afterwards and it runs again, until it asks for nothing new. The last run's answer
   * is the one every file it read was recorded for.
   */
  evaluateRecorded<T>(evaluate: () => T): T {
    for (let round = 0; ; round++) {
      this.frozen = true;
      let out: T;
      try {
        out = evaluate();
      } finally {
        this.frozen = false;
      }
      if (this.noted.size === 0 || round >= MAX_ROUNDS) return out;
      const load = [...this.noted.values()];
      this.noted.clear();
      for (const l of load) l();
    }
  }

  private recorded<T>(what: string, map: Map<string, T>, key: string, load: () => T, notRecorded: T): T {
    const known = map.get(key);
    if (known !== undefined) return known;
    if (this.frozen) {
      this.noted.set(`${what}\u0000${key}`, () => {
        if (!map.has(key)) map.set(key, load());
      });
      return notRecorded;
    }
    const value = load();
    map.set(key, value);
    return value;
  }
}

const NOT_RECORDED = 'not recorded by the node source';
/** A check that reads files named in files it read goes a few rounds deep; this bounds a loop. */
const MAX_ROUNDS = 32;
