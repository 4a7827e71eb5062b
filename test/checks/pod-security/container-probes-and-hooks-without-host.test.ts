import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerProbesAndHooksWithoutHost as check } from '../../../src/checks/pod-security/container-probes-and-hooks-without-host.js';
import { paths, runCheck } from '../../helpers.js';
import { pod } from './manifests.js';

const WITH_HOSTS = pod(`{
  initContainers: [{name: init, image: i, startupProbe: {tcpSocket: {port: 1, host: 10.0.0.1}}}],
  containers: [{name: a, image: a,
    livenessProbe: {httpGet: {port: 80, host: metadata.internal}},
    readinessProbe: {tcpSocket: {port: 80, host: ""}},
    lifecycle: {postStart: {httpGet: {port: 80, host: example.com}}, preStop: {tcpSocket: {port: 1, host: db}}}}]}`);

test('passes for probes and hooks without host, with an empty host, or with grpc/exec/sleep', () => {
  assert.deepEqual(runCheck(check, pod(`{containers: [{name: a, image: a,
    livenessProbe: {httpGet: {port: 80, path: /healthz}}, readinessProbe: {tcpSocket: {port: 80, host: ""}},
    startupProbe: {grpc: {port: 9000}}, lifecycle: {preStop: {sleep: {seconds: 5}}, postStart: {exec: {command: [true]}}}}]}`)), []);
});

test('fails for each probe or hook that names a host', () => {
  const v = runCheck(check, WITH_HOSTS);
  assert.deepEqual(paths(v), [
    'spec.initContainers[0].startupProbe.tcpSocket.host',
    'spec.containers[0].livenessProbe.httpGet.host',
    'spec.containers[0].lifecycle.postStart.httpGet.host',
    'spec.containers[0].lifecycle.preStop.tcpSocket.host',
  ]);
  assert.match(v[1]!.message, /container "a" livenessProbe\.httpGet targets host "metadata\.internal"/);
  assert.deepEqual(v[1]!.fix, [{ op: 'remove', path: '/spec/containers/0/livenessProbe/httpGet/host' }]);
});

test('does not apply below policy v1.34', () => {
  assert.deepEqual(runCheck(check, WITH_HOSTS, { pssVersion: 'v1.33' }), []);
  assert.equal(runCheck(check, WITH_HOSTS, { pssVersion: 'v1.34' }).length, 4);
});
