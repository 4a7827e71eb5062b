// Writes NetworkPolicies for one namespace: a default-deny for ingress and egress, the DNS
// allowance that makes an egress default-deny livable, and — from the Services and workloads of
// the input — an allow-list *proposal* for a person to review (who talks to which Service).

import type { Inventory } from '../inventory/inventory.js';
import { isMapping, type InventoryObject } from '../inventory/model.js';
import { containersOf } from '../inventory/pod-specs.js';
import { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL, NetpolModel, type Workload } from '../analysis/netpol/model.js';
import { DNS_LABELS } from '../analysis/netpol/patterns.js';
import { declaredFlowPolicies } from './netpol-declared.js';

export const PROPOSAL_ANNOTATION = 'kubeharden.io/proposal';

export interface GeneratedPolicy {
  /** The NetworkPolicy object, ready to serialise. */
  policy: Record<string, unknown>;
  /** Proposals are guesses from the input; the others are the baseline to apply as they are. */
  proposal: boolean;
  /** Why it was written: shown as a comment above it. */
  reason: string;
  /** Comments on parts of the policy (a rule: ['spec', 'egress', 0]), shown above them. */
  ruleComments?: { path: (string | number)[]; comment: string }[];
}

interface ServicePort {
  port: number | string;
  protocol: string;
}

interface ServiceInfo {
  object: InventoryObject;
  namespace: string;
  name: string;
  selector: Record<string, string>;
  ports: ServicePort[];
  /** Reachable from outside the cluster: LoadBalancer or NodePort, or the backend of an Ingress. */
  external: boolean;
  pods: Workload[];
}

export function generateNetpol(inventory: Inventory, namespace: string, options: { proposals?: boolean } = {}): GeneratedPolicy[] {
  const model = new NetpolModel(inventory);
  const out: GeneratedPolicy[] = namespace === 'kube-system' ? kubeSystemBaseline() : [
    baseline(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, 'Deny all ingress and egress of every pod in the namespace unless another policy allows it.'),
    baseline(namespace, 'allow-dns-egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [dnsPeer()], ports: dnsPorts() }],
    }, 'Let every pod resolve names through the cluster DNS (k8s-app: kube-dns in kube-system).'),
  ];
  // Not proposals: without them the default-deny would cut flows other namespaces declare.
  out.push(...declaredFlowPolicies(model, namespace, { egressIsolated: namespace !== 'kube-system' }, (name, spec, annotations) => networkPolicy(namespace, name, spec, annotations)).policies);
  if (options.proposals !== false) out.push(...proposals(inventory, model, namespace));
  return out;
}

/**
 * kube-system gets ingress isolation only (spec/semantics.md §3.7): its components need egress to the
 * API server's addresses and upstream resolvers, which manifests do not tell; an egress default-deny
 * written blind would break the cluster.
 */
function kubeSystemBaseline(): GeneratedPolicy[] {
  return [
    baseline('kube-system', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] },
      'Deny all ingress to kube-system pods unless another policy allows it. Egress is left open: its components need the\n' +
      ' API server (an ipBlock of the control-plane addresses) and upstream DNS; add an egress default-deny once those are listed.'),
    baseline('kube-system', 'allow-dns-ingress', {
      podSelector: { matchLabels: { ...DNS_LABELS } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: {} }], ports: dnsPorts() }],
    }, 'Let pods of every namespace query the cluster DNS.'),
  ];
}

function baseline(namespace: string, name: string, spec: Record<string, unknown>, reason: string): GeneratedPolicy {
  return { policy: networkPolicy(namespace, name, spec, {}), proposal: false, reason };
}

export function networkPolicy(namespace: string, name: string, spec: Record<string, unknown>, annotations: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'kubeharden' },
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec,
  };
}

function dnsPeer(): Record<string, unknown> {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { ...DNS_LABELS } } };
}

function dnsPorts(): Record<string, unknown>[] {
  return [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }];
}

/** Allow rules guessed from the input: ingress to each Service's pods, egress to the Services a workload names. */
function proposals(inventory: Inventory, model: NetpolModel, namespace: string): GeneratedPolicy[] {
  const services = readServices(inventory, model);
  const out: GeneratedPolicy[] = [];
  // Policies cannot be relied on for hostNetwork pods (spec/semantics.md §3.5): no proposal for them.
  for (const svc of services.filter((s) => s.namespace === namespace && s.pods.some((p) => !p.hostNetwork))) {
    const clients = model.workloads.filter((w) => !svc.pods.includes(w) && referencesService(w, svc));
    const ports = svc.ports.map((p) => ({ protocol: p.protocol, port: p.port }));
    let from: Record<string, unknown>[] | undefined;
    let reason: string;
    if (svc.external) {
      from = undefined;
      reason = `Service ${svc.name} is exposed outside the cluster (LoadBalancer, NodePort or Ingress): allow its ports from anywhere.`;
    } else if (clients.length) {
      from = clients.map((c) => clientPeer(c, namespace));
      reason = `Workloads that name Service ${svc.name} in their environment or arguments: ${clients.map((c) => c.id).join(', ')}.`;
    } else {
      from = [{ podSelector: {} }];
      reason = `No client of Service ${svc.name} found in the input; this guesses "pods of the same namespace". Name the real clients.`;
    }
    out.push(proposal(namespace, `allow-ingress-to-${svc.name}`, {
      podSelector: { matchLabels: svc.selector },
      policyTypes: ['Ingress'],
      ingress: [{ ...(from ? { from } : {}), ports }],
    }, reason));
  }
  // Egress of kube-system stays open (see kubeSystemBaseline): an egress rule would isolate it.
  if (namespace === 'kube-system') return out;
  for (const w of model.workloads.filter((x) => x.namespace === namespace && !x.hostNetwork)) {
    const targets = services.filter((s) => s.pods.length && !s.pods.includes(w) && referencesService(w, s));
    if (targets.length === 0) continue;
    out.push(proposal(namespace, `allow-egress-from-${w.name}${w.part === undefined ? '' : `-${policyNamePart(w.part)}`}`, {
      podSelector: { matchLabels: stableLabels(w) },
      policyTypes: ['Egress'],
      egress: targets.map((s) => ({
        to: [s.namespace === namespace ? { podSelector: { matchLabels: s.selector } } : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: s.namespace } }, podSelector: { matchLabels: s.selector } }],
        ports: s.ports.map((p) => ({ protocol: p.protocol, port: p.port })),
      })),
    }, `${w.id} names ${targets.map((s) => `Service ${s.namespace}/${s.name}`).join(', ')} in its environment or arguments.`));
  }
  return out;
}

/** `workerGroupSpecs[0]` → `workergroupspecs-0`: one template of several, in a name the API accepts. */
function policyNamePart(part: string): string {
  return part.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function proposal(namespace: string, name: string, spec: Record<string, unknown>, reason: string): GeneratedPolicy {
  return {
    policy: networkPolicy(namespace, name, spec, { [PROPOSAL_ANNOTATION]: 'review before applying: generated from the Services and workloads of the input' }),
    proposal: true,
    reason,
  };
}

function clientPeer(client: Workload, namespace: string): Record<string, unknown> {
  const podSelector = { matchLabels: stableLabels(client) };
  return client.namespace === namespace ? { podSelector } : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: client.namespace } }, podSelector };
}

/** The controller's own selector when it has one (it outlives version labels), else the pod labels. */
export function stableLabels(w: Workload): Record<string, string> {
  const spec = w.object.raw.spec;
  const matchLabels = isMapping(spec) && isMapping(spec.selector) ? spec.selector.matchLabels : undefined;
  if (isMapping(matchLabels) && Object.keys(matchLabels).length) return Object.fromEntries(Object.entries(matchLabels).map(([k, v]) => [k, String(v)]));
  return { ...w.labels };
}

function readServices(inventory: Inventory, model: NetpolModel): ServiceInfo[] {
  const ingressBackends = new Set<string>();
  for (const ing of inventory.ofKind('Ingress')) {
    for (const name of ingressServiceNames(ing.raw.spec)) ingressBackends.add(`${ing.namespace ?? DEFAULT_NAMESPACE}/${name}`);
  }
  const out: ServiceInfo[] = [];
  for (const obj of inventory.ofKind('Service')) {
    const spec = obj.raw.spec;
    if (!isMapping(spec) || !isMapping(spec.selector) || Object.keys(spec.selector).length === 0) continue;
    const selector = Object.fromEntries(Object.entries(spec.selector).map(([k, v]) => [k, String(v)]));
    const namespace = obj.namespace ?? DEFAULT_NAMESPACE;
    const ports: ServicePort[] = (Array.isArray(spec.ports) ? spec.ports : []).filter(isMapping).flatMap((p) => {
      const target = p.targetPort ?? p.port;
      if (typeof target !== 'number' && typeof target !== 'string') return [];
      return [{ port: target, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' }];
    });
    if (ports.length === 0) continue;
    out.push({
      object: obj,
      namespace,
      name: obj.name,
      selector,
      ports,
      external: spec.type === 'LoadBalancer' || spec.type === 'NodePort' || ingressBackends.has(`${namespace}/${obj.name}`),
      pods: model.workloads.filter((w) => w.namespace === namespace && Object.entries(selector).every(([k, v]) => w.labels[k] === v)),
    });
  }
  return out;
}

function ingressServiceNames(spec: unknown): string[] {
  const names: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isMapping(v)) {
      if (isMapping(v.service) && typeof v.service.name === 'string') names.push(v.service.name);
      for (const child of Object.values(v)) visit(child);
    }
  };
  visit(spec);
  return names;
}

/** Whether a workload names a Service as a host in its env values, command or args (`db`, `db.data`, `db.data.svc.cluster.local`). */
function referencesService(w: Workload, svc: ServiceInfo): boolean {
  const ns = escape(svc.namespace);
  const suffix = `\\.${ns}(\\.svc(\\.cluster\\.local)?)?`;
  const host = w.namespace === svc.namespace ? `${escape(svc.name)}(${suffix})?` : `${escape(svc.name)}${suffix}`;
  const re = new RegExp(`(^|[\\s/@=,"'])${host}(?=$|[\\s:/,"'])`);
  return hostStrings(w).some((s) => re.test(s));
}

function hostStrings(w: Workload): string[] {
  const out: string[] = [];
  for (const c of containersOf(w.pod)) {
    for (const field of ['command', 'args'] as const) {
      const list = c.container[field];
      if (Array.isArray(list)) for (const s of list) if (typeof s === 'string') out.push(s);
    }
    if (Array.isArray(c.container.env)) {
      for (const e of c.container.env) if (isMapping(e) && typeof e.value === 'string') out.push(e.value);
    }
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
