import { test } from 'node:test';
import assert from 'node:assert/strict';
import { untrustedWorkloadSandboxed as check } from '../../../src/checks/workload/untrusted-workload-sandboxed.js';
import { contextFor, inventoryFromYaml, paths, runCheck } from '../../helpers.js';

const UNTRUSTED = { untrusted: [{ namespace: 'tenants' }] };

const pod = (name: string, runtimeClass?: string, namespace = 'tenants') => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${runtimeClass ? `  runtimeClassName: ${runtimeClass}\n` : ''}  containers:
  - {name: app, image: app:1.2.3}
---`;

test('skips with a reason when nothing is marked untrusted', () => {
  const inventory = inventoryFromYaml(pod('a'));
  const outcome = check.evaluate(inventory, contextFor(inventory));
  assert.ok('skip' in outcome && /no workload is marked untrusted/.test(outcome.skip));
});

test('passes for a configured sandbox class and for a RuntimeClass whose handler is a sandbox', () => {
  const v = runCheck(
    check,
    pod('a', 'gvisor') +
      pod('b', 'secure') +
      `
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: secure}
handler: kata-qemu
`,
    UNTRUSTED,
  );
  assert.deepEqual(v, []);
});

test('fails for untrusted pods without a sandbox; trusted pods are not judged', () => {
  const v = runCheck(
    check,
    pod('none') +
      pod('runc', 'fast') +
      pod('unknown', 'mystery') +
      pod('trusted', undefined, 'shop') +
      `
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: fast}
handler: runc
`,
    UNTRUSTED,
  );
  assert.deepEqual(paths(v), ['spec.runtimeClassName', 'spec.runtimeClassName', 'spec.runtimeClassName']);
  assert.deepEqual(v.map((x) => x.object?.name), ['none', 'runc', 'unknown']);
  assert.match(v[0]!.message, /sets no runtimeClassName/);
  assert.match(v[1]!.message, /RuntimeClass "fast" whose handler "runc" is not a sandboxed runtime/);
  assert.match(v[2]!.message, /neither in sandboxRuntimeClasses nor in the input/);
});
