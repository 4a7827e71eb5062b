// What the NetworkPolicy engine reasons about, read once from an inventory: workloads (every pod
// spec, with its pod template labels and container ports), namespaces with their labels, and the
// valid NetworkPolicies. Built lazily and cached per inventory, so every check shares one model.

import type { Inventory } from '../../inventory/inventory.js';
import { isMapping, type InventoryObject, type PodTarget } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import { parseCidr, parseIp, type Cidr, type IpAddress } from './cidr.js';
import { readNetworkPolicy, type Direction, type NetworkPolicy } from './policy.js';
import { PROTOCOLS, type Protocol } from './ports.js';
import type { FieldProblem, LabelSelector, Labels, Tri } from './selector.js';

/** Objects without metadata.namespace land where `kubectl apply` puts them without -n. */
export const DEFAULT_NAMESPACE = 'default';
/** The immutable label the API server sets on every namespace (Kubernetes 1.21+). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/**
 * Pod addresses assumed when a pod's IP is not known (manifests): the private and shared ranges
 * pod networks use. An ipBlock covering them all matches every pod; one outside them matches none;
 * anything else "may" match. Override with the pod CIDR of the cluster when known.
 */
export const DEFAULT_POD_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

/** Kinds of network policy beside Kubernetes' own; a NetworkPolicy of another API group counts too (Calico's). */
const OTHER_POLICY_KINDS = [
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
  'AntreaClusterNetworkPolicy',
];

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

/** What the evaluator needs to know of a pod: a workload of the input, or a probe standing for "some pod". */
export interface PodInfo {
  /**
   * `namespace/name`, or `namespace/Kind/name` when two kinds share a name in a namespace; with
   * `#part` for one of several pod templates of an object (`ml/ray#workerGroupSpecs[0]`).
   */
  id: string;
  namespace: string;
  /** The pod (template) labels. */
  labels: Labels;
  /** Ports the regular containers declare; named ports of policies resolve against these. */
  ports: ContainerPort[];
  /** Pod IPs when the input knows them (a Pod's status). */
  ips: IpAddress[];
  hostNetwork: boolean;
}

export interface Workload extends PodInfo {
  /** Position in `model.workloads`. */
  index: number;
  pod: PodTarget;
  object: InventoryObject;
  name: string;
  kind: string;
  /** Which of the object's pod templates (PodTarget.part); undefined for objects with one. */
  part?: string;
}

export interface Namespace {
  name: string;
  labels: Labels;
  /** The Namespace object, when the input has one. */
  object?: InventoryObject;
}

export interface InvalidPolicy {
  object: InventoryObject;
  problems: FieldProblem[];
}

export interface ModelOptions {
  podCidrs?: string[];
}

export class NetpolModel {
  readonly workloads: Workload[] = [];
  readonly namespaces = new Map<string, Namespace>();
  readonly policies: NetworkPolicy[] = [];
  readonly invalidPolicies: InvalidPolicy[] = [];
  /** Policies of other APIs (Calico, Cilium, AdminNetworkPolicy) that can also allow or deny traffic; not evaluated. */
  readonly otherPolicies: InventoryObject[] = [];
  readonly podCidrs: Cidr[];
  private readonly policiesByNamespace = new Map<string, NetworkPolicy[]>();
  private readonly selecting = new WeakMap<PodInfo, Record<Direction, NetworkPolicy[]>>();

  constructor(inventory: Inventory, options: ModelOptions = {}) {
    this.podCidrs = (options.podCidrs ?? DEFAULT_POD_CIDRS).map((text) => {
      const c = parseCidr(text);
      if ('error' in c) throw new Error(`pod CIDR ${c.error}`);
      return c;
    });
    this.readNamespaces(inventory);
    for (const pod of inventory.pods) this.workloads.push(readWorkload(pod, this.workloads.length));
    assignIds(this.workloads);
    this.readPolicies(inventory);
    // Namespaces the input only mentions exist too, with their name label.
    for (const ns of [...this.workloads.map((w) => w.namespace), ...this.policies.map((p) => p.namespace)]) this.namespace(ns);
  }

  private readNamespaces(inventory: Inventory): void {
    for (const obj of inventory.ofKind('Namespace')) {
      if (obj.group !== '') continue;
      this.namespaces.set(obj.name, { name: obj.name, labels: { ...obj.labels, [NAMESPACE_NAME_LABEL]: obj.name }, object: obj });
    }
  }

  private readPolicies(inventory: Inventory): void {
    for (const kind of OTHER_POLICY_KINDS) this.otherPolicies.push(...inventory.ofKind(kind));
    for (const obj of inventory.ofKind('NetworkPolicy')) {
      if (obj.group === 'extensions') {
        this.invalidPolicies.push({ object: obj, problems: [{ path: ['apiVersion'], message: `${obj.apiVersion} NetworkPolicy is no longer served (removed in Kubernetes 1.16); use networking.k8s.io/v1` }] });
      } else if (obj.group !== 'networking.k8s.io') {
        this.otherPolicies.push(obj);
      } else {
        const reading = readNetworkPolicy(obj, DEFAULT_NAMESPACE);
        if ('problems' in reading) this.invalidPolicies.push({ object: obj, problems: reading.problems });
        else this.addPolicy(reading.policy);
      }
    }
  }

  private addPolicy(policy: NetworkPolicy): void {
    this.policies.push(policy);
    const list = this.policiesByNamespace.get(policy.namespace) ?? [];
    list.push(policy);
    this.policiesByNamespace.set(policy.namespace, list);
  }

  /** A namespace by name; one the input does not declare carries only its automatic name label. */
  namespace(name: string): Namespace {
    let ns = this.namespaces.get(name);
    if (!ns) this.namespaces.set(name, (ns = { name, labels: { [NAMESPACE_NAME_LABEL]: name } }));
    return ns;
  }

  /**
   * Whether a namespaceSelector matches a namespace. Of a namespace the input does not declare,
   * only the automatic name label is known, so other keys make the answer 'maybe'.
   */
  namespaceMatches(selector: LabelSelector, name: string): Tri {
    const ns = this.namespaces.get(name);
    if (ns?.object) return selector.matches(ns.labels) ? 'yes' : 'no';
    return selector.matchesPartly({ [NAMESPACE_NAME_LABEL]: name }, (key) => key === NAMESPACE_NAME_LABEL);
  }

  policiesIn(namespace: string): readonly NetworkPolicy[] {
    return this.policiesByNamespace.get(namespace) ?? [];
  }

  /** The policies that select a pod and isolate it for a direction. */
  policiesSelecting(pod: PodInfo, direction: Direction): readonly NetworkPolicy[] {
    let entry = this.selecting.get(pod);
    if (!entry) {
      const selecting = this.policiesIn(pod.namespace).filter((p) => p.podSelector.matches(pod.labels));
      entry = { ingress: selecting.filter((p) => p.types.has('ingress')), egress: selecting.filter((p) => p.types.has('egress')) };
      this.selecting.set(pod, entry);
    }
    return entry[direction];
  }

  /** Workloads a policy's spec.podSelector selects. */
  selectedBy(policy: NetworkPolicy): Workload[] {
    return this.workloads.filter((w) => w.namespace === policy.namespace && policy.podSelector.matches(w.labels));
  }

  /**
   * Finds workloads by `namespace/name` or `namespace/Kind/name`, either with `#part` to name one
   * pod template of an object that has several; without it, all of the object's templates.
   */
  findWorkloads(ref: string): Workload[] {
    const hash = ref.indexOf('#');
    const part = hash === -1 ? undefined : ref.slice(hash + 1);
    const parts = (hash === -1 ? ref : ref.slice(0, hash)).split('/');
    const samePart = (w: Workload) => part === undefined || w.part === part;
    if (parts.length === 2) return this.workloads.filter((w) => w.namespace === parts[0] && w.name === parts[1] && samePart(w));
    if (parts.length === 3) {
      return this.workloads.filter((w) => w.namespace === parts[0] && w.kind.toLowerCase() === parts[1]!.toLowerCase() && w.name === parts[2] && samePart(w));
    }
    return [];
  }

  /** The workload whose known pod IP this is. */
  workloadWithIp(ip: IpAddress): Workload | undefined {
    return this.workloads.find((w) => w.ips.some((a) => a.family === ip.family && a.value === ip.value));
  }
}

const models = new WeakMap<Inventory, NetpolModel>();

/** The model of an inventory with default options, built once and shared by every check. */
export function netpolModel(inventory: Inventory): NetpolModel {
  let model = models.get(inventory);
  if (!model) models.set(inventory, (model = new NetpolModel(inventory)));
  return model;
}

function readWorkload(pod: PodTarget, index: number): Workload {
  const labels = isMapping(pod.meta.labels) ? stringLabels(pod.meta.labels) : {};
  const ports: ContainerPort[] = [];
  for (const c of containersOf(pod)) {
    if (c.list !== 'containers' || !Array.isArray(c.container.ports)) continue;
    for (const p of c.container.ports) {
      if (!isMapping(p) || typeof p.containerPort !== 'number') continue;
      const protocol = (p.protocol ?? 'TCP') as Protocol;
      if (!PROTOCOLS.includes(protocol)) continue;
      ports.push({ port: p.containerPort, protocol, ...(typeof p.name === 'string' ? { name: p.name } : {}) });
    }
  }
  return {
    index,
    id: '',
    pod,
    object: pod.object,
    namespace: pod.object.namespace ?? DEFAULT_NAMESPACE,
    name: pod.object.name,
    kind: pod.object.kind,
    ...(pod.part !== undefined ? { part: pod.part } : {}),
    labels,
    ports,
    ips: podIps(pod.object),
    hostNetwork: pod.spec.hostNetwork === true,
  };
}

function podIps(obj: InventoryObject): IpAddress[] {
  if (obj.kind !== 'Pod' || !isMapping(obj.raw.status)) return [];
  const status = obj.raw.status;
  const texts = new Set<string>();
  if (typeof status.podIP === 'string') texts.add(status.podIP);
  if (Array.isArray(status.podIPs)) for (const p of status.podIPs) if (isMapping(p) && typeof p.ip === 'string') texts.add(p.ip);
  return [...texts].map(parseIp).filter((ip): ip is IpAddress => ip !== undefined);
}

function stringLabels(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined && !isMapping(v) && !Array.isArray(v)) out[k] = String(v);
  return out;
}

function assignIds(workloads: Workload[]): void {
  // Objects (not templates) per namespace/name: the templates of one object share its name.
  const objects = new Map<string, Set<InventoryObject>>();
  for (const w of workloads) {
    const key = `${w.namespace}/${w.name}`;
    objects.set(key, (objects.get(key) ?? new Set()).add(w.object));
  }
  for (const w of workloads) w.id = workloadRef(w, objects.get(`${w.namespace}/${w.name}`)!.size > 1);
}

/** How a workload is named in messages and on the command line; `withKind` to tell two kinds of one name apart. */
export function workloadRef(w: Pick<Workload, 'namespace' | 'kind' | 'name' | 'part'>, withKind: boolean): string {
  const base = withKind ? `${w.namespace}/${w.kind}/${w.name}` : `${w.namespace}/${w.name}`;
  return w.part === undefined ? base : `${base}#${w.part}`;
}
