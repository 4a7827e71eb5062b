// The kubelet's effective settings: flag > config file > default, where the default depends
// on whether the kubelet runs with a config file (v1beta1 defaults) or not (legacy flag defaults).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { observeFeatureGate, observeKubelet } from '../../../src/analysis/flags/settings.js';
import { fakeComponent } from '../../checks/node/node-helpers.js';

const kubelet = (args: string[], config?: Record<string, unknown> | { error: string }) => fakeComponent({ component: 'kubelet', args, ...(config ? { config } : {}) });

test('a flag overrides the same setting in the config file, and says so', () => {
  const obs = observeKubelet(kubelet(['--anonymous-auth=true'], { authentication: { anonymous: { enabled: false } } }), 'anonymous-auth');
  assert.equal(obs.value, 'true');
  assert.equal(obs.how, 'flag');
  assert.match(obs.source, /overrides the config file/);
});

test('the config file value is used when no flag sets it, with the key as location', () => {
  const obs = observeKubelet(kubelet([], { authentication: { anonymous: { enabled: true } } }), 'anonymous-auth');
  assert.equal(obs.value, 'true');
  assert.equal(obs.how, 'config file');
  assert.equal(obs.location.path, 'authentication.anonymous.enabled');
  assert.equal(obs.location.file, '/var/lib/kubelet/config.yaml');
});

test('with a config file, unset fields take the v1beta1 defaults', () => {
  const c = kubelet([], {});
  assert.deepEqual([observeKubelet(c, 'anonymous-auth').value, observeKubelet(c, 'authorization-mode').value, observeKubelet(c, 'read-only-port').value],
    ['false', 'Webhook', '0']);
  assert.equal(observeKubelet(c, 'anonymous-auth').how, 'config file default');
});

test('without a config file the legacy flag defaults apply (anonymous on, AlwaysAllow, port 10255)', () => {
  const c = kubelet([]);
  assert.deepEqual([observeKubelet(c, 'anonymous-auth').value, observeKubelet(c, 'authorization-mode').value, observeKubelet(c, 'read-only-port').value, observeKubelet(c, 'authentication-token-webhook').value],
    ['true', 'AlwaysAllow', '10255', 'false']);
  assert.equal(observeKubelet(c, 'read-only-port').how, 'legacy flag default');
  assert.equal(observeKubelet(c, 'make-iptables-util-chains').value, 'true', 'other settings keep the ordinary default');
});

test('a zero duration in the config file takes the default; a zero flag does not', () => {
  const fromFile = observeKubelet(kubelet([], { streamingConnectionIdleTimeout: '0s' }), 'streaming-connection-idle-timeout');
  assert.equal(fromFile.value, '4h0m0s');
  assert.equal(fromFile.how, 'config file default');
  assert.equal(observeKubelet(kubelet(['--streaming-connection-idle-timeout=0s'], { streamingConnectionIdleTimeout: '5m' }), 'streaming-connection-idle-timeout').value, '0s');
});

test('YAML values become the text a flag would hold (numbers, booleans, lists)', () => {
  const c = kubelet([], { readOnlyPort: 10255, rotateCertificates: true, tlsCipherSuites: ['A', 'B'] });
  assert.equal(observeKubelet(c, 'read-only-port').value, '10255');
  assert.equal(observeKubelet(c, 'rotate-certificates').value, 'true');
  assert.deepEqual(observeKubelet(c, 'tls-cipher-suites').list, ['A', 'B']);
});

test('--feature-gates merges over the config file featureGates key by key', () => {
  const c = kubelet(['--feature-gates=Other=true'], { featureGates: { RotateKubeletServerCertificate: false } });
  assert.equal(observeFeatureGate(c, 'RotateKubeletServerCertificate', 'true').value, 'false');
  const overridden = kubelet(['--feature-gates=RotateKubeletServerCertificate=true'], { featureGates: { RotateKubeletServerCertificate: false } });
  assert.equal(observeFeatureGate(overridden, 'RotateKubeletServerCertificate', 'true').value, 'true');
  assert.equal(observeFeatureGate(kubelet([], {}), 'RotateKubeletServerCertificate', 'true').how, 'default');
});

test('an unusable config file makes unflagged settings unknown, but flags still count', () => {
  const c = kubelet(['--read-only-port=0'], { error: 'kind KubeProxyConfiguration, expected KubeletConfiguration' });
  assert.match(observeKubelet(c, 'anonymous-auth').unknown ?? '', /could not be used: kind KubeProxyConfiguration/);
  assert.equal(observeKubelet(c, 'read-only-port').unknown, undefined);
  assert.equal(observeKubelet(c, 'read-only-port').value, '0');
});
