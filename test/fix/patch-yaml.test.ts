import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, parsePointer } from '../../src/fix/patch-yaml.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the storefront
spec:
  template:
    spec:
      containers:
        - name: app
          image: "nginx:1.27"
          securityContext:
            runAsUser: 0
        - {name: sidecar, image: envoy}
      volumes:
      - name: tmp
        emptyDir: {}
`;

function patched(ops: Parameters<typeof applyPatch>[2], text = DEPLOYMENT, base: (string | number)[] = []): string {
  const outcome = applyPatch(text, base, ops);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  return outcome.text;
}

function changedLines(before: string, after: string): string[] {
  const b = new Set(before.split('\n'));
  return after.split('\n').filter((l) => !b.has(l));
}

test('adds a key to an existing block mapping at its siblings\' indentation, keeping everything else', () => {
  const out = patched([{ op: 'add', path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem', value: true }]);
  assert.equal(out, DEPLOYMENT.replace('            runAsUser: 0\n', '            runAsUser: 0\n            readOnlyRootFilesystem: true\n'));
});

test('creates missing mappings along the path', () => {
  const out = patched([{ op: 'add', path: '/spec/template/spec/securityContext/seccompProfile/type', value: 'RuntimeDefault' }]);
  assert.deepEqual(changedLines(DEPLOYMENT, out), ['      securityContext:', '        seccompProfile:', '          type: RuntimeDefault']);
  assert.ok(out.includes('      volumes:\n      - name: tmp\n        emptyDir: {}\n      securityContext:\n'));
});

test('adds into a flow mapping before its closing brace', () => {
  const out = patched([{ op: 'add', path: '/spec/template/spec/containers/1/securityContext', value: { allowPrivilegeEscalation: false } }]);
  assert.deepEqual(changedLines(DEPLOYMENT, out), ['        - {name: sidecar, image: envoy, securityContext: { allowPrivilegeEscalation: false }}']);
});

test('merges an added object into an existing mapping instead of replacing it', () => {
  const out = patched([
    { op: 'add', path: '/spec/template/spec/containers/0/securityContext', value: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
  ]);
  assert.deepEqual(changedLines(DEPLOYMENT, out), ['            allowPrivilegeEscalation: false', '            capabilities:', '              drop:', '              - ALL']);
  assert.ok(out.includes('runAsUser: 0'));
});

test('replaces a scalar where it stands, and appends to lists without duplicates', () => {
  const out = patched([{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/runAsUser', value: 10001 }]);
  assert.deepEqual(changedLines(DEPLOYMENT, out), ['            runAsUser: 10001']);
  const caps = 'spec:\n  capabilities:\n    drop:\n    - NET_RAW\n    add: [NET_ADMIN]\n';
  assert.equal(patched([{ op: 'add', path: '/spec/capabilities/drop', value: ['ALL', 'NET_RAW'] }], caps), 'spec:\n  capabilities:\n    drop:\n    - NET_RAW\n    - ALL\n    add: [NET_ADMIN]\n');
  assert.equal(patched([{ op: 'add', path: '/spec/capabilities/add/-', value: 'NET_BIND_SERVICE' }], caps), caps.replace('[NET_ADMIN]', '[NET_ADMIN, NET_BIND_SERVICE]'));
});

test('removes a key and its value', () => {
  const text = 'spec:\n  hostNetwork: true\n  hostPID: true\n  containers: []\n';
  assert.equal(patched([{ op: 'remove', path: '/spec/hostPID' }], text), 'spec:\n  hostNetwork: true\n  containers: []\n');
});

test('paths are relative to the object inside its document (List items)', () => {
  const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec:\n    containers:\n    - name: a\n      image: x\n';
  const out = patched([{ op: 'add', path: '/spec/containers/0/securityContext', value: { runAsNonRoot: true } }], list, ['items', 0]);
  assert.equal(out, list + '      securityContext:\n        runAsNonRoot: true\n');
});

test('a document that ends without a newline still gets well-formed lines', () => {
  assert.equal(patched([{ op: 'add', path: '/spec/b', value: 1 }], 'spec:\n  a: 1'), 'spec:\n  a: 1\n  b: 1\n');
});

test('refuses what it cannot do safely, with a reason', () => {
  const outcome = applyPatch('spec:\n  containers: []\n', [], [{ op: 'add', path: '/spec/containers/0/securityContext', value: {} }]);
  assert.equal(outcome.ok, false);
  assert.equal(parsePointer('/a~1b/0/c~0d/-').join('|'), 'a/b|0|c~d|-');
});
