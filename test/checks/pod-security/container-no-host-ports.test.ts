import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerNoHostPorts as check } from '../../../src/checks/pod-security/container-no-host-ports.js';
import { paths, runCheck } from '../../helpers.js';
import { pod } from './manifests.js';

test('passes when hostPort is unset or 0', () => {
  assert.deepEqual(runCheck(check, pod(`{containers: [{name: a, image: a,
    ports: [{containerPort: 80}, {containerPort: 81, hostPort: 0}]}]}`)), []);
});

test('fails for each non-zero hostPort, in init and regular containers', () => {
  const v = runCheck(check, pod(`{initContainers: [{name: init, image: i, ports: [{containerPort: 1, hostPort: 9000}]}],
    containers: [{name: a, image: a, ports: [{containerPort: 80}, {containerPort: 443, hostPort: 443}]}]}`));
  assert.deepEqual(paths(v), ['spec.initContainers[0].ports[0].hostPort', 'spec.containers[0].ports[1].hostPort']);
  assert.match(v[1]!.message, /container "a" binds hostPort 443/);
  assert.deepEqual(v[1]!.fix, [{ op: 'remove', path: '/spec/containers/0/ports/1/hostPort' }]);
});
