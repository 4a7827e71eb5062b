// A check's metadata examples (`examples.pass` / `examples.fail`) are written for its docs page
// as the fragment a reader needs to see: `containers: …`, `rules: …`, `providers: …`. To run
// them through the check tester, a fragment is wrapped into the whole document it belongs to,
// according to the check's scope and kinds. A fragment that already names its `kind` is used as
// written. Only what the fragment leaves out is filled in, with neutral values: a name and the
// namespace `example`, a workload's selector, pod template labels (`app: NAME`) and container.
// The objects an example is judged beside (`examples.beside`) join both examples, and the
// configuration it is judged with (`examples.config`) is read by the real config parser.
// A placeholder the docs show instead of a secret (`<32 random bytes, base64>`) is filled with
// that many random bytes.

import { randomBytes } from 'node:crypto';
import { parseDocument, stringify } from 'yaml';
import { ALL_CHECKS } from '../src/checks/index.js';
import type { Check } from '../src/checks/types.js';
import type { ScanSettings } from '../src/engine/context.js';
import { parseConfig } from '../src/engine/config.js';

type Doc = Record<string, unknown>;

const API_VERSION: Record<string, string> = {
  Pod: 'v1', Namespace: 'v1', ConfigMap: 'v1', Node: 'v1', ServiceAccount: 'v1',
  Service: 'v1', Deployment: 'apps/v1', DaemonSet: 'apps/v1', StatefulSet: 'apps/v1', ReplicaSet: 'apps/v1',
  Job: 'batch/v1', CronJob: 'batch/v1', HorizontalPodAutoscaler: 'autoscaling/v2', PodDisruptionBudget: 'policy/v1',
  Ingress: 'networking.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1', ClusterRole: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1', ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  EncryptionConfiguration: 'apiserver.config.k8s.io/v1',
  ValidatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
  MutatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
  Policy: 'audit.k8s.io/v1',
};

// Pod-spec fields; a fragment with any other top-level field describes one container.
const POD_SPEC_FIELDS = new Set([
  'containers', 'initContainers', 'ephemeralContainers', 'volumes', 'hostNetwork', 'hostPID', 'hostIPC', 'hostUsers',
  'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'runtimeClassName', 'nodeName', 'os', 'shareProcessNamespace',
]);
// securityContext fields that exist only on a container.
const CONTAINER_ONLY_SECURITY = new Set(['privileged', 'allowPrivilegeEscalation', 'capabilities', 'readOnlyRootFilesystem', 'procMount']);

const METADATA = { name: 'example', namespace: 'example' };

/** Kinds that live in a namespace: an example naming one without metadata gets the example's. */
const NAMESPACED = new Set([
  'Pod', 'Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController', 'Service',
  'ServiceAccount', 'ConfigMap', 'Secret', 'Role', 'RoleBinding', 'NetworkPolicy', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget',
]);
/** Kinds whose fields sit under `spec`: a fragment without `spec` is the spec. */
const SPEC_KINDS = new Set(['Service', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);

function withMetadata(doc: Doc): Doc {
  if (!NAMESPACED.has(doc.kind as string)) return doc;
  return { ...doc, metadata: { ...METADATA, ...(doc.metadata as Doc | undefined) } };
}

function podFrom(fragment: Doc, namespace = 'example'): Doc {
  let spec: Doc;
  if ('spec' in fragment) spec = fragment.spec as Doc;
  else {
    const sc = fragment.securityContext as Doc | undefined;
    const containerLevel = Object.keys(fragment).some((k) => !POD_SPEC_FIELDS.has(k) && k !== 'securityContext') ||
      (sc !== undefined && Object.keys(sc).some((k) => CONTAINER_ONLY_SECURITY.has(k)));
    spec = containerLevel ? { containers: [{ name: 'app', image: 'registry.example/app:1.2.3', ...fragment }] } : { ...fragment };
  }
  if (!spec.containers) spec = { containers: [{ name: 'app', image: 'registry.example/app:1.2.3' }], ...spec };
  spec.containers = (spec.containers as Doc[]).map((c) => ({ name: 'app', image: 'registry.example/app:1.2.3', ...c }));
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'example', namespace, ...(fragment.metadata as Doc | undefined) }, spec };
}

function objectFrom(kind: string, fragment: Doc): Doc {
  const base = { apiVersion: API_VERSION[kind], kind, metadata: kind.startsWith('Cluster') || kind.endsWith('WebhookConfiguration') || kind === 'EncryptionConfiguration' || kind === 'Policy' ? { name: 'example' } : METADATA };
  switch (kind) {
    case 'ClusterRoleBinding':
    case 'RoleBinding': {
      const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view', ...(fragment.roleRef as Doc | undefined) };
      // A binding can only name a Role from inside a namespace.
      const bindingKind = roleRef.kind === 'Role' ? 'RoleBinding' : 'ClusterRoleBinding';
      return { ...base, kind: bindingKind, metadata: bindingKind === 'RoleBinding' ? METADATA : { name: 'example' }, subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }], ...fragment, roleRef };
    }
    case 'NetworkPolicy': {
      const spec = 'spec' in fragment ? (fragment.spec as Doc) : fragment;
      const types = [...('ingress' in spec ? ['Ingress'] : []), ...('egress' in spec ? ['Egress'] : [])];
      return { ...base, spec: { podSelector: {}, ...(types.length ? { policyTypes: types } : {}), ...spec } };
    }
    case 'EncryptionConfiguration': {
      if ('resources' in fragment) return { ...base, ...fragment };
      const providers = 'providers' in fragment ? fragment.providers : [fragment];
      return { ...base, resources: [{ resources: ['secrets'], providers }] };
    }
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration': {
      if ('webhooks' in fragment) return { ...base, ...fragment };
      // A policy engine's webhook on pods, the kind of webhook the webhook checks judge.
      const rules = [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }];
      return { ...base, webhooks: [{ name: 'validate.kyverno.svc', clientConfig: { service: { name: 'kyverno-svc', namespace: 'kyverno' } }, rules, sideEffects: 'None', admissionReviewVersions: ['v1'], ...fragment }] };
    }
    default:
      if (SPEC_KINDS.has(kind) && !('spec' in fragment)) return { ...base, spec: fragment };
      return { ...base, ...fragment };
  }
}

const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job']);

/** A workload written without (part of) its pod template gets the rest: labels, selector, a container. */
function completeWorkload(doc: Doc): Doc {
  if (!WORKLOADS.has(doc.kind as string)) return doc;
  const spec = (doc.spec ?? {}) as Doc;
  const template = (spec.template ?? {}) as Doc;
  const templateMeta = (template.metadata ?? {}) as Doc;
  const labels = (templateMeta.labels as Doc | undefined) ?? { app: (doc.metadata as Doc | undefined)?.name ?? 'example' };
  const podSpec = (template.spec ?? {}) as Doc;
  return {
    ...doc,
    spec: {
      selector: { matchLabels: { ...labels } },
      ...spec,
      template: { ...template, metadata: { ...templateMeta, labels }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1.2.3' }], ...podSpec } },
    },
  };
}

/** A control-plane container's command line (`command: [kube-apiserver, …]`) as its static pod. */
function staticPodFrom(fragment: Doc): Doc {
  const component = String((fragment.command as unknown[])[0]);
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `${component}-control-plane`, namespace: 'kube-system', labels: { component, tier: 'control-plane' } },
    spec: { containers: [{ name: component, image: `registry.k8s.io/${component}:v1.31.4`, ...fragment }] },
  };
}

const POD_KINDS = new Set(['Pod', ...WORKLOADS, 'CronJob']);

/**
 * Inventory checks decide across objects (a namespace and the workloads in it, a policy and the
 * pods it selects): an example showing one object gets the namespace and a workload it speaks of.
 */
function withCompanions(docs: Doc[]): Doc[] {
  const namespaceOf = (d: Doc) => (d.kind === 'Namespace' ? (d.metadata as Doc | undefined)?.name : (d.metadata as Doc | undefined)?.namespace) as string | undefined;
  const namespace = docs.map(namespaceOf).find((n) => n !== undefined) ?? 'example';
  const out = [...docs];
  if (!docs.some((d) => d.kind === 'Namespace')) out.unshift({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  if (!docs.some((d) => POD_KINDS.has(d.kind as string))) out.push(podFrom({ containers: [{ name: 'app' }] }, namespace));
  return out.map((d) => (d.kind === 'NetworkPolicy' && !namespaceOf(d) ? { ...d, metadata: { ...(d.metadata as Doc), name: (d.metadata as Doc | undefined)?.name ?? 'example', namespace } } : d));
}

/**
 * The settings an example is decided at: a baseline check that restricted replaces runs at
 * baseline; `examples.config` is read as a `.kubeharden.yaml` would be.
 */
export function exampleSettings(check: Check): Partial<ScanSettings> {
  const level: Partial<ScanSettings> = check.pss?.overriddenBy || check.subsumedAtRestrictedBy ? { pssLevel: 'baseline' } : {};
  const config = check.examples?.config;
  if (config === undefined) return level;
  const loaded = parseConfig(config, `${check.id} examples.config`, new Set(ALL_CHECKS.map((c) => c.id)));
  return { ...loaded.settings, ...level };
}

/** `<N random bytes, base64>`, the docs' stand-in for a key, filled with N random bytes. */
function fillPlaceholders(text: string): string {
  return text.replace(/<(\d+) random bytes, base64>/g, (_, n: string) => randomBytes(Number(n)).toString('base64'));
}

const parseDocs = (text: string): Doc[] =>
  fillPlaceholders(text).split(/^---\s*$/m).map((t) => parseDocument(t).toJS() as Doc | null).filter((d): d is Doc => d !== null && typeof d === 'object');

/** The whole YAML document(s) an example stands for, ready for the check tester. */
export function exampleDocument(check: Check, example: string): string {
  const docs = parseDocs(example);
  const written = (doc: Doc) => completeWorkload(withMetadata({ apiVersion: API_VERSION[doc.kind as string] ?? 'v1', ...doc }));
  const whole = docs.map((doc) => {
    if (typeof doc.kind === 'string') return written(doc);
    if (check.scope === 'pod') return podFrom(doc);
    if (check.scope === 'object') {
      // A binding check shown with the rules it judges: those rules in a ClusterRole, bound.
      if (/Binding$/.test(check.kinds[0]!) && 'rules' in doc) return [objectFrom('ClusterRole', doc), objectFrom('ClusterRoleBinding', { roleRef: { kind: 'ClusterRole', name: 'example' } })];
      return objectFrom(check.kinds[0]!, doc);
    }
    if (Array.isArray(doc.command)) return staticPodFrom(doc);
    // Inventory checks: the fragment's fields say what it is.
    if ('rules' in doc && Array.isArray(doc.rules) && (doc.rules as Doc[]).some((r) => 'level' in r)) return objectFrom('Policy', doc);
    if ('egress' in doc || 'ingress' in doc || ('spec' in doc && 'podSelector' in (doc.spec as Doc))) return objectFrom('NetworkPolicy', doc);
    if ('spec' in doc || 'containers' in doc) return podFrom(doc);
    return doc;
  }).flat();
  // The objects beside the example name their kinds.
  whole.push(...parseDocs(check.examples?.beside ?? '').map(written));
  return (check.scope === 'inventory' ? withCompanions(whole) : whole).map((d) => stringify(d)).join('---\n');
}
