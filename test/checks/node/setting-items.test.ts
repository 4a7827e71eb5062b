// Every flag/setting item of CIS sections 1.2–4.3 with a passing and a failing command line
// (or kubelet config file). A failing Automated item must say fail, a Manual one warn.
// The last test makes sure no item is missing from the table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import type { NodeCheck } from '../../../src/checks/node/types.js';
import { fakeFacts, type FakeComponent } from './node-helpers.js';
import { APISERVER_ITEMS } from '../../../src/checks/controlplane/apiserver-items.js';
import { ETCD_ITEMS } from '../../../src/checks/etcd/items.js';
import { KUBELET_ITEMS } from '../../../src/checks/node/kubelet-items.js';

type Case = { pass: FakeComponent[]; fail: FakeComponent[] };
const api = (...args: string[]): FakeComponent[] => [{ component: 'kube-apiserver', args }];
const cm = (...args: string[]): FakeComponent[] => [{ component: 'kube-controller-manager', args }];
const sched = (...args: string[]): FakeComponent[] => [{ component: 'kube-scheduler', args }];
const etcd = (...args: string[]): FakeComponent[] => [{ component: 'etcd', args }];
const kubelet = (args: string[], config?: Record<string, unknown>): FakeComponent[] => [{ component: 'kubelet', args, ...(config ? { config } : {}) }];
const proxy = (...args: string[]): FakeComponent[] => [{ component: 'kube-proxy', args }];

export const CASES: Record<string, Case> = {
  'apiserver-anonymous-auth-disabled': { pass: api('--anonymous-auth=false'), fail: api() },
  'apiserver-no-static-token-file': { pass: api(), fail: api('--token-auth-file=/etc/kubernetes/tokens.csv') },
  'apiserver-deny-service-external-ips': { pass: api('--enable-admission-plugins=NodeRestriction,DenyServiceExternalIPs'), fail: api('--enable-admission-plugins=NodeRestriction') },
  'apiserver-kubelet-client-certificate': { pass: api('--kubelet-client-certificate=/pki/a.crt', '--kubelet-client-key=/pki/a.key'), fail: api('--kubelet-client-certificate=/pki/a.crt') },
  'apiserver-verifies-kubelet-certificates': { pass: api('--kubelet-certificate-authority=/pki/ca.crt'), fail: api() },
  'apiserver-authorization-not-always-allow': { pass: api('--authorization-mode=Node,RBAC'), fail: api() },
  'apiserver-authorization-includes-node': { pass: api('--authorization-mode=Node,RBAC'), fail: api('--authorization-mode=RBAC') },
  'apiserver-authorization-includes-rbac': { pass: api('--authorization-mode', 'Node,RBAC'), fail: api('--authorization-mode=Node') },
  'apiserver-always-admit-disabled': { pass: api(), fail: api('--enable-admission-plugins=NodeRestriction,AlwaysAdmit') },
  'apiserver-always-pull-images': { pass: api('--enable-admission-plugins=AlwaysPullImages'), fail: api() },
  'apiserver-service-account-plugin-enabled': { pass: api(), fail: api('--disable-admission-plugins=ServiceAccount') },
  'apiserver-namespace-lifecycle-plugin-enabled': { pass: api('--disable-admission-plugins=DefaultStorageClass'), fail: api('--disable-admission-plugins=NamespaceLifecycle') },
  'apiserver-node-restriction-plugin-enabled': { pass: api('--enable-admission-plugins=NodeRestriction'), fail: api() },
  'apiserver-profiling-disabled': { pass: api('--profiling=false'), fail: api() },
  'apiserver-audit-log-path': { pass: api('--audit-log-path=/var/log/kubernetes/audit.log'), fail: api() },
  'apiserver-audit-log-maxage': { pass: api('--audit-log-maxage=30'), fail: api('--audit-log-maxage=29') },
  'apiserver-audit-log-maxbackup': { pass: api('--audit-log-maxbackup=10'), fail: api('--audit-log-maxbackup=9') },
  'apiserver-audit-log-maxsize': { pass: api('--audit-log-maxsize=100'), fail: api('--audit-log-maxsize=99') },
  'apiserver-service-account-lookup': { pass: api(), fail: api('--service-account-lookup=false') },
  'apiserver-service-account-key-file': { pass: api('--service-account-key-file=/pki/sa.pub'), fail: api() },
  'apiserver-etcd-client-certificate': { pass: api('--etcd-certfile=/pki/e.crt', '--etcd-keyfile=/pki/e.key'), fail: api('--etcd-keyfile=/pki/e.key') },
  'apiserver-tls-serving-certificate': { pass: api('--tls-cert-file=/pki/s.crt', '--tls-private-key-file=/pki/s.key'), fail: api() },
  'apiserver-client-ca-file': { pass: api('--client-ca-file=/pki/ca.crt'), fail: api() },
  'apiserver-etcd-ca-file': { pass: api('--etcd-cafile=/pki/etcd/ca.crt'), fail: api() },
  'apiserver-strong-tls-ciphers': {
    pass: api('--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256'),
    fail: api('--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA'),
  },
  'apiserver-no-extended-token-expiration': { pass: api('--service-account-extend-token-expiration=false'), fail: api() },
  'controller-manager-terminated-pod-gc-threshold': { pass: cm('--terminated-pod-gc-threshold=10'), fail: cm() },
  'controller-manager-profiling-disabled': { pass: cm('--profiling=false'), fail: cm('--profiling') },
  'controller-manager-service-account-credentials': { pass: cm('--use-service-account-credentials'), fail: cm() },
  'controller-manager-service-account-private-key': { pass: cm('--service-account-private-key-file=/pki/sa.key'), fail: cm() },
  'controller-manager-root-ca-file': { pass: cm('--root-ca-file=/pki/ca.crt'), fail: cm() },
  'controller-manager-rotate-kubelet-server-certificate': { pass: cm('--feature-gates=RotateKubeletServerCertificate=true'), fail: cm('--feature-gates=A=true,RotateKubeletServerCertificate=false') },
  'controller-manager-binds-loopback': { pass: cm('--bind-address=127.0.0.1'), fail: cm() },
  'scheduler-profiling-disabled': { pass: sched('--profiling=false'), fail: sched('--profiling=true') },
  'scheduler-binds-loopback': { pass: sched('--bind-address', '127.0.0.1'), fail: sched('--bind-address=0.0.0.0') },
  'etcd-client-tls': { pass: etcd('--cert-file=/pki/etcd/server.crt', '--key-file=/pki/etcd/server.key'), fail: etcd('--cert-file=/pki/etcd/server.crt') },
  'etcd-client-cert-auth': { pass: etcd('--client-cert-auth=true'), fail: etcd() },
  'etcd-no-auto-tls': { pass: etcd(), fail: etcd('--auto-tls=true') },
  'etcd-peer-tls': { pass: etcd('--peer-cert-file=/pki/etcd/peer.crt', '--peer-key-file=/pki/etcd/peer.key'), fail: etcd() },
  'etcd-peer-client-cert-auth': { pass: etcd('--peer-client-cert-auth'), fail: etcd('--peer-client-cert-auth=false') },
  'etcd-no-peer-auto-tls': { pass: etcd('--peer-auto-tls=false'), fail: etcd('--peer-auto-tls') },
  'etcd-uses-own-ca': {
    pass: [...etcd('--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt'), ...api('--client-ca-file=/etc/kubernetes/pki/ca.crt')],
    fail: [...etcd('--trusted-ca-file=/etc/kubernetes/pki/ca.crt'), ...api('--client-ca-file=/etc/kubernetes/pki/ca.crt')],
  },
  'apiserver-audit-policy-file': { pass: [], fail: api() }, // the pass needs a policy file: see custom-items.test.ts
  'kubelet-anonymous-auth-disabled': { pass: kubelet([], {}), fail: kubelet([]) },
  'kubelet-authorization-not-always-allow': { pass: kubelet([], {}), fail: kubelet([]) },
  'kubelet-client-ca-file': { pass: kubelet(['--client-ca-file=/pki/ca.crt'], {}), fail: kubelet([], {}) },
  'kubelet-read-only-port-disabled': { pass: kubelet([], {}), fail: kubelet([]) },
  'kubelet-streaming-idle-timeout': { pass: kubelet([], { streamingConnectionIdleTimeout: '0s' }), fail: kubelet(['--streaming-connection-idle-timeout=0'], {}) },
  'kubelet-makes-iptables-util-chains': { pass: kubelet([]), fail: kubelet([], { makeIPTablesUtilChains: false }) },
  'kubelet-hostname-not-overridden': { pass: kubelet([], {}), fail: kubelet(['--hostname-override=node-a'], {}) },
  'kubelet-event-qps': { pass: kubelet([], { eventRecordQPS: 0 }), fail: kubelet(['--event-qps=-1'], {}) },
  'kubelet-serving-certificate': { pass: kubelet([], { serverTLSBootstrap: true }), fail: kubelet([], {}) },
  'kubelet-rotates-client-certificates': { pass: kubelet([], {}), fail: kubelet(['--rotate-certificates=false'], { rotateCertificates: true }) },
  'kubelet-rotate-server-certificate-gate': { pass: kubelet([], {}), fail: kubelet([], { featureGates: { RotateKubeletServerCertificate: false } }) },
  'kubelet-strong-tls-ciphers': { pass: kubelet([], { tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] }), fail: kubelet([], {}) },
  'kubelet-pod-pids-limit': { pass: kubelet([], { podPidsLimit: 4096 }), fail: kubelet([], { podPidsLimit: -1 }) },
  'kubelet-seccomp-default': { pass: kubelet([], { seccompDefault: true }), fail: kubelet([], {}) },
  'kube-proxy-metrics-loopback': { pass: proxy(), fail: proxy('--metrics-bind-address=0.0.0.0:10249') },
};

/** Items with no automated test at all: they always say manual, with guidance. */
export const MANUAL_ONLY = ['apiserver-request-timeout-appropriate', 'users-not-authenticated-by-client-certificates', 'users-not-authenticated-by-service-account-tokens', 'users-not-authenticated-by-bootstrap-tokens'];

function check(id: string): NodeCheck {
  const found = cisNodeChecks.find((c) => c.id === id);
  assert.ok(found, `no check ${id}`);
  return found;
}

for (const [id, c] of Object.entries(CASES)) {
  test(`${id}: passes and fails as the benchmark says`, () => {
    const chk = check(id);
    if (c.pass.length) {
      const pass = chk.evaluateNode(fakeFacts(c.pass));
      assert.equal(pass.status, 'pass', `${id} should pass: ${pass.reason}`);
      assert.ok(pass.evidence.length > 0, 'a pass carries its evidence');
      assert.deepEqual(pass.findings, []);
    }
    const fail = chk.evaluateNode(fakeFacts(c.fail));
    assert.equal(fail.status, chk.cis.automated ? 'fail' : 'warn', `${id}: ${fail.reason}`);
    assert.equal(fail.findings.length, 1);
    assert.ok(fail.evidence.length > 0, 'a failure carries its evidence');
    assert.match(fail.findings[0]!.message, /process 4242/);
  });
}

for (const id of MANUAL_ONLY) {
  test(`${id}: is manual with guidance and never passes`, () => {
    const outcome = check(id).evaluateNode(fakeFacts(api('--request-timeout=2m', '--enable-bootstrap-token-auth=true')));
    assert.equal(outcome.status, 'manual');
    assert.ok(outcome.reason.length > 30, 'says what a human must look at');
  });
}

test('without the component on the node, every setting item skips with the reason', () => {
  for (const id of Object.keys(CASES)) {
    const outcome = check(id).evaluateNode(fakeFacts([]));
    assert.equal(outcome.status, 'skip', id);
    assert.match(outcome.reason, /not running on this node|not found/);
  }
});

test('every non-file item of sections 1.2–4.3 has a case here or in custom-items.test.ts', () => {
  // The EventRateLimit pass needs its configuration file: see admission-plugin-items.test.ts.
  const custom = ['apiserver-encryption-provider-config', 'apiserver-strong-encryption-provider', 'audit-policy-covers-key-risks', 'apiserver-event-rate-limit-enabled'];
  const fileItems = cisNodeChecks.filter((c) => /^1\.1\.|^4\.1\./.test(c.cis.id)).map((c) => c.id);
  const missing = cisNodeChecks.map((c) => c.id).filter((id) => !(id in CASES) && !MANUAL_ONLY.includes(id) && !custom.includes(id) && !fileItems.includes(id));
  assert.deepEqual(missing, []);
  assert.equal(cisNodeChecks.length, 97);
});

test('an automated item with a flag in the space-separated form and repeated flags reads the last occurrence', () => {
  const chk = check('apiserver-profiling-disabled');
  assert.equal(chk.evaluateNode(fakeFacts(api('--profiling=true', '--profiling', 'false'))).status, 'fail', '--profiling false is a bare boolean plus a stray word');
  assert.equal(chk.evaluateNode(fakeFacts(api('--profiling=true', '--profiling=0'))).status, 'pass', 'the last occurrence wins; 0 is false to Go');
});

test('list flags accumulate across repeats, as pflag StringSlice does', () => {
  const chk = check('apiserver-node-restriction-plugin-enabled');
  assert.equal(chk.evaluateNode(fakeFacts(api('--enable-admission-plugins=EventRateLimit', '--enable-admission-plugins=NodeRestriction'))).status, 'pass');
});

// "Is set" items are judged by the value as the component reads it: a value that switches the
// protection off fails although the flag is present.
const DISABLING_VALUES: [string, FakeComponent[]][] = [
  ['controller-manager-terminated-pod-gc-threshold', cm('--terminated-pod-gc-threshold=0')],
  ['controller-manager-terminated-pod-gc-threshold', cm('--terminated-pod-gc-threshold=-1')],
  ['controller-manager-terminated-pod-gc-threshold', cm('--terminated-pod-gc-threshold=ten')],
  ['kubelet-pod-pids-limit', kubelet(['--pod-max-pids=0'], {})],
  ['kubelet-streaming-idle-timeout', kubelet(['--streaming-connection-idle-timeout=0s'], {})],
  ['apiserver-client-ca-file', api('--client-ca-file=')],
  ['apiserver-audit-log-path', api('--audit-log-path=')],
  ['etcd-client-tls', etcd('--cert-file=', '--key-file=/pki/etcd/server.key')],
  ['kubelet-client-ca-file', kubelet(['--client-ca-file='], {})],
];
for (const [id, components] of DISABLING_VALUES) {
  test(`${id}: a present flag whose value turns it off is a failure (${components[0]!.args?.join(' ')})`, () => {
    const chk = check(id);
    assert.equal(chk.evaluateNode(fakeFacts(components)).status, chk.cis.automated ? 'fail' : 'warn');
  });
}

test('every "is set" rule is on a setting whose every non-empty value is a file the component reads', () => {
  // A number or boolean that can switch the protection off must use a value rule instead.
  const setKeys = APISERVER_ITEMS.concat(ETCD_ITEMS, KUBELET_ITEMS)
    .filter((i) => i.rule.is === 'set')
    .flatMap((i) => i.keys);
  assert.deepEqual(setKeys.filter((k) => !/file|certificate|key|authority|cafile|certfile|keyfile|path/.test(k)), []);
});
