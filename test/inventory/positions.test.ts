import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolvePositions } from '../../src/inventory/positions.js';

const TEXT = `# comment
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers:
  - name: app
    image: nginx
    securityContext:
      privileged: true
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: b}
  spec:
    hostPID: yes
`;

test('finds the line and column of a field, in later documents and List items too', async () => {
  const [privileged, hostPid, missing, on] = await resolvePositions('x.yaml', [
    { doc: 0, path: ['spec', 'containers', 0, 'securityContext', 'privileged'] },
    { doc: 1, path: ['items', 0, 'spec', 'hostPID'] },
    { doc: 0, path: ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot'] },
    { doc: 0, path: ['spec', 'containers', 0, 'image'] },
  ], TEXT);
  assert.deepEqual(privileged, { line: 10, column: 7, approximate: false });
  assert.deepEqual(hostPid, { line: 19, column: 5, approximate: false });
  // An absent field points at its nearest existing parent.
  assert.deepEqual(missing, { line: 9, column: 5, approximate: true });
  assert.deepEqual(on, { line: 8, column: 5, approximate: false });
});

test('an unreadable file gives no positions instead of throwing', async () => {
  const [p] = await resolvePositions('/nonexistent/file.yaml', [{ doc: 0, path: ['spec'] }]);
  assert.equal(p, undefined);
});
