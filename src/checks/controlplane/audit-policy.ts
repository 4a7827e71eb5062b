// CIS 3.2.1 and 3.2.2: the API server's audit policy exists, and what it logs for the
// requests the benchmark names, decided exactly by analysis/audit (first match over the whole
// request space, every user, verb and namespace). In a node scan the policy file itself is
// scanned by the audit checks, which carry line-level findings; 3.2.2 gives the status and
// evidence, and its own finding only for what no audit check reports.

import { observeFlag } from '../../analysis/flags/settings.js';
import { PolicyAnalysis, SECRET_BEARING_CLASSES, SECURITY_RELEVANT_CLASSES, decisionsAtLeast, type ClassOutcome, type NamedClass } from '../../analysis/audit/analysis.js';
import { parsePolicy } from '../../analysis/audit/policy.js';
import { SpaceTooLarge } from '../../analysis/audit/space.js';
import { readConfigDocument } from '../../analysis/flags/config-documents.js';
import { evaluateEach, evidenceOf, type InstanceVerdict } from '../node/evaluate.js';
import { defineNodeCheck } from '../node/types.js';

const AUDIT_POLICY = { kinds: ['Policy'], groups: ['audit.k8s.io'] };

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

// The classes of requests CIS 3.2.2 names, beyond those the audit checks ask about: changes to
// pods and deployments. (Secrets, ConfigMaps, TokenReviews, exec, port-forward and proxy are in
// SECRET_BEARING_CLASSES and SECURITY_RELEVANT_CLASSES.)
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const changes = (label: string, apiGroup: string, resource: string): NamedClass => ({
  label,
  request: { kind: ['resource'], apiGroup: [apiGroup], resource: [resource], subresource: [''], verb: WRITE_VERBS },
});
const CIS_CHANGE_CLASSES = [changes('pod changes', '', 'pods'), changes('deployment changes', 'apps', 'deployments')];
/** Secret-bearing classes CIS wants at Metadata whose silence no audit check reports (Secrets are in SECURITY_RELEVANT_CLASSES). */
const METADATA_ONLY_LABELS = ['ConfigMaps', 'TokenReviews'];

/** Where a class is decided: `Metadata (rules[0])`, `None (no rule matches)`, several when rules split it. */
function levelsOf(outcome: ClassOutcome): string {
  const parts = outcome.decisions.map((d) => `${d.rule.level} (rules[${d.rule.index}]${d.rule.users.length || d.rule.userGroups.length ? ', some users' : ''})`);
  if (outcome.fallThrough.length) parts.push('None (no rule matches)');
  return [...new Set(parts)].join(', ');
}

/** Some of the class is never recorded for any user: a None rule without a user limit decides it, or no rule does. */
function neverRecorded(outcome: ClassOutcome): boolean {
  return outcome.fallThrough.length > 0 || outcome.decisions.some((d) => d.rule.level === 'None' && !d.rule.users.length && !d.rule.userGroups.length);
}

export const auditPolicyCoversRisks = defineNodeCheck({
  id: 'audit-policy-covers-key-risks', cis: { id: '3.2.2', automated: false }, severity: 'medium', category: 'audit',
  title: 'The audit policy logs the key security events at the right level',
  rationale: 'The benchmark asks that Secrets, ConfigMaps and TokenReviews are logged at Metadata only (never with bodies), and that pod and deployment changes, ' +
    'exec, port-forward and proxy requests are logged. The first matching rule decides the level of a request.',
  remediation: 'Order the Policy rules so Secrets/ConfigMaps/TokenReviews hit a Metadata rule first, pods/exec, pods/portforward, pods/proxy and services/proxy are logged, and a final catch-all logs Metadata.',
  appliesTo: 'the rules of the audit Policy named by kube-apiserver --audit-policy-file',
  evaluateNode: (facts) =>
    evaluateEach(facts, 'kube-apiserver', { id: '3.2.2', automated: false }, (c): InstanceVerdict => {
      const flag = observeFlag(c, 'audit-policy-file');
      if (!flag.set) return { ok: false, evidence: [evidenceOf(flag)], message: 'there is no audit policy to review (no --audit-policy-file)', location: flag.location, lineLevelElsewhere: 'apiserver-audit-policy-file' };
      const doc = readConfigDocument(facts, c, flag.value as string, AUDIT_POLICY);
      if (!doc.ok) return { ok: 'unknown', evidence: [evidenceOf(flag)], reason: `cannot read the audit policy: ${doc.message}` };
      const parsed = parsePolicy(doc.value);
      if (!parsed.ok) return { ok: 'unknown', evidence: [evidenceOf(flag)], reason: `${doc.source} is not a valid audit Policy, so the API server does not start (see audit-policy-valid)` };
      let analysis: PolicyAnalysis;
      try {
        analysis = new PolicyAnalysis(parsed.policy, [...SECRET_BEARING_CLASSES, ...SECURITY_RELEVANT_CLASSES, ...CIS_CHANGE_CLASSES]);
      } catch (err) {
        if (err instanceof SpaceTooLarge) return { ok: 'unknown', evidence: [evidenceOf(flag)], reason: `the audit policy ${doc.source} is too large to analyse exactly` };
        throw err;
      }
      const evidence = [evidenceOf(flag)];
      const decided = (list: readonly NamedClass[]) => list.map((k) => {
        const outcome = analysis.decide(k);
        evidence.push({ subject: `audit level for ${k.label}`, value: levelsOf(outcome), source: doc.source });
        return { label: k.label, outcome };
      });
      const bearing = decided(SECRET_BEARING_CLASSES);
      const relevant = decided(SECURITY_RELEVANT_CLASSES);
      const changed = decided(CIS_CHANGE_CLASSES);
      const leaks = bearing.filter((d) => decisionsAtLeast(d.outcome, 'Request').length).map((d) => `${d.label} are logged with bodies`);
      const silent = relevant.filter((d) => neverRecorded(d.outcome)).map((d) => `${d.label} is not recorded`);
      const own = [...bearing.filter((d) => METADATA_ONLY_LABELS.includes(d.label)), ...changed].filter((d) => neverRecorded(d.outcome)).map((d) => `${d.label} are not recorded`);
      if (own.length) {
        return { ok: false, evidence, message: `${own.join('; ')} by ${doc.source}; log them at least at Metadata (Secrets, ConfigMaps and TokenReviews at Metadata exactly)`, location: { file: doc.source, path: 'rules' } };
      }
      const elsewhere = [...(leaks.length ? ['audit-policy-keeps-secrets-out-of-logs'] : []), ...(silent.length ? ['audit-policy-records-security-events'] : [])];
      if (elsewhere.length) {
        return { ok: false, evidence, message: `${[...leaks, ...silent].join('; ')} by ${doc.source}`, location: { file: doc.source, path: 'rules' }, lineLevelElsewhere: elsewhere.join(', ') };
      }
      return { ok: true, evidence, note: 'the policy logs the requests the benchmark names; review the rest of it by hand' };
    }),
});
