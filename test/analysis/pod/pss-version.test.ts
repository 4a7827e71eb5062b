import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LATEST_PSS_MINOR,
  PSS_SINCE,
  allowedSeLinuxTypesAt,
  isAtLeast,
  parsePssVersion,
  requirePssVersion,
  safeSysctlsAt,
} from '../../../src/analysis/pod/pss-version.js';

test('parses latest and v1.N; newer than the newest known version behaves as latest', () => {
  assert.equal(parsePssVersion('latest')?.minor, LATEST_PSS_MINOR);
  assert.equal(parsePssVersion('v1.0')?.minor, 0);
  assert.equal(parsePssVersion('v1.25')?.minor, 25);
  assert.equal(parsePssVersion('v1.99')?.minor, LATEST_PSS_MINOR);
});

test('rejects what the library rejects: no v, a patch part, leading zeros, major 2', () => {
  for (const bad of ['1.25', 'v1.25.0', 'v1.025', 'v2.0', 'Latest', '']) {
    assert.equal(parsePssVersion(bad), undefined, bad);
  }
  assert.throws(() => requirePssVersion('1.25'), /invalid Pod Security Standards version "1.25"/);
});

test('version gates compare on the minor version', () => {
  assert.equal(isAtLeast(requirePssVersion('v1.24'), PSS_SINCE.windowsExemption), false);
  assert.equal(isAtLeast(requirePssVersion('v1.25'), PSS_SINCE.windowsExemption), true);
  assert.equal(isAtLeast(requirePssVersion('latest'), PSS_SINCE.userNamespaceRelaxation), true);
});

test('the safe sysctl set grows at v1.27, v1.29, v1.32 and v1.37', () => {
  const size = (v: string) => safeSysctlsAt(requirePssVersion(v)).size;
  assert.deepEqual(['v1.26', 'v1.27', 'v1.28', 'v1.29', 'v1.31', 'v1.32', 'v1.36', 'v1.37'].map(size), [5, 6, 6, 10, 10, 12, 12, 14]);
  assert.equal(safeSysctlsAt(requirePssVersion('v1.36')).has('net.ipv4.tcp_notsent_lowat'), false);
  assert.equal(safeSysctlsAt(requirePssVersion('latest')).has('net.ipv4.tcp_notsent_lowat'), true);
});

test('container_engine_t is an allowed SELinux type from v1.31', () => {
  assert.equal(allowedSeLinuxTypesAt(requirePssVersion('v1.30')).has('container_engine_t'), false);
  assert.equal(allowedSeLinuxTypesAt(requirePssVersion('v1.31')).has('container_engine_t'), true);
});
