// GitLab Code Quality report (`artifacts:reports:codequality`), the format GitLab documents at
// docs.gitlab.com/ci/testing/code_quality/ ("Code Quality report format"): a JSON array of
// issues, each with description, check_name, fingerprint (unique: GitLab shows one issue per
// fingerprint), severity (info, minor, major, critical, blocker) and location.path (relative
// to the repository root) with location.lines.begin. GitLab shows them in merge requests.
// Excepted findings are left out: they were accepted.

import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Severity } from '../result/result.js';
import type { Result } from '../result/result.js';

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

const SEVERITY: Record<Severity, CodeQualitySeverity> = { critical: 'blocker', high: 'critical', medium: 'major', low: 'minor', info: 'info' };

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number } };
}

export interface GitlabOptions {
  /** The repository root paths are relative to (default: the current folder). */
  root?: string;
  cwd?: string;
}

export function buildCodeQuality(result: Result, options: GitlabOptions = {}): CodeQualityIssue[] {
  const cwd = options.cwd ?? process.cwd();
  const root = path.resolve(cwd, options.root ?? '.');
  const seen = new Set<string>();
  return result.findings
    .filter((f) => !f.exception)
    .map((f) => {
      const file = relativePath(f.node !== undefined ? `${f.node}:${f.location.file}` : f.location.file, f.node === undefined, root, cwd);
      // Our fingerprint names check, object and field; the file makes it unique when one
      // object is defined in two files, and a counter in the (theoretical) remaining case.
      let fingerprint = createHash('md5').update(`${f.fingerprint}\0${file}`).digest('hex');
      for (let i = 2; seen.has(fingerprint); i++) fingerprint = createHash('md5').update(`${f.fingerprint}\0${file}\0${i}`).digest('hex');
      seen.add(fingerprint);
      const r = f.resource;
      return {
        description: `${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name}: ${f.message} (${f.location.path}). ${f.remediation}`,
        check_name: f.check,
        fingerprint,
        severity: SEVERITY[f.severity],
        location: { path: file, lines: { begin: f.location.line ?? 1 } },
      };
    });
}

export function renderCodeQuality(result: Result, options: GitlabOptions = {}): string {
  return JSON.stringify(buildCodeQuality(result, options), null, 2) + '\n';
}

/** A file in the repository as a path relative to its root; anything else as given. */
function relativePath(file: string, isLocal: boolean, root: string, cwd: string): string {
  if (!isLocal || file === '<stdin>' || /^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
  const rel = path.relative(root, path.resolve(cwd, file));
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}
