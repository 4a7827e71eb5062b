// Flows the cluster already declares are evidence too. When a policy in another namespace admits
// pods of the namespace being generated (an ingress rule whose peer selects them by namespace and
// pod labels), those pods need the matching egress, or the default-deny written here cuts a flow
// the other team opened on purpose — and symmetrically for another namespace's egress rules that
// target pods here. Each such rule is mirrored exactly: the same pod selectors on both ends, the
// same ports (a named port resolves against the destination pod on both sides, so it mirrors too).
//
// Not mirrored, on purpose: rules open to every source (`from`/`to` absent, or
// `namespaceSelector: {}`) say "anyone may", not "these pods do"; ipBlock peers name addresses,
// not workloads; a namespaceSelector that may or may not match (labels of a namespace the input
// does not declare) is not certain evidence. Flows those allowed and the generated policies cut
// are listed by the before/after comparison (src/analysis/netpol/changes.ts) as cut.

import { NAMESPACE_NAME_LABEL, type NetpolModel } from '../analysis/netpol/model.js';
import type { Direction, NetworkPolicy, PodPeer, Rule } from '../analysis/netpol/policy.js';
import { formatPath, isMapping, type PathSegment } from '../inventory/model.js';
import type { GeneratedPolicy } from './generate-netpol.js';

export const DECLARED_ANNOTATION = 'kubeharden.io/kept-declared-flow';

export interface DeclaredFlow {
  /** The policy elsewhere that declares the flow, `namespace/name`, and its rule path. */
  declaredBy: string;
  rule: string;
  /** Workloads of the generated namespace it admits, and the workloads it protects. */
  here: string[];
  there: string[];
}

/** Policies for `namespace` that keep every flow other namespaces' policies explicitly allow to or from its pods. */
export function declaredFlowPolicies(model: NetpolModel, namespace: string, options: { egressIsolated: boolean }, makePolicy: (name: string, spec: Record<string, unknown>, annotations: Record<string, string>) => Record<string, unknown>): { policies: GeneratedPolicy[]; flows: DeclaredFlow[] } {
  const policies: GeneratedPolicy[] = [];
  const flows: DeclaredFlow[] = [];
  const names = new Set<string>();
  for (const policy of model.policies) {
    if (policy.namespace === namespace) continue; // this namespace's own allows stay in force: policies add up
    // A rule elsewhere's ingress needs egress here; where egress is left open (kube-system) an egress policy would isolate it instead.
    for (const direction of options.egressIsolated ? (['ingress', 'egress'] as const) : (['egress'] as const)) {
      for (const rule of policy.rules[direction]) {
        rule.peers?.forEach((peer, j) => {
          if (!declares(model, peer, namespace)) return;
          const here = model.workloads.filter((w) => w.namespace === namespace && !w.hostNetwork && (peer as PodPeer).pods.matches(w.labels));
          const there = model.selectedBy(policy).filter((w) => !w.hostNetwork);
          if (here.length === 0 || there.length === 0) return;
          const mirrored = mirror(policy, rule, peer as PodPeer, direction);
          const base = `keep-${direction === 'ingress' ? 'egress-to' : 'ingress-from'}-${policy.namespace}-${policy.name}`;
          let name = base.slice(0, 240);
          for (let n = 2; names.has(name); n++) name = `${base.slice(0, 236)}-${n}`;
          names.add(name);
          const rulePath = formatPath(rule.path);
          const peerRef = `${policy.namespace}/${policy.name} ${rulePath}`;
          policies.push({
            policy: makePolicy(name, mirrored, { [DECLARED_ANNOTATION]: `${peerRef}.${direction === 'ingress' ? 'from' : 'to'}[${j}]` }),
            proposal: false,
            reason:
              `Kept: ${peerRef} ${direction === 'ingress' ? 'admits' : 'sends to'} ${here.map((w) => w.id).join(', ')} ` +
              `${direction === 'ingress' ? 'towards' : 'from'} ${there.map((w) => w.id).join(', ')}${portsText(policy, rule)}.\n ` +
              `Without this ${direction === 'ingress' ? 'egress' : 'ingress'} rule the default-deny here would cut that declared flow.`,
          });
          flows.push({ declaredBy: `${policy.namespace}/${policy.name}`, rule: rulePath, here: here.map((w) => w.id), there: there.map((w) => w.id) });
        });
      }
    }
  }
  return { policies, flows };
}

/** A peer that names pods of `namespace` on purpose: pod labels in namespaces chosen by label, and surely matching this one. */
function declares(model: NetpolModel, peer: NonNullable<Rule['peers']>[number], namespace: string): boolean {
  if (peer.kind !== 'pods' || !peer.namespaces || peer.namespaces.matchesAll) return false;
  return model.namespaceMatches(peer.namespaces, namespace) === 'yes';
}

/** The rule seen from the other end, with the selectors and ports exactly as written there. */
function mirror(policy: NetworkPolicy, rule: Rule, peer: PodPeer, direction: Direction): Record<string, unknown> {
  const raw = policy.object.raw;
  const rawPeer = valueAt(raw, peer.path);
  const rawRule = valueAt(raw, rule.path);
  const rawSpec = isMapping(raw.spec) ? raw.spec : {};
  const podSelector = isMapping(rawPeer) && isMapping(rawPeer.podSelector) ? rawPeer.podSelector : {};
  const otherEnd = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: policy.namespace } }, podSelector: isMapping(rawSpec.podSelector) ? rawSpec.podSelector : {} };
  const ports = isMapping(rawRule) && Array.isArray(rawRule.ports) && rawRule.ports.length ? rawRule.ports : undefined;
  const mirrored = direction === 'ingress' ? 'egress' : 'ingress';
  return {
    podSelector: structuredClone(podSelector),
    policyTypes: [mirrored === 'egress' ? 'Egress' : 'Ingress'],
    [mirrored]: [{ [mirrored === 'egress' ? 'to' : 'from']: [structuredClone(otherEnd)], ...(ports ? { ports: structuredClone(ports) } : {}) }],
  };
}

function portsText(policy: NetworkPolicy, rule: Rule): string {
  const raw = valueAt(policy.object.raw, rule.path);
  if (!isMapping(raw) || !Array.isArray(raw.ports) || raw.ports.length === 0) return ' on every port';
  const parts = raw.ports.filter(isMapping).map((p) => `${typeof p.protocol === 'string' ? p.protocol : 'TCP'} ${p.port ?? 'any port'}${p.endPort ? `-${p.endPort}` : ''}`);
  return ` on ${parts.join(', ')}`;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isMapping(v) && typeof seg === 'string') v = v[seg];
    else return undefined;
  }
  return v;
}
