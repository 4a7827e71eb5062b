import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiServerVersionSupported } from '../../../src/checks/controlplane/apiserver-version-supported.js';
import { kubeletVersionWithinSkew } from '../../../src/checks/node/kubelet-version-within-skew.js';
import { kubeletVersionSupported } from '../../../src/checks/node/kubelet-version-supported.js';
import { END_OF_LIFE, RELEASE_TABLE_DATE, parseKubernetesVersion, upstreamSupport } from '../../../src/analysis/cluster/releases.js';
import type { InventoryCheck } from '../../../src/checks/types.js';
import { contextFor, inventoryFromYaml } from '../../helpers.js';

function apiServer(gitVersion: string, observedAt = '2026-11-22T05:00:00Z'): string {
  return `apiVersion: kubeharden.io/v1\nkind: APIServerVersion\nmetadata: {name: kube-apiserver}\ngitVersion: ${gitVersion}\nobservedAt: "${observedAt}"\n`;
}
function node(name: string, kubeletVersion: string): string {
  return `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\nstatus:\n  nodeInfo: {kubeletVersion: ${kubeletVersion}, containerRuntimeVersion: "containerd://1.7.24"}\n`;
}
function run(check: InventoryCheck, ...docs: string[]) {
  const inventory = inventoryFromYaml(docs.join('---\n'));
  return check.evaluate(inventory, contextFor(inventory));
}
function messages(outcome: ReturnType<typeof run>): string[] {
  if (!('violations' in outcome)) assert.fail(`expected violations, got ${JSON.stringify(outcome)}`);
  return outcome.violations.map((v) => v.message);
}

test('the release table: dated, contiguous, end-of-life dates in order', () => {
  const minors = Object.keys(END_OF_LIFE).map((m) => Number(m.split('.')[1]));
  minors.forEach((m, i) => i > 0 && assert.equal(m, minors[i - 1]! + 1));
  const dates = Object.values(END_OF_LIFE);
  assert.deepEqual([...dates].sort(), dates);
  assert.match(RELEASE_TABLE_DATE, /^\d{4}-\d\d-\d\d$/);
});

test('versions: vendor suffixes, pre-releases, junk', () => {
  assert.deepEqual(parseKubernetesVersion('v1.31.4-gke.1200'), { major: 1, minor: 31, patch: 4, vendorBuild: true, text: 'v1.31.4-gke.1200' });
  assert.equal(parseKubernetesVersion('v1.36.0-rc.1')?.vendorBuild, false);
  assert.equal(parseKubernetesVersion('v1.30.2+k3s1')?.vendorBuild, true);
  assert.equal(parseKubernetesVersion('latest'), undefined);
  // The end-of-life day itself is still supported; the day after is not.
  assert.equal(upstreamSupport(parseKubernetesVersion('v1.31.0')!, '2025-11-11').status, 'supported');
  assert.equal(upstreamSupport(parseKubernetesVersion('v1.31.0')!, '2025-11-12').status, 'ended');
  assert.equal(upstreamSupport(parseKubernetesVersion('v1.12.0')!, '2020-01-01').status, 'ended');
});

test('apiserver-version-supported: a release past its end of life on the day of the read fails', () => {
  assert.deepEqual(messages(run(apiServerVersionSupported, apiServer('v1.31.4'))), [
    `the API server runs v1.31.4: Kubernetes 1.31 reached its upstream end of life on 2025-11-11 and gets no security fixes; upgrade to 1.35 or newer (per kubeharden's release table of ${RELEASE_TABLE_DATE}, 68 days older than the scan)`,
  ]);
  const eks = messages(run(apiServerVersionSupported, apiServer('v1.29.15-eks-4d4b9c1')));
  assert.match(eks[0]!, /this is a provider build, which may be supported longer/);
});

test('apiserver-version-supported: a supported release passes; judged on the day it was read, not today', () => {
  assert.deepEqual(messages(run(apiServerVersionSupported, apiServer('v1.36.2'))), []);
  assert.deepEqual(messages(run(apiServerVersionSupported, apiServer('v1.31.4', '2025-06-01T00:00:00Z'))), []);
});

test('apiserver-version-supported: skips without a version, or with one newer than the table', () => {
  assert.match((run(apiServerVersionSupported, node('n', 'v1.31.0')) as { skip: string }).skip, /no API server version \(scan a live cluster/);
  assert.match((run(apiServerVersionSupported, apiServer('v1.40.0')) as { skip: string }).skip, /1\.40 is newer than kubeharden's release table \(dated /);
  assert.match((run(apiServerVersionSupported, apiServer('banana')) as { skip: string }).skip, /"banana" is not a Kubernetes version/);
});

test('kubelet-version-within-skew: newer than the API server, or too far behind, fails', () => {
  const found = messages(run(kubeletVersionWithinSkew, apiServer('v1.35.1'), node('same', 'v1.35.0'), node('three-behind', 'v1.32.9'), node('four-behind', 'v1.31.2'), node('ahead', 'v1.36.0')));
  assert.deepEqual(found, [
    'Node four-behind runs kubelet v1.31.2 with API server v1.35.1: 4 minor releases behind, more than the 3 the skew policy allows; upgrade the kubelet to 1.32 or newer',
    'Node ahead runs kubelet v1.36.0 with API server v1.35.1: a kubelet must not be newer than the API server; upgrade the control plane first or run kubelet 1.35',
  ]);
});

test('kubelet-version-within-skew: kubelets older than 1.25 may be only two behind', () => {
  assert.deepEqual(messages(run(kubeletVersionWithinSkew, apiServer('v1.26.3'), node('n', 'v1.24.1'))), []);
  assert.equal(messages(run(kubeletVersionWithinSkew, apiServer('v1.27.3'), node('n', 'v1.24.1'))).length, 1);
  assert.deepEqual(messages(run(kubeletVersionWithinSkew, apiServer('v1.28.3'), node('n', 'v1.25.1'))), []);
});

test('kubelet-version-within-skew: skips without nodes or the API server version', () => {
  assert.ok('skip' in run(kubeletVersionWithinSkew, apiServer('v1.35.1')));
  assert.ok('skip' in run(kubeletVersionWithinSkew, node('n', 'v1.35.0')));
});

test('kubelet-version-supported: an ended kubelet release fails, a supported one passes', () => {
  assert.deepEqual(messages(run(kubeletVersionSupported, apiServer('v1.35.1'), node('old', 'v1.32.9'), node('new', 'v1.35.0'))), [
    `Node old runs kubelet v1.32.9: Kubernetes 1.32 reached its upstream end of life on 2026-02-28; upgrade the node (per kubeharden's release table of ${RELEASE_TABLE_DATE}, 68 days older than the scan)`,
  ]);
  assert.match((run(kubeletVersionSupported, node('n', 'v1.20.0')) as { skip: string }).skip, /says on which day the kubelet versions were read/);
});
