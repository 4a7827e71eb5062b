import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podOnlySafeSysctls as check } from '../../../src/checks/pod-security/pod-only-safe-sysctls.js';
import { paths, runCheck } from '../../helpers.js';
import { pod } from './manifests.js';

const sysctls = (...names: string[]) =>
  pod(`{securityContext: {sysctls: [${names.map((n) => `{name: ${n}, value: "1"}`).join(', ')}]}, containers: [{name: a, image: a}]}`);

test('passes for the safe set and for an empty list', () => {
  assert.deepEqual(runCheck(check, sysctls('kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies')), []);
  assert.deepEqual(runCheck(check, pod('{securityContext: {sysctls: []}, containers: [{name: a, image: a}]}')), []);
});

test('fails for each sysctl outside the safe set, naming it', () => {
  const v = runCheck(check, sysctls('net.ipv4.tcp_syncookies', 'kernel.msgmax', 'net.core.somaxconn'));
  assert.deepEqual(paths(v), ['spec.securityContext.sysctls[1].name', 'spec.securityContext.sysctls[2].name']);
  assert.match(v[0]!.message, /sysctl "kernel\.msgmax", which is not in the safe set of policy latest/);
});

test('the safe set grows with the policy version', () => {
  const keepalive = sysctls('net.ipv4.tcp_keepalive_time');
  assert.equal(runCheck(check, keepalive, { pssVersion: 'v1.28' }).length, 1);
  assert.deepEqual(runCheck(check, keepalive, { pssVersion: 'v1.29' }), []);
  const reserved = sysctls('net.ipv4.ip_local_reserved_ports');
  assert.equal(runCheck(check, reserved, { pssVersion: 'v1.26' }).length, 1);
  assert.deepEqual(runCheck(check, reserved, { pssVersion: 'v1.27' }), []);
  const rmem = sysctls('net.ipv4.tcp_rmem');
  assert.equal(runCheck(check, rmem, { pssVersion: 'v1.31' }).length, 1);
  assert.deepEqual(runCheck(check, rmem, { pssVersion: 'v1.32' }), []);
  const lowat = sysctls('net.ipv4.tcp_notsent_lowat');
  assert.equal(runCheck(check, lowat, { pssVersion: 'v1.36' }).length, 1);
  assert.deepEqual(runCheck(check, lowat, { pssVersion: 'v1.37' }), []);
});

test('names are compared exactly (no prefix or case folding)', () => {
  assert.equal(runCheck(check, sysctls('Kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range.x')).length, 2);
});
