// CIS 3.2.1 and 3.2.2: the API server's audit policy exists, and what it logs for the
// requests the benchmark names. Policy rules match in order; the first match decides the
// level. Rules limited to users, groups or namespaces are conditional and reported as such.

import { observeFlag } from '../../analysis/flags/settings.js';
import { isMapping } from '../../inventory/model.js';
import { readConfigDocument } from '../../sources/node/config-files.js';
import { evaluateEach, evidenceOf } from '../node/evaluate.js';
import { defineNodeCheck } from '../node/types.js';

const AUDIT_POLICY = { kinds: ['Policy'], groups: ['audit.k8s.io'] };
const DATA_LEVELS = ['Request', 'RequestResponse'];

export const auditPolicyExists = defineNodeCheck({
  id: 'apiserver-audit-policy-file', cis: { id: '3.2.1', automated: false }, severity: 'medium', category: 'audit',
  title: 'The API server has an audit policy',
  rationale: 'Without --audit-policy-file the API server produces no audit events at all, whatever the log backend.',
  remediation: 'Write an audit Policy (kubeharden generate audit-policy) and set --audit-policy-file on kube-apiserver.',
  appliesTo: 'kube-apiserver --audit-policy-file and the Policy file it names',
  evaluateNode: (facts) =>
    evaluateEach(facts, 'kube-apiserver', { id: '3.2.1', automated: false }, (c) => {
      const flag = observeFlag(c, 'audit-policy-file');
      if (!flag.set) return { ok: false, evidence: [evidenceOf(flag)], message: `kube-apiserver has no --audit-policy-file in ${c.where}, so no audit events are produced; set one`, location: flag.location };
      const doc = readConfigDocument(facts, c, flag.value as string, AUDIT_POLICY);
      if (!doc.ok) return { ok: 'unknown', evidence: [evidenceOf(flag)], reason: `cannot read the audit policy: ${doc.message}` };
      const rules = Array.isArray(doc.value.rules) ? doc.value.rules.length : 0;
      return { ok: true, evidence: [evidenceOf(flag), { subject: 'audit Policy rules', value: String(rules), source: doc.source }] };
    }),
});

/** A request the benchmark cares about, and the levels acceptable for it. */
const PROBES: { label: string; group: string; resource: string; verb: string; acceptable: (level: string) => boolean; want: string }[] = [
  { label: 'get secrets', group: '', resource: 'secrets', verb: 'get', acceptable: (l) => l === 'Metadata', want: 'Metadata (never Request/RequestResponse: it would log secret data)' },
  { label: 'get configmaps', group: '', resource: 'configmaps', verb: 'get', acceptable: (l) => l === 'Metadata', want: 'Metadata' },
  { label: 'create tokenreviews', group: 'authentication.k8s.io', resource: 'tokenreviews', verb: 'create', acceptable: (l) => l === 'Metadata', want: 'Metadata (the request body is a token)' },
  { label: 'create pods/exec', group: '', resource: 'pods/exec', verb: 'create', acceptable: (l) => l !== 'None', want: 'at least Metadata' },
  { label: 'create pods/portforward', group: '', resource: 'pods/portforward', verb: 'create', acceptable: (l) => l !== 'None', want: 'at least Metadata' },
  { label: 'update pods', group: '', resource: 'pods', verb: 'update', acceptable: (l) => l !== 'None', want: 'at least Metadata' },
  { label: 'update deployments', group: 'apps', resource: 'deployments', verb: 'update', acceptable: (l) => l !== 'None', want: 'at least Metadata' },
];

function ruleMatches(rule: Record<string, unknown>, probe: (typeof PROBES)[number]): 'yes' | 'no' | 'conditional' {
  if (Array.isArray(rule.verbs) && rule.verbs.length && !rule.verbs.includes(probe.verb)) return 'no';
  if (Array.isArray(rule.nonResourceURLs) && rule.nonResourceURLs.length) return 'no';
  if (Array.isArray(rule.resources) && rule.resources.length) {
    const hit = rule.resources.some((r) => {
      if (!isMapping(r)) return false;
      if ((r.group ?? '') !== probe.group && r.group !== '*') return false;
      const names = Array.isArray(r.resources) ? r.resources : [];
      const [base, sub] = probe.resource.split('/');
      return names.length === 0 || names.some((n) => n === probe.resource || n === '*' || n === '*/*' || (sub && n === `${base}/*`) || (sub && n === `*/${sub}`));
    });
    if (!hit) return 'no';
  }
  const limited = ['users', 'userGroups', 'namespaces'].some((k) => Array.isArray(rule[k]) && (rule[k] as unknown[]).length > 0);
  return limited ? 'conditional' : 'yes';
}

export const auditPolicyCoversRisks = defineNodeCheck({
  id: 'audit-policy-covers-key-risks', cis: { id: '3.2.2', automated: false }, severity: 'medium', category: 'audit',
  title: 'The audit policy logs the key security events at the right level',
  rationale: 'The benchmark asks that Secrets, ConfigMaps and TokenReviews are logged at Metadata only (never with bodies), and that pod changes, ' +
    'exec and port-forward are logged. The first matching rule decides the level of a request.',
  remediation: 'Order the Policy rules so Secrets/ConfigMaps/TokenReviews hit a Metadata rule first, pods/exec, pods/portforward, pods/proxy and services/proxy are logged, and a final catch-all logs Metadata.',
  appliesTo: 'the rules of the audit Policy named by kube-apiserver --audit-policy-file',
  evaluateNode: (facts) =>
    evaluateEach(facts, 'kube-apiserver', { id: '3.2.2', automated: false }, (c) => {
      const flag = observeFlag(c, 'audit-policy-file');
      if (!flag.set) return { ok: false, evidence: [evidenceOf(flag)], message: 'there is no audit policy to review (no --audit-policy-file)', location: flag.location };
      const doc = readConfigDocument(facts, c, flag.value as string, AUDIT_POLICY);
      if (!doc.ok) return { ok: 'unknown', evidence: [evidenceOf(flag)], reason: `cannot read the audit policy: ${doc.message}` };
      const rules = (Array.isArray(doc.value.rules) ? doc.value.rules : []).filter(isMapping);
      const evidence = [evidenceOf(flag)];
      const problems: string[] = [];
      for (const probe of PROBES) {
        let level = 'None';
        let decidedBy = 'no rule matches';
        for (let i = 0; i < rules.length; i++) {
          const m = ruleMatches(rules[i]!, probe);
          if (m === 'no') continue;
          level = String(rules[i]!.level ?? 'None');
          decidedBy = `rules[${i}]${m === 'conditional' ? ' (limited to some users/groups/namespaces)' : ''}`;
          break;
        }
        evidence.push({ subject: `audit level for ${probe.label}`, value: level, source: `${doc.source} ${decidedBy}` });
        if (!probe.acceptable(level) || (probe.want.startsWith('Metadata') && DATA_LEVELS.includes(level))) problems.push(`${probe.label} is logged at ${level} (${decidedBy}); want ${probe.want}`);
      }
      if (problems.length) return { ok: false, evidence, message: problems.join('; '), location: { file: doc.source, path: 'rules' } };
      return { ok: true, evidence, note: 'the policy logs the requests the benchmark names; review the rest of it by hand' };
    }),
});
