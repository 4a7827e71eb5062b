// File integrity of a node's critical files: a baseline records each file's sha256, mode,
// owner and group; drift compares a later state with it. Critical files: static pod
// manifests, kubeconfigs, the PKI folder, the config files the API server and kubelet name,
// the kubelet's config and systemd drop-ins, and the etcd data directory (mode and owner
// only: its contents change with every write).

import { createHash } from 'node:crypto';
import { readFlag } from '../../analysis/flags/components.js';
import { DEFAULT_MANIFESTS_DIR, instancesOf, type NodeFacts } from '../../inventory/node-facts.js';
import type { HostFiles } from '../../inventory/host-files.js';
import { formatMode } from '../../inventory/host-files.js';
import { KUBELET_DROP_IN_PATHS } from './kubelet-unit.js';

const BASELINE_KIND = 'KubehardenNodeBaseline';

export interface BaselineEntry {
  path: string;
  type: 'file' | 'directory' | 'other';
  /** Content digest; absent for directories and for the etcd data directory's contents. */
  sha256?: string;
  mode: string;
  owner: string;
  /** Why this file is critical. */
  role: string;
}

export interface Baseline {
  kind: typeof BASELINE_KIND;
  version: 1;
  created: string;
  root: string;
  files: BaselineEntry[];
  /** Files that could not be read while recording. */
  problems: string[];
}

const APISERVER_FILE_FLAGS = ['audit-policy-file', 'encryption-provider-config', 'authentication-config', 'authorization-config', 'admission-control-config-file'];

interface Target {
  path: string;
  role: string;
  /** For folders: walk subfolders. */
  recursive: boolean;
  /** Record content digests. */
  hash: boolean;
  /** For folders: record the folder's entries (else only the folder itself). */
  entries?: boolean;
  /** For folders: record the folder itself too. */
  self?: boolean;
  onlyNames?: RegExp;
}

/** The critical paths of this node. */
function criticalTargets(facts: NodeFacts): Target[] {
  const kubelet = instancesOf(facts, 'kubelet')[0];
  const manifests = facts.staticPodDir?.path ?? DEFAULT_MANIFESTS_DIR;
  const targets: Target[] = [
    { path: manifests, role: 'static pod manifest', recursive: true, hash: true, entries: true, self: true },
    { path: '/etc/kubernetes', role: 'kubeconfig', recursive: false, hash: true, entries: true, onlyNames: /\.conf$/ },
    { path: '/etc/kubernetes/pki', role: 'PKI', recursive: true, hash: true, entries: true, self: true },
    { path: kubelet?.config?.path ?? '/var/lib/kubelet/config.yaml', role: 'kubelet config', recursive: false, hash: true },
    { path: '/var/lib/kubelet/kubeadm-flags.env', role: 'kubelet flags', recursive: false, hash: true },
    ...KUBELET_DROP_IN_PATHS.map((p) => ({ path: p, role: 'kubelet systemd drop-in', recursive: false, hash: true })),
  ];
  const etcd = instancesOf(facts, 'etcd')[0];
  const dataDir = etcd ? readFlag(etcd.cmd, 'data-dir').value ?? etcd.env.get('ETCD_DATA_DIR')?.value : undefined;
  targets.push({ path: dataDir ?? '/var/lib/etcd', role: 'etcd data directory', recursive: false, hash: false, self: true });
  for (const c of instancesOf(facts, 'kube-apiserver')) {
    for (const flag of APISERVER_FILE_FLAGS) {
      const value = readFlag(c.cmd, flag).value;
      if (value) targets.push({ path: value, role: `kube-apiserver --${flag}`, recursive: false, hash: true });
    }
  }
  return targets;
}

export function recordBaseline(facts: NodeFacts, now: Date = new Date()): Baseline {
  const host = facts.host;
  if (!host) throw new Error('a baseline needs a host');
  const entries = new Map<string, BaselineEntry>();
  const problems: string[] = [];
  for (const t of criticalTargets(facts)) {
    const top = host.stat(t.path);
    if (!top.exists) continue;
    const isDir = top.error === undefined && top.kind === 'directory';
    if (!isDir || t.self) addEntry(host, t.path, t.role, t.hash, entries, problems);
    if (!isDir || !t.entries) continue;
    const listed = host.list(t.path, t.recursive);
    problems.push(...listed.errors);
    for (const p of listed.entries) {
      if (t.onlyNames && !t.onlyNames.test(p)) continue;
      addEntry(host, p, t.role, t.hash, entries, problems);
    }
  }
  return { kind: BASELINE_KIND, version: 1, created: now.toISOString(), root: host.root, files: [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), problems };
}

function addEntry(host: HostFiles, p: string, role: string, hash: boolean, entries: Map<string, BaselineEntry>, problems: string[]): void {
  if (entries.has(p)) return;
  const st = host.stat(p);
  if (!st.exists) return;
  if (st.error !== undefined) {
    problems.push(`${p}: ${st.error}`);
    return;
  }
  const type = st.kind === 'directory' ? 'directory' : st.kind === 'file' ? 'file' : 'other';
  const entry: BaselineEntry = { path: p, type, mode: formatMode(st.mode), owner: st.owner, role };
  if (hash && type === 'file') {
    const digest = sha256(host, p);
    if (digest.ok) entry.sha256 = digest.value;
    else problems.push(digest.message);
  }
  entries.set(p, entry);
}

function sha256(host: HostFiles, p: string): { ok: true; value: string } | { ok: false; message: string } {
  const read = host.readBytes(p);
  if (!read.ok) return read;
  return { ok: true, value: createHash('sha256').update(read.bytes).digest('hex') };
}

export type DriftKind = 'added' | 'removed' | 'changed' | 're-permissioned';

export interface Drift {
  kind: DriftKind;
  path: string;
  role: string;
  /** What differs: `sha256`, `mode 600 → 644`, `owner root:root → alice:alice`. */
  detail: string;
  field: 'file' | 'sha256' | 'mode' | 'owner';
}

export function compareBaseline(before: Baseline, after: Baseline): Drift[] {
  const drifts: Drift[] = [];
  const old = new Map(before.files.map((f) => [f.path, f]));
  const now = new Map(after.files.map((f) => [f.path, f]));
  for (const [p, b] of old) {
    const a = now.get(p);
    if (!a) {
      drifts.push({ kind: 'removed', path: p, role: b.role, detail: `${b.type} removed`, field: 'file' });
      continue;
    }
    if (b.sha256 && a.sha256 && a.sha256 !== b.sha256) drifts.push({ kind: 'changed', path: p, role: b.role, detail: `content changed (sha256 ${b.sha256.slice(0, 12)}… → ${a.sha256.slice(0, 12)}…)`, field: 'sha256' });
    if (a.mode !== b.mode) drifts.push({ kind: 're-permissioned', path: p, role: b.role, detail: `mode ${b.mode} → ${a.mode}`, field: 'mode' });
    if (a.owner !== b.owner) drifts.push({ kind: 're-permissioned', path: p, role: b.role, detail: `owner ${b.owner} → ${a.owner}`, field: 'owner' });
  }
  for (const [p, a] of now) if (!old.has(p)) drifts.push({ kind: 'added', path: p, role: a.role, detail: `${a.type} added (mode ${a.mode}, owner ${a.owner})`, field: 'file' });
  return drifts;
}

/** Validates a parsed baseline file; a message says what is wrong. */
export function asBaseline(value: unknown): Baseline | string {
  const v = value as Partial<Baseline> | null;
  if (!v || typeof v !== 'object' || v.kind !== BASELINE_KIND) return `not a kubeharden node baseline (kind must be ${BASELINE_KIND})`;
  if (v.version !== 1) return `unsupported baseline version ${String(v.version)}`;
  if (!Array.isArray(v.files) || v.files.some((f) => !f || typeof f.path !== 'string' || typeof f.mode !== 'string' || typeof f.owner !== 'string')) return 'files must be a list of {path, mode, owner}';
  return v as Baseline;
}
