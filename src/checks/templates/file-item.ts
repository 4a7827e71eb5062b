// The file template of CIS 1.1 and 4.1: a file's mode is N or more restrictive (kube-bench's
// bitmask test: no permission bit outside N, special bits always outside) or its owner is
// user:group as `stat -c %U:%G` prints it. Files that do not exist make the item not apply.

import type { Evidence } from '../../result/result.js';
import type { NodeFacts } from '../../inventory/node-facts.js';
import { formatMode, type FileStat } from '../../inventory/host-files.js';

type PresentStat = Exclude<FileStat, { exists: false }>;
import { defineNodeCheck, failStatus, type ItemRow, type NodeCheck, type NodeFinding } from '../node/types.js';

/** One file to test, and how its path was found ("kube-scheduler --kubeconfig", "kubeadm default"). */
export interface FileTarget {
  path: string;
  how: string;
}

/** A folder whose entries are tested. */
export interface FolderTarget {
  dir: string;
  how: string;
  recursive: boolean;
  /** Include the folder itself. */
  includeSelf?: boolean;
  /** Which entries count (by name); default every regular file. */
  select?: (name: string) => boolean;
  /** Test directories too (1.1.19 ownership of everything under pki/). */
  directories?: boolean;
}

export interface FileTargets {
  files?: FileTarget[];
  folders?: FolderTarget[];
}

export type FileTest = { maxMode: number } | { owner: string };

export interface FileItem extends ItemRow {
  appliesTo: string;
  targets(facts: NodeFacts): FileTargets;
  test: FileTest;
}

/** kube-bench `bitmask`: with max and actual as octal, pass iff (max & actual) == actual. */
export function modeWithin(mode: number, max: number): boolean {
  return (max & mode) === mode;
}

function describeTest(test: FileTest): string {
  return 'maxMode' in test ? `mode ${formatMode(test.maxMode)} or more restrictive` : `owner ${test.owner}`;
}

export function fileCheck(item: FileItem): NodeCheck {
  const cis = { id: item.cis, automated: item.automated };
  return defineNodeCheck({
    id: item.id, title: item.title, severity: item.severity, category: item.category ?? 'node', cis,
    ...(item.controls ? { controls: item.controls } : {}),
    rationale: item.rationale, remediation: item.remediation, appliesTo: item.appliesTo,
    evaluateNode(facts) {
      const none = { evidence: [] as Evidence[], findings: [] as NodeFinding[], evaluated: 0 };
      const host = facts.host;
      if (!host) return { status: 'skip', reason: 'file modes and owners can only be read on the node: run kubeharden scan --node', ...none };
      const targets = item.targets(facts);
      const stats: { stat: PresentStat; how: string }[] = [];
      const missing: string[] = [];
      const unreadable: string[] = [];
      for (const t of targets.files ?? []) {
        const stat = host.stat(t.path);
        if (!stat.exists) missing.push(t.path);
        else stats.push({ stat, how: t.how });
      }
      for (const f of targets.folders ?? []) {
        const self = host.stat(f.dir);
        if (!self.exists) {
          missing.push(f.dir + '/');
          continue;
        }
        if (f.includeSelf) stats.push({ stat: self, how: f.how });
        const listed = host.list(f.dir, f.recursive);
        unreadable.push(...listed.errors);
        for (const entry of listed.entries) {
          const name = entry.slice(entry.lastIndexOf('/') + 1);
          if (f.select && !f.select(name)) continue;
          const stat = host.stat(entry);
          if (!stat.exists) continue;
          if (stat.error === undefined && stat.kind === 'directory' && !f.directories) continue;
          stats.push({ stat, how: f.how });
        }
      }
      const evidence: Evidence[] = [];
      const findings: NodeFinding[] = [];
      for (const { stat, how } of stats) {
        if (stat.error !== undefined) {
          unreadable.push(`${stat.path}: ${stat.error}`);
          evidence.push({ subject: stat.path, source: `${how}; could not stat: ${stat.error}` });
          continue;
        }
        const seen = `mode ${formatMode(stat.mode)} owner ${stat.owner}`;
        evidence.push({ subject: stat.path, value: seen, source: how });
        const ok = 'maxMode' in item.test ? modeWithin(stat.mode, item.test.maxMode) : stat.owner === item.test.owner;
        if (ok) continue;
        findings.push({
          message: 'maxMode' in item.test
            ? `${stat.path} has mode ${formatMode(stat.mode)}; make it ${formatMode(item.test.maxMode)} or more restrictive (chmod ${formatMode(item.test.maxMode)} ${stat.path})`
            : `${stat.path} is owned by ${stat.owner}; make it ${item.test.owner} (chown ${item.test.owner} ${stat.path})`,
          resource: { kind: stat.kind === 'directory' ? 'Directory' : 'File', name: stat.path },
          location: { file: stat.path, path: 'maxMode' in item.test ? 'mode' : 'owner' },
        });
      }
      const evaluated = stats.filter((s) => s.stat.error === undefined).length;
      if (findings.length) return { status: failStatus(cis), reason: findings.map((f) => f.message).join('; '), evidence, findings, evaluated };
      if (unreadable.length) return { status: 'skip', reason: `could not read: ${unreadable.join('; ')}`, evidence, findings, evaluated };
      if (stats.length === 0) {
        const where = missing.length ? `not found: ${missing.join(', ')}` : 'no matching files';
        return { status: 'skip', reason: `${where}, so the item does not apply on this node`, evidence, findings, evaluated: 0 };
      }
      return { status: 'pass', reason: `${stats.length} file(s) have ${describeTest(item.test)}`, evidence, findings, evaluated: stats.length };
    },
  });
}
