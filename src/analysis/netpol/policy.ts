// Reads a NetworkPolicy object as the API server stores it: validated (validation.go) and
// defaulted (defaults.go). A policy the API server would reject is not evaluated — it could
// not exist in a cluster — and its problems are reported with the path of the field at fault.

import { isMapping, type InventoryObject, type PathSegment } from '../../inventory/model.js';
import { cidrContainsCidr, parseCidr, type Cidr } from './cidr.js';
import { MAX_PORT, MIN_PORT, PROTOCOLS, type Protocol } from './ports.js';
import { kindOf, parseLabelSelector, type FieldProblem, type LabelSelector } from './selector.js';

export type Direction = 'ingress' | 'egress';

/** A pod peer: pods matching `pods` in the namespaces matching `namespaces` (undefined: the policy's own namespace). */
export interface PodPeer {
  kind: 'pods';
  pods: LabelSelector;
  namespaces?: LabelSelector;
  path: PathSegment[];
}

export interface IpBlockPeer {
  kind: 'ipBlock';
  cidr: Cidr;
  except: Cidr[];
  path: PathSegment[];
}

export type Peer = PodPeer | IpBlockPeer;

export interface PolicyPort {
  protocol: Protocol;
  /** A number, a named port (resolved against the destination pod), or undefined for every port. */
  port?: number | string;
  endPort?: number;
  path: PathSegment[];
}

export interface Rule {
  direction: Direction;
  index: number;
  /** undefined: `from`/`to` absent or empty — every peer, including addresses outside the cluster. */
  peers?: Peer[];
  /** undefined: `ports` absent or empty — every port and protocol. */
  ports?: PolicyPort[];
  path: PathSegment[];
}

export interface NetworkPolicy {
  object: InventoryObject;
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  /** policyTypes after defaulting. */
  types: ReadonlySet<Direction>;
  /** Rules of the directions in `types` only: rules of other directions are ignored. */
  rules: Record<Direction, Rule[]>;
  /** Whether `policyTypes` was written (false: defaulted). */
  explicitTypes: boolean;
}

export type PolicyReading = { policy: NetworkPolicy } | { problems: FieldProblem[] };

const RULE_PEERS: Record<Direction, 'from' | 'to'> = { ingress: 'from', egress: 'to' };
const TYPE_NAMES: Record<string, Direction> = { Ingress: 'ingress', Egress: 'egress' };

export function readNetworkPolicy(object: InventoryObject, defaultNamespace: string): PolicyReading {
  const problems: FieldProblem[] = [];
  const spec = object.raw.spec;
  if (!isMapping(spec)) return { problems: [{ path: ['spec'], message: `spec must be a mapping, got ${kindOf(spec)}` }] };

  const podSelector = selectorAt(spec.podSelector, ['spec', 'podSelector'], problems);
  const rules = { ingress: readRules(spec, 'ingress', problems), egress: readRules(spec, 'egress', problems) };
  const types = readTypes(spec, problems);

  if (problems.length || !podSelector || !types) return { problems };
  return {
    policy: {
      object,
      namespace: object.namespace ?? defaultNamespace,
      name: object.name,
      podSelector,
      types: types.types,
      explicitTypes: types.explicit,
      rules: {
        ingress: types.types.has('ingress') ? (rules.ingress as Rule[]) : [],
        egress: types.types.has('egress') ? (rules.egress as Rule[]) : [],
      },
    },
  };
}

/** policyTypes as stored: absent or empty → Ingress, plus Egress when `egress` has a rule. */
function readTypes(spec: Record<string, unknown>, problems: FieldProblem[]): { types: Set<Direction>; explicit: boolean } | undefined {
  const value = spec.policyTypes;
  const path = ['spec', 'policyTypes'];
  if (value !== undefined && value !== null && !Array.isArray(value)) {
    problems.push({ path, message: `policyTypes must be a list, got ${kindOf(value)}` });
    return undefined;
  }
  const list = (value ?? []) as unknown[];
  if (list.length === 0) {
    const types = new Set<Direction>(['ingress']);
    if (Array.isArray(spec.egress) && spec.egress.length > 0) types.add('egress');
    return { types, explicit: false };
  }
  if (list.length > 2) problems.push({ path, message: `policyTypes may list at most 2 types, got ${list.length}` });
  const types = new Set<Direction>();
  list.forEach((t, i) => {
    const d = typeof t === 'string' ? TYPE_NAMES[t] : undefined;
    if (d) types.add(d);
    else problems.push({ path: [...path, i], message: `policy type ${JSON.stringify(t)} is not valid; use Ingress or Egress` });
  });
  return { types, explicit: true };
}

function readRules(spec: Record<string, unknown>, direction: Direction, problems: FieldProblem[]): Rule[] | undefined {
  const value = spec[direction];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: ['spec', direction], message: `${direction} must be a list of rules, got ${kindOf(value)}` });
    return undefined;
  }
  const peerField = RULE_PEERS[direction];
  return value.map((raw, index): Rule => {
    const path: PathSegment[] = ['spec', direction, index];
    if (!isMapping(raw)) {
      if (raw !== null) problems.push({ path, message: `a rule must be a mapping, got ${kindOf(raw)}` });
      return { direction, index, path };
    }
    return {
      direction,
      index,
      path,
      peers: readList(raw[peerField], [...path, peerField], problems, readPeer),
      ports: readList(raw.ports, [...path, 'ports'], problems, readPort),
    };
  });
}

/** Absent, null and [] all read as undefined: "no restriction". */
function readList<T>(value: unknown, path: PathSegment[], problems: FieldProblem[], read: (v: unknown, p: PathSegment[], problems: FieldProblem[]) => T | undefined): T[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    problems.push({ path, message: `${String(path[path.length - 1])} must be a list, got ${kindOf(value)}` });
    return undefined;
  }
  if (value.length === 0) return undefined;
  const out: T[] = [];
  value.forEach((v, i) => {
    const item = read(v, [...path, i], problems);
    if (item) out.push(item);
  });
  return out;
}

function readPeer(value: unknown, path: PathSegment[], problems: FieldProblem[]): Peer | undefined {
  if (!isMapping(value)) {
    problems.push({ path, message: `a peer must be a mapping, got ${kindOf(value)}` });
    return undefined;
  }
  const has = (k: string) => value[k] !== undefined && value[k] !== null;
  const count = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(has).length;
  if (count === 0) {
    problems.push({ path, message: 'a peer must set podSelector, namespaceSelector or ipBlock (an empty peer is rejected by the API server); to allow every source, leave out `from`/`to`' });
    return undefined;
  }
  if (has('ipBlock') && count > 1) {
    problems.push({ path, message: 'ipBlock cannot be combined with podSelector or namespaceSelector in the same peer; make them separate peers' });
    return undefined;
  }
  if (has('ipBlock')) return readIpBlock(value.ipBlock, [...path, 'ipBlock'], problems);
  const pods = selectorAt(value.podSelector, [...path, 'podSelector'], problems);
  const namespaces = has('namespaceSelector') ? selectorAt(value.namespaceSelector, [...path, 'namespaceSelector'], problems) : undefined;
  if (!pods || (has('namespaceSelector') && !namespaces)) return undefined;
  return { kind: 'pods', pods, namespaces, path };
}

function readIpBlock(value: unknown, path: PathSegment[], problems: FieldProblem[]): IpBlockPeer | undefined {
  if (!isMapping(value)) {
    problems.push({ path, message: `ipBlock must be a mapping, got ${kindOf(value)}` });
    return undefined;
  }
  if (typeof value.cidr !== 'string' || value.cidr === '') {
    problems.push({ path: [...path, 'cidr'], message: 'ipBlock needs a `cidr` string such as 203.0.113.0/24' });
    return undefined;
  }
  const cidr = parseCidr(value.cidr);
  if ('error' in cidr) {
    problems.push({ path: [...path, 'cidr'], message: cidr.error });
    return undefined;
  }
  const except: Cidr[] = [];
  const rawExcept = value.except ?? [];
  if (!Array.isArray(rawExcept)) {
    problems.push({ path: [...path, 'except'], message: `except must be a list of CIDRs, got ${kindOf(rawExcept)}` });
    return undefined;
  }
  let ok = true;
  rawExcept.forEach((e, i) => {
    const at = [...path, 'except', i];
    const parsed = typeof e === 'string' ? parseCidr(e) : { error: `an except entry must be a CIDR string, got ${kindOf(e)}` };
    if ('error' in parsed) {
      problems.push({ path: at, message: parsed.error });
      ok = false;
    } else if (!(cidrContainsCidr(cidr, parsed) && parsed.prefix > cidr.prefix)) {
      problems.push({ path: at, message: `except ${parsed.text} must be a strict subset of cidr ${cidr.text}` });
      ok = false;
    } else except.push(parsed);
  });
  return ok ? { kind: 'ipBlock', cidr, except, path } : undefined;
}

function readPort(value: unknown, path: PathSegment[], problems: FieldProblem[]): PolicyPort | undefined {
  if (!isMapping(value)) {
    problems.push({ path, message: `a port entry must be a mapping, got ${kindOf(value)}` });
    return undefined;
  }
  const before = problems.length;
  const protocol = value.protocol ?? 'TCP';
  if (typeof protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    problems.push({ path: [...path, 'protocol'], message: `protocol ${JSON.stringify(protocol)} is not supported; use TCP, UDP or SCTP` });
  }
  const port = value.port ?? undefined;
  if (port !== undefined) {
    if (typeof port === 'number') {
      if (!isPortNumber(port)) problems.push({ path: [...path, 'port'], message: `port ${port} is not a port number (${MIN_PORT}-${MAX_PORT})` });
    } else if (typeof port !== 'string' || !isPortName(port)) {
      problems.push({
        path: [...path, 'port'],
        message: `port ${JSON.stringify(port)} is neither a number nor a valid port name (at most 15 lowercase letters, digits and '-', with a letter)`,
      });
    }
  }
  const endPort = value.endPort ?? undefined;
  if (endPort !== undefined) {
    if (typeof endPort !== 'number' || !isPortNumber(endPort)) {
      problems.push({ path: [...path, 'endPort'], message: `endPort ${JSON.stringify(endPort)} is not a port number (${MIN_PORT}-${MAX_PORT})` });
    } else if (port === undefined) {
      problems.push({ path: [...path, 'endPort'], message: 'endPort needs a numeric `port` to start the range' });
    } else if (typeof port !== 'number') {
      problems.push({ path: [...path, 'endPort'], message: 'endPort cannot be used with a named port' });
    } else if (endPort < port) {
      problems.push({ path: [...path, 'endPort'], message: `endPort ${endPort} must be at least port ${port}` });
    }
  }
  if (problems.length > before) return undefined;
  return { protocol: protocol as Protocol, port: port as number | string | undefined, endPort: endPort as number | undefined, path };
}

function isPortNumber(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_PORT && n <= MAX_PORT;
}

/** IANA_SVC_NAME as the API server validates it (IsValidPortName). */
function isPortName(s: string): boolean {
  return s.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');
}

function selectorAt(value: unknown, path: PathSegment[], problems: FieldProblem[]): LabelSelector | undefined {
  const parsed = parseLabelSelector(value, path);
  if ('problems' in parsed) {
    problems.push(...parsed.problems);
    return undefined;
  }
  return parsed.selector;
}
