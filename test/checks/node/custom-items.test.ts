// Items that read a config file named by a flag: structured authentication and authorization
// configs, the EncryptionConfiguration, the audit Policy; and etcd/kube-proxy config files
// that replace flags.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import { fakeFacts, type FakeComponent } from './node-helpers.js';
import { AUDIT_POLICY, ENCRYPTION_CONFIG } from '../../sources/node/roots.js';

const root = mkdtempSync(path.join(tmpdir(), 'kubeharden-custom-'));
after(() => rmSync(root, { recursive: true, force: true }));
function put(hostPath: string, text: string): string {
  mkdirSync(path.dirname(path.join(root, hostPath)), { recursive: true });
  writeFileSync(path.join(root, hostPath), text);
  return hostPath;
}
const run = (id: string, components: FakeComponent[]) => cisNodeChecks.find((c) => c.id === id)!.evaluateNode(fakeFacts(components, root));
const api = (...args: string[]): FakeComponent[] => [{ component: 'kube-apiserver', args }];

test('1.2.27 and 1.2.28: the secrets engine judges the EncryptionConfiguration; file problems are summarised, not repeated', () => {
  const good = put('/etc/kubernetes/enc/good.yaml', ENCRYPTION_CONFIG);
  const identity = put('/etc/kubernetes/enc/identity.yaml', ENCRYPTION_CONFIG.replace(/  - aescbc:[\s\S]*?  - identity: \{\}\n/, '  - identity: {}\n  - aescbc: {keys: []}\n'));
  const aesgcm = put('/etc/kubernetes/enc/aesgcm.yaml', ENCRYPTION_CONFIG.replace('aescbc', 'aesgcm'));
  const other = put('/etc/kubernetes/enc/configmaps.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [configmaps]\n  providers: [{aescbc: {keys: [{name: k, secret: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=}]}}]\n');
  // "*." is every resource of the core group: it covers secrets, exactly as the API server's lookup does.
  const coreWildcard = put('/etc/kubernetes/enc/core.yaml', ENCRYPTION_CONFIG.replace('[secrets]', '["*."]'));
  const config = '1.2.27';
  const strong = 'apiserver-strong-encryption-provider';
  const provided = 'apiserver-encryption-provider-config';
  for (const file of [good, coreWildcard]) {
    assert.equal(run(provided, api(`--encryption-provider-config=${file}`)).status, 'pass', file);
    const pass = run(strong, api(`--encryption-provider-config=${file}`));
    assert.equal(pass.status, 'pass', file);
    assert.ok(pass.evidence.some((e) => e.subject === 'provider that writes Secrets' && e.value === 'aescbc'));
  }
  for (const id of [provided, strong]) {
    const bad = run(id, api(`--encryption-provider-config=${identity}`));
    assert.equal(bad.status, 'warn', id);
    assert.match(bad.reason, /identity is the first provider for secrets.*\(finding: secrets-encrypted-at-rest\)/);
    assert.deepEqual(bad.findings, [], 'the line-level finding is secrets-encrypted-at-rest\'s');
    assert.match(run(id, api(`--encryption-provider-config=${other}`)).reason, /no resource entry covers secrets/);
    assert.equal(run(id, api('--encryption-provider-config=/etc/kubernetes/enc/missing.yaml')).status, 'skip');
  }
  assert.equal(run(provided, api(`--encryption-provider-config=${aesgcm}`)).status, 'pass', `${config}: aesgcm encrypts`);
  const gcm = run(strong, api(`--encryption-provider-config=${aesgcm}`));
  assert.equal(gcm.status, 'warn');
  assert.match(gcm.reason, /written with the aesgcm provider .*finding: secrets-written-with-cis-accepted-provider/);
  // Without the flag 1.2.27 reports it at the flag; 1.2.28 only takes the status.
  assert.equal(run(provided, api()).findings.length, 1);
  const noFlag = run(strong, api());
  assert.equal(noFlag.status, 'warn');
  assert.deepEqual(noFlag.findings, []);
});

test('1.2.1: without --anonymous-auth, the AuthenticationConfiguration decides', () => {
  const off = put('/etc/kubernetes/authn-off.yaml', 'apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: false\n');
  const on = put('/etc/kubernetes/authn-on.yaml', 'apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: true\n');
  const limited = put('/etc/kubernetes/authn-health.yaml', 'apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: true\n  conditions:\n  - path: /livez\n');
  const id = 'apiserver-anonymous-auth-disabled';
  assert.equal(run(id, api(`--authentication-config=${off}`)).status, 'pass');
  assert.equal(run(id, api(`--authentication-config=${on}`)).status, 'warn');
  const health = run(id, api(`--authentication-config=${limited}`));
  assert.equal(health.status, 'pass');
  assert.match(health.reason, /limited to 1 path condition/);
});

test('1.2.6–1.2.8: the authorizers of an AuthorizationConfiguration count like --authorization-mode', () => {
  const config = put('/etc/kubernetes/authz.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n- {type: Node, name: node}\n- {type: RBAC, name: rbac}\n');
  for (const id of ['apiserver-authorization-not-always-allow', 'apiserver-authorization-includes-node', 'apiserver-authorization-includes-rbac']) {
    assert.equal(run(id, api(`--authorization-config=${config}`)).status, 'pass', id);
  }
  const rbacOnly = put('/etc/kubernetes/authz-rbac.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n- {type: RBAC, name: rbac}\n');
  assert.equal(run('apiserver-authorization-includes-node', api(`--authorization-config=${rbacOnly}`)).status, 'fail');
  const wrongKind = put('/etc/kubernetes/authz-wrong.yaml', 'apiVersion: v1\nkind: ConfigMap\n');
  assert.match(run('apiserver-authorization-includes-rbac', api(`--authorization-config=${wrongKind}`)).reason, /kind ConfigMap .*expected AuthorizationConfiguration/);
});

test('3.2.1 and 3.2.2: the audit policy exists and logs what the benchmark names at the right level (exact analysis)', () => {
  const good = put('/etc/kubernetes/audit.yaml', AUDIT_POLICY);
  assert.equal(run('apiserver-audit-policy-file', api(`--audit-policy-file=${good}`)).status, 'pass');
  const covers = run('audit-policy-covers-key-risks', api(`--audit-policy-file=${good}`));
  assert.equal(covers.status, 'pass', covers.reason);
  assert.ok(covers.evidence.some((e) => e.subject === 'audit level for Secrets' && e.value === 'Metadata (rules[0])'));
  assert.ok(covers.evidence.some((e) => e.subject === 'audit level for deployment changes' && e.value === 'RequestResponse (rules[1])'));

  // Problems an audit check reports line by line: the status and reason only, no second finding.
  const leaky = put('/etc/kubernetes/audit-leaky.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n');
  const bad = run('audit-policy-covers-key-risks', api(`--audit-policy-file=${leaky}`));
  assert.equal(bad.status, 'warn');
  assert.match(bad.reason, /Secrets are logged with bodies.*\(finding: audit-policy-keeps-secrets-out-of-logs\)/);
  assert.deepEqual(bad.findings, []);

  // Every request, not seven samples: `list secrets` at RequestResponse leaks though `get secrets` is Metadata.
  const listLeak = put('/etc/kubernetes/audit-list.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n  verbs: [list]\n  resources: [{group: "", resources: [secrets]}]\n- level: Metadata\n');
  assert.match(run('audit-policy-covers-key-risks', api(`--audit-policy-file=${listLeak}`)).reason, /Secrets are logged with bodies/);

  // What no audit check reports (ConfigMaps/TokenReviews silent, pod and deployment changes) is this item's own finding.
  const silent = put('/etc/kubernetes/audit-none.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  resources: [{group: "", resources: [secrets, configmaps]}]\n');
  const quiet = run('audit-policy-covers-key-risks', api(`--audit-policy-file=${silent}`));
  assert.equal(quiet.findings.length, 1);
  assert.match(quiet.findings[0]!.message, /TokenReviews are not recorded; pod changes are not recorded; deployment changes are not recorded/);
  assert.ok(quiet.evidence.some((e) => e.subject === 'audit level for pods/exec' && e.value === 'None (no rule matches)'));

  const invalid = put('/etc/kubernetes/audit-invalid.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Everything\n');
  assert.match(run('audit-policy-covers-key-risks', api(`--audit-policy-file=${invalid}`)).reason, /not a valid audit Policy.*audit-policy-valid/);
});

test('2.x: an etcd --config-file replaces flags and environment', () => {
  const config = put('/etc/etcd/etcd.conf.yml', 'client-transport-security:\n  cert-file: /pki/server.crt\n  key-file: /pki/server.key\n  client-cert-auth: true\n');
  const etcd = (args: string[], env: Record<string, string> = {}): FakeComponent[] => [{ component: 'etcd', args, env }];
  // Flags say no client cert auth, the config file says yes: the file wins.
  const facts = fakeFacts(etcd([`--config-file=${config}`, '--client-cert-auth=false']), root);
  const c = facts.components.get('etcd')![0]!;
  c.config = { path: config, how: '--config-file flag', value: { 'client-transport-security': { 'cert-file': '/pki/server.crt', 'key-file': '/pki/server.key', 'client-cert-auth': true } } };
  const outcome = cisNodeChecks.find((x) => x.id === 'etcd-client-cert-auth')!.evaluateNode(facts);
  assert.equal(outcome.status, 'pass');
  assert.match(outcome.evidence[0]!.source ?? '', /flag is ignored when a config file is given/);
  // Without a config file, the flag beats the variable.
  assert.equal(run('etcd-client-cert-auth', etcd(['--client-cert-auth=true'], { ETCD_CLIENT_CERT_AUTH: 'false' })).status, 'pass');
  assert.equal(run('etcd-client-cert-auth', etcd([], { ETCD_CLIENT_CERT_AUTH: 'true' })).status, 'pass');
  assert.equal(run('etcd-client-cert-auth', etcd([], { ETCD_CLIENT_CERT_AUTH: 'false' })).status, 'fail');
});

test('4.3.1: kube-proxy metricsBindAddress from its config file; an empty value is the loopback default', () => {
  const proxy = (config: Record<string, unknown>) => {
    const facts = fakeFacts([{ component: 'kube-proxy', args: ['--config=/var/lib/kube-proxy/config.conf', '--metrics-bind-address=0.0.0.0:10249'] }], root);
    facts.components.get('kube-proxy')![0]!.config = { path: '/var/lib/kube-proxy/config.conf', how: '--config flag', value: config };
    return cisNodeChecks.find((x) => x.id === 'kube-proxy-metrics-loopback')!.evaluateNode(facts);
  };
  assert.equal(proxy({ metricsBindAddress: '' }).status, 'pass');
  assert.equal(proxy({ metricsBindAddress: '[::1]:10249' }).status, 'pass');
  assert.equal(proxy({ metricsBindAddress: '0.0.0.0:10249' }).status, 'fail');
});

test('3.1.1 stays manual and names the kubeconfigs that carry client certificates (never their data)', () => {
  put('/etc/kubernetes/admin.conf', 'apiVersion: v1\nkind: Config\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: U0VDUkVU\n    client-key-data: U0VDUkVU\n');
  put('/etc/kubernetes/oidc.conf', 'apiVersion: v1\nkind: Config\nusers:\n- name: alice\n  user:\n    exec: {command: kubelogin}\n');
  const outcome = run('users-not-authenticated-by-client-certificates', api());
  assert.equal(outcome.status, 'manual');
  assert.deepEqual(outcome.evidence.filter((e) => e.value === 'client certificate').map((e) => e.subject), ['/etc/kubernetes/admin.conf']);
  assert.ok(!JSON.stringify(outcome).includes('U0VDUkVU'));
});
