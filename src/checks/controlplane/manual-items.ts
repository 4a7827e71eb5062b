// Items the benchmark leaves to a person (no automated test): kubeharden shows what it saw
// and says exactly what to look at. Status `manual`, never pass.

import type { ComponentName } from '../../inventory/node-facts.js';
import { observeFlag } from '../../analysis/flags/settings.js';
import type { Evidence } from '../../result/result.js';
import { instancesOf, type NodeFacts } from '../../inventory/node-facts.js';
import { evidenceOf } from '../node/evaluate.js';
import { defineNodeCheck, type NodeCheck } from '../node/types.js';
import type { Category, Severity } from '../../result/result.js';

function manualCheck(spec: {
  id: string; cis: string; title: string; severity: Severity; category: Category; rationale: string; remediation: string;
  /** What a person must look at. */
  guidance: string;
  /** Flags worth showing as evidence. */
  show?: { component: ComponentName; flag: string; defaultValue?: string }[];
  /** Other evidence read from the host. */
  gather?: (facts: NodeFacts) => Evidence[];
}): NodeCheck {
  const cis = { id: spec.cis, automated: false };
  return defineNodeCheck({
    id: spec.id, title: spec.title, severity: spec.severity, category: spec.category, cis,
    rationale: spec.rationale, remediation: spec.remediation,
    appliesTo: spec.show?.length ? spec.show.map((s) => `${s.component} --${s.flag}`).join(', ') : 'the cluster\'s users and credentials (review by hand)',
    evaluateNode: (facts) => {
      // These are control-plane questions: where no API server runs (a worker node, a
      // manifest scan of workloads) there is nothing for a person to review here.
      if (instancesOf(facts, 'kube-apiserver').length === 0) {
        return { status: 'skip', reason: 'no kube-apiserver here (a control-plane question)', evidence: [], findings: [], evaluated: 0 };
      }
      const evidence = (spec.show ?? []).flatMap((s) => instancesOf(facts, s.component).map((c) => evidenceOf(observeFlag(c, s.flag, s.defaultValue))));
      evidence.push(...(spec.gather?.(facts) ?? []));
      return { status: 'manual', reason: spec.guidance, evidence, findings: [], evaluated: 0 };
    },
  });
}

export const apiserverRequestTimeout = manualCheck({
  id: 'apiserver-request-timeout-appropriate', cis: '1.2.20', severity: 'info', category: 'control-plane',
  title: 'The API server request timeout suits the cluster',
  rationale: 'Too long a timeout lets slow requests tie up the API server; too short breaks large list and watch calls.',
  remediation: 'Keep the default --request-timeout=1m0s unless large requests need longer; then set it explicitly.',
  guidance: 'check that --request-timeout (default 1m0s) fits the largest requests your clients make; the benchmark has no automated test',
  show: [{ component: 'kube-apiserver', flag: 'request-timeout', defaultValue: '1m0s' }],
});

export const noClientCertificatesForUsers = manualCheck({
  id: 'users-not-authenticated-by-client-certificates', cis: '3.1.1', severity: 'medium', category: 'control-plane',
  title: 'People do not authenticate with client certificates',
  rationale: 'Client certificates cannot be revoked; a leaked admin certificate stays valid until it expires.',
  remediation: 'Give people OIDC (--authentication-config or --oidc-* flags) or another external identity provider; keep certificates for components.',
  guidance: 'list kubeconfigs handed to people that hold client-certificate-data, and CertificateSigningRequests with signerName kubernetes.io/kube-apiserver-client; move those users to OIDC or another external provider',
  show: [{ component: 'kube-apiserver', flag: 'authentication-config' }, { component: 'kube-apiserver', flag: 'oidc-issuer-url' }],
  gather: kubeconfigsWithClientCertificates,
});

/** Kubeconfigs in /etc/kubernetes that authenticate with a client certificate (names only, never the data). */
function kubeconfigsWithClientCertificates(facts: NodeFacts): Evidence[] {
  const host = facts.host;
  if (!host) return [];
  return host.list('/etc/kubernetes', false).entries
    .filter((p) => p.endsWith('.conf'))
    .filter((p) => {
      const read = host.readText(p);
      return read.ok && /^\s*client-certificate(-data)?:/m.test(read.text);
    })
    .map((p) => ({ subject: p, value: 'client certificate', source: 'kubeconfig with a client certificate: check it is not handed to people' }));
}

export const noServiceAccountTokensForUsers = manualCheck({
  id: 'users-not-authenticated-by-service-account-tokens', cis: '3.1.2', severity: 'medium', category: 'control-plane',
  title: 'People do not authenticate with service-account tokens',
  rationale: 'Service-account tokens are meant for workloads; shared by people they hide who did what and are hard to rotate.',
  remediation: 'Give people their own identities through an external provider; delete long-lived token Secrets they use.',
  guidance: 'look for Secrets of type kubernetes.io/service-account-token and kubeconfigs with token: entries used by people (kubeharden scan --cluster lists the Secrets by name)',
});

export const noBootstrapTokensForUsers = manualCheck({
  id: 'users-not-authenticated-by-bootstrap-tokens', cis: '3.1.3', severity: 'medium', category: 'control-plane',
  title: 'People do not authenticate with bootstrap tokens',
  rationale: 'Bootstrap tokens exist to join nodes; they are bearer secrets with broad join rights.',
  remediation: 'Use bootstrap tokens only for kubeadm join, with a short TTL (kubeadm token create --ttl 1h); delete unused ones.',
  guidance: 'list Secrets of type bootstrap.kubernetes.io/token in kube-system and check each is short-lived and only used to join nodes',
  show: [{ component: 'kube-apiserver', flag: 'enable-bootstrap-token-auth', defaultValue: 'false' }],
});
