// CIS 1.2.6–1.2.8: the API server's authorizers. They come from --authorization-mode, or
// from the structured AuthorizationConfiguration (--authorization-config, mutually exclusive
// with the flag; kube-bench does not read it and fails such clusters).

import { observeFlag, type SettingLocation } from '../../analysis/flags/settings.js';
import type { Evidence } from '../../result/result.js';
import { isMapping } from '../../inventory/model.js';
import { readConfigDocument } from '../../analysis/flags/config-documents.js';
import type { ComponentFacts, NodeFacts } from '../../inventory/node-facts.js';
import { evaluateEach, evidenceOf, type InstanceVerdict } from '../node/evaluate.js';
import { defineNodeCheck, type NodeCheck } from '../node/types.js';
import type { Severity } from '../../result/result.js';

const AUTHORIZATION_CONFIG = { kinds: ['AuthorizationConfiguration'], groups: ['apiserver.config.k8s.io'] };

type Authorizers = { types: string[]; evidence: Evidence[]; location: SettingLocation; from: string } | { unknown: string; evidence: Evidence[] };

function readAuthorizers(facts: NodeFacts, c: ComponentFacts): Authorizers {
  const mode = observeFlag(c, 'authorization-mode', 'AlwaysAllow');
  const config = observeFlag(c, 'authorization-config');
  if (mode.set || !config.set) {
    return { types: mode.list, evidence: [evidenceOf(mode)], location: mode.location, from: mode.set ? `--authorization-mode=${mode.value}` : '--authorization-mode not set (default AlwaysAllow)' };
  }
  const doc = readConfigDocument(facts, c, config.value as string, AUTHORIZATION_CONFIG);
  if (!doc.ok) return { unknown: `cannot read the authorization config: ${doc.message}`, evidence: [evidenceOf(config)] };
  const list = Array.isArray(doc.value.authorizers) ? doc.value.authorizers : [];
  const types = list.filter(isMapping).map((a) => String(a.type));
  return {
    types,
    evidence: [evidenceOf(config), { subject: 'AuthorizationConfiguration authorizers[].type', value: types.join(','), source: doc.source }],
    location: { file: doc.source, path: 'authorizers' },
    from: `authorizers [${types.join(', ')}] in ${doc.source}`,
  };
}

function authorizationCheck(spec: {
  id: string; cis: string; title: string; severity: Severity; rationale: string; remediation: string;
  test: (types: string[]) => boolean; want: string;
}): NodeCheck {
  const cis = { id: spec.cis, automated: true };
  return defineNodeCheck({
    id: spec.id, title: spec.title, severity: spec.severity, category: 'control-plane', cis,
    rationale: spec.rationale, remediation: spec.remediation,
    appliesTo: 'kube-apiserver --authorization-mode, or the authorizers of its --authorization-config file',
    evaluateNode: (facts) =>
      evaluateEach(facts, 'kube-apiserver', cis, (c): InstanceVerdict => {
        const a = readAuthorizers(facts, c);
        if ('unknown' in a) return { ok: 'unknown', evidence: a.evidence, reason: a.unknown };
        if (spec.test(a.types)) return { ok: true, evidence: a.evidence };
        return { ok: false, evidence: a.evidence, message: `${a.from} in ${c.where}; ${spec.want}`, location: a.location };
      }),
  });
}

export const apiserverAuthorizationNotAlwaysAllow = authorizationCheck({
  id: 'apiserver-authorization-not-always-allow', cis: '1.2.6', severity: 'critical',
  title: 'The API server does not authorize every request (AlwaysAllow)',
  rationale: 'AlwaysAllow lets every authenticated user do anything. It is the default when no authorization mode is given.',
  remediation: 'Set --authorization-mode=Node,RBAC on kube-apiserver.',
  test: (types) => types.length > 0 && !types.includes('AlwaysAllow'),
  want: 'remove AlwaysAllow and use Node,RBAC',
});

export const apiserverAuthorizationNode = authorizationCheck({
  id: 'apiserver-authorization-includes-node', cis: '1.2.7', severity: 'high',
  title: 'The API server uses the Node authorizer',
  rationale: 'The Node authorizer limits each kubelet to the objects of its own pods; without it kubelets need broad RBAC grants.',
  remediation: 'Include Node in --authorization-mode (for example --authorization-mode=Node,RBAC).',
  test: (types) => types.includes('Node'),
  want: 'add Node',
});

export const apiserverAuthorizationRbac = authorizationCheck({
  id: 'apiserver-authorization-includes-rbac', cis: '1.2.8', severity: 'high',
  title: 'The API server uses the RBAC authorizer',
  rationale: 'RBAC is how least-privilege access is granted to users and service accounts.',
  remediation: 'Include RBAC in --authorization-mode (for example --authorization-mode=Node,RBAC).',
  test: (types) => types.includes('RBAC'),
  want: 'add RBAC',
});
