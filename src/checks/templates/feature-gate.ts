// The template of CIS 1.3.6 and 4.2.11: the RotateKubeletServerCertificate gate must not be turned off
// (it defaults to true, beta since 1.12). On the kubelet, --feature-gates merges over the
// config file's featureGates, key by key.

import type { ComponentName } from '../../inventory/node-facts.js';
import { observeFeatureGate } from '../../analysis/flags/settings.js';
import { parseGoBool } from '../../analysis/flags/values.js';
import { describeSeen, evaluateEach, evidenceOf } from '../node/evaluate.js';
import { defineNodeCheck, type NodeCheck } from '../node/types.js';

export const GATE = 'RotateKubeletServerCertificate';

/** A node check that a component keeps the RotateKubeletServerCertificate feature gate on. */
export function gateCheck(id: string, cisId: string, automated: boolean, component: ComponentName, remediation: string, controls?: string[], titleSuffix = ''): NodeCheck {
  const cis = { id: cisId, automated };
  return defineNodeCheck({
    id, cis, ...(controls ? { controls } : {}), severity: 'medium', category: component === 'kubelet' ? 'node' : 'control-plane',
    title: `${component} keeps the ${GATE} feature gate on${titleSuffix}`,
    rationale: 'The gate lets kubelets obtain CA-signed serving certificates and rotate them; turning it off leaves self-signed, non-rotating certificates.',
    remediation,
    appliesTo: `${component} --feature-gates${component === 'kubelet' ? ' and the config file\'s featureGates' : ''}`,
    evaluateNode: (facts) =>
      evaluateEach(facts, component, cis, (c) => {
        const obs = observeFeatureGate(c, GATE, 'true');
        if (obs.unknown) return { ok: 'unknown', evidence: [evidenceOf(obs)], reason: obs.unknown };
        if (parseGoBool(obs.value ?? '') !== false) return { ok: true, evidence: [evidenceOf(obs)] };
        return { ok: false, evidence: [evidenceOf(obs)], message: `${obs.subject} is ${describeSeen(obs)} in ${c.where}; remove ${GATE}=false`, location: obs.location };
      }),
  });
}
