#!/usr/bin/env node
// Regenerates src/analysis/rbac/bootstrap-policy-data.ts — Kubernetes' default RBAC policy — from
// the objects a real kube-apiserver creates at start, never from memory:
//
//   node scripts/gen-bootstrap-policy.mjs --dir DIR        # a control plane started by scripts/control-plane.mjs up --dir DIR
//   node scripts/gen-bootstrap-policy.mjs --from FILE.yaml # the output of the command below, saved
//
// where the objects are `kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml`
// of a fresh server (no controller-manager, so aggregated roles still hold only their selectors).
// Every object labelled kubernetes.io/bootstrapping=rbac-defaults is written, in the server's
// order, rules as stored. test/oracle/rbac.test.ts proves the table equals the server.

import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'src', 'analysis', 'rbac', 'bootstrap-policy-data.ts');
const LABEL = 'kubernetes.io/bootstrapping';
const AGGREGATE = 'rbac.authorization.k8s.io/aggregate-to-';

function fail(message) {
  process.stderr.write(`gen-bootstrap-policy: ${message}\n`);
  process.exit(2);
}

function readObjects(argv) {
  const at = (flag) => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const from = at('--from');
  const dir = at('--dir');
  let text;
  let version;
  if (from) text = readFileSync(from, 'utf8');
  else if (dir) {
    const env = JSON.parse(readFileSync(path.join(dir, 'env.json'), 'utf8'));
    const kubectl = (args) => execFileSync(env.binaries.kubectl, ['--kubeconfig', env.kubeconfig, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
    text = kubectl(['get', 'clusterroles,clusterrolebindings,roles,rolebindings', '-A', '-o', 'yaml']);
    version = JSON.parse(kubectl(['version', '-o', 'json'])).serverVersion?.gitVersion;
  } else fail('give --dir DIR (a running control plane) or --from FILE.yaml');
  const list = YAML.parse(text);
  if (!list || !Array.isArray(list.items)) fail('the input is not a List of RBAC objects (kubectl get ... -o yaml)');
  return { items: list.items, version: at('--version') ?? version };
}

/** A stored PolicyRule without empty fields, in the field order of the table. */
function rule(r) {
  const out = { verbs: r.verbs ?? [] };
  for (const field of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs']) if (r[field]?.length) out[field] = r[field];
  return out;
}

function labelsOf(meta) {
  const labels = { ...(meta.labels ?? {}) };
  delete labels[LABEL];
  return Object.keys(labels).length ? labels : undefined;
}

function aggregateFrom(obj) {
  const selectors = obj.aggregationRule?.clusterRoleSelectors;
  if (!selectors) return undefined;
  return selectors.map((s) => {
    const entries = Object.entries(s.matchLabels ?? {});
    if (entries.length !== 1 || entries[0][1] !== 'true' || s.matchExpressions?.length) {
      fail(`ClusterRole ${obj.metadata.name}: aggregation selector ${JSON.stringify(s)} is not one "<label>: true" (the table cannot hold it)`);
    }
    return entries[0][0];
  });
}

function main() {
  const { items, version } = readObjects(process.argv.slice(2));
  const defaults = items.filter((o) => o.metadata?.labels?.[LABEL] === 'rbac-defaults');
  const roles = [];
  const bindings = [];
  for (const o of defaults) {
    const namespace = o.metadata.namespace;
    if (o.kind === 'ClusterRole' || o.kind === 'Role') {
      const role = { name: o.metadata.name };
      if (namespace) role.namespace = namespace;
      const labels = labelsOf(o.metadata);
      if (labels) role.labels = labels;
      const agg = aggregateFrom(o);
      if (agg) role.aggregateFrom = agg;
      // An aggregated role's stored rules are the aggregation controller's; a fresh server has none.
      role.rules = agg ? [] : (o.rules ?? []).map(rule);
      roles.push(role);
    } else if (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') {
      const binding = { name: o.metadata.name };
      if (namespace) binding.namespace = namespace;
      binding.role = { kind: o.roleRef.kind, name: o.roleRef.name };
      binding.subjects = (o.subjects ?? []).map((s) => ({ kind: s.kind, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) }));
      bindings.push(binding);
    }
  }
  if (!roles.some((r) => r.name === 'cluster-admin')) fail('no ClusterRole cluster-admin labelled rbac-defaults: is this the output of a real API server?');
  const release = `Kubernetes ${version ?? '(version not given)'} default RBAC policy, read from a running kube-apiserver (feature gates at their defaults)`;
  const line = (v) => `  ${JSON.stringify(v).replace(/"([A-Za-z]+)":/g, '$1: ')},`;
  const text = `// GENERATED by scripts/gen-bootstrap-policy.mjs from the objects a real kube-apiserver creates at
// start (kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml): every object
// labelled kubernetes.io/bootstrapping=rbac-defaults, in the server's order. Do not edit by hand;
// test/oracle/rbac.test.ts checks it against the real server rule for rule.
// The policy itself is Kubernetes' (Apache-2.0, The Kubernetes Authors; bootstrappolicy/policy.go).

import type { BootstrapBinding, BootstrapRole } from './bootstrap-policy.js';

export const BOOTSTRAP_POLICY_RELEASE = ${JSON.stringify(release)};

export const BOOTSTRAP_ROLES: BootstrapRole[] = [
${roles.map(line).join('\n')}
];

export const BOOTSTRAP_BINDINGS: BootstrapBinding[] = [
${bindings.map(line).join('\n')}
];
`;
  writeFileSync(`${OUT}.tmp`, text);
  renameSync(`${OUT}.tmp`, OUT);
  process.stderr.write(`gen-bootstrap-policy: wrote ${roles.length} roles and ${bindings.length} bindings to ${path.relative(ROOT, OUT)}\n`);
}

main();
