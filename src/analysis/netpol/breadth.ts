// "Nothing broader than needed", checked: a policy written from evidence selects pods by labels
// and admits peers by labels, so it also applies to any other workload carrying those labels.
// This lists, among the workloads of the input, every one a rule selects or admits that the
// evidence did not involve — the generalisation the selectors add, named, so a person can see it.

import type { NetpolModel, Workload } from './model.js';
import type { Direction, NetworkPolicy, Peer } from './policy.js';

/** What one generated policy was written for. */
export interface PolicyEvidence {
  name: string;
  direction: Direction;
  /** Workloads of the input seen at the selected end. */
  selfIds: readonly string[];
  /** Per rule, the workloads of the input seen at the other end. */
  rulePeerIds: readonly (readonly string[])[];
}

export interface Broadening {
  policy: string;
  /** `spec.podSelector` or the rule, e.g. `spec.egress[1]`. */
  where: string;
  /** Workloads it selects or admits beyond the evidence. */
  beyond: string[];
}

export function beyondEvidence(model: NetpolModel, namespace: string, evidence: readonly PolicyEvidence[]): Broadening[] {
  const out: Broadening[] = [];
  for (const ev of evidence) {
    const policy = model.policiesIn(namespace).find((p) => p.name === ev.name);
    if (!policy) continue;
    const selected = model.selectedBy(policy).filter((w) => !w.hostNetwork).map((w) => w.id);
    const extraSelf = selected.filter((id) => !ev.selfIds.includes(id));
    if (extraSelf.length) out.push({ policy: `${namespace}/${ev.name}`, where: 'spec.podSelector', beyond: extraSelf });
    policy.rules[ev.direction].forEach((rule, i) => {
      if (!rule.peers) return;
      const admitted = model.workloads.filter((w) => !w.hostNetwork && rule.peers!.some((p) => peerAdmits(model, policy, p, w))).map((w) => w.id);
      const extra = admitted.filter((id) => !(ev.rulePeerIds[i] ?? []).includes(id));
      if (extra.length) out.push({ policy: `${namespace}/${ev.name}`, where: `spec.${ev.direction}[${i}]`, beyond: extra });
    });
  }
  return out;
}

function peerAdmits(model: NetpolModel, policy: NetworkPolicy, peer: Peer, w: Workload): boolean {
  if (peer.kind !== 'pods') return false; // an ipBlock of the one address seen
  const ns = peer.namespaces ? model.namespaceMatches(peer.namespaces, w.namespace) === 'yes' : w.namespace === policy.namespace;
  return ns && peer.pods.matches(w.labels);
}
