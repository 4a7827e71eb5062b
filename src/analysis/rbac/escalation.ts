// Who is or can become cluster-admin-equivalent, and the shortest chain of steps for each
// (spec/semantics.md §2). Nodes are identities (users, groups, service accounts); an edge is
// one escalation vector that lets an identity act as another; a terminal step makes it
// cluster-admin-equivalent outright. A reverse breadth-first search from the terminal steps
// gives every identity its shortest path in time linear in nodes plus edges.

import { givesNodeAccess } from '../pod/containers.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { PodTarget } from '../../inventory/model.js';
import { podServiceAccount } from '../pod/service-account.js';
import {
  describeGrant,
  describeSubject,
  grantApplies,
  identityOf,
  MASTERS_GROUP,
  resolveSubject,
  subjectKey,
  type Grant,
  type Identity,
  type RbacEngine,
  type SubjectId,
} from './engine.js';
import { isFullWildcard, ruleAllows, type ResourceRequest } from './rules.js';
import type { Rule } from './types.js';
import { RBAC_GROUP } from './parse.js';

export interface Step {
  /** Vector id of spec/semantics.md §2.2 (E1…E25), or `masters`. */
  vector: string;
  /** What the identity does, in words. */
  action: string;
  /** What it gains: `cluster-admin` or the identity it becomes. */
  grants: string;
  /** The bindings and rules that allow it. */
  via: string;
}

export interface EscalationPath {
  subject: SubjectId;
  /** True when every binding naming the subject is one of Kubernetes' defaults. */
  builtIn: boolean;
  steps: Step[];
}

/**
 * A vector of spec/semantics.md §2.2 that is not a path to cluster-admin by itself (E20–E23):
 * what it yields is in `result`.
 */
export interface SideStep {
  vector: string;
  action: string;
  /** `cluster-admin with node control` (E20), `indirect` (E21), `MitM in N` (E22, E23), `MitM` (E23, cluster-wide). */
  result: string;
  via: string;
}

export interface SideSteps {
  subject: SubjectId;
  builtIn: boolean;
  steps: SideStep[];
}

export interface WorkloadPower {
  workload: string;
  namespace: string;
  serviceAccount: string;
  /** False when automountServiceAccountToken is false on the pod or its ServiceAccount. */
  tokenMounted: boolean;
  /** Number of rules the service account holds through bindings (its groups included). */
  rules: number;
  /** Other identities it can act as in one step (a compromised pod gains their permissions too). */
  becomes: string[];
  /** The shortest path to cluster-admin, when there is one. */
  clusterAdmin?: Step[];
}

export interface PathsOptions {
  /**
   * Assume admission stops privileged / hostPath pods in every namespace. Off by default: a
   * namespace without a Pod Security `enforce: baseline|restricted` label in the input is taken
   * to allow node escape (spec/semantics.md §2.1).
   */
  assumeRestrictedPods?: boolean;
}

const CLUSTER_ADMIN = 'cluster-admin';
const PRIVILEGED_NAMESPACE = 'kube-system';
const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const WORKLOAD_RESOURCES: [string, string][] = [
  ['apps', 'deployments'], ['apps', 'replicasets'], ['apps', 'statefulsets'], ['apps', 'daemonsets'],
  ['batch', 'jobs'], ['batch', 'cronjobs'], ['', 'replicationcontrollers'],
];

/** The resources podCreationIn asks about. */
const POD_CREATION_RESOURCES = new Set(['pods', 'rolebindings', 'clusterroles', 'roles', ...WORKLOAD_RESOURCES.map(([, r]) => r)]);

/** Ways to run code inside an existing pod (E3 image change, E4 exec, E5 attach, E7 ephemeral container). */
const POD_TAKEOVER = [
  { vector: 'E3', verbs: ['update', 'patch'], subresource: '', action: 'changes the image of a running' },
  { vector: 'E4', verbs: ['create', 'get'], subresource: 'exec', action: 'execs into a running' },
  { vector: 'E5', verbs: ['create', 'get'], subresource: 'attach', action: 'attaches to a running' },
  { vector: 'E7', verbs: ['update', 'patch'], subresource: 'ephemeralcontainers', action: 'adds an ephemeral container to a running' },
];

/** A way to act as service accounts of one namespace. */
interface Power {
  vector: string;
  action: string;
  via: string;
  accounts: string[];
  /** Reaches every service account of the namespace, present and future (NS(N) of spec §2.1). */
  wholeNamespace: boolean;
  /** Runs code in a pod that is privileged or mounts the host: root on its node. */
  nodeAccess?: boolean;
}

interface Node {
  subject: SubjectId;
  identity: Identity;
}

interface Edge {
  to: string;
  step: Step;
}

/** The (resource, verbs) pairs of the namespace-level vectors (E1–E5, E7, E8, E10–E12, E14, E19). */
const NAMESPACE_VECTORS = new Map<string, string[]>([
  ['pods', ['create', 'update', 'patch']],
  ['pods/exec', ['create', 'get']],
  ['pods/attach', ['create', 'get']],
  ['pods/ephemeralcontainers', ['update', 'patch']],
  ['secrets', ['get', 'list', 'watch']],
  ['serviceaccounts', ['impersonate']],
  ['serviceaccounts/token', ['create']],
  ['roles', ['escalate', 'create']],
  ['rolebindings', ['create']],
  ['clusterroles', ['bind']],
  ['namespaces', ['patch', 'update']],
  ...WORKLOAD_RESOURCES.map(([, r]): [string, string[]] => [r, ['create', 'update', 'patch']]),
]);

/** Whether a rule could take part in a namespace-level vector (a cheap pre-filter; the vectors decide exactly). */
function touchesNamespaceVector(rule: Rule): boolean {
  const verb = (verbs: string[]) => rule.verbs.includes('*') || verbs.some((v) => rule.verbs.includes(v));
  return rule.resources.some((r) => {
    if (r === '*') return true;
    if (r.startsWith('*/')) return [...NAMESPACE_VECTORS].some(([res, verbs]) => res.endsWith(r.slice(1)) && verb(verbs));
    const verbs = NAMESPACE_VECTORS.get(r);
    return verbs !== undefined && verb(verbs);
  });
}

function rq(verb: string, apiGroup: string, resource: string, namespace: string, subresource = '', name = ''): ResourceRequest {
  return { type: 'resource', verb, apiGroup, resource, subresource, namespace, name };
}

/**
 * An identity's grants indexed by the resource strings of their rules, so that asking about one
 * resource looks only at rules that name it or a wildcard for it (an aggregated role can hold
 * hundreds of rules about other things).
 */
class Grants {
  private readonly byResource = new Map<string, Grant[]>();
  /** Namespaces of the RoleBinding grants: in every other namespace only the cluster-wide grants apply, alike. */
  readonly scopes = new Set<string>();
  /**
   * podCreation's answer in the namespaces outside `scopes`, found once: it is the same in all of
   * them, and asking it namespace by namespace made the graph quadratic in large clusters.
   */
  podCreationElsewhere?: { answer: PodCreation | undefined };
  /** Whether some rule allows a pod takeover (E3–E5, E7) of at least one pod, in the namespaces outside `scopes`. */
  takeoverElsewhere?: boolean;
  /** The resource strings of the RoleBinding grants' rules, per namespace. */
  private readonly scopedResources = new Map<string, Set<string>>();

  constructor(readonly all: Grant[]) {
    for (const g of all) {
      if (g.scope !== '') {
        this.scopes.add(g.scope);
        let resources = this.scopedResources.get(g.scope);
        if (!resources) this.scopedResources.set(g.scope, (resources = new Set()));
        for (const r of g.placed.rule.resources) resources.add(r);
      }
      for (const r of new Set(g.placed.rule.resources)) {
        let list = this.byResource.get(r);
        if (!list) this.byResource.set(r, (list = []));
        list.push(g);
      }
    }
  }

  /**
   * Whether a RoleBinding grant of `ns` names a resource that `asked` accepts (or a wildcard): when
   * none does, a request about those resources in `ns` is answered as in the namespaces outside
   * `scopes`, by the cluster-wide grants alone.
   */
  scopedTouch(ns: string, asked: (resource: string) => boolean): boolean {
    for (const r of this.scopedResources.get(ns) ?? []) if (r === '*' || r.startsWith('*/') || asked(r)) return true;
    return false;
  }

  /** The first grant allowing the request (on at least one name when `anyName`), or undefined. */
  allowing(req: ResourceRequest, anyName = false): Grant | undefined {
    const combined = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
    const lists = [this.byResource.get(combined), this.byResource.get('*'), req.subresource ? this.byResource.get(`*/${req.subresource}`) : undefined];
    for (const list of lists) {
      const hit = list?.find((g) => grantApplies(g, req) && ruleAllows(g.placed.rule, req, anyName));
      if (hit) return hit;
    }
    return undefined;
  }
}

function allowing(grants: Grants, req: ResourceRequest): Grant | undefined {
  return grants.allowing(req);
}

function allowingSomeName(grants: Grants, req: ResourceRequest): Grant | undefined {
  return grants.allowing(req, true);
}

function anyOf(grants: Grants, verbs: string[], make: (verb: string) => ResourceRequest, someName = false): Grant | undefined {
  for (const verb of verbs) {
    const g = grants.allowing(make(verb), someName);
    if (g) return g;
  }
  return undefined;
}

const via = (...grants: Grant[]) => grants.map(describeGrant).join(' + ');

/** A way to run a pod of one's choosing in a namespace. */
interface PodCreation {
  vector: string;
  action: string;
  via: string;
}

/** The facts about the cluster the vectors need, read once from the inventory and the engine. */
class Universe {
  readonly namespaces: string[];
  private readonly serviceAccounts = new Map<string, Set<string>>();
  /** Pod-bearing objects per namespace with their service account and name. */
  readonly podsByNamespace = new Map<string, { pod: PodTarget; serviceAccount: string; nodeAccess: boolean }[]>();
  private readonly tokenSecrets = new Map<string, { name: string; serviceAccount: string }[]>();
  private readonly enforced = new Set<string>();

  constructor(inventory: Inventory, engine: RbacEngine) {
    const namespaces = new Set(DEFAULT_NAMESPACES);
    for (const obj of inventory.objects) if (obj.namespace) namespaces.add(obj.namespace);
    for (const ns of inventory.ofKind('Namespace')) {
      namespaces.add(ns.name);
      const level = ns.labels['pod-security.kubernetes.io/enforce'];
      if (level === 'baseline' || level === 'restricted') this.enforced.add(ns.name);
    }
    for (const ns of engine.bindingNamespaces()) namespaces.add(ns);
    for (const sa of inventory.ofKind('ServiceAccount')) this.addServiceAccount(sa.namespace ?? engine.defaultNamespace, sa.name);
    for (const b of engine.bindings) {
      for (const s of b.subjects) {
        const id = resolveSubject(s, b);
        if (id.kind === 'ServiceAccount' && id.namespace) this.addServiceAccount(id.namespace, id.name);
      }
    }
    for (const pod of inventory.pods) {
      const ns = pod.object.namespace ?? engine.defaultNamespace;
      const sa = podServiceAccount(pod).name;
      // An account an operator names after something it generates holds only the operator's own
      // Role, which is not in the input: nothing to follow.
      if (sa === undefined) continue;
      this.addServiceAccount(ns, sa);
      let list = this.podsByNamespace.get(ns);
      if (!list) this.podsByNamespace.set(ns, (list = []));
      list.push({ pod, serviceAccount: sa, nodeAccess: givesNodeAccess(pod) });
    }
    for (const secret of inventory.ofKind('Secret')) {
      const sa = secret.annotations['kubernetes.io/service-account.name'];
      if (secret.raw.type !== 'kubernetes.io/service-account-token' || !sa) continue;
      const ns = secret.namespace ?? engine.defaultNamespace;
      let list = this.tokenSecrets.get(ns);
      if (!list) this.tokenSecrets.set(ns, (list = []));
      list.push({ name: secret.name, serviceAccount: sa });
    }
    for (const ns of this.serviceAccounts.keys()) namespaces.add(ns);
    for (const ns of namespaces) this.addServiceAccount(ns, 'default');
    this.namespaces = [...namespaces].sort();
  }

  private addServiceAccount(namespace: string, name: string): void {
    let set = this.serviceAccounts.get(namespace);
    if (!set) this.serviceAccounts.set(namespace, (set = new Set()));
    set.add(name);
  }

  private readonly sortedServiceAccounts = new Map<string, string[]>();

  /** The namespace's service accounts, sorted (once: the universe does not change after it is built). */
  serviceAccountsOf(namespace: string): string[] {
    let sorted = this.sortedServiceAccounts.get(namespace);
    if (!sorted) this.sortedServiceAccounts.set(namespace, (sorted = [...(this.serviceAccounts.get(namespace) ?? ['default'])].sort()));
    return sorted;
  }

  tokenSecretsOf(namespace: string) {
    return this.tokenSecrets.get(namespace) ?? [];
  }

  allowsNodeEscape(namespace: string, options: PathsOptions): boolean {
    return !options.assumeRestrictedPods && !this.enforced.has(namespace);
  }
}

/** Where a namespaced write is allowed: every namespace (a cluster-wide grant), or the namespaces of its RoleBindings. */
function whereAllowed(grants: Grants, verbs: string[], resource: string, subresource: string): { where: string; grant: Grant }[] {
  const request = (ns: string) => (v: string) => rq(v, '', resource, ns, subresource);
  const everywhere = anyOf(grants, verbs, request(''), true);
  if (everywhere) return [{ where: '', grant: everywhere }];
  // Where no RoleBinding grant names the resource, only the cluster-wide grants apply, and they did not allow it.
  const combined = subresource ? `${resource}/${subresource}` : resource;
  const scoped = [...grants.scopes].filter((ns) => grants.scopedTouch(ns, (r) => r === combined)).sort();
  return scoped.flatMap((ns) => {
    const grant = anyOf(grants, verbs, request(ns), true);
    return grant ? [{ where: ns, grant }] : [];
  });
}

const inNamespace = (ns: string) => (ns ? `in namespace ${ns}` : 'in every namespace');

/** E20–E23 (spec/semantics.md §2.2): steps that give traffic or scheduling control, not cluster-admin by themselves. */
function sideStepsOf(grants: Grants): SideStep[] {
  const out: SideStep[] = [];
  const WRITE = ['update', 'patch'];
  const nodeWrite = anyOf(grants, WRITE, (v) => rq(v, '', 'nodes', ''), true);
  const steal =
    allowingSomeName(grants, rq('create', '', 'pods', PRIVILEGED_NAMESPACE, 'eviction')) ??
    allowingSomeName(grants, rq('delete', '', 'pods', PRIVILEGED_NAMESPACE));
  if (nodeWrite && steal) {
    out.push({
      vector: 'E20',
      action: 'cordons or taints the other nodes and evicts kube-system pods, so that they are rescheduled onto a node it controls ("steal pods")',
      result: 'cluster-admin with node control',
      via: via(nodeWrite, steal),
    });
  } else {
    const nodeStatus = nodeWrite ?? anyOf(grants, WRITE, (v) => rq(v, '', 'nodes', '', 'status'), true);
    if (nodeStatus) {
      out.push({
        vector: 'E21',
        action: 'changes node labels, taints or status that nodeSelector, affinity and tolerations rely on, attracting or repelling workloads',
        result: 'indirect',
        via: via(nodeStatus),
      });
    }
  }
  for (const { where, grant } of whereAllowed(grants, WRITE, 'pods', 'status')) {
    out.push({
      vector: 'E22',
      action: `rewrites pods through pods/status ${inNamespace(where)} so that Service selectors pick them (unverified that a status write persists label changes)`,
      result: where ? `MitM in ${where}` : 'MitM',
      via: via(grant),
    });
  }
  for (const { where, grant } of whereAllowed(grants, WRITE, 'services', 'status')) {
    out.push({
      vector: 'E23',
      action: `sets a Service's load-balancer ingress IP through services/status ${inNamespace(where)} and receives cluster traffic meant for that IP (CVE-2020-8554)`,
      result: where ? `MitM in ${where}` : 'MitM',
      via: via(grant),
    });
  }
  for (const { where, grant } of whereAllowed(grants, ['create', 'update', 'patch'], 'services', '')) {
    out.push({
      vector: 'E23',
      action: `writes Services with spec.externalIPs ${inNamespace(where)} and receives cluster traffic meant for those IPs (CVE-2020-8554), unless admission (DenyServiceExternalIPs or a policy) rejects externalIPs`,
      result: where ? `MitM in ${where}` : 'MitM',
      via: via(grant),
    });
  }
  return out;
}

export class EscalationGraph {
  private readonly nodes = new Map<string, Node>();
  private readonly universe: Universe;
  private readonly bootstrapOnly = new Map<string, boolean>();
  private readonly next = new Map<string, Edge | { terminal: Step }>();
  /** Identities each non-cluster-admin node can act as in one step. */
  private readonly becomes = new Map<string, string[]>();
  /** E20–E23 of each identity without a path to cluster-admin. */
  private readonly side = new Map<string, SideStep[]>();

  constructor(private readonly engine: RbacEngine, inventory: Inventory, private readonly options: PathsOptions = {}) {
    this.universe = new Universe(inventory, engine);
    for (const b of engine.bindings) {
      for (const s of b.subjects) {
        const id = resolveSubject(s, b);
        const key = this.addNode(id);
        const builtIn = 'bootstrap' in b.origin;
        this.bootstrapOnly.set(key, (this.bootstrapOnly.get(key) ?? true) && builtIn);
      }
    }
    for (const ns of this.universe.namespaces) {
      for (const name of this.universe.serviceAccountsOf(ns)) this.addNode({ kind: 'ServiceAccount', namespace: ns, name });
    }
    this.addNode({ kind: 'Group', name: MASTERS_GROUP });
    this.solve();
  }

  private addNode(subject: SubjectId): string {
    const key = subjectKey(subject);
    if (!this.nodes.has(key)) this.nodes.set(key, { subject, identity: identityOf(subject) });
    return key;
  }

  /** Shortest path of a subject to cluster-admin; undefined when there is none. */
  pathOf(subject: SubjectId): Step[] | undefined {
    const steps: Step[] = [];
    let key = subjectKey(subject);
    for (let guard = 0; guard <= this.nodes.size; guard++) {
      const hop = this.next.get(key);
      if (!hop) return undefined;
      if ('terminal' in hop) return [...steps, hop.terminal];
      steps.push(hop.step);
      key = hop.to;
    }
    return undefined;
  }

  /** Every subject with a path, those from the input first, then by path length. */
  paths(): EscalationPath[] {
    const out: EscalationPath[] = [];
    for (const [key, node] of this.nodes) {
      const steps = this.pathOf(node.subject);
      if (steps) out.push({ subject: node.subject, builtIn: this.bootstrapOnly.get(key) ?? false, steps });
    }
    return out.sort(
      (a, b) => Number(a.builtIn) - Number(b.builtIn) || a.steps.length - b.steps.length || subjectKey(a.subject).localeCompare(subjectKey(b.subject)),
    );
  }

  /**
   * Identities without a path to cluster-admin that hold E20–E23 (node, pod-status and
   * Service-status writes, Service externalIPs), those from the input first.
   */
  sideSteps(): SideSteps[] {
    const out: SideSteps[] = [];
    for (const [key, steps] of this.side) {
      if (this.next.has(key)) continue;
      const node = this.nodes.get(key) as Node;
      out.push({ subject: node.subject, builtIn: this.bootstrapOnly.get(key) ?? false, steps });
    }
    return out.sort((a, b) => Number(a.builtIn) - Number(b.builtIn) || subjectKey(a.subject).localeCompare(subjectKey(b.subject)));
  }

  /** Which pods carry which power: each pod-bearing object with its service account's path. */
  workloads(inventory: Inventory): WorkloadPower[] {
    const saAutomount = new Map<string, unknown>();
    for (const sa of inventory.ofKind('ServiceAccount')) saAutomount.set(`${sa.namespace ?? this.engine.defaultNamespace}/${sa.name}`, sa.raw.automountServiceAccountToken);
    return inventory.pods.flatMap((pod) => {
      const namespace = pod.object.namespace ?? this.engine.defaultNamespace;
      const serviceAccount = podServiceAccount(pod).name;
      if (serviceAccount === undefined) return [];
      const podSetting = pod.spec.automountServiceAccountToken;
      const tokenMounted = podSetting === false ? false : podSetting === true ? true : saAutomount.get(`${namespace}/${serviceAccount}`) !== false;
      const subject: SubjectId = { kind: 'ServiceAccount', namespace, name: serviceAccount };
      const path = tokenMounted ? this.pathOf(subject) : undefined;
      return {
        workload: `${pod.object.kind} ${namespace}/${pod.object.name}${pod.part === undefined ? '' : ` (${pod.part})`}`,
        namespace,
        serviceAccount,
        tokenMounted,
        rules: this.engine.grantsFor(identityOf(subject)).length,
        becomes: tokenMounted ? (this.becomes.get(subjectKey(subject)) ?? []) : [],
        ...(path ? { clusterAdmin: path } : {}),
      };
    });
  }

  private solve(): void {
    const reverse = new Map<string, { from: string; edge: Edge }[]>();
    const queue: string[] = [];
    for (const [key, node] of this.nodes) {
      const grants = new Grants(this.engine.grantsFor(node.identity));
      // Powers per namespace, computed at most once per identity and only where asked.
      const memo = new Map<string, Power[]>();
      const powersIn = (ns: string): Power[] => {
        let powers = memo.get(ns);
        if (!powers) memo.set(ns, (powers = this.serviceAccountPower(grants, ns)));
        return powers;
      };
      const terminal = this.terminalStep(node, grants, powersIn);
      if (terminal) {
        this.next.set(key, { terminal });
        queue.push(key);
        continue;
      }
      const side = sideStepsOf(grants);
      if (side.length) this.side.set(key, side);
      const edges = this.edgesOf(grants, powersIn).filter((edge) => edge.to !== key);
      this.becomes.set(key, [...new Set(edges.map((e) => e.step.grants))].sort());
      for (const edge of edges) {
        let list = reverse.get(edge.to);
        if (!list) reverse.set(edge.to, (list = []));
        list.push({ from: key, edge });
      }
    }
    for (let i = 0; i < queue.length; i++) {
      const key = queue[i] as string;
      for (const { from, edge } of reverse.get(key) ?? []) {
        if (this.next.has(from)) continue;
        this.next.set(from, edge);
        queue.push(from);
      }
    }
  }

  /** A single step that makes the identity cluster-admin-equivalent, if it has one. */
  private terminalStep(node: Node, grants: Grants, powersIn: (ns: string) => Power[]): Step | undefined {
    const ca = (vector: string, action: string, g: string): Step => ({ vector, action, grants: CLUSTER_ADMIN, via: g });
    if (node.identity.groups.includes(MASTERS_GROUP)) {
      return ca('masters', 'is in group system:masters', 'the privileged-group authorizer allows every request before RBAC');
    }
    // Cluster-scoped requests (namespace "") below are only ever allowed by ClusterRoleBinding grants.
    const wildcard = grants.all.find((g) => g.scope === '' && isFullWildcard(g.placed.rule));
    if (wildcard) return ca('E25', 'holds * on * in every API group, cluster-wide', via(wildcard));

    const nodesProxy = anyOf(grants, ['get', 'create'], (v) => rq(v, '', 'nodes', '', 'proxy'), true);
    if (nodesProxy) return ca('E15', 'uses nodes/proxy to run commands in any pod through the kubelet API', via(nodesProxy));

    const webhook = anyOf(grants, ['create', 'update', 'patch'], (v) => rq(v, 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations', ''), true);
    if (webhook) return ca('E17', 'writes a MutatingWebhookConfiguration that injects privileged containers into any pod', via(webhook));

    const csr = this.csrVector(grants);
    if (csr) return ca('E16', 'creates and approves a client-certificate CSR for a cluster-admin identity', csr);

    const bindCA = allowing(grants, rq('bind', RBAC_GROUP, 'clusterroles', '', '', CLUSTER_ADMIN));
    const createCRB = anyOf(grants, ['create'], (v) => rq(v, RBAC_GROUP, 'clusterrolebindings', ''));
    if (bindCA && createCRB) return ca('E12', 'binds itself to ClusterRole cluster-admin with a new ClusterRoleBinding', via(bindCA, createCRB));

    const escalate = allowingSomeName(grants, rq('escalate', RBAC_GROUP, 'clusterroles', ''));
    const writeCR = anyOf(grants, ['create', 'update', 'patch'], (v) => rq(v, RBAC_GROUP, 'clusterroles', ''), true);
    const boundCR = createCRB ?? grants.all.find((g) => g.scope === '' && g.binding.roleRef.kind === 'ClusterRole');
    if (escalate && writeCR && boundCR) {
      return ca('E11', 'writes arbitrary rules into a ClusterRole it is (or can get) bound to (escalate)', via(escalate, writeCR, boundCR));
    }

    const impUsers = allowing(grants, rq('impersonate', '', 'users', ''));
    const impMasters = allowing(grants, rq('impersonate', '', 'groups', '', '', MASTERS_GROUP));
    if (impUsers && impMasters) return ca('E14', 'impersonates a user in group system:masters', via(impUsers, impMasters));

    const pv = allowing(grants, rq('create', '', 'persistentvolumes', ''));
    if (pv) {
      const pod = this.namespacesFor(grants).map((ns) => this.podCreation(grants, ns)).find((p) => p !== undefined);
      if (pod) return ca('E18', "creates a hostPath PersistentVolume and a pod that mounts the node's filesystem", `${via(pv)} + ${pod.via}`);
    }

    for (const ns of this.namespacesFor(grants)) {
      const pod = this.podCreation(grants, ns);
      if (pod && ns === PRIVILEGED_NAMESPACE) {
        return ca(pod.vector, `${pod.action} in kube-system, whose service accounts and pods hold cluster-admin power`, pod.via);
      }
      if (pod && this.universe.allowsNodeEscape(ns, this.options)) {
        return ca(
          pod.vector,
          `${pod.action} in namespace ${ns}, for which the input shows no Pod Security enforce label (baseline/restricted): a privileged hostPath pod gives root on a node and every token on it`,
          pod.via,
        );
      }
      const relabel = pod && anyOf(grants, ['patch', 'update'], (v) => rq(v, '', 'namespaces', ns, '', ns));
      if (pod && relabel) {
        return ca('E19', `relabels Namespace ${ns} to Pod Security "privileged", then ${pod.action} with node access`, `${via(relabel)} + ${pod.via}`);
      }
    }
    for (const ns of this.namespacesFor(grants)) {
      for (const power of powersIn(ns)) {
        if (power.nodeAccess) return ca(power.vector, `${power.action}, which is privileged or mounts the host: root on its node and every token there`, power.via);
        if (power.wholeNamespace && ns === PRIVILEGED_NAMESPACE) {
          return ca(power.vector, `${power.action} in kube-system, whose service accounts hold cluster-admin power`, power.via);
        }
      }
    }
    // EKS only, so tried last: a path through it is real only on EKS clusters.
    const awsAuth = anyOf(grants, ['update', 'patch'], (v) =>
      rq(v, '', 'configmaps', PRIVILEGED_NAMESPACE, '', 'aws-auth'),
    );
    if (awsAuth) return ca('E24', 'edits ConfigMap kube-system/aws-auth to map itself to system:masters (EKS)', via(awsAuth));
    return undefined;
  }

  private csrVector(grants: Grants): string | undefined {
    const group = 'certificates.k8s.io';
    const create = allowing(grants, rq('create', group, 'certificatesigningrequests', ''));
    const approval = anyOf(grants, ['update', 'patch'], (v) => rq(v, group, 'certificatesigningrequests', '', 'approval'), true);
    const signer =
      allowing(grants, rq('approve', group, 'signers', '', '', 'kubernetes.io/kube-apiserver-client')) ??
      allowing(grants, rq('approve', group, 'signers', '', '', 'kubernetes.io/*'));
    const read = anyOf(grants, ['get', 'list', 'watch'], (v) => rq(v, group, 'certificatesigningrequests', ''), true);
    return create && approval && signer && read ? via(create, approval, signer, read) : undefined;
  }

  /**
   * Namespaces where the identity may hold a namespace-level vector: those of its RoleBindings,
   * and every namespace (kube-system first) when a cluster-wide rule touches a vector's resource.
   * Cluster-wide rules that cannot (discovery, self-reviews) do not make every namespace a candidate.
   */
  private namespacesFor(grants: Grants): string[] {
    if (grants.all.some((g) => g.scope === '' && touchesNamespaceVector(g.placed.rule))) {
      return [PRIVILEGED_NAMESPACE, ...this.universe.namespaces.filter((n) => n !== PRIVILEGED_NAMESPACE)];
    }
    return [...grants.scopes].sort();
  }

  /** E1/E2, and full control of a namespace through bind/escalate on Roles (E11/E12): running a pod of its choosing in ns. */
  private podCreation(grants: Grants, ns: string): PodCreation | undefined {
    // The requests below name no object after the namespace, so only which grants apply in ns
    // matters; a namespace whose RoleBindings grant nothing about these resources is answered as
    // every other one.
    if (grants.scopedTouch(ns, (r) => POD_CREATION_RESOURCES.has(r))) return this.podCreationIn(grants, ns);
    grants.podCreationElsewhere ??= { answer: this.podCreationIn(grants, ns) };
    return grants.podCreationElsewhere.answer;
  }

  private podCreationIn(grants: Grants, ns: string): PodCreation | undefined {
    const pods = allowing(grants, rq('create', '', 'pods', ns));
    if (pods) return { vector: 'E1', action: 'creates a pod', via: via(pods) };
    for (const [group, resource] of WORKLOAD_RESOURCES) {
      const g = anyOf(grants, ['create', 'update', 'patch'], (v) => rq(v, group, resource, ns), true);
      if (g) return { vector: 'E2', action: `creates or changes ${resource}${group ? '.' + group : ''} (whose pods it defines)`, via: via(g) };
    }
    const createRB = allowing(grants, rq('create', RBAC_GROUP, 'rolebindings', ns));
    if (!createRB) return undefined;
    const bindAdmin =
      allowing(grants, rq('bind', RBAC_GROUP, 'clusterroles', ns, '', CLUSTER_ADMIN)) ?? allowing(grants, rq('bind', RBAC_GROUP, 'clusterroles', ns, '', 'admin'));
    if (bindAdmin) return { vector: 'E12', action: 'binds itself to admin of the namespace, then creates a pod', via: via(bindAdmin, createRB) };
    const escalate = allowingSomeName(grants, rq('escalate', RBAC_GROUP, 'roles', ns));
    const createRole = allowing(grants, rq('create', RBAC_GROUP, 'roles', ns));
    if (escalate && createRole) {
      return { vector: 'E11', action: 'writes and binds itself a Role with every permission of the namespace (escalate), then creates a pod', via: via(escalate, createRole, createRB) };
    }
    return undefined;
  }

  /** Vectors that yield the service accounts of a namespace (or of its pods), each with the names it reaches. */
  private serviceAccountPower(grants: Grants, ns: string): Power[] {
    const out: Power[] = [];
    const all = this.universe.serviceAccountsOf(ns);
    const whole = (vector: string, action: string, how: string): Power => ({ vector, action, via: how, accounts: all, wholeNamespace: true });
    const pod = this.podCreation(grants, ns);
    if (pod) out.push(whole(pod.vector, `${pod.action} running as the service account`, pod.via));

    const listSecrets = anyOf(grants, ['list', 'watch', 'get'], (v) => rq(v, '', 'secrets', ns));
    if (listSecrets) out.push(whole('E8', 'reads Secrets, service-account token Secrets among them,', via(listSecrets)));
    // Each token Secret by name only where some rule reads Secrets here on at least one name: the
    // lookups per name, per identity and namespace, were most of the graph in large clusters.
    else if (anyOf(grants, ['get', 'list', 'watch'], (v) => rq(v, '', 'secrets', ns), true)) {
      for (const s of this.universe.tokenSecretsOf(ns)) {
        // list/watch with fieldSelector=metadata.name read a named Secret as get does (§1.5).
        const g = anyOf(grants, ['get', 'list', 'watch'], (v) => rq(v, '', 'secrets', ns, '', s.name));
        if (g) out.push({ vector: 'E8', action: `reads token Secret ${ns}/${s.name}`, via: via(g), accounts: [s.serviceAccount], wholeNamespace: false });
      }
    }
    // E9 (create a token Secret, then read or mount it) always comes with E8 or E1, which already reach every account.
    for (const [vector, verb, subresource, action] of [
      ['E10', 'create', 'token', 'requests a token (TokenRequest)'],
      ['E14', 'impersonate', '', 'impersonates'],
    ] as const) {
      // Nothing on any service account here: no name can be allowed either.
      if (!allowingSomeName(grants, rq(verb, '', 'serviceaccounts', ns, subresource))) continue;
      // A rule without resourceNames reaches every service account, present and future.
      const unrestricted = allowing(grants, rq(verb, '', 'serviceaccounts', ns, subresource, '\u0000'));
      if (unrestricted) {
        out.push(whole(vector, `${action} any service account`, via(unrestricted)));
        continue;
      }
      for (const name of all) {
        const g = allowing(grants, rq(verb, '', 'serviceaccounts', ns, subresource, name));
        if (g) out.push({ vector, action, via: via(g), accounts: [name], wholeNamespace: false });
      }
    }
    // Only look at each running pod when some rule allows a takeover of at least one pod here.
    const takeoverIn = () => POD_TAKEOVER.some((t) => anyOf(grants, t.verbs, (v) => rq(v, '', 'pods', ns, t.subresource), true));
    // As podCreation: the same answer in every namespace whose RoleBindings grant nothing on pods.
    const canTakeOver = grants.scopedTouch(ns, (r) => r === 'pods' || r.startsWith('pods/')) ? takeoverIn() : (grants.takeoverElsewhere ??= takeoverIn());
    for (const target of canTakeOver ? (this.universe.podsByNamespace.get(ns) ?? []) : []) {
      const object = target.pod.object;
      const name = object.kind === 'Pod' ? object.name : '\u0000';
      const takeover = POD_TAKEOVER.map((t) => ({ t, g: anyOf(grants, t.verbs, (v) => rq(v, '', 'pods', ns, t.subresource, name)) })).find((x) => x.g);
      if (takeover) {
        out.push({
          vector: takeover.t.vector,
          action: `${takeover.t.action} pod of ${object.kind} ${ns}/${object.name}${target.pod.part === undefined ? '' : ` (${target.pod.part})`}`,
          via: via(takeover.g as Grant),
          accounts: [target.serviceAccount],
          wholeNamespace: false,
          nodeAccess: target.nodeAccess,
        });
      }
    }
    return out;
  }

  private edgesOf(grants: Grants, powersIn: (ns: string) => Power[]): Edge[] {
    const edges: Edge[] = [];
    for (const ns of this.namespacesFor(grants)) {
      for (const power of powersIn(ns)) {
        for (const name of power.accounts) {
          const to: SubjectId = { kind: 'ServiceAccount', namespace: ns, name };
          edges.push({ to: subjectKey(to), step: { vector: power.vector, action: `${power.action} in namespace ${ns}`, grants: describeSubject(to), via: power.via } });
        }
      }
    }
    // Groups can only be impersonated together with some user (impersonation.go).
    const someUser = allowingSomeName(grants, rq('impersonate', '', 'users', ''));
    for (const g of grants.all.filter((x) => x.scope === '')) {
      const rule = g.placed.rule;
      if (!rule.verbs.some((v) => v === 'impersonate' || v === '*')) continue;
      for (const key of this.nodes.keys()) {
        const node = this.nodes.get(key) as Node;
        const s = node.subject;
        if (s.kind === 'ServiceAccount') continue;
        const res = s.kind === 'User' ? 'users' : 'groups';
        if (res === 'groups' && !someUser) continue;
        if (ruleAllows(rule, rq('impersonate', '', res, '', '', s.name))) {
          edges.push({ to: key, step: { vector: 'E14', action: `impersonates ${describeSubject(s)}`, grants: describeSubject(s), via: describeGrant(g) } });
        }
      }
    }
    return edges;
  }
}
