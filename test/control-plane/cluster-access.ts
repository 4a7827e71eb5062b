// Identities and evidence on a real control plane: kubeconfigs for ServiceAccounts (with tokens from
// the TokenRequest API, as a pod would get them) and the API server's own audit log.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ControlPlane, ControlPlaneEnv } from './harness.js';

/** One audit.k8s.io/v1 Event, the fields the tests read. */
export interface AuditEvent {
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string; groups?: string[] };
  objectRef?: { resource?: string; namespace?: string; name?: string; subresource?: string; apiGroup?: string };
  responseStatus?: { code?: number };
  responseObject?: unknown;
  annotations?: Record<string, string>;
}

/** The audit log's events that match, once the server has written them (it writes each as it completes). */
export async function auditEvents(env: ControlPlaneEnv, match: (e: AuditEvent) => boolean): Promise<AuditEvent[]> {
  if (!env.files.auditLog) throw new Error('this control plane has no audit log');
  const read = () =>
    readFileSync(env.files.auditLog!, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent).filter(match);
  // Readiness wait for the log file to catch up, not a timed assertion.
  let last = read();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = read();
    if (now.length === last.length) return now;
    last = now;
  }
  return last;
}

/**
 * Creates (if needed) a ServiceAccount, binds it to ROLE cluster-wide when given, asks the TokenRequest
 * API for a token and writes a kubeconfig that uses it. Returns the kubeconfig's path.
 */
export async function serviceAccountKubeconfig(plane: ControlPlane, namespace: string, name: string, clusterRole: string | undefined, dir: string): Promise<string> {
  const exists = await plane.kubectl(['get', 'serviceaccount', name, '-n', namespace, '-o', 'name']);
  if (exists.status !== 0) await plane.kubectlOk(['create', 'serviceaccount', name, '-n', namespace]);
  if (clusterRole) await plane.kubectlOk(['create', 'clusterrolebinding', `${name}-${clusterRole}`, `--clusterrole=${clusterRole}`, `--serviceaccount=${namespace}:${name}`]);
  const token = (await plane.kubectlOk(['create', 'token', name, '-n', namespace, '--duration=1h'])).trim();
  const ca = readFileSync(path.join(plane.env.pki, 'ca.crt')).toString('base64');
  const file = path.join(dir, `${namespace}-${name}.kubeconfig`);
  writeFileSync(file, `apiVersion: v1
kind: Config
clusters:
- name: real
  cluster: {server: "${plane.env.server}", certificate-authority-data: ${ca}}
users:
- name: ${name}
  user: {token: "${token}"}
contexts:
- name: ${name}@real
  context: {cluster: real, user: ${name}}
current-context: ${name}@real
`, { mode: 0o600 });
  return file;
}
